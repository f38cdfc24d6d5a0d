/**
 * History files: a client's messages (all their tickets, or one) as a text file or a
 * self-contained HTML page, and an admin's CSV export of every message over a time range.
 * Each is built as a stream, page by page, so memory does not grow with the history.
 *
 * @module
 */
import type { CsvColumn, Language } from "../texts/types.ts";
import { CSV_BOM, csvRow, htmlFoot, htmlHead, htmlMessage, htmlTicket } from "./export.ts";
import {
  type HistoryLine,
  type MessageEdit,
  nameOf,
  type Store,
  type Ticket,
} from "../store/mod.ts";
import { messageKind, stars, texts, ticketNumber } from "../texts/mod.ts";
import { formatTime } from "../base/time.ts";
import { type Department, departmentOf } from "../rules/departments.ts";

/** What history files and exports read. */
export type HistoryStore = Pick<
  Store,
  "getUser" | "ticketsOfClient" | "historyPage" | "ticketHistoryPage" | "editsOf" | "exportPage"
>;

/** Messages read from the database at a time. */
const PAGE = 500;

/**
 * Every way a text can break a line in a viewer: CR LF, LF, CR, vertical tab, form feed,
 * NEL, and Unicode's line and paragraph separators.
 */
const LINE_BREAK = /\r\n|[\n\r\v\f\x85\u2028\u2029]/;
/** How a message's own further lines are indented under its entry in a text history. */
const CONTINUED = "    ";
/** How an earlier version (`✎`) stands under its message, and its own further lines. */
const VERSION = "    ";
const VERSION_CONTINUED = "        ";

/**
 * `text` with each line after its first on a line of its own starting with `indent`, so that
 * only the file's own entries start at the beginning of a line: whatever a user writes
 * (a line like `[10:00] Agent: …`) stays inside their entry.
 */
export function indented(text: string, indent: string): string {
  // Most texts are one line: no array made for them (a long history has many).
  if (!LINE_BREAK.test(text)) return text;
  return text.split(LINE_BREAK).join(`\n${indent}`);
}

/**
 * The columns of the CSV export, in order; each is headed in the reader's language
 * (`history.columns` of the texts), like every value in it: one language per file.
 */
export const CSV_COLUMNS: readonly CsvColumn[] = [
  "message_id",
  "ticket",
  "time",
  "client_id",
  "client_name",
  "client_phone",
  "sender_role",
  "sender_id",
  "sender_name",
  "kind",
  "text",
  "department",
  "inbox",
];

/** The formats of a history file. */
export type HistoryFormat = "txt" | "html";

/** What a history file holds. */
export interface HistoryRequest {
  readonly clientId: number;
  /** Only this ticket; all the client's tickets when absent. */
  readonly ticketId?: number;
  /** Messages up to this id (the last one when the file was asked for). */
  readonly upTo: number;
  readonly format: HistoryFormat;
}

/** A line of a history: a message, or the parts of one album together. */
type Entry = HistoryLine & { readonly parts?: readonly string[] };

/**
 * The page's lines with each album's parts as one entry (their kinds, their captions joined):
 * an album is one message in the history. (An album cut by the end of a page shows in two
 * entries: pages hold 500 messages, an album 10 at most.)
 */
function* albums(page: readonly HistoryLine[]): Generator<Entry> {
  for (let i = 0; i < page.length; i++) {
    const m = page[i];
    if (m.mediaGroupId === null) {
      yield m;
      continue;
    }
    let end = i + 1;
    while (
      end < page.length && page[end].mediaGroupId === m.mediaGroupId &&
      page[end].ticketId === m.ticketId
    ) end++;
    const parts = page.slice(i, end);
    const captions = parts.map((p) => p.text).filter((t): t is string => !!t);
    yield {
      ...m,
      text: captions.length > 0 ? captions.join(" · ") : null,
      parts: parts.map((p) => p.kind),
    };
    i = end - 1;
  }
}

/** One message's versions: the text as first sent, then each later one with its time. */
function versions(m: HistoryLine, edits: readonly MessageEdit[]) {
  if (edits.length === 0) return { first: m.text, later: [] };
  const later = edits.slice(1).map((e, i) => ({ time: edits[i].replacedAt, text: e.text }));
  later.push({ time: edits[edits.length - 1].replacedAt, text: m.text });
  return { first: edits[0].text, later };
}

/**
 * A client's history file, as UTF-8 chunks: a title, then each ticket's header followed by
 * its messages (with earlier versions of edited ones), up to message id `upTo`.
 */
