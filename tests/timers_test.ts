/**
 * Repeating work (`src/base/timers.ts`), with real timers: a tick that throws or rejects is logged
 * and the work runs again; nothing of it escapes (an uncaught error would fail this test).
 */
import assert from "node:assert/strict";
import { createLogger } from "../src/base/log.ts";
import { every } from "../src/base/timers.ts";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("every: a throwing or rejecting tick is logged and the work goes on", async () => {
  const lines: string[] = [];
  const log = createLogger("info", "json", (line) => lines.push(line));
  let runs = 0;
  const repeating = every(5, "test.failed", () => {
    runs++;
    if (runs % 2 === 1) throw new Error(`sync failure ${runs}`);
    return Promise.reject(new Error(`async failure ${runs}`));
  }, log);
  await wait(80);
  repeating.stop();
  const stoppedAt = runs;
  await wait(30);
  assert.ok(stoppedAt >= 4, `ran ${stoppedAt} times`);
  assert.equal(runs, stoppedAt, "stop() stops it");
  const logged = lines.map((line) => JSON.parse(line));
  assert.equal(logged.length, runs);
  assert.ok(logged.every((l) => l.event === "test.failed" && l.level === "error"));
  assert.match(logged[0].error, /sync failure 1/);
  assert.match(logged[1].error, /async failure 2/);
});

Deno.test("every: a tick does not start while the previous one still runs", async () => {
  let running = 0;
  let most = 0;
  let runs = 0;
  const repeating = every(2, "test.failed", async () => {
    running++;
    runs++;
    most = Math.max(most, running);
    await wait(15);
    running--;
  }, createLogger("error", "text", () => {}));
  await wait(70);
  repeating.stop();
  await wait(20);
  assert.ok(runs >= 2, `ran ${runs} times`);
  assert.equal(most, 1);
});
