/**
 * The Bot API methods the fake implements, and how a call reaches one: {@link Methods}
 * answers `getMe`, `getUpdates` and the webhook methods, `setMyCommands` and friends (per
 * scope and language, kept in `commands.ts`), `sendMessage`, `copyMessage`, `forwardMessage`, the media uploads,
 * `copyMessages` and `sendMediaGroup` (in `albums.ts`), `sendLocation`/`sendContact`, the
 * edits, `deleteMessage`, `setMessageReaction`, `answerCallbackQuery`, `sendChatAction` and
 * `getFile`, after a custom handler installed by the test, a blocked chat or a flood limit
 * had their say. The group and forum methods (`getChat`, `getChatMember`,
 * `getChatAdministrators`, the topic and pin methods, `deleteMessage` in a group) are
 * `team.ts`'s, which also checks access and `message_thread_id` before a send and marks what
 * went into a topic. Method names are matched case-insensitively ({@link canonicalMethod}).
 *
 * Error texts are those of the Bot API server (tdlib/telegram-bot-api, `Client.cpp`, and the
 * TDLib checks behind it): a description starts with `Bad Request: `, then the message with
 * its first letter in lower case unless it is a server code such as `REACTION_INVALID`.
 *
 * @module
 */

import type { UserFromGetMe } from "grammy/types";
import type { Faults } from "./faults.ts";
import {
  CAPTION_KINDS,
  checkPhotoUpload,
  type FileKind,
  type Files,
  mediaObject,
} from "./files.ts";
import { type Chats, copiedContent, inlineMarkup, nowSeconds, takesCaption } from "./objects.ts";
import { checkBotReaction, reactionList } from "./reaction_checks.ts";
import { copyMessages, sendMediaGroup } from "./albums.ts";
import type { Commands } from "./commands.ts";
import { checkCaption, requireChat, requireMessageId } from "./params.ts";
import {
  FakeApiError,
  isRecord,
  num,
  type RecordedFile,
  type RequestData,
  str,
} from "./requests.ts";
import { NOT_MINE, type Team, TEAM_METHODS } from "./team.ts";
import { type Business, BUSINESS_METHODS } from "./business.ts";
import type { Updates } from "./updates.ts";

/** A custom method implementation installed with `FakeTelegram.handle`. */
export type MethodHandler = (
  params: Record<string, unknown>,
  files: Record<string, RecordedFile>,
) => unknown | Promise<unknown>;

/**
 * Methods that post a message: the ones Telegram's flood limits count. Telegram's limits are
 * stated in messages, and an album (`sendMediaGroup`) or a batch of copies (`copyMessages`)
 * makes one message per part: such a call goes when one message may, and counts all of its
 * parts (see {@link sentCount}).
 */
const SENDING_METHODS: ReadonlySet<string> = new Set([
  "sendMessage",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
  "sendMediaGroup",
  "sendPhoto",
  "sendDocument",
  "sendVoice",
  "sendAudio",
  "sendVideo",
  "sendAnimation",
  "sendVideoNote",
  "sendSticker",
  "sendLocation",
  "sendVenue",
  "sendContact",
]);

/** Methods answered by the fake (canonical casing; lookups are case-insensitive). */
const KNOWN_METHODS: readonly string[] = [
  "getMe",
  "getUpdates",
  "deleteWebhook",
  "setWebhook",
  "getWebhookInfo",
  "setMyCommands",
  "deleteMyCommands",
  "getMyCommands",
  "editMessageText",
  "editMessageCaption",
  "editMessageReplyMarkup",
  "deleteMessage",
  "answerCallbackQuery",
  "setMessageReaction",
  "sendChatAction",
  "getFile",
  "getBusinessConnection",
  "readBusinessMessage",
  ...SENDING_METHODS,
  ...TEAM_METHODS,
];

const METHOD_BY_LOWER = new Map<string, string>(KNOWN_METHODS.map((m) => [m.toLowerCase(), m]));

/** Fields of a message a forward does not carry: its place in its chat, sender and reply. */
const FORWARD_DROPS: ReadonlySet<string> = new Set([
  "message_id",
  "date",
  "chat",
  "from",
  "edit_date",
  "forward_origin",
  "message_thread_id",
  "is_topic_message",
  "reply_to_message",
]);

