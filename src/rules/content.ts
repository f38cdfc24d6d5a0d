/**
 * What a Telegram message holds, in the terms the database keeps: its kind, text or caption,
 * entities, file and album; read from grammY's `Message` and made safe for the handlers.
 * Telegram's limits on texts and captions. Pure functions; no Telegram, no database.
 *
 * @module
 */
import type { Message, MessageEntity } from "grammy/types";

/** Telegram's limit on a message text. */
export const MAX_TEXT = 4096;
/** Telegram's limit on a caption. */
export const MAX_CAPTION = 1024;

/** What a message holds, in the terms the database keeps. */
export interface MessageContent {
  /** text, photo, video, animation, document, voice, audio, sticker, video_note, … */
  readonly kind: string;
  /** The text, or the caption. */
  readonly text: string | null;
  readonly entities: readonly MessageEntity[] | null;
  /** The file's id, when the message carries a file. */
  readonly fileId: string | null;
  /** The album the message is a part of (Telegram's `media_group_id`), if any. */
  readonly mediaGroupId?: string | null;
  /** The name of the file it carries, as the sender gave it (not stored; searched only). */
  readonly fileName?: string | null;
  /**
   * What a location, venue, contact, poll or dice holds, for a chat that takes no copy (a
   * business chat: see `outbox/business.ts`). Not stored; carried with the event.
   */
  readonly share?: Share;
}

/** What a message with no text and no file holds, enough to send it again by content. */
export type Share =
  | { readonly kind: "location"; readonly latitude: number; readonly longitude: number }
  | {
    readonly kind: "venue";
    readonly latitude: number;
    readonly longitude: number;
    readonly title: string;
    readonly address: string;
  }
  | {
    readonly kind: "contact";
    readonly phoneNumber: string;
    readonly firstName: string;
    readonly lastName: string | null;
  }
  | { readonly kind: "poll"; readonly question: string; readonly options: readonly string[] }
  | { readonly kind: "dice"; readonly emoji: string; readonly value: number };

const num = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

/** What `value` (the message's field of kind `kind`) holds, if it is well formed. */
function shareOf(kind: string, value: Record<string, unknown>): Share | undefined {
  const where = (v: Record<string, unknown>) => {
    const latitude = num(v.latitude);
    const longitude = num(v.longitude);
    return latitude === null || longitude === null ? undefined : { latitude, longitude };
  };
  switch (kind) {
    case "location": {
      const at = where(value);
      return at && { kind, ...at };
    }
    case "venue": {
      const location = value.location;
      const at = typeof location === "object" && location !== null
        ? where(location as Record<string, unknown>)
        : undefined;
      const title = str(value.title);
      const address = str(value.address);
      return at && title !== null && address !== null ? { kind, ...at, title, address } : undefined;
    }
    case "contact": {
      const phoneNumber = str(value.phone_number);
      const firstName = str(value.first_name);
      if (phoneNumber === null || firstName === null) return undefined;
      return { kind, phoneNumber, firstName, lastName: str(value.last_name) };
    }
    case "poll": {
      const question = str(value.question);
      const options = Array.isArray(value.options)
        ? value.options.map((o) => str((o as { text?: unknown } | null)?.text)).filter((o) =>
          o !== null
        )
        : [];
      return question === null ? undefined : { kind, question, options };
    }
    case "dice": {
      const emoji = str(value.emoji);
      const rolled = num(value.value);
      return emoji === null || rolled === null ? undefined : { kind, emoji, value: rolled };
    }
  }
  return undefined;
}

/** Kinds an album can be made of. */
export const ALBUM_KINDS: ReadonlySet<string> = new Set(["photo", "video", "document", "audio"]);

/** Kinds whose messages can carry a caption. */
export const CAPTIONED: ReadonlySet<string> = new Set([
  "photo",
  "video",
  "animation",
  "document",
  "audio",
  "voice",
]);

const str = (value: unknown): string | null => typeof value === "string" ? value : null;
const fileOf = (value: unknown): string | null =>
  typeof value === "object" && value !== null
    ? str((value as { file_id?: unknown }).file_id)
    : null;
const present = (value: unknown): boolean => typeof value === "object" && value !== null;

/**
 * Reads what a message holds. Unknown kinds come out as `other`, never as an error; fields of
 * the wrong type (which Telegram never sends, but a fuzzer does) are treated as absent.
 */
export function describeMessage(m: Message): MessageContent {
  const hasText = typeof m.text === "string";
  const text = hasText ? m.text! : str(m.caption);
  const rawEntities = hasText ? m.entities : m.caption_entities;
  const entities = Array.isArray(rawEntities) && text !== null
    ? rawEntities.filter(isEntity)
    : null;
  const mediaGroupId = str(m.media_group_id);
  const content = (kind: string, fileId: string | null = null): MessageContent => ({
    kind,
    text,
    entities: entities && entities.length > 0 ? entities : null,
    fileId,
    // Only these kinds make albums (`sendMediaGroup`); the id on anything else is ignored.
    ...(mediaGroupId !== null && ALBUM_KINDS.has(kind) ? { mediaGroupId } : {}),
  });
  if (hasText) return content("text");
  if (Array.isArray(m.photo) && m.photo.length > 0) {
    return content("photo", fileOf(m.photo[m.photo.length - 1]));
  }
  for (
    const kind of ["animation", "video", "document", "voice", "audio", "sticker", "video_note"]
  ) {
    const value: unknown = Reflect.get(m, kind);
    if (present(value)) {
      const fileName = str(Reflect.get(value as object, "file_name"));
      return { ...content(kind, fileOf(value)), ...(fileName !== null ? { fileName } : {}) };
    }
  }
  for (const kind of ["venue", "location", "contact", "poll", "dice"]) {
    const value: unknown = Reflect.get(m, kind);
    if (present(value)) {
      const share = shareOf(kind, value as Record<string, unknown>);
      return { ...content(kind), ...(share ? { share } : {}) };
    }
  }
  return content("other");
}

/**
 * Makes a message safe for the handlers, in place: text, caption and their entities of the
 * wrong type (which Telegram never sends, but a fuzzer does) are dropped, as are malformed
 * entities. Returns false for a message that cannot be handled at all (no usable id).
 */
export function normalizeMessage(m: Message): boolean {
  if (typeof m !== "object" || m === null) return false;
  if (!Number.isSafeInteger(m.message_id) || m.message_id <= 0) return false;
  for (const [text, entities] of [["text", "entities"], ["caption", "caption_entities"]]) {
    const value: unknown = Reflect.get(m, text);
    if (value !== undefined && typeof value !== "string") Reflect.deleteProperty(m, text);
    const list: unknown = Reflect.get(m, entities);
    if (list === undefined) continue;
    if (Reflect.get(m, text) === undefined || !Array.isArray(list)) {
      Reflect.deleteProperty(m, entities);
    } else {
      Reflect.set(m, entities, list.filter(isEntity));
    }
  }
  return true;
}

function isEntity(e: unknown): e is MessageEntity {
  if (typeof e !== "object" || e === null) return false;
  const { type, offset, length } = e as Record<string, unknown>;
  return typeof type === "string" && Number.isInteger(offset) && Number.isInteger(length) &&
    (offset as number) >= 0 && (length as number) > 0;
}