export async function* historyFile(
  store: HistoryStore,
  request: HistoryRequest,
  language: Language,
  timeZone: string,
): AsyncGenerator<Uint8Array> {
  const t = texts(language);
  const h = t.history;
  const html = request.format === "html";
  const encoder = new TextEncoder();
  const client = store.getUser(request.clientId);
  const tickets = new Map(
    store.ticketsOfClient(request.clientId).map((ticket) => [ticket.id, ticket]),
  );
  const named = h.title(client ? nameOf(client) : String(request.clientId));
  const title = client?.phone ? `${named}\n${h.phone(client.phone)}` : named;
  yield encoder.encode(html ? htmlHead(title, language) : `${indented(title, CONTINUED)}\n`);
  const heading = (ticket: Ticket) =>
    h.ticket(
      ticketNumber(ticket.id),
      formatTime(ticket.openedAt, timeZone),
      h.statuses[ticket.status],
    ) +
    (ticket.rating !== null ? `. ${h.rating(stars(ticket.rating), ticket.ratingComment)}` : "");
  // Times show minutes: format each minute once, not each of a long history's messages.
  let minute = NaN;
  let stamp = "";
  const time = (ms: number) => {
    if (Math.floor(ms / 60_000) !== minute) {
      minute = Math.floor(ms / 60_000);
      stamp = formatTime(ms, timeZone);
    }
    return stamp;
  };
  // The sender, marked on a team's note and on a message of a company account's chat.
  const who = (m: HistoryLine) => {
    const marks = [
      ...(m.internal ? [h.internal] : []),
      ...(m.account !== null ? [h.viaAccount(m.account)] : []),
    ];
    return marks.length > 0 ? `${m.senderName} (${marks.join(", ")})` : m.senderName;
  };
  let after = 0;
  let ticketId = 0;
  let any = false;
  for (;;) {
    const page = request.ticketId === undefined
      ? store.historyPage(request.clientId, after, request.upTo, PAGE)
      : store.ticketHistoryPage(request.ticketId, after, request.upTo, PAGE);
    if (page.length === 0) break;
    const edited = store.editsOf(page.filter((m) => m.editedAt !== null).map((m) => m.id));
    const editsOf = Map.groupBy(edited, (e) => e.messageId);
    let chunk = "";
    for (const m of albums(page)) {
      if (m.ticketId !== ticketId) {
        ticketId = m.ticketId;
        const ticket = tickets.get(ticketId);
        if (ticket) {
          // The heading holds the rating's comment, the client's own words.
          chunk += html
            ? htmlTicket(heading(ticket))
            : `\n${indented(heading(ticket), CONTINUED)}\n`;
        }
      }
      const { first, later } = m.parts === undefined
        ? versions(m, editsOf.get(m.id) ?? [])
        : { first: m.text, later: [] };
      const kind = m.parts !== undefined
        ? `${h.kinds.album}: ${m.parts.map((k) => h.kinds[messageKind(k)]).join(", ")}`
        : m.kind === "text"
        ? null
        : h.kinds[messageKind(m.kind)];
      if (html) {
        chunk += htmlMessage({
          time: time(m.createdAt),
          senderName: who(m),
          role: m.senderRole,
          kindLabel: kind,
          text: first,
          edits: later.map((v) => ({ time: formatTime(v.time, timeZone), text: v.text })),
        });
      } else {
        // One entry a message, at the start of a line; its further lines, and its earlier
        // versions, indented under it (names, too, are users' words).
        const body = kind === null ? first ?? "" : `[${kind}]${first ? ` ${first}` : ""}`;
        const entry = `[${time(m.createdAt)}] ${who(m)}: ${body}`;
        chunk += `${indented(entry, CONTINUED)}\n`;
        for (const v of later) {
          const version = h.edited(formatTime(v.time, timeZone), v.text ?? "");
          chunk += `${VERSION}${indented(version, VERSION_CONTINUED)}\n`;
        }
      }
      any = true;
    }
    after = page[page.length - 1].id;
    yield encoder.encode(chunk);
    // Let other work run between pages of a long history.
    await Promise.resolve();
  }
  if (!any) yield encoder.encode(html ? `<p>${h.empty}</p>\n` : `${h.empty}\n`);
  if (html) yield encoder.encode(htmlFoot());
}

/**
 * Every message written in [`from`, `to`) as CSV, oldest first: a header row, then one row a
 * message (latest version of edited ones), all in `language`: the headings, who wrote, and
 * the kind of message (ids, times and what people wrote stay as they are).
 */
export async function* exportFile(
  store: HistoryStore,
  from: number,
  to: number,
  language: Language,
  timeZone: string,
  departments: readonly Department[] = [],
): AsyncGenerator<Uint8Array> {
  const h = texts(language).history;
  const encoder = new TextEncoder();
  // A ticket's department by name in `language`; its key when no longer configured.
  const department = (key: string | null) =>
    key === null ? null : departmentOf(departments, key)?.names[language] ?? key;
  yield encoder.encode(CSV_BOM + csvRow(CSV_COLUMNS.map((column) => h.columns[column])));
  let afterTime = from;
  let afterId = 0;
  for (;;) {
    const page = store.exportPage(afterTime, afterId, to, PAGE);
    if (page.length === 0) break;
    let chunk = "";
    for (const m of page) {
      chunk += csvRow([
        m.id,
        ticketNumber(m.ticketId),
        formatTime(m.createdAt, timeZone),
        m.clientId,
        m.clientName,
        m.clientPhone,
        m.senderRole === "client" ? h.client : h.agent,
        m.senderId,
        m.senderName,
        h.kinds[messageKind(m.kind)],
        m.text,
        department(m.department),
        m.inbox ?? h.botInbox,
      ]);
    }
    const last = page[page.length - 1];
    afterTime = last.createdAt;
    afterId = last.id;
    yield encoder.encode(chunk);
    await Promise.resolve();
  }
}
