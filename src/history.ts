/**
 * The history file of a client: every message of all their tickets, with time, sender's
 * name and text (or the kind of message and its caption). Built as a stream, page by
 * page, so memory does not grow with the history.
 *
 * @module
 */
import type { Store } from "./store.ts";
import { formatTime } from "./stats.ts";
import { texts } from "./texts.ts";
import type { Language } from "./config.ts";

/** Messages read from the database at a time. */
const PAGE = 500;

/**
 * The lines of a client's history file, as UTF-8 chunks: a title, then each ticket's
 * header followed by its messages, up to message id `upTo`.
 */
export async function* historyFile(
  store: Store,
  clientId: number,
  upTo: number,
  language: Language,
): AsyncGenerator<Uint8Array> {
  const t = texts(language).history;
  const encoder = new TextEncoder();
  const client = store.getUser(clientId);
  const tickets = new Map(store.ticketsOfClient(clientId).map((ticket) => [ticket.id, ticket]));
  yield encoder.encode(`${t.title(client ? client.name ?? client.fullName : String(clientId))}\n`);
  // Times show minutes: format each minute once, not each of a long history's messages.
  let minute = NaN;
  let stamp = "";
  const time = (ms: number) => {
    if (Math.floor(ms / 60_000) !== minute) {
      minute = Math.floor(ms / 60_000);
      stamp = formatTime(ms);
    }
    return stamp;
  };
  let after = 0;
  let ticketId = 0;
  let any = false;
  for (;;) {
    const page = store.historyPage(clientId, after, upTo, PAGE);
    if (page.length === 0) break;
    let chunk = "";
    for (const m of page) {
      if (m.ticketId !== ticketId) {
        ticketId = m.ticketId;
        const ticket = tickets.get(ticketId);
        if (ticket) {
          chunk += `\n${
            t.ticket(ticket.id, formatTime(ticket.openedAt), t.statuses[ticket.status])
          }\n`;
        }
      }
      const body = m.kind === "text"
        ? m.text ?? ""
        : `[${t.kinds[m.kind] ?? t.kinds.other}]${m.text ? ` ${m.text}` : ""}`;
      chunk += `[${time(m.createdAt)}] ${m.senderName}: ${body}\n`;
      any = true;
    }
    after = page[page.length - 1].id;
    yield encoder.encode(chunk);
    // Let other work run between pages of a long history.
    await Promise.resolve();
  }
  if (!any) yield encoder.encode(`${t.empty}\n`);
}
