/**
 * Unit tests of the relay rules (what a message holds, which Bot API calls carry it), and of
 * the desk's `looksLikeName`, which judges what a client wrote.
 *
 * Longer than most files: a table of message shapes against the calls each must become.
 */

import assert from "node:assert/strict";
import type { Message, MessageEntity } from "grammy/types";
import { looksLikeName } from "../src/desk/onboarding.ts";
import type { ApiCall } from "../src/outbox/calls.ts";
import { albumMedia } from "../src/outbox/jobs.ts";
import type { Message as StoredMessage } from "../src/store/mod.ts";
import { agentToClient, clientToAgent } from "../src/outbox/carry.ts";
import { describeMessage, type MessageContent } from "../src/rules/content.ts";

const CLIENT_CHAT = 1001;
const AGENT_CHAT = 2002;
const SOURCE = { chatId: CLIENT_CHAT, messageId: 77 };

/** A Telegram message of the given shape, sent by the client in a private chat. */
function msg(fields: Record<string, unknown>): Message {
  return {
    message_id: SOURCE.messageId,
    date: 1_700_000_000,
    chat: { id: CLIENT_CHAT, type: "private", first_name: "Ann" },
    from: { id: CLIENT_CHAT, is_bot: false, first_name: "Ann" },
    ...fields,
  } as unknown as Message;
}

function file(id: string): Record<string, unknown> {
  return { file_id: id, file_unique_id: `u-${id}` };
}

const ITALIC: MessageEntity[] = [{ type: "italic", offset: 0, length: 4 }];

/** The plain copy of the client's message to the agent. */
const PLAIN_COPY: ApiCall = {
  method: "copyMessage",
  params: { chat_id: AGENT_CHAT, from_chat_id: CLIENT_CHAT, message_id: SOURCE.messageId },
};

/** "👤 Ann": the emoji is 2 UTF-16 units, so the label is 6 units, the header 8. */
const ANN_LABEL = "👤 Ann";
const ANN_HEADER = "👤 Ann:\n";
const ANN_BOLD: MessageEntity = { type: "bold", offset: 0, length: 6 };

/** The client Ann, as the agent's copies are signed. */
const ANN = { clientId: CLIENT_CHAT, name: "Ann" };

/** A signer of the client's messages called `name`. */
function signer(name: string) {
  return { clientId: CLIENT_CHAT, name };
}

/**
 * The copy of a message that cannot take the name in front: the name on a button under it,
 * which opens the client card. One message, never a label before it.
 */
function namedCopy(label: string): { call: ApiCall; signedInline: false } {
  return {
    call: {
      method: "copyMessage",
      params: {
        chat_id: AGENT_CHAT,
        from_chat_id: CLIENT_CHAT,
        message_id: SOURCE.messageId,
        reply_markup: {
          inline_keyboard: [[{ text: label, callback_data: `card:${CLIENT_CHAT}` }]],
        },
      },
    },
    signedInline: false,
  };
}

/** One call with the name in front of the text or caption. */
function inline(call: ApiCall): { call: ApiCall; signedInline: true } {
  return { call, signedInline: true };
}

// ---- describeMessage ----

Deno.test("describeMessage: text with its entities", () => {
  const entities: MessageEntity[] = [{ type: "bold", offset: 0, length: 5 }];
  assert.deepEqual(describeMessage(msg({ text: "Hello there", entities })), {
    kind: "text",
    text: "Hello there",
    entities,
    fileId: null,
  });
  assert.deepEqual(describeMessage(msg({ text: "no entities" })), {
    kind: "text",
    text: "no entities",
    entities: null,
    fileId: null,
  });
});

Deno.test("describeMessage: photo takes the largest size, caption and caption_entities", () => {
  const photo = [
    { ...file("small"), width: 90, height: 60, file_size: 1_000 },
    { ...file("medium"), width: 320, height: 213, file_size: 15_000 },
    { ...file("large"), width: 1280, height: 853, file_size: 120_000 },
  ];
  assert.deepEqual(describeMessage(msg({ photo, caption: "look", caption_entities: ITALIC })), {
    kind: "photo",
    text: "look",
    entities: ITALIC,
    fileId: "large",
  });
  assert.deepEqual(describeMessage(msg({ photo })), {
    kind: "photo",
    text: null,
    entities: null,
    fileId: "large",
  });
});

