/**
 * Webhook mode over real HTTP: the bot's own server (`src/http/server.ts`) receives the
 * updates the tests post as Telegram would, with the secret header; the fake Bot API takes
 * the replies.
 */
import assert from "node:assert/strict";
import { type App, startApp } from "../src/app.ts";
import { ALLOWED_UPDATES } from "../src/telegram/bot.ts";
import { parseConfig } from "../src/config/mod.ts";
import { createLogger, silentLogger } from "../src/base/log.ts";
import { FakeTelegram, type FakeUser, user } from "./support/telegram.ts";
import {
  type Harness,
  RU,
  shownText,
  SUPPORT_TOKEN,
  waitForText,
  withHarness,
} from "./support/harness.ts";
import { asUpdate, base, HOOK_PATH, post, SECRET, WEBHOOK_ENV } from "./support/webhook_client.ts";

const client = user(3001, "Client");
const agent = user(3002, "Agent");

/** Posts `text` from `from` as Telegram would and expects 200. */
async function say(tg: FakeTelegram, app: App, from: FakeUser, text: string): Promise<void> {
  const answer = await post(app, asUpdate(tg.sendText(from, text)));
  assert.equal(answer.status, 200, answer.text);
}

function count(h: Harness, table: string): number {
  const row = h.app.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number };
  return row.n;
}

Deno.test("webhook mode: setWebhook with the secret and the allowed updates, no polling", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const [call] = tg.callsOf("setWebhook");
    assert.ok(call, "setWebhook was called");
    assert.equal(call.params.url, WEBHOOK_ENV.WEBHOOK_URL);
    assert.equal(call.params.secret_token, SECRET);
    assert.deepEqual(call.params.allowed_updates, [...ALLOWED_UPDATES]);
    const info = await h.app.bot.api.getWebhookInfo();
    assert.equal(info.url, WEBHOOK_ENV.WEBHOOK_URL);
    assert.equal(tg.callsOf("getUpdates").length, 0, "no long polling");
    assert.equal(tg.callsOf("deleteWebhook").length, 0, "the webhook is not removed");
    assert.ok(h.logs.some((l) => /bot\.started .*mode=webhook/.test(l)));
  }, WEBHOOK_ENV));

Deno.test("webhook mode: a full client-agent relay through webhook updates", () =>
  withHarness(async (h) => {
    const { tg, app } = h;
    await say(tg, app, agent, `/register_support ${SUPPORT_TOKEN}`);
    await waitForText(tg, agent.id, RU.registerOk);
    await say(tg, app, client, "/start");
    await waitForText(tg, client.id, RU.askName);
    await say(tg, app, client, "Вера");
    await say(tg, app, client, "не приходит письмо");
    // 200 came after the commit: the message is in the database before anything is sent.
    assert.equal(count(h, "messages"), 1);
    const relayed = await waitForText(tg, agent.id, "не приходит письмо");
    assert.equal(shownText(relayed), "👤 Вера:\nне приходит письмо");
    const reply = tg.sendText(agent, "проверьте папку «Спам»");
    assert.equal((await post(app, asUpdate(reply))).status, 200);
    await tg.waitForCall(
      "copyMessage",
      (c) => c.params.chat_id === client.id && c.params.message_id === reply.message_id,
    );
    // Telegram re-sending an update (it got no answer in time) changes nothing.
    const before = count(h, "deliveries");
    assert.equal((await post(app, asUpdate(reply))).status, 200);
    assert.equal(count(h, "deliveries"), before);
    assert.equal(count(h, "messages"), 2);
    await app.sender.idle();
    assert.equal(tg.callsOf("copyMessage").length, 1);
  }, WEBHOOK_ENV));

