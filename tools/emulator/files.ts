/**
 * Files and media in the fake Bot API: {@link Files} keeps the bytes of what users sent and
 * what the bot uploaded under file ids and paths (served by `getFile` and
 * `/file/bot<token>/<path>`), and builds media objects shaped like Telegram's (photo sizes,
 * documents, voice, stickers, ...) for both sides.
 *
 * @module
 */

import type { Message } from "grammy/types";
import { commandEntities } from "./objects.ts";
import { FakeApiError, str } from "./requests.ts";

/** Kinds of media `FakeTelegram.sendMedia` can build. */
export type MediaKind =
  | "photo"
  | "document"
  | "voice"
  | "audio"
  | "video"
  | "sticker"
  | "video_note"
  | "location"
  | "venue"
  | "contact"
  | "dice"
  | "poll"
  | "animation";

/** Media kinds that carry a file. */
export type FileKind = Exclude<MediaKind, "location" | "venue" | "contact" | "dice" | "poll">;

/** The kinds `sendMediaGroup` takes (`InputMediaPhoto`, …Video, …Document, …Audio). */
export type AlbumKind = "photo" | "video" | "document" | "audio";

/** Options of `FakeTelegram.sendMedia`. */
export interface SendMediaOptions {
  /** Caption (only for kinds where Telegram allows one; otherwise an error is thrown). */
  caption?: string;
  /** File name for document/audio/video/animation. */
  fileName?: string;
  /** MIME type for document/audio/video/animation/voice. */
  mimeType?: string;
  /** File content served by `getFile` + `/file/bot<token>/<path>`; a placeholder by default. */
  bytes?: Uint8Array | string;
  /** Extra message fields, merged last. */
  extra?: Partial<Message>;
}

/** The kinds Telegram allows a caption on. */
export const CAPTION_KINDS: ReadonlySet<MediaKind> = new Set<MediaKind>([
  "photo",
  "document",
  "voice",
  "audio",
  "video",
  "animation",
]);

/** What a media object may say besides its file id. */
export interface MediaDetails {
  fileName?: string;
  mimeType?: string;
  size?: number;
  duration?: number;
  width?: number;
  height?: number;
  emoji?: string;
}

const encoder = new TextEncoder();

/** The bytes of the files the fake holds, by path, and which file id names which path. */
export class Files {
  #files = new Map<string, Uint8Array>();
  #fileIdToPath = new Map<string, string>();
  #fileCounter = 0;
  #pollCounter = 0;

  /** Serves `bytes` at `path`; `fileId` makes `getFile` find it. */
  set(path: string, bytes: Uint8Array | string, fileId?: string): void {
    this.#files.set(path, typeof bytes === "string" ? encoder.encode(bytes) : bytes);
    if (fileId !== undefined) this.#fileIdToPath.set(fileId, path);
  }

  /** The bytes at `path`, if any. */
  bytesAt(path: string): Uint8Array | undefined {
    return this.#files.get(path);
  }

  /** A new file id for a file of `kind`. */
  newFileId(kind: string): string {
    return `fake-${kind}-${++this.#fileCounter}`;
  }

  /** Keeps `bytes` under the latest file id, at a path like Telegram's (`photos/file_3.jpg`). */
  store(fileId: string, kind: string, bytes: Uint8Array, fileName?: string): void {
    const ext = fileName?.includes(".") ? fileName.slice(fileName.lastIndexOf(".")) : "";
    this.set(`${kind}s/file_${this.#fileCounter}${ext}`, bytes, fileId);
  }

  /** The answer of `getFile`. */
  getFile(params: Record<string, unknown>): Record<string, unknown> {
    const fileId = str(params.file_id);
    const path = fileId !== undefined ? this.#fileIdToPath.get(fileId) : undefined;
    if (fileId === undefined || path === undefined) {
      throw new FakeApiError(400, "Bad Request: invalid file_id");
    }
    return {
      file_id: fileId,
      file_unique_id: uniqueIdOf(fileId),
      file_size: this.#files.get(path)?.length ?? 0,
      file_path: path,
    };
  }

