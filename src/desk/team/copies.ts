/**
 * Team mode's relay. A client's message is copied into their topic in the staff group as it
 * is (every kind; an album as one album; the topic is the client, so nothing is signed),
 * whoever has the ticket, and a new ticket is offered to the best free member; beyond the
 * client's pace, their messages go into the topic a minute later, merged in a digest
 * (`../folding.ts`). A member's
 * message in a client's topic goes to the client as a copy (no sender shown); the first member
 * to answer takes the ticket. A message starting with the note prefix is an internal note:
 * kept in the history, marked, never sent to the client. Edits follow on the other side.
 *
 * @module
 */
import { react } from "../../outbox/builders.ts";
import type { Message, Ticket, User } from "../../store/mod.ts";
import { ticketNumber } from "../../texts/mod.ts";
import type { DeskContext, Incoming, Reaction } from "../context.ts";
import { offlineText } from "../hours.ts";
import { foldMessage } from "../folding.ts";
import { type Greeting, sayOpened } from "../queue.ts";
import { idInChat, relayAlbum, replyTarget, saveMessage } from "../messages.ts";
import { offer, take } from "./take.ts";
import {
  groupOf,
  groupOfClient,
  isStaffGroup,
  syncTopic,
  team,
  tellThread,
  tellTopic,
  topicGroup,
  toTopic,
  type Where,
} from "./topic.ts";

/**
 * A client's message in team mode, saved and copied into their topic; a ticket just opened
 * (`greeting` given) is said in the topic and offered to a member, and the client gets the one
 * answer that says what comes next.
 */
export function clientWrote(
  ctx: DeskContext,
  client: User,
  ticket: Ticket,
  incoming: Incoming,
  greeting: Greeting | undefined,
): void {
  const opened = greeting !== undefined;
  const overPace = !incoming.content.mediaGroupId &&
    !ctx.pace.take(ticket.id, ctx.config.clientRelayPerMinute);
  copyToTopic(ctx, client, ticket, incoming, opened, overPace);
  if (!opened || client.bannedAt !== null) return;
  const open = ctx.deskOpen();
  sayOpened(
    ctx,
    client,
    ticket,
    greeting,
    (t) => open ? t.team.clientQueued : offlineText(ctx, client, t),
  );
  if (open) ctx.channel.client.notice(ctx, ticket, { kind: "queued", place: null });
}

/** Saves a client's message and copies it into their topic (`opened`: it opened the ticket). */
function copyToTopic(
  ctx: DeskContext,
  client: User,
  ticket: Ticket,
  incoming: Incoming,
  opened: boolean,
  overPace: boolean,
): void {
  const chatId = groupOf(ctx, ticket.department);
  const replyTo = replyTarget(ctx, client.userId, incoming.replyTo);
  const id = saveMessage(ctx, ticket, client, "client", incoming, replyTo, false);
  if (client.bannedAt !== null) return;
  if (opened) newTicketInTopic(ctx, client, ticket);
  if (overPace) {
    // A flood: not copied on its own; the topic reads it in the digest a minute later.
    foldMessage(ctx, ticket, id, { chatId, topicOf: client.userId });
  } else if (incoming.content.mediaGroupId) {
    relayAlbum(ctx, ticket, incoming.content.mediaGroupId, chatId, client.userId);
  } else {
    const target = replyTo && replyTo.ticketId === ticket.id ? idInChat(replyTo, chatId) : null;
    const { call } = ctx.channel.client.toStaff(client, incoming, chatId, {
      signed: false,
      replyTo: target,
    });
    toTopic(ctx, client.userId, call, id);
  }
  if (opened) offer(ctx, ctx.store.getTicket(ticket.id)!);
}

/** The topic of a returning client's new ticket: reopened, retitled, and a line saying so. */
function newTicketInTopic(ctx: DeskContext, client: User, ticket: Ticket): void {
  // A topic made now is titled by this ticket already; one made before is brought in line.
  const group = topicGroup(ctx, groupOf(ctx, ticket.department));
  if (ctx.store.topicOf(client.userId, group) === null) return;
  syncTopic(ctx, client.userId);
  const number = ticketNumber(ticket.id);
  const previous = ticket.previousTicketId ? ticketNumber(ticket.previousTicketId) : null;
  tellTopic(ctx, client.userId, (t) => t.team.newTicket(number, previous));
}