Deno.test("describeMessage: files with captions", () => {
  const cases: [string, Record<string, unknown>][] = [
    ["document", { document: { ...file("doc"), file_name: "report.pdf" } }],
    ["voice", { voice: { ...file("voi"), duration: 3 } }],
    ["audio", { audio: { ...file("aud"), duration: 180 } }],
    ["video", { video: { ...file("vid"), width: 640, height: 480, duration: 10 } }],
  ];
  const ids: Record<string, string> = { document: "doc", voice: "voi", audio: "aud", video: "vid" };
  for (const [kind, fields] of cases) {
    // The file's name is read too (searched for the support token, never stored).
    const named = kind === "document" ? { fileName: "report.pdf" } : {};
    assert.deepEqual(
      describeMessage(msg({ ...fields, caption: "desc", caption_entities: ITALIC })),
      { kind, text: "desc", entities: ITALIC, fileId: ids[kind], ...named },
      kind,
    );
    assert.deepEqual(
      describeMessage(msg(fields)),
      { kind, text: null, entities: null, fileId: ids[kind], ...named },
      `${kind} without caption`,
    );
  }
});

Deno.test("describeMessage: an animation (which also has a document) is an animation", () => {
  const fields = {
    animation: { ...file("gif-anim"), width: 200, height: 200, duration: 2 },
    document: { ...file("gif-doc"), file_name: "cat.mp4" },
    caption: "cat",
  };
  assert.deepEqual(describeMessage(msg(fields)), {
    kind: "animation",
    text: "cat",
    entities: null,
    fileId: "gif-anim",
  });
});

Deno.test("describeMessage: sticker, video_note", () => {
  assert.deepEqual(
    describeMessage(msg({ sticker: { ...file("stk"), type: "regular", width: 512, height: 512 } })),
    { kind: "sticker", text: null, entities: null, fileId: "stk" },
  );
  assert.deepEqual(
    describeMessage(msg({ video_note: { ...file("vn"), length: 240, duration: 5 } })),
    { kind: "video_note", text: null, entities: null, fileId: "vn" },
  );
});

Deno.test("describeMessage: location, venue (which also has a location), contact, poll, dice, with what they hold", () => {
  const location = { latitude: 55.75, longitude: 37.62 };
  const none = { text: null, entities: null, fileId: null };
  assert.deepEqual(describeMessage(msg({ location })), {
    kind: "location",
    ...none,
    share: { kind: "location", ...location },
  });
  assert.deepEqual(
    describeMessage(msg({ location, venue: { location, title: "Cafe", address: "Main St 1" } })),
    {
      kind: "venue",
      ...none,
      share: { kind: "venue", ...location, title: "Cafe", address: "Main St 1" },
    },
  );
  assert.deepEqual(
    describeMessage(msg({ contact: { phone_number: "+10000000000", first_name: "Bob" } })),
    {
      kind: "contact",
      ...none,
      share: { kind: "contact", phoneNumber: "+10000000000", firstName: "Bob", lastName: null },
    },
  );
  const poll = {
    id: "p1",
    question: "Tea or coffee?",
    options: [{ text: "Tea", voter_count: 0 }, { text: "Coffee", voter_count: 0 }],
    total_voter_count: 0,
    is_closed: false,
    is_anonymous: true,
    type: "regular",
    allows_multiple_answers: false,
  };
  assert.deepEqual(describeMessage(msg({ poll })), {
    kind: "poll",
    ...none,
    share: { kind: "poll", question: "Tea or coffee?", options: ["Tea", "Coffee"] },
  });
  assert.deepEqual(describeMessage(msg({ dice: { emoji: "🎲", value: 4 } })), {
    kind: "dice",
    ...none,
    share: { kind: "dice", emoji: "🎲", value: 4 },
  });
  // Malformed (a fuzzer's): the kind without what it holds.
  assert.deepEqual(describeMessage(msg({ location: { latitude: "x" } })), {
    kind: "location",
    ...none,
  });
});

