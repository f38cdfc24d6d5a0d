/**
 * What the outbox sends, typed: the Bot API calls the bot makes (a union over grammY's own
 * method types, so a wrong parameter does not compile), the jobs that are more than one plain
 * call (a history file, an export file, the edit of a copy), and builders for the calls the
 * desk writes most. A delivery row holds one {@link OutboxCall}: its `method` and its
 * `params` as JSON. Pure; no Telegram, no database.
 *
 * @module
 */
import type { RawApi } from "grammy";
import type {
  BotCommand,
  InlineKeyboardButton,
  KeyboardButton,
  MessageEntity,
  Opts,
} from "grammy/types";
import type { ReactionEmoji } from "../reactions.ts";

/** The Bot API methods the outbox calls. */
export type ApiMethod =
  | "sendMessage"
  | "copyMessage"
  | "copyMessages"
  | "sendMediaGroup"
  | "setMessageReaction"
  | "editMessageText"
  | "editMessageCaption"
  | "editMessageReplyMarkup"
  | "deleteMessage"
  | "answerCallbackQuery"
  | "setMyCommands"
  | "deleteMyCommands";

/** The parameters of each method, as grammY types them. */
export type ApiParams = { [M in ApiMethod]: Opts<M> };

/** One Bot API call: a method and its parameters. */
export type ApiCall<M extends ApiMethod = ApiMethod> = {
  [K in M]: { readonly method: K; readonly params: ApiParams[K] };
}[M];

/** A history file of a client (all tickets, or one), built when it is sent. */
export interface HistoryJob {
  readonly chat_id: number;
  readonly client_id: number;
  /** Only this ticket (a transfer hands over one ticket); all of the client's when absent. */
  readonly ticket_id?: number;
  /** Messages up to this id: the last one when the file was asked for. */
  readonly up_to: number;
  readonly format: "txt" | "html";
}

/** A CSV export of every message in [`from`, `to`), built when it is sent. */
export interface ExportJob {
  readonly chat_id: number;
  readonly from: number;
  readonly to: number;
  /** The days as the admin typed them, for the file's name and caption. */
  readonly from_date: string;
  readonly to_date: string;
}

/**
 * Tell an agent how many messages of a flooding client were folded (kept, not relayed) in a
 * ticket from message `from_message_id` on, counted when it is sent.
 */
export interface FoldSummaryJob {
  readonly chat_id: number;
  readonly ticket_id: number;
  readonly client_id: number;
  readonly from_message_id: number;
}

/**
 * The parts of an album of a ticket, not carried across yet, sent as one album to `chat_id`
 * (`sendMediaGroup` from the client, signed on the first caption; `copyMessages` from the
 * agent), built when it is sent from the parts stored by then.
 */
export interface AlbumJob {
  readonly chat_id: number;
  readonly ticket_id: number;
  readonly media_group_id: string;
}

/** Bring the copy of an edited message up to date, from what is stored when it is sent. */
export interface EditCopyJob {
  readonly chat_id: number;
  /** The stored message (not a Telegram id) whose copy is edited. */
  readonly message_id: number;
}

/**
 * The jobs that are not one plain call, by the name their deliveries are stored under
 * (kept as they are: pending deliveries of an older version must still go out).
 */
export interface JobParams {
  readonly sendHistory: HistoryJob;
  readonly sendExport: ExportJob;
  readonly editCopy: EditCopyJob;
  readonly foldSummary: FoldSummaryJob;
  readonly sendAlbum: AlbumJob;
}

/** The name of a job. */
export type JobMethod = keyof JobParams;

/** One job: its name and its parameters. */
export type JobCall<J extends JobMethod = JobMethod> = {
  [K in J]: { readonly method: K; readonly params: JobParams[K] };
}[J];

/** Where a stored message's copy landed, for edits, replies and reactions. */
export interface Copy {
  /** The stored message. */
  readonly messageId: number;
  /** Its copy's id in the delivery's chat. */
  readonly copyId: number;
  /** Whether the copy carries the client's name in its text or caption. */
  readonly signedInline?: boolean;
}

/** Anything a delivery can hold. */
export type OutboxCall = ApiCall | JobCall;

const API_METHODS: ReadonlySet<string> = new Set<ApiMethod>([
  "sendMessage",
  "copyMessage",
  "copyMessages",
  "sendMediaGroup",
  "setMessageReaction",
  "editMessageText",
  "editMessageCaption",
  "editMessageReplyMarkup",
  "deleteMessage",
  "answerCallbackQuery",
  "setMyCommands",
  "deleteMyCommands",
]);

