/**
 * What the fuzzer puts inside messages: texts from every corner of Unicode and markup
 * ({@link randomText}), formatting entities with sane and odd offsets, commands (the bot's,
 * unknown ones, `/register_support` with near-miss tokens), and media of every kind.
 *
 * @module
 */
import { SUPPORT_TOKEN } from "../support/harness.ts";
import type { Rng } from "./rng.ts";

const BOT_USERNAME = "test_desk_bot";

/** A JSON object, as the fuzzer builds updates. */
export type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------------

const CYRILLIC = [
  "Привет",
  "здравствуйте, у меня не работает вход",
  "ещё деталь",
  "Ёжик в тумане",
  "ЩЩЩ ъьЪЬ",
  "Україна, ґанок, їжак",
  "спасибо!",
];
export const EMOJI = [
  "😀",
  "👍🏽",
  "👍🏿",
  "👨‍👩‍👧‍👦",
  "👩🏿‍💻",
  "🏳️‍🌈",
  "🧑🏻‍🤝‍🧑🏾",
  "🇺🇦🇩🇪",
  "1️⃣",
  "❤️‍🔥",
  "🫠",
  "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
];
export const RTL = [
  "مرحبا بالعالم",
  "שלום עולם",
  "\u202Eevil\u202C",
  "\u200Fright\u200E",
  "abc \u061C def",
  "فارسی 123 English",
];
export const LONE_SURROGATES = [
  "\uD800",
  "\uDFFF",
  "a\uD83D",
  "\uDE00b",
  "\uDBFF\uDBFF",
  "x\uD800y",
];
const CONTROL = ["\u0000", "\u0007", "\r\n", "\t", "\u007F", "\u0085", "\u2028", "\u2029", "\b"];
const INVISIBLE = ["\u200B", "\u200C", "\u200D", "\uFEFF", "\u2060", "\u00AD", "\u034F"];
export const HTML = [
  "<b>bold</b>",
  "<script>alert(1)</script>",
  "&amp; &lt; &#x41;",
  '<a href="tg://user?id=1">x</a>',
  "</i><i>",
  '<pre><code class="language-js">',
];
const MARKDOWN = [
  "*bold* _it_ `code` [link](http://x.y)",
  "||spoiler|| ~strike~ __u__",
  "```js\nconsole.log(1)\n```",
  "\\*escaped\\*",
  "[a](tg://user?id=123)",
  "> quote",
];
const SQL = [
  "'; DROP TABLE users; --",
  '" OR 1=1 --',
  "Robert'); DROP TABLE messages;--",
  "%' UNION SELECT * FROM deliveries --",
  "NULL",
  "';PRAGMA writable_schema=1;--",
];
const FORMATS = ["%s %n %x", "{0} ${x} {{y}}", '{"a":1}', "[1,2,", "null", "undefined", "NaN"];
const NUMBERS = ["0", "-1", "12345", "1e309", "0x1F", "９９", "٣"];
const SPACES = ["   ", "\u00A0", "\u3000", " \n ", "\u2003"];
const MIDDLE_COMMANDS = [" /start ", "@test_desk_bot", "/end_chat in the middle", "a /stats b"];
export const NAMES = [
  "Анна",
  "John Smith",
  "Ян",
  "María José",
  "李小龙",
  "O'Brien",
  "Jean-Luc Picard",
];
const QUESTIONS = ["что делать?", "Where is my order?", "Когда ответите??", "help?"];

export function zalgo(rng: Rng, base: string): string {
  return [...base].map((c) => {
    let out = c;
    for (let i = rng.int(6); i > 0; i--) out += String.fromCharCode(0x300 + rng.int(0x70));
    return out;
  }).join("");
}

function randomCyrillic(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(0x410 + rng.int(64));
  return s;
}

