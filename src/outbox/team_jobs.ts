/**
 * Team mode's jobs, done when they are sent so that they show what is stored at that moment:
 * a client's topic brought in line with their latest ticket (title with its state, closed or
 * open), and the board in the General topic (one pinned message, edited in place, not sent
 * again; an edit that would change nothing is not made).
 *
 * What they post in the group counts against its pace (the delivery's {@link Pace}): the
 * board's post waits for a slot like any message; a topic's rename, closing or reopening
 * leaves a service message, counted once Telegram made it (one that changed nothing made
 * none, and waiting a slot for each of those would halve the group's pace for nothing).
 *
 * @module
 */
import { type Api, GrammyError } from "grammy";
import type { CommitBoundary } from "../boundary.ts";
import { boardView } from "../reports/board.ts";
import { cardText } from "../reports/card_view.ts";
import { type Department, departmentOf, groupOfDepartment } from "../rules/departments.ts";
import { nameOf, type Store } from "../store/mod.ts";
import { topicState, topicTitle } from "../rules/topic_titles.ts";
import { accountOf, inboxes } from "../reports/inbox.ts";
import { type Language, texts, ticketNumber } from "../texts/mod.ts";
import type { BoardJob, TopicJob } from "./calls.ts";
import { topicUnchanged } from "./topics.ts";
import type { Pace } from "./rate_limiter.ts";

/** What the team's jobs need to know. */
export interface TeamJobOptions {
  /** The staff group of STAFF_CHAT_ID (departments may have their own); by default the job's. */
  readonly chatId?: number;
  readonly language: Language;
  /** The departments, whose names the titles and cards show. */
  readonly departments?: readonly Department[];
  readonly timeZone: string;
  readonly onlineWindowMs: number;
  readonly now: () => number;
}

/** The topics whose shown state is remembered, at most (then it is forgotten, and re-sent). */
const SHOWN_KEPT = 10_000;

/** Does team mode's jobs. */
export class TeamJobs {
  readonly #api: Api;
  readonly #store: Store;
  readonly #boundary: Pick<CommitBoundary, "write">;
  readonly #options: TeamJobOptions;
  /** Per topic (`group:thread`): the title, state and card text this process last gave it. */
  readonly #shown = new Map<string, { name: string; closed: boolean; card: string | null }>();

  constructor(
    api: Api,
    store: Store,
    boundary: Pick<CommitBoundary, "write">,
    options: TeamJobOptions,
  ) {
    this.#api = api;
    this.#store = store;
    this.#boundary = boundary;
    this.#options = options;
  }

