/**
 * An agent's figures for `/stats`.
 *
 * @module
 */
import { isOnline } from "./matchmaking.ts";
import type { Store, User } from "./store.ts";
import type { StatsView } from "./texts.ts";

const DAY_MS = 24 * 3600_000;
/** How many recent dialogs `/stats` lists. */
export const RECENT_DIALOGS = 5;

/** Formats a time as `YYYY-MM-DD HH:MM UTC`. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

/** The start of the UTC day that holds `now`. */
export function startOfDay(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS;
}

/** Builds the `/stats` view of an agent at `now`. */
export function agentStats(store: Store, agent: User, now: number, windowMs: number): StatsView {
  const counts = store.agentCounts(agent.userId, startOfDay(now), now - 7 * DAY_MS);
  const current = agent.currentTicketId ? store.getTicket(agent.currentTicketId) : undefined;
  const client = current ? store.getUser(current.clientId) : undefined;
  return {
    clientsTotal: counts.clientsTotal,
    messagesSent: counts.messagesSent,
    messagesReceived: counts.messagesReceived,
    ticketsToday: counts.ticketsSince1,
    tickets7Days: counts.ticketsSince2,
    ticketsTotal: counts.ticketsTotal,
    recent: store.recentTickets(agent.userId, RECENT_DIALOGS).map((t) => ({
      clientName: t.clientName,
      openedAt: formatTime(t.openedAt),
      minutes: t.closedAt === null ? null : Math.round((t.closedAt - t.openedAt) / 60_000),
    })),
    available: agent.isAvailable,
    online: isOnline(agent, now, windowMs),
    inDialogWith: client ? client.name ?? client.fullName : null,
    queueLength: store.queueLength(),
  };
}
