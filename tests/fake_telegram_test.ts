/**
 * Self-test of the fake Telegram Bot API server (tests/support/telegram.ts), driven by a real
 * grammY bot over real HTTP.
 */

import assert from "node:assert/strict";
import { Bot, GrammyError, HttpError, InputFile } from "grammy";
import type { Message, Update } from "grammy/types";
import { FakeTelegram, user } from "./support/telegram.ts";

const ann = user(42, "Ann", { username: "ann", language_code: "en" });
const bob = user(43, "Bob");

function botFor(tg: FakeTelegram): Bot {
  return new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
}

async function rawCall(
  tg: FakeTelegram,
  method: string,
  body: Record<string, unknown> = {},
  token = tg.token,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${tg.apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

Deno.test("getMe, wrong token, unknown method", async () => {
  await using tg = await FakeTelegram.start({ token: "777:SECRET" });
  const me = await botFor(tg).api.getMe();
  assert.equal(me.id, 777);
  assert.equal(me.is_bot, true);
  assert.equal(me.username, "test_desk_bot");

  const bad = await rawCall(tg, "getMe", {}, "777:WRONG");
  assert.equal(bad.status, 401);
  assert.deepEqual(bad.json, { ok: false, error_code: 401, description: "Unauthorized" });

  const unknown = await rawCall(tg, "sendPaidMedia", { chat_id: 1 });
  assert.equal(unknown.status, 404);
  assert.deepEqual(unknown.json, {
    ok: false,
    error_code: 404,
    description: "Not Found: method not found",
  });
  assert.deepEqual(tg.calls.map((c) => [c.method, c.ok, c.status]), [
    ["getMe", true, 200],
    ["getMe", false, 401],
    ["sendPaidMedia", false, 404],
  ]);
});

Deno.test("sendMessage, copyMessage and sendDocument are recorded and answered", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const pushed = tg.sendText(ann, "hello");

  const sent = await bot.api.sendMessage(ann.id, "Hi *there*", {
    entities: [{ type: "bold", offset: 3, length: 7 }],
    reply_markup: { inline_keyboard: [[{ text: "OK", callback_data: "ok" }]] },
  });
  assert.equal(sent.message_id, 100000);
  assert.equal(sent.chat.id, ann.id);
  assert.equal(sent.chat.type, "private");
  assert.equal(sent.from?.id, 123456);
  assert.equal(sent.text, "Hi *there*");
  assert.deepEqual(sent.entities, [{ type: "bold", offset: 3, length: 7 }]);
  assert.ok(sent.reply_markup);

  const copy = await bot.api.copyMessage(-1001234567890, ann.id, pushed.message_id);
  assert.deepEqual(copy, { message_id: 100000 });

  const doc = await bot.api.sendDocument(
    ann.id,
    new InputFile(new TextEncoder().encode("hi"), "h.txt"),
    { caption: "a file", caption_entities: [{ type: "italic", offset: 0, length: 1 }] },
  );
  assert.equal(doc.message_id, 100001);
  assert.equal(doc.document?.file_name, "h.txt");
  assert.equal(doc.caption, "a file");

  const docCall = tg.callsOf("sendDocument")[0];
  assert.equal(docCall.params.chat_id, ann.id);
  assert.deepEqual(docCall.params.caption_entities, [{ type: "italic", offset: 0, length: 1 }]);
  assert.equal(docCall.files.document.filename, "h.txt");
  assert.equal(docCall.files.document.text(), "hi");

  assert.deepEqual(tg.sentTo(ann.id).map((c) => c.method), ["sendMessage", "sendDocument"]);
  assert.deepEqual(tg.sentTo(-1001234567890).map((c) => c.params.from_chat_id), [ann.id]);
  const copyCall = tg.callsOf("copyMessage")[0];
  assert.deepEqual(copyCall.result, { message_id: 100000 });

  // The uploaded file can be fetched back via getFile + the file endpoint.
  const file = await bot.api.getFile(doc.document!.file_id);
  const res = await fetch(`${tg.apiRoot}/file/bot${tg.token}/${file.file_path}`);
  assert.equal(await res.text(), "hi");
});

Deno.test("multipart with a File in the field, urlencoded and GET are decoded", async () => {
  await using tg = await FakeTelegram.start();
  const form = new FormData();
  form.set("chat_id", "42");
  form.set("reply_markup", JSON.stringify({ inline_keyboard: [[{ text: "x", url: "u" }]] }));
  form.set("photo", new File([new TextEncoder().encode("img")], "p.jpg"));
  const res = await fetch(`${tg.apiRoot}/bot${tg.token}/sendPhoto`, { method: "POST", body: form });
  const body = await res.json();
  assert.equal(body.ok, true);
  assert.equal(body.result.photo.length, 2);
  const call = tg.callsOf("sendPhoto")[0];
  assert.equal(call.params.chat_id, 42);
  assert.deepEqual(call.params.reply_markup, { inline_keyboard: [[{ text: "x", url: "u" }]] });
  assert.equal(call.files.photo.text(), "img");

  const url = await fetch(`${tg.apiRoot}/bot${tg.token}/sendMessage`, {
    method: "POST",
    body: new URLSearchParams({ chat_id: "43", text: "[not json" }),
  });
  assert.equal((await url.json()).result.text, "[not json");
  const get = await fetch(`${tg.apiRoot}/bot${tg.token}/sendChatAction?chat_id=44&action=typing`);
  assert.equal((await get.json()).result, true);
  assert.deepEqual(tg.calls.slice(1).map((c) => c.params.chat_id), [43, 44]);
});

Deno.test("blockChat answers 403 until unblocked", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  tg.blockChat(ann.id);
  await assert.rejects(bot.api.sendMessage(ann.id, "x"), (e: unknown) => {
    assert.ok(e instanceof GrammyError);
    assert.equal(e.error_code, 403);
    assert.equal(e.description, "Forbidden: bot was blocked by the user");
    return true;
  });
  await bot.api.sendMessage(bob.id, "fine");
  tg.unblockChat(ann.id);
  await bot.api.sendMessage(ann.id, "back");
  assert.deepEqual(tg.calls.map((c) => c.status), [403, 200, 200]);
  assert.deepEqual(tg.sentTo(ann.id).map((c) => c.params.text), ["back"]);
});

