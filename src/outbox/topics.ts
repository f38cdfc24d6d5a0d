/**
 * Team mode's topics, as the sender meets them: a delivery into a client's topic names the
 * client (`topic_of`), and {@link Topics.send} gives it the topic's `message_thread_id` when it
 * goes. The topic is made there, the first time one is needed (`createForumTopic`, titled by
 * the client's latest ticket, then the client card as its first message, pinned); one that
 * someone deleted (`message thread not found`) is made again, with its card, and the delivery
 * goes into the new one, so nothing waits on a topic that is gone. One topic is made per
 * client at a time, however many lanes ask for it at once.
 *
 * The topic's creation and its card are two messages in the group (Telegram's developers
 * count a topic's creation as a message about it): each waits for a slot of the group's pace
 * (the delivery's {@link Pace}) before it goes, as the delivery's own message then does.
 * Counted after the fact, they went out in one burst with the message, and six clients
 * writing at once met 429s under Telegram's 20 a minute (issue 22).
 *
 * Written here, not in the desk: the thread id exists only once Telegram answered, after the
 * transaction that wrote the delivery, so it is looked up when the delivery is sent.
 *
 * @module
 */
import { errorText } from "../base/errors.ts";
import { type Api, GrammyError } from "grammy";
import type { CommitBoundary } from "../boundary.ts";
import type { Logger } from "../base/log.ts";
import { nameOf, type Store } from "../store/mod.ts";
import { topicState, topicTitle } from "../rules/topic_titles.ts";
import { accountOf } from "../reports/inbox.ts";
import { cardText } from "../reports/card_view.ts";
import { type Department, departmentOf, staffGroups } from "../rules/departments.ts";
import { type Language, ticketNumber } from "../texts/mod.ts";
import type { OutboxCall } from "./calls.ts";
import { type Pace, PaceStopped } from "./rate_limiter.ts";

/** What topics read and write. */
export type TopicStore = Pick<
  Store,
  | "topicOf"
  | "setTopic"
  | "setCard"
  | "forgetTopic"
  | "getUser"
  | "lastTicketOfClient"
  | "waitingSince"
  | "clientCard"
  | "wayOf"
  | "getConnection"
>;

/** Where the topics are, and who reads them. */
export interface TopicOptions {
  /** The staff group of STAFF_CHAT_ID (departments with their own have theirs). */
  readonly chatId: number;
  /** The team's language (cards, notices). */
  readonly language: Language;
  /** The departments, whose names the titles and cards show. */
  readonly departments?: readonly Department[];
}

/** Whether Telegram says the topic is gone (deleted by someone). */
export function topicGone(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 400 &&
    /message thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i.test(error.description);
}

/** Whether Telegram says an edit of a topic changed nothing (it is as asked already). */
export function topicUnchanged(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 400 &&
    /TOPIC_NOT_MODIFIED|message is not modified/i.test(error.description);
}

/** `call` with the thread of its topic instead of the client it names. */
export function inThread(call: OutboxCall, thread: number): OutboxCall {
  const { topic_of: _client, ...params } = call.params as { readonly topic_of?: number };
  return { method: call.method, params: { ...params, message_thread_id: thread } } as OutboxCall;
}

/** Makes, finds and makes again the clients' topics; see the module's comment. */
export class Topics {
  readonly #api: Api;
  readonly #store: TopicStore;
  readonly #boundary: Pick<CommitBoundary, "write">;
  readonly #options: TopicOptions;
  readonly #log: Logger;
  /** The topics being made, by client and group. */
  readonly #making = new Map<string, Promise<number>>();

  constructor(
    api: Api,
    store: TopicStore,
    boundary: Pick<CommitBoundary, "write">,
    options: TopicOptions,
    log: Logger,
  ) {
    this.#api = api;
    this.#store = store;
    this.#boundary = boundary;
    this.#options = options;
    this.#log = log;
  }

  /** Whether `chatId` is a staff group: STAFF_CHAT_ID's, or a department's own. */
  isStaff(chatId: number): boolean {
    const { chatId: main, departments = [] } = this.#options;
    return staffGroups(departments, main).includes(chatId);
  }