  /** The content of a user's media message of `kind` (with its caption), its file kept. */
  userMedia(kind: MediaKind, options: SendMediaOptions): Record<string, unknown> {
    const content: Record<string, unknown> = {};
    if (kind === "location") {
      content.location = { latitude: 52.520008, longitude: 13.404954 };
    } else if (kind === "venue") {
      // Telegram sends a venue with its location too (`Message.location` is set for venues).
      const location = { latitude: 48.858093, longitude: 2.294694 };
      content.venue = { location, title: "Eiffel Tower", address: "Champ de Mars, Paris" };
      content.location = location;
    } else if (kind === "contact") {
      content.contact = { phone_number: "+15555550100", first_name: "Contact", user_id: 777_000 };
    } else if (kind === "dice") {
      content.dice = { emoji: "🎲", value: 4 };
    } else if (kind === "poll") {
      content.poll = {
        id: `poll-${++this.#pollCounter}`,
        question: "Which plan?",
        options: [{ text: "Basic", voter_count: 0 }, { text: "Pro", voter_count: 0 }],
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: true,
        type: "regular",
        allows_multiple_answers: false,
      };
    } else {
      const fileId = this.newFileId(kind);
      const bytes = options.bytes ?? `fake ${kind} content ${fileId}`;
      const data = typeof bytes === "string" ? encoder.encode(bytes) : bytes;
      this.store(fileId, kind, data, options.fileName);
      const media = mediaObject(kind, fileId, {
        fileName: options.fileName,
        mimeType: options.mimeType,
        size: data.length,
      });
      content[kind] = media;
      if (kind === "animation") content.document = media;
    }
    if (options.caption !== undefined) {
      if (!CAPTION_KINDS.has(kind)) throw new Error(`Telegram allows no caption on ${kind}`);
      content.caption = options.caption;
      const entities = commandEntities(options.caption);
      if (entities) content.caption_entities = entities;
    }
    return content;
  }
}

/** The `file_unique_id` of a fake file id. */
export function uniqueIdOf(fileId: string): string {
  return `u-${fileId}`;
}

/** The Telegram object of a file of `kind` (for a photo, its sizes). */
export function mediaObject(kind: FileKind, fileId: string, o: MediaDetails): unknown {
  const base = {
    file_id: fileId,
    file_unique_id: uniqueIdOf(fileId),
    ...(o.size !== undefined ? { file_size: o.size } : {}),
  };
  const duration = o.duration ?? 3;
  switch (kind) {
    case "photo":
      return [
        {
          ...base,
          file_id: `${fileId}-s`,
          file_unique_id: `${base.file_unique_id}s`,
          width: 90,
          height: 67,
        },
        { ...base, width: o.width ?? 800, height: o.height ?? 600 },
      ];
    case "document":
      return {
        ...base,
        file_name: o.fileName ?? "document.pdf",
        mime_type: o.mimeType ?? guessMime(o.fileName) ?? "application/pdf",
      };
    case "voice":
      return { ...base, duration, mime_type: o.mimeType ?? "audio/ogg" };
    case "audio":
      return {
        ...base,
        duration,
        file_name: o.fileName ?? "audio.mp3",
        mime_type: o.mimeType ?? "audio/mpeg",
      };
    case "video":
    case "animation":
      return {
        ...base,
        width: o.width ?? 640,
        height: o.height ?? 360,
        duration,
        file_name: o.fileName ?? `${kind}.mp4`,
        mime_type: o.mimeType ?? "video/mp4",
      };
    case "video_note":
      return { ...base, length: o.width ?? 240, duration };
    case "sticker":
      return {
        ...base,
        type: "regular",
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: o.emoji ?? "🙂",
      };
  }
}

function guessMime(fileName: string | undefined): string | undefined {
  const ext = fileName?.split(".").pop()?.toLowerCase();
  const types: Record<string, string> = {
    txt: "text/plain",
    pdf: "application/pdf",
    json: "application/json",
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    zip: "application/zip",
    csv: "text/csv",
  };
  return ext !== undefined ? types[ext] : undefined;
}

/** The signatures of the picture formats Telegram makes a photo of. */
const IMAGE_SIGNATURES: readonly (readonly number[])[] = [
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x52, 0x49, 0x46, 0x46], // RIFF (WebP)
  [0x42, 0x4d], // BMP
];

/**
 * Checks an uploaded photo as the Bot API does: at most 10 MB, a picture Telegram can read
 * (else `IMAGE_PROCESS_FAILED`), and for a PNG, whose size the header tells, width and height
 * adding up to at most 10,000 and neither over 20 times the other (`PHOTO_INVALID_DIMENSIONS`).
 */
export function checkPhotoUpload(bytes: Uint8Array): void {
  if (bytes.length > 10 * 1024 * 1024) {
    throw new FakeApiError(400, "Bad Request: PHOTO_SAVE_FILE_INVALID");
  }
  if (!IMAGE_SIGNATURES.some((s) => s.every((b, i) => bytes[i] === b))) {
    throw new FakeApiError(400, "Bad Request: IMAGE_PROCESS_FAILED");
  }
  if (bytes[0] !== 0x89 || bytes.length < 24) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [width, height] = [view.getUint32(16), view.getUint32(20)];
  if (
    width === 0 || height === 0 || width + height > 10_000 ||
    Math.max(width, height) > 20 * Math.min(width, height)
  ) {
    throw new FakeApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS");
  }
}
