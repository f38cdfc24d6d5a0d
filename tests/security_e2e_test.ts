/**
 * End-to-end regression tests of the desk's security findings, through the real bot, the fake
 * Bot API and a real SQLite file:
 *
 * - a banned client gets nothing through and is answered nothing: not their old or forged
 *   rating buttons, not a comment, not `/register_support`, not a stale button;
 * - edits are mirrored only between a ticket's client and its current agent while it is open:
 *   not by an agent revoked or transferred away, not to them;
 * - the support token never stays in a chat nor leaves it: `/register_support@username`, a
 *   caption, an edit, an agent's message; not in the messages, the history file or `/export`;
 * - `/ban @username` hits the name's holder now, and refuses a name it cannot tell;
 * - a client's multi-line text (or rating comment) cannot fake an entry in the `/history` file.
 *
 * Longer than most files: one scenario per finding, each readable on its own.
 */
import assert from "node:assert/strict";
import { stars, ticketNumber } from "../src/texts/mod.ts";
import { type ApiCall, type FakeTelegram, type FakeUser, user } from "./support/telegram.ts";
import { admin, ADMIN_ID } from "./support/people.ts";
import {
  ask,
  type Harness,
  registerAgent,
  RU,
  settled,
  shownText,
  SUPPORT_TOKEN,
  textsTo,
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

// ---- Finding 12: the support token ----

const bob = user(1202, "Bob");

/** Waits for the bot to delete message `messageId` of `who`'s chat. */
function deleted(tg: FakeTelegram, who: FakeUser, messageId: number): Promise<ApiCall> {
  return tg.waitForCall(
    "deleteMessage",
    (c) => c.ok && c.params.chat_id === who.id && c.params.message_id === messageId,
    { message: `the deletion of message ${messageId} in the chat of ${who.id}` },
  );
}

/** Every text and earlier version the database keeps, joined. */
function storedTexts(h: Harness): string {
  const rows = h.app.db.prepare(
    `SELECT text FROM messages WHERE text IS NOT NULL
     UNION ALL SELECT text FROM message_edits WHERE text IS NOT NULL`,
  ).all() as { text: string }[];
  return rows.map((r) => r.text).join("\n");
}

/**
 * Asserts that the token is nowhere: not in the messages (or their earlier versions), not in
 * any delivery, not in agent1's `/history` file of Alice, not in the admin's `/export` of
 * these days; `kept` is a text that is (so the files are the right ones).
 */
async function assertTokenNowhere(h: Harness, kept: string): Promise<void> {
  const { tg } = h;
  await settled(h);
  assert.ok(!storedTexts(h).includes(SUPPORT_TOKEN), storedTexts(h));
  const deliveries = h.app.db.prepare("SELECT params FROM deliveries").all() as {
    params: string;
  }[];
  assert.ok(!deliveries.some((d) => d.params.includes(SUPPORT_TOKEN)));
  let after = tg.calls.length;
  tg.sendText(agent1, "/history");
  const history = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === agent1.id, {
    after,
  });
  assert.ok(history.files.document.text().includes(`Alice: ${kept}\n`));
  assert.ok(!history.files.document.text().includes(SUPPORT_TOKEN));
  const day = (offset: number) =>
    new Date(Date.now() + offset * 24 * 3600_000).toISOString().slice(0, 10);
  after = tg.calls.length;
  tg.sendText(admin, `/export ${day(-1)} ${day(1)}`);
  const exported = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === ADMIN_ID, {
    after,
  });
  assert.ok(exported.files.document.text().includes(kept));
  assert.ok(!exported.files.document.text().includes(SUPPORT_TOKEN));
}

/** The calls to agent1 after `after`, but the deletion of their own message and its notice. */
function relayedToAgent(tg: FakeTelegram, after: number): ApiCall[] {
  return callsTo(tg, agent1.id, after).filter((c) =>
    c.method !== "deleteMessage" &&
    !(c.method === "sendMessage" && shownText(c) === RU.tokenRemoved)
  );
}

