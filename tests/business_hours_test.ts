/**
 * Unit tests of business hours: parsing a schedule, whether the desk is open, when it next
 * opens (across time zones, daylight saving changes and the week's wrap), and how an opening
 * is written for people.
 */

import assert from "node:assert/strict";
import {
  formatOpening,
  isOpen,
  nextOpening,
  parseBusinessHours,
  type Schedule,
  validTimeZone,
} from "../src/rules/business_hours.ts";
import { mulberry32 } from "../tools/emulator/random.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEKDAYS = parseBusinessHours("Mon-Fri 09:00-18:00");

/** An instant from a UTC date and time; `month` is 1-based. */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0) {
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The message `parseBusinessHours(spec)` throws. */
function parseError(spec: string): string {
  try {
    parseBusinessHours(spec);
  } catch (error) {
    assert.ok(error instanceof Error);
    return error.message;
  }
  throw new assert.AssertionError({ message: `no error for ${JSON.stringify(spec)}` });
}

/** The opening found by stepping minute by minute: slow, obviously right, for comparison. */
function bruteNextOpening(schedule: Schedule, tz: string, now: number): number | undefined {
  if (isOpen(schedule, tz, now)) return now;
  const limit = now + 15 * DAY;
  for (let t = Math.floor(now / MINUTE) * MINUTE + MINUTE; t <= limit; t += MINUTE) {
    if (isOpen(schedule, tz, t)) return t;
  }
  return undefined;
}

Deno.test("parseBusinessHours: day ranges, single days, several groups", () => {
  assert.deepEqual(
    WEEKDAYS.periods,
    [0, 1, 2, 3, 4].map((day) => ({ day, start: 540, end: 1080 })),
  );
  assert.deepEqual(parseBusinessHours("Mon-Fri 09:00-18:00, Sat 10:00-14:00").periods.at(-1), {
    day: 5,
    start: 600,
    end: 840,
  });
  assert.deepEqual(parseBusinessHours("  sun 00:00-24:00 ; TUE 9:05 - 9:06 ").periods, [
    { day: 6, start: 0, end: 1440 },
    { day: 1, start: 545, end: 546 },
  ]);
  // Ranges wrap over the week's end; a range of one day is that day.
  assert.deepEqual(
    parseBusinessHours("Fri-Mon 10:00-12:00").periods.map((p) => p.day),
    [4, 5, 6, 0],
  );
  assert.deepEqual(
    parseBusinessHours("Sun-Sat 10:00-12:00").periods.map((p) => p.day),
    [6, 0, 1, 2, 3, 4, 5],
  );
  assert.deepEqual(parseBusinessHours("Wed-wed 23:59-24:00").periods, [
    { day: 2, start: 1439, end: 1440 },
  ]);
  assert.equal(parseBusinessHours("Mon 22:00-24:00, Tue 00:00-06:00").periods.length, 2);
});

Deno.test("parseBusinessHours: each bad spec is named in one readable message", () => {
  assert.equal(
    parseError("Mox-Fri 09:00-18:00"),
    'unknown day "Mox" in "Mox-Fri 09:00-18:00"; days are Mon Tue Wed Thu Fri Sat Sun',
  );
  assert.equal(
    parseError("Mon-Fri 09:00-18:00, Saturday 10:00-14:00"),
    'unknown day "Saturday" in "Saturday 10:00-14:00"; days are Mon Tue Wed Thu Fri Sat Sun',
  );
  assert.equal(parseError(""), 'empty schedule; expected e.g. "Mon-Fri 09:00-18:00"');
  assert.equal(parseError("  \t "), 'empty schedule; expected e.g. "Mon-Fri 09:00-18:00"');
  assert.equal(
    parseError("Mon-Fri 09:00-18:00,"),
    'empty group in "Mon-Fri 09:00-18:00,"',
  );
  assert.equal(parseError("Mon-Fri"), 'no hours in "Mon-Fri"; expected e.g. "Mon-Fri 09:00-18:00"');
  assert.equal(
    parseError("09:00-18:00"),
    'no days in "09:00-18:00"; expected e.g. "Mon-Fri 09:00-18:00"',
  );
  assert.equal(
    parseError("Mon-Wed-Fri 09:00-18:00"),
    'bad days "Mon-Wed-Fri" in "Mon-Wed-Fri 09:00-18:00"; expected a day or a range like Mon-Fri',
  );
  assert.equal(
    parseError("Mon- 09:00-18:00"),
    'bad days "Mon-" in "Mon- 09:00-18:00"; expected a day or a range like Mon-Fri',
  );
  assert.equal(
    parseError("Mon 09:00"),
    'bad hours "09:00" in "Mon 09:00"; expected e.g. 09:00-18:00',
  );
  assert.equal(
    parseError("Mon 25:00-26:00"),
    'bad time "25:00" in "Mon 25:00-26:00"; expected HH:MM from 00:00 to 23:59',
  );
  assert.equal(
    parseError("Mon 09:60-18:00"),
    'bad time "09:60" in "Mon 09:60-18:00"; expected HH:MM from 00:00 to 23:59',
  );
  assert.equal(
    parseError("Mon 24:00-24:00"),
    'bad time "24:00" in "Mon 24:00-24:00"; expected HH:MM from 00:00 to 23:59',
  );
  assert.equal(
    parseError("Mon 09:00-24:01"),
    'bad time "24:01" in "Mon 09:00-24:01"; expected HH:MM from 00:01 to 24:00',
  );
  assert.equal(
    parseError("Mon 9h-18h"),
    'bad time "9h" in "Mon 9h-18h"; expected HH:MM from 00:00 to 23:59',
  );
  assert.equal(
    parseError("Mon 22:00-06:00"),
    'end 06:00 is not after start 22:00 in "Mon 22:00-06:00"; ' +
      'split a range over midnight in two, e.g. "Mon 22:00-24:00, Tue 00:00-06:00"',
  );
  assert.equal(
    parseError("Sat 10:00-10:00"),
    'end 10:00 is not after start 10:00 in "Sat 10:00-10:00"; ' +
      'split a range over midnight in two, e.g. "Mon 22:00-24:00, Tue 00:00-06:00"',
  );
});

Deno.test("validTimeZone: IANA names the runtime knows", () => {
  for (
    const tz of ["UTC", "Europe/Moscow", "Europe/Berlin", "America/New_York", "Asia/Kathmandu"]
  ) {
    assert.equal(validTimeZone(tz), true, tz);
  }
  for (const tz of ["Mars/Base", "", " ", "Europe/Moskva", "+03:00x"]) {
    assert.equal(validTimeZone(tz), false, tz);
  }
});

Deno.test("isOpen: the start minute is open, the end minute closed", () => {
  // Wednesday 25 November 2026; Berlin is UTC+1 in winter.
  const at = (hour: number, minute: number, second = 0) => utc(2026, 11, 25, hour, minute, second);
  assert.equal(isOpen(WEEKDAYS, "UTC", at(9, 0)), true);
  assert.equal(isOpen(WEEKDAYS, "UTC", at(8, 59, 59)), false);
  assert.equal(isOpen(WEEKDAYS, "UTC", at(8, 59)), false);
  assert.equal(isOpen(WEEKDAYS, "UTC", at(17, 59, 59)), true);
  assert.equal(isOpen(WEEKDAYS, "UTC", at(18, 0)), false);
  assert.equal(isOpen(WEEKDAYS, "Europe/Berlin", at(8, 0)), true);
  assert.equal(isOpen(WEEKDAYS, "Europe/Berlin", at(7, 59)), false);
  assert.equal(isOpen(WEEKDAYS, "Europe/Berlin", at(17, 0)), false);
  assert.equal(isOpen(WEEKDAYS, "Europe/Berlin", at(16, 59)), true);
  // Saturday and Sunday are closed all day.
  assert.equal(isOpen(WEEKDAYS, "UTC", utc(2026, 11, 28, 12)), false);
  assert.equal(isOpen(WEEKDAYS, "UTC", utc(2026, 11, 29, 12)), false);
  assert.equal(isOpen({ periods: [] }, "UTC", at(12, 0)), false);
  assert.throws(() => isOpen(WEEKDAYS, "Mars/Base", at(12, 0)), RangeError);
});

Deno.test("isOpen: the same instant is open in Tokyo and closed in New York", () => {
  // 01:00 UTC on Wednesday: 10:00 Wednesday in Tokyo, 20:00 Tuesday in New York.
  const instant = utc(2026, 11, 25, 1);
  assert.equal(isOpen(WEEKDAYS, "Asia/Tokyo", instant), true);
  assert.equal(isOpen(WEEKDAYS, "America/New_York", instant), false);
  // Friday 23:30 UTC is already Saturday in Tokyo, still Friday 18:30 in New York.
  const friday = parseBusinessHours("Fri 00:00-24:00");
  assert.equal(isOpen(friday, "Asia/Tokyo", utc(2026, 11, 27, 23, 30)), false);
  assert.equal(isOpen(friday, "America/New_York", utc(2026, 11, 27, 23, 30)), true);
  // Kathmandu is UTC+5:45: 09:00 there is 03:15 UTC.
  assert.equal(isOpen(WEEKDAYS, "Asia/Kathmandu", utc(2026, 11, 25, 3, 15)), true);
  assert.equal(isOpen(WEEKDAYS, "Asia/Kathmandu", utc(2026, 11, 25, 3, 14)), false);
});

Deno.test("isOpen: 24:00 ends the day; Mon 22:00-24:00 + Tue 00:00-06:00 spans the night", () => {
  const night = parseBusinessHours("Mon 22:00-24:00, Tue 00:00-06:00");
  // Monday 23 November 2026.
  assert.equal(isOpen(night, "UTC", utc(2026, 11, 23, 21, 59)), false);
  assert.equal(isOpen(night, "UTC", utc(2026, 11, 23, 22, 0)), true);
  assert.equal(isOpen(night, "UTC", utc(2026, 11, 23, 23, 59, 59)), true);
  assert.equal(isOpen(night, "UTC", utc(2026, 11, 24, 0, 0)), true);
  assert.equal(isOpen(night, "UTC", utc(2026, 11, 24, 5, 59)), true);
  assert.equal(isOpen(night, "UTC", utc(2026, 11, 24, 6, 0)), false);
  // Tuesday 22:00 is not Monday 22:00.
  assert.equal(isOpen(night, "UTC", utc(2026, 11, 24, 22, 0)), false);
});

Deno.test("nextOpening: now while open; Friday evening gives Monday 09:00", () => {
  const open = utc(2026, 11, 25, 12, 34, 56) + 789;
  assert.equal(nextOpening(WEEKDAYS, "UTC", open), open);
  // Friday 27 November 2026, 18:00 Berlin (17:00 UTC) → Monday 30 November 09:00 (08:00 UTC).
  assert.equal(nextOpening(WEEKDAYS, "Europe/Berlin", utc(2026, 11, 27, 17)), utc(2026, 11, 30, 8));
  assert.equal(nextOpening(WEEKDAYS, "Europe/Berlin", utc(2026, 11, 28, 23)), utc(2026, 11, 30, 8));
  // Thursday 18:00 → Friday 09:00; a minute before opening → exactly the opening.
  assert.equal(nextOpening(WEEKDAYS, "UTC", utc(2026, 11, 26, 18)), utc(2026, 11, 27, 9));
  assert.equal(nextOpening(WEEKDAYS, "UTC", utc(2026, 11, 27, 8, 59, 30)), utc(2026, 11, 27, 9));
  assert.equal(
    nextOpening(WEEKDAYS, "Asia/Kathmandu", utc(2026, 11, 25, 3)),
    utc(2026, 11, 25, 3, 15),
  );
  assert.equal(nextOpening({ periods: [] }, "UTC", open), undefined);
});

Deno.test("nextOpening: the week wraps; wrapped day ranges", () => {
  const monday = parseBusinessHours("Mon 09:00-10:00");
  // Sunday 29 November → Monday 30 November; Monday 10:00 → the Monday after.
  assert.equal(nextOpening(monday, "UTC", utc(2026, 11, 29, 20)), utc(2026, 11, 30, 9));
  assert.equal(nextOpening(monday, "UTC", utc(2026, 11, 30, 10)), utc(2026, 12, 7, 9));
  const weekend = parseBusinessHours("Fri-Mon 10:00-12:00");
  // Monday 23 November 12:00 → Friday 27 November 10:00; Saturday 12:00 → Sunday 10:00.
  assert.equal(nextOpening(weekend, "UTC", utc(2026, 11, 23, 12)), utc(2026, 11, 27, 10));
  assert.equal(nextOpening(weekend, "UTC", utc(2026, 11, 24, 9)), utc(2026, 11, 27, 10));
  assert.equal(nextOpening(weekend, "UTC", utc(2026, 11, 28, 12)), utc(2026, 11, 29, 10));
  // Across the year's end: Thursday 31 December 2026 → Friday 1 January 2027.
  assert.equal(nextOpening(weekend, "UTC", utc(2026, 12, 31, 23)), utc(2027, 1, 1, 10));
});

Deno.test("nextOpening: 24:00 and a night split in two", () => {
  const night = parseBusinessHours("Mon 22:00-24:00, Tue 00:00-06:00");
  assert.equal(nextOpening(night, "UTC", utc(2026, 11, 24, 6)), utc(2026, 11, 30, 22));
  assert.equal(
    nextOpening(night, "UTC", utc(2026, 11, 23, 23, 59, 59)),
    utc(2026, 11, 23, 23, 59, 59),
  );
  const late = parseBusinessHours("Sat 23:00-24:00");
  // Moscow is UTC+3: Saturday 23:00 there is 20:00 UTC.
  assert.equal(nextOpening(late, "Europe/Moscow", utc(2026, 11, 28, 21)), utc(2026, 12, 5, 20));
  assert.equal(
    nextOpening(late, "Europe/Moscow", utc(2026, 11, 28, 19, 59)),
    utc(2026, 11, 28, 20),
  );
});

Deno.test("nextOpening: exact across Berlin's daylight saving changes", () => {
  const berlin = "Europe/Berlin";
  // Clocks go forward on Sunday 29 March 2026 at 01:00 UTC (02:00 CET → 03:00 CEST).
  // Friday 27 March 18:00 CET → Monday 30 March 09:00 CEST = 07:00 UTC.
  assert.equal(nextOpening(WEEKDAYS, berlin, utc(2026, 3, 27, 17)), utc(2026, 3, 30, 7));
  // A period starting in the skipped hour opens when the clocks jump into it.
  const skipped = parseBusinessHours("Sun 02:30-04:00");
  assert.equal(nextOpening(skipped, berlin, utc(2026, 3, 28, 12)), utc(2026, 3, 29, 1));
  assert.equal(isOpen(skipped, berlin, utc(2026, 3, 29, 0, 59, 59)), false);
  assert.equal(isOpen(skipped, berlin, utc(2026, 3, 29, 1)), true);
  // A period wholly in the skipped hour does not happen: the next Sunday's does.
  const lost = parseBusinessHours("Sun 02:00-02:30");
  assert.equal(nextOpening(lost, berlin, utc(2026, 3, 28, 12)), utc(2026, 4, 5, 0));
  // Clocks go back on Sunday 25 October 2026 at 01:00 UTC (03:00 CEST → 02:00 CET).
  // Friday 23 October 18:00 CEST → Monday 26 October 09:00 CET = 08:00 UTC.
  assert.equal(nextOpening(WEEKDAYS, berlin, utc(2026, 10, 23, 16)), utc(2026, 10, 26, 8));
  // A period in the repeated hour happens twice: 00:15 UTC (CEST) and 01:15 UTC (CET).
  const repeated = parseBusinessHours("Sun 02:15-02:45");
  assert.equal(nextOpening(repeated, berlin, utc(2026, 10, 24, 12)), utc(2026, 10, 25, 0, 15));
  assert.equal(nextOpening(repeated, berlin, utc(2026, 10, 25, 0, 50)), utc(2026, 10, 25, 1, 15));
  assert.equal(nextOpening(repeated, berlin, utc(2026, 10, 25, 1, 50)), utc(2026, 11, 1, 1, 15));
  // Closed at 02:30 CEST, open again when the clocks go back to 02:00.
  const across = parseBusinessHours("Sun 01:30-02:30");
  assert.equal(isOpen(across, berlin, utc(2026, 10, 25, 0, 30)), false);
  assert.equal(nextOpening(across, berlin, utc(2026, 10, 25, 0, 40)), utc(2026, 10, 25, 1));
});

Deno.test("nextOpening: New York and Lord Howe (a half-hour shift) change clocks", () => {
  // New York: Sunday 8 March 2026, 02:00 EST → 03:00 EDT (07:00 UTC).
  const ny = "America/New_York";
  const sunday = parseBusinessHours("Sun 02:00-03:30");
  assert.equal(nextOpening(sunday, ny, utc(2026, 3, 7, 12)), utc(2026, 3, 8, 7));
  // Friday 6 March 18:00 EST → Monday 9 March 09:00 EDT = 13:00 UTC.
  assert.equal(nextOpening(WEEKDAYS, ny, utc(2026, 3, 6, 23)), utc(2026, 3, 9, 13));
  // Lord Howe goes from UTC+10:30 to UTC+11 on Sunday 4 October 2026 at 02:00 local
  // (15:30 UTC on Saturday): 02:00-02:30 does not exist, 02:15 opens at the jump.
  const lordHowe = "Australia/Lord_Howe";
  const early = parseBusinessHours("Sun 02:15-03:00");
  assert.equal(nextOpening(early, lordHowe, utc(2026, 10, 3, 12)), utc(2026, 10, 3, 15, 30));
});

Deno.test("nextOpening agrees with a minute-by-minute search around clock changes", () => {
  const random = mulberry32(20261125);
  const zones = ["Europe/Berlin", "America/New_York", "Asia/Kathmandu", "UTC"];
  // Days around the 2026 changes in Berlin and New York.
  const around = [utc(2026, 3, 8), utc(2026, 3, 29), utc(2026, 10, 25), utc(2026, 11, 1)];
  for (let run = 0; run < 24; run++) {
    const groups = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
      const day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][Math.floor(random() * 7)];
      const start = Math.floor(random() * 48) * 30;
      const end = Math.min(1440, start + 15 + Math.floor(random() * 8) * 45);
      const hhmm = (m: number) =>
        `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
      return `${day} ${hhmm(start)}-${hhmm(end)}`;
    });
    const schedule = parseBusinessHours(groups.join(", "));
    const tz = zones[run % zones.length];
    const now = around[Math.floor(random() * around.length)] +
      Math.floor((random() - 0.7) * 8 * DAY);
    assert.equal(
      nextOpening(schedule, tz, now),
      bruteNextOpening(schedule, tz, now),
      `${groups.join(", ")} in ${tz} after ${new Date(now).toISOString()}`,
    );
  }
});

Deno.test("formatOpening: weekday, date, time and the zone as people name it", () => {
  const monday = utc(2026, 11, 30, 8);
  assert.equal(formatOpening(monday, "Europe/Berlin", "en"), "Mon, 30 Nov, 09:00 Berlin time");
  assert.equal(
    formatOpening(monday, "Europe/Berlin", "ru"),
    "пн, 30 нояб., 09:00 по берлинскому времени",
  );
  assert.equal(formatOpening(monday, "UTC", "en"), "Mon, 30 Nov, 08:00 (UTC)");
  // The local date, not the UTC one: Sunday 23:30 UTC is Monday 02:30 in Moscow.
  const late = utc(2026, 11, 29, 23, 30);
  assert.equal(formatOpening(late, "Europe/Moscow", "en"), "Mon, 30 Nov, 02:30 Moscow time");
  assert.equal(
    formatOpening(late, "Europe/Moscow", "ru"),
    "пн, 30 нояб., 02:30 по московскому времени",
  );
  assert.equal(formatOpening(late, "UTC", "ru"), "вс, 29 нояб., 23:30 (UTC)");
  // A zone without a name: its offset at that instant, never its IANA id.
  assert.equal(formatOpening(monday, "Asia/Kolkata", "en"), "Mon, 30 Nov, 13:30 (UTC+5:30)");
  assert.equal(formatOpening(monday, "America/Chicago", "ru"), "пн, 30 нояб., 02:00 (UTC-6)");
  // Midnight is 00:00, not 24:00.
  assert.equal(
    formatOpening(utc(2026, 5, 2, 22), "Europe/Berlin", "en"),
    "Sun, 3 May, 00:00 Berlin time",
  );
  assert.equal(
    formatOpening(utc(2026, 5, 2, 22), "Europe/Berlin", "ru"),
    "вс, 3 мая, 00:00 по берлинскому времени",
  );
});
