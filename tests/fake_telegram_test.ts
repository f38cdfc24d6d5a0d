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

Deno.test("sendPhoto: an upload must be a picture, of dimensions Telegram takes", async () => {
  await using tg = await FakeTelegram.start();
  /** The first 24 bytes of a PNG of `width` × `height`: signature, IHDR length, type, size. */
  const png = (width: number, height: number) => {
    const bytes = new Uint8Array(33);
    bytes.set([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      0,
      0,
      0,
      13,
      0x49,
      0x48,
      0x44,
      0x52,
    ]);
    new DataView(bytes.buffer).setUint32(16, width);
    new DataView(bytes.buffer).setUint32(20, height);
    return bytes;
  };
  const send = async (bytes: Uint8Array<ArrayBuffer>) => {
    const form = new FormData();
    form.set("chat_id", "42");
    form.set("photo", new File([bytes], "p.png"));
    const res = await fetch(`${tg.apiRoot}/bot${tg.token}/sendPhoto`, {
      method: "POST",
      body: form,
    });
    return await res.json();
  };
  const text = await send(new TextEncoder().encode("not a picture"));
  assert.deepEqual([text.ok, text.description], [false, "Bad Request: IMAGE_PROCESS_FAILED"]);
  for (const [w, h] of [[100, 2_500], [6_000, 5_000]]) {
    const wrong = await send(png(w, h));
    assert.equal(wrong.description, "Bad Request: PHOTO_INVALID_DIMENSIONS", `${w}×${h}`);
  }
  const right = await send(png(800, 600));
  assert.equal(right.ok, true);
  assert.equal(tg.callsOf("sendPhoto").filter((c) => c.ok).length, 1);
});

Deno.test("multipart with a File in the field, urlencoded and GET are decoded", async () => {
  await using tg = await FakeTelegram.start();
  const form = new FormData();
  form.set("chat_id", "42");
  form.set("reply_markup", JSON.stringify({ inline_keyboard: [[{ text: "x", url: "u" }]] }));
  // The start of a JPEG: Telegram makes photos of pictures only.
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, ...new TextEncoder().encode("img")]);
  form.set("photo", new File([jpeg], "p.jpg"));
  const res = await fetch(`${tg.apiRoot}/bot${tg.token}/sendPhoto`, { method: "POST", body: form });
  const body = await res.json();
  assert.equal(body.ok, true);
  assert.equal(body.result.photo.length, 2);
  const call = tg.callsOf("sendPhoto")[0];
  assert.equal(call.params.chat_id, 42);
  assert.deepEqual(call.params.reply_markup, { inline_keyboard: [[{ text: "x", url: "u" }]] });
  assert.deepEqual(call.files.photo.bytes, jpeg);

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
  // Without the handler the emulator's own getChat answers: Ann never wrote, so no such chat.
  await assert.rejects(bot.api.getChat(ann.id), /400: Bad Request: chat not found/);
  tg.handle("getUserProfilePhotos", () => ({ total_count: 0, photos: [] }));
  assert.equal((await bot.api.getUserProfilePhotos(ann.id)).total_count, 0);
  tg.handle("getUserProfilePhotos", undefined);
  await assert.rejects(bot.api.getUserProfilePhotos(ann.id), /method not found/);
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

/** Asserts that `call` is rejected with a 400 whose description is `description`. */
async function rejects400(call: Promise<unknown>, description: string): Promise<void> {
  await assert.rejects(call, (e: unknown) => {
    assert.ok(e instanceof GrammyError, String(e));
    assert.equal(e.error_code, 400);
    assert.equal(e.description, description);
    return true;
  });
}