function textPiece(rng: Rng): string {
  switch (rng.int(21)) {
    case 0:
      return rng.pick(["hello", "order 42", "it does not work", "ok", "thanks", "a"]);
    case 1:
      return rng.pick(CYRILLIC);
    case 2:
      return randomCyrillic(rng, rng.range(1, 20));
    case 3:
      return rng.pick(EMOJI);
    case 4:
      return rng.pick(RTL);
    case 5:
      return zalgo(rng, rng.pick(["Zalgo", "é", "привет"]));
    case 6:
      return rng.pick(LONE_SURROGATES);
    case 7:
      return rng.pick(CONTROL);
    case 8:
      return rng.pick(INVISIBLE);
    case 9:
      return rng.pick(HTML);
    case 10:
      return rng.pick(MARKDOWN);
    case 11:
      return rng.pick(SQL);
    case 12:
      return rng.pick(FORMATS);
    case 13:
      return rng.pick(NUMBERS);
    case 14:
      // Any BMP code unit, surrogates included.
      return String.fromCharCode(rng.int(0x10000));
    case 15:
      return String.fromCodePoint(0x10000 + rng.int(0xfffff));
    case 16:
      return rng.pick(SPACES);
    case 17:
      return rng.pick(MIDDLE_COMMANDS);
    case 18:
      return rng.pick(NAMES);
    case 19:
      return rng.pick(QUESTIONS);
    default:
      return "e\u0301\u0308";
  }
}

/** A random message text: usually short and mixed, sometimes empty, huge or at a limit. */
export function randomText(rng: Rng): string {
  const r = rng.float();
  if (r < 0.03) {
    // Long: up to 10,000 UTF-16 code units (may end in half a surrogate pair).
    const target = rng.range(4000, 10_000);
    let s = "";
    while (s.length < target) s += textPiece(rng) + " ";
    return s.slice(0, target);
  }
  if (r < 0.07) {
    // Around Telegram's caption and text limits, where the name label no longer fits.
    const target = rng.pick([1000, 1010, 1015, 1020, 1024, 1025, 4080, 4085, 4090, 4096, 4097]);
    const filler = rng.pick(["a", "я", "😀", "👨‍👩‍👧"]);
    let s = "";
    while (s.length < target) s += filler;
    return s.slice(0, target);
  }
  if (r < 0.09) return "";
  const parts: string[] = [];
  for (let i = rng.range(1, 6); i > 0; i--) parts.push(textPiece(rng));
  return parts.join(rng.pick([" ", "", "\n", "  "]));
}

// ---------------------------------------------------------------------------------------------
// Entities
// ---------------------------------------------------------------------------------------------

const ENTITY_TYPES = [
  "bold",
  "italic",
  "underline",
  "strikethrough",
  "spoiler",
  "code",
  "pre",
  "url",
  "text_link",
  "mention",
  "hashtag",
  "custom_emoji",
  "blockquote",
  "text_mention",
];

function entity(rng: Rng, offset: number, length: number): Json {
  const type = rng.pick(ENTITY_TYPES);
  const e: Json = { type, offset, length };
  if (type === "text_link") e.url = rng.pick(["https://example.com", "tg://user?id=1"]);
  if (type === "custom_emoji") e.custom_emoji_id = String(rng.int(1e9));
  if (type === "pre" && rng.chance(0.5)) e.language = rng.pick(["js", "", "\u0000"]);
  if (type === "text_mention") e.user = { id: 1 + rng.int(1e6), is_bot: false, first_name: "X" };
  return e;
}

/** Entities inside the text (as Telegram sends them), or none. */
export function entitiesIn(rng: Rng, text: string): Json[] | undefined {
  if (text.length === 0 || !rng.chance(0.3)) return undefined;
  const out: Json[] = [];
  for (let i = rng.range(1, 3); i > 0; i--) {
    const offset = rng.int(text.length);
    out.push(entity(rng, offset, rng.range(1, text.length - offset)));
  }
  return out;
}

/** Entities with odd offsets: past the end, inside surrogate pairs, overlapping. */
export function oddEntities(rng: Rng, text: string): Json[] {
  const out: Json[] = [];
  for (let i = rng.range(1, 4); i > 0; i--) {
    const offset = rng.pick([0, 1, text.length, text.length + 5, rng.int(text.length + 1), 9999]);
    out.push(entity(rng, offset, rng.pick([1, 2, 1000, text.length + 1])));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

const COMMAND_RE = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,})?/;

/** Telegram's bot_command entity for a leading command, like the fake's `sendText`. */
export function commandEntities(text: string): Json[] | undefined {
  const m = COMMAND_RE.exec(text);
  return m ? [{ type: "bot_command", offset: 0, length: m[0].length }] : undefined;
}