/** A member's message in a client's topic (`where`; not a command). */
export function memberWrote(
  ctx: DeskContext,
  member: User,
  client: User,
  where: Where,
  incoming: Incoming,
): void {
  const { store } = ctx;
  const chatId = where.chatId;
  const text = incoming.content.text ?? "";
  const ticket = ctx.ticketOf(client) ?? store.lastTicketOfClient(client.userId);
  // A note, or a part of an album one of whose parts is one (only one part has the caption,
  // and it may come after the others).
  const album = incoming.content.mediaGroupId;
  const noteText = text.startsWith(team(ctx).notePrefix);
  const note = noteText ||
    (!!album && !!ticket && store.albumParts(ticket.id, album).some((p) => p.internal));
  if (note) {
    if (!ticket) return;
    saveMemberMessage(ctx, ticket, member, incoming, true, chatId);
    // The album's parts that came before the caption are notes too: the album, still being
    // collected, goes to the client without them (that is, not at all).
    if (album && noteText) store.makeAlbumNote(ticket.id, album);
    return;
  }
  if (!ticket || ticket.status === "closed" || client.bannedAt !== null) {
    return tellThread(ctx, where, (t) => t.team.noTicket);
  }
  let current = ticket;
  if (current.status === "queued") current = take(ctx, current, member) ?? current;
  const id = saveMemberMessage(ctx, current, member, incoming, false, chatId);
  if (current.firstResponseAt === null) store.setFirstResponse(current.id, ctx.now);
  if (album) return relayAlbum(ctx, current, album, client.userId);
  const replyTo = replyTarget(ctx, chatId, incoming.replyTo);
  const target = replyTo && replyTo.ticketId === current.id
    ? idInChat(replyTo, client.userId)
    : null;
  const source = { chatId, messageId: incoming.chatMessageId };
  ctx.channel.client.answer(ctx, current, source, id, target, incoming.content.share);
}

/** Saves a member's message written in the staff group `sourceChatId`. */
function saveMemberMessage(
  ctx: DeskContext,
  ticket: Ticket,
  member: User,
  incoming: Incoming,
  internal: boolean,
  sourceChatId: number,
): number {
  const replyTo = replyTarget(ctx, sourceChatId, incoming.replyTo);
  return saveMessage(ctx, ticket, member, "agent", incoming, replyTo, null, {
    sourceChatId,
    internal,
  });
}

/**
 * A member edited their message in the staff group `chatId`: the history keeps both versions,
 * and the client's copy follows while the ticket lasts (a note stays a note).
 */
export function memberEdited(
  ctx: DeskContext,
  member: User,
  incoming: Incoming,
  chatId: number,
): void {
  const m = ctx.store.messageInChat(chatId, incoming.chatMessageId);
  if (!m || m.senderId !== member.userId || m.sourceChatId !== chatId) return;
  if (!editKept(ctx, m, incoming) || m.internal) return;
  const prefix = team(ctx).notePrefix;
  if ((incoming.content.text ?? "").startsWith(prefix)) return editedIntoNote(ctx, m, prefix);
  if (ctx.channel.client.shows(ctx, m)) ctx.channel.client.mirrorEdit(ctx, m.clientId, m.id);
}

/**
 * A member's answer edited into a note: one the client has keeps the text they saw (the
 * member is told); one still on its way is held back and kept as a note.
 */
function editedIntoNote(ctx: DeskContext, m: Message, prefix: string): void {
  if (ctx.channel.client.shows(ctx, m)) {
    return tellTopic(ctx, m.clientId, (t) => t.team.editIntoNote(prefix));
  }
  ctx.store.cancelOfMessage(m.id, "edited into a note", ctx.now);
  ctx.store.makeNote(m.id);
}

/** A client edited a message (its new version kept): its copy in the topic follows. */
export function mirrorEdit(ctx: DeskContext, client: User, m: Message): void {
  const chatId = m.copyChatId;
  if (client.bannedAt !== null || chatId === null || !isStaffGroup(ctx, chatId)) return;
  ctx.send(chatId, { method: "editCopy", params: { chat_id: chatId, message_id: m.id } });
}

/** Keeps the new version of `m`; false when nothing changed. */
function editKept(ctx: DeskContext, m: Message, incoming: Incoming): boolean {
  const { content } = incoming;
  const entities = content.entities ? JSON.stringify(content.entities) : null;
  if (content.text === m.text && entities === m.entities) return false;
  ctx.store.editMessage(m, content.text, entities, ctx.now);
  return true;
}

/**
 * A reaction in team mode, mirrored while the ticket lasts: the client's, on a message of
 * their chat, appears on its counterpart in the topic; a member's, on a message of the topic,
 * on its counterpart in the client's chat. `chat`: where the reaction was made.
 */
export function reactedInTeam(
  ctx: DeskContext,
  user: User,
  chat: number,
  reaction: Reaction,
): void {
  const m = ctx.store.messageInChat(chat, reaction.chatMessageId);
  if (!m || m.internal || user.bannedAt !== null) return;
  const ticket = ctx.store.getTicket(m.ticketId);
  if (!ticket || ticket.status === "closed") return;
  const inGroup = isStaffGroup(ctx, chat);
  if (!inGroup && user.userId !== ticket.clientId) return;
  const other = inGroup ? ticket.clientId : groupOfClient(ctx, ticket.clientId);
  const target = idInChat(m, other);
  if (target === null) return;
  if (!inGroup) return ctx.send(other, react(other, target, reaction.emoji));
  // On the client's own message, taking a reaction off brings the receipt back.
  const emoji = reaction.emoji ?? ctx.config.receiptReaction;
  ctx.channel.client.react(ctx, other, target, emoji);
}
