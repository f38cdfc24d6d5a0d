/**
 * Metrics for reports: percentiles, averages and a compact human form of durations. Pure
 * functions; no Telegram, no database.
 *
 * @module
 */
import type { Language } from "../texts/types.ts";

/**
 * The `p`-th percentile (0 … 100) of values sorted ascending, by the nearest-rank method: the
 * smallest value such that at least `p` percent of the values are not greater, i.e. the value
 * at 1-based rank `ceil(p / 100 × n)` (rank 1 for `p` = 0). Always one of the values, never an
 * interpolation. `null` when there are no values. Throws `RangeError` when `p` is outside
 * 0 … 100 or not a number. The input is not checked to be sorted.
 */
export function percentile(sortedAscending: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be from 0 to 100, not ${p}`);
  const n = sortedAscending.length;
  if (n === 0) return null;
  // p × n first: (p / 100) × n picks up rounding errors, e.g. 0.07 × 100 = 7.000000000000001.
  const rank = Math.max(1, Math.ceil((p * n) / 100));
  return sortedAscending[rank - 1];
}

/** The median (nearest-rank 50th percentile: the lower middle for an even count), or `null`. */
export function median(sortedAscending: readonly number[]): number | null {
  return percentile(sortedAscending, 50);
}

/** The arithmetic mean, or `null` when there are no values. */
export function average(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** How many durations there are, with their median and 90th percentile. */
export interface DurationSummary {
  readonly count: number;
  /** Nearest-rank median, `null` when there are no durations. */
  readonly medianMs: number | null;
  /** Nearest-rank 90th percentile, `null` when there are no durations. */
  readonly p90Ms: number | null;
}

/** Summarizes durations in any order (the input is left as it is: a copy is sorted). */
export function summarize(durationsMs: readonly number[]): DurationSummary {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  return { count: sorted.length, medianMs: median(sorted), p90Ms: percentile(sorted, 90) };
}

const UNITS = {
  en: { s: "s", min: "min", h: "h", d: "d" },
  ru: { s: "с", min: "мин", h: "ч", d: "д" },
} as const;

/**
 * A duration in a compact human form, truncated to its two largest units: `45 s`, `12 min`,
 * `3 h 05 min`, `2 d 4 h` (ru: `45 с`, `12 мин`, `3 ч 05 мин`, `2 д 4 ч`); `—` for `null` (and
 * for NaN or an infinity).
 * Truncated, not rounded: 59.9 s is `59 s`. Negative durations (clock skew) count as 0.
 */
export function formatDuration(ms: number | null, language: Language): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  const unit = UNITS[language];
  const seconds = Math.floor(Math.max(0, ms) / 1000);
  if (seconds < 60) return `${seconds} ${unit.s}`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} ${unit.min}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} ${unit.h} ${String(minutes % 60).padStart(2, "0")} ${unit.min}`;
  return `${Math.floor(hours / 24)} ${unit.d} ${hours % 24} ${unit.h}`;
}
