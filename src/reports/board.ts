/**
 * Team mode's board: what the pinned message in the staff group's General topic shows, read
 * from the store when it is sent: the tickets waiting and for how long, the open ones and
 * who has them, the members online, and today's figures.
 *
 * @module
 */
import { formatDuration } from "./metrics.ts";
import { isOnline } from "../rules/matchmaking.ts";
import { nameOf, type Store } from "../store/mod.ts";
import type { BoardView, Language } from "../texts/mod.ts";
import { ticketNumber } from "../texts/mod.ts";
import { todayMetrics } from "./stats.ts";

/** Tickets listed per section (the rest are counted). */
const BOARD_LINES = 15;

/** The board at `now`. */
export function boardView(
  store: Store,
  now: number,
  onlineWindowMs: number,
  timeZone: string,
  language: Language,
): BoardView {
  const name = (id: number | null) => {
    const user = id === null ? undefined : store.getUser(id);
    return user ? nameOf(user) : "?";
  };
  const waiting = store.waitingTickets(BOARD_LINES).map((t) => ({
    ticket: ticketNumber(t.id),
    client: name(t.clientId),
    waiting: formatDuration(now - t.openedAt, language),
    late: t.waitingSince !== null,
  }));
  const open = store.openTicketsList(BOARD_LINES).map((t) => ({
    ticket: ticketNumber(t.id),
    client: name(t.clientId),
    agent: name(t.agentId),
  }));
  const online = store.members().filter((m) => m.isAvailable && isOnline(m, now, onlineWindowMs))
    .map(nameOf);
  return {
    waiting,
    waitingCount: store.queueLength(),
    open,
    openCount: store.openTickets(),
    online,
    today: todayMetrics(store, now, timeZone, language),
    updatedAt: new Intl.DateTimeFormat(language, {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
    }).format(now),
  };
}
