/**
 * The deliveries that are more than one plain call, done when they are sent so that they
 * hold what is stored at that moment: a client's history file (text or HTML), an admin's CSV
 * export (both streamed page by page from the database into the upload), the edit of a
 * relayed message's copy (its latest text, signed as the copy was), a step of a flood's
 * digest (`digest.ts`), and `/stats` with its chart (drawn from the tickets of 30 days).
 *
 * @module
 */
import { type Api, InputFile } from "grammy";
import type { MessageEntity } from "grammy/types";
import { CAPTIONED, MAX_CAPTION, MAX_TEXT } from "../rules/content.ts";
import { signText } from "../rules/signing.ts";
import { nameButton } from "./carry.ts";
import { exportFile, historyFile, type HistoryFormat } from "../reports/history.ts";
import { chartDays } from "../reports/chart.ts";
import type { Department } from "../rules/departments.ts";
import { errorText } from "../base/errors.ts";
import { type Logger, silentLogger } from "../base/log.ts";
import { type Message, nameOf, type Store } from "../store/mod.ts";
import { type Language, texts } from "../texts/mod.ts";
import {
  type AlbumJob,
  type ApiCall,
  type ApiParams,
  type Copy,
  type EditCopyJob,
  type ExportJob,
  type HistoryJob,
  invoke,
  type JobCall,
  type StatsChartJob,
} from "./calls.ts";
import { keyboard, replyTo, sendText } from "./builders.ts";
import { mergedEdit, showFolded } from "./digest.ts";
import { editAsAccount } from "./business.ts";
import type { TeamJobs } from "./team_jobs.ts";
import { type Pace, UNPACED } from "./rate_limiter.ts";

/** The APIs jobs call through, each with a timeout fit for its kind of upload. */
export interface JobApis {
  /** Plain calls (the edit of a copy). */
  readonly calls: Api;
  /** History files (one client's, up to a few MiB) and the `/stats` chart. */
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
  | "unshownFolded"
  | "sharingCopy"
  | "albumParts"
  | "ticketTimes"
  | "businessPlaces"
>;

/** An album's media, as `sendMediaGroup` takes them. */
type AlbumMedia = ApiParams["sendMediaGroup"]["media"];

/** Team mode's part of the jobs: the staff groups and the team's jobs. */
export interface TeamParts {
  /** The staff group of STAFF_CHAT_ID. */
  readonly chatId: number;
  /** Every staff group (STAFF_CHAT_ID's, and departments' own); by default `chatId`'s alone. */
  readonly groups?: readonly number[];
  readonly jobs: TeamJobs;
}

/** Does the jobs of the outbox. */
export class Jobs {
  readonly #apis: JobApis;
  readonly #store: JobStore;
  readonly #timeZone: string;
  readonly #defaultLanguage: Language;
  /** Team mode: the staff groups (STAFF_CHAT_ID's first) and their jobs. */
  readonly #team: TeamParts | undefined;
  readonly #log: Logger;
  /** The departments, whose names the CSV export shows. */
  readonly #departments: readonly Department[];

  constructor(
    apis: JobApis,
    store: JobStore,
    timeZone: string,
    defaultLanguage: Language,
    team?: TeamParts,
    log: Logger = silentLogger,
    departments: readonly Department[] = [],
  ) {
    this.#apis = apis;
    this.#store = store;
    this.#timeZone = timeZone;
    this.#defaultLanguage = defaultLanguage;
    this.#team = team;
    this.#log = log;
    this.#departments = departments;
  }

  /** The staff groups (team mode). */
  #groups(): readonly number[] {
    return this.#team ? this.#team.groups ?? [this.#team.chatId] : [];
  }

