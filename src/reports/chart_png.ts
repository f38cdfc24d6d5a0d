/**
 * The chart of `/stats` as a PNG: the SVG of `chart.ts` drawn by resvg compiled to WebAssembly
 * ({@link renderChart}): no browser, no native build, no system fonts. The WebAssembly and the
 * font (PT Sans, SIL Open Font License 1.1, from the `@expo-google-fonts/pt-sans` package;
 * Cyrillic included) are imported as bytes, so they are part of the program itself: in
 * `deno compile`'s single binary and in the distroless image alike, nothing is read from disk.
 * Kept apart from `chart.ts` so that the outbox loads it (with its megabytes) on the first
 * chart only, not at every start.
 *
 * @module
 */
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import wasm from "@resvg/resvg-wasm/index_bg.wasm" with { type: "bytes" };
import regular from "@expo-google-fonts/pt-sans/400Regular/PTSans_400Regular.ttf" with {
  type: "bytes",
};
import bold from "@expo-google-fonts/pt-sans/700Bold/PTSans_700Bold.ttf" with { type: "bytes" };
import type { Language } from "../texts/mod.ts";
import { CHART_DAYS, type ChartDay, chartSvg, FONT } from "./chart.ts";

let ready: Promise<void> | undefined;

/** Starts resvg's WebAssembly once (the first chart pays for it, later ones do not). */
function started(): Promise<void> {
  ready ??= initWasm(wasm).catch((error) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

/** The pictures drawn last, by their SVG (which fixes every pixel): asked again, not redrawn. */
const drawn = new Map<string, Uint8Array>();
const DRAWN_KEPT = 8;

/**
 * The chart of `days` as a PNG of 800 × 600 pixels (`chart.ts`). Its cost
 * is bounded: {@link CHART_DAYS} days, a fixed size, two fonts; the same figures asked again
 * (an agent repeating `/stats`) are not drawn again.
 */
export async function renderChart(
  days: readonly ChartDay[],
  language: Language,
): Promise<Uint8Array> {
  if (days.length > CHART_DAYS) {
    throw new RangeError(`at most ${CHART_DAYS} days, not ${days.length}`);
  }
  const svg = chartSvg(days, language);
  const known = drawn.get(svg);
  if (known) return known.slice();
  await started();
  const resvg = new Resvg(svg, {
    font: { fontBuffers: [regular, bold], defaultFontFamily: FONT, sansSerifFamily: FONT },
    fitTo: { mode: "original" },
  });
  let png: Uint8Array;
  try {
    const image = resvg.render();
    try {
      png = image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
  drawn.set(svg, png);
  if (drawn.size > DRAWN_KEPT) drawn.delete(drawn.keys().next().value!);
  return png.slice();
}
