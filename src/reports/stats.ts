/**
 * Figures for `/stats`: an agent's own, and the whole team's for admins, with the response
 * times and ratings of the last 30 days. The texts put the lengths of time in words; the
 * picture that goes with them is `chart.ts`'s.
 *
 * @module
 */
import { type Language, LOCALES } from "../texts/types.ts";
import { agentState, isOnline } from "../rules/matchmaking.ts";
import { formatDuration, summarize } from "./metrics.ts";
import { nameOf, type Store, type TicketTimes, type User } from "../store/mod.ts";
import type {
  MetricsView,
  QualityView,
  ResponseView,
  StatsView,
  TeamStatsView,
} from "../texts/mod.ts";
import { startOfLocalDay } from "../base/time.ts";

const DAY_MS = 24 * 3600_000;
/** How many recent dialogs `/stats` lists. */
export const RECENT_DIALOGS = 3;
/** How many agents the team's `/stats` lists (the rest are counted). */
export const TEAM_LINES = 10;

const firstResponses = (times: readonly TicketTimes[]) =>
  times.flatMap((t) => t.firstResponseAt === null ? [] : [t.firstResponseAt - t.openedAt]);
const resolutions = (times: readonly TicketTimes[]) =>
  times.flatMap((t) => t.closedAt === null ? [] : [t.closedAt - t.openedAt]);

/** Response times of the tickets opened since `since`, out of `times` (opened since earlier). */
export function responseView(times: readonly TicketTimes[], since: number): ResponseView {
  const inPeriod = times.filter((t) => t.openedAt >= since);
  const first = summarize(firstResponses(inPeriod));
  return {
    tickets: inPeriod.length,
    answered: first.count,
    firstResponseMs: first.medianMs,
    firstResponse9in10Ms: first.p90Ms,
    resolutionMs: summarize(resolutions(inPeriod)).medianMs,
  };
}

/** Today's response metrics, formatted as team mode's board shows them. */
export function todayMetrics(
  store: Pick<Store, "ticketTimes">,
  now: number,
  timeZone: string,
  language: Language,
): MetricsView {
  const times = store.ticketTimes(null, startOfLocalDay(now, timeZone));
  const first = summarize(firstResponses(times));
  const resolution = summarize(resolutions(times));
  return {
    tickets: times.length,
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

/** Response times and ratings of the last 30 days, of an agent or (`null`) the team. */
export function qualityView(
  store: Store,
  agentId: number | null,
  now: number,
  language: Language,
): QualityView {
  const since30 = now - 30 * DAY_MS;
  const ratings = store.ratings(agentId, since30);
  return {
    days30: responseView(store.ticketTimes(agentId, since30), since30),
    csatAverage: formatRating(ratings.average, language),
    csatCount: ratings.count,
  };
}

/** When a dialog began, short: `1 нояб., 10:00`, `1 Nov, 10:00`. */
function shortTime(ms: number, timeZone: string, language: Language): string {
  return new Intl.DateTimeFormat(LOCALES[language], {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(ms);
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
      openedAt: shortTime(t.openedAt, timeZone, language),
      lastedMs: t.closedAt === null ? null : Math.max(0, t.closedAt - t.openedAt),
    })),
    available: agent.isAvailable,
    online: isOnline(agent, now, windowMs),
    inDialogWith: client ? nameOf(client) : null,
    queueLength: store.queueLength(),
    quality: qualityView(store, agent.userId, now, language),
  };
}

/** Builds an admin's `/stats` view of the whole team at `now`. */
export function teamStats(store: Store, now: number, language: Language): TeamStatsView {
  const states = store.agentStates();
  const since30 = now - 30 * DAY_MS;
  const lines = store.teamAgents(since30, TEAM_LINES).map((a) => ({
    name: a.name,
    tickets30: a.tickets,
    firstResponseMs: summarize(firstResponses(store.ticketTimes(a.userId, since30))).medianMs,
    csatAverage: formatRating(a.ratingAverage, language),
    state: agentState(a),
  }));
  return {
    agents: states.total,
    agentsAvailable: states.available,
    agentsBusy: states.busy,
    agentsAway: states.away,
    queueLength: store.queueLength(),
    openTickets: store.openTickets(),
    parkedUpdates: store.parkedCount(),
    quality: qualityView(store, null, now, language),
    lines,
    more: Math.max(0, states.total - lines.length),
  };
}
