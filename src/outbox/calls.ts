/**
 * What the outbox sends, typed: the Bot API calls the bot makes (a union over grammY's own
 * method types, so a wrong parameter does not compile) and the jobs that are more than one
 * plain call (a history file, an export file, the edit of a copy, an album, the `/stats`
 * chart). A delivery row
 * holds one {@link OutboxCall}: its `method` and its `params` as JSON, read back by
 * {@link parseCall} and made by {@link invoke}. Builders are in `builders.ts`, lanes and
 * priorities in `lanes.ts`. Pure; no Telegram, no database.
 *
 * @module
 */
import type { RawApi } from "grammy";
import type { Opts } from "grammy/types";

/**
 * The Bot API methods the outbox calls: the one table their union and their check are made
 * from (a name that is not a method of grammY's raw API does not compile).
 */
const API_TABLE = {
  sendMessage: true,
  copyMessage: true,
  copyMessages: true,
  sendMediaGroup: true,
  setMessageReaction: true,
  editMessageText: true,
  editMessageCaption: true,
  editMessageReplyMarkup: true,
  deleteMessage: true,
  answerCallbackQuery: true,
  setMyCommands: true,
  deleteMyCommands: true,
  // Telegram Business: a message relayed by content (a business chat takes no copy).
  sendPhoto: true,
  sendVideo: true,
  sendAnimation: true,
  sendAudio: true,
  sendDocument: true,
  sendVoice: true,
  sendVideoNote: true,
  sendSticker: true,
  sendLocation: true,
  sendVenue: true,
  sendContact: true,
  readBusinessMessage: true,
} as const satisfies { readonly [M in keyof RawApi]?: true };

/** The Bot API methods the outbox calls. */
export type ApiMethod = keyof typeof API_TABLE;

/** The parameters of each method, as grammY types them. */
export type ApiParams = { [M in ApiMethod]: Opts<M> };

/**
 * Team mode: a call into a client's topic in the staff group names the client (`topic_of`);
 * the sender puts in the topic's `message_thread_id` when it sends (making the topic first,
 * or again when someone deleted it), so a delivery never holds a thread id gone stale.
 */
export interface InTopic {
  readonly topic_of?: number;
  readonly message_thread_id?: number;
}

/** One Bot API call: a method and its parameters. */
export type ApiCall<M extends ApiMethod = ApiMethod> = {
  [K in M]: { readonly method: K; readonly params: ApiParams[K] & InTopic };
}[M];

/** A history file of a client (all tickets, or one), built when it is sent. */
export interface HistoryJob extends InTopic {
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
 * One step of a flood's digest (stored as `foldSummary`, the name of the summary it replaced,
 * so that a pending row of an older version goes out as a digest): shows `chat_id` the next
 * part of what the client of the ticket wrote beyond their pace and is not shown yet, from
 * message `from_message_id` on, read when it is sent (see `digest.ts`).
 */
export interface FoldSummaryJob extends InTopic {
  readonly chat_id: number;
  readonly ticket_id: number;
  readonly client_id: number;
  readonly from_message_id: number;
  /**
   * Messages the digest posted in the chat so far within its window (absent: none), which
   * `CLIENT_RELAY_PER_MINUTE` bounds as it bounds the relays.
   */
  readonly posted?: number;
}

/**
 * The parts of an album of a ticket, not carried across yet, sent as one album to `chat_id`
 * (`sendMediaGroup` from the client, signed on the first caption; `copyMessages` from the
 * agent), built when it is sent from the parts stored by then.
 */
export interface AlbumJob extends InTopic {
  readonly chat_id: number;
  readonly ticket_id: number;
  readonly media_group_id: string;
  /** Into a client's business chat: sent as this account, by content (no copy reaches it). */
  readonly business_connection_id?: string;
}

/**
 * `/stats`: its text, and the chart of the last 30 days drawn when it is sent, as one photo
 * (the text its caption when it fits, else the text first and the photo right after it). A
 * chart that cannot be drawn leaves the text alone.
 */
export interface StatsChartJob {
  readonly chat_id: number;
  /** Whose tickets the chart shows: an agent's, or (`null`) the whole team's. */
  readonly agent_id: number | null;
  /** The end of the 30 days: when `/stats` was asked, as the text was written. */
  readonly now: number;
  /** The text of `/stats`, as written when it was asked. */
  readonly text: string;
}

/** Bring the copy of an edited message up to date, from what is stored when it is sent. */
export interface EditCopyJob {
  readonly chat_id: number;
  /** The stored message (not a Telegram id) whose copy is edited. */
  readonly message_id: number;
  /**
   * Telegram Business: the copy is in the client's chat with this connection's account
   * (found where the store keeps a business chat's places), edited as the account.
   */
  readonly business_connection_id?: string;
}

/**
 * Team mode: bring a client's topic in line with their latest ticket, read when it is sent:
 * its title (state, number, name), and closed or open.
 */
export interface TopicJob extends InTopic {
  readonly chat_id: number;
  readonly client_id: number;
}

/** Team mode: bring the board in the staff group's General topic up to date. */
export interface BoardJob {
  readonly chat_id: number;
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
  readonly syncTopic: TopicJob;
  readonly syncBoard: BoardJob;
  readonly sendStatsChart: StatsChartJob;
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
  /**
   * More stored messages shown in the same message (a digest's merged text): their copy is
   * recorded as the same one. Kept apart so that one copy is one message posted.
   */
  readonly merged?: readonly number[];
}

/** Anything a delivery can hold. */
export type OutboxCall = ApiCall | JobCall;

const API_METHODS: ReadonlySet<string> = new Set(Object.keys(API_TABLE));

/** The jobs, each once (the check that a stored method is one); kept in step with `JobParams`. */
const JOB_TABLE: { readonly [J in JobMethod]: true } = {
  sendHistory: true,
  sendExport: true,
  editCopy: true,
  foldSummary: true,
  sendAlbum: true,
  syncTopic: true,
  syncBoard: true,
  sendStatsChart: true,
};

const JOB_METHODS: ReadonlySet<string> = new Set(Object.keys(JOB_TABLE));

/** Whether `method` is a Bot API method the outbox calls. */
export function isApiMethod(method: string): method is ApiMethod {
  return API_METHODS.has(method);
}

/** Whether `method` names a job. */
export function isJobMethod(method: string): method is JobMethod {
  return JOB_METHODS.has(method);
}

/**
 * A stored call read back: the method checked against those the outbox knows, the params as
 * they were written by {@link OutboxCall}'s builders. `undefined` for a method this version
 * does not know (a database written by a newer one).
 */
export function parseCall(method: string, params: string): OutboxCall | undefined {
  if (!isApiMethod(method) && !isJobMethod(method)) return undefined;
  // As written by the builders (the union is too wide for TypeScript to pair them itself).
  return { method, params: JSON.parse(params) } as OutboxCall;
}

/**
 * Makes `call` on the raw API. Each call's parameters were typed when it was built
 * ({@link ApiCall}); here the method is looked up by its name. (No abort signal: the API
 * client's own timeout bounds each call, see the sender.)
 */
export function invoke<M extends ApiMethod>(api: RawApi, call: ApiCall<M>): Promise<unknown> {
  const method = api[call.method] as (params: ApiParams[M]) => Promise<unknown>;
  return method(call.params);
}
