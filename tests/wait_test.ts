/**
 * The waiting helpers of `src/base/wait.ts`: a pause cut short by an abort, and the doubling
 * delay of a retry with its ceiling. Error text of `src/base/errors.ts` too.
 */
import assert from "node:assert/strict";
import { errorText } from "../src/base/errors.ts";
import { doubling, sleep } from "../src/base/wait.ts";

Deno.test("doubling: the first delay, doubled at each attempt, never above the ceiling", () => {
  assert.deepEqual([1, 2, 3, 4].map((a) => doubling(a, 250, 30_000)), [250, 500, 1000, 2000]);
  assert.equal(doubling(8, 250, 30_000), 30_000);
  assert.equal(doubling(10_000, 250, 30_000), 30_000);
  assert.equal(doubling(0, 250, 30_000), 250);
});

Deno.test("sleep: the whole time when nothing aborts, cut short by an abort, never rejected", async () => {
  assert.equal(await sleep(1), true);
  const controller = new AbortController();
  const cut = sleep(60_000, controller.signal);
  controller.abort(new Error("stopped"));
  assert.equal(await cut, false);
  assert.equal(await sleep(60_000, controller.signal), false, "already aborted");
});

Deno.test("errorText: an Error's message, anything else as a string", () => {
  assert.equal(errorText(new TypeError("bad")), "bad");
  assert.equal(errorText("plain"), "plain");
  assert.equal(errorText(42), "42");
});
