/**
 * The bot never writes to a company's client as itself: a delivery to a client whose latest
 * ticket came through a business account, or to the author of an event that came through
 * one, goes only when it is sent as the account (`business_connection_id`), or is no message
 * (a menu, the answer to a button). What the desk says on its own (`ctx.say`: a greeting, the
 * queue, the closing) is not said there: the account's own greeting and away messages are
 * Telegram's business. A client's message to the bot's own chat makes the bot's chat their
 * way in again.
 *
 * @module
 */
import type { OutboxCall } from "../../outbox/calls.ts";
import type { User } from "../../store/mod.ts";
import type { DeskContext } from "../context.ts";

/** Calls that post nothing in the client's chat. */
const HARMLESS: ReadonlySet<string> = new Set([
  "setMyCommands",
  "deleteMyCommands",
  "answerCallbackQuery",
  "readBusinessMessage",
]);

/** Whether a delivery to `chatId` must not go (see the module's comment). */
export function notAsTheBot(ctx: DeskContext, chatId: number, call: OutboxCall): boolean {
  if (HARMLESS.has(call.method) || "business_connection_id" in call.params) return false;
  if (ctx.author === chatId) return ctx.via !== null;
  const user = ctx.store.getUser(chatId);
  if (!user || user.isAgent) return false;
  return ctx.store.lastWayOfClient(chatId) !== null;
}

/**
 * A client wrote in the bot's own chat: their open ticket's answers go there from now (an
 * answer goes where the question was asked).
 */
export function cameByBot(ctx: DeskContext, client: User): void {
  if (client.currentTicketId === null) return;
  if (ctx.store.wayOf(client.currentTicketId) !== null) {
    ctx.store.setWay(client.currentTicketId, null);
  }
}
