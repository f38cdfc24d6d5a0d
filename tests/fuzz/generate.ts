/**
 * The fuzzer's update generator: the clients of a run ({@link makeClients}) and the agents
 * ({@link AGENTS}), and {@link UpdateFactory}, which builds every kind of update — clients'
 * texts, commands and media, agents' replies and commands, malformed messages with one thing
 * broken, update types the bot does not serve, group and channel messages, odd but valid
 * shapes — each with what the bot must do with it. The same seed gives the same updates.
 *
 * Longer than most files: {@link UpdateFactory} is one generator whose choices share one
 * random stream; cut apart, the same seed would no longer give the same updates.
 *
 * @module
 */
import { SUPPORT_TOKEN } from "../support/harness.ts";
import { type FakeUser, userObject } from "../support/telegram.ts";
import {
  CAPTIONED,
  commandEntities,
  EMOJI,
  entitiesIn,
  FIXED_COMMANDS,
  HTML,
  type Json,
  LONE_SURROGATES,
  MEDIA_KINDS,
  mediaContent,
  NAMES,
  oddEntities,
  randomCommand,
  randomText,
  RTL,
  zalgo,
} from "./content.ts";
import type { Rng } from "./rng.ts";

const CLIENT_COUNT = 30;

/** What must happen to an update: handled by the desk, ignored, or either (malformed). */
export type Expect = "handled" | "ignored" | "any";

/** A generated update and what the bot must do with it. */
export interface Generated {
  readonly update: Json;
  /** A short label of the shape, for the summary and for failures. */
  readonly kind: string;
  readonly expect: Expect;
}

/** The agents of every run (registered before the updates flow). */
export const AGENTS: FakeUser[] = [
  { id: 900_001, first_name: "Агент", last_name: "Один" },
  { id: 900_002, first_name: "Agent", last_name: "Two", language_code: "ru" },
  { id: 900_003, first_name: "🛠️", username: "agent_three" },
];

const FUZZ_LANGUAGES = [undefined, undefined, "ru", "en", "uk", "de", "", "EN", "en-US", "zz"];

function randomUserName(rng: Rng, i: number): { first: string; last?: string } {
  switch (rng.int(6)) {
    case 0:
      return { first: rng.pick(NAMES), last: rng.pick(["Иванов", "Smith", "", "🙂"]) };
    case 1:
      return { first: rng.pick(EMOJI) + rng.pick(RTL) };
    case 2:
      return { first: "   " };
    case 3:
      return { first: "x".repeat(300) + "😀", last: "y".repeat(200) };
    case 4:
      return { first: rng.pick(HTML) + rng.pick(LONE_SURROGATES) };
    default:
      return { first: `Client${i}`, last: zalgo(rng, "Test") };
  }
}

/** The run's clients: odd names, languages and usernames, ids spread over a range. */
export function makeClients(rng: Rng): FakeUser[] {
  const clients: FakeUser[] = [];
  for (let i = 0; i < CLIENT_COUNT; i++) {
    const { first, last } = randomUserName(rng, i);
    const lang = rng.pick(FUZZ_LANGUAGES);
    clients.push({
      id: 10_000 + i * 37 + rng.int(30),
      first_name: first,
      ...(last !== undefined ? { last_name: last } : {}),
      ...(rng.chance(0.5) ? { username: `user_${i}` } : {}),
      ...(lang !== undefined ? { language_code: lang } : {}),
    });
  }
  return clients;
}

/** The private chat of `u`, as it appears in a message. */
export function privateChat(u: FakeUser): Json {
  return { id: u.id, type: "private", first_name: u.first_name };
}

/** Builds every kind of update; keeps per-user message ids like Telegram does. */
export class UpdateFactory {
  readonly #rng: Rng;
  readonly #messageIds = new Map<number, number>();
  readonly clients: FakeUser[];
  readonly agents: FakeUser[];

  constructor(rng: Rng, clients: FakeUser[], agents: FakeUser[]) {
    this.#rng = rng;
    this.clients = clients;
    this.agents = agents;
  }

  #nextMessageId(chatId: number): number {
    // Start well above the ids the harness's `sendText` used for the agents' registration.
    const id = (this.#messageIds.get(chatId) ?? 1000) + 1;
    this.#messageIds.set(chatId, id);
    return id;
  }

