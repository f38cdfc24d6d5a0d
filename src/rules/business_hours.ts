/**
 * Business hours: when the desk is staffed, in the desk's IANA time zone. Pure functions of a
 * parsed schedule, a time zone and an instant (ms since epoch); no Telegram, no database.
 *
 * A schedule is written as groups separated by `,` or `;`, each a day or a day range and one
 * time range: `Mon-Fri 09:00-18:00, Sat 10:00-14:00`. Day ranges may wrap (`Fri-Mon`); times
 * are 24-hour `HH:MM`, `24:00` only as an end. A range never crosses midnight: an overnight
 * shift is written as two groups, `Mon 22:00-24:00, Tue 00:00-06:00`.
 *
 * Times are local wall-clock times in the zone, so daylight saving time is followed: on the
 * day the clocks go forward a period starting in the skipped hour opens when the clocks jump
 * into it; on the day they go back, the repeated hour counts twice.
 *
 * @module
 */
import { type Language, LOCALES, texts } from "../texts/mod.ts";
import { localTime as wallClock, zoneOffset } from "../base/time.ts";

/** The days of the week as written in a schedule, Monday first (index 0). */
export const WEEKDAYS: readonly string[] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** One weekly open period: a day and minutes since local midnight, `start` < `end`. */
export interface Period {
  /** Day of the week, 0 = Monday … 6 = Sunday. */
  readonly day: number;
  /** Opening minute of the day, 0 … 1439. */
  readonly start: number;
  /** Closing minute of the day (exclusive), 1 … 1440. */
  readonly end: number;
}

/** A weekly schedule: the desk is open when the local time falls in any of the periods. */
export interface Schedule {
  readonly periods: readonly Period[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const EXAMPLE = '"Mon-Fri 09:00-18:00"';

/**
 * Parses a schedule such as `Mon-Fri 09:00-18:00, Sat 10:00-14:00`. Day names are English,
 * three letters, any case. Throws an `Error` whose message names the bad part, meant to follow
 * the setting's name, e.g. `unknown day "Mox" in "Mox-Fri 09:00-18:00"; days are Mon Tue Wed
 * Thu Fri Sat Sun`. An empty or blank spec, or an empty group (`Mon 09:00-18:00,`), is an error
 * too: leave the setting unset for "always open".
 */
export function parseBusinessHours(spec: string): Schedule {
  if (spec.trim() === "") throw new Error(`empty schedule; expected e.g. ${EXAMPLE}`);
  const periods: Period[] = [];
  for (const raw of spec.split(/[,;]/)) {
    const group = raw.trim();
    if (group === "") throw new Error(`empty group in "${spec.trim()}"`);
    periods.push(...parseGroup(group));
  }
  return { periods };
}

/** Parses one group, `<day or day range> <HH:MM>-<HH:MM>`, into one period per day. */
function parseGroup(group: string): Period[] {
  const digit = group.search(/\d/);
  if (digit < 0) throw new Error(`no hours in "${group}"; expected e.g. ${EXAMPLE}`);
  const daysPart = group.slice(0, digit).trim();
  if (daysPart === "") throw new Error(`no days in "${group}"; expected e.g. ${EXAMPLE}`);
  const days = parseDays(daysPart, group);
  const { start, end } = parseTimeRange(group.slice(digit).trim(), group);
  return days.map((day) => ({ day, start, end }));
}

/** Parses `Mon` or `Mon-Fri` (wrapping allowed: `Fri-Mon`) into day indexes, in week order. */
function parseDays(text: string, group: string): number[] {
  const names = text.split("-").map((s) => s.trim());
  if (names.length > 2 || names.some((n) => n === "")) {
    throw new Error(`bad days "${text}" in "${group}"; expected a day or a range like Mon-Fri`);
  }
  const [first, last] = names.map((name) => dayIndex(name, group));
  if (last === undefined) return [first];
  const count = ((last - first + 7) % 7) + 1;
  return Array.from({ length: count }, (_, i) => (first + i) % 7);
}

/** The index of a three-letter English day name, any case; throws naming the bad name. */
function dayIndex(name: string, group: string): number {
  const index = WEEKDAYS.findIndex((d) => d.toLowerCase() === name.toLowerCase());
  if (index < 0) {
    throw new Error(`unknown day "${name}" in "${group}"; days are ${WEEKDAYS.join(" ")}`);
  }
  return index;
}

/** Parses `09:00-18:00` into minutes of the day; the end must be after the start. */
function parseTimeRange(text: string, group: string): { start: number; end: number } {
  const match = /^(\S+?)\s*-\s*(\S+)$/.exec(text);
  if (match === null) {
    throw new Error(`bad hours "${text}" in "${group}"; expected e.g. 09:00-18:00`);
  }
  const start = parseTime(match[1], group, false);
  const end = parseTime(match[2], group, true);
  if (end <= start) {
    throw new Error(
      `end ${match[2]} is not after start ${match[1]} in "${group}"; ` +
        `split a range over midnight in two, e.g. "Mon 22:00-24:00, Tue 00:00-06:00"`,
    );
  }
  return { start, end };
}

/** Parses `HH:MM` (24-hour; `24:00` only when `isEnd`) into minutes since midnight. */
function parseTime(text: string, group: string, isEnd: boolean): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  const minutes = match === null ? NaN : Number(match[1]) * 60 + Number(match[2]);
  const valid = match !== null && Number(match[2]) < 60 &&
    (minutes < 24 * 60 || (isEnd && minutes === 24 * 60));
  if (!valid) {
    const hint = isEnd ? "00:01 to 24:00" : "00:00 to 23:59";
    throw new Error(`bad time "${text}" in "${group}"; expected HH:MM from ${hint}`);
  }
  return minutes;
}

/** Whether `tz` is an IANA time zone name the runtime knows, such as `Europe/Moscow`. */
export function validTimeZone(tz: string): boolean {
  if (tz.trim() === "") return false;
  try {
    wallClock(0, tz);
    return true;
  } catch {
    return false;
  }
}

/** A local date and time in some zone. `weekday`: 0 = Monday. */
interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
  /** Minutes since local midnight. */
  readonly minute: number;
  /** The wall time read as if it were UTC, to the second (ms). */
  readonly wall: number;
}