Deno.test("sendMediaGroup: file ids and uploads as one album, kept with their captions", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const asked = tg.sendText(ann, "show me");
  const sent: Message[] = await bot.api.sendMediaGroup(ann.id, [
    { type: "photo", media: "file-a", caption: "first", caption_entities: [] },
    { type: "video", media: "file-b" },
    { type: "photo", media: new InputFile(new TextEncoder().encode("png"), "c.png") },
  ], { reply_parameters: { message_id: asked.message_id } });
  assert.deepEqual(sent.map((m) => m.message_id), [100000, 100001, 100002]);
  const group = sent[0].media_group_id;
  assert.ok(group !== undefined && /^\d+$/.test(group));
  assert.ok(sent.every((m) => m.media_group_id === group));
  assert.equal(sent[0].photo?.at(-1)?.file_id, "file-a");
  assert.equal(sent[1].video?.file_id, "file-b");
  assert.equal(sent.map((m) => m.caption).join("|"), "first||");
  assert.ok(sent.every((m) => m.reply_to_message?.message_id === asked.message_id));
  // The upload was stored under a new file id, served like any other file.
  const uploaded = sent[2].photo!.at(-1)!.file_id;
  const path = (await bot.api.getFile(uploaded)).file_path;
  assert.equal(await (await fetch(`${tg.apiRoot}/file/bot${tg.token}/${path}`)).text(), "png");
  // Each part is remembered in the chat.
  assert.equal(tg.messageIn(ann.id, 100000)?.caption, "first");
  assert.equal(tg.messageIn(ann.id, 100002)?.media_group_id, group);
  // Another album gets another id; one item is sent alone (the server does, despite the docs).
  const docs: Message[] = await bot.api.sendMediaGroup(ann.id, [
    { type: "document", media: "d1" },
    { type: "document", media: "d2" },
  ]);
  assert.notEqual(docs[0].media_group_id, group);
  const [single]: Message[] = await bot.api.sendMediaGroup(ann.id, [{
    type: "audio",
    media: "a1",
  }]);
  assert.equal(single.media_group_id, undefined);
  assert.equal(single.audio?.file_id, "a1");
});

Deno.test("sendMediaGroup: Telegram's 400s for albums it refuses", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const photo = (n: number) => ({ type: "photo" as const, media: `p${n}` });
  const eleven = Array.from({ length: 11 }, (_, i) => photo(i));
  await rejects400(
    bot.api.sendMediaGroup(ann.id, eleven),
    "Bad Request: too many messages to send as an album",
  );
  await rejects400(
    bot.api.sendMediaGroup(ann.id, []),
    "Bad Request: there are no messages to send",
  );
  await rejects400(
    bot.api.sendMediaGroup(ann.id, [photo(1), { type: "document", media: "d" }] as never),
    "Bad Request: document can't be mixed with other media types",
  );
  await rejects400(
    bot.api.sendMediaGroup(
      ann.id,
      [{ type: "audio", media: "a" }, { type: "video", media: "v" }] as never,
    ),
    "Bad Request: audio can't be mixed with other media types",
  );
  await rejects400(
    bot.api.sendMediaGroup(ann.id, [photo(1), {
      type: "photo",
      media: "p",
      caption: "x".repeat(1025),
    }]),
    "Bad Request: message caption is too long",
  );
  // At the limit it goes.
  await bot.api.sendMediaGroup(ann.id, [{ ...photo(1), caption: "x".repeat(1024) }, photo(2)]);
  const raw = (media: unknown) => rawCall(tg, "sendMediaGroup", { chat_id: ann.id, media });
  const bad = [
    [undefined, 'Bad Request: parameter "media" is required'],
    [{ type: "photo" }, "Bad Request: expected an Array of InputMedia"],
    [
      [photo(1), { type: "animation", media: "x" }],
      "Bad Request: can't parse InputMedia: type \"animation\" can't be used in sendMediaGroup",
    ],
    [
      [photo(1), { type: "sticker", media: "x" }],
      'Bad Request: can\'t parse InputMedia: type "sticker" is unsupported',
    ],
    [[photo(1), { type: "photo" }], "Bad Request: can't parse InputMedia: media not found"],
    [
      [photo(1), { type: "photo", media: "attach://nothing" }],
      "Bad Request: can't parse InputMedia: media not found",
    ],
    [[photo(1), "p"], "Bad Request: can't parse InputMedia: expected an Object"],
  ] as const;
  for (const [media, description] of bad) {
    const { status, json } = await raw(media);
    assert.equal(status, 400);
    assert.deepEqual(json, { ok: false, error_code: 400, description });
  }
  const noChat = await rawCall(tg, "sendMediaGroup", { media: [photo(1), photo(2)] });
  assert.equal(noChat.json.description, "Bad Request: chat_id is empty");
  assert.equal(tg.sentTo(ann.id).length, 1, "only the album at the limit was sent");
});

