/**
 * Telegram Business calls: a message carried into a business chat by its content (such a
 * chat takes no `copyMessage`), sent as the account with `business_connection_id`: a text
 * with its entities, each kind of media by its `file_id` through its own method; the edit of
 * such a message; marking a client's message read. And how a stored delivery tells that it
 * goes to a business chat. Pure builders; no Telegram, no database.
 *
 * @module
 */
import type { MessageEntity } from "grammy/types";
import { MAX_TEXT, type MessageContent, type Share } from "../rules/content.ts";
import { type Buttons, keyboard, replyTo } from "./builders.ts";
import type { ApiCall } from "./calls.ts";

/** The method that sends each kind of media by its file id. */
const MEDIA_METHOD = {
  photo: "sendPhoto",
  video: "sendVideo",
  animation: "sendAnimation",
  audio: "sendAudio",
  document: "sendDocument",
  voice: "sendVoice",
  video_note: "sendVideoNote",
  sticker: "sendSticker",
} as const;

/** Kinds that carry no caption. */
const NO_CAPTION: ReadonlySet<string> = new Set(["sticker", "video_note"]);

/** How {@link byContent} sends: as an account, a reply, with buttons, with another text. */
export interface ContentOptions {
  /** Into a business chat, as this connection's account. */
  readonly connectionId?: string;
  readonly replyTo?: number | null;
  readonly buttons?: Buttons;
  /** The text or caption to send instead of the content's own (signed with a name). */
  readonly text?: { readonly text: string; readonly entities: readonly MessageEntity[] };
}

/**
 * The call that sends `content` to `chatId` by content: a text with its entities, a medium by
 * its file id through its own method, a location, venue, contact, poll or dice roll by what
 * it held ({@link shareCall}, when the event carries it: a stored message does not hold it).
 * `undefined` for a kind that cannot be sent so.
 */
export function byContent(
  chatId: number,
  content: Pick<MessageContent, "kind" | "text" | "entities" | "fileId" | "share">,
  options: ContentOptions = {},
): ApiCall | undefined {
  const base = {
    chat_id: chatId,
    ...(options.connectionId !== undefined ? { business_connection_id: options.connectionId } : {}),
    ...(options.buttons ? { reply_markup: keyboard(options.buttons) } : {}),
    ...replyTo(options.replyTo),
  };
  const text = options.text?.text ?? content.text;
  const given = options.text?.entities ?? content.entities;
  const entities = given && given.length > 0 ? [...given] as MessageEntity[] : undefined;
  if (content.kind === "text") {
    if (!text) return undefined;
    return { method: "sendMessage", params: { ...base, text, ...(entities ? { entities } : {}) } };
  }
  const share = content.share;
  if (share !== undefined) return shareCall(base, share);
  const method = MEDIA_METHOD[content.kind as keyof typeof MEDIA_METHOD];
  if (method === undefined || !content.fileId) return undefined;
  const caption = text && !NO_CAPTION.has(content.kind)
    ? { caption: text, ...(entities ? { caption_entities: entities } : {}) }
    : {};
  // One object per method keeps grammY's parameter types checked.
  const file = content.fileId;
  switch (method) {
    case "sendPhoto":
      return { method, params: { ...base, photo: file, ...caption } };
    case "sendVideo":
      return { method, params: { ...base, video: file, ...caption } };
    case "sendAnimation":
      return { method, params: { ...base, animation: file, ...caption } };
    case "sendAudio":
      return { method, params: { ...base, audio: file, ...caption } };
    case "sendDocument":
      return { method, params: { ...base, document: file, ...caption } };
    case "sendVoice":
      return { method, params: { ...base, voice: file, ...caption } };
    case "sendVideoNote":
      return { method, params: { ...base, video_note: file } };
    case "sendSticker":
      return { method, params: { ...base, sticker: file } };
  }
}

/**
 * The call that writes `content` into client `chatId`'s business chat as the account of
 * `connectionId` (a reply to its message `replyToId` when given), or `undefined`.
 */
export function asAccount(
  connectionId: string,
  chatId: number,
  content: Pick<MessageContent, "kind" | "text" | "entities" | "fileId" | "share">,
  replyToId: number | null = null,
): ApiCall | undefined {
  return byContent(chatId, content, { connectionId, replyTo: replyToId });
}

/** The edit of message `messageId` the account sent in a business chat: its new text. */
export function editAsAccount(
  connectionId: string,
  chatId: number,
  messageId: number,
  kind: string,
  text: string,
  entities: readonly MessageEntity[] | null,
): ApiCall<"editMessageText" | "editMessageCaption"> {
  const target = { business_connection_id: connectionId, chat_id: chatId, message_id: messageId };
  if (kind === "text") {
    return {
      method: "editMessageText",
      params: { ...target, text, ...(entities ? { entities: [...entities] } : {}) },
    };
  }
  return {
    method: "editMessageCaption",
    params: { ...target, caption: text, ...(entities ? { caption_entities: [...entities] } : {}) },
  };
}

/** Marks the client's message `messageId` of a business chat read. */
export function readAsAccount(
  connectionId: string,
  chatId: number,
  messageId: number,
): ApiCall<"readBusinessMessage"> {
  return {
    method: "readBusinessMessage",
    params: { business_connection_id: connectionId, chat_id: chatId, message_id: messageId },
  };
}

/** The business connection a stored delivery's call goes through, if any (its params' JSON). */
export function connectionOf(params: string): string | undefined {
  if (!params.includes('"business_connection_id"')) return undefined;
  const id = (JSON.parse(params) as { business_connection_id?: unknown }).business_connection_id;
  return typeof id === "string" ? id : undefined;
}

/**
 * A location, venue or contact sent again by its own method; a poll or a dice roll, which a
 * bot cannot send as the one received (a new poll, a new roll), as a text saying what it was.
 * (Signed, where clients mix, by the name button under it, as a sticker is.)
 */
function shareCall(base: { readonly chat_id: number }, share: Share): ApiCall {
  switch (share.kind) {
    case "location":
      return {
        method: "sendLocation",
        params: { ...base, latitude: share.latitude, longitude: share.longitude },
      };
    case "venue":
      return {
        method: "sendVenue",
        params: {
          ...base,
          latitude: share.latitude,
          longitude: share.longitude,
          title: share.title,
          address: share.address,
        },
      };
    case "contact":
      return {
        method: "sendContact",
        params: {
          ...base,
          phone_number: share.phoneNumber,
          first_name: share.firstName,
          ...(share.lastName !== null ? { last_name: share.lastName } : {}),
        },
      };
    case "poll": {
      const text = [`📊 ${share.question}`, ...share.options.map((o) => `• ${o}`)].join("\n");
      return { method: "sendMessage", params: { ...base, text: text.slice(0, MAX_TEXT) } };
    }
    case "dice":
      return { method: "sendMessage", params: { ...base, text: `${share.emoji} ${share.value}` } };
  }
}
