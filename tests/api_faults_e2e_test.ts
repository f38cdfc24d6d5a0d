/**
 * Faults of Telegram (or of a self-hosted Bot API server) under the real bot (issue 11): a
 * method that fails for ever, a `retry_after` beyond reason, a message that keeps failing
 * until it gives up, and a slow but working Telegram. One failing call never stalls a chat,
 * and nothing is sent twice. And what stands between the bot and Telegram (issue 22): a
 * proxy's HTML 403, a 404 or 400 page, JSON that is not Telegram's error, are no verdict of
 * Telegram's and are retried like a 5xx: no ticket is closed, no agent made unavailable, no
 * message refused for good because of them.
 */
import assert from "node:assert/strict";
import {
  type Harness,
  introduce,
  registerAgent,
  RU,
  settled,
  shownText,
  waitForText,
  withHarness,
} from "./support/harness.ts";
import { type FakeTelegram, user } from "./support/telegram.ts";

const client = user(7301, "Ivan");
const agent = user(7401, "Agent", { last_name: "Api" });
const FOREVER = 1_000_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, test: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The agent's copies of the client's messages after call `after` that hold `part`. */
function copies(tg: FakeTelegram, after: number, part: string): number {
  return tg.calls.slice(after).filter((c) =>
    c.ok && Number(c.params.chat_id) === agent.id && String(c.params.text ?? "").includes(part)
  ).length;
}

/** An agent and a client in an open dialog, everything sent. */
async function inDialog(h: Harness): Promise<void> {
  await registerAgent(h.tg, agent);
  await introduce(h.tg, client, "Иван");
  const after = h.tg.calls.length;
  h.tg.sendText(client, "hello");
  await waitForText(h.tg, agent.id, "hello", after);
  await settled(h);
}

const lines = (h: Harness, event: string) => h.logs.filter((l) => l.includes(` ${event} `));

Deno.test("a menu call that fails for ever (500) never holds back the messages of its chat", () =>
  withHarness(async (h) => {
    const { tg } = h;
    tg.failNext("setMyCommands", { code: 500, count: FOREVER });
    await registerAgent(tg, agent);
    await introduce(tg, client, "Иван");
    const after = tg.calls.length;
    tg.sendText(client, "question one");
    await waitForText(tg, agent.id, "question one", after);
    const retries = lines(h, "delivery.retry").filter((l) => l.includes("setMyCommands"));
    assert.ok(retries.length >= 1, "the menu is tried again");
    assert.ok(retries.every((l) => /status=500/.test(l)), retries.join("\n"));
  }));

/** What a proxy or a firewall in front of the Bot API answers when it refuses a request. */
const PROXY_403 = "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n" +
  "<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

Deno.test("a proxy's HTML 403 before a client's chat is no refusal: the ticket stays open, the answer arrives", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await inDialog(h);
    tg.failNext("*", {
      code: 403,
      body: PROXY_403,
      contentType: "text/html",
      count: 2,
      chatId: client.id,
    });
    const answer = tg.sendText(agent, "the answer");
    // The agent's message is copied to the client as it is.
    await tg.waitForCall(
      "copyMessage",
      (c) =>
        c.ok && Number(c.params.chat_id) === client.id && c.params.message_id === answer.message_id,
      { timeoutMs: 10_000 },
    );
    await settled(h);
    const ticket = h.app.desk.store.ticketsOfClient(client.id)[0];
    assert.equal(ticket.status, "open");
    assert.equal(ticket.agentId, agent.id);
    assert.deepEqual(lines(h, "delivery.forbidden"), []);
    const retries = lines(h, "delivery.retry").filter((l) => l.includes(`chat=${client.id}`));
    assert.ok(retries.length >= 1, "tried again");
    assert.ok(retries.every((l) => /status=403/.test(l)), retries.join("\n"));
  }));

Deno.test("a proxy's HTML 403 before an agent's chat is no refusal: the agent stays, the message arrives", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await inDialog(h);
    tg.failNext("*", {
      code: 403,
      body: PROXY_403,
      contentType: "text/html",
      count: 2,
      chatId: agent.id,
    });
    const after = tg.calls.length;
    tg.sendText(client, "the second question");
    await waitForText(tg, agent.id, "the second question", after, 10_000);
    await settled(h);
    assert.equal(h.app.desk.store.getUser(agent.id)?.isAvailable, true);
    const ticket = h.app.desk.store.ticketsOfClient(client.id)[0];
    assert.equal(ticket.status, "open");
    assert.equal(ticket.agentId, agent.id);
    assert.deepEqual(lines(h, "delivery.forbidden"), []);
  }));

