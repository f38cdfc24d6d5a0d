/**
 * Team mode's events from the staff group: a member's message, edit, command, button or
 * reaction. Commands
 * work where they are typed: in a client's topic they act on that client's ticket
 * (`/take`, `/transfer`, `/end_chat` or `/close`, `/history`, `/canned`); anywhere,
 * `/available`, a member's `/languages`, `/departments`, `/join` and `/leave`, the desk's
 * `/queue`, `/agents`, `/stats`, and `/help` (the group's commands, which are also the
 * group's menu: {@link staffMenu}). The answers go to the thread the command came from, not
 * to the member's private chat.
 *
 * @module
 */
import type { BotCommand } from "grammy/types";
import { deleteMessage, dropButtons } from "../../outbox/builders.ts";
import { type Language, type StaffCommandName, texts, ticketNumber } from "../../texts/mod.ts";
import type { Ticket, User } from "../../store/mod.ts";
import { agents, queue } from "../admin.ts";
import { stats, toggleAvailable } from "../agent.ts";
import { canned, sendCanned } from "../canned.ts";
import { type DraftGuard, draftPressed } from "../drafts.ts";
import { search, sendArticle, ticketNamed } from "../knowledge.ts";
import type { ButtonPress, DeskContext, Incoming, Reaction, Say } from "../context.ts";
import type { Buttons } from "../../outbox/builders.ts";
import type { CommandRequest } from "../roles.ts";
import { closeTicket } from "../tickets.ts";
import { carriesToken, contentCarriesToken } from "../token.ts";
import { memberEdited, memberWrote, reactedInTeam } from "./copies.ts";
import { movedInTeam, offerTransferInTeam, take, transferPressedInTeam } from "./take.ts";
import { clientAt, team, tellThread, topicGroup, type Where } from "./topic.ts";
import { parseButton } from "../../rules/button_data.ts";
import { join, leave, memberPressed, showDepartments } from "../departments.ts";
import { languagePressed, languages } from "../languages.ts";

export type { Where } from "./topic.ts";

/** The commands members may use in the staff group, in the order of its menu. */
export const STAFF_COMMANDS: ReadonlySet<StaffCommandName> = new Set<StaffCommandName>([
  "take",
  "transfer",
  "end_chat",
  "close",
  "history",
  "canned",
  "available",
  "queue",
  "agents",
  "stats",
  "help",
  "languages",
  "departments",
  "join",
  "leave",
  "search",
]);

/** The staff group's menu of commands (set for the group's chat), in `language`. */
export function staffMenu(language: Language): BotCommand[] {
  const lines = texts(language).team.commands;
  return [...STAFF_COMMANDS].map((name) => ({ command: name, description: lines[name] }));
}

/**
 * The event's context, as seen from a thread of the staff group: what the desk says to the
 * member goes to that thread, and the member's ticket is the one of the topic's client.
 */
function inThread(ctx: DeskContext, member: User, where: Where): DeskContext {
  const client = clientAt(ctx, where);
  const view: DeskContext = Object.create(ctx);
  return Object.assign(view, {
    say(user: User, text: Say, buttons?: Buttons): void {
      if (user.userId === member.userId) return tellThread(ctx, where, text, buttons);
      ctx.say(user, text, buttons);
    },
    ticketOf(user: User): Ticket | undefined {
      if (user.userId !== member.userId) return ctx.ticketOf(user);
      return client ? ctx.ticketOf(client) : undefined;
    },
    // The member's buttons are under a message of the group.
    dropButtons(user: User, press: ButtonPress): void {
      if (user.userId !== member.userId) return ctx.dropButtons(user, press);
      if (press.chatMessageId === null) return;
      ctx.send(where.chatId, dropButtons(where.chatId, press.chatMessageId));
    },
  });
}

/** A member's message in a staff group (the support token in it is deleted at once). */
export function staffMessage(ctx: DeskContext, member: User, where: Where, incoming: Incoming) {
  if (contentCarriesToken(ctx, incoming.content)) return withholdInGroup(ctx, where, incoming);
  if (where.thread === null) return;
  const client = clientAt(ctx, where) ?? adopt(ctx, where, incoming.topicTitle);
  if (client) memberWrote(ctx, member, client, where, incoming);
}

