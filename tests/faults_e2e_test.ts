/**
 * Telegram's refusals through the real bot: 429 waits `retry_after`, 403 from a client or
 * an agent, 400 on one message, and dropped connections; none of it stops the desk.
 */
import assert from "node:assert/strict";
import { user } from "./support/telegram.ts";
import {
  EN,
  registerAgent,
  RU,
  settled,
  shownText,
  waitForText,
  withHarness,
} from "./support/harness.ts";

const client1 = user(3001, "Дарья");
const client2 = user(3002, "Egor", { language_code: "en" });
const agent1 = user(4001, "Agent", { last_name: "One" });
const agent2 = user(4002, "Agent", { last_name: "Two" });

Deno.test("429: the delivery waits retry_after and goes through, in order", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    tg.failNext("sendMessage", { code: 429, retryAfter: 1, chatId: agent1.id });
    const start = Date.now();
    tg.sendText(client1, "первое");
    tg.sendText(client1, "второе");
    await waitForText(tg, agent1.id, "второе", 0, 8000);
    const toAgent = tg.sentTo(agent1.id).map(shownText);
    const first = toAgent.findIndex((t) => t.includes("первое"));
    assert.ok(first >= 0 && first < toAgent.findIndex((t) => t.includes("второе")));
    const delivered = tg.calls.find((c) => c.ok && shownText(c).includes("первое"))!;
    assert.ok(delivered.at - start >= 1000, "waited retry_after");
    assert.equal(h.app.sender.rateLimited, 1);
    assert.ok(h.logs.some((l) => l.includes("delivery.rate_limited")));
  }));

Deno.test("403 from a client: the ticket is closed, the agent told, others unaffected", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    await registerAgent(tg, agent2);
    tg.sendText(client1, "вопрос");
    const first = await tg.waitFor((calls) =>
      calls.find((c) => c.ok && shownText(c) === "👤 Дарья:\nвопрос")
    );
    const agent = Number(first.params.chat_id) === agent1.id ? agent1 : agent2;
    tg.sendText(client2, "question");
    await waitForText(tg, agent === agent1 ? agent2.id : agent1.id, "👤 Egor:\nquestion");
    tg.blockChat(client1.id);
    tg.sendText(agent, "ответ, который не дойдёт");
    await waitForText(tg, agent.id, RU.agentClientLeft("Дарья", "#T-000001"));
    await settled(h);
    const ticket = h.app.desk.store.ticketsOfClient(client1.id)[0];
    assert.equal(ticket.status, "closed");
    assert.equal(ticket.closedBy, "system");
    assert.equal(h.app.desk.store.getUser(agent.id)?.currentTicketId, null);
    assert.ok(h.logs.some((l) => l.includes("delivery.forbidden")));
    // The other dialog goes on.
    tg.sendText(client2, "still there?");
    await waitForText(tg, agent === agent1 ? agent2.id : agent1.id, "still there?");
  }));

Deno.test("403 from an agent: unavailable, the client moves to another agent with the backlog", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    tg.sendText(client1, "первое");
    await waitForText(tg, agent1.id, "первое");
    tg.blockChat(agent1.id);
    tg.sendText(client1, "второе");
    await waitForText(tg, client1.id, RU.clientMoved);
    await waitForText(tg, client1.id, RU.queued(1));
    assert.equal(h.app.desk.store.getUser(agent1.id)?.isAvailable, false);
    tg.sendText(client1, "третье");
    await settled(h);
    // A new agent receives the client's name and everything the client wrote.
    await registerAgent(tg, agent2);
    await waitForText(tg, agent2.id, RU.agentNewClient("Дарья", "#T-000001", 2, null));
    for (const text of ["первое", "второе", "третье"]) {
      await waitForText(tg, agent2.id, `👤 Дарья:\n${text}`);
    }
    await waitForText(tg, client1.id, RU.connected("#T-000001"));
  }));

Deno.test("400 on one message: the sender is told, the dialog goes on", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    tg.sendText(client2, "hello");
    await waitForText(tg, agent1.id, "hello");
    tg.failNext("copyMessage", {
      code: 400,
      description: "Bad Request: wrong file identifier",
      chatId: agent1.id,
    });
    const bad = tg.sendMedia(client2, "sticker");
    await waitForText(tg, client2.id, EN.notDelivered("sticker"));
    const notice = tg.sentTo(client2.id).find((c) => shownText(c).includes("sticker"))!;
    assert.equal(
      (notice.params.reply_parameters as { message_id: number }).message_id,
      bad.message_id,
    );
    tg.sendText(client2, "after the sticker");
    await waitForText(tg, agent1.id, "after the sticker");
    const failed = h.app.db.prepare(
      "SELECT count(*) AS n FROM deliveries WHERE status = 'failed'",
    ).get() as { n: number };
    assert.equal(failed.n, 1);
  }));

Deno.test("5xx and dropped connections are retried until delivered", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    tg.failNext("sendMessage", { code: 502, description: "Bad Gateway", chatId: agent1.id });
    tg.dropNext("sendMessage", 1, agent1.id);
    tg.sendText(client1, "дойдёт");
    await waitForText(tg, agent1.id, "👤 Дарья:\nдойдёт", 0, 10_000);
    assert.ok(h.logs.filter((l) => l.includes("delivery.retry")).length >= 2);
  }));
