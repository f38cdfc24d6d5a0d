/**
 * The relay: what happens when a client or an agent writes (or edits) a message that is not
 * a command. A client's message opens a ticket when they have none, is saved, and goes to
 * their agent at once, or waits in the queue (outside business hours, the client is told
 * when the desk opens); an agent's message goes to their client. Replies stay replies on the
 * other side; edits are mirrored on the copy while the dialog lasts. Which Bot API calls
 * carry a message is decided by the relay rules of `src/outbox/carry.ts`.
 *
 * @module
 */
import { formatOpening, nextOpening } from "../rules/business_hours.ts";
import { placeOf } from "../outbox/lanes.ts";
import { agentToClient } from "../outbox/carry.ts";
import type { Message, Ticket, User } from "../store/mod.ts";
import { clientEditedInTeam, clientWroteInTeam } from "./team/copies.ts";
import { type Texts, ticketNumber } from "../texts/mod.ts";
import { type DeskContext, type Incoming, nameOf } from "./context.ts";
import { closeButton } from "./keyboards.ts";
import {
  idInChat,
  joinAlbum,
  relayAlbum,
  relayCall,
  replyTarget,
  saveMessage,
} from "./messages.ts";
import { contactAnswered, nameAnswered } from "./onboarding.ts";
import { greeted, type Greeting, tryAssign } from "./queue.ts";
import { commentAnswered } from "./ratings.ts";

/** A client wrote a message (`isNew`: the bot had never seen them before this update). */
export function clientWrote(
  ctx: DeskContext,
  client: User,
  incoming: Incoming,
  isNew: boolean,
): void {
  const { store, now } = ctx;
  const text = incoming.content.kind === "text" ? incoming.content.text ?? "" : "";
  // The answer to "what is your name?", unless the client went straight to their question.
  if (client.awaitingName && nameAnswered(ctx, client, text)) return;
  if (client.awaitingContact && contactAnswered(ctx, client, incoming)) return;
  if (commentAnswered(ctx, client, text)) return;
  let ticket = ctx.ticketOf(client);
  const opened = !ticket;
  /** A ticket just opened: the greeting, said in the one message that tells what comes next. */
  let greeting: Greeting | undefined;
  if (!ticket) {
    const previous = store.lastTicketOfClient(client.userId);
    const id = store.createTicket(client.userId, now, previous?.id ?? null);
    store.setCurrentTicket(client.userId, id);
    ticket = store.getTicket(id)!;
    // Telegram makes new users press "Start" (/start) first, where the name is asked; one who
    // wrote without it is served under their Telegram name rather than held up.
    greeting = (t: Texts) => isNew ? t.greetingNew : t.greetingTicket(nameOf(client));
  }
  if (ctx.config.team !== null) return teamClientWrote(ctx, client, ticket, incoming, greeting);
  const replyTo = replyTarget(ctx, client.userId, incoming.replyTo);
  if (ticket.status === "open" && ticket.agentId !== null && client.bannedAt === null) {
    const album = incoming.content.mediaGroupId;
    // A part of an album joins the album on its way (which goes whole a moment later, see
    // messages.ts); the first part counts once towards the client's pace for all of them.
    if (album && joinAlbum(ctx, ticket, album, ticket.agentId)) {
      saveMessage(ctx, ticket, client, "client", incoming, replyTo);
      return;
    }
    if (overPace(ctx, ticket.id)) {
      // A flood: kept in the history, not relayed; the agent hears how many, once a minute.
      const id = saveMessage(ctx, ticket, client, "client", incoming, replyTo);
      store.fold(id);
      if (!store.hasPending(ticket.agentId, "foldSummary")) {
        const summary = {
          method: "foldSummary",
          params: {
            chat_id: ticket.agentId,
            ticket_id: ticket.id,
            client_id: client.userId,
            from_message_id: id,
          },
        } as const;
        store.insertDelivery(
          ticket.agentId,
          summary,
          null,
          now,
          placeOf(summary.method, null),
          now + FOLD_WINDOW_MS,
        );
      }
      return;
    }
    if (album) {
      saveMessage(ctx, ticket, client, "client", incoming, replyTo);
      return relayAlbum(ctx, ticket, album, ticket.agentId);
    }
    // In a dialog: saved and passed on at once (the copy's layout is known before saving).
    const { call, signedInline } = relayCall(client, ticket.agentId, {
      content: incoming.content,
      chatMessageId: incoming.chatMessageId,
      replyTo: replyTo?.ticketId === ticket.id ? replyTo : undefined,
    });
    const id = saveMessage(ctx, ticket, client, "client", incoming, replyTo, signedInline);
    ctx.send(ticket.agentId, call, id);
    return;
  }
  saveMessage(ctx, ticket, client, "client", incoming, replyTo);
  if (client.bannedAt !== null) return;
  if (!ctx.deskOpen()) {
    if (!opened) return;
    const number = ticketNumber(ticket.id);
    return ctx.say(
      client,
      (t) => greeted(t, greeting, `${t.ticketOpened(number)}\n\n${offlineText(ctx, client, t)}`),
      closeButton(client, ticket.id),
    );
  }
  // A ticket just opened (or one that waits): find an agent, else tell the queue place once.
  if (!tryAssign(ctx, ticket, 0, greeting) && opened) {
    const waiting = ticket;
    const number = ticketNumber(ticket.id);
    ctx.say(
      client,
      (t) =>
        greeted(
          t,
          greeting,
          `${t.ticketOpened(number)}\n\n${t.queued(store.queuePosition(waiting))}`,
        ),
      closeButton(client, ticket.id),
    );
  }
}

