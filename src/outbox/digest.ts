/**
 * A flood's digest: what a client wrote beyond their pace (`CLIENT_RELAY_PER_MINUTE`), shown
 * to staff in as few messages as Telegram allows, so that a flood neither holds the staff
 * chat nor hides a word. The desk folds such a message (keeps it, `messages.folded`) and
 * writes one deferred step a minute later (`foldSummary`, see `calls.ts`); each step, when it
 * is sent, shows the next part of the ticket's folded messages not shown yet:
 *
 * - consecutive texts merged into one message of at most 4,096 characters, each piece after
 *   its time (`[14:03] `, in the desk's `TIMEZONE`), the whole signed `👤 Name:` in an agent's
 *   chat (where clients mix; a client's topic is the client's own, so nothing is signed);
 * - consecutive media that Telegram groups (photos with videos, documents with documents,
 *   audio with audio; 2 to 10) as one album, each caption after its time;
 * - anything else (a sticker, a voice message, a location, a text too long to take its mark…)
 *   one by one, as the relay carries it.
 *
 * Why one part per step, and not the whole digest in one go: each step is one delivery, so
 * the sender paces it as one message (an album as its parts) under Telegram's limits, and
 * records where each message landed with the delivery (`recorder.ts`), in one transaction. A
 * retry or a restart finds the messages recorded as shown and goes on with the next part:
 * none shown twice, none skipped (except the one window the Bot API leaves open, a process
 * dying between Telegram's answer and the record). The desk writes the next step in that same
 * transaction (`src/desk/folding.ts`).
 *
 * Pure planning ({@link nextPart}, {@link mergedText}) apart from the sending
 * ({@link showFolded}), so that the desk plans the same parts when a ticket closes.
 *
 * @module
 */
import type { RawApi } from "grammy";
import type { MessageEntity } from "grammy/types";
import { localTime } from "../base/time.ts";
import { CAPTIONED, MAX_CAPTION, MAX_TEXT } from "../rules/content.ts";
import { type Signer, signText } from "../rules/signing.ts";
import { type Message, nameOf, type Store } from "../store/mod.ts";
import { copy } from "./builders.ts";
import { clientToAgent } from "./carry.ts";
import { type ApiCall, type ApiParams, type Copy, type FoldSummaryJob, invoke } from "./calls.ts";

/** Telegram's most parts in one album. */
export const ALBUM_MAX = 10;

/**
 * How many folded messages a step reads: more than one part can hold (a text part holds at
 * most 4,096 / 9 pieces: a mark, a space, a character, a line break).
 */
export const PART_READ_LIMIT = 500;

/** Who reads a digest: an agent's chat (`signer`: the client's name in front), or a topic. */
export interface DigestReader {
  readonly signer: Signer | null;
  readonly timeZone: string;
}

/** One part of a digest: one message, or one album. */
export type DigestPart =
  | {
    readonly kind: "text";
    readonly pieces: readonly Message[];
    readonly text: string;
    readonly entities: readonly MessageEntity[];
  }
  | { readonly kind: "album"; readonly pieces: readonly Message[] }
  | { readonly kind: "single"; readonly pieces: readonly [Message] };

/** What showing a digest reads. */
export type DigestStore = Pick<Store, "getTicket" | "getUser" | "unshownFolded">;

