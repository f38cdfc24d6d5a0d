/**
 * Private mode's queue: a ticket goes to the best free agent for it (`../routing.ts`: its
 * department, the client's language, the client's last agent, then the seed's order), or waits; an
 * agent who becomes free takes the oldest waiting ticket they may take; an agent who is taken off
 * a ticket hands their client on. Assignment tells the agent who the client is and passes on
 * everything the client wrote while waiting.
 *
 * @module
 */
import type { Ticket, User } from "../../store/mod.ts";
import { ticketNumber } from "../../texts/mod.ts";
import { type DeskContext, nameOf } from "../context.ts";
import { closeButton } from "../keyboards.ts";
import { relayWaiting } from "../messages.ts";
import { greeted, type Greeting } from "../queue.ts";
import { nextTicketFor, pickFor } from "../routing.ts";
import { suggest } from "../suggestions.ts";

/** Queued tickets looked at in one drain of the queue. */
const DRAIN_PAGE = 200;

/**
 * Gives the ticket to the best free agent (not `except`), if there is one; `greeting` when it
 * was just opened.
 */
export function tryAssign(
  ctx: DeskContext,
  ticket: Ticket,
  except = 0,
  greeting?: Greeting,
): boolean {
  if (!ctx.deskOpen()) return false;
  const agent = pickFor(ctx, ticket, except);
  if (!agent) return false;
  assign(ctx, ticket, ctx.user(agent.userId), greeting);
  return true;
}

/** Binds ticket and agent; the agent gets the client's name and all the client wrote. */
function assign(ctx: DeskContext, ticket: Ticket, agent: User, greeting?: Greeting): void {
  const { store } = ctx;
  // All the client wrote in this ticket follows the notice; the notice counts those after the
  // first, so a client who wrote once (an agent was free at once) is told of no backlog.
  const waiting = store.clientMessagesOfTicket(ticket.id);
  store.assignTicket(ticket.id, agent.userId, ctx.now);
  store.setCurrentTicket(agent.userId, ticket.id);
  const client = ctx.user(ticket.clientId);
  const previous = ticket.previousTicketId ? ticketNumber(ticket.previousTicketId) : null;
  const number = ticketNumber(ticket.id);
  ctx.say(
    agent,
    (t) => t.agentNewClient(nameOf(client), number, Math.max(0, waiting.length - 1), previous),
  );
  for (const m of waiting) relayWaiting(ctx, client, agent.userId, m);
  // A ticket taken from the queue: the articles that may answer its first message (one just
  // opened gets them from its opening, `conversation.ts`).
  if (greeting === undefined && waiting.length > 0) {
    suggest(ctx, store.getTicket(ticket.id)!, waiting[0].text);
  }
  ctx.say(client, (t) => greeted(t, greeting, t.connected(number)), closeButton(client, ticket.id));
}

/** An agent became free: the oldest queued ticket (but `except`) they may take goes to them. */
export function agentFreed(ctx: DeskContext, agentId: number, except = 0): void {
  const agent = ctx.user(agentId);
  if (!agent.isAgent || !agent.isAvailable || agent.currentTicketId !== null) return;
  if (!ctx.deskOpen()) return;
  const next = nextTicketFor(ctx, agent, except);
  if (next) assign(ctx, next, agent);
}

/**
 * An agent was taken off their ticket (now back in the queue): the client is told and goes to
 * another agent, or waits. Returns who took it, if anyone.
 */
export function agentLost(ctx: DeskContext, agent: User, ticket: Ticket): User | undefined {
  const { store } = ctx;
  const client = ctx.user(ticket.clientId);
  ctx.say(client, (t) => t.clientMoved);
  const requeued = store.getTicket(ticket.id)!;
  if (!tryAssign(ctx, requeued, agent.userId)) {
    ctx.say(client, (t) => t.queued(store.queuePosition(requeued)));
    return undefined;
  }
  return ctx.user(store.getTicket(ticket.id)!.agentId!);
}

/**
 * Hands waiting tickets, oldest first, to the free agents fit for each, while the desk is open
 * (run now and then): a ticket nobody may take yet (its department's agents busy, its client
 * waiting for their language) lets the next one go ahead.
 */
export function drainQueue(ctx: DeskContext): void {
  if (!ctx.deskOpen()) return;
  for (const ticket of ctx.store.queuedTickets(DRAIN_PAGE)) {
    if (ctx.store.pickFreeAgent(ctx.now, ctx.config.onlineWindowMs) === undefined) return;
    const agent = pickFor(ctx, ticket);
    if (agent) assign(ctx, ticket, ctx.user(agent.userId));
  }
}
