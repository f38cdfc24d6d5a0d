/**
 * The fuzzer's seeded randomness: {@link Rng} over mulberry32, and the seed of a run
 * ({@link seedFromEnv}: `FUZZ_SEED`, or a fixed default), so that a run can be replayed.
 *
 * @module
 */
import { mulberry32 } from "../../tools/emulator/random.ts";

const DEFAULT_SEED = 0x5eed_2024;

/** Seeded random choices: floats, integers, coins, picks and weighted picks. */
export class Rng {
  readonly #next: () => number;
  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }
  /** A float in [0, 1). */
  float(): number {
    return this.#next();
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.#next() * n);
  }
  /** An integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  chance(p: number): boolean {
    return this.#next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  /** Picks by weight: `[[weight, value], ...]`. */
  weighted<T>(table: readonly (readonly [number, T])[]): T {
    const total = table.reduce((sum, [w]) => sum + w, 0);
    let r = this.float() * total;
    for (const [w, value] of table) {
      r -= w;
      if (r < 0) return value;
    }
    return table[table.length - 1][1];
  }
}

/** The seed of this run: `FUZZ_SEED` when set, else the default. */
export function seedFromEnv(): number {
  const raw = Deno.env.get("FUZZ_SEED");
  if (raw === undefined || raw.trim() === "") return DEFAULT_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${raw}`);
  return seed;
}