  /**
   * The client's topic: its title from the latest ticket, and closed or open as it is; each
   * change's service message counted in `pace`.
   */
  async syncTopic(job: TopicJob, pace: Pace): Promise<void> {
    const thread = job.message_thread_id;
    if (thread === undefined) return;
    const api = this.#api.raw;
    const client = this.#store.getUser(job.client_id);
    const ticket = this.#store.lastTicketOfClient(job.client_id);
    if (!client || !ticket) return;
    const { language, departments = [] } = this.#options;
    const main = this.#options.chatId ?? job.chat_id;
    const group = job.chat_id === main ? null : job.chat_id;
    // A topic in a group the ticket has left (it went to a department of another group) is
    // closed; the client's topic in the ticket's group shows it.
    const left = groupOfDepartment(departments, ticket.department, main) !== job.chat_id;
    const state = left ? "closed" : topicState({
      status: ticket.status,
      waitingSince: this.#store.waitingSince(ticket.id),
    });
    const department = departmentOf(departments, ticket.department)?.names[language] ?? null;
    const account = accountOf(this.#store, ticket.id);
    const name = topicTitle(state, ticketNumber(ticket.id), nameOf(client), department, account);
    const target = { chat_id: job.chat_id, message_thread_id: thread };
    // What this process last made the topic show: a sync that would change nothing calls
    // nothing (Telegram would only answer TOPIC_NOT_MODIFIED). After a restart the first sync
    // of a topic makes its calls again.
    const key = `${job.chat_id}:${thread}`;
    const shown = this.#shown.get(key);
    const closed = state === "closed";
    if (shown?.name !== name) {
      const renamed = await unlessUnchanged(api.editForumTopic({ ...target, name }));
      pace.posted(Number(renamed));
    }
    // Unknown here (made by another process, or before a restart): a topic is closed only once
    // a ticket of its client was, so the topic of a client's first ticket is open.
    const wasClosed = shown?.closed ?? (closed ? false : ticket.previousTicketId !== null);
    if (wasClosed !== closed) {
      const turned = await unlessUnchanged(
        closed ? api.closeForumTopic(target) : api.reopenForumTopic(target),
      );
      pace.posted(Number(turned));
    }
    if (this.#shown.size >= SHOWN_KEPT) this.#shown.clear();
    this.#shown.set(key, { name, closed, card: shown?.card ?? null });
    // The pinned card, as the client is now (tickets so far, the last rating, the phone), read
    // after the calls above: what committed meanwhile is in it.
    const card = this.#store.cardOf(job.client_id, group);
    const text = card === null ? null : cardText(this.#store, job.client_id, language, departments);
    if (card !== null && text !== null && shown?.card !== text) {
      await unlessUnchanged(
        api.editMessageText({ chat_id: job.chat_id, message_id: card, text }).catch((error) => {
          // Someone deleted the card: the topic goes on without it.
          if (
            error instanceof GrammyError && /message to edit not found/i.test(error.description)
          ) {
            return;
          }
          throw error;
        }),
      );
      this.#shown.set(key, { name, closed, card: text });
    }
  }

  /**
   * The board: edited in place when it changed; sent (and pinned) when there is none, its post
   * waiting for a slot of `pace`.
   */
  async syncBoard(job: BoardJob, pace: Pace): Promise<void> {
    const { language, timeZone, onlineWindowMs, departments = [] } = this.#options;
    const now = this.#options.now();
    const main = this.#options.chatId ?? job.chat_id;
    const view = boardView(this.#store, now, onlineWindowMs, timeZone, language, departments, {
      chatId: job.chat_id,
      main,
    });
    const board = texts(language).team.board(view);
    // Telegram Business: each company account an inbox of its own, under the main board.
    const accounts = job.chat_id === main ? inboxes(this.#store) : [];
    const text = accounts.length > 0
      ? `${board}\n\n${texts(language).business.inboxes(accounts)}`
      : board;
    // STAFF_CHAT_ID's board keeps its records' names; a department's group's carry its id.
    const [textKey, idKey] = job.chat_id === main
      ? ["board_text", "board_message_id"] as const
      : [`board_text:${job.chat_id}`, `board_message_id:${job.chat_id}`] as const;
    if (this.#store.deskState(textKey) === text) return;
    const api = this.#api.raw;
    const id = Number(this.#store.deskState(idKey) ?? 0);
    if (id > 0) {
      try {
        await unlessUnchanged(api.editMessageText({ chat_id: job.chat_id, message_id: id, text }));
        this.#boundary.write(() => this.#store.setDeskState(textKey, text));
        return;
      } catch (error) {
        // Deleted by someone: a new one is sent below.
        if (
          !(error instanceof GrammyError && /message to edit not found/i.test(error.description))
        ) {
          throw error;
        }
      }
    }
    await pace.next();
    const sent = await api.sendMessage({ chat_id: job.chat_id, text });
    this.#boundary.write(() => {
      this.#store.setDeskState(idKey, String(sent.message_id));
      this.#store.setDeskState(textKey, text);
    });
    await api.pinChatMessage({
      chat_id: job.chat_id,
      message_id: sent.message_id,
      disable_notification: true,
    });
  }
}

/**
 * Waits for an edit of a topic or message; one that changed nothing is no failure. Resolves
 * with whether it changed something.
 */
async function unlessUnchanged(edit: Promise<unknown>): Promise<boolean> {
  try {
    await edit;
    return true;
  } catch (error) {
    if (!topicUnchanged(error)) throw error;
    return false;
  }
}
