/**
 * The first hour as a user (issue 23), end to end through the real bot and the emulator:
 * `/help` answers by role (client, agent, admin, both) and is in every menu; registering ends
 * with the agent's commands; an agent's unknown command gets the agent's help; the staff group
 * has a menu and a `/help` of its own; a saved reply shows in the agent's chat (or the topic)
 * linked to the client's copy; buttons that no longer work disappear (the close button when the
 * ticket closes, "no comment" after the comment, a saved-reply list once used); the offline
 * reply names the zone as people do; the CSV export is in the admin's language.
 */
import assert from "node:assert/strict";
import {
  ask,
  EN,
  registerAgent,
  RU,
  settled,
  shownText,
  SUPPORT_TOKEN,
  waitForText,
  withHarness,
} from "./support/harness.ts";
import { admin, ADMIN_ID, agent1, alice, carol } from "./support/people.ts";
import { type ApiCall, type FakeTelegram, user } from "./support/telegram.ts";
import { threadTexts, topicOf, waitInThread, withTeam } from "./support/team.ts";
import { staffMenu } from "../src/desk/mod.ts";
import { CSV_COLUMNS } from "../src/reports/history.ts";
import { WEEKDAYS } from "../src/rules/business_hours.ts";
import { ticketNumber } from "../src/texts/mod.ts";

const T1 = ticketNumber(1);

/** The id Telegram gave the message a call sent. */
function sentId(call: ApiCall): number {
  return (call.result as { message_id: number }).message_id;
}

/** The callback data of the buttons under the message a call sent. */
function buttonsOf(call: ApiCall): string[] {
  const markup = call.params.reply_markup as
    | { inline_keyboard: { callback_data: string }[][] }
    | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data);
}

/** Waits until message `messageId` of chat `chatId` has no buttons left. */
function waitButtonsGone(tg: FakeTelegram, chatId: number, messageId: number): Promise<unknown> {
  return tg.waitFor(() => {
    const markup = tg.messageIn(chatId, messageId)?.reply_markup as
      | { inline_keyboard: unknown[][] }
      | undefined;
    return (markup?.inline_keyboard ?? []).flat().length === 0;
  }, { message: `the buttons of message ${messageId} in chat ${chatId} taken away` });
}

/** The buttons message `messageId` of chat `chatId` shows now. */
function buttonsNow(tg: FakeTelegram, chatId: number, messageId: number): unknown[] {
  const markup = tg.messageIn(chatId, messageId)?.reply_markup as
    | { inline_keyboard: unknown[][] }
    | undefined;
  return (markup?.inline_keyboard ?? []).flat();
}

// ---- help ----

Deno.test("/help answers by role: client, agent, admin, and an agent who is an admin", () =>
  withHarness(async (h) => {
    const { tg } = h;
    // A client: what a client can do.
    const client = await ask(tg, alice, "/help", RU.clientHelp);
    assert.equal(shownText(client), RU.clientHelp);
    const english = await ask(tg, carol, "/help", EN.clientHelp);
    assert.equal(shownText(english), EN.clientHelp);
    // An agent: the agent's commands, a line each.
    await registerAgent(tg, agent1);
    const agent = await ask(tg, agent1, "/help", RU.agentHelp);
    assert.equal(shownText(agent), RU.agentHelp);
    for (const command of ["/available", "/end_chat", "/transfer", "/canned", "/history"]) {
      assert.match(shownText(agent), new RegExp(`^${command} — `, "m"), command);
    }
    // An admin: the admin's commands.
    const boss = await ask(tg, admin, "/help", RU.adminHelp);
    assert.equal(shownText(boss), RU.adminHelp);
    // An admin who registers as an agent: both.
    await registerAgent(tg, admin);
    const both = await ask(tg, admin, "/help", RU.adminHelp);
    assert.equal(shownText(both), `${RU.agentHelp}\n\n${RU.adminHelp}`);
    // /help is in every menu.
    await settled(h);
    for (
      const [who, chat] of [[alice, alice.id], [agent1, agent1.id], [admin, admin.id]] as const
    ) {
      const menu = tg.commandMenu(chat, who).map((c) => c.command);
      assert.ok(menu.includes("help"), `${who.first_name}: ${menu}`);
    }
  }, { ADMIN_IDS: String(ADMIN_ID) }));

