/**
 * Secrets compared in constant time: the support token of `/register_support` and the
 * webhook's secret header. Pure; no Telegram, no database.
 *
 * @module
 */
import { timingSafeEqual } from "node:crypto";

/** Compares two secrets in time that does not depend on where they differ. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  // Compare equal-length buffers always, so the length check leaks no timing either.
  const padded = new Uint8Array(b.length);
  padded.set(a.subarray(0, b.length));
  return timingSafeEqual(padded, b) && a.length === b.length;
}