  /** A well-formed private message from `u` with `content`. */
  #message(u: FakeUser, content: Json): Json {
    return {
      message_id: this.#nextMessageId(u.id),
      from: userObject(u) as unknown as Json,
      chat: privateChat(u),
      date: Math.floor(Date.now() / 1000),
      ...content,
    };
  }

  #text(text: string, withEntities = true): Json {
    const command = commandEntities(text);
    // Commands carry their entity; now and then Telegram-like formatting is added too.
    const entities = command ?? (withEntities ? entitiesIn(this.#rng, text) : undefined);
    return { text, ...(entities ? { entities } : {}) };
  }

  #media(): { kind: string; content: Json } {
    const rng = this.#rng;
    const kind = rng.pick(MEDIA_KINDS);
    const content = mediaContent(rng, kind);
    if (CAPTIONED.has(kind) && rng.chance(0.6)) {
      const caption = rng.chance(0.1) ? rng.pick(FIXED_COMMANDS) : randomText(rng);
      content.caption = caption;
      if (rng.chance(0.4)) content.caption_entities = oddEntities(rng, caption);
    }
    return { kind, content };
  }

  next(): Generated {
    const rng = this.#rng;
    const category = rng.weighted<string>([
      [38, "client-text"],
      [10, "client-command"],
      [10, "client-media"],
      [14, "agent"],
      [13, "malformed"],
      [8, "other-type"],
      [5, "not-private"],
      [2, "odd-valid"],
    ]);
    switch (category) {
      case "client-text": {
        const u = rng.pick(this.clients);
        return {
          update: { message: this.#message(u, this.#text(randomText(rng))) },
          kind: "client-text",
          expect: "handled",
        };
      }
      case "client-command": {
        const u = rng.pick(this.clients);
        return {
          update: { message: this.#message(u, this.#text(randomCommand(rng), false)) },
          kind: "client-command",
          expect: "handled",
        };
      }
      case "client-media": {
        const u = rng.pick(this.clients);
        const { kind, content } = this.#media();
        return {
          update: { message: this.#message(u, content) },
          kind: `client-${kind}`,
          expect: "handled",
        };
      }
      case "agent":
        return this.#agent();
      case "malformed":
        return this.#malformed();
      case "other-type":
        return this.#otherType();
      case "not-private":
        return this.#notPrivate();
      default:
        return this.#oddValid();
    }
  }

  #agent(): Generated {
    const rng = this.#rng;
    const a = rng.pick(this.agents);
    const r = rng.float();
    if (r < 0.4) {
      const command = rng.weighted<string>([
        [10, "/end_chat"],
        [2, "/history"],
        [2, "/stats"],
        [2, "/available"],
        [1, "/start"],
        [1, `/register_support ${SUPPORT_TOKEN}`],
        [1, "/nope"],
      ]);
      return {
        update: { message: this.#message(a, this.#text(command)) },
        kind: `agent-${command.split(" ")[0].slice(1)}`,
        expect: "handled",
      };
    }
    if (r < 0.8) {
      return {
        update: { message: this.#message(a, this.#text(randomText(rng))) },
        kind: "agent-text",
        expect: "handled",
      };
    }
    const { kind, content } = this.#media();
    return {
      update: { message: this.#message(a, content) },
      kind: `agent-${kind}`,
      expect: "handled",
    };
  }

  /** A text message from a client with one thing broken. */
  #malformed(): Generated {
    const rng = this.#rng;
    const u = rng.pick([...this.clients, ...this.agents]);
    const m = this.#message(u, this.#text(randomText(rng)));
    const from = m.from as Json;
    const chat = m.chat as Json;
    const command = () => {
      m.text = rng.pick(["/start", "/end_chat", "/stats", `/register_support ${SUPPORT_TOKEN}`]);
      m.entities = commandEntities(m.text as string);
    };
    const mutations: [string, Expect, () => void][] = [
      ["no-from", "ignored", () => delete m.from],
      ["no-chat", "ignored", () => delete m.chat],
      ["from-null", "ignored", () => m.from = null],
      ["from-string", "ignored", () => m.from = "alice"],
      ["from-array", "ignored", () => m.from = [from]],
      ["from-id-string", "ignored", () => from.id = String(from.id)],
      ["from-id-negative", "ignored", () => from.id = -Number(from.id)],
      ["from-id-zero", "ignored", () => from.id = 0],
      ["from-id-huge", "ignored", () => from.id = 2 ** 60],
      ["from-id-float", "ignored", () => from.id = Number(from.id) + 0.5],
      ["from-id-missing", "ignored", () => delete from.id],
      ["from-id-null", "ignored", () => from.id = null],
      ["from-is-bot-missing", "ignored", () => delete from.is_bot],
      ["from-is-bot-string", "ignored", () => from.is_bot = "false"],
      ["from-first-name-number", "any", () => from.first_name = 42],
      ["from-first-name-missing", "any", () => delete from.first_name],
      ["from-language-object", "any", () => from.language_code = { en: true }],
      ["from-username-number", "any", () => from.username = 7],
      ["chat-null", "ignored", () => m.chat = null],
      ["chat-string", "ignored", () => m.chat = "private"],
      ["chat-type-missing", "ignored", () => delete chat.type],
      ["chat-type-typo", "ignored", () => chat.type = "Private"],
      ["chat-id-string", "any", () => chat.id = String(chat.id)],
      ["chat-id-other", "any", () => chat.id = 777],
      ["text-number", "any", () => m.text = 42],
      ["text-object", "any", () => m.text = { a: 1 }],
      ["text-array", "any", () => m.text = ["a"]],
      ["text-null", "any", () => m.text = null],
      ["text-bool", "any", () => m.text = true],
      ["text-number-command", "any", () => {
        m.text = 42;
        m.entities = [{ type: "bot_command", offset: 0, length: 6 }];
      }],
      ["entities-string", "any", () => m.entities = "bold"],
      ["entities-object", "any", () => m.entities = { type: "bold", offset: 0, length: 1 }],
      ["entities-object-command", "any", () => {
        command();
        m.entities = { type: "bot_command", offset: 0, length: 6 };
      }],
      ["entities-nulls", "any", () => m.entities = [null, null]],
      ["entities-out-of-range", "any", () => m.entities = oddEntities(rng, String(m.text))],
      ["entities-negative", "any", () => m.entities = [{ type: "bold", offset: -5, length: -1 }]],
      ["entities-string-fields", "any", () => m.entities = [{ type: 1, offset: "0", length: "2" }]],
      ["entities-command-huge-length", "any", () => {
        command();
        m.entities = [{ type: "bot_command", offset: 0, length: 1e9 }];
      }],
      ["entities-command-zero-length", "any", () => {
        command();
        m.entities = [{ type: "bot_command", offset: 0, length: 0 }];
      }],
      ["photo-empty", "any", () => {
        delete m.text;
        delete m.entities;
        m.photo = [];
      }],
      ["photo-nulls", "any", () => {
        delete m.text;
        delete m.entities;
        m.photo = [null, null];
        m.caption = randomText(rng);
      }],
      ["photo-string", "any", () => {
        delete m.text;
        m.photo = "photo.jpg";
      }],
      ["photo-no-file-id", "any", () => {
        delete m.text;
        m.photo = [{ width: 1 }];
      }],
      ["caption-number", "any", () => {
        delete m.text;
        m.document = { file_id: "d", file_unique_id: "d" };
        m.caption = 12;
        m.caption_entities = { type: "bold" };
      }],
      ["sticker-null", "any", () => {
        delete m.text;
        m.sticker = null;
      }],
      ["document-string", "any", () => {
        delete m.text;
        m.document = "file";
      }],
      ["text-and-photo", "any", () => m.photo = [{ file_id: "p", file_unique_id: "p" }]],
      ["nothing", "any", () => {
        delete m.text;
        delete m.entities;
      }],
      ["message-id-missing", "any", () => delete m.message_id],
      ["message-id-missing-command", "any", () => {
        command();
        delete m.message_id;
      }],
      ["message-id-string", "any", () => m.message_id = "abc"],
      ["message-id-float", "any", () => m.message_id = 1.5],
      ["message-id-negative", "any", () => m.message_id = -3],
      ["message-id-huge", "any", () => m.message_id = 2 ** 63],
      ["date-missing", "any", () => delete m.date],
      ["date-string", "any", () => m.date = "yesterday"],
      ["reply-cycle", "any", () => m.reply_to_message = { ...m, reply_to_message: { ...m } }],
      ["proto-key", "any", () => {
        Object.assign(m, JSON.parse('{"__proto__": {"text": "/start", "isAgent": true}}'));
      }],
    ];
    const [name, expect, mutate] = rng.pick(mutations);
    mutate();
    // Whole-update breakage, now and then.
    const whole: [string, Json][] = [
      ["message-null", { message: null }],
      ["message-string", { message: "hi" }],
      ["message-number", { message: 42 }],
      ["message-array", { message: [m] }],
      ["no-type", {}],
    ];
    if (rng.chance(0.08)) {
      const [wholeName, update] = rng.pick(whole);
      return { update, kind: `malformed-${wholeName}`, expect: "ignored" };
    }
    return { update: { message: m }, kind: `malformed-${name}`, expect };
  }

  /** Update types the bot does not serve, some hidden behind an unknown first key. */
  #otherType(): Generated {
    const rng = this.#rng;
    const u = rng.pick([...this.clients, ...this.agents]);
    const m = this.#message(u, this.#text(rng.pick(["/start", "/end_chat", randomText(rng)])));
    const types: [string, Json][] = [
      ["edited_message", { edited_message: { ...m, edit_date: m.date } }],
      ["channel_post", {
        channel_post: { ...m, chat: { id: -1001234, type: "channel", title: "News" } },
      }],
      ["callback_query", {
        callback_query: { id: "cb1", from: m.from, chat_instance: "ci", data: "/end_chat" },
      }],
      // Buttons pressed on a message in the user's chat, with data the bot made or made up.
      ["button", {
        callback_query: {
          id: `cb${rng.int(1000)}`,
          from: m.from,
          chat_instance: "ci",
          message: { ...m, from: { id: 1, is_bot: true, first_name: "Bot" } },
          data: rng.pick([
            `close:${rng.int(30)}`,
            `rate:${rng.int(30)}:${rng.int(7)}`,
            `skip:${rng.int(30)}`,
            `transfer:${rng.int(30)}:${rng.pick(["queue", String(rng.int(5000))])}`,
            `canned:${rng.int(10)}`,
            "rate:1:NaN",
            "close:-1",
            ":::",
            randomText(rng).slice(0, 64),
          ]),
        },
      }],
      ["my_chat_member", {
        my_chat_member: {
          chat: m.chat,
          from: m.from,
          date: m.date,
          old_chat_member: { status: "member", user: m.from },
          new_chat_member: { status: "kicked", user: m.from, until_date: 0 },
        },
      }],
      ["message_reaction", {
        message_reaction: {
          chat: m.chat,
          message_id: rng.pick([1, m.message_id, rng.int(100), -1]),
          user: m.from,
          date: m.date,
          old_reaction: [],
          new_reaction: rng.pick([
            [{ type: "emoji", emoji: "👍" }],
            [],
            [{ type: "custom_emoji", custom_emoji_id: "5368324170671202286" }],
            [{ type: "emoji", emoji: "not an emoji" }],
            [{ type: "paid" }],
            "nonsense",
          ]),
        },
      }],
      ["business_message", { business_message: m }],
      ["inline_query", { inline_query: { id: "iq", from: m.from, query: "x", offset: "" } }],
      ["foo", { foo: {} }],
      ["foo-null", { foo: null }],
      ["foo-with-message-shape", { foo: m }],
    ];
    const [name, update] = rng.pick(types);
    // Known types are filtered by the fake per allowed_updates; putting an unknown key first
    // makes the fake hand them to the bot anyway, so the bot's own filtering is exercised.
    if (
      !name.startsWith("foo") && name !== "edited_message" && name !== "button" &&
      name !== "message_reaction" && rng.chance(0.6)
    ) {
      return {
        update: { x_unknown_first: 1, ...update },
        kind: `smuggled-${name}`,
        expect: "ignored",
      };
    }
    // Edits, buttons and reactions in a private chat are served; what they do depends on the
    // state.
    const served = name === "edited_message" || name === "button" || name === "message_reaction";
    return { update, kind: `type-${name}`, expect: served ? "any" : "ignored" };
  }

  #notPrivate(): Generated {
    const rng = this.#rng;
    const u = rng.pick([...this.clients, ...this.agents]);
    const text = this.#text(rng.pick(["/start", "/end_chat", "/stats", randomText(rng)]));
    const r = rng.int(4);
    if (r === 0) {
      const m = this.#message(u, text);
      m.chat = { id: -4567, type: "group", title: "Group" };
      return { update: { message: m }, kind: "group", expect: "ignored" };
    }
    if (r === 1) {
      const m = this.#message(u, text);
      m.chat = { id: -1009876543210, type: "supergroup", title: "Super", is_forum: true };
      m.message_thread_id = 5;
      return { update: { message: m }, kind: "supergroup", expect: "ignored" };
    }
    if (r === 2) {
      const m = this.#message(u, text);
      m.from = { ...(m.from as Json), is_bot: true };
      return { update: { message: m }, kind: "from-bot", expect: "ignored" };
    }
    const m = this.#message(u, text);
    m.chat = { id: -1001111, type: "channel", title: "Channel" };
    m.sender_chat = m.chat;
    delete m.from;
    return { update: { message: m }, kind: "channel-in-message", expect: "ignored" };
  }

  /** Shapes Telegram may send that are unusual but valid: the desk must handle them. */
  #oddValid(): Generated {
    const rng = this.#rng;
    const u = rng.pick(this.clients);
    const m = this.#message(u, this.#text(randomText(rng)));
    const r = rng.int(4);
    if (r === 0) {
      m.forward_origin = { type: "hidden_user", sender_user_name: "Someone", date: 1 };
    } else if (r === 1) {
      m.reply_to_message = { ...m, message_id: 1 };
    } else if (r === 2) {
      m.unknown_future_field = { nested: [1, 2, 3] };
    } else {
      m.via_bot = { id: 42, is_bot: true, first_name: "Inline" };
    }
    return { update: { message: m }, kind: "odd-valid", expect: "handled" };
  }
}