Deno.test("describeMessage: the album of a photo, video, document or audio; none elsewhere", () => {
  const group = { media_group_id: "13579" };
  for (
    const fields of [
      { photo: [{ ...file("ph"), width: 1, height: 1 }] },
      { video: { ...file("vid"), width: 1, height: 1, duration: 1 } },
      { document: file("doc") },
      { audio: { ...file("aud"), duration: 1 } },
    ]
  ) {
    assert.equal(describeMessage(msg({ ...fields, ...group })).mediaGroupId, "13579");
    assert.equal(describeMessage(msg(fields)).mediaGroupId, undefined);
  }
  // Telegram groups nothing else; an id on another kind (forged) makes no album.
  for (const fields of [{ text: "hi" }, { sticker: { ...file("stk"), type: "regular" } }]) {
    assert.equal(describeMessage(msg({ ...fields, ...group })).mediaGroupId, undefined);
  }
  assert.equal(
    describeMessage(msg({ document: file("d"), media_group_id: 5 })).mediaGroupId,
    undefined,
  );
});

Deno.test("albumMedia: the parts' files in order, the name on the first caption that takes it", () => {
  const part = (id: number, kind: string, text: string | null): StoredMessage =>
    ({
      id,
      kind,
      text,
      entities: null,
      fileId: `f${id}`,
    }) as unknown as StoredMessage;
  const photos = albumMedia([
    part(1, "photo", "look"),
    part(2, "video", null),
    part(3, "photo", "x"),
  ], "Ann");
  assert.equal(photos.signed, 0);
  assert.deepEqual(photos.media, [
    { type: "photo", media: "f1", caption: "👤 Ann:\nlook", caption_entities: [ANN_BOLD] },
    { type: "video", media: "f2" },
    { type: "photo", media: "f3", caption: "x", caption_entities: [] },
  ]);
  // A first caption at Telegram's limit stays whole: the name goes on the next part without one.
  const full = "c".repeat(1024);
  const docs = albumMedia([part(1, "document", full), part(2, "document", null)], "Ann");
  assert.equal(docs.signed, 1);
  assert.deepEqual(docs.media.map((m) => [m.type, m.caption]), [
    ["document", full],
    ["document", ANN_LABEL],
  ]);
  // No part can take it: nothing signed, every caption whole.
  const none = albumMedia([part(1, "audio", full), part(2, "audio", full)], "Ann");
  assert.equal(none.signed, -1);
  assert.deepEqual(none.media.map((m) => m.caption), [full, full]);
});

Deno.test("describeMessage: an unknown shape is 'other', not an error", () => {
  const none = { text: null, entities: null, fileId: null };
  assert.deepEqual(describeMessage(msg({ some_future_field: { x: 1 } })), {
    kind: "other",
    ...none,
  });
  assert.deepEqual(describeMessage(msg({})), { kind: "other", ...none });
  // An empty photo array is not a photo.
  assert.deepEqual(describeMessage(msg({ photo: [] })), { kind: "other", ...none });
});

// ---- clientToAgent ----

Deno.test("clientToAgent: text gets one message with a bold name header", () => {
  const content = describeMessage(msg({ text: "Hello" }));
  assert.deepEqual(
    clientToAgent(content, SOURCE, AGENT_CHAT, ANN),
    inline({
      method: "sendMessage",
      params: { chat_id: AGENT_CHAT, text: "👤 Ann:\nHello", entities: [ANN_BOLD] },
    }),
  );
});

Deno.test("clientToAgent: entities are shifted by the header length in UTF-16 units", () => {
  // Name: 👤(2) + " "(1) + Иван(4) + " "(1) + 🚀(2) + " "(1) + 李(1) = 12 units; header 14.
  const name = "Иван 🚀 李";
  // Text: Привет(6) " "(1) 😀(2) " "(1) 世界(2) " "(1) 🎉!(3) = 16 units.
  const text = "Привет 😀 世界 🎉!";
  const entities: MessageEntity[] = [
    { type: "bold", offset: 7, length: 2 }, // 😀
    { type: "italic", offset: 10, length: 2 }, // 世界
    { type: "text_link", offset: 13, length: 3, url: "https://example.com/" }, // 🎉!
  ];
  const { call, signedInline } = clientToAgent(
    describeMessage(msg({ text, entities })),
    SOURCE,
    AGENT_CHAT,
    signer(name),
  );
  assert.equal(signedInline, true);
  assert.deepEqual(call, {
    method: "sendMessage",
    params: {
      chat_id: AGENT_CHAT,
      text: "👤 Иван 🚀 李:\nПривет 😀 世界 🎉!",
      entities: [
        { type: "bold", offset: 0, length: 12 },
        { type: "bold", offset: 21, length: 2 },
        { type: "italic", offset: 24, length: 2 },
        { type: "text_link", offset: 27, length: 3, url: "https://example.com/" },
      ],
    },
  });
  // The shifted entities still cover the same characters (String indexes are UTF-16).
  assert.equal(call.method, "sendMessage");
  const out = call.params.text as string;
  const spans = (call.params.entities as MessageEntity[]).map((e) =>
    out.slice(e.offset, e.offset + e.length)
  );
  assert.deepEqual(spans, ["👤 Иван 🚀 李", "😀", "世界", "🎉!"]);
  // The caller's entities are not changed.
  assert.equal(entities[0].offset, 7);
});

