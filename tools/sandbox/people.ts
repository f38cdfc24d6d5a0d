/**
 * The people of the sandbox and what each of them sees: {@link People} keeps the persons
 * (a fake Telegram user each, with a role shown on the page and a Telegram language), the
 * order of the messages in each person's chat with the bot, and the reactions the person put.
 * It turns the emulator's messages into {@link ShownMessage}s, the shape the page draws.
 *
 * The emulator keeps the messages themselves (as last sent or edited); this keeps only their
 * order, so an edit or a deletion by either side shows up without being copied here, and what
 * each held when last seen ({@link ContentEdits}): a message is shown as edited only once its
 * text or media changed, as Telegram shows it, not when only its buttons did.
 *
 * @module
 */
import type { FakeTelegram, FakeUser } from "../emulator/mod.ts";
import type { ApiCall } from "../emulator/calls.ts";

/** What a person is on the page; for the bot each is just a Telegram user. */
export type Role = "client" | "agent" | "admin";

/** One person of the sandbox. */
export interface Person {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
  /** Their Telegram language (`language_code`), which also picks the language of their panel. */
  readonly language: "ru" | "en";
}

/** A message as the page draws it. */
export interface ShownMessage {
  readonly id: number;
  /** Written by the person (right side), or by the bot. */
  readonly out: boolean;
  readonly date: number;
  readonly text?: string;
  readonly entities?: unknown[];
  readonly media?: Media;
  readonly buttons?: { text: string; data?: string; url?: string }[][];
  readonly replyTo?: { id: number; text: string };
  /** Its text or media changed since it was sent (a change of buttons alone does not count). */
  readonly edited: boolean;
  /** The album it is a part of (Telegram's `media_group_id`). */
  readonly mediaGroupId?: string;
  /** Who wrote it, in a group (the page names the others above their messages). */
  readonly author?: { id: number; name: string; bot: boolean };
  /** A service message of a group (a topic made, a message pinned, someone joined …). */
  readonly service?: Service;
  /** The person's own reaction. */
  readonly myReaction?: string;
  /** The bot's reaction. */
  readonly botReaction?: string;
}

/** The media part of a message. */
export type Media =
  | {
    kind: "photo" | "document" | "video" | "audio" | "voice" | "animation";
    fileId: string;
    fileName?: string;
    mimeType?: string;
    size?: number;
  }
  | { kind: "sticker"; emoji: string }
  | { kind: "location"; latitude: number; longitude: number }
  | { kind: "contact"; phone: string; name: string };

/** A group's service message, as the page words it. */
export type Service =
  | { kind: "topic_created"; name: string }
  | { kind: "topic_edited"; name?: string }
  | { kind: "topic_closed" | "topic_reopened" }
  | { kind: "pinned"; text: string }
  | { kind: "joined" | "left"; names: string[] };

/** A reply keyboard the bot put under a person's text field (a button sends its text). */
export interface ReplyKeyboard {
  readonly rows: { text: string; requestContact?: boolean; requestLocation?: boolean }[][];
  /** Hidden again once a button is pressed. */
  readonly oneTime: boolean;
}

/**
 * The people seeded at start: two clients, two agents, an admin; a client and an agent speak
 * Russian, a client and an agent English, so each client lands with the agent of their language.
 */
export const DEFAULT_PEOPLE: readonly Omit<Person, "id">[] = [
  { name: "Анна", role: "client", language: "ru" },
  { name: "John", role: "client", language: "en" },
  { name: "Мария", role: "agent", language: "ru" },
  { name: "Tom", role: "agent", language: "en" },
  { name: "Ольга", role: "admin", language: "ru" },
];

/** The first person's id; the next ones count up. */
export const FIRST_PERSON_ID = 1001;

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

/** The people, their chats' order and their reactions; told what the emulator records. */
export class People {
  readonly #tg: FakeTelegram;
  #people: Person[] = [];
  #order = new Map<number, number[]>();
  #reactions = new Map<string, string>();
  #keyboards = new Map<number, ReplyKeyboard>();
  readonly #edits = new ContentEdits();
  #nextId: number;

  constructor(tg: FakeTelegram, people: readonly Omit<Person, "id">[], firstId = FIRST_PERSON_ID) {
    this.#tg = tg;
    this.#nextId = firstId;
    for (const p of people) this.add(p);
  }

  /** Everyone, in the order they were added. */
  list(): readonly Person[] {
    return this.#people;
  }

  /** The person with `id`, if any. */
  get(id: number): Person | undefined {
    return this.#people.find((p) => p.id === id);
  }

  /** Adds a person with the next free id. */
  add(person: Omit<Person, "id">): Person {
    const name = person.name.trim().slice(0, 64);
    if (!name) throw new RangeError("a person needs a name");
    if (!["client", "agent", "admin"].includes(person.role)) throw new RangeError("unknown role");
    if (person.language !== "ru" && person.language !== "en") {
      throw new RangeError("language must be ru or en");
    }
    const added: Person = {
      id: this.#nextId++,
      name,
      role: person.role,
      language: person.language,
    };
    this.#people.push(added);
    this.#order.set(added.id, []);
    return added;
  }

