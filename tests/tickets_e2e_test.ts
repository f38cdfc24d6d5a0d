/**
 * End-to-end: numbered tickets, closing by the client, ratings and their comments, transfer,
 * saved replies, edits and reply threading — through the real bot, the fake Bot API and a
 * real SQLite file.
 *
 * Longer than most files: one scenario per ticket feature, each readable on its own.
 */
import assert from "node:assert/strict";
import type { ApiCall, FakeTelegram, FakeUser } from "./support/telegram.ts";
import { user } from "./support/telegram.ts";
import {
  registerAgent,
  RU,
  settled,
  shownText,
  waitForText,
  withHarness,
} from "./support/harness.ts";
import { stars, ticketNumber } from "../src/texts/mod.ts";

const alice = user(1101, "Alice", { username: "alice" });
const bob = user(1102, "Bob");
const agent1 = user(2101, "Agent", { last_name: "One" });
const agent2 = user(2102, "Agent", { last_name: "Two" });

const T1 = ticketNumber(1);
const T2 = ticketNumber(2);

/** The buttons of a bot message, flattened. */
function buttons(call: ApiCall): { text: string; callback_data: string }[] {
  const markup = call.params.reply_markup as
    | { inline_keyboard: { text: string; callback_data: string }[][] }
    | undefined;
  return markup?.inline_keyboard.flat() ?? [];
}

/** Presses the button with callback data `data` on the bot message `call`. */
function press(tg: FakeTelegram, who: FakeUser, call: ApiCall, data: string): void {
  assert.ok(
    buttons(call).some((b) => b.callback_data === data),
    `button ${data} on ${JSON.stringify(buttons(call))}`,
  );
  const messageId = (call.result as { message_id: number }).message_id;
  tg.sendCallbackQuery(who, data, { messageId });
}

/** Waits for the answer to a button press and returns its text ("" when none). */
async function answer(tg: FakeTelegram, after: number): Promise<string> {
  const call = await tg.waitFor((calls) =>
    calls.slice(after).find((c) => c.ok && c.method === "answerCallbackQuery")
  );
  return String(call.params.text ?? "");
}

/** Waits for the copy of `from`'s message (an agent's reply) in chat `to`. */
function copied(tg: FakeTelegram, to: FakeUser, message: { message_id: number }): Promise<ApiCall> {
  return tg.waitForCall(
    "copyMessage",
    (c) => c.ok && c.params.chat_id === to.id && c.params.message_id === message.message_id,
  );
}

/** A client with an open ticket at agent1: Alice wrote `first` and it was relayed. */
async function dialog(tg: FakeTelegram, first = "Здравствуйте"): Promise<void> {
  await registerAgent(tg, agent1);
  tg.sendText(alice, first);
  await waitForText(tg, agent1.id, first);
}

Deno.test("tickets are numbered; a returning client opens a new ticket linked to the last", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await dialog(tg);
    await waitForText(tg, alice.id, RU.ticketOpened(T1));
    await waitForText(tg, alice.id, RU.connected(T1));
    await waitForText(tg, agent1.id, RU.agentNewClient("Alice", T1, 0, null));
    let after = tg.calls.length;
    tg.sendText(agent1, "/end_chat");
    await waitForText(tg, alice.id, RU.ticketClosed(T1), after);
    await waitForText(tg, agent1.id, RU.endChatDone("Alice", T1), after);
    // The closed ticket is not reopened: the next message opens #2, linked to #1.
    after = tg.calls.length;
    tg.sendText(alice, "Снова я");
    await waitForText(tg, alice.id, RU.ticketOpened(T2), after);
    await waitForText(tg, agent1.id, RU.agentNewClient("Alice", T2, 0, T1), after);
    await waitForText(tg, agent1.id, "Снова я", after);
    const tickets = h.app.desk.store.ticketsOfClient(alice.id);
    assert.deepEqual(tickets.map((t) => [t.id, t.status, t.previousTicketId]), [
      [1, "closed", null],
      [2, "open", 1],
    ]);
  }));

