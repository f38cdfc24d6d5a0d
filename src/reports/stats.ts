/**
 * Figures for `/stats`: an agent's own, and the whole team's for admins, with response
 * metrics (first response, resolution) and ratings.
 *
 * @module
 */
import { type Language, LOCALES } from "../texts/types.ts";
import { agentState, isOnline } from "../rules/matchmaking.ts";
import { formatDuration, summarize } from "./metrics.ts";
import { nameOf, type Store, type TicketTimes, type User } from "../store/mod.ts";
import type { MetricsView, QualityView, StatsView, TeamStatsView } from "../texts/mod.ts";
import { formatTime, startOfLocalDay } from "../base/time.ts";

const DAY_MS = 24 * 3600_000;
/** How many recent dialogs `/stats` lists. */
export const RECENT_DIALOGS = 5;
/** How many agents the team's `/stats` lists. */
export const TEAM_LINES = 20;

/** Response metrics of tickets opened since `since`, out of `times` (opened since earlier). */
export function metricsView(
  times: readonly TicketTimes[],
  since: number,
  language: Language,
): MetricsView {
  const inPeriod = times.filter((t) => t.openedAt >= since);
  const first = summarize(
    inPeriod.flatMap((t) => t.firstResponseAt === null ? [] : [t.firstResponseAt - t.openedAt]),
  );
  const resolution = summarize(
    inPeriod.flatMap((t) => t.closedAt === null ? [] : [t.closedAt - t.openedAt]),
  );
  return {
    tickets: inPeriod.length,
    firstResponseMedian: formatDuration(first.medianMs, language),
    firstResponseP90: formatDuration(first.p90Ms, language),
    resolutionMedian: formatDuration(resolution.medianMs, language),
    resolutionP90: formatDuration(resolution.p90Ms, language),
  };
}

/** A rating average as shown: one decimal, as the reader writes it (`4,5`, `4.5`). */
function formatRating(value: number | null, language: Language): string | null {
  return value === null ? null : new Intl.NumberFormat(LOCALES[language], {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(value);
}

/** Response metrics for today, 7 and 30 days, and ratings, of an agent or (`null`) the team. */
export function qualityView(
  store: Store,
  agentId: number | null,
  now: number,
  timeZone: string,
  language: Language,
): QualityView {
  const since30 = now - 30 * DAY_MS;
  const times = store.ticketTimes(agentId, since30);
  const ratings = store.ratings(agentId, since30);
  return {
    today: metricsView(times, startOfLocalDay(now, timeZone), language),
    days7: metricsView(times, now - 7 * DAY_MS, language),
    days30: metricsView(times, since30, language),
    csatAverage: formatRating(ratings.average, language),
    csatCount: ratings.count,
  };
}

/** Builds the `/stats` view of an agent at `now`. */
export function agentStats(
  store: Store,
  agent: User,
  now: number,
  windowMs: number,
  timeZone: string,
  language: Language,
): StatsView {
  const counts = store.agentCounts(
    agent.userId,
    startOfLocalDay(now, timeZone),
    now - 7 * DAY_MS,
  );
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
      openedAt: formatTime(t.openedAt, timeZone),
      minutes: t.closedAt === null ? null : Math.round((t.closedAt - t.openedAt) / 60_000),
    })),
    available: agent.isAvailable,
    online: isOnline(agent, now, windowMs),
    inDialogWith: client ? nameOf(client) : null,
    queueLength: store.queueLength(),
    quality: qualityView(store, agent.userId, now, timeZone, language),
  };
}

/** Builds an admin's `/stats` view of the whole team at `now`. */
export function teamStats(
  store: Store,
  now: number,
  timeZone: string,
  language: Language,
): TeamStatsView {
  const summary = store.agentsSummary();
  const since30 = now - 30 * DAY_MS;
  const lines = store.teamAgents(since30, TEAM_LINES).map((a) => {
    const times = store.ticketTimes(a.userId, since30);
    const first = summarize(
      times.flatMap((t) => t.firstResponseAt === null ? [] : [t.firstResponseAt - t.openedAt]),
    );
    const state = agentState(a);
    return {
      name: a.name,
      tickets30: a.tickets,
      firstResponseMedian: formatDuration(first.medianMs, language),
      csatAverage: formatRating(a.ratingAverage, language),
      state,
    };
  });
  return {
    agents: summary.total,
    agentsAvailable: summary.available,
    agentsBusy: summary.busy,
    queueLength: store.queueLength(),
    openTickets: store.openTickets(),
    parkedUpdates: store.parkedCount(),
    quality: qualityView(store, null, now, timeZone, language),
    lines,
    more: Math.max(0, summary.total - lines.length),
  };
}
