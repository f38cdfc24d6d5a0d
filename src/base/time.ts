/**
 * Wall-clock time in the desk's time zone (`TIMEZONE`): formatting, the start of a local
 * day, and local dates turned into instants. Pure functions over `Intl`, except in UTC (the
 * default `TIMEZONE`), which needs no time zone data: `Intl.DateTimeFormat` loads ICU's, about
 * 6 MiB of the process's memory.
 *
 * @module
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The local calendar fields of an instant in a time zone. */
export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/**
 * Whether `zone` names UTC (`UTC`, `Etc/UTC`, `GMT`, `Zulu`, `Universal`, any case): the
 * configuration spells each of them "UTC", which needs no time zone data here.
 */
export function isUtcZone(zone: string): boolean {
  return /^(etc\/)?(utc|gmt|zulu|universal)$/i.test(zone.trim());
}

/** Whether `timeZone` is UTC as the configuration spells it. */
function isUtc(timeZone: string): boolean {
  return timeZone === "UTC";
}

/** `HH:MM` of `ms` in `timeZone` (the board's "updated at"). */
export function clockTime(ms: number, timeZone: string): string {
  const t = localTime(ms, timeZone);
  return `${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}`;
}

/** The wall-clock fields of `ms` in `timeZone`. */
export function localTime(ms: number, timeZone: string): LocalTime {
  if (isUtc(timeZone)) {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  const parts: Record<string, number> = {};
  for (const p of format(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/** How far `timeZone` is ahead of UTC at instant `ms`, in milliseconds. */
export function zoneOffset(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The instant of a local wall-clock time in `timeZone` (the earlier one when it repeats). */
export function fromLocal(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  let at = guess - zoneOffset(guess, timeZone);
  // One correction covers a guess that fell on the other side of a DST change.
  at = guess - zoneOffset(at, timeZone);
  return at;
}

/** The start of the local day that holds `now`, in `timeZone`. */
export function startOfLocalDay(now: number, timeZone: string): number {
  const t = localTime(now, timeZone);
  return fromLocal(t.year, t.month, t.day, 0, 0, timeZone);
}

/**
 * The instant a local date `YYYY-MM-DD` begins in `timeZone`, or `undefined` when the text
 * is not a real date.
 */
export function parseLocalDate(text: string, timeZone: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return fromLocal(year, month, day, 0, 0, timeZone);
}

/** Adds `days` calendar days to a local date `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Formats an instant as `YYYY-MM-DD HH:MM` in `timeZone`, followed by the zone's name. */
export function formatTime(ms: number, timeZone = "UTC"): string {
  const t = localTime(ms, timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${t.year}-${two(t.month)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)} ${timeZone}`;
}
