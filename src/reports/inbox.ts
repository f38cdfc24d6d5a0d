/**
 * Telegram Business in the reports: which company account a ticket came to (its topic title
 * and card say so), and the tickets of each connected account, an inbox of its own (`/stats`,
 * the board).
 *
 * @module
 */
import type { Store } from "../store/mod.ts";

/** What is read of the business connections. */
export type InboxStore = Pick<Store, "wayOf" | "getConnection">;

/** The name of the company account ticket `ticketId` came to, or `null`: the bot itself. */
export function accountOf(store: InboxStore, ticketId: number): string | null {
  const way = store.wayOf(ticketId);
  if (way === null) return null;
  return store.getConnection(way)?.ownerName ?? way;
}

/** One inbox: the bot's own chat (`account` null) or a company account, and its tickets. */
export interface Inbox {
  readonly account: string | null;
  readonly tickets: number;
  readonly open: number;
}

/**
 * The company accounts' inboxes (none while no account connected): each account's tickets,
 * all and not closed.
 */
export function inboxes(store: Pick<Store, "inboxCounts" | "getConnection">): Inbox[] {
  return store.inboxCounts().map((c) => ({
    account: store.getConnection(c.connectionId)?.ownerName ?? c.connectionId,
    tickets: c.tickets,
    open: c.open,
  }));
}