  /**
   * Does `job`; resolves with the copies it made of stored messages (an album's parts), for
   * the record. Nothing to do (no copy to edit, no part left) is done at once. A job that
   * posts a message (`postsMessage`) had its slot before; what a team job posts besides (the
   * board, a topic's service message) is paced by `pace`.
   */
  async run(job: JobCall, pace: Pace = UNPACED): Promise<readonly Copy[]> {
    switch (job.method) {
      case "sendHistory":
        await this.#history(job.params);
        return [];
      case "sendExport":
        await this.#export(job.params);
        return [];
      case "foldSummary":
        return await showFolded(this.#apis.calls.raw, this.#store, job.params, {
          timeZone: this.#timeZone,
          // The digest's own group when it goes to a staff group.
          staffChatId: this.#team && this.#groups().includes(job.params.chat_id)
            ? job.params.chat_id
            : this.#team?.chatId,
        });
      case "editCopy": {
        if (job.params.business_connection_id !== undefined) {
          for (const edit of businessEdits(this.#store, job.params)) {
            await invoke(this.#apis.calls.raw, edit);
          }
          return [];
        }
        const groups = this.#team ? this.#groups() : undefined;
        const edit = editCall(this.#store, job.params, groups, this.#timeZone);
        // No copy to edit (it was never made, or the kind has no text): nothing to do.
        if (edit) await invoke(this.#apis.calls.raw, edit);
        return [];
      }
      case "sendAlbum":
        return await this.#album(job.params);
      case "syncTopic":
        await this.#team?.jobs.syncTopic(job.params, pace);
        return [];
      case "syncBoard":
        await this.#team?.jobs.syncBoard(job.params, pace);
        return [];
      case "sendStatsChart":
        await this.#statsChart(job.params);
        return [];
    }
  }

  /**
   * An album's parts stored by now and not carried across yet, as one album: from the
   * client, `sendMediaGroup` with their files, the client's name in front of the first
   * caption; from the agent, `copyMessages` (nothing to sign).
   */
  async #album(job: AlbumJob): Promise<readonly Copy[]> {
    // An internal note's parts (team mode) never leave the staff group.
    const parts = this.#store.albumParts(job.ticket_id, job.media_group_id)
      .filter((p) => !p.internal);
    if (parts.length === 0) return [];
    const api = this.#apis.calls.raw;
    const first = parts[0];
    // Only to the other side of the dialog as it is now (a transfer since: the new agent has
    // the ticket's history file).
    const ticket = this.#store.getTicket(job.ticket_id);
    // In team mode a client's album goes to their topic, whoever has the ticket.
    const staff = this.#team?.chatId;
    const other = first.senderRole === "client" ? (staff ?? ticket?.agentId) : ticket?.clientId;
    if (!ticket || ticket.status === "closed" || other !== job.chat_id) return [];
    const thread = job.message_thread_id !== undefined
      ? { message_thread_id: job.message_thread_id }
      : {};
    // Into a business chat, or from one (its parts are not in the bot's chat: negative ids),
    // an album goes by its files; signed only from a client to an agent's chat.
    const business = job.business_connection_id;
    if (business !== undefined || first.chatMessageId < 0) {
      const sign = first.senderRole === "client" && staff === undefined;
      const { media, signed } = sign
        ? albumMedia(parts, this.#clientName(first.clientId))
        : albumMedia(parts, null);
      const sent = await api.sendMediaGroup({
        chat_id: job.chat_id,
        media,
        ...(business !== undefined ? { business_connection_id: business } : {}),
        ...thread,
      });
      return parts.map((p, i) => ({
        messageId: p.id,
        copyId: sent[i]?.message_id ?? 0,
        ...(i === signed ? { signedInline: true } : {}),
      })).filter((c) => c.copyId > 0);
    }
    // The agent's album, and in team mode any album, is copied as it is (nothing to sign).
    if (first.senderRole === "agent" || staff !== undefined) {
      const ids = parts.map((p) => p.chatMessageId);
      const copied = await api.copyMessages({
        chat_id: job.chat_id,
        from_chat_id: first.sourceChatId ?? first.senderId,
        message_ids: ids,
        ...thread,
      });
      return parts.map((p, i) => ({ messageId: p.id, copyId: copied[i]?.message_id ?? 0 }))
        .filter((c) => c.copyId > 0);
    }
    const name = this.#clientName(first.clientId);
    const { media, signed } = albumMedia(parts, name);
    const reply = first.replyToId ? this.#store.getMessage(first.replyToId) : undefined;
    const replyToId = reply?.copyChatId === job.chat_id ? reply.copyMessageId : null;
    const sent = await api.sendMediaGroup({ chat_id: job.chat_id, media, ...replyTo(replyToId) });
    return parts.map((p, i) => ({
      messageId: p.id,
      copyId: sent[i]?.message_id ?? 0,
      ...(i === signed ? { signedInline: true } : {}),
    })).filter((c) => c.copyId > 0);
  }

  /** The name a client is shown by (their id, should they be gone). */
  #clientName(clientId: number): string {
    const client = this.#store.getUser(clientId);
    return client ? nameOf(client) : String(clientId);
  }

  /** The language of whoever reads a file in chat `chatId`. */
  #reader(chatId: number): Language {
    return this.#store.getUser(chatId)?.language ?? this.#defaultLanguage;
  }

  #history(job: HistoryJob): Promise<unknown> {
    const language = this.#reader(job.chat_id);
    const clientName = this.#clientName(job.client_id);
    const format: HistoryFormat = job.format === "html" ? "html" : "txt";
    const request = { clientId: job.client_id, ticketId: job.ticket_id, upTo: job.up_to, format };
    const name = job.ticket_id === undefined
      ? `history-${job.client_id}.${format}`
      : `ticket-${job.ticket_id}.${format}`;
    const file = historyFile(this.#store, request, language, this.#timeZone);
    return this.#apis.history.sendDocument(job.chat_id, new InputFile(file, name), {
      caption: texts(language).historyCaption(clientName),
      ...(job.message_thread_id !== undefined ? { message_thread_id: job.message_thread_id } : {}),
    });
  }

  /**
   * `/stats`: the chart drawn now, sent as a photo with the text as its caption when it fits,
   * else right after the text. A chart that cannot be drawn is logged, and the text goes
   * alone. Once the text is sent apart, a photo Telegram then refuses is logged, not retried:
   * a retry would send the text again.
   */
  async #statsChart(job: StatsChartJob): Promise<void> {
    const api = this.#apis.history;
    let png: Uint8Array | undefined;
    try {
      const days = chartDays(this.#store, job.agent_id, job.now, this.#timeZone);
      // Loaded on the first chart: the renderer and its font are megabytes no start needs.
      const { renderChart } = await import("../reports/chart_png.ts");
      png = await renderChart(days, this.#reader(job.chat_id));
    } catch (error) {
      this.#log.error("stats.chart_failed", {
        chat_id: job.chat_id,
        error: errorText(error),
      });
    }
    const photo = () => new InputFile(png!, "stats.png");
    if (png !== undefined && job.text.length <= MAX_CAPTION) {
      await api.sendPhoto(job.chat_id, photo(), { caption: job.text });
      return;
    }
    await invoke(api.raw, sendText(job.chat_id, job.text));
    if (png === undefined) return;
    try {
      await api.sendPhoto(job.chat_id, photo());
    } catch (error) {
      this.#log.warn("stats.chart_not_sent", {
        chat_id: job.chat_id,
        error: errorText(error),
      });
    }
  }

  #export(job: ExportJob): Promise<unknown> {
    const language = this.#reader(job.chat_id);
    const file = exportFile(
      this.#store,
      job.from,
      job.to,
      language,
      this.#timeZone,
      this.#departments,
    );
    const name = `messages-${job.from_date}-${job.to_date}.csv`;
    return this.#apis.export.sendDocument(job.chat_id, new InputFile(file, name), {
      caption: texts(language).exportCaption(job.from_date, job.to_date),
    });
  }
}

