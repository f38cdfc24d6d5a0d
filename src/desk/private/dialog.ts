/**
 * Private mode's dialog: a client's message goes to their agent's private chat at once,
 * signed with the client's name, or waits in the queue (outside business hours, the client is
 * told when the desk opens); an agent's message goes to their client. A client who writes
 * faster than `CLIENT_RELAY_PER_MINUTE` has the rest folded: kept, and shown to the agent a
 * minute later in a digest, merged, signed with the client's name (`../folding.ts`). Edits
 * and reactions are mirrored between the two while the dialog lasts.
 *
 * @module
 */
import { react } from "../../outbox/builders.ts";
import type { Message, Ticket, User } from "../../store/mod.ts";
import type { DeskContext, Incoming } from "../context.ts";
import { offlineText } from "../hours.ts";
import { idInChat, joinAlbum, relayAlbum, replyTarget, saveMessage } from "../messages.ts";
import { type Greeting, sayOpened } from "../queue.ts";
import type { Reaction } from "../reactions.ts";
import { foldMessage } from "../folding.ts";
import { tryAssign } from "./queue.ts";

/** A client's message in private mode: to their agent, or kept in the queue. */
export function clientWrote(
  ctx: DeskContext,
  client: User,
  ticket: Ticket,
  incoming: Incoming,
  greeting: Greeting | undefined,
): void {
  const { store } = ctx;
  const opened = greeting !== undefined;
  const replyTo = replyTarget(ctx, client.userId, incoming.replyTo);
  if (ticket.status === "open" && ticket.agentId !== null && client.bannedAt === null) {
    return toAgent(ctx, client, ticket, ticket.agentId, incoming, replyTo);
  }
  saveMessage(ctx, ticket, client, "client", incoming, replyTo);
  if (client.bannedAt !== null) return;
  if (!ctx.deskOpen()) {
    if (opened) sayOpened(ctx, client, ticket, greeting, (t) => offlineText(ctx, client, t));
    return;
  }
  // A ticket just opened (or one that waits): find an agent, else tell the queue place once.
  if (!tryAssign(ctx, ticket, 0, greeting) && opened) {
    const place = store.queuePosition(ticket);
    sayOpened(ctx, client, ticket, greeting, (t) => t.queued(place));
    ctx.channel.client.notice(ctx, ticket, { kind: "queued", place });
  }
}

/** A client's message in a dialog: saved and passed on to the agent, or folded in a flood. */
function toAgent(
  ctx: DeskContext,
  client: User,
  ticket: Ticket,
  agentId: number,
  incoming: Incoming,
  replyTo: Message | undefined,
): void {
  const album = incoming.content.mediaGroupId;
  // A part of an album joins the album on its way (which goes whole a moment later, see
  // messages.ts); the first part counts once towards the client's pace for all of them.
  if (album && joinAlbum(ctx, ticket, album, agentId)) {
    saveMessage(ctx, ticket, client, "client", incoming, replyTo);
    return;
  }
  if (!ctx.pace.take(ticket.id, ctx.config.clientRelayPerMinute)) {
    // A flood: not relayed on its own; the agent reads it in the digest a minute later.
    const id = saveMessage(ctx, ticket, client, "client", incoming, replyTo);
    return foldMessage(ctx, ticket, id, { chatId: agentId });
  }
  if (album) {
    saveMessage(ctx, ticket, client, "client", incoming, replyTo);
    return relayAlbum(ctx, ticket, album, agentId);
  }
  // Saved and passed on at once (the copy's layout is known before saving).
  const target = replyTo?.ticketId === ticket.id ? idInChat(replyTo, agentId) : null;
  const { call, signedInline } = ctx.channel.client.toStaff(client, incoming, agentId, {
    signed: true,
    replyTo: target,
  });
  const id = saveMessage(ctx, ticket, client, "client", incoming, replyTo, signedInline);
  ctx.send(agentId, call, id);
}

