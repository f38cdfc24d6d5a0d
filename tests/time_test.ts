/** Wall-clock time in the desk's zone: formatting, local days, local dates. */
import assert from "node:assert/strict";
import {
  addDays,
  formatTime,
  fromLocal,
  localTime,
  parseLocalDate,
  startOfLocalDay,
} from "../src/base/time.ts";

Deno.test("formatTime: local wall time with the zone's name", () => {
  const at = Date.UTC(2026, 10, 25, 21, 30); // 21:30 UTC
  assert.equal(formatTime(at), "2026-11-25 21:30 UTC");
  assert.equal(formatTime(at, "Europe/Moscow"), "2026-11-26 00:30 Europe/Moscow");
  assert.equal(formatTime(at, "America/New_York"), "2026-11-25 16:30 America/New_York");
});

Deno.test("startOfLocalDay: midnight in the zone, also on daylight saving days", () => {
  const at = Date.UTC(2026, 10, 25, 21, 30);
  assert.equal(startOfLocalDay(at, "UTC"), Date.UTC(2026, 10, 25));
  assert.equal(startOfLocalDay(at, "Europe/Moscow"), Date.UTC(2026, 10, 25, 21)); // UTC+3
  // Berlin switches to summer time on 2026-03-29 at 02:00: that day began at 23:00 UTC.
  const afternoon = Date.UTC(2026, 2, 29, 14);
  assert.equal(startOfLocalDay(afternoon, "Europe/Berlin"), Date.UTC(2026, 2, 28, 23));
  // ...and back on 2026-10-25 at 03:00: that day began at 22:00 UTC.
  assert.equal(
    startOfLocalDay(Date.UTC(2026, 9, 25, 14), "Europe/Berlin"),
    Date.UTC(2026, 9, 24, 22),
  );
});

Deno.test("fromLocal and parseLocalDate: real dates only", () => {
  assert.equal(fromLocal(2026, 7, 1, 9, 0, "Europe/Berlin"), Date.UTC(2026, 6, 1, 7));
  assert.equal(parseLocalDate("2026-11-01", "Asia/Tokyo"), Date.UTC(2026, 9, 31, 15));
  for (const bad of ["2026-02-30", "2026-13-01", "26-11-01", "2026-11-1", "", "tomorrow"]) {
    assert.equal(parseLocalDate(bad, "UTC"), undefined, bad);
  }
  assert.equal(addDays("2026-12-31", 1), "2027-01-01");
  assert.equal(addDays("2028-02-28", 1), "2028-02-29");
});

Deno.test("localTime in UTC, done without Intl, says what Intl says", () => {
  // "Etc/UTC" is the same zone, read through Intl.DateTimeFormat.
  for (let ms = -86_400_000 * 400; ms < 86_400_000 * 366 * 60; ms += 86_400_000 * 3 + 3_723_456) {
    assert.deepEqual(localTime(ms, "UTC"), localTime(ms, "Etc/UTC"), new Date(ms).toISOString());
  }
});