const JOB_METHODS: ReadonlySet<string> = new Set<JobMethod>([
  "sendHistory",
  "sendExport",
  "editCopy",
  "foldSummary",
  "sendAlbum",
]);

/** Whether `method` is a Bot API method the outbox calls. */
export function isApiMethod(method: string): method is ApiMethod {
  return API_METHODS.has(method);
}

/** Whether `method` names a job. */
export function isJobMethod(method: string): method is JobMethod {
  return JOB_METHODS.has(method);
}

/**
 * Whether a delivery of `method` posts a message to the chat: the kind of call Telegram's
 * flood limits count.
 */
export function postsMessage(method: string): boolean {
  switch (method) {
    case "sendMessage":
    case "copyMessage":
    case "copyMessages":
    case "sendMediaGroup":
    case "sendHistory":
    case "sendExport":
    case "editCopy":
    case "foldSummary":
    case "sendAlbum":
      return true;
    default:
      return false;
  }
}

/** The lanes of a chat's deliveries. */
export const LANE = {
  /** Messages, in the order written (and notices before relayed messages). */
  messages: 0,
  /** Calls that are not messages: menus, button answers, removing buttons, deleting a message. */
  calls: 1,
  /**
   * Messages written to go later (the summary of a flood): they wait without holding back the
   * messages, and nothing waits behind them.
   */
  later: 2,
} as const;

/** The priorities within a lane: lower goes first. */
export const PRIORITY = {
  /** What the bot says to a user about their own action, and notices. */
  notice: 0,
  /** A relayed message (it carries a message of the ticket). */
  relayed: 1,
} as const;

/**
 * Where a delivery goes in its chat's outbox: messages in one lane, in order, the other calls
 * in a lane beside it, so that a failing menu update never holds back a message, and what is
 * written to go later in a third; within the messages, the bot's own notices before relayed
 * messages, so that one flooding client cannot push an agent's confirmations to the back.
 */
export function placeOf(
  method: string,
  messageId: number | null,
): { readonly lane: number; readonly priority: number } {
  return {
    lane: method === "foldSummary" ? LANE.later : postsMessage(method) ? LANE.messages : LANE.calls,
    priority: messageId === null ? PRIORITY.notice : PRIORITY.relayed,
  };
}

/**
 * A stored call read back: the method checked against those the outbox knows, the params as
 * they were written by {@link OutboxCall}'s builders. `undefined` for a method this version
 * does not know (a database written by a newer one).
 */
export function parseCall(method: string, params: string): OutboxCall | undefined {
  if (!isApiMethod(method) && !isJobMethod(method)) return undefined;
  return { method, params: JSON.parse(params) };
}

/**
 * Makes `call` on the raw API; typed per method, one table entry each. (No abort signal: the
 * API client's own timeout bounds each call, see the sender.)
 */
export function invoke<M extends ApiMethod>(api: RawApi, call: ApiCall<M>): Promise<unknown> {
  return INVOKE[call.method](api, call.params);
}

const INVOKE: {
  readonly [M in ApiMethod]: (api: RawApi, params: ApiParams[M]) => Promise<unknown>;
} = {
  sendMessage: (api, params) => api.sendMessage(params),
  copyMessage: (api, params) => api.copyMessage(params),
  copyMessages: (api, params) => api.copyMessages(params),
  sendMediaGroup: (api, params) => api.sendMediaGroup(params),
  setMessageReaction: (api, params) => api.setMessageReaction(params),
  editMessageText: (api, params) => api.editMessageText(params),
  editMessageCaption: (api, params) => api.editMessageCaption(params),
  editMessageReplyMarkup: (api, params) => api.editMessageReplyMarkup(params),
  deleteMessage: (api, params) => api.deleteMessage(params),
  answerCallbackQuery: (api, params) => api.answerCallbackQuery(params),
  setMyCommands: (api, params) => api.setMyCommands(params),
  deleteMyCommands: (api, params) => api.deleteMyCommands(params),
};

// ---- builders ----

/** Inline buttons: rows of (label, callback data). */
export type Buttons = readonly (readonly InlineKeyboardButton.CallbackButton[])[];