Deno.test("clientToAgent: text that fits exactly (header + text = 4096) stays one message", () => {
  // 2044 emoji = 4088 UTF-16 units (but only 2044 code points); 8 + 4088 = 4096.
  const text = "😀".repeat(2044);
  const { call, signedInline } = clientToAgent(
    describeMessage(msg({ text })),
    SOURCE,
    AGENT_CHAT,
    ANN,
  );
  assert.equal(signedInline, true);
  assert.equal(call.method, "sendMessage");
  assert.equal(call.params.text, ANN_HEADER + text);
  assert.equal((call.params.text as string).length, 4096);
});

Deno.test("clientToAgent: text too long for the header: one copy, the name on its button", () => {
  // 8 + 4089 = 4097 UTF-16 units: one too many.
  for (const text of ["😀".repeat(2044) + "a", "x".repeat(4089), "я".repeat(4096)]) {
    const entities: MessageEntity[] = [{ type: "bold", offset: 0, length: 1 }];
    const calls = clientToAgent(
      describeMessage(msg({ text, entities })),
      SOURCE,
      AGENT_CHAT,
      ANN,
    );
    // No caption override: the copy carries the client's text whole.
    assert.deepEqual(calls, namedCopy(ANN_LABEL));
  }
});

Deno.test("clientToAgent: a media caption within 1024 gets the header in a caption override", () => {
  const entities: MessageEntity[] = [{ type: "underline", offset: 2, length: 3 }];
  for (
    const [fields, kind] of [
      [{ photo: [{ ...file("ph"), width: 1, height: 1 }] }, "photo"],
      [{ document: file("doc") }, "document"],
      [{ voice: { ...file("voi"), duration: 1 } }, "voice"],
    ] as const
  ) {
    const content = describeMessage(
      msg({ ...fields, caption: "my screen", caption_entities: entities }),
    );
    assert.equal(content.kind, kind);
    assert.deepEqual(
      clientToAgent(content, SOURCE, AGENT_CHAT, ANN),
      inline({
        method: "copyMessage",
        params: {
          ...PLAIN_COPY.params,
          caption: "👤 Ann:\nmy screen",
          caption_entities: [ANN_BOLD, { type: "underline", offset: 10, length: 3 }],
        },
      }),
      kind,
    );
  }
});

Deno.test("clientToAgent: caption boundary at 1024 (header + caption)", () => {
  const photo = [{ ...file("ph"), width: 1, height: 1 }];
  // 8 + 1016 = 1024: fits.
  const fits = "c".repeat(1016);
  assert.deepEqual(
    clientToAgent(describeMessage(msg({ photo, caption: fits })), SOURCE, AGENT_CHAT, ANN),
    inline({
      method: "copyMessage",
      params: { ...PLAIN_COPY.params, caption: ANN_HEADER + fits, caption_entities: [ANN_BOLD] },
    }),
  );
  // 8 + 1017 = 1025: the copy keeps its caption whole, the name goes on its button.
  const tooLong = "c".repeat(1017);
  assert.deepEqual(
    clientToAgent(describeMessage(msg({ photo, caption: tooLong })), SOURCE, AGENT_CHAT, ANN),
    namedCopy(ANN_LABEL),
  );
  // Counted in UTF-16 units: 508 emoji = 1016 units fit, 509 do not.
  assert.equal(
    clientToAgent(
      describeMessage(msg({ photo, caption: "🙂".repeat(508) })),
      SOURCE,
      AGENT_CHAT,
      ANN,
    ).signedInline,
    true,
  );
  assert.equal(
    clientToAgent(
      describeMessage(msg({ photo, caption: "🙂".repeat(509) })),
      SOURCE,
      AGENT_CHAT,
      ANN,
    ).signedInline,
    false,
  );
});

