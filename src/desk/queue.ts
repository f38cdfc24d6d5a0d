/**
 * The queue, as every channel has it: the greeting of a ticket just opened, said with what
 * comes next, and an agent taken off their ticket (unreachable, revoked), which puts it back
 * in the queue for the staff side to hand on. Who serves a waiting ticket is the staff side's
 * to decide (`ctx.channel.staff.route`).
 *
 * @module
 */
import type { Ticket, User } from "../store/mod.ts";
import { type Texts, ticketNumber } from "../texts/mod.ts";
import type { DeskContext, Say } from "./context.ts";
import { closeButton } from "./keyboards.ts";

/**
 * The greeting of a ticket just opened. It goes in front of the one message that tells the
 * client what happens next (an agent is there, the place in the queue, the opening hours), so
 * that their first message gets one answer, not two.
 */
export type Greeting = (t: Texts) => string;

/** `text`, with the greeting in front when there is one. */
export function greeted(t: Texts, greeting: Greeting | undefined, text: string): string {
  return greeting ? `${greeting(t)} ${text}` : text;
}

/**
 * The one answer to the message that opened `ticket`: the greeting (if any), the ticket's
 * number, and `next`, what happens now (the queue, an agent on the way, the opening hours).
 */
export function sayOpened(
  ctx: DeskContext,
  client: User,
  ticket: Ticket,
  greeting: Greeting | undefined,
  next: Say,
): void {
  const number = ticketNumber(ticket.id);
  ctx.say(
    client,
    (t) => greeted(t, greeting, `${t.ticketOpened(number)}\n\n${next(t)}`),
    closeButton(client, ticket.id),
  );
}

/**
 * Takes an agent off their ticket (they became unreachable or lost the role): it waits again,
 * and the staff side hands it on. Returns who took it, if anyone.
 */
export function unassign(ctx: DeskContext, agent: User, ticket: Ticket): User | undefined {
  ctx.store.endAgentDialog(agent.userId, ctx.now);
  ctx.store.requeueTicket(ticket.id);
  return ctx.channel.staff.agentLost(ctx, agent, ticket);
}