/** What a client is told outside business hours: the custom text, or ours, with the opening. */
function offlineText(ctx: DeskContext, client: User, t: Texts): string {
  const { config, now } = ctx;
  const opens = nextOpening(config.businessHours!, config.timeZone, now) ?? now;
  const custom = config.offlineMessage[client.language];
  const when = formatOpening(opens, config.timeZone, client.language);
  return custom ? custom.replaceAll("{opens}", when) : t.offline(when);
}

/**
 * Team mode: the message goes to the client's topic (`team/relay.ts`); a ticket just opened
 * gets the one answer that says what comes next.
 */
function teamClientWrote(
  ctx: DeskContext,
  client: User,
  ticket: Ticket,
  incoming: Incoming,
  greeting: Greeting | undefined,
): void {
  const opened = greeting !== undefined;
  const flood = !incoming.content.mediaGroupId && overPace(ctx, ticket.id);
  clientWroteInTeam(ctx, client, ticket, incoming, opened, flood);
  if (!opened || client.bannedAt !== null) return;
  const number = ticketNumber(ticket.id);
  const next = (t: Texts) => ctx.deskOpen() ? t.team.clientQueued : offlineText(ctx, client, t);
  ctx.say(
    client,
    (t) => greeted(t, greeting, `${t.ticketOpened(number)}\n\n${next(t)}`),
    closeButton(client, ticket.id),
  );
}

/** The window of a client's pace, and how long folded messages wait to be summed up. */
export const FOLD_WINDOW_MS = 60_000;

/**
 * Whether the client of a ticket has had `CLIENT_RELAY_PER_MINUTE` messages relayed in the
 * last minute already: then what they write is folded (kept, not relayed), so that one
 * flooding client cannot bury the agent's chat.
 */
function overPace(ctx: DeskContext, ticketId: number): boolean {
  const limit = ctx.config.clientRelayPerMinute;
  if (ctx.pace.over(ticketId, limit)) return true;
  ctx.pace.note(ticketId, limit);
  return false;
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
  ctx.send(ticket.clientId, agentToClient(source, ticket.clientId, target), messageId);
}

/**
 * An edited message: the history keeps both versions. The copy is edited too, but only
 * within the dialog as it is now: the ticket open, the sender its client or its current
 * agent, and the copy in the chat of the other one. A copy an agent no longer in the dialog
 * holds (after a transfer, a revoke) is never brought up to date, and such an agent can no
 * longer change what a client sees.
 */
export function edited(ctx: DeskContext, user: User, incoming: Incoming): void {
  if (ctx.config.team !== null) return clientEditedInTeam(ctx, user, incoming);
  const { store } = ctx;
  const m = store.ownMessage(user.userId, incoming.chatMessageId);
  if (!m) return; // never saved (a command, or sent before the bot knew the user)
  const { content } = incoming;
  const entities = content.entities ? JSON.stringify(content.entities) : null;
  if (content.text === m.text && entities === m.entities) return;
  store.editMessage(m, content.text, entities, ctx.now);
  const chat = mirrorChat(ctx, user, m);
  if (chat === null) return;
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