Deno.test("a client closes their ticket with /close or the button; the agent takes the next", () =>
  withHarness(async (h) => {
    const { tg } = h;
    // Nothing to close yet.
    tg.sendText(bob, "/close");
    await waitForText(tg, bob.id, RU.nothingToClose);
    await dialog(tg);
    tg.sendText(bob, "Я жду");
    await waitForText(tg, bob.id, RU.queued(1));
    let after = tg.calls.length;
    tg.sendText(alice, "/close");
    await waitForText(tg, alice.id, RU.closedByClient(T1), after);
    await waitForText(tg, agent1.id, RU.agentClientClosed("Alice", T1), after);
    // The freed agent takes Bob; Bob closes with the button on the "connected" message.
    const connected = await waitForText(tg, bob.id, RU.connected(T2), after);
    await waitForText(tg, agent1.id, "Я жду", after);
    after = tg.calls.length;
    press(tg, bob, connected, `close:2`);
    await waitForText(tg, bob.id, RU.closedByClient(T2), after);
    assert.equal(await answer(tg, after), "");
    assert.equal(h.app.desk.store.getTicket(2)?.status, "closed");
    assert.equal(h.app.desk.store.getTicket(2)?.closedBy, "client");
    // The same button again: the ticket is closed already.
    after = tg.calls.length;
    press(tg, bob, connected, `close:2`);
    assert.equal(await answer(tg, after), RU.buttonStale);
    // Bob cannot close Alice's ticket with a forged button either.
    after = tg.calls.length;
    tg.sendCallbackQuery(bob, "close:1", { messageId: 1 });
    assert.equal(await answer(tg, after), RU.buttonStale);
  }));

Deno.test("rating: 1–5 buttons after closing, stored once, shown to the agent, with a comment", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await dialog(tg);
    await copied(tg, alice, tg.sendText(agent1, "Готово"));
    let after = tg.calls.length;
    tg.sendText(agent1, "/end_chat");
    const closed = await waitForText(tg, alice.id, RU.rateAsk, after);
    assert.deepEqual(buttons(closed).map((b) => b.callback_data), [
      "rate:1:1",
      "rate:1:2",
      "rate:1:3",
      "rate:1:4",
      "rate:1:5",
    ]);
    // A forged rating outside 1–5, and one for a ticket that is not hers, are refused.
    after = tg.calls.length;
    tg.sendCallbackQuery(alice, "rate:1:9", { messageId: 1 });
    assert.equal(await answer(tg, after), RU.buttonStale);
    after = tg.calls.length;
    tg.sendCallbackQuery(bob, "rate:1:1", { messageId: 1 });
    assert.equal(await answer(tg, after), RU.buttonStale);
    assert.equal(store.getTicket(1)?.rating, null);

    after = tg.calls.length;
    press(tg, alice, closed, "rate:1:4");
    // Its answer first: the next press must not find this one (calls of a lane race no test).
    assert.equal(await answer(tg, after), "");
    const thanks = await waitForText(tg, alice.id, RU.rateThanks(stars(4)), after);
    await waitForText(tg, agent1.id, RU.agentRated("Alice", T1, "★★★★☆"), after);
    assert.equal(store.getTicket(1)?.rating, 4);
    assert.ok(buttons(thanks).some((b) => b.callback_data === "skip:1"));
    // The buttons are taken off the rated message.
    await tg.waitFor((calls) =>
      calls.slice(after).find((c) =>
        c.method === "editMessageReplyMarkup" && c.params.chat_id === alice.id
      )
    );
    // The press is answered (without a text) before the next one is made: under load that
    // answer could otherwise come after `after` and be taken for the second press's.
    await tg.waitFor((calls) =>
      calls.slice(after).find((c) => c.method === "answerCallbackQuery" && c.ok)
    );
    // Rating twice changes nothing.
    after = tg.calls.length;
    press(tg, alice, closed, "rate:1:1");
    assert.equal(await answer(tg, after), RU.rateAlready);
    assert.equal(store.getTicket(1)?.rating, 4);

    // Her next text is the comment: stored, passed to the agent, no new ticket.
    after = tg.calls.length;
    tg.sendText(alice, "Быстро и вежливо");
    await waitForText(tg, alice.id, RU.commentThanks, after);
    await waitForText(tg, agent1.id, RU.agentComment("Alice", T1, "Быстро и вежливо"), after);
    assert.equal(store.getTicket(1)?.ratingComment, "Быстро и вежливо");
    assert.equal(store.ticketsOfClient(alice.id).length, 1);
    // The one after that is a new question.
    after = tg.calls.length;
    tg.sendText(alice, "Новый вопрос");
    await waitForText(tg, agent1.id, "Новый вопрос", after);
    assert.equal(store.ticketsOfClient(alice.id).length, 2);

    // /stats counts the rating.
    after = tg.calls.length;
    tg.sendText(agent1, "/stats");
    const stats = shownText(await waitForText(tg, agent1.id, "Ваша статистика", after));
    // The one rating, 4, with the Russian decimal mark; two tickets in 30 days.
    assert.match(stats, /(?<![\d,])4,0 из 5 \(1 оценка\)/);
    assert.match(stats.split("\n").find((l) => l.includes("30 дней:"))!, /: 2 обращения$/);
  }));