/**
 * The client of a topic the bot made but never recorded (it was stopped right after Telegram
 * made the topic), found by the ticket number in the title it gave the topic. When the client
 * has no topic recorded, this one becomes theirs (so no second one is made); either way a
 * member's answer there reaches the client instead of being lost.
 */
function adopt(ctx: DeskContext, where: Where, title: string | undefined): User | undefined {
  const number = title?.match(/#T-(\d{6,})/)?.[1];
  const ticket = number === undefined ? undefined : ctx.store.getTicket(Number(number));
  if (!ticket || where.thread === null) return undefined;
  const group = topicGroup(ctx, where.chatId);
  if (ctx.store.topicOf(ticket.clientId, group) === null) {
    ctx.store.setTopic(ticket.clientId, where.thread, group);
  }
  return ctx.user(ticket.clientId);
}

/**
 * A message in the staff group posted on behalf of a chat (an anonymous admin, a channel):
 * nobody can be told as its author, so it reaches no client. In a client's topic the group is
 * told at once what to do; the support token in it is deleted like anyone's.
 */
export function staffAnonymous(ctx: DeskContext, where: Where, incoming: Incoming): void {
  if (contentCarriesToken(ctx, incoming.content)) return withholdInGroup(ctx, where, incoming);
  if (!clientAt(ctx, where)) return;
  tellThread(ctx, where, (t) => t.team.anonymousNotSent);
}

/** A member edited a message in the staff group `chatId`. */
export function staffEdit(ctx: DeskContext, member: User, chatId: number, incoming: Incoming) {
  if (contentCarriesToken(ctx, incoming.content)) {
    return withholdInGroup(ctx, { chatId, thread: null }, incoming);
  }
  memberEdited(ctx, member, incoming, chatId);
}

/** The support token typed in a group: the message is deleted and never relayed. */
function withholdInGroup(ctx: DeskContext, where: Where, incoming: Incoming): void {
  const { chatId } = where;
  ctx.send(chatId, deleteMessage(chatId, incoming.chatMessageId));
  tellThread(ctx, where, (t) => t.tokenRemoved);
}

/** A command in the staff group. */
export function staffCommand(
  ctx: DeskContext,
  member: User,
  where: Where,
  request: CommandRequest,
): void {
  if (carriesToken(ctx, request.args)) {
    const content = { kind: "text", text: request.args, entities: null, fileId: null };
    return withholdInGroup(ctx, where, { chatMessageId: request.chatMessageId, content });
  }
  const view = inThread(ctx, member, where);
  switch (request.name) {
    case "available":
      return toggleAvailable(view, member);
    case "queue":
      return queue(view, member);
    case "agents":
      return agents(view, member);
    case "stats":
      return stats(view, member);
    case "help":
      return tellThread(ctx, where, (t) => t.team.help(team(ctx).notePrefix));
    case "languages":
      return languages(view, member, request);
    case "departments":
      return showDepartments(view, member);
    case "join":
      return join(view, member, request);
    case "leave":
      return leave(view, member, request);
    case "search":
      return search(view, member, request);
  }
  // `/history T-000123`, anywhere: that ticket's client's history (every member sees all).
  const numbered = ticketNamed(request.args.trim().split(/\s+/)[0] ?? "");
  if (request.name === "history" && numbered !== undefined) {
    return historyOfTicket(ctx, where, numbered, request.args);
  }
  const client = clientAt(ctx, where);
  if (!client || where.thread === null) return tellThread(ctx, where, (t) => t.team.notATopic);
  const ticket = ctx.ticketOf(client);
  switch (request.name) {
    case "history":
      return history(ctx, client.userId, where, request.args);
    case "canned":
      return canned(view, member, request);
  }
  if (!ticket) return tellThread(ctx, where, (t) => t.noDialog);
  switch (request.name) {
    case "take":
      take(ctx, ticket, member);
      return;
    case "transfer":
      return offerTransferInTeam(ctx, member, where, ticket);
    case "end_chat":
    case "close":
      return closeTicket(view, ticket, "agent", "agent", member);
  }
}

/**
 * `/history T-000123 [html]` in the staff group: the history of that ticket's client, in the
 * thread where it was asked.
 */
function historyOfTicket(ctx: DeskContext, where: Where, ticketId: number, args: string): void {
  const chatId = where.chatId;
  const format = (args.trim().split(/\s+/)[1] ?? "").toLowerCase() || "txt";
  if (format !== "txt" && format !== "html") return tellThread(ctx, where, (t) => t.historyUsage);
  const ticket = ctx.store.getTicket(ticketId);
  if (!ticket) {
    return tellThread(ctx, where, (t) => t.knowledge.historyNoTicket(ticketNumber(ticketId)));
  }
  const here = where.thread === null ? undefined : clientAt(ctx, where);
  ctx.send(chatId, {
    method: "sendHistory",
    params: {
      chat_id: chatId,
      client_id: ticket.clientId,
      up_to: ctx.store.lastMessageId(),
      format,
      ...(here ? { topic_of: here.userId } : {}),
    },
  });
}

/** `/history` in a client's topic: the client's whole history as a file, in the topic. */
function history(ctx: DeskContext, clientId: number, where: Where, args: string): void {
  const chatId = where.chatId;
  const format = args.trim().toLowerCase() || "txt";
  if (format !== "txt" && format !== "html") {
    return tellThread(ctx, where, (t) => t.historyUsage);
  }
  ctx.send(chatId, {
    method: "sendHistory",
    params: {
      chat_id: chatId,
      client_id: clientId,
      up_to: ctx.store.lastMessageId(),
      format,
      topic_of: clientId,
    },
  });
}

/** A button pressed in a staff group (a transfer, a saved reply). */
export function staffButton(ctx: DeskContext, member: User, where: Where, press: ButtonPress) {
  const data = parseButton(press.data);
  if (data?.action === "lang") {
    return languagePressed(ctx, member, press, data.language, where.chatId);
  }
  if (data?.action === "member") {
    return memberPressed(ctx, member, press, data.key, where.chatId);
  }
  const client = clientAt(ctx, where);
  const ticket = client ? ctx.ticketOf(client) : undefined;
  if (data?.action === "transfer") {
    const pressed = ticket?.id === data.ticketId ? ticket : undefined;
    return transferPressedInTeam(ctx, member, where, press, pressed, data.to);
  }
  if (data?.action === "move") {
    return movedInTeam(
      ctx,
      member,
      where,
      press,
      ticket?.id === data.ticketId ? ticket : undefined,
      data.key,
    );
  }
  if (data?.action === "draft") {
    // Staff only (a member of the group); the draft's ticket must be this topic's.
    const guard: DraftGuard = (shown, send) => {
      if (client?.userId !== shown.clientId) return undefined;
      if (!send || shown.status !== "queued") return shown;
      // Sending answers the client: the first answer takes the ticket, as a message does.
      return take(ctx, shown, member) ?? ctx.store.getTicket(shown.id);
    };
    return draftPressed(
      inThread(ctx, member, where),
      member,
      press,
      data.draftId,
      data.send,
      guard,
    );
  }
  if (data?.action === "canned" && ticket) {
    // A saved reply answers the client: the first answer takes the ticket, as a message does.
    if (ticket.status === "queued") take(ctx, ticket, member);
    return sendCanned(inThread(ctx, member, where), member, press, data.cannedId);
  }
  if (data?.action === "article" && ticket) {
    if (ticket.status === "queued") take(ctx, ticket, member);
    return sendArticle(
      inThread(ctx, member, where),
      member,
      press,
      data.ticketId,
      data.articleId,
    );
  }
  ctx.answer(member, press, (t) => t.buttonStale);
}

/** A member's reaction changed on a message of the staff group `chatId`. */
export function staffReaction(
  ctx: DeskContext,
  member: User,
  chatId: number,
  reaction: Reaction,
): void {
  reactedInTeam(ctx, member, chatId, reaction);
}
