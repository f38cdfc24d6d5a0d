/**
 * Ratings: the client's 1–5 press under a closed ticket (once per ticket), the comment they
 * may write next (within {@link COMMENT_WINDOW_MS}), or "no comment" (its button goes once
 * the bot stops waiting for a comment). The agent is told both.
 * A ticket the desk closed itself (a ban, a client who left) was never offered for rating,
 * and a banned client's text is never a comment.
 *
 * @module
 */
import type { Ticket, User } from "../store/mod.ts";
import { stars, ticketNumber } from "../texts/mod.ts";
import { type ButtonPress, type DeskContext, nameOf } from "./context.ts";
import { skipCommentButton } from "./keyboards.ts";
import { dropPressed, dropTicketButtons } from "./stale_buttons.ts";

/** How long after rating the client's next text is taken as the rating's comment. */
export const COMMENT_WINDOW_MS = 10 * 60_000;
/** The longest comment kept. */
const COMMENT_MAX = 2000;

/** A rating button pressed. */
export function rate(
  ctx: DeskContext,
  client: User,
  press: ButtonPress,
  ticket: Ticket | undefined,
  rating: number,
): void {
  if (
    !ticket || ticket.clientId !== client.userId || ticket.status !== "closed" ||
    ticket.closedBy === "system" || ticket.agentId === null || client.bannedAt !== null ||
    !Number.isInteger(rating) || rating < 1 || rating > 5
  ) return ctx.answer(client, press, (t) => t.buttonStale);
  ctx.dropButtons(client, press);
  if (!ctx.store.rateTicket(ticket.id, rating, ctx.now)) {
    return ctx.answer(client, press, (t) => t.rateAlready);
  }
  ctx.answer(client, press);
  const shown = stars(rating);
  ctx.store.setCommentTicket(client.userId, ticket.id, ctx.now + COMMENT_WINDOW_MS);
  ctx.say(client, (t) => t.rateThanks(shown), skipCommentButton(client, ticket.id));
  // In a business chat (where `say` does not go): the thanks as the account.
  ctx.channel.client.notice(ctx, ticket, { kind: "rated", stars: shown });
  ctx.channel.staff.tellStaff(
    ctx,
    ticket,
    (t) => t.agentRated(nameOf(client), ticketNumber(ticket.id), shown),
  );
}

/**
 * A client's text after rating: the rating's comment while the bot waits for one (true: the
 * text is handled), else a new question (false). Either way the bot stops waiting.
 */
export function commentAnswered(ctx: DeskContext, client: User, text: string): boolean {
  if (client.commentTicketId === null) return false;
  ctx.store.setCommentTicket(client.userId, null, null);
  // Written or not, no comment is waited for now: "no comment" would do nothing.
  dropTicketButtons(ctx, client.commentTicketId, "skip");
  const comment = text.trim();
  if (comment === "" || (client.commentUntil ?? 0) <= ctx.now) return false;
  if (client.bannedAt !== null) return false;
  const ticket = ctx.store.getTicket(client.commentTicketId);
  // A comment on a ticket that is not the client's is dropped (the text is then handled).
  if (!ticket || ticket.clientId !== client.userId) return true;
  const kept = comment.slice(0, COMMENT_MAX);
  ctx.store.setRatingComment(ticket.id, kept);
  ctx.say(client, (t) => t.commentThanks);
  ctx.channel.client.notice(ctx, ticket, { kind: "commented" });
  if (ticket.agentId !== null) {
    ctx.channel.staff.tellStaff(
      ctx,
      ticket,
      (t) => t.agentComment(nameOf(client), ticketNumber(ticket.id), kept),
    );
  }
  return true;
}

/** "No comment" pressed: the bot stops waiting for one. */
export function skipComment(
  ctx: DeskContext,
  client: User,
  press: ButtonPress,
  ticket: Ticket | undefined,
): void {
  if (!ticket || client.commentTicketId !== ticket.id) {
    return ctx.answer(client, press, (t) => t.buttonStale);
  }
  ctx.store.setCommentTicket(client.userId, null, null);
  ctx.answer(client, press);
  dropPressed(ctx, client.userId, press);
  dropTicketButtons(ctx, ticket.id, "skip");
  ctx.say(client, (t) => t.commentSkipped);
}
