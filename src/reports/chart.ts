/**
 * The picture of `/stats`: tickets per day (bars) and the typical first response of each day
 * (a line) over the last 30 days. The figures are read from the store ({@link chartDays}) and
 * drawn as an SVG written here ({@link chartSvg}, pure); `chart_png.ts` turns it into a PNG.
 *
 * @module
 */
import { fromLocal, localTime } from "../base/time.ts";
import type { Store } from "../store/mod.ts";
import { type Language, LOCALES, texts } from "../texts/mod.ts";
import { median } from "./metrics.ts";

/** How many days the chart shows, today the last. */
export const CHART_DAYS = 30;
/** The picture's size in pixels: wide enough to read on a phone, small enough to send fast. */
export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 600;

/** One day of the chart. */
export interface ChartDay {
  /** The local date, `YYYY-MM-DD`. */
  readonly date: string;
  /** Tickets opened that day. */
  readonly tickets: number;
  /** The median time to the first response of that day's tickets; `null`: none answered. */
  readonly firstResponseMs: number | null;
}

/**
 * The last {@link CHART_DAYS} local days up to `now`'s, of one agent's tickets or (`null`) the
 * team's: one read of the tickets opened since the first day began, counted by day.
 */
export function chartDays(
  store: Pick<Store, "ticketTimes">,
  agentId: number | null,
  now: number,
  timeZone: string,
): ChartDay[] {
  const today = localTime(now, timeZone);
  const dates: string[] = [];
  const starts: number[] = [];
  for (let i = CHART_DAYS - 1; i >= -1; i--) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day - i));
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    starts.push(fromLocal(y, m, d, 0, 0, timeZone));
    if (i >= 0) dates.push(day.toISOString().slice(0, 10));
  }
  const counts = new Array<number>(CHART_DAYS).fill(0);
  const responses: number[][] = dates.map(() => []);
  for (const t of store.ticketTimes(agentId, starts[0])) {
    const i = dayIndex(starts, t.openedAt);
    if (i < 0) continue;
    counts[i]++;
    if (t.firstResponseAt !== null) responses[i].push(Math.max(0, t.firstResponseAt - t.openedAt));
  }
  return dates.map((date, i) => ({
    date,
    tickets: counts[i],
    firstResponseMs: median(responses[i].sort((a, b) => a - b)),
  }));
}

/** The day `at` falls in, by the days' starts (one more than the days); -1: outside them. */
function dayIndex(starts: readonly number[], at: number): number {
  if (at < starts[0] || at >= starts[starts.length - 1]) return -1;
  let low = 0, high = starts.length - 1;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (starts[mid] <= at) low = mid;
    else high = mid;
  }
  return low;
}

