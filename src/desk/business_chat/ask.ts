/**
 * A question with buttons the account asks before the client has a ticket (which department
 * it is for), and the ticket that opens from the answer: what the client wrote to the account
 * meanwhile was kept; once they pick, the ticket's way in is the account, each kept message is
 * placed in the business chat (replies and edits find it), and staff are told which account
 * it came to. Before a ticket there is nothing to keep a question in: it is asked only while
 * the account may write (`mayAskDepartment` in `departments.ts` checks before the client's
 * message is kept; else the ticket opens with no department).
 *
 * @module
 */
import type { Buttons } from "../../outbox/builders.ts";
import { sendText } from "../../outbox/builders.ts";
import type { Ticket, User } from "../../store/mod.ts";
import { texts } from "../../texts/mod.ts";
import type { Say } from "../inputs.ts";
import type { DeskContext } from "../context.ts";
import { accountName, blockOf } from "./hold.ts";

/**
 * Asks `client` `text` with `buttons` as the account of `connectionId`; false: the account
 * may not write now (nothing is sent).
 */
export function askAsAccount(
  ctx: DeskContext,
  connectionId: string,
  client: User,
  text: Say,
  buttons: Buttons,
): boolean {
  if (blockOf(ctx, connectionId, client.userId) !== null) return false;
  const call = sendText(client.userId, text(texts(client.language)), { buttons });
  ctx.send(client.userId, {
    method: "sendMessage",
    params: { ...call.params, business_connection_id: connectionId },
  });
  return true;
}

/**
 * The kept messages of `ticket` (their ids in the business chat: `chatMessageIds`) went to
 * staff: each placed in the business chat, and staff told which account it came to.
 */
export function placedAsAccount(
  ctx: DeskContext,
  connectionId: string,
  ticket: Ticket,
  chatMessageIds: readonly number[],
): void {
  for (const chatMessageId of chatMessageIds) {
    const saved = ctx.store.lastWritten(ticket.clientId, -chatMessageId);
    if (saved !== null) {
      ctx.store.placeBusiness(connectionId, ticket.clientId, chatMessageId, saved);
    }
  }
  const account = accountName(ctx, connectionId);
  ctx.channel.staff.tellStaff(ctx, ticket, (t) => t.business.arrived(account));
}