Deno.test("copyMessage keeps the copy with the source's content, caption and buttons", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const photo = tg.sendMedia(ann, "photo", { caption: "before" });
  const sticker = tg.sendMedia(ann, "sticker");
  const text = tg.sendText(ann, "plain words");
  const markup = { inline_keyboard: [[{ text: "👤 Ann", callback_data: "card:42" }]] };
  const a = await bot.api.copyMessage(bob.id, ann.id, photo.message_id, {
    caption: "👤 Ann:\nbefore",
    caption_entities: [{ type: "bold", offset: 0, length: 5 }],
  });
  const b = await bot.api.copyMessage(bob.id, ann.id, sticker.message_id, { reply_markup: markup });
  const c = await bot.api.copyMessage(bob.id, ann.id, text.message_id, {
    reply_parameters: { message_id: a.message_id },
  });
  const copyOfPhoto = tg.messageIn(bob.id, a.message_id)!;
  assert.equal(copyOfPhoto.caption, "👤 Ann:\nbefore");
  assert.deepEqual(copyOfPhoto.caption_entities, [{ type: "bold", offset: 0, length: 5 }]);
  assert.deepEqual(copyOfPhoto.photo, photo.message.photo);
  assert.deepEqual((copyOfPhoto.from as { id: number }).id, tg.botUser.id);
  const copyOfSticker = tg.messageIn(bob.id, b.message_id)!;
  assert.deepEqual(copyOfSticker.sticker, sticker.message.sticker);
  assert.deepEqual(copyOfSticker.reply_markup, markup);
  const copyOfText = tg.messageIn(bob.id, c.message_id)!;
  assert.equal(copyOfText.text, "plain words");
  assert.equal((copyOfText.reply_to_message as { message_id: number }).message_id, a.message_id);
  // Without a caption given, the source's stays; the album id never does.
  const part = tg.sendAlbum(ann, [{ kind: "photo", caption: "one" }, { kind: "photo" }])[0];
  const d = await bot.api.copyMessage(bob.id, ann.id, part.message_id);
  assert.equal(tg.messageIn(bob.id, d.message_id)?.caption, "one");
  assert.equal(tg.messageIn(bob.id, d.message_id)?.media_group_id, undefined);
  await rejects400(
    bot.api.copyMessage(bob.id, ann.id, photo.message_id, { caption: "x".repeat(1025) }),
    "Bad Request: message caption is too long",
  );
});

Deno.test("copyMessages: in order, unknown ones skipped, the album kept together", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const album = tg.sendAlbum(ann, [
    { kind: "photo", caption: "a" },
    { kind: "video" },
    { kind: "photo", caption: "c" },
  ]);
  const ids = album.map((p) => p.message_id);
  assert.deepEqual(ids, [1, 2, 3]);
  const copies = await bot.api.copyMessages(bob.id, ann.id, [...ids, 99]);
  assert.deepEqual(copies, [{ message_id: 100000 }, { message_id: 100001 }, {
    message_id: 100002,
  }]);
  const kept = copies.map((c) => tg.messageIn(bob.id, c.message_id)!);
  assert.deepEqual(kept.map((m) => m.caption ?? ""), ["a", "", "c"]);
  assert.deepEqual(kept[1].video, album[1].message.video);
  const group = kept[0].media_group_id;
  assert.ok(typeof group === "string" && group !== album[0].message.media_group_id);
  assert.ok(kept.every((m) => m.media_group_id === group));
  const bare = await bot.api.copyMessages(bob.id, ann.id, [1, 2], { remove_caption: true });
  assert.equal(tg.messageIn(bob.id, bare[0].message_id)?.caption, undefined);

  await rejects400(
    bot.api.copyMessages(bob.id, ann.id, [2, 1]),
    "Bad Request: message identifiers must be in a strictly increasing order",
  );
  await rejects400(
    bot.api.copyMessages(bob.id, ann.id, [1, 1]),
    "Bad Request: message identifiers must be in a strictly increasing order",
  );
  await rejects400(
    bot.api.copyMessages(bob.id, ann.id, []),
    "Bad Request: message identifiers are not specified",
  );
  await rejects400(
    bot.api.copyMessages(bob.id, ann.id, Array.from({ length: 101 }, (_, i) => i + 1)),
    "Bad Request: too many message identifiers specified",
  );
  await rejects400(
    bot.api.copyMessages(bob.id, ann.id, [0, 1]),
    "Bad Request: invalid message identifier specified",
  );
  const noSource = await rawCall(tg, "copyMessages", { chat_id: bob.id, message_ids: [1] });
  assert.equal(noSource.json.description, 'Bad Request: parameter "from_chat_id" is required');
  const notArray = await rawCall(tg, "copyMessages", {
    chat_id: bob.id,
    from_chat_id: ann.id,
    message_ids: { id: 1 },
  });
  assert.equal(notArray.json.description, "Bad Request: expected an Array of message identifiers");
});

