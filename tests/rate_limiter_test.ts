/**
 * Unit tests of the outbox's RateLimiter: pure timing math, with `now` passed explicitly.
 */

import assert from "node:assert/strict";
import { RateLimiter } from "../src/outbox/rate_limiter.ts";

const T0 = 1_700_000_000_000;

/** Times near 1.7e12 ms keep only about 0.25 µs of precision: compare to within 1 µs. */
const EPSILON = 1e-3;

function approx(actual: number, expected: number, message?: string): void {
  assert.ok(
    Math.abs(actual - expected) < EPSILON,
    `${message ?? ""} expected ${expected}, got ${actual}`,
  );
}

Deno.test("reserveChat: a burst of 3 goes at once, then one per second", () => {
  const limiter = new RateLimiter(1, 3, 30);
  const at = [1, 2, 3, 4, 5, 6].map(() => limiter.reserveChat(42, T0));
  assert.deepEqual(at.map((t) => t - T0), [0, 0, 0, 1_000, 2_000, 3_000]);
});

Deno.test("reserveChat: a chat idle for long gets its burst back", () => {
  const limiter = new RateLimiter(1, 3, 30);
  for (let i = 0; i < 5; i++) limiter.reserveChat(42, T0);
  // Booked until T0 + 5 s; a minute later everything is forgotten.
  const later = T0 + 60_000;
  const at = [1, 2, 3, 4].map(() => limiter.reserveChat(42, later));
  assert.deepEqual(at.map((t) => t - later), [0, 0, 0, 1_000]);
});

Deno.test("reserveChat: time passing partly refills the burst", () => {
  const limiter = new RateLimiter(1, 3, 30);
  for (let i = 0; i < 3; i++) assert.equal(limiter.reserveChat(7, T0), T0);
  // 1.5 s later one and a half slots came back: one goes now, the next at T0 + 2 s.
  assert.equal(limiter.reserveChat(7, T0 + 1_500), T0 + 1_500);
  assert.equal(limiter.reserveChat(7, T0 + 1_500), T0 + 2_000);
  assert.equal(limiter.reserveChat(7, T0 + 1_500), T0 + 3_000);
});

Deno.test("reserveChat: chats are independent", () => {
  const limiter = new RateLimiter(1, 3, 30);
  for (let i = 0; i < 10; i++) limiter.reserveChat(1, T0);
  // Chat 1 is booked far ahead; chat 2 still has its whole burst.
  assert.equal(limiter.reserveChat(1, T0), T0 + 8_000);
  const chat2 = [1, 2, 3, 4].map(() => limiter.reserveChat(2, T0));
  assert.deepEqual(chat2.map((t) => t - T0), [0, 0, 0, 1_000]);
  assert.equal(limiter.reserveChat(-1001234567890, T0), T0);
});

Deno.test("reserveChat: burst 1 spaces every message by the rate", () => {
  const limiter = new RateLimiter(2, 1, 30);
  const at = [1, 2, 3].map(() => limiter.reserveChat(5, T0));
  assert.deepEqual(at.map((t) => t - T0), [0, 500, 1_000]);
});

Deno.test("reserveGlobal: 30 per second, about 33.3 ms apart, never two in one slot", () => {
  const interval = 1000 / 30;
  const limiter = new RateLimiter(1, 3, 30);
  // Ten at once: spaced by the interval.
  for (let i = 0; i < 10; i++) {
    approx(limiter.reserveGlobal(T0) - T0, i * interval, `reservation ${i}`);
  }
  // After a pause the next goes at once.
  assert.equal(limiter.reserveGlobal(T0 + 10_000), T0 + 10_000);
  approx(limiter.reserveGlobal(T0 + 10_000) - T0, 10_000 + interval);

  // Many callers at irregular times: each slot is at or after its call, and at least one
  // interval after the previous slot.
  const fresh = new RateLimiter(1, 3, 30);
  let now = T0;
  let previous = -Infinity;
  let seed = 12345;
  for (let i = 0; i < 2_000; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    now += seed % 4 === 0 ? seed % 100 : 0; // mostly simultaneous calls, some gaps
    const slot = fresh.reserveGlobal(now);
    assert.ok(slot >= now, `slot ${slot} before its call ${now}`);
    assert.ok(slot - previous >= interval - EPSILON, `slots ${previous} and ${slot} too close`);
    // Not later than needed either.
    approx(slot, Math.max(now, previous + interval), `slot ${i}`);
    previous = slot;
  }
});

Deno.test("charge: an album of 5 goes on one slot, what follows pays for its other 4 parts", () => {
  const limiter = new RateLimiter(1, 3, 30);
  assert.equal(limiter.reserveChat(42, T0), T0);
  assert.equal(limiter.reserveGlobal(T0), T0);
  limiter.charge(42, 4, T0);
  // Five slots used of a burst of 3: the next message goes when two have come back, at 3 s.
  assert.equal(limiter.reserveChat(42, T0) - T0, 3_000);
  assert.equal(limiter.reserveChat(42, T0) - T0, 4_000);
  // Another chat is not held back; the global rate counts the parts too (4 × 1/30 s).
  assert.equal(limiter.reserveChat(7, T0), T0);
  approx(limiter.reserveGlobal(T0) - T0, 1000 / 30 * 5);
  // Nothing extra: nothing charged.
  limiter.charge(7, 0, T0);
  assert.equal(limiter.reserveChat(7, T0), T0);
});