/** An agent wrote a message: it goes to their client, or they are told they have none. */
export function agentWrote(ctx: DeskContext, agent: User, incoming: Incoming): void {
  const { store } = ctx;
  const ticket = ctx.ticketOf(agent);
  if (!ticket || ticket.status !== "open") {
    return ctx.say(agent, (t) => t.agentNoDialog(store.queueLength()));
  }
  const replyTo = replyTarget(ctx, agent.userId, incoming.replyTo);
  const messageId = saveMessage(ctx, ticket, agent, "agent", incoming, replyTo);
  if (ticket.firstResponseAt === null) store.setFirstResponse(ticket.id, ctx.now);
  const album = incoming.content.mediaGroupId;
  if (album) return relayAlbum(ctx, ticket, album, ticket.clientId);
  const target = replyTo ? idInChat(replyTo, ticket.clientId) : null;
  const source = { chatId: agent.userId, messageId: incoming.chatMessageId };
  ctx.channel.client.answer(ctx, ticket, source, messageId, target, incoming.content.share);
}

/**
 * An edited message's copy is edited too, but only within the dialog as it is now: the
 * ticket open, the sender its client or its current agent, and the copy in the chat of the
 * other one. A copy an agent no longer in the dialog holds (after a transfer, a revoke) is
 * never brought up to date, and such an agent can no longer change what a client sees.
 */
export function mirrorEdit(ctx: DeskContext, user: User, m: Message): void {
  const chat = mirrorChat(ctx, user, m);
  if (chat === null) return;
  if (chat === m.clientId) return ctx.channel.client.mirrorEdit(ctx, chat, m.id);
  ctx.send(chat, { method: "editCopy", params: { chat_id: chat, message_id: m.id } });
}

/**
 * The chat whose copy of `m` an edit by `user` brings up to date, or `null` when none may be.
 * The copy is where it was made (a message not passed on yet has none, and goes out in its
 * new version); it is edited only when that is the other side of the ticket's dialog now.
 */
function mirrorChat(ctx: DeskContext, user: User, m: Message): number | null {
  if (user.bannedAt !== null) return null;
  const ticket = ctx.store.getTicket(m.ticketId);
  if (!ticket || ticket.status !== "open" || ticket.agentId === null) return null;
  const other = m.senderRole === "client" ? ticket.agentId : ticket.clientId;
  const inDialog = m.senderRole === "client"
    ? ticket.clientId === user.userId
    : ticket.agentId === user.userId && user.isAgent;
  const chat = m.copyChatId ?? (m.senderRole === "client" ? m.agentId : m.clientId);
  return inDialog && chat === other ? chat : null;
}

/**
 * Reactions, both ways: a reaction by the agent on a relayed message appears on the client's
 * original, and the other way round; removing it removes it. As with edits, only between a
 * ticket's client and its current agent while the ticket is open. On a client's message the
 * agent's reaction takes the place of the receipt (`RECEIPT_REACTION`), which comes back when
 * the agent takes theirs off.
 */
export function reacted(ctx: DeskContext, user: User, reaction: Reaction): void {
  const m = ctx.store.messageInChat(user.userId, reaction.chatMessageId);
  if (!m) return;
  const ticket = ctx.store.getTicket(m.ticketId);
  if (!ticket || ticket.status !== "open" || ticket.agentId === null) return;
  const other = user.userId === ticket.clientId
    ? ticket.agentId
    : user.userId === ticket.agentId && user.isAgent
    ? ticket.clientId
    : null;
  if (other === null) return;
  // The user's own message: its copy on the other side. A copy in the user's chat: the
  // original, in the chat of whoever wrote it.
  const own = m.senderId === user.userId && m.chatMessageId === reaction.chatMessageId;
  const target = own
    ? (m.copyChatId === other ? m.copyMessageId : null)
    : (m.senderId === other && m.chatMessageId > 0 ? m.chatMessageId : null);
  if (target === null) return;
  // The agent took their reaction off a client's message: the receipt, if any, comes back.
  const onClientsOwn = !own && other === ticket.clientId;
  const emoji = reaction.emoji ?? (onClientsOwn ? ctx.config.receiptReaction : null);
  if (other === ticket.clientId) return ctx.channel.client.react(ctx, other, target, emoji);
  ctx.send(other, react(other, target, emoji));
}