/**
 * The media of an album from its stored parts, by their files: the client's name in front of
 * the first caption that can take it (the first part's, or, at Telegram's limit, the next
 * part without one); `signed` is the index of that part (-1: none could take it). An album is
 * of audio only, of documents only, or of photos and videos, as the client sent it.
 */
export function albumMedia(
  parts: readonly Message[],
  clientName: string | null,
): { media: AlbumMedia; signed: number } {
  let signed = -1;
  const captions = parts.map((p, i) => {
    const entities: MessageEntity[] | null = p.entities ? JSON.parse(p.entities) : null;
    const text = p.text ?? "";
    let caption: { text: string; entities: MessageEntity[] } | undefined;
    if (clientName !== null && signed === -1 && (i === 0 || text === "")) {
      caption = signText(clientName, text, entities, MAX_CAPTION);
      if (caption) signed = i;
    }
    const shown = caption ?? (text ? { text, entities: entities ?? [] } : undefined);
    return shown ? { caption: shown.text, caption_entities: shown.entities } : {};
  });
  const file = (p: Message) => p.fileId ?? "";
  const kind = parts[0].kind;
  if (kind === "audio") {
    return {
      media: parts.map((p, i) => ({ type: "audio" as const, media: file(p), ...captions[i] })),
      signed,
    };
  }
  if (kind === "document") {
    return {
      media: parts.map((p, i) => ({ type: "document" as const, media: file(p), ...captions[i] })),
      signed,
    };
  }
  return {
    media: parts.map((p, i) =>
      p.kind === "video"
        ? { type: "video" as const, media: file(p), ...captions[i] }
        : { type: "photo" as const, media: file(p), ...captions[i] }
    ),
    signed,
  };
}

