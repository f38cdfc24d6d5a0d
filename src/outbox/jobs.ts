/**
 * The deliveries that are more than one plain call, done when they are sent so that they
 * hold what is stored at that moment: a client's history file (text or HTML), an admin's CSV
 * export (both streamed page by page from the database into the upload), and the edit of a
 * relayed message's copy (its latest text, signed as the copy was).
 *
 * @module
 */
import { type Api, InputFile } from "grammy";
import type { MessageEntity } from "grammy/types";
import { CAPTIONED, MAX_CAPTION, MAX_TEXT, signText } from "../relay.ts";
import { exportFile, historyFile, type HistoryFormat } from "../reports/history.ts";
import type { Store } from "../store/mod.ts";
import { type Language, texts } from "../texts/mod.ts";
import {
  type ApiCall,
  type EditCopyJob,
  type ExportJob,
  type FoldSummaryJob,
  type HistoryJob,
  invoke,
  type JobCall,
  sendText,
} from "./calls.ts";

/** The APIs jobs call through, each with a timeout fit for its kind of upload. */
export interface JobApis {
  /** Plain calls (the edit of a copy). */
  readonly calls: Api;
  /** History files: one client's, up to a few MiB. */
  readonly history: Api;
  /** Exports: every message of up to a year. */
  readonly export: Api;
}

/** What jobs read. */
export type JobStore = Pick<
  Store,
  | "getUser"
  | "getMessage"
  | "getTicket"
  | "ticketsOfClient"
  | "historyPage"
  | "ticketHistoryPage"
  | "editsOf"
  | "exportPage"
  | "foldedSince"
>;

/** Does the jobs of the outbox. */
export class Jobs {
  readonly #apis: JobApis;
  readonly #store: JobStore;
  readonly #timeZone: string;
  readonly #defaultLanguage: Language;

  constructor(apis: JobApis, store: JobStore, timeZone: string, defaultLanguage: Language) {
    this.#apis = apis;
    this.#store = store;
    this.#timeZone = timeZone;
    this.#defaultLanguage = defaultLanguage;
  }

  /** Does `job`; resolves with what Telegram answered (`null` when there was nothing to do). */
  run(job: JobCall): Promise<unknown> {
    switch (job.method) {
      case "sendHistory":
        return this.#history(job.params);
      case "sendExport":
        return this.#export(job.params);
      case "foldSummary":
        return this.#foldSummary(job.params);
      case "editCopy": {
        const edit = editCall(this.#store, job.params);
        // No copy to edit (it was never made, or the kind has no text): nothing to do.
        return edit ? invoke(this.#apis.calls.raw, edit) : Promise.resolve(null);
      }
    }
  }

  /** The language of whoever reads a file in chat `chatId`. */
  #reader(chatId: number): Language {
    return this.#store.getUser(chatId)?.language ?? this.#defaultLanguage;
  }

  #history(job: HistoryJob): Promise<unknown> {
    const language = this.#reader(job.chat_id);
    const client = this.#store.getUser(job.client_id);
    const clientName = client?.name ?? client?.fullName ?? String(job.client_id);
    const format: HistoryFormat = job.format === "html" ? "html" : "txt";
    const request = { clientId: job.client_id, ticketId: job.ticket_id, upTo: job.up_to, format };
    const name = job.ticket_id === undefined
      ? `history-${job.client_id}.${format}`
      : `ticket-${job.ticket_id}.${format}`;
    const file = historyFile(this.#store, request, language, this.#timeZone);
    return this.#apis.history.sendDocument(job.chat_id, new InputFile(file, name), {
      caption: texts(language).historyCaption(clientName),
    });
  }

  #foldSummary(job: FoldSummaryJob): Promise<unknown> {
    const folded = this.#store.foldedSince(job.ticket_id, job.from_message_id);
    if (folded === 0) return Promise.resolve(null);
    const t = texts(this.#reader(job.chat_id));
    const client = this.#store.getUser(job.client_id);
    const name = client?.name ?? client?.fullName ?? String(job.client_id);
    return invoke(this.#apis.calls.raw, sendText(job.chat_id, t.moreInHistory(name, folded)));
  }

  #export(job: ExportJob): Promise<unknown> {
    const language = this.#reader(job.chat_id);
    const file = exportFile(this.#store, job.from, job.to, language, this.#timeZone);
    const name = `messages-${job.from_date}-${job.to_date}.csv`;
    return this.#apis.export.sendDocument(job.chat_id, new InputFile(file, name), {
      caption: texts(language).exportCaption(job.from_date, job.to_date),
    });
  }
}

/**
 * The Bot API call that brings the copy of a stored message up to date, or `undefined` when
 * there is no copy (yet), the kind has no text to edit, or the copy is no longer the other
 * side of the ticket's dialog (it closed, or went to another agent, since the edit: checked
 * again when it is sent). A copy that began with the client's name keeps it in front.
 */
export function editCall(
  store: Pick<Store, "getMessage" | "getUser" | "getTicket">,
  job: EditCopyJob,
): ApiCall<"editMessageText" | "editMessageCaption"> | undefined {
  const m = store.getMessage(job.message_id);
  if (!m || m.copyMessageId === null || m.copyChatId === null) return undefined;
  const ticket = store.getTicket(m.ticketId);
  if (!ticket || ticket.status !== "open" || ticket.agentId === null) return undefined;
  const other = m.senderRole === "client" ? ticket.agentId : ticket.clientId;
  const author = m.senderRole === "client" ? ticket.clientId : ticket.agentId;
  if (m.copyChatId !== other || m.senderId !== author) return undefined;
  const entities: MessageEntity[] | null = m.entities ? JSON.parse(m.entities) : null;
  const text = m.text ?? "";
  const client = store.getUser(m.clientId);
  const limit = m.kind === "text" ? MAX_TEXT : MAX_CAPTION;
  const signed = m.senderRole === "client" && m.signedInline === true && client
    ? signText(client.name ?? client.fullName, text, entities, limit)
    : undefined;
  const target = { chat_id: m.copyChatId, message_id: m.copyMessageId };
  if (m.kind === "text") {
    if (!signed && text === "") return undefined;
    return {
      method: "editMessageText",
      params: {
        ...target,
        text: signed?.text ?? text,
        entities: signed?.entities ?? entities ?? [],
      },
    };
  }
  if (!CAPTIONED.has(m.kind)) return undefined;
  return {
    method: "editMessageCaption",
    params: {
      ...target,
      caption: signed?.text ?? text,
      caption_entities: signed?.entities ?? entities ?? [],
    },
  };
}
