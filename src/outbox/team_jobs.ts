/**
 * Team mode's jobs, done when they are sent so that they show what is stored at that moment:
 * a client's topic brought in line with their latest ticket (title with its state, closed or
 * open), and the board in the General topic (one pinned message, edited in place, not sent
 * again; an edit that would change nothing is not made).
 *
 * @module
 */
import { type Api, GrammyError } from "grammy";
import type { CommitBoundary } from "../boundary.ts";
import { boardView } from "../reports/board.ts";
import { cardText } from "../reports/card_view.ts";
import { type Department, departmentOf } from "../rules/departments.ts";
import { nameOf, type Store } from "../store/mod.ts";
import { topicState, topicTitle } from "../rules/topic_titles.ts";
import { type Language, texts, ticketNumber } from "../texts/mod.ts";
import type { BoardJob, TopicJob } from "./calls.ts";
import { topicUnchanged } from "./topics.ts";

/** What the team's jobs need to know. */
export interface TeamJobOptions {
  readonly language: Language;
  /** The departments, whose names the titles and cards show. */
  readonly departments?: readonly Department[];
  readonly timeZone: string;
  readonly onlineWindowMs: number;
  readonly now: () => number;
}

/** Does team mode's jobs. */
export class TeamJobs {
  readonly #api: Api;
  readonly #store: Store;
  readonly #boundary: Pick<CommitBoundary, "write">;
  readonly #options: TeamJobOptions;

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

  /** The client's topic: its title from the latest ticket, and closed or open as it is. */
  async syncTopic(job: TopicJob): Promise<void> {
    const thread = job.message_thread_id;
    if (thread === undefined) return;
    const api = this.#api.raw;
    const client = this.#store.getUser(job.client_id);
    const ticket = this.#store.lastTicketOfClient(job.client_id);
    if (!client || !ticket) return;
    const state = topicState({
      status: ticket.status,
      waitingSince: this.#store.waitingSince(ticket.id),
    });
    const { language, departments = [] } = this.#options;
    const department = departmentOf(departments, ticket.department)?.names[language] ?? null;
    const name = topicTitle(state, ticketNumber(ticket.id), nameOf(client), department);
    const target = { chat_id: job.chat_id, message_thread_id: thread };
    await unlessUnchanged(api.editForumTopic({ ...target, name }));
    await unlessUnchanged(
      state === "closed" ? api.closeForumTopic(target) : api.reopenForumTopic(target),
    );
    // The pinned card, as the client is now (tickets so far, the last rating, the phone).
    const card = this.#store.cardOf(job.client_id);
    if (card !== null) {
      const text = cardText(this.#store, job.client_id, language, departments);
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
    }
  }

  /** The board: edited in place when it changed; sent (and pinned) when there is none. */
  async syncBoard(job: BoardJob): Promise<void> {
    const { language, timeZone, onlineWindowMs } = this.#options;
    const view = boardView(this.#store, this.#options.now(), onlineWindowMs, timeZone, language);
    const text = texts(language).team.board(view);
    if (this.#store.deskState("board_text") === text) return;
    const api = this.#api.raw;
    const id = Number(this.#store.deskState("board_message_id") ?? 0);
    if (id > 0) {
      try {
        await unlessUnchanged(api.editMessageText({ chat_id: job.chat_id, message_id: id, text }));
        this.#boundary.write(() => this.#store.setDeskState("board_text", text));
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
    const sent = await api.sendMessage({ chat_id: job.chat_id, text });
    this.#boundary.write(() => {
      this.#store.setDeskState("board_message_id", String(sent.message_id));
      this.#store.setDeskState("board_text", text);
    });
    await api.pinChatMessage({
      chat_id: job.chat_id,
      message_id: sent.message_id,
      disable_notification: true,
    });
  }
}

/** Waits for an edit of a topic or message; one that changed nothing is no failure. */
async function unlessUnchanged(edit: Promise<unknown>): Promise<void> {
  try {
    await edit;
  } catch (error) {
    if (!topicUnchanged(error)) throw error;
  }
}
