/**
 * What the desk does when the outbox reports back: a chat Telegram refuses for good (403:
 * blocked, or the account is gone), one delivery refused for good (any other 4xx, or retries
 * ran out), and stored messages that reached the other side (read receipts, and the next step
 * of a flood's digest, `folding.ts`).
 *
 * @module
 */
import type { AlbumJob, Copy } from "../outbox/calls.ts";
import type { Delivery, Message } from "../store/mod.ts";
import { react, sendText } from "../outbox/builders.ts";
import { messageKind, texts } from "../texts/mod.ts";
import type { DeskContext } from "./context.ts";
import { closeTicket } from "./tickets.ts";
import { digestRejected, digestShown } from "./folding.ts";

/**
 * Telegram refused a chat for good. For an agent's chat the staff side decides (in private
 * mode they are made unavailable and their client moves on); a client's ticket is closed and
 * staff told why.
 */
export function chatUnreachable(
  ctx: DeskContext,
  delivery: { readonly id: number; readonly chatId: number },
  reason: string,
): void {
  const { store, now } = ctx;
  const chatId = delivery.chatId;
  store.markDelivery(delivery.id, "failed", reason, now);
  store.cancelPendingTo(chatId, reason, now);
  const user = store.getUser(chatId);
  if (!user) return;
  if (user.isAgent) return ctx.channel.staff.agentUnreachable(ctx, user);
  const ticket = ctx.ticketOf(user);
  if (ticket) closeTicket(ctx, ticket, "system", "left");
}

/**
 * Telegram refused one delivery for good. When it carried a relayed message (or an album),
 * its sender is told (in reply to it, or to the album's first part); the dialog goes on.
 */
export function deliveryRejected(ctx: DeskContext, delivery: Delivery, reason: string): void {
  const { store } = ctx;
  store.markDelivery(delivery.id, "failed", reason, ctx.now);
  if (delivery.method === "foldSummary") return digestRejected(ctx, delivery);
  const m = delivery.method === "sendAlbum"
    ? albumStart(ctx, delivery.params)
    : delivery.messageId !== null
    ? store.getMessage(delivery.messageId)
    : undefined;
  // An agent's message shown where they answer (a saved reply, see `setCopy`) is not what
  // the client was to get: the agent has nothing to send again.
  if (!m || (m.senderRole === "agent" && delivery.chatId !== m.clientId)) return;
  const sender = ctx.user(m.senderId);
  // Where it was written: the sender's chat, or (team mode) the staff group, in its language.
  const chat = m.sourceChatId ?? sender.userId;
  const t = texts(m.sourceChatId !== null ? ctx.config.defaultLanguage : sender.language);
  const text = t.notDelivered(delivery.method === "sendAlbum" ? "album" : messageKind(m.kind));
  const replyTo = m.chatMessageId > 0 ? m.chatMessageId : null;
  ctx.send(chat, sendText(chat, text, { replyTo }));
}

/** The first part of the album a `sendAlbum` delivery carries, not carried across yet. */
function albumStart(ctx: DeskContext, params: string): Message | undefined {
  const album = JSON.parse(params) as Pick<AlbumJob, "ticket_id" | "media_group_id">;
  return ctx.store.albumParts(album.ticket_id, album.media_group_id)[0];
}

/**
 * Stored messages reached the other side. With `RECEIPT_REACTION` set, each client message
 * that reached its agent gets that reaction in the client's chat: a receipt that adds no
 * message. A step of a digest is followed by the next, if anything is left to show.
 */
export function delivered(ctx: DeskContext, delivery: Delivery, copies: readonly Copy[]): void {
  if (delivery.method === "foldSummary") digestShown(ctx, delivery, copies);
  const emoji = ctx.config.receiptReaction;
  if (emoji === null) return;
  for (const copy of copies) {
    for (const id of [copy.messageId, ...(copy.merged ?? [])]) {
      const m = ctx.store.getMessage(id);
      if (!m || m.senderRole !== "client" || m.chatMessageId <= 0) continue;
      ctx.send(m.clientId, react(m.clientId, m.chatMessageId, emoji));
    }
  }
}
