/**
 * End-to-end regression tests of the desk's security findings, through the real bot, the fake
 * Bot API and a real SQLite file:
 *
 * - a banned client gets nothing through and is answered nothing: not their old or forged
 *   rating buttons, not a comment, not `/register_support`, not a stale button;
 * - edits are mirrored only between a ticket's client and its current agent while it is open:
 *   not by an agent revoked or transferred away, not to them;
 *
 * Longer than most files: one scenario per finding, each readable on its own.
 */
import assert from "node:assert/strict";
import { stars, ticketNumber } from "../src/texts/mod.ts";
import { type ApiCall, type FakeTelegram, type FakeUser, user } from "./support/telegram.ts";
import { admin, ADMIN_ID } from "./support/people.ts";
import {
  ask,
  registerAgent,
  RU,
  settled,
  shownText,
  SUPPORT_TOKEN,
  waitForText,
  withHarness,
} from "./support/harness.ts";

const ADMIN_ENV = { ADMIN_IDS: String(ADMIN_ID) };

const alice = user(1201, "Alice", { username: "alice" });
const agent1 = user(2201, "Agent", { last_name: "One" });

/** The calls made after index `after`, but the polling. */
function callsAfter(tg: FakeTelegram, after: number): ApiCall[] {
  return tg.calls.slice(after).filter((c) => c.method !== "getUpdates");
}

/** The calls to chat `chatId` after index `after`. */
function callsTo(tg: FakeTelegram, chatId: number, after: number): ApiCall[] {
  return callsAfter(tg, after).filter((c) => Number(c.params.chat_id) === chatId);
}

/** The buttons' data of a bot message. */
function buttonData(call: ApiCall): string[] {
  const markup = call.params.reply_markup as
    | { inline_keyboard: { callback_data: string }[][] }
    | undefined;
  return markup?.inline_keyboard.flat().map((b) => b.callback_data) ?? [];
}

/** The id a bot message got in its chat. */
function messageIdOf(call: ApiCall): number {
  return (call.result as { message_id: number }).message_id;
}

/** A client in a dialog with agent1: `client` wrote `first`, agent1 answered `reply`. */
async function dialog(
  tg: FakeTelegram,
  client: FakeUser,
  first: string,
  reply: string,
): Promise<{ question: number; answer: number }> {
  await registerAgent(tg, agent1);
  const question = tg.sendText(client, first);
  await waitForText(tg, agent1.id, first);
  const answer = tg.sendText(agent1, reply);
  await tg.waitForCall(
    "copyMessage",
    (c) => c.ok && c.params.chat_id === client.id && c.params.message_id === answer.message_id,
  );
  return { question: question.message_id, answer: answer.message_id };
}

// ---- Finding 10: a banned client gets nothing through and is answered nothing ----

Deno.test("a banned client's old and forged rating buttons, comment, /register_support and stale buttons do nothing", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await dialog(tg, alice, "Первый вопрос", "Первый ответ");
    // Ticket 1 closes normally: Alice gets the rating buttons (she does not press them yet).
    let after = tg.calls.length;
    tg.sendText(agent1, "/end_chat");
    const rateAsk = await waitForText(tg, alice.id, RU.rateAsk, after);
    assert.ok(buttonData(rateAsk).includes("rate:1:5"));
    // Ticket 2, at agent1 again, is closed by the ban.
    tg.sendText(alice, "Второй вопрос");
    await waitForText(tg, agent1.id, "Второй вопрос", after);
    await ask(tg, admin, `/ban ${alice.id}`, RU.banDone("Alice"));
    await settled(h);
    assert.equal(store.getTicket(2)?.closedBy, "system");

    after = tg.calls.length;
    // The old rating button, then a forged one for the ticket the ban closed.
    tg.sendCallbackQuery(alice, "rate:1:5", { messageId: messageIdOf(rateAsk) });
    tg.sendCallbackQuery(alice, "rate:2:1", { messageId: messageIdOf(rateAsk) });
    // What would be the rating's comment, for the agent.
    tg.sendText(alice, "Комментарий для специалиста");
    // /register_support, with the right token and with a wrong one.
    const right = tg.sendText(alice, `/register_support ${SUPPORT_TOKEN}`);
    const wrong = tg.sendText(alice, "/register_support not-the-token");
    tg.sendText(alice, "/register_support");
    // Stale and meaningless buttons.
    tg.sendCallbackQuery(alice, "close:2", { messageId: 1 });
    tg.sendCallbackQuery(alice, "skip:1", { messageId: 1 });
    tg.sendCallbackQuery(alice, "nonsense", { messageId: 1 });
    await settled(h);

    // The two messages with a token are deleted; nothing else is said or done in her chat,
    // no button press is answered, and nothing reaches the agent.
    const toAlice = callsTo(tg, alice.id, after);
    assert.deepEqual(
      toAlice.map((c) => [c.method, c.params.message_id]),
      [["deleteMessage", right.message_id], ["deleteMessage", wrong.message_id]],
    );
    assert.deepEqual(callsAfter(tg, after).filter((c) => c.method === "answerCallbackQuery"), []);
    assert.deepEqual(callsTo(tg, agent1.id, after), []);
    assert.ok(!tg.calls.some((c) => shownText(c).includes("Комментарий для специалиста")));
    // Nothing changed: no rating, no comment, still banned, not an agent.
    for (const id of [1, 2]) {
      assert.equal(store.getTicket(id)?.rating, null);
      assert.equal(store.getTicket(id)?.ratingComment, null);
    }
    const banned = store.getUser(alice.id)!;
    assert.notEqual(banned.bannedAt, null);
    assert.equal(banned.isAgent, false);
    assert.equal(banned.commentTicketId, null);
    // What she wrote is kept in a held ticket, as for any banned client.
    const held = store.getTicket(banned.currentTicketId!)!;
    assert.equal(held.status, "queued");
    assert.equal(store.queueLength(), 0);

    // Unbanned, she may rate ticket 1 (closed by the agent), never ticket 2 (closed by the ban).
    await ask(tg, admin, `/unban ${alice.id}`, RU.unbanDone("Alice"));
    after = tg.calls.length;
    tg.sendCallbackQuery(alice, "rate:2:1", { messageId: messageIdOf(rateAsk) });
    const stale = await tg.waitForCall("answerCallbackQuery", () => true, { after });
    assert.equal(stale.params.text, RU.buttonStale);
    assert.equal(store.getTicket(2)?.rating, null);
    after = tg.calls.length;
    tg.sendCallbackQuery(alice, "rate:1:5", { messageId: messageIdOf(rateAsk) });
    await waitForText(tg, alice.id, RU.rateThanks(stars(5)), after);
    assert.equal(store.getTicket(1)?.rating, 5);
  }, ADMIN_ENV));

