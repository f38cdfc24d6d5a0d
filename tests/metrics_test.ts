/**
 * Unit tests of metrics: nearest-rank percentiles, summaries, averages and durations written
 * for people. Expected values are computed by hand.
 */

import assert from "node:assert/strict";
import { average, formatDuration, median, percentile, summarize } from "../src/reports/metrics.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

Deno.test("percentile: nearest rank, always one of the values", () => {
  // The textbook example: 15, 20, 35, 40, 50.
  const five = [15, 20, 35, 40, 50];
  assert.equal(percentile(five, 5), 15); // rank ceil(0.25) = 1
  assert.equal(percentile(five, 30), 20); // rank ceil(1.5) = 2
  assert.equal(percentile(five, 40), 20); // rank ceil(2) = 2
  assert.equal(percentile(five, 50), 35); // rank ceil(2.5) = 3
  assert.equal(percentile(five, 100), 50);
  assert.equal(percentile(five, 0), 15);
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.equal(percentile(ten, 90), 9); // rank 9
  assert.equal(percentile(ten, 91), 10); // rank ceil(9.1) = 10
  assert.equal(percentile(ten, 10), 1);
  assert.equal(percentile(ten, 10.5), 2);
  // Exact ranks despite binary fractions: 0.07 × 100 is 7.000000000000001 in floating point.
  assert.equal(percentile(ten, 70), 7);
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  for (let p = 1; p <= 100; p++) assert.equal(percentile(hundred, p), p);
  assert.equal(percentile([7], 1), 7);
  assert.equal(percentile([7], 99), 7);
  assert.equal(percentile([], 50), null);
  assert.equal(percentile([], 0), null);
});

Deno.test("percentile: a percent outside 0…100 is an error", () => {
  for (const p of [-1, 100.5, NaN, Infinity]) {
    assert.throws(() => percentile([1, 2, 3], p), RangeError, String(p));
  }
  assert.throws(() => percentile([], -5), { message: "percentile must be from 0 to 100, not -5" });
});

Deno.test("median: the middle value; the lower middle for an even count", () => {
  assert.equal(median([3, 8, 100]), 8);
  assert.equal(median([1, 2, 3, 4]), 2);
  assert.equal(median([5, 5]), 5);
  assert.equal(median([42]), 42);
  assert.equal(median([]), null);
});

Deno.test("summarize: sorts a copy and leaves the input alone", () => {
  const durations = [9_000, 1_000, 5_000, 3_000, 7_000, 2_000, 10_000, 4_000, 8_000, 6_000, 11_000];
  const before = [...durations];
  // Sorted: 1…11 thousand. n = 11: median rank ceil(5.5) = 6 → 6 000; p90 rank ceil(9.9) = 10.
  assert.deepEqual(summarize(durations), { count: 11, medianMs: 6_000, p90Ms: 10_000 });
  assert.deepEqual(durations, before);
  // Numeric order, not string order ("100" < "20" as strings).
  assert.deepEqual(summarize([100, 20, 3]), { count: 3, medianMs: 20, p90Ms: 100 });
  assert.deepEqual(summarize([]), { count: 0, medianMs: null, p90Ms: null });
  assert.deepEqual(summarize([0]), { count: 1, medianMs: 0, p90Ms: 0 });
});

Deno.test("average: the arithmetic mean, null for none", () => {
  assert.equal(average([1, 2, 3, 4]), 2.5);
  assert.equal(average([10]), 10);
  assert.equal(average([-3, 3]), 0);
  assert.equal(average([MINUTE, 3 * MINUTE]), 2 * MINUTE);
  assert.equal(average([]), null);
});

Deno.test("formatDuration: the two largest units, in English", () => {
  assert.equal(formatDuration(0, "en"), "0 s");
  assert.equal(formatDuration(999, "en"), "0 s");
  assert.equal(formatDuration(45 * SECOND, "en"), "45 s");
  assert.equal(formatDuration(59_999, "en"), "59 s");
  assert.equal(formatDuration(MINUTE, "en"), "1 min");
  assert.equal(formatDuration(12 * MINUTE + 59 * SECOND, "en"), "12 min");
  assert.equal(formatDuration(HOUR - 1, "en"), "59 min");
  assert.equal(formatDuration(HOUR, "en"), "1 h 00 min");
  assert.equal(formatDuration(3 * HOUR + 5 * MINUTE + 30 * SECOND, "en"), "3 h 05 min");
  assert.equal(formatDuration(23 * HOUR + 59 * MINUTE, "en"), "23 h 59 min");
  assert.equal(formatDuration(DAY, "en"), "1 d 0 h");
  assert.equal(formatDuration(2 * DAY + 4 * HOUR + 59 * MINUTE, "en"), "2 d 4 h");
  assert.equal(formatDuration(400 * DAY + 23 * HOUR, "en"), "400 d 23 h");
  assert.equal(formatDuration(-5 * SECOND, "en"), "0 s");
  assert.equal(formatDuration(null, "en"), "—");
  assert.equal(formatDuration(NaN, "en"), "—");
  assert.equal(formatDuration(Infinity, "en"), "—");
});

Deno.test("formatDuration: the same in Russian", () => {
  assert.equal(formatDuration(45 * SECOND, "ru"), "45 с");
  assert.equal(formatDuration(12 * MINUTE, "ru"), "12 мин");
  assert.equal(formatDuration(3 * HOUR + 5 * MINUTE, "ru"), "3 ч 05 мин");
  assert.equal(formatDuration(2 * DAY + 4 * HOUR, "ru"), "2 д 4 ч");
  assert.equal(formatDuration(null, "ru"), "—");
});

Deno.test("summarize and formatDuration together: a report line", () => {
  const waits = [90 * SECOND, 30 * SECOND, 2 * HOUR, 10 * MINUTE, 45 * SECOND];
  // Sorted: 30 s, 45 s, 90 s, 10 min, 2 h. Median rank 3 → 90 s; p90 rank ceil(4.5) = 5 → 2 h.
  const { count, medianMs, p90Ms } = summarize(waits);
  assert.equal(
    `${count}: ${formatDuration(medianMs, "en")} / ${formatDuration(p90Ms, "en")}`,
    "5: 1 min / 2 h 00 min",
  );
});
