/**
 * The tree's floors, held: each folder of `src/` imports only from its own floor's folder or
 * from floors below it (so no import runs back up), no file is part of an import cycle, and
 * nothing in `src/` imports the tools beside the bot (`tools/`: the emulator, the sandbox, the
 * benches) or the tests.
 *
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;

/**
 * The floors of `src/`, from the bottom: a part may import its own files and those of the
 * floors below. `main.ts` and `app.ts` stand on top; `base` and `texts` at the bottom.
 */
const FLOORS: readonly (readonly string[])[] = [
  ["base", "texts"],
  ["rules"],
  ["config"],
  ["store"],
  ["boundary", "reports"],
  ["outbox", "llm"],
  ["desk"],
  ["telegram"],
  ["http"],
  ["app"],
];

const floorOf = (part: string): number => {
  const floor = FLOORS.findIndex((parts) => parts.includes(part));
  assert.ok(floor >= 0, `src/${part} stands on no floor of this test: give it one`);
  return floor;
};

/** The part of `src/` a file belongs to: its folder, or its own name for a loose file. */
function partOf(file: string): string {
  const inside = relative(join(ROOT, "src"), file);
  return inside.includes("/") ? inside.split("/")[0] : inside.replace(/\.ts$/, "");
}

/** Whether `file` importing `target` (both in `src/`) reaches a floor not below its own. */
function runsUp(file: string, target: string): boolean {
  const from = partOf(file), to = partOf(target);
  return to !== from && floorOf(to) >= floorOf(from);
}

async function* sources(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* sources(path);
    else if (/\.ts$/.test(entry.name)) yield path;
  }
}

/**
 * Every relative import (and re-export) of a file, resolved to a path; with `runtime`, only
 * those that load the module when the program runs (not `import type`, which is erased).
 */
async function importsOf(file: string, runtime = false): Promise<string[]> {
  const text = await Deno.readTextFile(file);
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\b([^"';]*?)["'](\.{1,2}\/[^"']+)["']/gm)) {
    if (runtime && /^\s*type\b/.test(m[2])) continue;
    found.push(normalize(join(dirname(file), m[3])));
  }
  return found;
}

async function graph(runtime = false): Promise<Map<string, string[]>> {
  const edges = new Map<string, string[]>();
  for await (const file of sources(join(ROOT, "src"))) {
    edges.set(file, await importsOf(file, runtime));
  }
  return edges;
}

Deno.test("no import in src/ runs back up a floor, and src/ imports no tool and no test", async () => {
  const wrong: string[] = [];
  for (const [file, imports] of await graph()) {
    for (const target of imports) {
      const name = `${relative(ROOT, file)} imports ${relative(ROOT, target)}`;
      if (!target.startsWith(join(ROOT, "src") + "/")) {
        wrong.push(`${name}: outside src/`);
        continue;
      }
      if (runsUp(file, target)) wrong.push(`${name}: not a floor below`);
    }
  }
  assert.deepEqual(wrong, []);
});

// Not even through types: a cycle of types is a knot in the design (the channel's sides are
// generic in their context for that reason). `graph(true)` would keep the runtime ones only.
Deno.test("no file of src/ is part of an import cycle, not even of types", async () => {
  const edges = await graph();
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      const loop = trail.slice(trail.indexOf(file)).concat(file);
      cycles.push(loop.map((f) => relative(ROOT, f)).join(" → "));
      return;
    }
    state.set(file, "open");
    for (const next of edges.get(file) ?? []) visit(next, [...trail, file]);
    state.set(file, "done");
  };
  for (const file of edges.keys()) visit(file, []);
  assert.deepEqual(cycles, []);
});

Deno.test("the floors check can fail: an import up or sideways is caught, one down is not", async () => {
  const at = (path: string) => join(ROOT, "src", path);
  assert.equal(runsUp(at("store/mod.ts"), at("desk/mod.ts")), true);
  assert.equal(runsUp(at("reports/board.ts"), at("boundary.ts")), true);
  assert.equal(runsUp(at("desk/mod.ts"), at("store/mod.ts")), false);
  assert.equal(runsUp(at("desk/team/copies.ts"), at("desk/messages.ts")), false);
  const edges = await graph();
  const seen = [...edges.values()].reduce((n, imports) => n + imports.length, 0);
  assert.ok(seen > 300, `only ${seen} imports read: the pattern misses some`);
});
