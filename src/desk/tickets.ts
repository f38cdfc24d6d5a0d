/**
 * Closing a ticket, whoever closes it (the agent, the client, or the desk itself when the
 * client left, was banned or became an agent): both sides are told, an answered ticket asks
 * the client for a rating, its close buttons go (they no longer work), and the staff side does
 * its part (an agent freed for the next waiting client, a topic closed).
 *
 * @module
 */
import type { ClosedBy, Ticket, User } from "../store/mod.ts";
import { type Texts, ticketNumber } from "../texts/mod.ts";
import type { CloseReason } from "./channel.ts";
import type { DeskContext } from "./context.ts";
import { ratingButtons } from "./keyboards.ts";
import { dropTicketButtons } from "./stale_buttons.ts";

export type { CloseReason } from "./channel.ts";

/**
 * Closes a ticket; the client is told according to `why` and asked to rate an answered
 * ticket; then the staff side's part (`ctx.channel.staff.ticketClosed`).
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
  dropTicketButtons(ctx, ticket.id, "close");
  if (why === "agent" || why === "client") {
    const rate = ticket.agentId !== null && client.bannedAt === null;
    const closed = (t: Texts) =>
      why === "agent" ? t.ticketClosed(number) : t.closedByClient(number);
    ctx.say(
      client,
      (t) => rate ? `${closed(t)}\n\n${t.rateAsk}` : closed(t),
      rate ? ratingButtons(ticket.id) : undefined,
    );
    ctx.channel.client.notice(ctx, ticket, { kind: "closed", rate });
  }
  ctx.channel.staff.ticketClosed(ctx, ticket, why, closer);
}
