/**
 * Transfer: `/transfer` offers the free agents (best first, by the matchmaking order for the
 * ticket), "back to the queue" and, with departments, the other departments as buttons; a
 * press hands the ticket on. The new agent gets the ticket's history as a file; the client is
 * told; the agent who gave it up is free again. A ticket sent to another department waits in
 * the queue for that department's agents.
 *
 * @module
 */
import { packButton } from "../rules/button_data.ts";
import { compareFor, isFree } from "../rules/matchmaking.ts";
import type { Ticket, User } from "../store/mod.ts";
import { texts, ticketNumber } from "../texts/mod.ts";
import { type ButtonPress, type DeskContext, nameOf } from "./context.ts";
import { transferButtons } from "./keyboards.ts";
import { departmentName } from "./departments.ts";
import { needsOf } from "./routing.ts";

/** Free agents offered as transfer buttons. */
const TRANSFER_CHOICES = 20;

/** `/transfer`: offers the free agents (and the queue) as buttons. */
export function offerTransfer(ctx: DeskContext, agent: User): void {
  const ticket = ctx.ticketOf(agent);
  if (!ticket || ticket.status !== "open") return ctx.say(agent, (t) => t.noDialog);
  const free = ctx.store.freeAgents().filter((a) => a.userId !== agent.userId)
    .sort(compareFor(needsOf(ctx, ticket), ctx.now, ctx.config.onlineWindowMs))
    .slice(0, TRANSFER_CHOICES);
  const number = ticketNumber(ticket.id);
  const choices = free.map((a) => ({ userId: a.userId, name: nameOf(ctx.user(a.userId)) }));
  const departments = ctx.config.departments.length > 1
    ? ctx.config.departments.filter((d) => d.key !== ticket.department)
    : [];
  const moves = departments.map((d) => [{
    text: texts(agent.language).routing.toDepartmentButton(d.names[agent.language]),
    callback_data: packButton({ action: "move", ticketId: ticket.id, key: d.key }),
  }]);
  ctx.say(
    agent,
    (t) => free.length > 0 ? t.transferChoose(number) : t.transferNobody(number),
    [...transferButtons(agent, ticket.id, choices), ...moves],
  );
}

/** Where a transfer button sends a ticket: an agent, the queue, or another department. */
export type TransferTarget = number | "queue" | { readonly department: string };

/** A transfer button pressed by the ticket's agent: to another agent, or to the queue. */
export function transferPressed(
  ctx: DeskContext,
  agent: User,
  press: ButtonPress,
  ticket: Ticket | undefined,
  to: TransferTarget,
): void {
  if (
    !ticket || !agent.isAgent || agent.currentTicketId !== ticket.id || ticket.status !== "open" ||
    (typeof to === "object" && !ctx.config.departments.some((d) => d.key === to.department))
  ) {
    return ctx.answer(agent, press, (t) => t.buttonStale);
  }
  ctx.answer(agent, press);
  ctx.dropButtons(agent, press);
  if (to === "queue") transferToQueue(ctx, ticket, agent);
  else if (typeof to === "object") transferToDepartment(ctx, ticket, agent, to.department);
  else transferTo(ctx, ticket, agent, to);
}

/** Sends an open ticket to another department's queue; one of its agents takes it. */
function transferToDepartment(ctx: DeskContext, ticket: Ticket, from: User, key: string): void {
  const { store } = ctx;
  const client = ctx.user(ticket.clientId);
  const number = ticketNumber(ticket.id);
  store.endAgentDialog(from.userId, ctx.now);
  store.requeueTicket(ticket.id);
  store.setTicketDepartment(ticket.id, key);
  ctx.say(
    from,
    (t) => t.routing.movedToDepartment(number, departmentName(ctx, from.language, key)),
  );
  ctx.say(
    client,
    (t) => t.routing.clientMovedToDepartment(number, departmentName(ctx, client.language, key)),
  );
  ctx.channel.staff.route(ctx, store.getTicket(ticket.id)!, from.userId);
  ctx.channel.staff.agentFreed(ctx, from.userId, ticket.id);
}

/** Hands an open ticket from one agent to another, free one. */
function transferTo(ctx: DeskContext, ticket: Ticket, from: User, toId: number): void {
  const { store, now } = ctx;
  const to = store.getUser(toId);
  if (!to || to.userId === from.userId || !isFree(to)) {
    return ctx.say(from, (t) => t.transferNotFree);
  }
  const client = ctx.user(ticket.clientId);
  const number = ticketNumber(ticket.id);
  store.endAgentDialog(from.userId, now);
  store.assignTicket(ticket.id, to.userId, now);
  store.setCurrentTicket(to.userId, ticket.id);
  ctx.say(from, (t) => t.transferDone(number, nameOf(to)));
  ctx.say(to, (t) => t.transferIncoming(number, nameOf(client), nameOf(from)));
  ctx.send(to.userId, {
    method: "sendHistory",
    params: {
      chat_id: to.userId,
      client_id: ticket.clientId,
      ticket_id: ticket.id,
      up_to: store.lastMessageId(),
      format: "txt",
    },
  });
  ctx.say(client, (t) => t.transferredClient(number));
  ctx.channel.staff.agentFreed(ctx, from.userId, ticket.id);
}

/** Sends an open ticket back to the queue; another agent than `from` may take it. */
function transferToQueue(ctx: DeskContext, ticket: Ticket, from: User): void {
  const { store } = ctx;
  const client = ctx.user(ticket.clientId);
  const number = ticketNumber(ticket.id);
  store.endAgentDialog(from.userId, ctx.now);
  store.requeueTicket(ticket.id);
  ctx.say(from, (t) => t.transferQueued(number));
  ctx.say(client, (t) => t.returnedToQueue(number));
  ctx.channel.staff.route(ctx, store.getTicket(ticket.id)!, from.userId);
  ctx.channel.staff.agentFreed(ctx, from.userId, ticket.id);
}
