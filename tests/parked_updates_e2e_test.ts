/**
 * Parked updates (issue 22): an update whose handling failed with a bug is kept in
 * `dead_letters` and tried again at the next start, through the real bot. It is stored without
 * the support token or the bot token, and handled as it came when tried again (a message that
 * carried the token is deleted, never relayed); a bug that parks every update does not grow
 * the table past its cap, old ones go after a week, and `/healthz` counts what is parked and
 * what went.
 */
import assert from "node:assert/strict";
import { PARKED_CAP, PARKED_MAX_AGE_MS } from "../src/store/mod.ts";
import { BOT_TOKEN_MARK, secretsOf, SUPPORT_TOKEN_MARK } from "../src/store/redact.ts";
import {
  type Harness,
  introduce,
  registerAgent,
  settled,
  SUPPORT_TOKEN,
  waitForText,
  withHarness,
} from "./support/harness.ts";
import { user } from "./support/telegram.ts";

const client = user(7601, "Olga");
const agent = user(7602, "Agent", { last_name: "Parked" });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** What `/healthz` answers now. */
async function health(h: Harness): Promise<Record<string, unknown>> {
  const response = await fetch(`http://127.0.0.1:${h.app.http!.addr.port}/healthz`);
  return await response.json();
}

/** A bug: every delivery the bot writes fails, so every update it handles is parked. */
function breakDeliveries(h: Harness): void {
  h.app.db.exec(`CREATE TRIGGER boom BEFORE INSERT ON deliveries
    BEGIN SELECT RAISE(ABORT, 'a bug met a delivery'); END`);
}

/** Every byte of the database's files, as text. */
function databaseBytes(h: Harness): string {
  const decoder = new TextDecoder("latin1");
  return [h.dbPath, `${h.dbPath}-wal`].map((path) => {
    try {
      return decoder.decode(Deno.readFileSync(path));
    } catch {
      return "";
    }
  }).join("");
}

Deno.test("the support token's fingerprint is HMAC-SHA-256 keyed with the bot token (RFC 4231, case 2)", async () => {
  // Key "Jefe", data "what do ya want for nothing?": the RFC's published MAC, first 32 digits.
  const secrets = await secretsOf("what do ya want for nothing?", "Jefe");
  assert.equal(secrets.tokenMark, "5bdcc146bf60754e6a042426089575c7");
  assert.notEqual(
    (await secretsOf("what do ya want for nothing?", "Jeff")).tokenMark,
    secrets.tokenMark,
  );
});

Deno.test("a parked update is stored without the support and bot tokens, and tried again as it came: withheld, not relayed", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent);
    await introduce(tg, client, "Ольга");
    let after = tg.calls.length;
    tg.sendText(client, "first");
    await waitForText(tg, agent.id, "first", after);
    await settled(h);
    breakDeliveries(h);
    const carrying = tg.sendText(client, `my code ${SUPPORT_TOKEN}, and ${tg.token} too`);
    await until("the update to be parked", () => h.app.desk.store.parkedCount() === 1);
    const rows = h.app.db.prepare("SELECT update_json, error FROM dead_letters").all();
    const stored = JSON.stringify(rows);
    assert.ok(!stored.includes(SUPPORT_TOKEN), "the support token is not stored");
    assert.ok(!stored.includes(tg.token), "the bot token is not stored");
    assert.ok(stored.includes(SUPPORT_TOKEN_MARK) && stored.includes(BOT_TOKEN_MARK), stored);
    h.app.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    assert.ok(!databaseBytes(h).includes(SUPPORT_TOKEN), "nowhere in the database's files");
    // Fixed, the next start tries it again: the message carried the token, so it is deleted in
    // the client's chat and goes nowhere.
    h.app.db.exec("DROP TRIGGER boom");
    after = tg.calls.length;
    await h.restart();
    await tg.waitFor(
      (calls) =>
        calls.slice(after).find((c) =>
          c.method === "deleteMessage" && Number(c.params.chat_id) === client.id &&
          Number(c.params.message_id) === carrying.message.message_id
        ),
      { message: "the message that carried the token deleted" },
    );
    await settled(h);
    const toAgent = tg.calls.slice(after).filter((c) => Number(c.params.chat_id) === agent.id);
    assert.ok(!toAgent.some((c) => JSON.stringify(c.params).includes("my code")), "not relayed");
    assert.equal(h.app.desk.store.parkedCount(), 0);
  }, { HEALTH_PORT: "0" }));

Deno.test("a bug that parks every update: the table stops at its cap, the oldest go, and /healthz counts them", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await introduce(tg, client, "Ольга");
    await settled(h);
    breakDeliveries(h);
    const extra = 5;
    const sent: { update_id: number }[] = [];
    for (let i = 1; i <= PARKED_CAP + extra; i++) sent.push(tg.sendText(client, `msg ${i}`));
    await until("every update taken", () => tg.pendingUpdates === 0, 120_000);
    await until("the last parked", () => {
      const last = h.app.db.prepare("SELECT max(update_id) AS id FROM dead_letters").get();
      return Number(last?.id) === sent.at(-1)!.update_id;
    });
    assert.equal(h.app.desk.store.parkedCount(), PARKED_CAP);
    const first = h.app.db.prepare("SELECT min(update_id) AS id FROM dead_letters").get();
    assert.equal(Number(first?.id), sent[extra].update_id, "the oldest went");
    const body = await health(h);
    assert.equal(body.parked_updates, PARKED_CAP);
    const dropped = body.parked_dropped as Record<string, unknown>;
    assert.equal(dropped.too_many, extra);
    assert.equal(dropped.too_old, 0);
    assert.equal(typeof dropped.last_at, "string");
    assert.ok(h.logs.some((l) => /updates\.dropped reason="too many parked" count=1/.test(l)));
  }, { HEALTH_PORT: "0" }));

Deno.test("a parked update is given up a week after it first failed, and /healthz says so", async () => {
  let offset = 0;
  const clock = { now: () => Date.now() + offset, monotonic: () => performance.now() };
  await withHarness(
    async (h) => {
      const { tg } = h;
      await introduce(tg, client, "Ольга");
      await settled(h);
      breakDeliveries(h);
      tg.sendText(client, "parked a long time");
      await until("the update to be parked", () => h.app.desk.store.parkedCount() === 1);
      // Still broken, restarted a day later: it stays.
      offset = 24 * 3600_000;
      await h.restart();
      assert.equal(h.app.desk.store.parkedCount(), 1);
      offset = PARKED_MAX_AGE_MS + 3600_000;
      await h.restart();
      assert.equal(h.app.desk.store.parkedCount(), 0);
      const body = await health(h);
      assert.equal(body.parked_updates, 0);
      const dropped = body.parked_dropped as Record<string, unknown>;
      assert.equal(dropped.too_old, 1);
      assert.equal(dropped.too_many, 0);
      assert.ok(h.logs.some((l) => /updates\.dropped reason="parked too long" count=1/.test(l)));
    },
    { HEALTH_PORT: "0" },
    { clock },
  );
});
