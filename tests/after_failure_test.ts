/** What the sender does after a failed delivery (`src/outbox/after_failure.ts`), directly. */
import assert from "node:assert/strict";
import { afterFailure, STAFF_RETRY_MS } from "../src/outbox/after_failure.ts";

const d = { id: 7, chatId: 42, method: "copyMessage", attempts: 2 };

Deno.test("afterFailure: a 429 waits retry_after, counting no try; a capped one says so", () => {
  const plain = afterFailure(d, { kind: "rate_limited", waitMs: 3000 }, { tries: 5 });
  assert.deepEqual(plain.step, {
    kind: "retry",
    waitMs: 3000,
    error: "429: rate limited",
    countAttempt: false,
  });
  assert.deepEqual(plain.logs.map((l) => l.event), ["delivery.rate_limited"]);
  const capped = afterFailure(d, { kind: "rate_limited", waitMs: 3_600_000, cappedFromS: 90_000 }, {
    tries: 5,
  });
  assert.deepEqual(capped.logs.map((l) => l.event), [
    "delivery.retry_after_capped",
    "delivery.rate_limited",
  ]);
});

Deno.test("afterFailure: 403 tells the desk, except for the staff group, never given up", () => {
  const gone = {
    kind: "unreachable",
    status: 403,
    description: "Forbidden: bot was blocked",
  } as const;
  assert.deepEqual(afterFailure(d, gone, { tries: 5 }).step, {
    kind: "unreachable",
    reason: "Forbidden: bot was blocked",
  });
  const staff = afterFailure({ ...d, chatId: -100123 }, gone, { tries: 5, staffChatId: -100123 });
  assert.deepEqual(staff.step, {
    kind: "retry",
    waitMs: STAFF_RETRY_MS,
    error: "Forbidden: bot was blocked",
    countAttempt: false,
  });
  assert.equal(staff.logs[0].level, "error");
  assert.equal(staff.logs[0].event, "staff_group.unreachable");
});

Deno.test("afterFailure: another 4xx is rejected; a 5xx backs off until its tries run out", () => {
  const bad = { kind: "rejected", status: 400, description: "Bad Request: x" } as const;
  assert.deepEqual(afterFailure(d, bad, { tries: 5 }).step, {
    kind: "rejected",
    reason: "400: Bad Request: x",
  });
  const flaky = { kind: "retry", status: 502, description: "Bad Gateway" } as const;
  const again = afterFailure(d, flaky, { tries: 5, random: 0.5 });
  assert.equal(again.step.kind, "retry");
  assert.ok(again.step.kind === "retry" && again.step.countAttempt && again.step.waitMs > 0);
  assert.equal(again.logs[0].fields.attempt, 3);
  const last = afterFailure({ ...d, attempts: 4 }, flaky, { tries: 5 });
  assert.deepEqual(last.step, { kind: "rejected", reason: "gave up after 5 tries: Bad Gateway" });
  assert.equal(last.logs[0].event, "delivery.gave_up");
});