/** `reply_parameters` that make a message a reply when the target still exists. */
export function replyTo(
  messageId: number | null | undefined,
): Pick<Opts<"sendMessage">, "reply_parameters"> {
  return messageId
    ? { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } }
    : {};
}

/** A text message, with its formatting, buttons or reply when given. */
export function sendText(
  chatId: number,
  text: string,
  options: {
    readonly entities?: readonly MessageEntity[];
    readonly buttons?: Buttons;
    /** A keyboard of answers under the input field (a contact button, say). */
    readonly keyboard?: KeyboardButton[][];
    /** Removes the keyboard of answers shown before. */
    readonly removeKeyboard?: boolean;
    readonly replyTo?: number | null;
  } = {},
): ApiCall<"sendMessage"> {
  return {
    method: "sendMessage",
    params: {
      chat_id: chatId,
      text,
      ...(options.entities ? { entities: [...options.entities] } : {}),
      ...(options.buttons ? { reply_markup: keyboard(options.buttons) } : {}),
      ...(options.keyboard
        ? {
          reply_markup: {
            keyboard: options.keyboard,
            one_time_keyboard: true,
            resize_keyboard: true,
          },
        }
        : {}),
      ...(options.removeKeyboard ? { reply_markup: { remove_keyboard: true } } : {}),
      ...replyTo(options.replyTo),
    },
  };
}

/** A copy of message `messageId` of chat `fromChatId` into `chatId` (no "forwarded" header). */
export function copy(
  chatId: number,
  fromChatId: number,
  messageId: number,
  options: {
    readonly caption?: { readonly text: string; readonly entities: readonly MessageEntity[] };
    readonly buttons?: Buttons;
    readonly replyTo?: number | null;
  } = {},
): ApiCall<"copyMessage"> {
  return {
    method: "copyMessage",
    params: {
      chat_id: chatId,
      from_chat_id: fromChatId,
      message_id: messageId,
      ...(options.caption
        ? { caption: options.caption.text, caption_entities: [...options.caption.entities] }
        : {}),
      ...(options.buttons ? { reply_markup: keyboard(options.buttons) } : {}),
      ...replyTo(options.replyTo),
    },
  };
}

/**
 * The answer to a button press: the small notice over the chat, a window the user closes
 * (`alert`, at most 200 characters), or nothing visible.
 */
export function answerButton(
  queryId: string,
  text?: string,
  alert = false,
): ApiCall<"answerCallbackQuery"> {
  return {
    method: "answerCallbackQuery",
    params: {
      callback_query_id: queryId,
      ...(text !== undefined ? { text } : {}),
      ...(alert ? { show_alert: true } : {}),
    },
  };
}

/**
 * Sets the bot's reaction on a message (an emoji), or removes it (`null`). Bots may set one
 * reaction per message.
 */
export function react(
  chatId: number,
  messageId: number,
  emoji: ReactionEmoji | null,
): ApiCall<"setMessageReaction"> {
  return {
    method: "setMessageReaction",
    params: {
      chat_id: chatId,
      message_id: messageId,
      reaction: emoji === null ? [] : [{ type: "emoji", emoji }],
    },
  };
}

/** Removes the buttons under a message of the bot. */
export function dropButtons(chatId: number, messageId: number): ApiCall<"editMessageReplyMarkup"> {
  return {
    method: "editMessageReplyMarkup",
    params: { chat_id: chatId, message_id: messageId, reply_markup: { inline_keyboard: [] } },
  };
}

/** Deletes a message (one that must not stay in the chat, such as the support token). */
export function deleteMessage(chatId: number, messageId: number): ApiCall<"deleteMessage"> {
  return { method: "deleteMessage", params: { chat_id: chatId, message_id: messageId } };
}

/**
 * Sets the menu of commands in one user's chat, or (no commands) removes it so that the
 * default menu shows again.
 */
export function setMenu(
  chatId: number,
  commands: readonly BotCommand[],
): ApiCall<"setMyCommands" | "deleteMyCommands"> {
  const scope = { type: "chat", chat_id: chatId } as const;
  if (commands.length === 0) return { method: "deleteMyCommands", params: { scope } };
  return { method: "setMyCommands", params: { scope, commands: [...commands] } };
}

/** An inline keyboard of callback buttons. */
export function keyboard(rows: Buttons): { inline_keyboard: InlineKeyboardButton[][] } {
  return { inline_keyboard: rows.map((row) => [...row]) };
}
