/**
 * Who has a ticket in team mode. A new ticket is offered to the best free member for it
 * (`../routing.ts`: its department, the client's language, the client's last agent, then the
 * seed's order) and the topic mentions them; the first member to answer (or `/take`) takes
 * it, and the topic and the client are told; `/transfer` hands it to another member. A ticket
 * nobody took in time shows as waiting. A member who leaves the group is no longer an agent:
 * their tickets go back to the queue. Closing a ticket closes its topic, after what the client
 * wrote beyond their pace and the topic has not shown yet (`../folding.ts`; after a ban it is
 * not shown: the topic is told how much is only in the history).
 *
 * @module
 */
import type { Ticket, User } from "../../store/mod.ts";
import { type Texts, texts, ticketNumber } from "../../texts/mod.ts";
import type { CloseReason } from "../channel.ts";
import type { ButtonPress, DeskContext } from "../context.ts";
import { nameOf } from "../context.ts";
import { dropFolded, showBeforeClose } from "../folding.ts";
import { closeButton, transferButtons } from "../keyboards.ts";
import { pickFor } from "../routing.ts";
import { packButton } from "../../rules/button_data.ts";
import { departmentOf, departmentsOfGroup, worksInGroup } from "../../rules/departments.ts";
import {
  general,
  groupOf,
  syncTopic,
  team,
  tellThread,
  tellTopic,
  topicGroup,
  type Where,
} from "./topic.ts";

/** How a member is named in the group: their @username (which notifies them), or name. */
function mention(member: User): string {
  return member.username ? `@${member.username}` : nameOf(member);
}

/**
 * Offers a new ticket to the best free member for it, mentioned in its topic (if anyone may
 * take it); true when offered.
 */
export function offer(ctx: DeskContext, ticket: Ticket): boolean {
  if (!ctx.deskOpen() || ticket.status !== "queued") return false;
  const pick = pickFor(ctx, ticket);
  if (!pick) return false;
  const member = ctx.user(pick.userId);
  // Only to a member of the ticket's group (a ticket in no department may suit a member only
  // of a department with a group of its own, who does not see this topic).
  if (!worksIn(ctx, member, groupOf(ctx, ticket.department))) return false;
  ctx.store.offerTicket(ticket.id, member.userId);
  const number = ticketNumber(ticket.id);
  tellTopic(ctx, ticket.clientId, (t) => t.team.offered(number, mention(member)));
  return true;
}

/**
 * Offers the waiting tickets nobody was offered yet (their clients waited for a member who
 * speaks their language), once someone may take them. Only with `LANGUAGE_WAIT_SECONDS`:
 * otherwise a ticket is offered when it opens, or waits for whoever takes it.
 */
export function offerWaiting(ctx: DeskContext): void {
  if (ctx.config.languageWaitMs === 0 || !ctx.deskOpen()) return;
  for (const ticket of ctx.store.queuedTickets(50)) {
    if (ctx.store.offeredTo(ticket.id) !== null) continue;
    if (ctx.now - ticket.openedAt > ctx.config.languageWaitMs + 60_000) continue;
    offer(ctx, ticket);
  }
}

/**
 * `member` takes the ticket: it is theirs from now (from whoever had it), the topic says so
 * and the client hears an agent is there. Returns the ticket as it is now.
 */
export function take(ctx: DeskContext, ticket: Ticket, member: User): Ticket | undefined {
  const { store } = ctx;
  const number = ticketNumber(ticket.id);
  if (ticket.agentId === member.userId) {
    tellTopic(ctx, ticket.clientId, (t) => t.team.alreadyYours(number));
    return ticket;
  }
  const from = handOver(ctx, ticket, member);
  tellTopic(
    ctx,
    ticket.clientId,
    (t) =>
      from
        ? t.team.takenOver(number, nameOf(member), nameOf(from))
        : t.team.taken(number, nameOf(member)),
  );
  if (!from) {
    const client = ctx.user(ticket.clientId);
    ctx.say(client, (t) => t.connected(number), closeButton(client, ticket.id));
  }
  syncTopic(ctx, ticket.clientId);
  return store.getTicket(ticket.id);
}

/** The ticket is `to`'s from now; returns who had it. */
function handOver(ctx: DeskContext, ticket: Ticket, to: User): User | undefined {
  const { store, now } = ctx;
  const from = ticket.agentId !== null ? store.getUser(ticket.agentId) : undefined;
  if (from && from.currentTicketId === ticket.id) store.endAgentDialog(from.userId, now);
  store.assignTicket(ticket.id, to.userId, now);
  store.setCurrentTicket(to.userId, ticket.id);
  return from;
}