Deno.test("failNext, dropNext and delayNext", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);

  tg.failNext("sendMessage", { code: 429, retryAfter: 7 });
  await assert.rejects(bot.api.sendMessage(ann.id, "x"), (e: unknown) => {
    assert.ok(e instanceof GrammyError);
    assert.equal(e.error_code, 429);
    assert.equal(e.description, "Too Many Requests: retry after 7");
    assert.equal(e.parameters.retry_after, 7);
    return true;
  });

  tg.failNext("*", { code: 500, description: "Internal Server Error", count: 2, chatId: bob.id });
  await bot.api.sendMessage(ann.id, "other chat is unaffected");
  await assert.rejects(bot.api.sendChatAction(bob.id, "typing"), GrammyError);
  await assert.rejects(bot.api.sendMessage(bob.id, "x"), GrammyError);
  await bot.api.sendMessage(bob.id, "ok again");

  tg.dropNext("sendMessage");
  await assert.rejects(bot.api.sendMessage(ann.id, "dropped"), HttpError);
  const dropped = tg.calls.at(-1)!;
  assert.equal(dropped.status, 0);
  assert.equal(dropped.response, undefined);
  assert.equal((await bot.api.sendMessage(ann.id, "after drop")).text, "after drop");

  tg.delayNext("sendMessage", 150);
  const t0 = Date.now();
  await bot.api.sendMessage(ann.id, "slow");
  assert.ok(Date.now() - t0 >= 140);
  assert.deepEqual(
    tg.calls.map((c) => c.status),
    [429, 200, 500, 500, 200, 0, 200, 200],
  );
});

Deno.test("handle() installs custom methods; handler errors become 500 replies", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  tg.handle("getChat", (params) => ({ id: params.chat_id, type: "private", first_name: "Ann" }));
  assert.equal((await bot.api.getChat(ann.id)).id, ann.id);
  tg.handle("getChat", () => {
    throw new Error("boom");
  });
  await assert.rejects(bot.api.getChat(ann.id), (e: unknown) => {
    assert.ok(e instanceof GrammyError);
    assert.equal(e.error_code, 500);
    return true;
  });
  tg.handle("getChat", undefined);
  await assert.rejects(bot.api.getChat(ann.id), /method not found/);
});