Deno.test("/register_support@<this bot> TOKEN registers; addressed to any other @name the token is still deleted", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await dialog(tg, alice, "Здравствуйте", "Слушаю");
    // grammY takes `/command@username` for this bot's own username, in any case.
    const newcomer = user(3201, "New", { last_name: "Agent" });
    let after = tg.calls.length;
    const addressed = tg.sendText(newcomer, `/register_support@Test_Desk_Bot ${SUPPORT_TOKEN}`);
    await deleted(tg, newcomer, addressed.message_id);
    await waitForText(tg, newcomer.id, RU.registerOk, after);
    assert.equal(store.getUser(newcomer.id)?.isAgent, true);
    // Addressed to a username that is not the bot's (an old one, a typo): not a command of
    // this bot, so nobody registers, but the token is deleted all the same.
    after = tg.calls.length;
    const elsewhere = tg.sendText(bob, `/register_support@old_desk_bot ${SUPPORT_TOKEN}`);
    await deleted(tg, bob, elsewhere.message_id);
    await waitForText(tg, bob.id, RU.tokenRemoved, after);
    assert.equal(store.getUser(bob.id)?.isAgent, false);
    // An agent's own unknown command with the token, too.
    after = tg.calls.length;
    const typo = tg.sendText(agent1, `/REGISTER_SUPPORT ${SUPPORT_TOKEN}`);
    await deleted(tg, agent1, typo.message_id);
    await settled(h);
    assert.deepEqual(relayedToAgent(tg, after), []);
    await assertTokenNowhere(h, "Здравствуйте");
  }, ADMIN_ENV));

Deno.test("a photo captioned /register_support TOKEN is deleted, never relayed, kept nowhere", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await dialog(tg, alice, "Здравствуйте", "Слушаю");
    await settled(h);
    const after = tg.calls.length;
    const photo = tg.sendMedia(alice, "photo", { caption: `/register_support ${SUPPORT_TOKEN}` });
    await deleted(tg, alice, photo.message_id);
    await waitForText(tg, alice.id, RU.tokenRemoved, after);
    // The agent's side too: a message of theirs with the token never reaches the client.
    const pasted = tg.sendText(agent1, `Токен: ${SUPPORT_TOKEN}`);
    await deleted(tg, agent1, pasted.message_id);
    await waitForText(tg, agent1.id, RU.tokenRemoved, after);
    await settled(h);
    assert.deepEqual(relayedToAgent(tg, after), [], "nothing was relayed to the agent");
    assert.ok(!callsTo(tg, alice.id, after).some((c) => c.method === "copyMessage"));
    assert.equal(store.ownMessage(alice.id, photo.message_id), undefined);
    assert.equal(store.getUser(alice.id)?.isAgent, false);
    await assertTokenNowhere(h, "Здравствуйте");
  }, ADMIN_ENV));

Deno.test("a message edited to carry the token is deleted; the new version is neither stored nor mirrored", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    const { question, answer } = await dialog(tg, alice, "Здравствуйте", "Слушаю");
    await settled(h);
    const after = tg.calls.length;
    tg.sendEdit(alice, question, { text: `Здравствуйте, мой токен ${SUPPORT_TOKEN}` });
    await deleted(tg, alice, question);
    await waitForText(tg, alice.id, RU.tokenRemoved, after);
    tg.sendEdit(agent1, answer, { text: `Слушаю. ${SUPPORT_TOKEN}` });
    await deleted(tg, agent1, answer);
    await settled(h);
    assert.deepEqual(relayedToAgent(tg, after), [], "nothing was relayed to the agent");
    assert.ok(!callsAfter(tg, after).some((c) => c.method.startsWith("edit")));
    assert.equal(store.ownMessage(alice.id, question)?.text, "Здравствуйте");
    assert.equal(store.ownMessage(agent1.id, answer)?.text, "Слушаю");
    assert.equal(store.ownMessage(alice.id, question)?.editedAt, null);
    await assertTokenNowhere(h, "Здравствуйте");
  }, ADMIN_ENV));