Deno.test("a 404 or 400 that is not Telegram's JSON is retried like a 5xx, never a refusal of the message", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await inDialog(h);
    // Each answered once, in this order: none of them is Telegram's own error.
    const answers = [
      { code: 404, body: "404 page not found" },
      { code: 400, body: "<html><body><h1>400 Bad Request</h1></body></html>" },
      { code: 400, body: '{"ok":false,"error_code":400}' },
      { code: 403, body: '{"error":"forbidden by policy"}' },
    ];
    for (const a of answers) tg.failNext("sendMessage", { ...a, chatId: agent.id });
    const after = tg.calls.length;
    tg.sendText(client, "goes through in the end");
    await waitForText(tg, agent.id, "goes through in the end", after, 15_000);
    await settled(h);
    assert.equal(copies(tg, after, "goes through in the end"), 1);
    assert.ok(
      !tg.calls.slice(after).some((c) =>
        Number(c.params.chat_id) === client.id && shownText(c) === RU.notDelivered("text")
      ),
    );
    assert.deepEqual(lines(h, "delivery.rejected"), []);
    const retries = lines(h, "delivery.retry").filter((l) => l.includes(`chat=${agent.id}`));
    assert.equal(retries.length, answers.length);
    assert.match(retries[0], /status=404/);
    assert.match(retries[0], /404 page not found/);
    assert.ok(!h.logs.some((l) => l.includes("undefined: undefined")));
  }));

Deno.test("a retry_after beyond reason is capped with a warning", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await inDialog(h);
    tg.failNext("sendMessage", { code: 429, retryAfter: 1e9, chatId: agent.id });
    const before = Date.now();
    tg.sendText(client, "asked to wait 31 years");
    await until("the cap", () => lines(h, "delivery.retry_after_capped").length === 1);
    const { next } = h.app.db.prepare(
      `SELECT next_attempt_at AS next FROM deliveries WHERE chat_id = ? AND status = 'pending'
        ORDER BY id LIMIT 1`,
    ).get(agent.id) as { next: number };
    assert.ok(next <= before + 3600_000 + 5_000, `waits until ${new Date(next).toISOString()}`);
    assert.ok(next >= before + 3600_000 - 5_000);
  }));

Deno.test("a message Telegram keeps failing gives up after DELIVERY_GIVE_UP_MINUTES; its sender is told", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await inDialog(h);
    tg.failNext("sendMessage", { code: 502, count: FOREVER, chatId: agent.id });
    const after = tg.calls.length;
    tg.sendText(client, "never arrives");
    await waitForText(
      tg,
      client.id,
      RU.notDelivered("text"),
      after,
      20_000,
    );
    const gaveUp = lines(h, "delivery.gave_up");
    assert.equal(gaveUp.length, 1);
    assert.match(gaveUp[0], /status=502/);
    const status = h.app.db.prepare(
      "SELECT status FROM deliveries WHERE chat_id = ? ORDER BY id DESC LIMIT 1",
    ).get(agent.id) as { status: string };
    assert.equal(status.status, "failed");
  }, { DELIVERY_GIVE_UP_MINUTES: "0.1" }));

Deno.test("a slow but working Telegram (31 s to answer) gets each message once", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await inDialog(h);
    tg.delayNext("sendMessage", 31_000, 1, agent.id);
    const after = tg.calls.length;
    tg.sendText(client, "slow answer");
    await sleep(33_000);
    await settled(h);
    assert.equal(copies(tg, after, "slow answer"), 1);
    assert.ok(!lines(h, "delivery.retry").some((l) => l.includes(`chat=${agent.id}`)));
  }));

Deno.test("a file that keeps failing (a Bot API without sendDocument) holds back nothing in the agent's chat", () =>
  withHarness(async (h) => {
    const { tg } = h;
    // The Bot API answers 500 to every sendDocument, as a server that lacks it may.
    tg.failNext("sendDocument", { code: 500, count: FOREVER });
    await inDialog(h);
    const after = tg.calls.length;
    tg.sendText(agent, "/history");
    await tg.waitForCall("sendDocument", (c) => Number(c.params.chat_id) === agent.id, { after });
    // What the agent asks for next, and the ticket's end, arrive while the file is retried.
    tg.sendText(agent, "/stats");
    await waitForText(tg, agent.id, "Ваша статистика", after);
    tg.sendText(agent, "/end_chat");
    await waitForText(tg, agent.id, RU.endChatDone("Иван", "#T-000001"), after);
    await waitForText(tg, client.id, RU.ticketClosed("#T-000001"), after);
    // The file is still being tried: it is not lost, it waits beside the messages.
    const file = h.app.db.prepare(
      "SELECT status FROM deliveries WHERE chat_id = ? AND method = 'sendHistory'",
    ).get(agent.id) as { status: string };
    assert.equal(file.status, "pending");
    assert.ok(lines(h, "delivery.retry").some((l) => l.includes("sendHistory")));
  }));