Deno.test("registering as an agent ends with the agent's commands", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const after = tg.calls.length;
    tg.sendText(agent1, `/register_support ${SUPPORT_TOKEN}`);
    const done = await waitForText(tg, agent1.id, RU.registerOk, after);
    assert.equal(shownText(done), `${RU.registerOk}\n\n${RU.agentCommands}`);
    assert.match(shownText(done), /\n\/stats — .+\n(.+\n)*\/help — .+$/);
    await settled(h);
  }));

Deno.test("an agent's unknown command gets the agent's help; a client's, the client's text", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    const agent = await ask(tg, agent1, "/endchat", RU.unknownCommandStaff);
    assert.equal(shownText(agent), `${RU.unknownCommandStaff}\n\n${RU.agentHelp}`);
    const client = await ask(tg, alice, "/endchat", RU.unknownCommand);
    assert.equal(shownText(client), RU.unknownCommand);
    await settled(h);
  }));

Deno.test("team: the staff group has its own menu, and /help there lists its commands", () =>
  withTeam(async (h, staff) => {
    const { tg } = h;
    // The members see the group's commands in the group, not the clients' menu.
    const menu = tg.commandMenu(staff, agent1);
    assert.deepEqual(menu, staffMenu("ru"));
    assert.ok(menu.some((c) => c.command === "take"), JSON.stringify(menu));
    // /help in General, then in a client's topic: the group's commands, with its note prefix.
    let after = tg.calls.length;
    tg.sendGroupText(staff, agent1, "/help");
    const general = await waitForText(tg, staff, RU.team.help("!!"), after);
    assert.equal(shownText(general), RU.team.help("!!"));
    assert.equal(general.params.message_thread_id, undefined);
    tg.sendText(alice, "Вопрос");
    const thread = await topicOf(tg, staff, "Alice");
    after = tg.calls.length;
    tg.sendGroupText(staff, agent1, "/help", { threadId: thread });
    await waitInThread(tg, staff, thread, RU.team.help("!!"));
    // A member's /help in their private chat: where they work, and the group's commands.
    const own = await ask(tg, agent1, "/help", RU.team.answerInGroup);
    assert.equal(shownText(own), `${RU.team.answerInGroup}\n\n${RU.team.help("!!")}`);
    await settled(h);
  }, { NOTE_PREFIX: "!!" }));

// ---- what the agent did, the agent sees ----

Deno.test("a saved reply shows in the agent's chat, linked to the copy; the list goes", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const reply = "Здравствуйте! Чем могу помочь?";
    await registerAgent(tg, agent1);
    await ask(tg, agent1, `/canned add hello ${reply}`, RU.cannedSaved("hello"));
    await ask(tg, alice, "Вопрос", RU.connected(T1));
    await settled(h);
    const list = await ask(tg, agent1, "/canned", RU.cannedList);
    await settled(h);
    const after = tg.calls.length;
    tg.sendCallbackQuery(agent1, buttonsOf(list)[0], { messageId: sentId(list) });
    const copy = await waitForText(tg, alice.id, reply, after);
    // The agent sees what went, as a message in their chat.
    const shown = await waitForText(tg, agent1.id, RU.cannedShown("hello", reply), after);
    assert.equal(shownText(shown), RU.cannedShown("hello", reply));
    // The list has done its job: its buttons are gone.
    await waitButtonsGone(tg, agent1.id, sentId(list));
    await settled(h);
    // Linked: the agent's reaction on it lands on the client's copy…
    tg.sendReaction(agent1, sentId(shown), "👍");
    await tg.waitFor(() => tg.reactionOn(alice.id, sentId(copy)) === "👍", {
      message: "the reaction on the client's copy",
    });
    // …and the agent's reply to it replies to the client's copy.
    const before = tg.calls.length;
    tg.sendReply(agent1, "Уточните, пожалуйста, номер заказа", sentId(shown));
    const answer = await tg.waitForCall(
      "copyMessage",
      (c) => c.params.chat_id === alice.id,
      { after: before },
    );
    const replyTo = answer.params.reply_parameters as { message_id: number } | undefined;
    assert.equal(replyTo?.message_id, sentId(copy));
    await settled(h);
  }));