Deno.test("setMessageReaction: one emoji of Telegram's list, kept per message, [] removes it", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const m = tg.sendText(ann, "hello");
  assert.equal(tg.reactionOn(ann.id, m.message_id), undefined);
  assert.equal(
    await bot.api.setMessageReaction(ann.id, m.message_id, [{ type: "emoji", emoji: "👀" }]),
    true,
  );
  assert.equal(tg.reactionOn(ann.id, m.message_id), "👀");
  await bot.api.setMessageReaction(ann.id, m.message_id, [{ type: "emoji", emoji: "👍" }]);
  assert.equal(tg.reactionOn(ann.id, m.message_id), "👍", "a new reaction replaces the old");
  assert.equal(tg.reactionOn(bob.id, m.message_id), undefined, "per chat");
  await bot.api.setMessageReaction(ann.id, m.message_id, []);
  assert.equal(tg.reactionOn(ann.id, m.message_id), undefined);

  await rejects400(
    bot.api.setMessageReaction(ann.id, m.message_id, [{ type: "emoji", emoji: "🦖" as "👍" }]),
    "Bad Request: REACTION_INVALID",
  );
  await rejects400(
    bot.api.setMessageReaction(ann.id, m.message_id, [
      { type: "emoji", emoji: "👍" },
      { type: "emoji", emoji: "🔥" },
    ]),
    "Bad Request: REACTIONS_TOO_MANY",
  );
  await rejects400(
    bot.api.setMessageReaction(ann.id, 777, [{ type: "emoji", emoji: "👍" }]),
    "Bad Request: message to react not found",
  );
  const paid = await rawCall(tg, "setMessageReaction", {
    chat_id: ann.id,
    message_id: m.message_id,
    reaction: [{ type: "paid" }],
  });
  assert.equal(
    paid.json.description,
    "Bad Request: can't parse ReactionType: invalid reaction type specified",
  );
  const notArray = await rawCall(tg, "setMessageReaction", {
    chat_id: ann.id,
    message_id: m.message_id,
    reaction: { type: "emoji", emoji: "👍" },
  });
  assert.equal(notArray.json.description, "Bad Request: expected an Array of ReactionType");
  assert.equal(tg.reactionOn(ann.id, m.message_id), undefined, "nothing refused was set");
});