/**
 * The Bot API call that brings the copy of a stored message up to date, or `undefined` when
 * there is no copy (yet), the kind has no text to edit, or the copy is no longer the other
 * side of the ticket's dialog (it closed, or went to another agent, since the edit: checked
 * again when it is sent). A copy that began with the client's name keeps it in front.
 */
export function editCall(
  store: Pick<Store, "getMessage" | "getUser" | "getTicket" | "sharingCopy">,
  job: EditCopyJob,
  staffGroups?: readonly number[],
  timeZone = "UTC",
): ApiCall<"editMessageText" | "editMessageCaption"> | undefined {
  const m = store.getMessage(job.message_id);
  if (!m || m.copyMessageId === null || m.copyChatId === null) return undefined;
  const ticket = store.getTicket(m.ticketId);
  if (!ticket || ticket.status === "closed") return undefined;
  if (staffGroups !== undefined) {
    // Team mode: the client's copy is in their topic (in a staff group), a member's in the
    // client's chat; any member's message may be brought up to date while the ticket lasts.
    const copied = m.senderRole === "client"
      ? staffGroups.includes(m.copyChatId) && m.senderId === ticket.clientId
      : m.copyChatId === ticket.clientId;
    if (!copied) return undefined;
    // A text shown in a digest shares its message with others: the whole of it again.
    if (m.folded && m.kind === "text") return mergedEdit(store, m, { signer: null, timeZone });
    return plainEdit(m, { chat_id: m.copyChatId, message_id: m.copyMessageId });
  }
  if (ticket.status !== "open" || ticket.agentId === null) return undefined;
  const other = m.senderRole === "client" ? ticket.agentId : ticket.clientId;
  const author = m.senderRole === "client" ? ticket.clientId : ticket.agentId;
  if (m.copyChatId !== other || m.senderId !== author) return undefined;
  const entities: MessageEntity[] | null = m.entities ? JSON.parse(m.entities) : null;
  const text = m.text ?? "";
  const client = store.getUser(m.clientId);
  if (m.folded && m.kind === "text" && client) {
    const signer = { clientId: client.userId, name: nameOf(client) };
    return mergedEdit(store, m, { signer, timeZone });
  }
  const limit = m.kind === "text" ? MAX_TEXT : MAX_CAPTION;
  const signed = m.senderRole === "client" && m.signedInline === true && client
    ? signText(nameOf(client), text, entities, limit)
    : undefined;
  // A client's copy without the name in front carries it on its button: kept by the edit.
  const named = m.senderRole === "client" && client && !signed
    ? { reply_markup: keyboard(nameButton({ clientId: client.userId, name: nameOf(client) })) }
    : {};
  const target = { chat_id: m.copyChatId, message_id: m.copyMessageId, ...named };
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

/** The edit of a copy made as it was written (nothing signed, no button). */
function plainEdit(
  m: Message,
  target: { readonly chat_id: number; readonly message_id: number },
): ApiCall<"editMessageText" | "editMessageCaption"> | undefined {
  const entities: MessageEntity[] = m.entities ? JSON.parse(m.entities) : [];
  const text = m.text ?? "";
  if (m.kind === "text") {
    if (text === "") return undefined;
    return { method: "editMessageText", params: { ...target, text, entities } };
  }
  if (!CAPTIONED.has(m.kind)) return undefined;
  return {
    method: "editMessageCaption",
    params: { ...target, caption: text, caption_entities: entities },
  };
}

/**
 * Telegram Business: the edits that bring a stored message's places in a business chat in
 * line with its latest text, as the account, read when sent (none while the ticket is closed,
 * or for a kind without text).
 */
export function businessEdits(
  store: Pick<Store, "getMessage" | "getTicket" | "businessPlaces">,
  job: EditCopyJob,
): ApiCall[] {
  const connectionId = job.business_connection_id;
  const m = store.getMessage(job.message_id);
  if (connectionId === undefined || !m || m.text === null) return [];
  const ticket = store.getTicket(m.ticketId);
  if (!ticket || ticket.status === "closed") return [];
  const entities: MessageEntity[] | null = m.entities ? JSON.parse(m.entities) : null;
  return store.businessPlaces(m.id, connectionId).map((id) =>
    editAsAccount(connectionId, job.chat_id, id, m.kind, m.text!, entities)
  );
}