Deno.test("team: a saved reply shows in the client's topic, linked to the client's copy", () =>
  withTeam(async (h, staff) => {
    const { tg } = h;
    const reply = "Добрый день! Сейчас посмотрю.";
    tg.sendText(alice, "Не проходит оплата");
    const thread = await topicOf(tg, staff, "Alice");
    await waitInThread(tg, staff, thread, "Не проходит оплата");
    tg.sendGroupText(staff, agent1, `/canned add hi ${reply}`, { threadId: thread });
    await waitInThread(tg, staff, thread, RU.cannedSaved("hi"));
    let after = tg.calls.length;
    tg.sendGroupText(staff, agent1, "/canned", { threadId: thread });
    const list = await waitForText(tg, staff, RU.cannedList, after);
    await settled(h);
    after = tg.calls.length;
    tg.sendCallbackQuery(agent1, buttonsOf(list)[0], { messageId: sentId(list), chatId: staff });
    const copy = await waitForText(tg, alice.id, reply, after);
    const expected = RU.team.cannedShown("Agent One", "hi", reply);
    const shown = await waitForText(tg, staff, expected, after);
    assert.ok(threadTexts(tg, staff, thread).includes(expected));
    await waitButtonsGone(tg, staff, sentId(list));
    await settled(h);
    // A member's answer in reply to it replies to the client's copy.
    const before = tg.calls.length;
    tg.sendGroupText(staff, agent1, "Номер заказа?", { threadId: thread, replyTo: sentId(shown) });
    const answer = await tg.waitForCall(
      "copyMessage",
      (c) => c.params.chat_id === alice.id,
      { after: before },
    );
    const replyTo = answer.params.reply_parameters as { message_id: number } | undefined;
    assert.equal(replyTo?.message_id, sentId(copy));
    await settled(h);
  }));

// ---- buttons that no longer work disappear ----

Deno.test("the close button goes when the ticket closes; no comment goes after the comment", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    const connected = await ask(tg, alice, "Вопрос", RU.connected(T1));
    assert.deepEqual(buttonsOf(connected), ["close:1"]);
    await settled(h);
    // The agent closes it: the client's close button goes.
    const closed = await ask(tg, agent1, "/end_chat", RU.endChatDone("Alice Smith", T1));
    assert.ok(closed);
    await waitButtonsGone(tg, alice.id, sentId(connected));
    // The rating asked; 5 pressed: thanks, with "no comment".
    const rateAsk = await waitForText(tg, alice.id, RU.rateAsk);
    let after = tg.calls.length;
    tg.sendCallbackQuery(alice, buttonsOf(rateAsk)[4], { messageId: sentId(rateAsk) });
    const thanks = await waitForText(tg, alice.id, RU.rateThanks("★★★★★"), after);
    assert.deepEqual(buttonsOf(thanks), ["skip:1"]);
    await settled(h);
    // The comment written: "no comment" would do nothing now, so it goes.
    after = tg.calls.length;
    tg.sendText(alice, "Спасибо, всё работает");
    await waitForText(tg, alice.id, RU.commentThanks, after);
    await waitButtonsGone(tg, alice.id, sentId(thanks));
    await settled(h);
    assert.deepEqual(buttonsNow(tg, alice.id, sentId(thanks)), []);
    assert.equal(h.app.desk.store.getTicket(1)?.ratingComment, "Спасибо, всё работает");
  }));