Deno.test("rate limits answer 429 with retry_after (token bucket)", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  tg.enforceRateLimits({ perChatPerSecond: 1, perChatBurst: 3, globalPerSecond: 30 });
  for (let i = 0; i < 3; i++) await bot.api.sendMessage(ann.id, `m${i}`);
  await assert.rejects(bot.api.sendMessage(ann.id, "too fast"), (e: unknown) => {
    assert.ok(e instanceof GrammyError);
    assert.equal(e.error_code, 429);
    assert.equal(e.parameters.retry_after, 1);
    return true;
  });
  await bot.api.sendChatAction(ann.id, "typing"); // not a message: not limited
  await bot.api.sendMessage(bob.id, "other chat has its own bucket");
  assert.equal(tg.rateLimited, 1);
  tg.disableRateLimits();
  await bot.api.sendMessage(ann.id, "unlimited");
});

Deno.test("getUpdates: offsets confirm updates, limit, negative offset", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const a = tg.sendText(ann, "/start hello");
  const b = tg.sendText(ann, "second");
  const c = tg.sendMedia(bob, "photo", { caption: "pic" });
  assert.deepEqual([a.update_id, b.update_id, c.update_id], [1, 2, 3]);
  assert.deepEqual([a.message_id, b.message_id, c.message_id], [1, 2, 1]);
  assert.equal(tg.pendingUpdates, 3);

  const all = await bot.api.getUpdates();
  assert.deepEqual(all.map((u) => u.update_id), [1, 2, 3]);
  assert.deepEqual(all[0].message?.entities, [{ type: "bot_command", offset: 0, length: 6 }]);
  assert.equal(all[0].message?.from?.username, "ann");
  assert.equal(all[2].message?.photo?.length, 2);
  assert.equal(all[2].message?.caption, "pic");

  assert.deepEqual((await bot.api.getUpdates({ offset: 2, limit: 1 })).map((u) => u.update_id), [
    2,
  ]);
  assert.equal(tg.pendingUpdates, 2);
  assert.equal(tg.lastOffset, 2);
  assert.deepEqual(await bot.api.getUpdates({ offset: 4 }), []);
  assert.equal(tg.pendingUpdates, 0);

  tg.pushRaw({ strange_update: { foo: 1 } });
  tg.pushUpdate({ message_reaction: {} as Update["message_reaction"] });
  tg.sendText(bob, "x");
  tg.sendText(bob, "y");
  const last = await bot.api.getUpdates({ offset: -1 });
  assert.deepEqual(last.map((u) => u.message?.text), ["y"]);
  // The raw update was forgotten by the negative offset; the reaction was never delivered.
  assert.equal(tg.pendingUpdates, 1);
});

Deno.test("long poll is released by a pushed update, by timeout and by a newer poll", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);

  const t0 = Date.now();
  const polling = bot.api.getUpdates({ timeout: 10 });
  setTimeout(() => tg.sendText(ann, "wake up"), 50);
  const got = await polling;
  assert.deepEqual(got.map((u) => u.message?.text), ["wake up"]);
  assert.ok(Date.now() - t0 < 1000, "released quickly");

  // Fractional timeouts keep the test fast.
  const empty = await bot.api.getUpdates({ offset: 2, timeout: 0.1 });
  assert.deepEqual(empty, []);

  const older = bot.api.getUpdates({ offset: 2, timeout: 10 });
  await tg.waitFor(() => tg.pendingUpdates === 0 && tg.lastOffset === 2);
  await new Promise((r) => setTimeout(r, 20));
  const newer = bot.api.getUpdates({ offset: 2, timeout: 10 });
  assert.deepEqual(await older, []);
  tg.sendText(bob, "for the newer one");
  assert.deepEqual((await newer).map((u) => u.message?.text), ["for the newer one"]);

  // A client that gives up releases its held poll; the update waits for the next poll.
  const marker = tg.calls.length;
  const abort = new AbortController();
  assert.equal(tg.pendingUpdates, 1);
  const gone = fetch(`${tg.apiRoot}/bot${tg.token}/getUpdates?offset=3&timeout=10`, {
    signal: abort.signal,
  }).catch((e: unknown) => e);
  await tg.waitFor(() => tg.lastOffset === 3);
  abort.abort();
  const aborted = await tg.waitForCall("getUpdates", undefined, { after: marker });
  assert.equal(aborted.status, 0);
  assert.ok((await gone) instanceof Error);
  assert.equal(tg.pendingUpdates, 0, "offset 3 confirmed update 2");
  tg.sendText(bob, "later");
  assert.deepEqual((await bot.api.getUpdates({ offset: 3 })).map((u) => u.update_id), [3]);
});

