/**
 * Buttons that no longer work disappear. A ticket's close button (under the messages that
 * told the client their ticket is open) and the "no comment" button (under the thanks for a
 * rating) are kept track of: when the outbox reports the id of a message of the bot's that
 * carries one, it is kept with its ticket; when the ticket closes, or the comment is written
 * or skipped, each such message loses its buttons. One reported after that loses them at
 * once. (Buttons whose press is their end, such as ratings and saved replies, are taken away
 * by the press itself: `ctx.dropButtons`.)
 *
 * @module
 */
import { dropButtons } from "../outbox/builders.ts";
import { parseButton } from "../rules/button_data.ts";
import type { ButtonAction } from "../store/mod.ts";
import type { ButtonPress, DeskContext } from "./context.ts";

/** A button kept track of: its action and its ticket. */
export interface TrackedButton {
  readonly action: ButtonAction;
  readonly ticketId: number;
}

/** The first close or no-comment button in a delivery's parameters (JSON), if any. */
const TRACKED = /"callback_data":"((?:close|skip):\d+)"/;

/**
 * The button of a delivery that is kept track of, read from its method and parameters (cheap
 * enough for every message the bot sends: most are left at a string search).
 */
export function trackedButton(
  delivery: { readonly method: string; readonly params: string },
): TrackedButton | undefined {
  if (delivery.method !== "sendMessage") return undefined;
  const found = TRACKED.exec(delivery.params);
  const data = found ? parseButton(found[1]) : undefined;
  if (data?.action !== "close" && data?.action !== "skip") return undefined;
  return { action: data.action, ticketId: data.ticketId };
}

/**
 * The outbox sent message `messageId` to `chatId` with `button`: kept with its ticket while
 * the button works; taken away at once when it no longer does.
 */
export function buttonSent(
  ctx: DeskContext,
  chatId: number,
  messageId: number,
  button: TrackedButton,
): void {
  if (works(ctx, chatId, button)) {
    return ctx.store.keepButtons(chatId, messageId, button.ticketId, button.action);
  }
  if (!banned(ctx, chatId)) ctx.send(chatId, dropButtons(chatId, messageId));
}

/** Whether `button` still does something. */
function works(ctx: DeskContext, chatId: number, button: TrackedButton): boolean {
  if (button.action === "close") {
    return ctx.store.getTicket(button.ticketId)?.status !== "closed";
  }
  return ctx.store.getUser(chatId)?.commentTicketId === button.ticketId;
}

/**
 * Takes `action`'s button of ticket `ticketId` away from every message that carries it (but
 * in the chat of a banned user, who hears nothing from the bot, not even that: there they
 * are only forgotten, and do nothing when pressed).
 */
export function dropTicketButtons(ctx: DeskContext, ticketId: number, action: ButtonAction): void {
  for (const { chatId, messageId } of ctx.store.takeButtons(ticketId, action)) {
    if (!banned(ctx, chatId)) ctx.send(chatId, dropButtons(chatId, messageId));
  }
}

/** Whether the chat is a banned user's. */
function banned(ctx: DeskContext, chatId: number): boolean {
  return (ctx.store.getUser(chatId)?.bannedAt ?? null) !== null;
}

/** Takes the buttons away from the message pressed in `chatId`, which is no longer tracked. */
export function dropPressed(ctx: DeskContext, chatId: number, press: ButtonPress): void {
  if (press.chatMessageId === null) return;
  ctx.store.forgetButtons(chatId, press.chatMessageId);
  ctx.send(chatId, dropButtons(chatId, press.chatMessageId));
}
