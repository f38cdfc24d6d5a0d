/**
 * `GET /healthz` over real HTTP: on HEALTH_PORT in polling mode, on the webhook's port in
 * webhook mode; 200 with the figures while the database can be read, 503 once it cannot.
 */
import assert from "node:assert/strict";
import type { App } from "../src/app.ts";
import { user } from "./support/telegram.ts";
import { RU, settled, waitForText, withHarness } from "./support/harness.ts";
import { asUpdate, post, WEBHOOK_ENV } from "./support/webhook_client.ts";

const POLLING_ENV = { HOST: "127.0.0.1", HEALTH_PORT: "0" };
const client = user(4001, "Client");

async function get(app: App, path = "/healthz", method = "GET") {
  assert.ok(app.http, "the bot runs an HTTP server");
  const response = await fetch(`http://127.0.0.1:${app.http.addr.port}${path}`, { method });
  const text = await response.text();
  return { status: response.status, text, type: response.headers.get("content-type") };
}

Deno.test("health in polling mode: HEALTH_PORT answers 200 with the figures", () =>
  withHarness(async (h) => {
    const { tg, app } = h;
    const first = await get(app);
    assert.equal(first.status, 200);
    assert.match(first.type ?? "", /application\/json/);
    const empty = JSON.parse(first.text);
    assert.equal(empty.status, "ok");
    assert.equal(empty.mode, "polling");
    assert.equal(empty.database, "ok");
    assert.equal(empty.last_update_at, null);
    assert.equal(empty.pending_deliveries, 0);

    // A send held by Telegram shows as pending; a handled update shows its time.
    tg.delayNext("sendMessage", 600);
    const before = Date.now();
    tg.sendText(client, "/start");
    await h.tg.waitFor(() => h.tg.pendingUpdates === 0, { message: "update taken" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const busy = JSON.parse((await get(app)).text);
    assert.equal(busy.pending_deliveries, 1);
    const at = Date.parse(busy.last_update_at);
    assert.ok(at >= before - 1000 && at <= Date.now(), busy.last_update_at);
    await waitForText(tg, client.id, RU.askName);
    await settled(h);
    assert.equal(JSON.parse((await get(app)).text).pending_deliveries, 0);

    assert.equal((await get(app, "/healthz", "HEAD")).status, 200);
    assert.equal((await get(app, "/healthz", "POST")).status, 405);
    assert.equal((await get(app, "/")).status, 404);
    assert.equal((await get(app, "/tg/hook", "POST")).status, 404, "no webhook when polling");
  }, POLLING_ENV));

Deno.test("health in webhook mode is on the webhook's port", () =>
  withHarness(async ({ app }) => {
    const answer = await get(app);
    assert.equal(answer.status, 200);
    assert.equal(JSON.parse(answer.text).mode, "webhook");
  }, WEBHOOK_ENV));

// "Database gone": the bot's connection stops working under the running server. Closing the
// handle makes every statement fail ("database is not open"), the same path as an I/O error
// or a corrupted file. (Deleting or overwriting the file would not do: SQLite keeps reading
// the open file and its page cache, so the bot would still answer 200 from the old inode.)
Deno.test("health when the database cannot be read: 503, and updates are not acknowledged", () =>
  withHarness(async (h) => {
    const { app, tg } = h;
    assert.equal((await get(app)).status, 200);
    app.db.close();
    // The sender's next look at the outbox fails: logged, retried, the process stays up.
    app.sender.wake();
    for (let i = 0; i < 100 && !h.logs.some((l) => l.includes("outbox.dispatch_failed")); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(h.logs.some((l) => /ERROR outbox\.dispatch_failed error=/.test(l)));
    for (let i = 0; i < 2; i++) {
      const answer = await get(app);
      assert.equal(answer.status, 503, answer.text);
      const body = JSON.parse(answer.text);
      assert.equal(body.status, "error");
      assert.match(body.database, /not open/);
    }
    // An update posted now is answered 500, so Telegram keeps it and sends it again.
    const answer = await post(app, asUpdate(tg.sendText(client, "/start")));
    assert.equal(answer.status, 500);
    // The outage is said once, when it begins (issue 11), not once per update.
    assert.equal(h.logs.filter((l) => /ERROR storage\.unavailable error=/.test(l)).length, 1);
  }, WEBHOOK_ENV));