/** Axis steps a reader takes in at a glance: 1, 2, 2.5 or 5 times a power of ten. */
function niceStep(rough: number): number {
  if (!(rough > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].find((f) => f * power >= rough)! * power;
  return step;
}

const COLORS = {
  background: "#ffffff",
  text: "#222222",
  muted: "#6b6b6b",
  grid: "#e3e3e3",
  bar: "#3b82c4",
  line: "#e07b00",
} as const;

/** The font the chart is drawn in (bundled by `chart_png.ts`). */
export const FONT = "PT Sans";
const PAD = { left: 64, right: 24 };
const GRID_LINES = 4;

/** Text for SVG: the five characters XML gives meaning to, escaped. */
function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A label at (`x`, `y`). */
function label(
  x: number,
  y: number,
  text: string,
  size: number,
  anchor: "start" | "middle" | "end" = "start",
  color: string = COLORS.muted,
  weight: 400 | 700 = 400,
): string {
  return `<text x="${x}" y="${y}" font-size="${size}" text-anchor="${anchor}" fill="${color}" ` +
    `font-weight="${weight}">${xml(text)}</text>`;
}

/** A panel's frame: its heading, horizontal grid lines with their values, from 0 to `top`. */
function panel(
  top: number,
  height: number,
  max: number,
  heading: string,
  format: (value: number) => string,
): { readonly svg: string; readonly y: (value: number) => number } {
  const step = niceStep(max / GRID_LINES);
  const ceiling = step * GRID_LINES;
  const y = (value: number) => top + height - (Math.min(value, ceiling) / ceiling) * height;
  const parts = [label(PAD.left, top - 18, heading, 24, "start", COLORS.text, 700)];
  for (let i = 0; i <= GRID_LINES; i++) {
    const at = y(step * i);
    parts.push(
      `<line x1="${PAD.left}" y1="${at}" x2="${CHART_WIDTH - PAD.right}" y2="${at}" ` +
        `stroke="${COLORS.grid}" stroke-width="${i === 0 ? 2 : 1}"/>`,
      label(PAD.left - 10, at + 7, format(step * i), 19, "end"),
    );
  }
  return { svg: parts.join(""), y };
}

/**
 * The chart as an SVG document in `language`: the bars of tickets per day above, the line of
 * the typical first response below (in minutes, or hours when a day's is over two hours; a
 * day nobody was answered leaves a gap), a few dates under each.
 */
export function chartSvg(days: readonly ChartDay[], language: Language): string {
  const t = texts(language).chart;
  const numbers = new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 1 });
  const dates = new Intl.DateTimeFormat(LOCALES[language], {
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
  const width = CHART_WIDTH - PAD.left - PAD.right;
  const slot = width / Math.max(1, days.length);
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const dateLabels = (y: number) =>
    days.map((d, i) => {
      if (i % 7 !== (days.length - 1) % 7) return "";
      const [year, month, day] = d.date.split("-").map(Number);
      return label(x(i), y, dates.format(Date.UTC(year, month - 1, day)), 18, "middle");
    }).join("");

  // Tickets per day.
  const bars = panel(
    112,
    170,
    Math.max(4, ...days.map((d) => d.tickets)),
    t.tickets,
    (v) => numbers.format(v),
  );
  const barWidth = Math.max(2, slot * 0.7);
  const barShapes = days.map((d, i) => {
    if (d.tickets === 0) return "";
    const top = bars.y(d.tickets);
    return `<rect x="${(x(i) - barWidth / 2).toFixed(1)}" y="${top.toFixed(1)}" ` +
      `width="${barWidth.toFixed(1)}" height="${(bars.y(0) - top).toFixed(1)}" ` +
      `fill="${COLORS.bar}"/>`;
  }).join("");

  // The typical first response per day.
  const answered = days.flatMap((d) => d.firstResponseMs === null ? [] : [d.firstResponseMs]);
  const hours = Math.max(0, ...answered) > 2 * 3600_000;
  const unitMs = hours ? 3600_000 : 60_000;
  const line = panel(
    392,
    150,
    Math.max(hours ? 4 : 2, ...answered.map((ms) => ms / unitMs)),
    t.firstResponse(hours ? "hours" : "minutes"),
    (v) => numbers.format(v),
  );
  const runs: string[] = [];
  let run: string[] = [];
  const dots: string[] = [];
  days.forEach((d, i) => {
    if (d.firstResponseMs === null) {
      if (run.length > 1) runs.push(run.join(" "));
      run = [];
      return;
    }
    const point = `${x(i).toFixed(1)},${line.y(d.firstResponseMs / unitMs).toFixed(1)}`;
    run.push(point);
    const [cx, cy] = point.split(",");
    dots.push(`<circle cx="${cx}" cy="${cy}" r="4" fill="${COLORS.line}"/>`);
  });
  if (run.length > 1) runs.push(run.join(" "));
  const lineShapes =
    runs.map((points) =>
      `<polyline points="${points}" fill="none" stroke="${COLORS.line}" stroke-width="3" ` +
      `stroke-linejoin="round"/>`
    ).join("") + dots.join("");
  const nothing = answered.length === 0
    ? label(CHART_WIDTH / 2, line.y(0) - 62, t.noReplies, 22, "middle")
    : "";

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" ` +
    `height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" ` +
    `font-family="${FONT}">` +
    `<rect width="${CHART_WIDTH}" height="${CHART_HEIGHT}" fill="${COLORS.background}"/>` +
    label(CHART_WIDTH / 2, 40, t.title, 28, "middle", COLORS.text, 700) +
    bars.svg + barShapes + dateLabels(bars.y(0) + 28) +
    line.svg + lineShapes + nothing + dateLabels(line.y(0) + 28) +
    `</svg>`;
}