/** The local wall time in `tz` at the instant `ms`, with the weekday and minute of the day. */
function localTime(ms: number, tz: string): LocalTime {
  const { year, month, day, hour, minute, second } = wallClock(ms, tz);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const weekday = (new Date(wall).getUTCDay() + 6) % 7;
  return { year, month, day, weekday, minute: hour * 60 + minute, wall };
}

/**
 * Whether the desk is open at the instant `now` (ms since epoch), judged by the local time in
 * the IANA zone `timeZone`: open from a period's start minute up to, not including, its end.
 * Throws `RangeError` for an unknown zone (check it with {@link validTimeZone} first).
 */
export function isOpen(schedule: Schedule, timeZone: string, now: number): boolean {
  const local = localTime(now, timeZone);
  return schedule.periods.some((p) =>
    p.day === local.weekday && p.start <= local.minute && local.minute < p.end
  );
}

/**
 * The instant (ms since epoch) the desk next opens: `now` itself while open; `undefined` when
 * the schedule has no period. Exact to the minute across daylight saving changes: when the
 * clocks jump forward into a period, the desk opens at the jump.
 */
export function nextOpening(schedule: Schedule, timeZone: string, now: number): number | undefined {
  if (schedule.periods.length === 0) return undefined;
  if (isOpen(schedule, timeZone, now)) return now;
  // Two weeks always hold an opening: a week whose only period falls into a skipped hour is
  // followed by one without a clock change.
  const horizon = now + 15 * DAY;
  const today = localTime(now, timeZone);
  const midnight = Date.UTC(today.year, today.month - 1, today.day);
  let best: number | undefined;
  const consider = (candidate: number) => {
    if (candidate > now && (best === undefined || candidate < best)) {
      if (isOpen(schedule, timeZone, candidate)) best = candidate;
    }
  };
  // Local time is continuous except at offset changes, so the desk opens either when the
  // wall clock reads a period's start, or at an offset change.
  for (let d = -1; d <= 15; d++) {
    const date = midnight + d * DAY;
    const weekday = (new Date(date).getUTCDay() + 6) % 7;
    for (const period of schedule.periods) {
      if (period.day !== weekday) continue;
      for (const instant of wallToInstants(date + period.start * MINUTE, timeZone)) {
        consider(instant);
      }
    }
  }
  for (const change of offsetChanges(timeZone, now, horizon)) consider(change);
  return best;
}

/**
 * Every instant at which the wall clock in `tz` reads `wall` (a wall time read as if UTC):
 * none in a skipped hour, two in a repeated hour, otherwise one; earliest first.
 */
function wallToInstants(wall: number, tz: string): number[] {
  // The instant lies within about a day of `wall`; at most one offset change happens there.
  const offsets = new Set([-DAY, 0, DAY].map((shift) => zoneOffset(wall + shift, tz)));
  const instants = [...offsets]
    .map((offset) => wall - offset)
    .filter((instant) => localTime(instant, tz).wall === wall);
  return [...new Set(instants)].sort((a, b) => a - b);
}

/** The instants in (`from`, `to`] when the offset of `tz` changes, to the second. */
function offsetChanges(tz: string, from: number, to: number): number[] {
  const step = 3 * HOUR;
  const changes: number[] = [];
  let before = zoneOffset(from, tz);
  for (let t = from; t < to; t += step) {
    const next = Math.min(t + step, to);
    const after = zoneOffset(next, tz);
    if (after !== before) changes.push(firstWithOffset(tz, t, next, after));
    before = after;
  }
  return changes;
}

/** The first whole second in (`lo`, `hi`] whose offset is `offset`; `hi` has it, `lo` not. */
function firstWithOffset(tz: string, lo: number, hi: number, offset: number): number {
  let low = Math.floor(lo / 1000);
  let high = Math.floor(hi / 1000);
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (zoneOffset(mid * 1000, tz) === offset) high = mid;
    else low = mid;
  }
  return high * 1000;
}

/**
 * An opening instant for people: weekday, date and time in the zone, then the zone as people
 * name it (`zoneTime` of the texts), e.g. `Mon, 30 Nov, 09:00 Moscow time` or `пн, 30 нояб.,
 * 09:00 по московскому времени`; a zone the texts have no name for, by its offset from UTC at
 * that instant: `Mon, 30 Nov, 09:00 (UTC+3)`.
 */
export function formatOpening(ms: number, timeZone: string, language: Language): string {
  const formatter = new Intl.DateTimeFormat(LOCALES[language], {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatter.formatToParts(ms)) parts[part.type] = part.value;
  const { weekday, day, month, hour, minute } = parts;
  return texts(language).zoneTime(
    `${weekday}, ${day} ${month}, ${hour}:${minute}`,
    timeZone,
    utcOffset(zoneOffset(ms, timeZone)),
  );
}

/** An offset from UTC as people write it: `UTC`, `UTC+3`, `UTC-5`, `UTC+5:30`. */
export function utcOffset(offsetMs: number): string {
  const minutes = Math.round(offsetMs / 60_000);
  if (minutes === 0) return "UTC";
  const whole = Math.abs(minutes);
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  return `UTC${minutes < 0 ? "-" : "+"}${hours}${
    rest === 0 ? "" : `:${String(rest).padStart(2, "0")}`
  }`;
}