Deno.test("the support token in any other command, or from a banned client, is deleted and not acted on", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await registerAgent(tg, agent1);
    // An agent who pastes the token into a saved reply: deleted, nothing saved.
    let after = tg.calls.length;
    const canned = tg.sendText(agent1, `/canned add token ${SUPPORT_TOKEN}`);
    await deleted(tg, agent1, canned.message_id);
    await waitForText(tg, agent1.id, RU.tokenRemoved, after);
    assert.deepEqual(store.cannedOf(agent1.id), []);
    // A name given with the token in it is not taken as a name.
    after = tg.calls.length;
    tg.sendText(bob, "/start");
    await waitForText(tg, bob.id, RU.askName, after);
    const named = tg.sendText(bob, `Bob ${SUPPORT_TOKEN}`);
    await deleted(tg, bob, named.message_id);
    await settled(h);
    assert.equal(store.getUser(bob.id)?.name, null);
    assert.equal(store.ticketsOfClient(bob.id).length, 0);

    // A banned client's messages with the token are deleted, and nothing is said.
    tg.sendText(alice, "Вопрос");
    await waitForText(tg, agent1.id, "Вопрос");
    await ask(tg, admin, `/ban @alice`, RU.banDone("Alice"));
    await settled(h);
    after = tg.calls.length;
    const text = tg.sendText(alice, `вот ${SUPPORT_TOKEN}`);
    const command = tg.sendText(alice, `/start ${SUPPORT_TOKEN}`);
    const unknown = tg.sendText(alice, `/frobnicate ${SUPPORT_TOKEN}`);
    await settled(h);
    assert.deepEqual(
      callsTo(tg, alice.id, after).map((c) => [c.method, c.params.message_id]),
      [text, command, unknown].map((m) => ["deleteMessage", m.message_id]),
    );
    assert.deepEqual(textsTo(tg, agent1.id, after), []);
    assert.ok(!storedTexts(h).includes(SUPPORT_TOKEN));
  }, ADMIN_ENV));

// ---- Finding 13: /ban @username ----

Deno.test("/ban @username hits the name's holder now; a name it cannot tell is refused with the ids", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    // @shop_help first belonged to `before`; it moved to `holder` (who writes later). `before`
    // has not written since, so the bot still has them under that name.
    const before = user(3301, "Old", { username: "shop_help" });
    const holder = user(3302, "New", { username: "Shop_Help" });
    await ask(tg, before, "Вопрос", RU.queued(1));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await ask(tg, holder, "Другой вопрос", RU.queued(2));

    await ask(tg, admin, "/ban @shop_help", RU.banDone("New"));
    assert.notEqual(store.getUser(holder.id)?.bannedAt, null);
    assert.equal(store.getUser(before.id)?.bannedAt, null, "not the one who had it before");
    await ask(tg, admin, "/unban @SHOP_HELP", RU.unbanDone("New"));
    assert.equal(store.getUser(holder.id)?.bannedAt, null);

    // A case change is the same name, held since the same time: the holder stays.
    const since = () =>
      h.app.db.prepare("SELECT user_id AS id, username_since AS since FROM users ORDER BY user_id")
        .all() as { id: number; since: number | null }[];
    const held = since().find((r) => r.id === holder.id)!.since;
    assert.ok(held !== null && held > since().find((r) => r.id === before.id)!.since!);
    holder.username = "shop_HELP";
    tg.sendText(holder, "Ещё");
    await settled(h);
    assert.equal(since().find((r) => r.id === holder.id)!.since, held);

    // Two users with the name and no time for either (kept before the time was recorded):
    // the bot cannot tell, so it asks for the id, and bans nobody.
    h.app.db.prepare("UPDATE users SET username_since = NULL").run();
    const refused = await ask(
      tg,
      admin,
      "/ban @shop_help",
      RU.userAmbiguous("ban", "@shop_help", [before.id, holder.id]),
    );
    assert.equal(shownText(refused), RU.userAmbiguous("ban", "@shop_help", [before.id, holder.id]));
    assert.equal(store.getUser(before.id)?.bannedAt, null);
    assert.equal(store.getUser(holder.id)?.bannedAt, null);
    // By id it works.
    await ask(tg, admin, `/ban ${before.id}`, RU.banDone("Old"));

    // The first one writes again, under a new name: the old name is the other's alone.
    before.username = "old_shop";
    tg.sendText(before, "Я сменил имя");
    await settled(h);
    await ask(tg, admin, "/revoke @shop_help", RU.revokeNotAgent("New"));
    await ask(tg, admin, "/unban @old_shop", RU.unbanDone("Old"));
  }, ADMIN_ENV));

// ---- Finding 13, too: the text history ----

/** Every way a viewer may break a line (as the history file splits them). */
const LINE_BREAK = /\r\n|[\n\r\v\f\x85\u2028\u2029]/;

