/**
 * The Telegram Business calls (src/outbox/business.ts), directly: a message sent by content
 * (no copy reaches a business chat), each kind through its own method with its file id, the
 * caption only where the kind takes one, a kind the store cannot rebuild refused; the edit and
 * the read mark as the account; a stored delivery's connection read back.
 */
import assert from "node:assert/strict";
import {
  asAccount,
  byContent,
  connectionOf,
  editAsAccount,
  readAsAccount,
} from "../src/outbox/business.ts";

const bold = [{ type: "bold" as const, offset: 0, length: 2 }];

Deno.test("byContent: a text with its entities, each medium by its file id and method", () => {
  assert.deepEqual(
    asAccount("c1", 42, { kind: "text", text: "Hi", entities: bold, fileId: null }),
    {
      method: "sendMessage",
      params: { chat_id: 42, business_connection_id: "c1", text: "Hi", entities: bold },
    },
  );
  const kinds = {
    photo: "sendPhoto",
    video: "sendVideo",
    animation: "sendAnimation",
    audio: "sendAudio",
    document: "sendDocument",
    voice: "sendVoice",
    video_note: "sendVideoNote",
    sticker: "sendSticker",
  };
  for (const [kind, method] of Object.entries(kinds)) {
    const call = asAccount("c1", 42, { kind, text: "cap", entities: null, fileId: `F-${kind}` });
    assert.equal(call?.method, method);
    const params = call!.params as Record<string, unknown>;
    assert.equal(params[kind], `F-${kind}`);
    assert.equal(params.business_connection_id, "c1");
    // A sticker and a round video carry no caption.
    assert.equal(params.caption, kind === "sticker" || kind === "video_note" ? undefined : "cap");
  }
  for (const kind of ["location", "contact", "poll", "dice", "venue"]) {
    assert.equal(
      asAccount("c1", 42, { kind, text: null, entities: null, fileId: null }),
      undefined,
    );
  }
  assert.equal(
    asAccount("c1", 42, { kind: "text", text: "", entities: null, fileId: null }),
    undefined,
  );
});

Deno.test("byContent: to staff, signed text instead of its own, a reply, a name button", () => {
  const signed = { text: "👤 Ann: look", entities: [] };
  const call = byContent(7, { kind: "photo", text: "look", entities: null, fileId: "P" }, {
    text: signed,
    replyTo: 5,
    buttons: [[{ text: "👤 Ann", callback_data: "card" }]],
  });
  assert.deepEqual(call, {
    method: "sendPhoto",
    params: {
      chat_id: 7,
      reply_markup: { inline_keyboard: [[{ text: "👤 Ann", callback_data: "card" }]] },
      reply_parameters: { message_id: 5, allow_sending_without_reply: true },
      photo: "P",
      caption: "👤 Ann: look",
    },
  });
});

Deno.test("the edit and the read mark as the account; a delivery's connection", () => {
  assert.deepEqual(editAsAccount("c1", 42, 9, "text", "new", null), {
    method: "editMessageText",
    params: { business_connection_id: "c1", chat_id: 42, message_id: 9, text: "new" },
  });
  assert.equal(editAsAccount("c1", 42, 9, "photo", "cap", null).method, "editMessageCaption");
  assert.deepEqual(readAsAccount("c1", 42, 3).params, {
    business_connection_id: "c1",
    chat_id: 42,
    message_id: 3,
  });
  assert.equal(connectionOf(JSON.stringify({ business_connection_id: "c1", chat_id: 1 })), "c1");
  assert.equal(
    connectionOf(JSON.stringify({ chat_id: 1, text: "business_connection_id" })),
    undefined,
  );
});