Deno.test("close() answers a held long poll and rejects pending waitFor", async () => {
  const tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const polling = bot.api.getUpdates({ timeout: 30 });
  const waiting = assert.rejects(
    tg.waitForCall("sendMessage", undefined, { timeoutMs: 10_000 }),
    /closed/,
  );
  await new Promise((r) => setTimeout(r, 50));
  await tg.close();
  assert.deepEqual(await polling, []);
  await waiting;
  await tg.close(); // idempotent
});

Deno.test("waitFor / waitForCall resolve on new calls and time out readably", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  await bot.api.sendMessage(ann.id, "before");
  const marker = tg.calls.length;
  const waiting = tg.waitForCall("sendMessage", (c) => c.params.chat_id === ann.id, {
    after: marker,
  });
  setTimeout(() => void bot.api.sendMessage(ann.id, "after"), 30);
  const call = await waiting;
  assert.equal(call.params.text, "after");
  assert.equal((call.result as Message).text, "after");

  const count = await tg.waitFor((calls) => calls.length >= 2 && calls.length);
  assert.equal(count, 2);

  await assert.rejects(
    tg.waitForCall("sendPhoto", undefined, { timeoutMs: 60, message: "a photo to Ann" }),
    (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, /timed out after 60 ms: a photo to Ann/);
      assert.match(e.message, /#1 sendMessage chat_id=42 "after" -> ok/);
      return true;
    },
  );
});

Deno.test("bot.start() receives pushed messages and callback queries, then stops cleanly", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const texts: string[] = [];
  bot.command("start", (ctx) => ctx.reply(`Welcome, ${ctx.from?.first_name}!`));
  bot.on("message:text", async (ctx) => {
    texts.push(ctx.message.text);
    await ctx.reply(`echo: ${ctx.message.text}`, {
      reply_markup: { inline_keyboard: [[{ text: "Done", callback_data: "done" }]] },
    });
  });
  bot.on("message:document", (ctx) => ctx.reply(`got ${ctx.message.document.file_name}`));
  bot.on("callback_query:data", async (ctx) => {
    await ctx.answerCallbackQuery("thanks");
    await ctx.editMessageText("closed");
  });

  let started = false;
  const running = bot.start({ onStart: () => void (started = true) });

  tg.sendText(ann, "/start");
  const welcome = await tg.waitForCall("sendMessage", (c) => c.params.chat_id === ann.id);
  assert.equal(welcome.params.text, "Welcome, Ann!");
  assert.ok(started);

  tg.sendText(ann, "need help");
  const echo = await tg.waitForCall("sendMessage", (c) => c.params.text === "echo: need help");
  const echoId = (echo.result as Message).message_id;

  tg.sendMedia(bob, "document", { fileName: "report.pdf" });
  await tg.waitForCall("sendMessage", (c) => c.params.text === "got report.pdf");

  tg.sendCallbackQuery(ann, "done", { messageId: echoId });
  const edit = await tg.waitForCall("editMessageText");
  assert.equal(edit.params.message_id, echoId);
  assert.equal((edit.result as Message).text, "closed");
  assert.equal(tg.callsOf("answerCallbackQuery")[0].params.text, "thanks");

  await bot.stop();
  await running;
  assert.deepEqual(texts, ["need help"]);
  assert.equal(tg.pendingUpdates, 0, "bot.stop() confirmed every update");
  assert.deepEqual(tg.calls.slice(0, 2).map((c) => c.method).sort(), ["deleteWebhook", "getMe"]);
  const lastPoll = tg.callsOf("getUpdates").at(-1)!;
  assert.equal(lastPoll.params.offset, 5, "the final getUpdates confirms the last update");
});