export const FIXED_COMMANDS = [
  "/start",
  "/start",
  "/start",
  "/start ref_123",
  `/start@${BOT_USERNAME}`,
  "/start@Test_Desk_Bot",
  "/start@other_bot",
  "/Start",
  "/end_chat",
  `/end_chat@${BOT_USERNAME} extra args`,
  "/history",
  "/stats",
  "/available",
  "/help",
  "/settings",
  "/foo_bar",
  `/x${"y".repeat(31)}`,
  `/${"z".repeat(40)}`,
  "/",
  "/ start",
  "/123",
];

export function randomCommand(rng: Rng): string {
  if (rng.chance(0.25)) return registerCommand(rng);
  if (rng.chance(0.8)) return rng.pick(FIXED_COMMANDS);
  return `/${rng.pick(["start", "stats", "unknown", "end_chat", "history"])} ${randomText(rng)}`;
}

function registerCommand(rng: Rng): string {
  const prefix = rng.chance(0.85) ? "/register_support" : `/register_support@${BOT_USERNAME}`;
  return rng.weighted<string>([
    [3, prefix],
    [2, `${prefix} `],
    [10, `${prefix} ${randomText(rng)}`],
    [3, `${prefix} ${SUPPORT_TOKEN.slice(0, -1)}`],
    [3, `${prefix} ${SUPPORT_TOKEN}x`],
    [2, `${prefix} ${SUPPORT_TOKEN.toUpperCase()}`],
    [2, `${prefix} \u0000${SUPPORT_TOKEN}`],
    [2, `${prefix}${SUPPORT_TOKEN}`],
    [2, `${prefix} ${"x".repeat(rng.range(1000, 5000))}`],
    // Rarely the right one: a client turns into an agent in the middle of everything.
    [0.6, `${prefix}   ${SUPPORT_TOKEN} trailing words`],
  ]);
}

// ---------------------------------------------------------------------------------------------
// Media
// ---------------------------------------------------------------------------------------------

export const MEDIA_KINDS = [
  "photo",
  "document",
  "voice",
  "sticker",
  "location",
  "contact",
  "poll",
  "dice",
  "video",
  "audio",
  "animation",
  "video_note",
  "venue",
] as const;
export const CAPTIONED = new Set(["photo", "document", "voice", "video", "audio", "animation"]);

export function mediaContent(rng: Rng, kind: (typeof MEDIA_KINDS)[number]): Json {
  const file = () => ({
    file_id: `fz-${kind}-${rng.int(1e9)}`,
    file_unique_id: `u${rng.int(1e9)}`,
  });
  switch (kind) {
    case "photo":
      return {
        photo: [
          { ...file(), width: 90, height: 67 },
          { ...file(), width: 1280, height: 960, file_size: 123_456 },
        ],
      };
    case "document":
      return {
        document: {
          ...file(),
          file_name: rng.pick(["report.pdf", "../../etc/passwd", "имя файла.txt", "a\u0000b"]),
          mime_type: "application/pdf",
        },
      };
    case "voice":
      return { voice: { ...file(), duration: rng.int(600), mime_type: "audio/ogg" } };
    case "sticker":
      return {
        sticker: {
          ...file(),
          type: "regular",
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: rng.pick(EMOJI),
        },
      };
    case "location":
      return { location: { latitude: rng.float() * 180 - 90, longitude: rng.float() * 360 - 180 } };
    case "contact":
      return { contact: { phone_number: "+15555550100", first_name: rng.pick(NAMES) } };
    case "poll":
      return {
        poll: {
          id: String(rng.int(1e9)),
          question: randomText(rng).slice(0, 300) || "?",
          options: [{ text: "yes", voter_count: 0 }, { text: "no", voter_count: 0 }],
          total_voter_count: 0,
          is_closed: false,
          is_anonymous: true,
          type: "regular",
          allows_multiple_answers: false,
        },
      };
    case "dice":
      return { dice: { emoji: rng.pick(["🎲", "🎯", "🏀", "🎰"]), value: rng.range(1, 6) } };
    case "video":
      return { video: { ...file(), width: 640, height: 360, duration: 3 } };
    case "audio":
      return { audio: { ...file(), duration: 3, title: randomText(rng).slice(0, 64) } };
    case "animation": {
      const a = { ...file(), width: 320, height: 240, duration: 2 };
      return { animation: a, document: a };
    }
    case "video_note":
      return { video_note: { ...file(), length: 240, duration: 5 } };
    case "venue":
      return {
        location: { latitude: 1, longitude: 2 },
        venue: { location: { latitude: 1, longitude: 2 }, title: "Café", address: "Straße 1" },
      };
  }
}