/** Upload methods and the field that carries the media. */
const MEDIA_METHODS: Record<string, FileKind> = {
  sendPhoto: "photo",
  sendDocument: "document",
  sendVoice: "voice",
  sendAudio: "audio",
  sendVideo: "video",
  sendAnimation: "animation",
  sendVideoNote: "video_note",
  sendSticker: "sticker",
};

/** The canonical casing of a known method name (`sendmessage` → `sendMessage`); `"*"` stays. */
export function canonicalMethod(method: string): string {
  return method === "*" ? method : METHOD_BY_LOWER.get(method.toLowerCase()) ?? method;
}

/** How many messages a sending call makes, as the flood limits count them. */
function sentCount(method: string, params: Record<string, unknown>): number {
  const parts = method === "sendMediaGroup"
    ? params.media
    : method === "copyMessages"
    ? params.message_ids
    : undefined;
  return Array.isArray(parts) ? Math.max(1, parts.length) : 1;
}

/** The parts of the fake the methods act on. */
export interface MethodsContext {
  readonly bot: UserFromGetMe;
  readonly chats: Chats;
  readonly files: Files;
  readonly faults: Faults;
  readonly updates: Updates;
  /** Groups and forum topics (`team.ts`). */
  readonly team: Team;
  /** The menus of commands (`commands.ts`). */
  readonly commands: Commands;
  /** Business connections and their chats (`business.ts`). */
  readonly business: Business;
}

/** The Bot API as the fake answers it. */
export class Methods {
  readonly #bot: UserFromGetMe;
  readonly #chats: Chats;
  readonly #files: Files;
  readonly #faults: Faults;
  readonly #updates: Updates;
  readonly #team: Team;
  readonly #commands: Commands;
  readonly #business: Business;
  #handlers = new Map<string, MethodHandler>();

  constructor(context: MethodsContext) {
    this.#bot = context.bot;
    this.#chats = context.chats;
    this.#files = context.files;
    this.#faults = context.faults;
    this.#updates = context.updates;
    this.#team = context.team;
    this.#commands = context.commands;
    this.#business = context.business;
  }

  /** Installs (or with `undefined` removes) a custom implementation of canonical `method`. */
  handle(method: string, handler: MethodHandler | undefined): void {
    if (handler) this.#handlers.set(method, handler);
    else this.#handlers.delete(method);
  }

  /**
   * The `result` of a call of canonical `method`, or `CLIENT_GONE` when a long poll's client
   * went away (`signal`). Throws {@link FakeApiError} for an error answer.
   */
  async call(method: string, data: RequestData, signal: AbortSignal): Promise<unknown> {
    const { params, files } = data;
    const custom = this.#handlers.get(method);
    if (custom) return await custom(params, files);

    if (params.business_connection_id !== undefined && BUSINESS_METHODS.has(method)) {
      const chats = this.#business.chatsFor(method, params);
      if (SENDING_METHODS.has(method)) {
        this.#faults.checkRateLimit(params.chat_id, sentCount(method, params));
      }
      return this.#business.stamp(params, await this.#answer(method, data, signal, chats));
    }
    // "Bots can't initiate conversations with users": one who only wrote to a business account.
    if (
      (SENDING_METHODS.has(method) || method === "sendChatAction") &&
      this.#business.onlyBusiness(params.chat_id, this.#chats)
    ) {
      throw new FakeApiError(403, "Forbidden: bot can't initiate conversation with a user");
    }
    if (params.chat_id !== undefined && method !== "getUpdates") {
      this.#faults.checkBlocked(params.chat_id);
      this.#team.checkAccess(method, params);
    }
    const threadId = this.#team.checkThread(method, params);
    // A new topic is a message too (its service message), as group flood limits count it.
    if (SENDING_METHODS.has(method) || method === "createForumTopic") {
      this.#faults.checkRateLimit(params.chat_id, sentCount(method, params));
    }
    const result = await this.#answer(method, data, signal);
    if (threadId !== undefined) this.#team.forum.stamp(params, result, threadId);
    return result;
  }

