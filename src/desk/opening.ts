/**
 * Opening a ticket: the client's new ticket, linked to their previous one, in the department
 * they picked (or the only one there is), bound to the client as their current ticket.
 * Shared by a client's first message (`conversation.ts`) and their pick of a department
 * (`departments.ts`).
 *
 * @module
 */
import type { Ticket, User } from "../store/mod.ts";
import type { DeskContext } from "./context.ts";

/** Opens a ticket for `client` in `department`; it waits in the queue until someone has it. */
export function openTicket(ctx: DeskContext, client: User, department: string | null): Ticket {
  const { store, now } = ctx;
  const previous = store.lastTicketOfClient(client.userId);
  const id = store.createTicket(client.userId, now, previous?.id ?? null, department);
  store.setCurrentTicket(client.userId, id);
  // The way the client came in: a company's business account (Telegram Business), or the bot.
  if (ctx.via !== null) store.setWay(id, ctx.via);
  return store.getTicket(id)!;
}