Deno.test("rating: skipping the comment, then the next message opens a ticket", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await dialog(tg);
    let after = tg.calls.length;
    tg.sendText(alice, "/close");
    const closed = await waitForText(tg, alice.id, RU.rateAsk, after);
    after = tg.calls.length;
    press(tg, alice, closed, "rate:1:5");
    const thanks = await waitForText(tg, alice.id, RU.rateThanks(stars(5)), after);
    after = tg.calls.length;
    press(tg, alice, thanks, "skip:1");
    await waitForText(tg, alice.id, RU.commentSkipped, after);
    after = tg.calls.length;
    tg.sendText(alice, "Ещё вопрос");
    await waitForText(tg, agent1.id, "Ещё вопрос", after);
    assert.equal(h.app.desk.store.getTicket(1)?.ratingComment, null);
    // No rating is asked for a ticket closed without an agent.
    after = tg.calls.length;
    tg.sendText(bob, "Вопрос");
    await waitForText(tg, bob.id, RU.queued(1), after);
    tg.sendText(bob, "/close");
    const bobClosed = await waitForText(tg, bob.id, RU.closedByClient(ticketNumber(3)), after);
    assert.equal(buttons(bobClosed).length, 0);
  }));

Deno.test("transfer to a free agent: history goes along, the client is told, stale buttons fail", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await dialog(tg, "Первое сообщение");
    await copied(tg, alice, tg.sendText(agent1, "Ответ первого специалиста"));
    await registerAgent(tg, agent2);
    let after = tg.calls.length;
    tg.sendText(agent1, "/transfer");
    const choose = await waitForText(tg, agent1.id, RU.transferChoose(T1), after);
    assert.deepEqual(buttons(choose).map((b) => [b.text, b.callback_data]), [
      ["Agent Two", `transfer:1:${agent2.id}`],
      [RU.transferQueueButton, "transfer:1:queue"],
    ]);
    after = tg.calls.length;
    press(tg, agent1, choose, `transfer:1:${agent2.id}`);
    await waitForText(tg, agent2.id, RU.transferIncoming(T1, "Alice", "Agent One"), after);
    await waitForText(tg, agent1.id, RU.transferDone(T1, "Agent Two"), after);
    await waitForText(tg, alice.id, RU.transferredClient(T1), after);
    const file = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === agent2.id);
    const text = file.files.document.text();
    assert.match(text, /Alice: Первое сообщение/);
    assert.match(text, /Agent One: Ответ первого специалиста/);
    assert.match(file.files.document.filename, /^ticket-1\.txt$/);
    // The dialog goes on with agent2; agent1 is free.
    after = tg.calls.length;
    tg.sendText(alice, "Продолжаю");
    await waitForText(tg, agent2.id, "👤 Alice:\nПродолжаю", after);
    await copied(tg, alice, tg.sendText(agent2, "Второй специалист на связи"));
    const store = h.app.desk.store;
    assert.equal(store.getUser(agent1.id)?.currentTicketId, null);
    assert.equal(store.getUser(agent2.id)?.currentTicketId, 1);
    assert.equal(store.getTicket(1)?.agentId, agent2.id);
    // The old buttons no longer work.
    after = tg.calls.length;
    press(tg, agent1, choose, `transfer:1:${agent2.id}`);
    assert.equal(await answer(tg, after), RU.buttonStale);
    // A client cannot transfer; a client's /transfer is refused.
    after = tg.calls.length;
    tg.sendText(alice, "/transfer");
    await waitForText(tg, alice.id, RU.agentOnly, after);
  }));

