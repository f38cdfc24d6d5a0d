/**
 * The fake's album methods: `sendMediaGroup` (an album of files, each a file id or an upload)
 * and `copyMessages` (a batch of copies, albums kept together), with the Bot API server's
 * checks and error texts. Called by `methods.ts` once blocked chats and flood limits had
 * their say.
 *
 * @module
 */

import { type AlbumKind, type Files, mediaObject } from "./files.ts";
import { type Chats, copiedContent } from "./objects.ts";
import { checkCaption, requireChat, requireParam } from "./params.ts";
import { FakeApiError, isRecord, num, type RecordedFile } from "./requests.ts";

/** The most messages one album may hold (TDLib's `MAX_GROUPED_MESSAGES`). */
export const MAX_ALBUM = 10;
/** The most messages one `copyMessages` call may name. */
const MAX_COPIED = 100;
const ALBUM_KINDS: ReadonlySet<string> = new Set<AlbumKind>([
  "photo",
  "video",
  "document",
  "audio",
]);
/** Album kinds that may only be grouped with their own kind, as TDLib names them. */
const HOMOGENOUS: Readonly<Record<string, string>> = { document: "document", audio: "audio" };

/**
 * `copyMessages`: copies of `message_ids` (strictly increasing, at most 100) from
 * `from_chat_id`, in order; unknown and service messages skipped; an album's parts keep one
 * new `media_group_id`.
 */
export function copyMessages(
  chats: Chats,
  params: Record<string, unknown>,
): Record<string, unknown>[] {
  requireParam(params, "from_chat_id");
  const ids = params.message_ids;
  if (ids === undefined || ids === "" || (Array.isArray(ids) && ids.length === 0)) {
    throw new FakeApiError(400, "Bad Request: message identifiers are not specified");
  }
  if (!Array.isArray(ids)) {
    throw new FakeApiError(400, "Bad Request: expected an Array of message identifiers");
  }
  if (ids.length > MAX_COPIED) {
    throw new FakeApiError(400, "Bad Request: too many message identifiers specified");
  }
  const numbers = ids.map((id) => {
    const n = num(id);
    if (n === undefined) {
      throw new FakeApiError(400, "Bad Request: message identifier must be a Number");
    }
    if (n <= 0) throw new FakeApiError(400, "Bad Request: invalid message identifier specified");
    return n;
  });
  requireChat(params);
  for (let i = 1; i < numbers.length; i++) {
    if (numbers[i] <= numbers[i - 1]) {
      throw new FakeApiError(
        400,
        "Bad Request: message identifiers must be in a strictly increasing order",
      );
    }
  }
  const groups = new Map<string, string>();
  const copies: Record<string, unknown>[] = [];
  for (const id of numbers) {
    const original = chats.message(params.from_chat_id, id);
    if (!original) continue;
    const content = copiedContent(original);
    if (Object.keys(content).length === 0) continue; // a service message: not copied
    if (params.remove_caption === true) {
      delete content.caption;
      delete content.caption_entities;
    }
    const album = original.media_group_id;
    if (typeof album === "string") {
      if (!groups.has(album)) groups.set(album, chats.nextMediaGroupId());
      content.media_group_id = groups.get(album);
    }
    const copy = chats.botMessage({ chat_id: params.chat_id }, content);
    copies.push({ message_id: copy.message_id });
  }
  return copies;
}

/**
 * `sendMediaGroup`: `media`, an array of `InputMedia` of type photo, video, document or
 * audio (documents and audio only grouped with their own type), each a file id or an
 * `attach://<part>` upload, with its caption (at most 1024 characters). Answers the messages
 * sent, in order, kept in the chat and sharing a new `media_group_id`.
 *
 * The documentation says 2–10 items; the server refuses only none ("there are no messages
 * to send") and more than ten ("too many messages to send as an album"), and sends a single
 * item as a plain message, without `media_group_id`: so does the fake.
 */
export function sendMediaGroup(
  chats: Chats,
  stored: Files,
  params: Record<string, unknown>,
  files: Record<string, RecordedFile>,
): Record<string, unknown>[] {
  requireParam(params, "media");
  const media = params.media;
  if (typeof media === "string") {
    throw new FakeApiError(400, "Bad Request: can't parse media JSON object");
  }
  if (!Array.isArray(media)) {
    throw new FakeApiError(400, "Bad Request: expected an Array of InputMedia");
  }
  const items = media.map((item) => albumItem(stored, item, files));
  requireChat(params);
  for (const item of items) checkCaption(item.caption, item.parse_mode);
  if (items.length > MAX_ALBUM) {
    throw new FakeApiError(400, "Bad Request: too many messages to send as an album");
  }
  if (items.length === 0) {
    throw new FakeApiError(400, "Bad Request: there are no messages to send");
  }
  const kinds = new Set(items.map((item) => item.kind));
  const alone = items.find((item) => HOMOGENOUS[item.kind] !== undefined);
  if (kinds.size > 1 && alone) {
    throw new FakeApiError(
      400,
      `Bad Request: ${HOMOGENOUS[alone.kind]} can't be mixed with other media types`,
    );
  }
  const group = items.length > 1 ? chats.nextMediaGroupId() : undefined;
  return items.map((item) => {
    const content: Record<string, unknown> = { [item.kind]: item.media };
    if (group !== undefined) content.media_group_id = group;
    if (typeof item.caption === "string" && item.caption !== "") {
      content.caption = item.caption;
      if (Array.isArray(item.caption_entities) && item.caption_entities.length > 0) {
        content.caption_entities = item.caption_entities;
      }
    }
    return chats.botMessage(params, content);
  });
}

/** One `InputMedia` of an album, read as the Bot API reads it, with its file. */
function albumItem(
  stored: Files,
  item: unknown,
  files: Record<string, RecordedFile>,
): {
  kind: AlbumKind;
  media: unknown;
  caption?: unknown;
  caption_entities?: unknown;
  parse_mode?: unknown;
} {
  const fail = (why: string) =>
    new FakeApiError(400, `Bad Request: can't parse InputMedia: ${why}`);
  if (!isRecord(item)) throw fail("expected an Object");
  const type = item.type;
  if (typeof type !== "string") throw fail('Can\'t find field "type"');
  const ref = item.media;
  let fileId: string | undefined;
  let upload: RecordedFile | undefined;
  if (typeof ref === "string" && ref.startsWith("attach://")) {
    upload = files[ref.slice("attach://".length)];
  } else if (typeof ref === "string" && ref !== "") {
    fileId = ref;
  }
  if (fileId === undefined && upload === undefined) throw fail("media not found");
  if (type === "animation") throw fail('type "animation" can\'t be used in sendMediaGroup');
  if (!ALBUM_KINDS.has(type)) throw fail(`type "${type}" is unsupported`);
  const kind = type as AlbumKind;
  if (upload) {
    fileId = stored.newFileId(kind);
    stored.store(fileId, kind, upload.bytes, upload.filename);
  }
  const media = mediaObject(kind, fileId!, {
    fileName: upload?.filename,
    size: upload?.bytes.length,
    duration: num(item.duration),
    width: num(item.width),
    height: num(item.height),
  });
  return {
    kind,
    media,
    caption: item.caption,
    caption_entities: item.caption_entities,
    parse_mode: item.parse_mode,
  };
}
