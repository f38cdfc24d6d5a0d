/**
 * Closing a ticket, whoever closes it (the agent, the client, or the desk itself when the
 * client left, was banned or became an agent): both sides are told, an answered ticket asks
 * the client for a rating, and the agent is freed for the next waiting client.
 *
 * @module
 */
import type { FoldSummaryJob } from "../outbox/calls.ts";
import type { ClosedBy, Ticket, User } from "../store/mod.ts";
import { closedInTeam } from "./team/take.ts";
import { type Texts, ticketNumber } from "../texts/mod.ts";
import { type DeskContext, nameOf } from "./context.ts";
import { ratingButtons } from "./keyboards.ts";
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

/** Why a ticket closes, which decides what each side is told. */
export type CloseReason = "agent" | "client" | "left" | "banned";

/**
 * Closes a ticket; the client and the agent are told according to `why`, the client is
 * asked to rate an answered ticket, and the agent is freed and takes the next client.
 */
export function closeTicket(
  ctx: DeskContext,
  ticket: Ticket,
  by: ClosedBy,
  why: CloseReason,
  closer?: User,
) {
  const { store, now } = ctx;
  store.closeTicket(ticket.id, now, by);
  const client = ctx.user(ticket.clientId);
  const number = ticketNumber(ticket.id);
  if (client.currentTicketId === ticket.id) store.setCurrentTicket(client.userId, null);
  if (why === "agent" || why === "client") {
    const rate = ticket.agentId !== null && client.bannedAt === null;
    const closed = (t: Texts) =>
      why === "agent" ? t.ticketClosed(number) : t.closedByClient(number);
    ctx.say(
      client,
      (t) => rate ? `${closed(t)}\n\n${t.rateAsk}` : closed(t),
      rate ? ratingButtons(ticket.id) : undefined,
    );
  }
  // Team mode: the topic says who closed it, and is closed.
  if (ctx.config.team !== null) return closedInTeam(ctx, ticket, why, closer);
  if (ticket.agentId === null) return;
  // What still waits to carry this ticket's messages to the agent is not sent after the close
  // (a flood, a ban): it is in the history, and the agent is told how much.
  const unsent = store.cancelRelayed(ticket.id, ticket.agentId, "ticket closed", now) +
    foldedUnreported(ctx, ticket.id, ticket.agentId);
  store.endAgentDialog(ticket.agentId, now);
  const agent = ctx.user(ticket.agentId);
  const name = nameOf(client);
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