Deno.test("transfer: nobody free, back to the queue; a busy target is refused", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await registerAgent(tg, agent2);
    await dialog(tg); // agent1 registered after agent2: Alice goes to agent1 (seen later)
    const first = store.getTicket(1)!.agentId!;
    const [mine, other] = first === agent1.id ? [agent1, agent2] : [agent2, agent1];
    // The other agent takes Bob, so nobody is free.
    tg.sendText(bob, "Я тоже");
    await waitForText(tg, other.id, "Я тоже");
    let after = tg.calls.length;
    tg.sendText(mine, "/transfer");
    const choose = await waitForText(tg, mine.id, RU.transferNobody(T1), after);
    assert.deepEqual(buttons(choose).map((b) => b.callback_data), ["transfer:1:queue"]);
    // A forged button for the busy agent is refused.
    after = tg.calls.length;
    tg.sendCallbackQuery(mine, `transfer:1:${other.id}`, { messageId: 1 });
    await waitForText(tg, mine.id, RU.transferNotFree, after);
    assert.equal(store.getTicket(1)?.agentId, mine.id);
    // Back to the queue: the client is told; the agent who gave it up does not get it back.
    after = tg.calls.length;
    press(tg, mine, choose, "transfer:1:queue");
    await waitForText(tg, mine.id, RU.transferQueued(T1), after);
    await waitForText(tg, alice.id, RU.returnedToQueue(T1), after);
    await settled(h);
    assert.equal(store.getTicket(1)?.status, "queued");
    assert.equal(store.getUser(mine.id)?.currentTicketId, null);
    // The other agent frees up and takes it, with what Alice wrote.
    after = tg.calls.length;
    tg.sendText(other, "/end_chat");
    await waitForText(tg, other.id, RU.agentNewClient("Alice", T1, 0, null), after);
    await waitForText(tg, other.id, "👤 Alice:\nЗдравствуйте", after);
    assert.equal(store.getTicket(1)?.agentId, other.id);
  }));

Deno.test("saved replies: add, list as buttons, send as the agent, delete; bad input", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await dialog(tg);
    let after = tg.calls.length;
    tg.sendText(agent1, "/canned");
    await waitForText(tg, agent1.id, RU.cannedEmpty, after);
    tg.sendText(agent1, "/canned add two words text");
    tg.sendText(agent1, "/canned add");
    tg.sendText(agent1, "/canned add <b>bad</b>name text");
    tg.sendText(agent1, "/canned frobnicate");
    await waitForText(tg, agent1.id, RU.cannedSaved("two"), after);
    await waitForText(tg, agent1.id, RU.cannedUsage, after);
    await waitForText(tg, agent1.id, RU.cannedBadName, after);
    after = tg.calls.length;
    tg.sendText(agent1, "/canned add привет Здравствуйте!\nЧем помочь?");
    await waitForText(tg, agent1.id, RU.cannedSaved("привет"), after);
    after = tg.calls.length;
    tg.sendText(agent1, "/canned");
    const list = await waitForText(tg, agent1.id, RU.cannedList, after);
    assert.deepEqual(buttons(list).map((b) => b.text), ["two", "привет"]);
    const id = store.cannedOf(agent1.id).find((r) => r.name === "привет")!.id;
    // Another agent cannot use it.
    await registerAgent(tg, agent2);
    after = tg.calls.length;
    tg.sendCallbackQuery(agent2, `canned:${id}`, { messageId: 1 });
    assert.equal(await answer(tg, after), RU.buttonStale);
    // agent1 sends it: Alice gets the text as the agent's message; the history has it.
    after = tg.calls.length;
    press(tg, agent1, list, `canned:${id}`);
    await waitForText(tg, alice.id, "Здравствуйте!\nЧем помочь?", after);
    assert.equal(await answer(tg, after), RU.cannedSent("привет"));
    await settled(h);
    const ticket = store.getTicket(1)!;
    assert.ok(ticket.firstResponseAt !== null, "a saved reply is a first response");
    tg.sendText(agent1, "/history");
    const file = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === agent1.id);
    // A message's further lines are indented under its entry (only entries start a line).
    assert.match(file.files.document.text(), /Agent One: Здравствуйте!\n {4}Чем помочь\?/);
    // Delete, then delete again.
    after = tg.calls.length;
    tg.sendText(agent1, "/canned del привет");
    await waitForText(tg, agent1.id, RU.cannedDeleted("привет"), after);
    tg.sendText(agent1, "/canned del привет");
    await waitForText(tg, agent1.id, RU.cannedUnknown("привет"), after);
    // The deleted reply's button is stale; a client's /canned is refused.
    after = tg.calls.length;
    press(tg, agent1, list, `canned:${id}`);
    assert.equal(await answer(tg, after), RU.buttonStale);
    tg.sendText(alice, "/canned");
    await waitForText(tg, alice.id, RU.agentOnly, after);
  }));

