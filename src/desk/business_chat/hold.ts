/**
 * Never as the bot, never lost: an answer to a company's client goes as the account only
 * while it may write (the connection enabled, with `can_reply`, and the client wrote in the
 * last 24 hours). Otherwise it is kept, in order, with staff told once in one line why it
 * waits, and goes when the account may write again (the connection comes back, or the client
 * writes again), unless its ticket was closed meanwhile. Once sent, Telegram's answer is
 * judged as any delivery's (429 waits, 5xx retries, a final 4xx tells the sender).
 *
 * @module
 */
import type { OutboxCall } from "../../outbox/calls.ts";
import { parseCall } from "../../outbox/calls.ts";
import type { Delivery, Ticket } from "../../store/mod.ts";
import type { BusinessBlock } from "../../texts/types.ts";
import type { DeskContext } from "../context.ts";

/**
 * Telegram's refusals that name the business connection or the chat's state, not the message:
 * the connection off or gone, no right to reply, the 24 hours, the bot unknown to the peer.
 */
const STATE_REFUSAL = /BUSINESS_|BOT_BUSINESS|business connection|PEER_USAGE/i;

/** How long after a client's last message the account may write to them. */
export const BUSINESS_WINDOW_MS = 24 * 3600_000;

/** Why the account of `connectionId` may not write to `clientId` now, or `null`: it may. */
export function blockOf(
  ctx: DeskContext,
  connectionId: string,
  clientId: number,
): BusinessBlock | null {
  const connection = ctx.store.getConnection(connectionId);
  if (!connection || !connection.isEnabled) return "off";
  if (connection.rights.can_reply !== true) return "reply";
  const last = ctx.store.lastClientAt(connectionId, clientId);
  if (last === null || ctx.now - last > BUSINESS_WINDOW_MS) return "window";
  return null;
}

/** The name staff know the account by. */
export function accountName(ctx: DeskContext, connectionId: string): string {
  return ctx.store.getConnection(connectionId)?.ownerName ?? connectionId;
}

/**
 * Sends `call` (carrying stored message `messageId`, if any) to the client of `ticket` as the
 * account (`options`: its place and time, as `ctx.send` takes them), or keeps it while the
 * account may not write (behind any answer kept before it; it goes at once when released).
 */
export function deliver(
  ctx: DeskContext,
  ticket: Ticket,
  connectionId: string,
  call: OutboxCall,
  messageId: number | null,
  options?: Parameters<DeskContext["send"]>[3],
): void {
  const clientId = ticket.clientId;
  const why = blockOf(ctx, connectionId, clientId);
  const waiting = ctx.store.heldOf(connectionId, clientId);
  if (why === null && waiting.length === 0) return ctx.send(clientId, call, messageId, options);
  if (
    call.method === "sendAlbum" &&
    waiting.some((w) => w.method === "sendAlbum" && w.params === JSON.stringify(call.params))
  ) return; // the album waits already: its parts go together
  ctx.store.hold(connectionId, clientId, ticket.id, call, messageId, ctx.now);
  // One line per wait, not one per answer.
  if (waiting.length === 0) {
    const account = accountName(ctx, connectionId);
    ctx.channel.staff.tellStaff(ctx, ticket, (t) => t.business.held(why ?? "off", account));
  }
}

/**
 * The answers kept for `clientId` of the account go now, in order, if it may write: those of
 * a ticket closed meanwhile, and answers made notes meanwhile, are given up.
 */
export function release(ctx: DeskContext, connectionId: string, clientId: number): void {
  const waiting = ctx.store.heldOf(connectionId, clientId);
  if (waiting.length === 0 || blockOf(ctx, connectionId, clientId) !== null) return;
  ctx.store.unhold(connectionId, clientId);
  let sent = 0;
  let last: Ticket | undefined;
  for (const held of waiting) {
    const ticket = ctx.store.getTicket(held.ticketId);
    if (!ticket || ticket.status === "closed") continue;
    // A team member's answer edited into a note meanwhile never reaches the client.
    const m = held.messageId === null ? undefined : ctx.store.getMessage(held.messageId);
    if (m?.internal) continue;
    const call = parseCall(held.method, held.params);
    if (call === undefined) continue;
    ctx.send(clientId, call, held.messageId);
    sent++;
    last = ticket;
  }
  if (last !== undefined) ctx.channel.staff.tellStaff(ctx, last, (t) => t.business.released(sent));
}

/** The connection changed: every client of it with answers kept gets them, if it may write. */
export function releaseAll(ctx: DeskContext, connectionId: string): void {
  for (const clientId of ctx.store.heldChats(connectionId)) release(ctx, connectionId, clientId);
}

/**
 * Telegram refused a send as the account for good. When the account may not write now (it was
 * turned off, or lost the right to reply, after the answer was written), or the refusal names
 * the connection's state (the desk has not heard of the change yet), the answer is kept as any
 * other (true), until the connection changes or the client writes again; else the refusal is
 * the delivery's own (false: judged as elsewhere).
 */
export function keptAfterRefusal(
  ctx: DeskContext,
  delivery: Delivery,
  connectionId: string,
  reason: string,
): boolean {
  const clientId = delivery.chatId;
  // The account's state as the desk knows it, or as Telegram's refusal names it (the desk may
  // not have heard yet that the owner turned the bot off).
  const why = blockOf(ctx, connectionId, clientId) ??
    (STATE_REFUSAL.test(reason) ? "refused" : null);
  if (why === null) return false;
  const call = parseCall(delivery.method, delivery.params);
  const m = delivery.messageId === null ? undefined : ctx.store.getMessage(delivery.messageId);
  const ticketId = m?.ticketId ??
    (call?.method === "sendAlbum" ? call.params.ticket_id : ctx.user(clientId).currentTicketId);
  const ticket = ticketId === null ? undefined : ctx.store.getTicket(ticketId);
  if (!call || !ticket || ticket.status === "closed") return false;
  ctx.store.markDelivery(delivery.id, "failed", `kept: ${reason}`, ctx.now);
  const waiting = ctx.store.heldOf(connectionId, clientId);
  // Ahead of what was kept at once (it was written first), after what was refused before it;
  // what was written after it and waits in the outbox follows it, so that none overtakes.
  ctx.store.hold(connectionId, clientId, ticket.id, call, delivery.messageId, ctx.now, true);
  for (const next of ctx.store.pendingAsAccount(connectionId, clientId)) {
    const later = parseCall(next.method, next.params);
    const of = next.messageId === null ? undefined : ctx.store.getMessage(next.messageId);
    const nextTicket = of?.ticketId ??
      (later?.method === "sendAlbum" ? later.params.ticket_id : ticket.id);
    if (!later || !ctx.store.cancelDelivery(next.id, "kept: the account may not write", ctx.now)) {
      continue;
    }
    ctx.store.hold(connectionId, clientId, nextTicket, later, next.messageId, ctx.now, true);
  }
  if (waiting.length === 0) {
    const account = accountName(ctx, connectionId);
    ctx.channel.staff.tellStaff(ctx, ticket, (t) => t.business.held(why, account));
  }
  return true;
}