/** Whether `member` works in the staff group `chatId` (see `worksInGroup`). */
function worksIn(ctx: DeskContext, member: User, chatId: number): boolean {
  return worksInGroup(member.departments, ctx.config.departments, chatId, team(ctx).chatId);
}

/** `/transfer` in a client's topic: buttons of the other members who could take it. */
export function offerTransferInTeam(
  ctx: DeskContext,
  member: User,
  where: Where,
  ticket: Ticket,
) {
  const group = groupOf(ctx, ticket.department);
  const others = ctx.store.members().filter((m) =>
    m.userId !== member.userId && m.isAvailable && m.bannedAt === null && worksIn(ctx, m, group)
  ).slice(0, 20);
  const number = ticketNumber(ticket.id);
  const choices = others.map((m) => ({ userId: m.userId, name: nameOf(m) }));
  // With departments: the others, where the team's language names them.
  const language = ctx.config.defaultLanguage;
  const moves = ctx.config.departments.length < 2
    ? []
    : ctx.config.departments.filter((d) => d.key !== ticket.department).map((d) => [{
      text: texts(language).routing.toDepartmentButton(d.names[language]),
      callback_data: packButton({ action: "move", ticketId: ticket.id, key: d.key }),
    }]);
  const buttons = [
    ...(others.length > 0 ? transferButtons(member, ticket.id, choices) : []),
    ...moves,
  ];
  tellThread(
    ctx,
    where,
    (t) => others.length > 0 ? t.team.transferChoose(number) : t.team.transferNobody(number),
    buttons.length > 0 ? buttons : undefined,
  );
}

/**
 * A button pressed in the staff group that sends the ticket to another department: it waits
 * for that department (its member, if any, gives it up), its topic says so and is retitled,
 * the client is told, and it is offered to a member of that department. A department with
 * another staff group takes the topic there: the old one says where it went and is closed, a
 * new one opens in that group (its card first), with the history so far as a file.
 */
export function movedInTeam(
  ctx: DeskContext,
  member: User,
  where: Where,
  press: ButtonPress,
  ticket: Ticket | undefined,
  key: string,
): void {
  const department = departmentOf(ctx.config.departments, key);
  if (!ticket || ticket.status === "closed" || !department) {
    return ctx.answer(member, press, (t) => t.buttonStale);
  }
  ctx.answer(member, press);
  const { store } = ctx;
  if (press.chatMessageId !== null) {
    const chatId = where.chatId;
    ctx.send(chatId, {
      method: "editMessageReplyMarkup",
      params: { chat_id: chatId, message_id: press.chatMessageId },
    });
  }
  const fromGroup = groupOf(ctx, ticket.department);
  const toGroup = groupOf(ctx, key);
  if (ticket.agentId !== null) {
    const from = store.getUser(ticket.agentId);
    if (from && from.currentTicketId === ticket.id) store.endAgentDialog(from.userId, ctx.now);
  }
  store.requeueTicket(ticket.id);
  const number = ticketNumber(ticket.id);
  const name = department.names[ctx.config.defaultLanguage];
  const moved = fromGroup !== toGroup;
  if (moved) {
    // The old topic's last line says where the ticket went; then it is closed (its title
    // shows the new department).
    const line = (t: Texts) => t.routing.movedToGroup(number, name);
    tellTopic(ctx, ticket.clientId, line, undefined, fromGroup);
  }
  store.setTicketDepartment(ticket.id, key);
  if (moved) {
    syncTopic(ctx, ticket.clientId, fromGroup);
    // The new group's topic: made with its card by the first delivery into it; the ticket's
    // history so far follows as a file, so the department reads what happened before.
    if (store.topicOf(ticket.clientId, topicGroup(ctx, toGroup)) !== null) {
      tellTopic(ctx, ticket.clientId, (t) => t.team.newTicket(number, null), undefined, toGroup);
    }
    ctx.send(toGroup, {
      method: "sendHistory",
      params: {
        chat_id: toGroup,
        client_id: ticket.clientId,
        ticket_id: ticket.id,
        up_to: store.lastMessageId(),
        format: "txt",
        topic_of: ticket.clientId,
      },
    });
  }
  tellTopic(
    ctx,
    ticket.clientId,
    (t) => t.routing.movedToDepartment(number, department.names[ctx.config.defaultLanguage]),
  );
  const client = ctx.user(ticket.clientId);
  ctx.say(
    client,
    (t) => t.routing.clientMovedToDepartment(number, department.names[client.language]),
  );
  syncTopic(ctx, ticket.clientId);
  offer(ctx, store.getTicket(ticket.id)!);
}

