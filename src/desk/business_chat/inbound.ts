/**
 * What comes in through a company's business account: the connection itself (saved, its
 * setup checked, answers kept for its clients sent once it may write), a client's message
 * (the shared conversation, with the ticket's way in set to the account), the owner's own
 * message (kept in the history as the owner's answer, shown to staff, never echoed to the
 * client, never opening a ticket), a client's edit and deletion, and the client's message
 * marked read once staff have it.
 *
 * @module
 */
import type { Copy } from "../../outbox/calls.ts";
import { readAsAccount } from "../../outbox/business.ts";
import type { Connection, Delivery, User } from "../../store/mod.ts";
import { messageKind, type Texts, texts } from "../../texts/mod.ts";
import type { DeskContext, Incoming, Person } from "../context.ts";
import { clientWrote } from "../conversation.ts";
import { accountName, BUSINESS_WINDOW_MS, release, releaseAll } from "./hold.ts";

/** How a message is shown to staff in one line: its text, or its kind and caption. */
function excerpt(t: Texts, kind: string, text: string | null): string {
  if (kind === "text") return text ?? "";
  const label = `[${t.history.kinds[messageKind(kind)]}]`;
  return text ? `${label} ${text}` : label;
}

/**
 * Telegram told of a connection (new, changed, or looked up): saved; admins told when it
 * connects, turns off, or lacks the right to reply; what waited for it goes if it may write.
 */
export function connectionChanged(ctx: DeskContext, connection: Connection): void {
  const before = ctx.store.getConnection(connection.id);
  ctx.store.saveConnection(connection);
  const account = connection.ownerName;
  const changed = before === undefined || before.isEnabled !== connection.isEnabled ||
    (before.rights.can_reply === true) !== (connection.rights.can_reply === true);
  if (changed) {
    for (const adminId of ctx.config.adminIds) {
      const admin = ctx.store.getUser(adminId);
      if (!admin) continue;
      const noReply = connection.isEnabled && connection.rights.can_reply !== true;
      ctx.say(
        admin,
        (t) =>
          noReply
            ? t.business.noReply(account)
            : t.business.connected(account, connection.isEnabled),
      );
    }
  }
  releaseAll(ctx, connection.id);
}

/** A client's message to the account: into their ticket, as any client's. */
export function clientWroteToAccount(
  ctx: DeskContext,
  connection: Connection,
  client: User,
  incoming: Incoming,
  isNew: boolean,
): void {
  const { store } = ctx;
  store.clientWroteAt(connection.id, client.userId, ctx.now);
  const open = ctx.ticketOf(client);
  if (open) store.setWay(open.id, connection.id);
  // Its id is the business chat's: negated, never taken for one of the bot's chat (what it
  // replies to is found in the business chat: `replyTarget` in `messages.ts`).
  const own: Incoming = { ...incoming, chatMessageId: -incoming.chatMessageId };
  clientWrote(ctx, client, own, isNew);
  const saved = store.lastWritten(client.userId, own.chatMessageId);
  const m = saved === null ? undefined : store.getMessage(saved);
  if (m && m.createdAt === ctx.now) {
    store.placeBusiness(connection.id, client.userId, incoming.chatMessageId, m.id);
  }
  const now = ctx.ticketOf(ctx.user(client.userId));
  if (now && now.id !== open?.id) {
    store.setWay(now.id, connection.id);
    const account = accountName(ctx, connection.id);
    ctx.channel.staff.tellStaff(ctx, now, (t) => t.business.arrived(account));
  }
  release(ctx, connection.id, client.userId);
}

/**
 * The owner wrote to client `clientId` from their own app: kept in the client's open ticket
 * (of this account) as the owner's answer and shown to staff; nothing else.
 */
export function ownerWrote(
  ctx: DeskContext,
  connection: Connection,
  owner: Person,
  clientId: number,
  incoming: Incoming,
): void {
  const { store } = ctx;
  const client = store.getUser(clientId);
  const ticket = client ? ctx.ticketOf(client) : undefined;
  if (!ticket || ticket.status === "closed" || store.wayOf(ticket.id) !== connection.id) return;
  if (!store.getUser(owner.userId)) store.insertUser(owner, false, ctx.now);
  const { content } = incoming;
  const id = store.insertMessage({
    ticketId: ticket.id,
    clientId,
    agentId: ticket.agentId,
    senderId: owner.userId,
    senderRole: "agent",
    kind: content.kind,
    text: content.text,
    entities: content.entities ? JSON.stringify(content.entities) : null,
    fileId: content.fileId,
    chatMessageId: -incoming.chatMessageId,
    replyToId: null,
    signedInline: null,
    mediaGroupId: content.mediaGroupId ?? null,
    createdAt: ctx.now,
  });
  store.placeBusiness(connection.id, clientId, incoming.chatMessageId, id);
  ctx.channel.staff.tellStaff(
    ctx,
    ticket,
    (t) => t.business.ownerWrote(owner.fullName, excerpt(t, content.kind, content.text)),
  );
}

/** A client edited their message in the business chat: kept, and its copy follows. */
export function clientEdited(
  ctx: DeskContext,
  connection: Connection,
  client: User,
  incoming: Incoming,
): void {
  const { store } = ctx;
  const id = store.businessMessage(connection.id, client.userId, incoming.chatMessageId);
  const m = id === null ? undefined : store.getMessage(id);
  if (!m || m.senderId !== client.userId) return;
  const { content } = incoming;
  const entities = content.entities ? JSON.stringify(content.entities) : null;
  if (content.text === m.text && entities === m.entities) return;
  store.editMessage(m, content.text, entities, ctx.now);
  ctx.channel.staff.mirrorEdit(ctx, client, m);
}

/** Messages deleted in a business chat: a client's is marked in the history and for staff. */
export function clientDeleted(
  ctx: DeskContext,
  connectionId: string,
  clientId: number,
  messageIds: readonly number[],
): void {
  const { store } = ctx;
  for (const chatMessageId of messageIds) {
    const id = store.businessMessage(connectionId, clientId, chatMessageId);
    const m = id === null ? undefined : store.getMessage(id);
    if (!m || m.senderRole !== "client") continue;
    const ticket = store.getTicket(m.ticketId);
    const mark = texts(ctx.config.defaultLanguage).business.deletedMark;
    if (m.text === mark) continue;
    store.editMessage(m, mark, null, ctx.now);
    if (ticket && ticket.status !== "closed") {
      ctx.channel.staff.tellStaff(
        ctx,
        ticket,
        (t) => t.business.clientDeleted(excerpt(t, m.kind, m.text)),
      );
    }
  }
}

/**
 * Stored messages reached staff: a client's message to an account is marked read there, when
 * the account lets the bot read (`can_read_messages`) and the chat is within its 24 hours.
 */
export function readWhenShown(
  ctx: DeskContext,
  delivery: Delivery,
  copies: readonly Copy[],
): void {
  const { store } = ctx;
  for (const copy of copies) {
    const m = store.getMessage(copy.messageId);
    if (!m || m.senderRole !== "client" || m.chatMessageId >= 0) continue;
    if (delivery.chatId === m.clientId) continue;
    const connectionId = store.wayOf(m.ticketId);
    const connection = connectionId === null ? undefined : store.getConnection(connectionId);
    if (!connection?.isEnabled || connection.rights.can_read_messages !== true) continue;
    const last = store.lastClientAt(connection.id, m.clientId);
    if (last === null || ctx.now - last > BUSINESS_WINDOW_MS) continue;
    ctx.send(m.clientId, readAsAccount(connection.id, m.clientId, -m.chatMessageId));
  }
}
