/**
 * Matchmaking: which free agent takes a client. Pure functions of the agents' state; no
 * Telegram, no database.
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
}

/** An agent can take a client when marked available and not in a dialog. */
export function isFree(agent: AgentState): boolean {
  return agent.isAvailable && agent.currentTicketId === null;
}

/** What an agent is doing, as admins see it: in a dialog, free to take one, or away. */
export function agentState(
  agent: Pick<AgentState, "isAvailable" | "currentTicketId">,
): "busy" | "available" | "away" {
  if (agent.currentTicketId !== null) return "busy";
  return agent.isAvailable ? "available" : "away";
}

/** Whether the agent was seen within `windowMs` before `now`. */
export function isOnline(agent: AgentState, now: number, windowMs: number): boolean {
  return agent.lastOnline !== null && now - agent.lastOnline <= windowMs;
}

/**
 * Orders agents best first, in the seed's order: online within the window before the
 * others; then whose last dialog ended longest ago (never had one: first); then seen most
 * recently; then the lower user id, so the order is total and stable.
 */
export function compareAgents(now: number, windowMs: number) {
  return (a: AgentState, b: AgentState): number => {
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
 * Picks the agent who takes the next client, or `undefined` when nobody is free. Agents
 * who are not available, or are in a dialog, are never picked.
 */
export function pickAgent<A extends AgentState>(
  agents: readonly A[],
  now: number,
  windowMs: number,
): A | undefined {
  const compare = compareAgents(now, windowMs);
  let best: A | undefined;
  for (const agent of agents) {
    if (isFree(agent) && (best === undefined || compare(agent, best) < 0)) best = agent;
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