Deno.test("edits: the copy is edited on the other side; the history keeps both versions", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await dialog(tg);
    const question = tg.sendText(alice, "Сколько стоит доставка?");
    await waitForText(tg, agent1.id, "Сколько стоит доставка?");
    const photo = tg.sendMedia(alice, "photo", { caption: "старая подпись" });
    await waitForText(tg, agent1.id, "старая подпись");
    const reply = tg.sendText(agent1, "300 рублей");
    await copied(tg, alice, reply);
    await settled(h);
    const store = h.app.desk.store;
    const copyOf = (chat: number, id: number) => store.ownMessage(chat, id)!.copyMessageId!;

    let after = tg.calls.length;
    tg.sendEdit(alice, question.message_id, { text: "Сколько стоит доставка в Казань?" });
    const edited = await tg.waitForCall("editMessageText", (c) => c.params.chat_id === agent1.id);
    assert.equal(edited.params.text, "👤 Alice:\nСколько стоит доставка в Казань?");
    assert.equal(edited.params.message_id, copyOf(alice.id, question.message_id));
    tg.sendEdit(alice, photo.message_id, { caption: "новая подпись" });
    const caption = await tg.waitForCall(
      "editMessageCaption",
      (c) => c.params.chat_id === agent1.id,
    );
    assert.equal(caption.params.caption, "👤 Alice:\nновая подпись");
    tg.sendEdit(agent1, reply.message_id, { text: "350 рублей" });
    const agentEdit = await tg.waitForCall("editMessageText", (c) => c.params.chat_id === alice.id);
    assert.equal(agentEdit.params.text, "350 рублей");
    assert.equal(agentEdit.params.message_id, copyOf(agent1.id, reply.message_id));
    // An edit of a message the bot never kept (a command) changes nothing.
    const start = tg.sendText(alice, "/start");
    await settled(h);
    after = tg.calls.length;
    tg.sendEdit(alice, start.message_id, { text: "/start again" });
    await settled(h);
    assert.deepEqual(tg.calls.slice(after).filter((c) => c.method !== "getUpdates"), []);

    tg.sendText(agent1, "/history");
    const file = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === agent1.id);
    const text = file.files.document.text();
    assert.match(
      text,
      /Alice: Сколько стоит доставка\?\n +✎ изменено .*: Сколько стоит доставка в Казань\?/,
    );
    assert.match(text, /Agent One: 300 рублей\n +✎ изменено .*: 350 рублей/);
    assert.match(text, /\[фото\] старая подпись\n +✎ изменено .*: новая подпись/);
  }));

Deno.test("edits: a message edited while queued goes out in its new version, once", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const queued = tg.sendText(bob, "Черновик");
    await waitForText(tg, bob.id, RU.queued(1));
    let after = tg.calls.length;
    tg.sendEdit(bob, queued.message_id, { text: "Исправленный вопрос" });
    await settled(h);
    assert.ok(!tg.calls.slice(after).some((c) => c.method.startsWith("edit")));
    after = tg.calls.length;
    await registerAgent(tg, agent1);
    await waitForText(tg, agent1.id, "👤 Bob:\nИсправленный вопрос", after);
    await settled(h);
    assert.ok(!tg.calls.slice(after).some((c) => shownText(c).includes("Черновик")));
  }));

Deno.test("reply threading: a reply to a message is a reply on the other side too", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await dialog(tg);
    const q1 = tg.sendText(alice, "Вопрос один");
    await waitForText(tg, agent1.id, "Вопрос один");
    tg.sendText(alice, "Вопрос два");
    await waitForText(tg, agent1.id, "Вопрос два");
    await settled(h);
    const store = h.app.desk.store;
    const q1Copy = store.ownMessage(alice.id, q1.message_id)!.copyMessageId!;
    // The agent answers question one with Telegram's "reply" on its copy.
    const a1 = tg.sendReply(agent1, "Ответ на первый", q1Copy);
    const onClient = await copied(tg, alice, a1);
    assert.deepEqual(onClient.params.reply_parameters, {
      message_id: q1.message_id,
      allow_sending_without_reply: true,
    });
    await settled(h);
    // The client replies to the agent's copy: the agent sees a reply to their own message.
    const a1Copy = store.ownMessage(agent1.id, a1.message_id)!.copyMessageId!;
    tg.sendReply(alice, "Спасибо, а ещё?", a1Copy);
    const onAgent = await waitForText(tg, agent1.id, "Спасибо, а ещё?");
    assert.deepEqual(onAgent.params.reply_parameters, {
      message_id: a1.message_id,
      allow_sending_without_reply: true,
    });
    // A reply to something the bot does not know is just a message.
    tg.sendReply(alice, "Без ответа", 99_999);
    const plain = await waitForText(tg, agent1.id, "Без ответа");
    assert.equal(plain.params.reply_parameters, undefined);
  }));