  /** The answer of canonical `method` once the checks of {@link call} passed. */
  async #answer(
    method: string,
    data: RequestData,
    signal: AbortSignal,
    chats: Chats = this.#chats,
  ): Promise<unknown> {
    const { params, files } = data;
    const team = chats === this.#chats ? this.#team.answer(method, params) : NOT_MINE;
    if (team !== NOT_MINE) return team;
    switch (method) {
      case "getMe":
        return this.#bot;
      case "getBusinessConnection":
        return this.#business.getConnection(params);
      case "readBusinessMessage":
        return this.#business.readMessage(params);
      case "getUpdates":
        return await this.#updates.getUpdates(params, signal);
      case "deleteWebhook":
        return this.#updates.deleteWebhook(params);
      case "setWebhook":
        return this.#updates.setWebhook(params);
      case "getWebhookInfo":
        return this.#updates.webhookInfo();
      case "setMyCommands":
        return this.#commands.set(params);
      case "deleteMyCommands":
        return this.#commands.delete(params);
      case "getMyCommands":
        return this.#commands.get(params);
      case "sendMessage":
        return this.#sendMessage(params, chats);
      case "copyMessage":
        return this.#copyMessage(params);
      case "copyMessages":
        return copyMessages(this.#chats, params);
      case "sendMediaGroup":
        return sendMediaGroup(chats, this.#files, params, files);
      case "setMessageReaction":
        return this.#setMessageReaction(params);
      case "forwardMessage":
        return this.#forwardMessage(params);
      case "sendLocation":
        requireChat(params);
        return chats.botMessage(params, {
          location: { latitude: num(params.latitude) ?? 0, longitude: num(params.longitude) ?? 0 },
        });
      case "sendVenue":
        requireChat(params);
        return chats.botMessage(params, {
          venue: {
            location: {
              latitude: num(params.latitude) ?? 0,
              longitude: num(params.longitude) ?? 0,
            },
            title: str(params.title) ?? "",
            address: str(params.address) ?? "",
          },
        });
      case "sendContact":
        requireChat(params);
        return chats.botMessage(params, {
          contact: {
            phone_number: str(params.phone_number) ?? "",
            first_name: str(params.first_name) ?? "",
            ...(params.last_name !== undefined ? { last_name: params.last_name } : {}),
          },
        });
      case "editMessageText":
        if (typeof params.text !== "string" || params.text === "") {
          throw new FakeApiError(400, "Bad Request: message text is empty");
        }
        return this.#edit(chats, params, {
          text: params.text,
          ...(params.entities !== undefined ? { entities: params.entities } : {}),
          ...inlineMarkup(params),
        });
      case "editMessageCaption":
        return this.#edit(chats, params, {
          caption: str(params.caption) ?? "",
          ...(params.caption_entities !== undefined
            ? { caption_entities: params.caption_entities }
            : {}),
          ...inlineMarkup(params),
        });
      case "editMessageReplyMarkup":
        return this.#edit(chats, params, inlineMarkup(params));
      case "deleteMessage":
        requireChat(params);
        requireMessageId(params);
        chats.forget(params.chat_id, params.message_id);
        return true;
      case "answerCallbackQuery":
        if (typeof params.callback_query_id !== "string") {
          throw new FakeApiError(400, "Bad Request: query is too old and response timeout expired");
        }
        return true;
      case "sendChatAction":
        requireChat(params);
        return true;
      case "getFile":
        return this.#files.getFile(params);
    }
    const kind = MEDIA_METHODS[method];
    if (kind) return this.#sendMedia(chats, kind, params, files);
    throw new FakeApiError(404, "Not Found: method not found");
  }

  #sendMessage(params: Record<string, unknown>, chats: Chats): Record<string, unknown> {
    requireChat(params);
    const text = params.text;
    if (typeof text !== "string" || text.trim() === "") {
      throw new FakeApiError(400, "Bad Request: message text is empty");
    }
    if (params.parse_mode === undefined && text.length > 4096) {
      throw new FakeApiError(400, "Bad Request: message is too long");
    }
    return chats.botMessage(params, {
      text,
      ...(params.entities !== undefined ? { entities: params.entities } : {}),
    });
  }

  /**
   * `copyMessage`: a copy in `chat_id` with the source's content (text or media, its caption
   * or the `caption` given instead, the inline keyboard given, replying where told), kept, so
   * that a test sees what the other side sees. Answers a `MessageId`. A source the fake does
   * not hold is still copied (as an empty message), as the fake always did; Telegram would say
   * `message to copy not found`.
   */
  #copyMessage(params: Record<string, unknown>): Record<string, unknown> {
    requireChat(params);
    requireMessageId(params);
    checkCaption(params.caption, params.parse_mode);
    const original = this.#chats.message(params.from_chat_id, params.message_id);
    // A business chat's messages are not the bot's chat's: copying one cannot reach it.
    if (!original && this.#business.onlyBusiness(params.from_chat_id, this.#chats)) {
      throw new FakeApiError(400, "Bad Request: message to copy not found");
    }
    const content = original ? copiedContent(original) : {};
    if (typeof params.caption === "string" && takesCaption(content)) {
      delete content.caption;
      delete content.caption_entities;
      if (params.caption !== "") {
        content.caption = params.caption;
        if (Array.isArray(params.caption_entities) && params.caption_entities.length > 0) {
          content.caption_entities = params.caption_entities;
        }
      }
    }
    const copy = this.#chats.botMessage(params, content);
    return { message_id: copy.message_id };
  }

  /**
   * `copyMessages`: copies of messages `message_ids` (1–100, strictly increasing) of
   * `from_chat_id` in `chat_id`, in order; "if some of the specified messages can't be found or
   * copied, they are skipped" (the Bot API documentation), and "album grouping is kept": the
   * copies of one album share a new `media_group_id`. Answers the copies' `MessageId`s.
   */
  /**
   * `setMessageReaction`: the bot's reaction on a message it holds, replaced by `reaction` (an
   * empty or absent list removes it). In a private chat a bot may set one emoji of Telegram's
   * list (see `reactions.ts`). Read it with `FakeTelegram.reactionOn`.
   */
  #setMessageReaction(params: Record<string, unknown>): true {
    const reaction = reactionList(params.reaction);
    requireChat(params);
    if (!this.#chats.message(params.chat_id, params.message_id)) {
      throw new FakeApiError(400, "Bad Request: message to react not found");
    }
    checkBotReaction(reaction);
    this.#chats.setBotReaction(params.chat_id, params.message_id, reaction);
    return true;
  }

  #forwardMessage(params: Record<string, unknown>): Record<string, unknown> {
    requireChat(params);
    if (params.from_chat_id === undefined) {
      throw new FakeApiError(400, "Bad Request: from_chat_id is empty");
    }
    requireMessageId(params);
    const original = this.#chats.message(params.from_chat_id, params.message_id);
    const content: Record<string, unknown> = {};
    if (original) {
      for (const [k, v] of Object.entries(original)) {
        if (!FORWARD_DROPS.has(k)) {
          content[k] = v;
        }
      }
    }
    const sender = isRecord(original?.from) ? original.from : undefined;
    content.forward_origin = sender
      ? { type: "user", sender_user: sender, date: num(original?.date) ?? nowSeconds() }
      : { type: "hidden_user", sender_user_name: "Hidden", date: nowSeconds() };
    return this.#chats.botMessage(params, content);
  }

  #sendMedia(
    chats: Chats,
    kind: FileKind,
    params: Record<string, unknown>,
    files: Record<string, RecordedFile>,
  ): Record<string, unknown> {
    requireChat(params);
    const upload = files[kind];
    const ref = params[kind];
    let fileId: string;
    let size: number | undefined;
    let fileName: string | undefined;
    if (upload) {
      if (kind === "photo") checkPhotoUpload(upload.bytes);
      fileId = this.#files.newFileId(kind);
      size = upload.bytes.length;
      fileName = upload.filename;
      this.#files.store(fileId, kind, upload.bytes, fileName);
    } else if (typeof ref === "string" && ref !== "") {
      fileId = ref;
    } else {
      throw new FakeApiError(400, `Bad Request: there is no ${kind} in the request`);
    }
    const caption = str(params.caption);
    checkCaption(caption, params.parse_mode);
    const media = mediaObject(kind, fileId, {
      fileName,
      size,
      duration: num(params.duration),
      width: num(params.width),
      height: num(params.height),
      emoji: str(params.emoji),
    });
    const content: Record<string, unknown> = { [kind]: media };
    if (kind === "animation") content.document = media;
    if (caption !== undefined && CAPTION_KINDS.has(kind)) {
      content.caption = caption;
      if (params.caption_entities !== undefined) content.caption_entities = params.caption_entities;
    }
    return chats.botMessage(params, content);
  }

  #edit(
    chats: Chats,
    params: Record<string, unknown>,
    changes: Record<string, unknown>,
  ): Record<string, unknown> | true {
    if (params.inline_message_id !== undefined) return true;
    requireChat(params);
    requireMessageId(params);
    return chats.edit(params, changes);
  }
}