Deno.test("webhook mode: without the right secret, 401 and nothing changes", () =>
  withHarness(async (h) => {
    const { tg, app } = h;
    const update = asUpdate(tg.sendText(client, "/start"));
    const wrong = [
      null, // no header
      "",
      SECRET.slice(0, -1), // a prefix
      SECRET + "x", // longer
      SECRET.slice(0, -1) + "A", // same length, last character differs
      SECRET.toUpperCase(),
      SUPPORT_TOKEN,
    ];
    const callsBefore = tg.calls.length;
    for (const secret of wrong) {
      const answer = await post(app, update, secret);
      assert.equal(answer.status, 401, `secret ${JSON.stringify(secret)}`);
      assert.ok(!answer.text.includes(SECRET));
    }
    // A body that is not even an update gets 401 too: nothing is read without the secret.
    assert.equal((await post(app, "not json", "wrong")).status, 401);
    assert.equal(count(h, "handled_updates"), 0);
    assert.equal(count(h, "users"), 0);
    assert.equal(count(h, "deliveries"), 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(tg.calls.length, callsBefore, "nothing was sent");
    // The same update with the right secret is handled.
    assert.equal((await post(app, update)).status, 200);
    await waitForText(tg, client.id, RU.askName);
    assert.ok(!h.logs.join("\n").includes(SECRET), "the secret is never logged");
  }, WEBHOOK_ENV));

Deno.test("webhook mode: a body that is not an update gets 400; the bot goes on", () =>
  withHarness(async (h) => {
    const { tg, app } = h;
    const bad = [
      "",
      "not json",
      "{",
      "[]",
      "[1,2]",
      "42",
      "null",
      '"update"',
      "{}",
      '{"update_id":"5"}',
      '{"update_id":-1}',
      '{"update_id":1.5}',
      '{"update_id":1e400}',
      '{"message":{"text":"hi"}}',
      "\u0000\u0001binary",
    ];
    for (const body of bad) {
      const answer = await post(app, body);
      assert.equal(answer.status, 400, `body ${JSON.stringify(body)}: ${answer.text}`);
    }
    assert.equal(count(h, "handled_updates"), 0);
    // Well-formed updates with malformed content are handled (and ignored), as when polling.
    for (const update of [{ update_id: 900, message: "text" }, { update_id: 901, message: {} }]) {
      assert.equal((await post(app, update)).status, 200);
    }
    // Wrong method or path.
    const get = await fetch(base(app) + HOOK_PATH);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get("allow"), "POST");
    await get.body?.cancel();
    assert.equal((await post(app, "{}", SECRET, "/other")).status, 404);
    assert.equal((await post(app, "{}", SECRET, "/")).status, 404);
    // Still alive and serving.
    await say(tg, app, client, "/start");
    await waitForText(tg, client.id, RU.askName);
  }, WEBHOOK_ENV));

Deno.test("back to polling after webhook mode: the webhook is removed first", () =>
  withHarness(async (h) => {
    const { tg } = h;
    assert.equal(tg.webhookUrl, WEBHOOK_ENV.WEBHOOK_URL);
    await h.app.stop();
    const log = createLogger("debug", "text", (line) => h.logs.push(line));
    h.app = await startApp(
      parseConfig({
        BOT_TOKEN: tg.token,
        SUPPORT_TOKEN,
        DATABASE_PATH: h.dbPath,
        TELEGRAM_API_URL: tg.apiRoot,
        POLLING_TIMEOUT_SECONDS: "10",
      }),
      log,
    );
    assert.equal(h.app.http, undefined, "no HTTP server in polling mode without HEALTH_PORT");
    const deleted = tg.callsOf("deleteWebhook");
    assert.equal(deleted.length, 1);
    assert.notEqual(deleted[0].params.drop_pending_updates, true, "waiting updates are kept");
    assert.equal(tg.webhookUrl, "");
    tg.sendText(client, "/start");
    await waitForText(tg, client.id, RU.askName);
    const firstPoll = tg.calls.findIndex((c) => c.method === "getUpdates");
    assert.ok(firstPoll > tg.calls.indexOf(deleted[0]), "deleteWebhook before getUpdates");
    assert.ok(tg.callsOf("getUpdates").every((c) => c.ok), "no 409 from a leftover webhook");
  }, WEBHOOK_ENV));

Deno.test("webhook mode: Telegram refusing setWebhook stops the start, port and database closed", async () => {
  const tg = await FakeTelegram.start();
  const dir = await Deno.makeTempDir();
  try {
    tg.failNext("setWebhook", {
      code: 400,
      description: "Bad Request: bad webhook: Failed to resolve host",
    });
    const config = parseConfig({
      BOT_TOKEN: tg.token,
      SUPPORT_TOKEN,
      DATABASE_PATH: `${dir}/helpdesk.db`,
      TELEGRAM_API_URL: tg.apiRoot,
      ...WEBHOOK_ENV,
    });
    await assert.rejects(startApp(config, silentLogger), /bad webhook/);
    // Nothing is left open (the test sanitizers would also notice a leaked server).
    const again = await startApp(config, silentLogger);
    assert.equal(tg.webhookUrl, WEBHOOK_ENV.WEBHOOK_URL);
    await again.stop();
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("webhook mode: a bug in handling one update parks it and answers 200; the next start handles it", () =>
  withHarness(async (h) => {
    const { tg } = h;
    h.app.db.exec(`CREATE TRIGGER boom BEFORE INSERT ON users WHEN NEW.full_name = 'Boom'
      BEGIN SELECT RAISE(ABORT, 'a bug met Boom'); END`);
    const boom = user(6601, "Boom");
    const answer = await post(h.app, asUpdate(tg.sendText(boom, "/start")));
    assert.equal(answer.status, 200, "kept by the bot: Telegram need not send it again");
    assert.equal(h.app.desk.store.parkedCount(), 1);
    h.app.db.exec("DROP TRIGGER boom");
    await h.restart();
    await waitForText(tg, boom.id, RU.askName);
    assert.equal(h.app.desk.store.parkedCount(), 0);
  }, WEBHOOK_ENV));
