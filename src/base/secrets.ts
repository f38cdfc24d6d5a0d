/**
 * Secrets compared in constant time: the support token of `/register_support` and the
 * webhook's secret header. Pure; no Telegram, no database.
 *
 * @module
 */

/**
 * Compares two secrets in time that does not depend on where they differ: every byte of the
 * expected secret is visited, differences are OR-ed together, and the only branch is at the
 * end. (Written out rather than `node:crypto`'s `timingSafeEqual`: loading `node:crypto`
 * costs the process about 5 MiB, for this one loop.)
 */
export function secretsEqual(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  // Compare equal-length buffers always, so the length check leaks no timing either.
  const padded = new Uint8Array(b.length);
  padded.set(a.subarray(0, b.length));
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= padded[i] ^ b[i];
  return difference === 0;
}