Deno.test("a close button the client did not press goes too when they close with another", () =>
  withHarness(async (h) => {
    const { tg } = h;
    // Nobody is free: the ticket waits, and the client gets its number with a close button.
    const queued = await ask(tg, alice, "Вопрос", RU.ticketOpened(T1));
    assert.deepEqual(buttonsOf(queued), ["close:1"]);
    await registerAgent(tg, agent1);
    const connected = await waitForText(tg, alice.id, RU.connected(T1));
    assert.deepEqual(buttonsOf(connected), ["close:1"]);
    await settled(h);
    // The client presses the newer one: both lose their buttons.
    tg.sendCallbackQuery(alice, "close:1", { messageId: sentId(connected) });
    await waitForText(tg, alice.id, RU.closedByClient(T1));
    await waitButtonsGone(tg, alice.id, sentId(connected));
    await waitButtonsGone(tg, alice.id, sentId(queued));
    await settled(h);
    // Each taken away once.
    const edits = tg.callsOf("editMessageReplyMarkup").filter((c) =>
      c.params.chat_id === alice.id && c.params.message_id === sentId(connected)
    );
    assert.equal(edits.length, 1);
  }));

// ---- the offline reply and the export ----

/** A schedule closed now in Moscow: one hour on the weekday three days ahead. */
function closedInMoscow(): string {
  const weekday = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Moscow", weekday: "short" })
    .format(Date.now());
  return `${WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 3) % 7]} 09:00-10:00`;
}

Deno.test("the offline reply names the zone as people do: «по московскому времени»", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const ru = await ask(tg, alice, "Вопрос ночью", "Сейчас мы не работаем");
    assert.match(shownText(ru), /, 09:00 по московскому времени\. /);
    assert.ok(!shownText(ru).includes("Europe/Moscow"), shownText(ru));
    const en = await ask(tg, carol, "A question at night", "We're closed right now");
    assert.match(shownText(en), /, 09:00 Moscow time\. /);
    await settled(h);
  }, { BUSINESS_HOURS: closedInMoscow(), TIMEZONE: "Europe/Moscow" }));

Deno.test("the CSV export is in one language, the admin's: headings and values", () => {
  const boss = user(ADMIN_ID, "Boss", { language_code: "en" });
  return withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    await ask(tg, alice, "Вопрос", RU.connected(T1));
    tg.sendMedia(alice, "photo", { caption: "скриншот" });
    await settled(h);
    const day = new Date().toISOString().slice(0, 10);
    const after = tg.calls.length;
    tg.sendText(boss, `/export ${day} ${day}`);
    const call = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === ADMIN_ID, {
      after,
    });
    const lines = new TextDecoder().decode(call.files.document.bytes).split("\r\n");
    assert.equal(lines[0], CSV_COLUMNS.map((c) => EN.history.columns[c]).join(","));
    assert.equal(
      lines[0],
      "message id,ticket,time,client id,client,client phone,written by," +
        "sender id,sender,kind,text,department,inbox",
    );
    // Who wrote and what kind, in English too; no Russian word but what the client wrote.
    // (No department here: that column is empty; the inbox is the bot.)
    const photo = lines.find((line) => line.endsWith(",скриншот,,the bot"))!;
    assert.match(photo, /,client,\d+,Alice Smith,photo,скриншот,,the bot$/);
    const question = lines.find((line) => line.endsWith(",Вопрос,,the bot"))!;
    assert.match(question, /,client,\d+,Alice Smith,message,Вопрос,,the bot$/);
    const words = lines.join("\n").replaceAll("скриншот", "").replaceAll("Вопрос", "");
    assert.doesNotMatch(words, /\p{Script=Cyrillic}/u, words);
  }, { ADMIN_IDS: String(ADMIN_ID) });
});