  /** The fake Telegram user the person is. */
  userOf(person: Person): FakeUser {
    return { id: person.id, first_name: person.name, language_code: person.language };
  }

  /** Notes a message of the person's chat (theirs or the bot's) at the end of the chat. */
  noteMessage(personId: number, messageId: number): void {
    const order = this.#order.get(personId);
    if (order && !order.includes(messageId)) order.push(messageId);
    this.noteContent(personId, messageId);
  }

  /** Notes what message `messageId` of the person's chat holds now (after an edit, say). */
  noteContent(personId: number, messageId: number): void {
    this.#edits.note(personId, messageId, this.#tg.messageIn(personId, messageId));
  }

  /** Notes the person's own reaction (`null`: taken off). */
  noteReaction(personId: number, messageId: number, emoji: string | null): void {
    const key = `${personId}:${messageId}`;
    if (emoji === null) this.#reactions.delete(key);
    else this.#reactions.set(key, emoji);
  }

  /**
   * What a recorded call changed, as the ids of the people whose chat changed (the bot sent,
   * edited, deleted or reacted there); new messages of the bot are noted in their chat.
   */
  observe(call: ApiCall): number[] {
    if (!call.ok || call.method === "getUpdates") return [];
    const chat = Number(call.params.chat_id);
    if (!this.get(chat)) return [];
    const markup = call.params.reply_markup;
    if (isRec(markup) && Array.isArray(markup.keyboard)) {
      this.#keyboards.set(chat, {
        rows: (markup.keyboard as unknown[][]).map((row) =>
          row.map((b) =>
            isRec(b)
              ? {
                text: String(b.text ?? ""),
                ...(b.request_contact === true ? { requestContact: true } : {}),
                ...(b.request_location === true ? { requestLocation: true } : {}),
              }
              : { text: String(b) }
          )
        ),
        oneTime: markup.one_time_keyboard === true,
      });
    } else if (isRec(markup) && markup.remove_keyboard === true) {
      this.#keyboards.delete(chat);
    }
    const results = Array.isArray(call.result) ? call.result : [call.result];
    for (const result of results) {
      if (isRec(result) && typeof result.message_id === "number") {
        this.noteMessage(chat, result.message_id);
      }
    }
    if (typeof call.params.message_id === "number") this.noteContent(chat, call.params.message_id);
    return [chat];
  }

  /** The reply keyboard under the person's text field, if the bot set one. */
  keyboard(personId: number): ReplyKeyboard | null {
    return this.#keyboards.get(personId) ?? null;
  }

  /** A button of a one-time keyboard was pressed: Telegram hides the keyboard. */
  keyboardUsed(personId: number): void {
    if (this.#keyboards.get(personId)?.oneTime) this.#keyboards.delete(personId);
  }

  /** The person's chat as the page draws it, oldest first. */
  messages(personId: number): ShownMessage[] {
    const shown: ShownMessage[] = [];
    for (const id of this.#order.get(personId) ?? []) {
      const m = this.#tg.messageIn(personId, id);
      if (m) shown.push(this.#show(personId, m));
    }
    return shown;
  }

  #show(personId: number, m: Rec): ShownMessage {
    const id = Number(m.message_id);
    const mine = this.#reactions.get(`${personId}:${id}`);
    const botReaction = this.#tg.reactionOn(personId, id);
    return {
      ...showMessage(m, personId, this.#edits.note(personId, id, m)),
      ...(mine ? { myReaction: mine } : {}),
      ...(botReaction ? { botReaction } : {}),
    };
  }
}

/**
 * What each message held when last seen (its text or caption and its media, not its buttons),
 * and whether that ever changed: Telegram marks a message "edited" only for such a change.
 */
export class ContentEdits {
  #seen = new Map<string, { content: string; edited: boolean }>();

  /** Notes what message `messageId` of `chatId` holds (`m`); returns whether it was edited. */
  note(chatId: number, messageId: number, m: Rec | undefined): boolean {
    const key = `${chatId}:${messageId}`;
    const before = this.#seen.get(key);
    if (!m) return before?.edited ?? false;
    const content = contentOf(m);
    const edited = (before?.edited ?? false) ||
      (before !== undefined && before.content !== content) ||
      // First seen already edited by a person (who can only change the text): an edit made
      // before the page looked. The bot's messages are seen as they are sent.
      (before === undefined && m.edit_date !== undefined && isRec(m.from) &&
        m.from.is_bot !== true);
    this.#seen.set(key, { content, edited });
    return edited;
  }
}

/** A message's text and media, the parts whose change Telegram shows as an edit. */
function contentOf(m: Rec): string {
  return JSON.stringify([
    m.text ?? m.caption ?? "",
    m.entities ?? m.caption_entities ?? [],
    mediaOf(m),
  ]);
}

/**
 * Message `m` as the page draws it for person `viewerId` (theirs on the right), `edited` as
 * {@link ContentEdits} says; in a group with its author and service line.
 */
export function showMessage(m: Rec, viewerId: number, edited: boolean): ShownMessage {
  const from = isRec(m.from) ? m.from : {};
  const reply = isRec(m.reply_to_message) ? m.reply_to_message : undefined;
  const markup = isRec(m.reply_markup) ? m.reply_markup : undefined;
  const text = typeof m.text === "string"
    ? m.text
    : typeof m.caption === "string"
    ? m.caption
    : undefined;
  const entities = Array.isArray(m.entities)
    ? m.entities
    : Array.isArray(m.caption_entities)
    ? m.caption_entities
    : undefined;
  const media = mediaOf(m);
  const chat = isRec(m.chat) ? m.chat : {};
  const inGroup = chat.type === "group" || chat.type === "supergroup";
  const service = serviceOf(m);
  // In a topic every message replies to the topic's first message: that is no quote.
  const quoted = reply && !(m.is_topic_message === true && reply.message_id === m.message_thread_id)
    ? reply
    : undefined;
  return {
    id: Number(m.message_id),
    out: inGroup ? from.id === viewerId : from.is_bot !== true,
    date: Number(m.date),
    ...(text !== undefined ? { text } : {}),
    ...(entities ? { entities } : {}),
    ...(media ? { media } : {}),
    ...(markup && Array.isArray(markup.inline_keyboard)
      ? { buttons: (markup.inline_keyboard as Rec[][]).map((row) => row.map(buttonOf)) }
      : {}),
    ...(quoted ? { replyTo: { id: Number(quoted.message_id), text: previewOf(quoted) } } : {}),
    edited,
    ...(typeof m.media_group_id === "string" ? { mediaGroupId: m.media_group_id } : {}),
    ...(inGroup
      ? {
        author: {
          id: Number(from.id),
          name: [from.first_name, from.last_name].filter((x) => typeof x === "string").join(" "),
          bot: from.is_bot === true,
        },
      }
      : {}),
    ...(service ? { service } : {}),
  };
}

/** The service line of a group's message `m`, if it is a service message the page shows. */
function serviceOf(m: Rec): Service | undefined {
  const names = (list: unknown) =>
    (Array.isArray(list) ? list : [list]).filter(isRec).map((u) => String(u.first_name ?? ""));
  if (isRec(m.forum_topic_created)) {
    return { kind: "topic_created", name: String(m.forum_topic_created.name ?? "") };
  }
  if (isRec(m.forum_topic_edited)) {
    const name = m.forum_topic_edited.name;
    return { kind: "topic_edited", ...(typeof name === "string" ? { name } : {}) };
  }
  if (isRec(m.forum_topic_closed)) return { kind: "topic_closed" };
  if (isRec(m.forum_topic_reopened)) return { kind: "topic_reopened" };
  if (isRec(m.pinned_message)) return { kind: "pinned", text: previewOf(m.pinned_message) };
  if (m.new_chat_members !== undefined) return { kind: "joined", names: names(m.new_chat_members) };
  if (m.left_chat_member !== undefined) return { kind: "left", names: names(m.left_chat_member) };
  return undefined;
}

function buttonOf(b: Rec): { text: string; data?: string; url?: string } {
  return {
    text: String(b.text ?? ""),
    ...(typeof b.callback_data === "string" ? { data: b.callback_data } : {}),
    ...(typeof b.url === "string" ? { url: b.url } : {}),
  };
}

/** A short line for a quoted message: its text, or what it holds. */
export function previewOf(m: Rec): string {
  const text = typeof m.text === "string" ? m.text : typeof m.caption === "string" ? m.caption : "";
  if (text) return text.length > 80 ? `${text.slice(0, 79)}…` : text;
  const media = mediaOf(m);
  if (!media) return "…";
  if (media.kind === "sticker") return media.emoji;
  if ("fileName" in media && media.fileName) return media.fileName;
  return media.kind;
}

/** The media of message `m`, if it holds any. */
export function mediaOf(m: Rec): Media | undefined {
  if (Array.isArray(m.photo) && m.photo.length > 0) {
    const largest = m.photo[m.photo.length - 1] as Rec;
    return { kind: "photo", fileId: String(largest.file_id) };
  }
  if (isRec(m.sticker)) return { kind: "sticker", emoji: String(m.sticker.emoji ?? "🙂") };
  if (isRec(m.contact)) {
    const c = m.contact;
    const name = [c.first_name, c.last_name].filter((x) => typeof x === "string").join(" ");
    return { kind: "contact", phone: String(c.phone_number ?? ""), name };
  }
  if (isRec(m.location)) {
    return {
      kind: "location",
      latitude: Number(m.location.latitude),
      longitude: Number(m.location.longitude),
    };
  }
  for (const kind of ["animation", "video", "audio", "voice", "document"] as const) {
    const f = m[kind];
    if (isRec(f)) {
      return {
        kind,
        fileId: String(f.file_id),
        ...(typeof f.file_name === "string" ? { fileName: f.file_name } : {}),
        ...(typeof f.mime_type === "string" ? { mimeType: f.mime_type } : {}),
        ...(typeof f.file_size === "number" ? { size: f.file_size } : {}),
      };
    }
  }
  return undefined;
}