Deno.test("sendAlbum, sendReaction, sendContact, venue, dice and poll as Telegram sends them", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const parts = tg.sendAlbum(ann, [{ kind: "document", caption: "one" }, { kind: "document" }]);
  tg.sendReaction(ann, parts[0].message_id, "👍");
  tg.sendReaction(ann, parts[0].message_id, "🔥");
  tg.sendReaction(ann, parts[0].message_id, null);
  tg.sendContact(ann, { phone: "+491701234567" });
  tg.sendContact(ann, { phone: "+15550001111", userId: 555, firstName: "Friend" });
  tg.sendMedia(ann, "venue");
  tg.sendMedia(ann, "dice");
  tg.sendMedia(ann, "poll");
  // Reactions are opt-in: not delivered unless allowed.
  const plain = await bot.api.getUpdates();
  assert.equal(plain.length, 7);
  assert.ok(plain.every((u) => u.message_reaction === undefined));

  const reacted = tg.sendReaction(bob, 5, "❤");
  const [update] = await bot.api.getUpdates({
    offset: plain.at(-1)!.update_id + 1,
    allowed_updates: ["message", "message_reaction"],
  });
  assert.equal(update.update_id, reacted);
  assert.deepEqual(update.message_reaction?.new_reaction, [{ type: "emoji", emoji: "❤" }]);
  assert.deepEqual(update.message_reaction?.old_reaction, []);
  assert.equal(update.message_reaction?.user?.id, bob.id);
  assert.equal(update.message_reaction?.chat.id, bob.id);
  assert.equal(update.message_reaction?.message_id, 5);

  const [album1, album2, contact, foreign, venue, dice, poll] = plain.map((u) => u.message!);
  assert.deepEqual([album1.message_id, album2.message_id], [1, 2]);
  assert.ok(album1.media_group_id !== undefined);
  assert.equal(album1.media_group_id, album2.media_group_id);
  assert.equal(album1.caption, "one");
  assert.ok(album2.document !== undefined && album2.caption === undefined);
  assert.deepEqual(contact.contact, {
    phone_number: "+491701234567",
    first_name: "Ann",
    user_id: ann.id,
  });
  assert.deepEqual(foreign.contact, {
    phone_number: "+15550001111",
    first_name: "Friend",
    user_id: 555,
  });
  assert.ok(venue.venue !== undefined && venue.location !== undefined);
  assert.equal(dice.dice?.emoji, "🎲");
  assert.ok((poll.poll?.options.length ?? 0) >= 2);
});

Deno.test("sendReaction: old_reaction is the user's reaction before", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  await bot.api.getUpdates({ allowed_updates: ["message_reaction"] });
  tg.sendReaction(ann, 3, "👍");
  tg.sendReaction(ann, 3, "🔥");
  tg.sendReaction(ann, 3, null);
  tg.sendReaction(ann, 4, "🔥");
  const updates = await bot.api.getUpdates();
  const changes = updates.map((u) => [
    u.message_reaction!.message_id,
    u.message_reaction!.old_reaction.map((r) => r.type === "emoji" ? r.emoji : "?").join(),
    u.message_reaction!.new_reaction.map((r) => r.type === "emoji" ? r.emoji : "?").join(),
  ]);
  assert.deepEqual(changes, [[3, "", "👍"], [3, "👍", "🔥"], [3, "🔥", ""], [4, "", "🔥"]]);
});

Deno.test("flood limits: an album goes on one token and owes the rest of its parts", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const album = tg.sendAlbum(ann, [{ kind: "photo" }, { kind: "photo" }]);
  // Two tokens, refilled at 10 a second: the album of ten goes on the first, then owes nine.
  tg.enforceRateLimits({ perChatPerSecond: 10, perChatBurst: 2, globalPerSecond: 30 });
  await bot.api.sendMediaGroup(
    bob.id,
    Array.from({ length: 10 }, (_, i) => ({
      type: "photo" as const,
      media: `p${i}`,
    })),
  );
  const refused = (e: unknown) => e instanceof GrammyError && e.error_code === 429;
  await assert.rejects(bot.api.sendMessage(bob.id, "right after"), refused);
  assert.equal(tg.rateLimited, 1);
  // Another chat is not held back by bob's album.
  await bot.api.sendMessage(ann.id, "to ann");
  // After the debt is paid (about 0.8 s), the next one goes, and a batch of two copies too.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await bot.api.sendMessage(bob.id, "later");
  await bot.api.copyMessages(bob.id, ann.id, album.map((p) => p.message_id));
  await assert.rejects(bot.api.sendMessage(bob.id, "after the copies"), refused);
  assert.equal(tg.rateLimited, 2);
  // A reaction is not a message: not limited.
  const m = tg.sendText(bob, "hi");
  await bot.api.setMessageReaction(bob.id, m.message_id, [{ type: "emoji", emoji: "👌" }]);
});