/** The time a piece was written, as it is marked: `[14:03]`. */
export function timeMark(ms: number, timeZone: string): string {
  const t = localTime(ms, timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `[${two(t.hour)}:${two(t.minute)}]`;
}

/** Moves entities right by `by` UTF-16 code units. */
function shifted(json: string | null, by: number): MessageEntity[] {
  const entities: MessageEntity[] = json ? JSON.parse(json) : [];
  return entities.map((e) => ({ ...e, offset: e.offset + by }));
}

/** A piece's text after its time mark, with its entities moved along. */
function marked(m: Message, timeZone: string): { text: string; entities: MessageEntity[] } {
  const mark = timeMark(m.createdAt, timeZone);
  const text = m.text ?? "";
  if (text === "") return { text: mark, entities: [] };
  return { text: `${mark} ${text}`, entities: shifted(m.entities, mark.length + 1) };
}

/**
 * Texts merged into one message: each on a line of its own after its time mark, signed in
 * front for an agent's chat; `undefined` when they do not fit in one message.
 */
export function mergedText(
  pieces: readonly Message[],
  reader: DigestReader,
): { text: string; entities: MessageEntity[] } | undefined {
  let text = "";
  const entities: MessageEntity[] = [];
  for (const piece of pieces) {
    const line = marked(piece, reader.timeZone);
    if (text !== "") text += "\n";
    entities.push(...line.entities.map((e) => ({ ...e, offset: e.offset + text.length })));
    text += line.text;
    if (text.length > MAX_TEXT) return undefined;
  }
  if (reader.signer === null) return { text, entities };
  return signText(reader.signer.name, text, entities, MAX_TEXT);
}

/** Which album a piece can go in (`sendMediaGroup`'s rules), or `undefined`: none. */
function albumClass(m: Message): string | undefined {
  if (m.fileId === null) return undefined;
  switch (m.kind) {
    case "photo":
    case "video":
      return "visual";
    case "document":
    case "audio":
      return m.kind;
    default:
      return undefined;
  }
}

/** The first part of `unshown` (in order), or `undefined` when it is empty. */
export function nextPart(
  unshown: readonly Message[],
  reader: DigestReader,
): DigestPart | undefined {
  const first = unshown[0];
  if (first === undefined) return undefined;
  if (first.kind === "text") {
    let merged = mergedText([first], reader);
    // Too long to take its mark (or the name): it goes as it is, alone.
    if (merged === undefined) return { kind: "single", pieces: [first] };
    let count = 1;
    while (count < unshown.length && unshown[count].kind === "text") {
      const more = mergedText(unshown.slice(0, count + 1), reader);
      if (more === undefined) break;
      merged = more;
      count++;
    }
    return { kind: "text", pieces: unshown.slice(0, count), ...merged };
  }
  const group = albumClass(first);
  if (group !== undefined) {
    let count = 1;
    while (
      count < unshown.length && count < ALBUM_MAX && albumClass(unshown[count]) === group
    ) count++;
    if (count > 1) return { kind: "album", pieces: unshown.slice(0, count) };
  }
  return { kind: "single", pieces: [first] };
}

/** Every part `unshown` makes, in order (how many steps a closing ticket's digest takes). */
export function partsOf(unshown: readonly Message[], reader: DigestReader): DigestPart[] {
  const parts: DigestPart[] = [];
  let rest = unshown;
  for (let part = nextPart(rest, reader); part; part = nextPart(rest, reader)) {
    parts.push(part);
    rest = rest.slice(part.pieces.length);
  }
  return parts;
}

/** Who reads the digest of `job`: signed with the client's name unless it goes to a topic. */
export function readerOf(
  store: Pick<Store, "getUser">,
  job: Pick<FoldSummaryJob, "client_id">,
  staffChatId: number | undefined,
  timeZone: string,
): DigestReader {
  if (staffChatId !== undefined) return { signer: null, timeZone };
  const client = store.getUser(job.client_id);
  const name = client ? nameOf(client) : String(job.client_id);
  return { signer: { clientId: job.client_id, name }, timeZone };
}

/**
 * Does one step of a digest: sends the next part of the ticket's folded messages not shown
 * yet into `job.chat_id` (its topic, in team mode), and resolves with where each landed, for
 * the record. Nothing is sent when nothing is left, or when the ticket went to another agent
 * since (private mode: the new agent was handed the ticket's history file).
 */
export async function showFolded(
  api: RawApi,
  store: DigestStore,
  job: FoldSummaryJob,
  options: { readonly timeZone: string; readonly staffChatId?: number },
): Promise<readonly Copy[]> {
  const ticket = store.getTicket(job.ticket_id);
  if (!ticket) return [];
  const staff = options.staffChatId;
  if (staff === undefined ? ticket.agentId !== job.chat_id : job.chat_id !== staff) return [];
  const reader = readerOf(store, job, staff, options.timeZone);
  const unshown = store.unshownFolded(ticket.id, job.from_message_id, PART_READ_LIMIT);
  const part = nextPart(unshown, reader);
  if (part === undefined) return [];
  const thread = job.message_thread_id !== undefined
    ? { message_thread_id: job.message_thread_id }
    : {};
  const chat_id = job.chat_id;
  switch (part.kind) {
    case "text": {
      const sent = await api.sendMessage({
        chat_id,
        text: part.text,
        entities: [...part.entities],
        ...thread,
      });
      const [first, ...rest] = part.pieces;
      return [{ messageId: first.id, copyId: sent.message_id, merged: rest.map((p) => p.id) }];
    }
    case "album": {
      const { media, signed } = albumOf(part.pieces, reader);
      const sent = await api.sendMediaGroup({ chat_id, media, ...thread });
      return part.pieces.map((p, i) => ({
        messageId: p.id,
        copyId: sent[i]?.message_id ?? 0,
        ...(reader.signer !== null ? { signedInline: i === signed } : {}),
      })).filter((c) => c.copyId > 0);
    }
    case "single": {
      const [piece] = part.pieces;
      const { call, signedInline } = singleCall(piece, chat_id, reader);
      const withThread = { ...call, params: { ...call.params, ...thread } } as ApiCall;
      const sent = await invoke(api, withThread) as { message_id?: number };
      if (typeof sent?.message_id !== "number") return [];
      return [{
        messageId: piece.id,
        copyId: sent.message_id,
        ...(reader.signer !== null ? { signedInline } : {}),
      }];
    }
  }
}

/**
 * The call that shows one piece alone, as the relay would (signed in an agent's chat: in the
 * text or caption, else on a button), its caption after its time mark when it takes one.
 */
function singleCall(
  piece: Message,
  chatId: number,
  reader: DigestReader,
): { call: ApiCall; signedInline: boolean } {
  const source = { chatId: piece.sourceChatId ?? piece.senderId, messageId: piece.chatMessageId };
  const caption = CAPTIONED.has(piece.kind) ? marked(piece, reader.timeZone) : undefined;
  const fits = caption !== undefined && caption.text.length <= MAX_CAPTION;
  if (reader.signer === null) {
    const options = fits ? { caption } : {};
    return { call: copy(chatId, source.chatId, source.messageId, options), signedInline: false };
  }
  const content = {
    kind: piece.kind,
    text: fits ? caption.text : piece.text,
    entities: fits ? caption.entities : (piece.entities ? JSON.parse(piece.entities) : null),
    fileId: piece.fileId,
  };
  return clientToAgent(content, source, chatId, reader.signer);
}

/** An album's media, as `sendMediaGroup` takes them. */
type AlbumMedia = ApiParams["sendMediaGroup"]["media"];

/**
 * The media of a digest's album, by their files, each caption after its time mark (as it is,
 * when the mark does not fit); in an agent's chat the client's name in front of the first
 * caption that takes it (`signed`: its index, -1 for none).
 */
function albumOf(
  pieces: readonly Message[],
  reader: DigestReader,
): { media: AlbumMedia; signed: number } {
  let signed = -1;
  const captions = pieces.map((p) => {
    const mark = marked(p, reader.timeZone);
    const plain = { text: p.text ?? "", entities: shifted(p.entities, 0) };
    let shown = mark.text.length <= MAX_CAPTION ? mark : plain;
    if (reader.signer !== null && signed === -1) {
      const named = signText(reader.signer.name, shown.text, shown.entities, MAX_CAPTION);
      if (named) {
        shown = named;
        signed = pieces.indexOf(p);
      }
    }
    return shown.text === "" ? {} : { caption: shown.text, caption_entities: shown.entities };
  });
  const media = pieces.map((p, i) => {
    const file = p.fileId ?? "";
    switch (p.kind) {
      case "audio":
        return { type: "audio" as const, media: file, ...captions[i] };
      case "document":
        return { type: "document" as const, media: file, ...captions[i] };
      case "video":
        return { type: "video" as const, media: file, ...captions[i] };
      default:
        return { type: "photo" as const, media: file, ...captions[i] };
    }
  });
  return { media: media as AlbumMedia, signed };
}

/**
 * The edit that brings a digest's merged message up to date after one of its pieces was
 * edited: the whole message again, from its pieces as they are now; `undefined` when it no
 * longer fits one message (the history keeps the edit).
 */
export function mergedEdit(
  store: Pick<Store, "sharingCopy">,
  m: Message,
  reader: DigestReader,
): ApiCall<"editMessageText"> | undefined {
  if (m.copyChatId === null || m.copyMessageId === null) return undefined;
  const pieces = store.sharingCopy(m.copyChatId, m.copyMessageId)
    .filter((p) => p.folded && p.kind === "text");
  const merged = mergedText(pieces, reader);
  if (merged === undefined) return undefined;
  return {
    method: "editMessageText",
    params: {
      chat_id: m.copyChatId,
      message_id: m.copyMessageId,
      text: merged.text,
      entities: merged.entities,
    },
  };
}