Deno.test("clientToAgent: media without a caption gets just the label as caption", () => {
  for (
    const fields of [
      { photo: [{ ...file("ph"), width: 1, height: 1 }] },
      { voice: { ...file("voi"), duration: 1 } },
      { video: { ...file("vid"), width: 1, height: 1, duration: 1 } },
      { audio: { ...file("aud"), duration: 1 } },
      { animation: { ...file("an"), width: 1, height: 1, duration: 1 }, document: file("d") },
      { document: file("doc") },
    ]
  ) {
    assert.deepEqual(
      clientToAgent(describeMessage(msg(fields)), SOURCE, AGENT_CHAT, ANN),
      inline({
        method: "copyMessage",
        params: { ...PLAIN_COPY.params, caption: ANN_LABEL, caption_entities: [ANN_BOLD] },
      }),
      Object.keys(fields).join(","),
    );
  }
});

Deno.test("clientToAgent: kinds without captions: one copy, the name on its button", () => {
  const location = { latitude: 1, longitude: 2 };
  for (
    const fields of [
      { sticker: { ...file("stk"), type: "regular", width: 512, height: 512 } },
      { location },
      { venue: { location, title: "T", address: "A" }, location },
      { contact: { phone_number: "+1", first_name: "Bob" } },
      { video_note: { ...file("vn"), length: 1, duration: 1 } },
      { dice: { emoji: "🎲", value: 1 } },
      { some_future_field: {} },
    ]
  ) {
    assert.deepEqual(
      clientToAgent(describeMessage(msg(fields)), SOURCE, AGENT_CHAT, ANN),
      namedCopy(ANN_LABEL),
      Object.keys(fields).join(","),
    );
  }
  // Any name goes on the button as it is.
  assert.deepEqual(
    clientToAgent(describeMessage(msg({ location })), SOURCE, AGENT_CHAT, signer("Łukasz 😎")),
    namedCopy("👤 Łukasz 😎"),
  );
});

Deno.test("clientToAgent: HTML-looking text and names pass unchanged, with no parse_mode", () => {
  const content: MessageContent = {
    kind: "text",
    text: "<b>x</b> & <i>",
    entities: null,
    fileId: null,
  };
  const { call } = clientToAgent(content, SOURCE, AGENT_CHAT, signer("<b>Eve</b> & Co"));
  // Label "👤 <b>Eve</b> & Co" = 2 + 1 + 15 = 18 units.
  assert.deepEqual(call, {
    method: "sendMessage",
    params: {
      chat_id: AGENT_CHAT,
      text: "👤 <b>Eve</b> & Co:\n<b>x</b> & <i>",
      entities: [{ type: "bold", offset: 0, length: 18 }],
    },
  });
  assert.equal("parse_mode" in call.params, false);
  const media = clientToAgent(
    describeMessage(msg({ document: file("d"), caption: "a < b && c > d" })),
    SOURCE,
    AGENT_CHAT,
    ANN,
  ).call;
  assert.equal(media.method, "copyMessage");
  assert.equal("caption" in media.params && media.params.caption, "👤 Ann:\na < b && c > d");
  assert.equal("parse_mode" in media.params, false);
});

// ---- agentToClient ----

Deno.test("agentToClient: a plain copy to the client, no signature", () => {
  assert.deepEqual(agentToClient({ chatId: AGENT_CHAT, messageId: 5 }, CLIENT_CHAT), {
    method: "copyMessage",
    params: { chat_id: CLIENT_CHAT, from_chat_id: AGENT_CHAT, message_id: 5 },
  });
});

// ---- looksLikeName (src/desk/mod.ts) ----

Deno.test("looksLikeName: short names in any script", () => {
  for (const name of ["Иван", "Anna Maria", "李雷", "  Bob  ", "Jean-Luc Picard", "a".repeat(64)]) {
    assert.equal(looksLikeName(name), true, JSON.stringify(name));
  }
});

Deno.test("looksLikeName: empty, long, questions, many words, lines, commands, digits", () => {
  for (
    const text of [
      "",
      "   ",
      "a".repeat(65),
      "how do I reset my password?",
      "one two three four five",
      "line1\nline2",
      "/start",
      "12345",
      "😀😀",
    ]
  ) {
    assert.equal(looksLikeName(text), false, JSON.stringify(text));
  }
});
