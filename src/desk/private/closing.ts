/**
 * Private mode's side of a closed ticket: what still waits to carry the ticket's messages to
 * the agent is cancelled (it is in the history, and the agent is told how much), the agent is
 * told who closed it, and is freed for the next waiting client.
 *
 * @module
 */
import type { FoldSummaryJob } from "../../outbox/calls.ts";
import type { Ticket, User } from "../../store/mod.ts";
import { ticketNumber } from "../../texts/mod.ts";
import type { CloseReason } from "../channel.ts";
import { type DeskContext, nameOf } from "../context.ts";
import { agentFreed } from "./queue.ts";

/**
 * The folded messages of a ticket its agent has not been told of yet: the summary that waits
 * to tell them is cancelled, and its count is told with the close instead.
 */
function foldedUnreported(ctx: DeskContext, ticketId: number, agentId: number): number {
  let folded = 0;
  for (const summary of ctx.store.pendingOf(agentId, "foldSummary")) {
    const params: Partial<FoldSummaryJob> = JSON.parse(summary.params);
    if (params.ticket_id !== ticketId || params.from_message_id === undefined) continue;
    if (!ctx.store.cancelDelivery(summary.id, "ticket closed", ctx.now)) continue;
    folded += ctx.store.foldedSince(ticketId, params.from_message_id);
  }
  return folded;
}

/** The agent's side of a closed ticket. */
export function ticketClosed(
  ctx: DeskContext,
  ticket: Ticket,
  why: CloseReason,
  _closer?: User,
): void {
  const { store, now } = ctx;
  if (ticket.agentId === null) return;
  const unsent = store.cancelRelayed(ticket.id, ticket.agentId, "ticket closed", now) +
    foldedUnreported(ctx, ticket.id, ticket.agentId);
  store.endAgentDialog(ticket.agentId, now);
  const agent = ctx.user(ticket.agentId);
  const name = nameOf(ctx.user(ticket.clientId));
  const number = ticketNumber(ticket.id);
  ctx.say(agent, (t) => {
    switch (why) {
      case "agent":
        return t.endChatDone(name, number);
      case "client":
        return t.agentClientClosed(name, number);
      case "banned":
        return t.agentClientBanned(name, number);
      default:
        return t.agentClientLeft(name, number);
    }
  });
  if (unsent > 0) ctx.say(agent, (t) => t.moreInHistory(name, unsent));
  agentFreed(ctx, ticket.agentId);
}
