import type { Benchmark } from "./common.ts";
export const scale: Benchmark = { name: "scale", about: "todo", run: () => Promise.resolve([]) };