/** A transfer button pressed in the staff group: the ticket goes to that member. */
export function transferPressedInTeam(
  ctx: DeskContext,
  member: User,
  where: Where,
  press: ButtonPress,
  ticket: Ticket | undefined,
  to: number | "queue",
): void {
  const target = typeof to === "number" ? ctx.store.getUser(to) : undefined;
  if (!ticket || ticket.status === "closed" || !target?.isAgent || target.bannedAt !== null) {
    return ctx.answer(member, press, (t) => t.buttonStale);
  }
  ctx.answer(member, press);
  if (press.chatMessageId !== null) {
    const chatId = where.chatId;
    ctx.send(chatId, {
      method: "editMessageReplyMarkup",
      params: { chat_id: chatId, message_id: press.chatMessageId },
    });
  }
  const number = ticketNumber(ticket.id);
  handOver(ctx, ticket, target);
  tellTopic(
    ctx,
    ticket.clientId,
    (t) => t.team.transferred(number, mention(target), nameOf(member)),
  );
  if (ticket.status === "queued") {
    const client = ctx.user(ticket.clientId);
    ctx.say(client, (t) => t.connected(number), closeButton(client, ticket.id));
  }
  syncTopic(ctx, ticket.clientId);
}

/** The topic's side of a closed ticket: a line saying who closed it, and the topic closed. */
export function closedInTeam(
  ctx: DeskContext,
  ticket: Ticket,
  why: CloseReason,
  by?: User,
): void {
  const number = ticketNumber(ticket.id);
  const name = nameOf(ctx.user(ticket.clientId));
  if (ticket.agentId !== null) {
    const agent = ctx.store.getUser(ticket.agentId);
    if (agent && agent.currentTicketId === ticket.id) {
      ctx.store.endAgentDialog(agent.userId, ctx.now);
    }
  }
  const target = { chatId: groupOf(ctx, ticket.department), topicOf: ticket.clientId };
  const unshown = why === "banned" ? dropFolded(ctx, ticket, target) : 0;
  if (why !== "banned") showBeforeClose(ctx, ticket, target, []);
  tellTopic(ctx, ticket.clientId, (t) => {
    switch (why) {
      case "client":
        return t.team.closedByClient(number);
      case "banned":
        return t.agentClientBanned(name, number);
      case "left":
        return t.agentClientLeft(name, number);
      default:
        return by ? t.team.closed(number, nameOf(by)) : t.endChatDone(name, number);
    }
  });
  if (unshown > 0) tellTopic(ctx, ticket.clientId, (t) => t.moreInHistory(name, unshown));
  syncTopic(ctx, ticket.clientId);
}

/**
 * Tickets nobody took within the team's limit: shown as waiting by their topic's title and on
 * the board (no message: the group's 20 a minute are kept for the conversations).
 */
export function markWaiting(ctx: DeskContext): void {
  const { waitMs } = team(ctx);
  for (const id of ctx.store.markWaiting(ctx.now, ctx.now - waitMs)) {
    const ticket = ctx.store.getTicket(id);
    if (ticket) syncTopic(ctx, ticket.clientId);
  }
}

/**
 * A member left the staff group `chatId` (or was removed). STAFF_CHAT_ID's: no longer an
 * agent; their tickets wait. A department's own group: no longer in its departments; their
 * tickets of those wait.
 */
export function memberLeft(ctx: DeskContext, member: User, chatId = team(ctx).chatId): void {
  if (!member.isAgent) return;
  const { store } = ctx;
  const main = chatId === team(ctx).chatId;
  const keys = main ? [] : departmentsOfGroup(ctx.config.departments, chatId, team(ctx).chatId)
    .map((d) => d.key);
  if (main) store.revokeAgent(member.userId);
  else store.setDepartments(member.userId, member.departments.filter((k) => !keys.includes(k)));
  let tickets = 0;
  let current = false;
  for (const ticket of store.openTicketsList(10_000)) {
    if (ticket.agentId !== member.userId) continue;
    if (!main && (ticket.department === null || !keys.includes(ticket.department))) continue;
    store.requeueTicket(ticket.id);
    tickets++;
    current ||= member.currentTicketId === ticket.id;
    syncTopic(ctx, ticket.clientId);
  }
  if (member.currentTicketId !== null && (main || current)) {
    store.endAgentDialog(member.userId, ctx.now);
  }
  tellThread(ctx, general(ctx, chatId), (t) => t.team.memberLeft(nameOf(member), tickets));
}