  /** How the store names the topics of staff group `chatId` (`null`: STAFF_CHAT_ID's). */
  #group(chatId: number): number | null {
    return chatId === this.#options.chatId ? null : chatId;
  }

  /**
   * Runs `call` (by `run`) in the topic of client `clientId` in the staff group it names,
   * made first if needed (its posts paced by `pace`); made again, once, when Telegram says
   * it is gone.
   */
  async send<T>(
    clientId: number,
    call: OutboxCall,
    run: (call: OutboxCall) => Promise<T>,
    pace: Pace,
  ): Promise<T> {
    const chatId = Number((call.params as { chat_id?: number | string }).chat_id);
    const thread = await this.thread(clientId, pace, chatId);
    try {
      return await run(inThread(call, thread));
    } catch (error) {
      if (!topicGone(error)) throw error;
      this.#log.warn("topic.gone", { client: clientId, chat: chatId, topic: thread });
      this.#boundary.write(() => this.#store.forgetTopic(clientId, thread, this.#group(chatId)));
      return await run(inThread(call, await this.thread(clientId, pace, chatId)));
    }
  }

  /**
   * The client's topic in the staff group `chatId` (by default STAFF_CHAT_ID's): the one
   * recorded, else a new one (one at a time per client and group), its posts paced by `pace`.
   */
  thread(clientId: number, pace: Pace, chatId = this.#options.chatId): Promise<number> {
    const known = this.#store.topicOf(clientId, this.#group(chatId));
    if (known !== null) return Promise.resolve(known);
    const key = `${clientId}:${chatId}`;
    let making = this.#making.get(key);
    if (making === undefined) {
      making = this.#make(clientId, chatId, pace).finally(() => this.#making.delete(key));
      this.#making.set(key, making);
    }
    return making;
  }

  async #make(clientId: number, chat_id: number, pace: Pace): Promise<number> {
    const group = this.#group(chat_id);
    const client = this.#store.getUser(clientId);
    const ticket = this.#store.lastTicketOfClient(clientId);
    const name = client ? nameOf(client) : String(clientId);
    const state = topicState(
      ticket && { status: ticket.status, waitingSince: this.#store.waitingSince(ticket.id) },
    );
    const { language, departments = [] } = this.#options;
    const department = departmentOf(departments, ticket?.department ?? null)?.names[language];
    const title = topicTitle(
      state,
      ticket ? ticketNumber(ticket.id) : "#T-?",
      name,
      department ?? null,
      ticket ? accountOf(this.#store, ticket.id) : null,
    );
    await pace.next();
    const topic = await this.#api.raw.createForumTopic({ chat_id, name: title });
    const thread = topic.message_thread_id;
    this.#boundary.write(() => this.#store.setTopic(clientId, thread, group));
    this.#log.info("topic.made", { client: clientId, chat: chat_id, topic: thread });
    // The card: the topic's first message, pinned. A card that fails does not hold the
    // conversation back (the topic is there); it is logged. It goes with its topic even when
    // the sender stops meanwhile: the topic is recorded, and would never get one later.
    try {
      await pace.next().catch(unlessStopped);
      const card = await this.#api.raw.sendMessage({
        chat_id,
        message_thread_id: thread,
        text: cardText(this.#store, clientId, language, departments),
      });
      this.#boundary.write(() => this.#store.setCard(clientId, card.message_id, group));
      // A pin's service message is not one the bot sends: not counted (as the emulator, which
      // follows Telegram's FAQ, does not count it).
      await this.#api.raw.pinChatMessage({
        chat_id,
        message_id: card.message_id,
        disable_notification: true,
      });
    } catch (error) {
      this.#log.warn("topic.card_failed", { client: clientId, error: errorText(error) });
    }
    return thread;
  }
}

/** Lets a stop of the sender pass (the call goes at once); rethrows anything else. */
function unlessStopped(error: unknown): void {
  if (!(error instanceof PaceStopped)) throw error;
}
