/**
 * Matchmaking: which free agent takes a client. Pure functions of the agents' state; no
 * Telegram, no database.
 *
 * The order, best first ({@link compareFor}), written once here:
 *
 * 1. **department**: an agent of the ticket's department, then one in no department (who
 *    serves all; not for a department with a staff group of its own); an agent only of other
 *    departments never takes it;
 * 2. **language**: an agent who speaks the client's language, then the others (left out
 *    while the client may still wait for a speaker: {@link Needs.onlySpeakers});
 * 3. **returning client**: the agent who served the client last;
 * 4. **the seed's order** ({@link compareAgents}): online, whose last dialog ended longest
 *    ago, seen last, the lower id.
 *
 * The store finds the same agent through an index (`Store.pickFreeAgent`), which
 * tests/matchmaking_sql_test.ts holds equal to {@link pickAgent}.
 *
 * @module
 */

/** What matchmaking needs to know about an agent. */
export interface AgentState {
  readonly userId: number;
  /** The agent's "available" flag. */
  readonly isAvailable: boolean;
  /** The ticket the agent is in, if any. */
  readonly currentTicketId: number | null;
  /** When the agent was last seen (ms since epoch), if ever. */
  readonly lastOnline: number | null;
  /** When the agent's last dialog ended (ms since epoch); `null` if never. */
  readonly lastDialogEndedAt: number | null;
  /** The languages the agent speaks (their Telegram app's, unless they set them). */
  readonly languages: readonly string[];
  /** The departments the agent works in; none: the agent serves all. */
  readonly departments: readonly string[];
}

/** What a ticket asks of the agent who takes it. */
export interface Needs {
  /** The client's language; `null`: any agent will do. */
  readonly language: string | null;
  /** The ticket's department; `null`: none (any agent may take it, all alike). */
  readonly department: string | null;
  /** The agent who served the client last (a returning client); `null`: none, or not used. */
  readonly lastAgentId: number | null;
  /** Only agents who speak the client's language may take it (the client still waits). */
  readonly onlySpeakers: boolean;
  /**
   * Only the department's own agents may take it, not those in none (its tickets live in a
   * staff group of its own, whose members are its agents).
   */
  readonly ownAgentsOnly?: boolean;
}

/** A ticket that asks nothing: the seed's order alone. */
export const ANY_NEEDS: Needs = {
  language: null,
  department: null,
  lastAgentId: null,
  onlySpeakers: false,
};

/** An agent can take a client when marked available and not in a dialog. */
export function isFree(agent: Pick<AgentState, "isAvailable" | "currentTicketId">): boolean {
  return agent.isAvailable && agent.currentTicketId === null;
}

/** What an agent is doing, as admins see it: in a dialog, free to take one, or away. */
export function agentState(
  agent: Pick<AgentState, "isAvailable" | "currentTicketId">,
): "busy" | "available" | "away" {
  if (agent.currentTicketId !== null) return "busy";
  return agent.isAvailable ? "available" : "away";
}

/**
 * How stale an agent's stored "last seen" may grow while they write before it is written
 * again: each of their messages rewrote the agents' row and its place in the pick index
 * (two of the pages a relayed message writes; issue 26). Small against the online window.
 */
export const SEEN_STEP_MS = 10_000;

/** Whether an agent's "last seen" is worth writing again at `now` (see {@link SEEN_STEP_MS}). */
export function seenAgain(lastOnline: number | null, now: number): boolean {
  return lastOnline === null || now - lastOnline >= SEEN_STEP_MS || now < lastOnline;
}

/** Whether the agent was seen within `windowMs` before `now`. */
export function isOnline(
  agent: Pick<AgentState, "lastOnline">,
  now: number,
  windowMs: number,
): boolean {
  return agent.lastOnline !== null && now - agent.lastOnline <= windowMs;
}

/**
 * Where an agent stands for a department: 0 its own agent (or any agent, for a ticket in no
 * department), 1 an agent in no department (who serves all), 2 never (only other departments).
 */