// ---- Finding 11: edits only within the dialog as it is now ----

const agent2 = user(2202, "Agent", { last_name: "Two" });

Deno.test("edits after a transfer: neither side's edit reaches the agent who handed the ticket on", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    const { question, answer } = await dialog(tg, alice, "Мой вопрос", "Ответ первого");
    await registerAgent(tg, agent2);
    let after = tg.calls.length;
    tg.sendText(agent1, "/transfer");
    const choose = await waitForText(tg, agent1.id, RU.transferChoose(ticketNumber(1)), after);
    tg.sendCallbackQuery(agent1, `transfer:1:${agent2.id}`, { messageId: messageIdOf(choose) });
    await waitForText(tg, alice.id, RU.transferredClient(ticketNumber(1)), after);
    await settled(h);

    after = tg.calls.length;
    tg.sendEdit(alice, question, { text: "Карта 4111 1111 1111 1111, CVV 123" });
    tg.sendEdit(agent1, answer, { text: "Пришлите код из СМС сюда" });
    await settled(h);
    assert.deepEqual(callsTo(tg, agent1.id, after), [], "nothing reaches the previous agent");
    assert.deepEqual(callsTo(tg, alice.id, after), [], "the previous agent changes nothing");
    assert.ok(!callsAfter(tg, after).some((c) => c.method.startsWith("edit")));
    // The history keeps both new versions.
    assert.equal(store.ownMessage(alice.id, question)?.text, "Карта 4111 1111 1111 1111, CVV 123");
    assert.equal(store.ownMessage(agent1.id, answer)?.text, "Пришлите код из СМС сюда");

    // Between the client and the agent who has the ticket now, edits are mirrored as before.
    const next = tg.sendText(alice, "Новый вопрос");
    await waitForText(tg, agent2.id, "👤 Alice:\nНовый вопрос");
    await settled(h);
    after = tg.calls.length;
    tg.sendEdit(alice, next.message_id, { text: "Новый вопрос, исправлено" });
    const edit = await tg.waitForCall("editMessageText", () => true, { after });
    assert.equal(edit.params.chat_id, agent2.id);
    assert.equal(edit.params.text, "👤 Alice:\nНовый вопрос, исправлено");
  }));

Deno.test("edits after a revoke: the revoked agent's edit is not mirrored, the client's does not reach them", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    const { question, answer } = await dialog(tg, alice, "Вопрос до отзыва", "Ответ до отзыва");
    await registerAgent(tg, agent2);
    let after = tg.calls.length;
    tg.sendText(admin, `/revoke ${agent1.id}`);
    await waitForText(tg, admin.id, RU.revokeDone("Agent One", ticketNumber(1), "Agent Two"));
    await waitForText(tg, agent2.id, "👤 Alice:\nВопрос до отзыва", after);
    await settled(h);

    after = tg.calls.length;
    tg.sendEdit(agent1, answer, { text: "Срочно: http://phish.example/login" });
    tg.sendEdit(alice, question, { text: "Карта 4111 1111 1111 1111, CVV 123" });
    await settled(h);
    assert.deepEqual(callsTo(tg, alice.id, after), [], "the revoked agent changes nothing");
    assert.deepEqual(callsTo(tg, agent1.id, after), [], "nothing reaches the revoked agent");
    // The client's message went on to agent2 with the ticket: that copy is theirs to update.
    const edits = callsAfter(tg, after).filter((c) => c.method.startsWith("edit"));
    assert.deepEqual(edits.map((c) => c.params.chat_id), [agent2.id]);
    assert.ok(!tg.sentTo(agent1.id).some((c) => shownText(c).includes("4111")));
    assert.equal(store.ownMessage(agent1.id, answer)?.text, "Срочно: http://phish.example/login");
    assert.equal(store.ownMessage(alice.id, question)?.text, "Карта 4111 1111 1111 1111, CVV 123");

    // Revoked with nobody free: the ticket waits, and an edit reaches nobody either.
    after = tg.calls.length;
    tg.sendText(admin, `/revoke ${agent2.id}`);
    await waitForText(tg, admin.id, RU.revokeDone("Agent Two", ticketNumber(1), null), after);
    await settled(h);
    after = tg.calls.length;
    tg.sendEdit(alice, question, { text: "Ещё раз: 4111 1111 1111 1111" });
    await settled(h);
    assert.deepEqual(callsAfter(tg, after), []);
  }, ADMIN_ENV));