Deno.test("/history file: a client's multi-line text or comment cannot fake an entry", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    const stamp = "[2026-01-01 10:00 UTC]";
    const fakes = [
      `Вопрос\n${stamp} Agent One: Пришлите код из СМС`,
      `Раз\r${stamp} Agent One: через CR\r\n${stamp} Agent One: через CRLF`,
      `Два\u2028${stamp} Agent One: через LS\u2029${stamp} Agent One: через PS`,
      `Три\v${stamp} Agent One: VT\f${stamp} Agent One: FF\x85${stamp} Agent One: NEL`,
    ];
    const first = tg.sendText(alice, fakes[0]);
    await waitForText(tg, agent1.id, "Пришлите код");
    for (const text of fakes.slice(1)) tg.sendText(alice, text);
    tg.sendText(agent1, "Настоящий ответ");
    await settled(h);
    tg.sendEdit(alice, first.message_id, { text: `Правка\n${stamp} Agent One: из правки` });
    await settled(h);
    // A rating comment is the client's words too, in the ticket's heading.
    let after = tg.calls.length;
    tg.sendText(agent1, "/end_chat");
    const rateAsk = await waitForText(tg, alice.id, RU.rateAsk, after);
    tg.sendCallbackQuery(alice, "rate:1:5", { messageId: messageIdOf(rateAsk) });
    await waitForText(tg, alice.id, RU.rateThanks(stars(5)), after);
    tg.sendText(alice, `Спасибо\n${stamp} Agent One: из комментария`);
    await waitForText(tg, alice.id, RU.commentThanks, after);
    tg.sendText(alice, "Новый вопрос");
    await waitForText(tg, agent1.id, "Новый вопрос", after);

    after = tg.calls.length;
    tg.sendText(agent1, "/history");
    const call = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === agent1.id, {
      after,
    });
    const text = call.files.document.text();
    const lines = text.split(LINE_BREAK);
    // Every line that starts like an entry is one of the real messages, in order.
    const entries = lines.filter((l) => l.startsWith("["));
    assert.deepEqual(
      entries.map((l) => l.replace(/^\[[^\]]*\] /, "").split(":")[0]),
      ["Alice", "Alice", "Alice", "Alice", "Agent One", "Alice"],
      text,
    );
    assert.ok(!entries.some((l) => l.includes(stamp)), text);
    // The faked lines are there, inside their message, indented.
    assert.ok(lines.includes(`    ${stamp} Agent One: Пришлите код из СМС`), text);
    assert.ok(lines.includes(`    ${stamp} Agent One: через LS`), text);
    assert.ok(lines.includes(`        ${stamp} Agent One: из правки`), text);
    assert.ok(lines.includes(`    ${stamp} Agent One: из комментария`), text);
    // Only the title, the headings and the entries start a line; the rest is indented.
    const unindented = lines.filter((l) => l !== "" && !l.startsWith(" "));
    assert.deepEqual(
      unindented.filter((l) => !l.startsWith("[")).map((l) => l.split(" ")[0]),
      ["История", "Обращение", "Обращение"],
    );
  }));

Deno.test("the token hidden in a link's address or a file's name is deleted, never relayed, kept nowhere", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await dialog(tg, alice, "Здравствуйте", "Слушаю");
    await settled(h);
    const after = tg.calls.length;
    // A link whose text is harmless and whose address carries the token.
    const text = "Вот ссылка на настройки";
    const link = tg.sendText(alice, text, {
      entities: [{
        type: "text_link",
        offset: 4,
        length: 6,
        url: `https://example.com/setup?token=${SUPPORT_TOKEN}`,
      }],
    });
    await deleted(tg, alice, link.message_id);
    // A file named after it.
    const file = tg.sendMedia(alice, "document", { fileName: `${SUPPORT_TOKEN}.txt` });
    await deleted(tg, alice, file.message_id);
    await settled(h);
    assert.ok(!callsTo(tg, agent1.id, after).some((c) => c.method === "copyMessage"));
    assert.equal(store.ownMessage(alice.id, link.message_id), undefined);
    assert.equal(store.ownMessage(alice.id, file.message_id), undefined);
    const stored = h.app.db.prepare("SELECT entities FROM messages WHERE entities IS NOT NULL")
      .all() as { entities: string }[];
    assert.ok(!stored.some((r) => r.entities.includes(SUPPORT_TOKEN)));
    await assertTokenNowhere(h, "Здравствуйте");
  }, ADMIN_ENV));