export function departmentRank(
  agent: Pick<AgentState, "departments">,
  department: string | null,
): 0 | 1 | 2 {
  if (department === null || agent.departments.includes(department)) return 0;
  return agent.departments.length === 0 ? 1 : 2;
}

/** Whether the agent speaks `language` (any agent "speaks" `null`: no preference). */
export function speaks(agent: Pick<AgentState, "languages">, language: string | null): boolean {
  return language === null || agent.languages.includes(language);
}

/**
 * Whether a ticket with these needs may go to the agent at all: free, of its department (or
 * of none), and speaking the client's language while the client waits for a speaker.
 */
export function mayServe(agent: AgentState, needs: Needs): boolean {
  return isFree(agent) && departmentRank(agent, needs.department) < (needs.ownAgentsOnly ? 1 : 2) &&
    (!needs.onlySpeakers || speaks(agent, needs.language));
}

/**
 * Orders agents best first, in the seed's order: online within the window before the
 * others; then whose last dialog ended longest ago (never had one: first); then seen most
 * recently; then the lower user id, so the order is total and stable.
 */
export function compareAgents(now: number, windowMs: number) {
  type Seed = Pick<AgentState, "userId" | "lastOnline" | "lastDialogEndedAt">;
  return (a: Seed, b: Seed): number => {
    const online = Number(isOnline(b, now, windowMs)) - Number(isOnline(a, now, windowMs));
    if (online !== 0) return online;
    const ended = (a.lastDialogEndedAt ?? -Infinity) - (b.lastDialogEndedAt ?? -Infinity);
    if (ended !== 0 && !Number.isNaN(ended)) return ended;
    const seen = (b.lastOnline ?? -Infinity) - (a.lastOnline ?? -Infinity);
    if (seen !== 0 && !Number.isNaN(seen)) return seen;
    return a.userId - b.userId;
  };
}

/**
 * Orders agents best first for a ticket with `needs`: department, then language, then the
 * client's last agent, then the seed's order ({@link compareAgents}). See the module's top.
 */
export function compareFor(needs: Needs, now: number, windowMs: number) {
  const seed = compareAgents(now, windowMs);
  return (a: AgentState, b: AgentState): number => {
    const department = departmentRank(a, needs.department) - departmentRank(b, needs.department);
    if (department !== 0) return department;
    const language = Number(speaks(b, needs.language)) - Number(speaks(a, needs.language));
    if (language !== 0) return language;
    const last = Number(b.userId === needs.lastAgentId) - Number(a.userId === needs.lastAgentId);
    if (last !== 0) return last;
    return seed(a, b);
  };
}

/**
 * Picks the agent who takes a ticket with `needs` (by default none: the seed's order alone),
 * or `undefined` when nobody may. Agents who are not available, are in a dialog, or may not
 * serve it ({@link mayServe}) are never picked.
 */
export function pickAgent<A extends AgentState>(
  agents: readonly A[],
  now: number,
  windowMs: number,
  needs: Needs = ANY_NEEDS,
): A | undefined {
  const compare = compareFor(needs, now, windowMs);
  let best: A | undefined;
  for (const agent of agents) {
    if (mayServe(agent, needs) && (best === undefined || compare(agent, best) < 0)) best = agent;
  }
  return best;
}

/** What the queue needs to know about a waiting ticket. */
export interface QueuedTicket {
  readonly id: number;
  readonly openedAt: number;
}

/** Queue order: the ticket opened first goes first; the lower id breaks ties. */
export function compareQueued(a: QueuedTicket, b: QueuedTicket): number {
  return a.openedAt - b.openedAt || a.id - b.id;
}

/** The 1-based place of `ticketId` in the queue, or 0 when it is not queued. */
export function queuePosition(queue: readonly QueuedTicket[], ticketId: number): number {
  const sorted = [...queue].sort(compareQueued);
  return sorted.findIndex((t) => t.id === ticketId) + 1;
}
