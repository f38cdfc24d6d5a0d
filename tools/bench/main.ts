/**
 * `deno task bench [name…]`: runs the benchmarks (all, or those named) and prints a table of
 * figures. A benchmark never fails on a timing; the "met" column only compares a figure with
 * the target of issue 4. See tools/bench/README.md.
 *
 * @module
 */
import { burst } from "./burst.ts";
import { business } from "./business.ts";
import { type Benchmark, loadAverage, type Row } from "./common.ts";
import { cold } from "./cold.ts";
import { floorBench } from "./floor.ts";
import { mixed } from "./mixed.ts";
import { relay, throughput } from "./relay.ts";
import { routing, scale } from "./scale.ts";
import { team } from "./team.ts";

const ALL: readonly Benchmark[] = [
  cold,
  relay,
  throughput,
  burst,
  mixed,
  scale,
  routing,
  team,
  floorBench,
  business,
];

/** Formats rows as a Markdown table. */
export function table(rows: readonly Row[]): string {
  const cells = rows.map((r) => [
    r.bench,
    r.figure,
    r.value,
    r.target ?? "",
    r.met === undefined ? "" : r.met ? "yes" : "NO",
  ]);
  const head = ["bench", "figure", "value", "target", "met"];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)]
    .join("\n");
}

async function main(): Promise<number> {
  const names = Deno.args.filter((a) => !a.startsWith("-"));
  const unknown = names.filter((n) => !ALL.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(", ")}; one of: ${ALL.map((b) => b.name)}`);
    return 2;
  }
  const chosen = names.length === 0 ? ALL : ALL.filter((b) => names.includes(b.name));
  const rows: Row[] = [];
  console.log(`load average before: ${loadAverage()} (${navigator.hardwareConcurrency} cores)`);
  for (const bench of chosen) {
    console.log(`\n## ${bench.name}: ${bench.about} (load ${loadAverage()})`);
    const started = Date.now();
    try {
      const got = await bench.run();
      rows.push(...got);
      console.log(table(got));
    } catch (error) {
      console.error(`${bench.name} failed: ${(error as Error).stack ?? error}`);
      rows.push({ bench: bench.name, figure: "error", value: (error as Error).message });
    }
    console.log(`(${bench.name} took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  console.log(`\n## all figures (load average after: ${loadAverage()})\n`);
  console.log(table(rows));
  return 0;
}

if (import.meta.main) Deno.exit(await main());
