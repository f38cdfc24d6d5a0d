/**
 * Steps of the wall clock under the real bot (issue 11), with the bot's clock injected: a step
 * back of an hour neither stalls relaying nor a wait for `retry_after`; a step forward does
 * not cut such a wait short (which would burst past Telegram's limits). Waits, backoffs and
 * rate limits are measured on the monotonic clock; stored retry times move with a step.
 */
import assert from "node:assert/strict";
import type { Clock } from "../src/base/clock.ts";
import {
  type Harness,
  introduce,
  registerAgent,
  settled,
  waitForText,
  withHarness,
} from "./support/harness.ts";
import { user } from "./support/telegram.ts";

const client = user(7501, "Ivan");
const agent = user(7601, "Agent", { last_name: "Clock" });
const HOUR = 3600_000;

/** A clock whose wall time a test steps; its monotonic time is the system's. */
function steppingClock(): Clock & { step(ms: number): void } {
  let skew = 0;
  return {
    now: () => Date.now() + skew,
    monotonic: () => performance.now(),
    step(ms) {
      skew += ms;
    },
  };
}

async function inDialog(h: Harness): Promise<void> {
  await registerAgent(h.tg, agent);
  await introduce(h.tg, client, "Иван");
  const after = h.tg.calls.length;
  h.tg.sendText(client, "hello");
  await waitForText(h.tg, agent.id, "hello", after);
  await settled(h);
}

/** When (fake's `performance.now()`) the agent got a text holding `part`, after call `after`. */
function arrival(h: Harness, part: string, after: number): number {
  const call = h.tg.calls.slice(after).find((c) =>
    c.ok && Number(c.params.chat_id) === agent.id && String(c.params.text ?? "").includes(part)
  );
  assert.ok(call, `nothing with ${part}`);
  return call.at;
}

Deno.test("the wall clock steps back an hour: relaying goes on at Telegram's pace", () => {
  const clock = steppingClock();
  return withHarness(
    async (h) => {
      await inDialog(h);
      // Some sends so that the per-chat limiter has booked slots ahead.
      for (let i = 1; i <= 3; i++) h.tg.sendText(client, `before ${i}`);
      await waitForText(h.tg, agent.id, "before 3");
      clock.step(-HOUR);
      const after = h.tg.calls.length;
      const start = performance.now();
      for (let i = 1; i <= 5; i++) h.tg.sendText(client, `after step ${i}`);
      await waitForText(h.tg, agent.id, "after step 5", after, 20_000);
      // 1 message a second after a burst of 3: about 5 s, never the hour of the step.
      assert.ok(performance.now() - start < 15_000);
    },
    { RATE_LIMIT_PER_CHAT: "1", RATE_LIMIT_BURST: "3", RATE_LIMIT_GLOBAL: "30" },
    { clock },
  );
});

Deno.test("a wait for retry_after keeps its length when the wall clock steps either way", () => {
  const clock = steppingClock();
  return withHarness(
    async (h) => {
      await inDialog(h);
      for (const step of [-HOUR, HOUR]) {
        const label = step < 0 ? "back" : "forward";
        h.tg.failNext("sendMessage", { code: 429, retryAfter: 3, chatId: agent.id });
        const after = h.tg.calls.length;
        h.tg.sendText(client, `waits ${label}`);
        const refused = await h.tg.waitForCall("sendMessage", (c) => !c.ok, { after });
        clock.step(step);
        await waitForText(h.tg, agent.id, `waits ${label}`, after, 15_000);
        const waited = arrival(h, `waits ${label}`, after) - refused.at;
        // 3 s asked: neither an hour more (back) nor at once (forward, a second 429).
        assert.ok(waited >= 2_500, `${label}: sent again after ${Math.round(waited)} ms`);
        assert.ok(waited < 10_000, `${label}: sent again after ${Math.round(waited)} ms`);
      }
      assert.equal(h.tg.rateLimited, 0);
      assert.ok(h.logs.some((l) => l.includes("clock.stepped")));
    },
    {},
    { clock },
  );
});
