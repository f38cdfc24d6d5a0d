/**
 * Reactions, both ways: a reaction by the agent on a relayed message appears on the client's
 * original, and the other way round; removing it removes it. As with edits, only between a
 * ticket's client and its current agent while the ticket is open. The bot may set one
 * reaction per message: the first of the user's is mirrored. On a client's message the
 * agent's reaction takes the place of the receipt (`RECEIPT_REACTION`), which comes back when
 * the agent takes theirs off.
 *
 * @module
 */
import { react } from "../outbox/builders.ts";
import type { ReactionEmoji } from "../rules/reaction_emoji.ts";
import type { User } from "../store/mod.ts";
import type { DeskContext } from "./context.ts";
import { reactedInTeam } from "./team/copies.ts";

/** A reaction changed on a message of a user's chat with the bot. */
export interface Reaction {
  /** The message, in the user's chat. */
  readonly chatMessageId: number;
  /** The reaction now, or `null` when it was removed (or is none the bot may set). */
  readonly emoji: ReactionEmoji | null;
}

/** A user's reaction changed: the other side's counterpart of the message gets it too. */
export function reacted(ctx: DeskContext, user: User, reaction: Reaction): void {
  if (user.bannedAt !== null) return;
  if (ctx.config.team !== null) return reactedInTeam(ctx, user, user.userId, reaction);
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
  ctx.send(other, react(other, target, emoji));
}
