/**
 * Self-test of the emulator's Telegram Business (tools/emulator/business.ts) over real HTTP: a
 * connection pushes `business_connection`; a client's message to the account comes as
 * `business_message` in a chat of its own (its ids are not the bot's chat's); sends with
 * `business_connection_id` land there as the account, and are refused while the connection is
 * off, lacks `can_reply`, or the client has not written for 24 hours; `copyMessage` cannot
 * reach a business message; the bot cannot write first to a user who never started it;
 * `getBusinessConnection`, `readBusinessMessage`, `getMe`'s `can_connect_to_business`; the
 * account's inline keyboard and a press on it (a `callback_query` of the business message).
 */

import assert from "node:assert/strict";
import { BUSINESS_WINDOW_MS, FakeTelegram, user } from "./support/telegram.ts";

const owner = user(500, "Shop");
const ann = user(42, "Ann");

async function call(tg: FakeTelegram, method: string, body: Record<string, unknown>) {
  const res = await fetch(`${tg.apiRoot}/bot${tg.token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return await res.json();
}

async function updates(tg: FakeTelegram, allowed?: string[]) {
  const body = { offset: 0, timeout: 0, ...(allowed ? { allowed_updates: allowed } : {}) };
  return (await call(tg, "getUpdates", body)).result as Record<string, unknown>[];
}

Deno.test("business: a connection, a client's message in a chat of its own, the answer as the account", async () => {
  await using tg = await FakeTelegram.start();
  assert.equal((await call(tg, "getMe", {})).result.can_connect_to_business, false);
  tg.setBusinessMode(true);
  assert.equal((await call(tg, "getMe", {})).result.can_connect_to_business, true);
  const id = tg.connectBusiness(owner);
  const sent = tg.sendBusinessText(id, ann, "hello shop");
  const got = await updates(tg);
  const connection = got[0].business_connection as Record<string, unknown>;
  assert.equal(connection.id, id);
  assert.equal(connection.user_chat_id, owner.id);
  assert.equal(connection.is_enabled, true);
  assert.deepEqual(connection.rights, { can_reply: true, can_read_messages: true });
  const message = got[1].business_message as Record<string, unknown>;
  assert.equal(message.business_connection_id, id);
  assert.equal((message.chat as { id: number }).id, ann.id);
  assert.equal(message.text, "hello shop");

  // The bot's chat with Ann is another chat: its first message id is its own.
  const answer = await call(tg, "sendMessage", {
    business_connection_id: id,
    chat_id: ann.id,
    text: "hi Ann",
  });
  assert.equal(answer.ok, true);
  assert.equal(answer.result.from.id, owner.id, "sent as the account");
  assert.equal(answer.result.business_connection_id, id);
  assert.equal(answer.result.message_id, sent.message_id + 1, "one sequence in the chat");
  const chat = tg.businessMessagesIn(id, ann.id).map((m) => m.text);
  assert.deepEqual(chat, ["hello shop", "hi Ann"]);
  assert.equal(tg.messageIn(ann.id, answer.result.message_id), undefined, "not the bot's chat");

  const photo = await call(tg, "sendPhoto", {
    business_connection_id: id,
    chat_id: ann.id,
    photo: "AgAD-photo",
    caption: "look",
  });
  assert.equal(photo.ok, true);
  const edit = await call(tg, "editMessageText", {
    business_connection_id: id,
    chat_id: ann.id,
    message_id: answer.result.message_id,
    text: "hi Ann!",
  });
  assert.equal(edit.ok, true);
  assert.equal(tg.businessMessagesIn(id, ann.id)[1].text, "hi Ann!");

  const read = await call(tg, "readBusinessMessage", {
    business_connection_id: id,
    chat_id: ann.id,
    message_id: sent.message_id,
  });
  assert.equal(read.result, true);
  assert.equal(tg.businessRead(id, ann.id, sent.message_id), true);
  const fetched = await call(tg, "getBusinessConnection", { business_connection_id: id });
  assert.equal(fetched.result.user.id, owner.id);
  const unknown = await call(tg, "getBusinessConnection", { business_connection_id: "nope" });
  assert.equal(unknown.error_code, 400);
});

Deno.test("business: refused while off, without can_reply, after 24 hours; never as the bot", async () => {
  await using tg = await FakeTelegram.start();
  const id = tg.connectBusiness(owner);
  const sent = tg.sendBusinessText(id, ann, "hello");
  const send = () =>
    call(tg, "sendMessage", { business_connection_id: id, chat_id: ann.id, text: "answer" });

  // The bot's own chat: Ann never started the bot.
  const first = await call(tg, "sendMessage", { chat_id: ann.id, text: "as the bot" });
  assert.equal(first.error_code, 403);
  assert.equal(first.description, "Forbidden: bot can't initiate conversation with a user");
  const copied = await call(tg, "copyMessage", {
    chat_id: 7,
    from_chat_id: ann.id,
    message_id: sent.message_id,
  });
  assert.equal(copied.error_code, 400);
  assert.equal(copied.description, "Bad Request: message to copy not found");

  tg.changeBusiness(id, { enabled: false });
  assert.equal((await send()).description, "Bad Request: BUSINESS_CONNECTION_INVALID");
  tg.changeBusiness(id, { enabled: true, rights: { can_read_messages: true } });
  assert.equal((await send()).error_code, 403);
  tg.changeBusiness(id, { rights: { can_reply: true } });
  assert.equal((await send()).ok, true);
  tg.ageBusinessChat(id, ann.id, BUSINESS_WINDOW_MS + 1000);
  assert.equal((await send()).description, "Bad Request: BUSINESS_PEER_USAGE_MISSING");
  tg.sendBusinessText(id, ann, "again");
  assert.equal((await send()).ok, true);
  const got = await updates(tg, ["message"]);
  assert.equal(got.length, 0, "business updates must be asked for");
});

Deno.test("business: the owner's own messages, edits and deletions come as updates", async () => {
  await using tg = await FakeTelegram.start();
  const id = tg.connectBusiness(owner);
  const question = tg.sendBusinessText(id, ann, "price?");
  const own = tg.sendBusinessText(id, owner, "10 euro", { clientId: ann.id });
  tg.sendBusinessEdit(id, ann.id, question.message_id, "price of the red one?");
  tg.deleteBusinessMessages(id, ann.id, [question.message_id]);
  const got = await updates(tg);
  const ownMessage = got[2].business_message as Record<string, unknown>;
  assert.equal((ownMessage.from as { id: number }).id, owner.id);
  assert.equal((ownMessage.chat as { id: number }).id, ann.id);
  assert.equal(ownMessage.message_id, own.message_id);
  const edited = got[3].edited_business_message as Record<string, unknown>;
  assert.equal(edited.text, "price of the red one?");
  const deleted = got[4].deleted_business_messages as Record<string, unknown>;
  assert.deepEqual(deleted.message_ids, [question.message_id]);
  assert.equal(deleted.business_connection_id, id);
});

Deno.test("business: the account's inline keyboard is kept; a press comes as a callback query of the business message", async () => {
  await using tg = await FakeTelegram.start();
  const id = tg.connectBusiness(owner);
  tg.sendBusinessText(id, ann, "hello shop");
  const markup = { inline_keyboard: [[{ text: "5 ★", callback_data: "rate:1:5" }]] };
  const sent = await call(tg, "sendMessage", {
    business_connection_id: id,
    chat_id: ann.id,
    text: "rate us",
    reply_markup: markup,
  });
  assert.deepEqual(sent.result.reply_markup, markup);
  assert.throws(() => tg.pressBusinessButton(id, ann, sent.result.message_id, "rate:1:4"));
  const press = tg.pressBusinessButton(id, ann, sent.result.message_id, "rate:1:5");
  const query = (await updates(tg)).find((u) => u.callback_query)?.callback_query as Record<
    string,
    unknown
  >;
  assert.equal(query.id, press.callback_query_id);
  assert.equal((query.from as { id: number }).id, ann.id);
  assert.equal(query.data, "rate:1:5");
  const message = query.message as Record<string, unknown>;
  assert.equal(message.business_connection_id, id, "the business message");
  assert.equal(message.message_id, sent.result.message_id);
  const answered = await call(tg, "answerCallbackQuery", { callback_query_id: query.id });
  assert.equal(answered.ok, true);
  // The buttons go with an edit as the account.
  const edited = await call(tg, "editMessageReplyMarkup", {
    business_connection_id: id,
    chat_id: ann.id,
    message_id: sent.result.message_id,
    reply_markup: { inline_keyboard: [] },
  });
  assert.equal(edited.ok, true);
  assert.throws(() => tg.pressBusinessButton(id, ann, sent.result.message_id, "rate:1:5"));
});
