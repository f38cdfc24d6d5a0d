/**
 * Onboarding: `/start` (a greeting; a new user is asked for their name once; staff get their
 * help), the answer to that question, and `/register_support <token>`, by which a user
 * becomes an agent (told their commands at once).
 *
 * @module
 */
import { secretsEqual } from "../base/secrets.ts";
import type { User } from "../store/mod.ts";
import type { DeskContext, Incoming } from "./context.ts";
import { closeTicket } from "./tickets.ts";
import { deleteMessage, sendText } from "../outbox/builders.ts";
import { texts } from "../texts/mod.ts";
import { nameOf } from "./context.ts";
import { helpOf } from "./help.ts";

/** Wrong `/register_support` tries allowed before a lock. */
export const REGISTER_MAX_FAILURES = 5;
/** How long a user is locked out after too many wrong tries. */
export const REGISTER_LOCK_MS = 15 * 60_000;

/**
 * Whether a reply to "what is your name?" looks like a name rather than a question:
 * one line, at most four words and 64 characters, with a letter and no question mark.
 */
export function looksLikeName(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && t.length <= 64 && !/[\n?/]/.test(t) &&
    t.split(/\s+/).length <= 4 && /\p{L}/u.test(t);
}

/** `/start`: greets; a new user is asked for their name once. */
export function start(ctx: DeskContext, user: User): void {
  const { store } = ctx;
  if (user.bannedAt !== null) return;
  if (user.isAgent || ctx.isAdmin(user)) return ctx.say(user, helpOf(ctx, user));
  if (user.name === null && !user.awaitingName && store.ticketsOfClient(user.userId).length === 0) {
    store.setAwaitingName(user.userId, true);
    return ctx.say(user, (t) => `${t.greetingNew}\n\n${t.askName}`);
  }
  const ticket = ctx.ticketOf(user);
  if (ticket?.status === "queued") {
    return ctx.say(user, (t) => t.stillQueued(store.queuePosition(ticket)));
  }
  ctx.say(user, (t) => user.awaitingName ? t.askName : t.greetingBack(nameOf(user)));
}

/**
 * The client's answer when the bot asked for their name: saved when it looks like a name
 * (true: the answer is handled); otherwise the client went straight to their question, which
 * is served under their Telegram name (false: handle it as a message).
 */
export function nameAnswered(ctx: DeskContext, client: User, text: string): boolean {
  ctx.store.setAwaitingName(client.userId, false);
  if (!looksLikeName(text)) return false;
  const name = text.trim();
  ctx.store.setName(client.userId, name);
  if (!ctx.config.askContact) {
    ctx.say(client, (t) => t.nameSaved(name));
    return true;
  }
  // ASK_CONTACT: the number is asked next, with a button that shares it, and one to skip.
  ctx.store.setAwaitingContact(client.userId, true);
  const t = texts(client.language);
  ctx.send(
    client.userId,
    sendText(client.userId, t.nameSavedAskContact(name), {
      keyboard: [[{ text: t.contactShare, request_contact: true }], [{ text: t.contactSkip }]],
    }),
  );
  return true;
}

/**
 * The client's answer when the bot asked for their phone number: their own contact (shared
 * with the button) is kept; "skip" skips it (true: handled). Anything else is their question:
 * the bot stops asking, takes the buttons away (they would stay under the client's keyboard
 * otherwise), and it is handled as a message (false).
 */
export function contactAnswered(ctx: DeskContext, client: User, incoming: Incoming): boolean {
  ctx.store.setAwaitingContact(client.userId, false);
  const { contact } = incoming;
  const t = texts(client.language);
  const done = (text: string) =>
    ctx.send(client.userId, sendText(client.userId, text, { removeKeyboard: true }));
  // Only the client's own contact is theirs (another's, forwarded, is a message).
  if (contact && contact.userId === client.userId) {
    ctx.store.setPhone(client.userId, contact.phone.slice(0, 32));
    done(t.contactSaved);
    return true;
  }
  if (incoming.content.kind === "text" && incoming.content.text?.trim() === t.contactSkip) {
    done(t.contactSkipped);
    return true;
  }
  done(t.contactDropped);
  return false;
}

/**
 * `/register_support <token>`: the token must not stay in the chat, right or wrong. A banned
 * user is ignored (their message is still deleted): a ban is not lifted by the token.
 */
export function register(
  ctx: DeskContext,
  user: User,
  request: { readonly args: string; readonly chatMessageId: number },
): void {
  const { store, now } = ctx;
  const token = request.args.trim().split(/\s+/)[0] ?? "";
  if (token) ctx.send(user.userId, deleteMessage(user.userId, request.chatMessageId));
  if (user.bannedAt !== null) return;
  // Where staff work elsewhere (a staff group's members are its agents), nobody registers here.
  if (!ctx.channel.staff.mayRegister(ctx, user)) return;
  if (user.isAgent) return ctx.say(user, (t) => t.registerAlready);
  if (user.registerLockedUntil !== null && user.registerLockedUntil > now) {
    const minutes = Math.ceil((user.registerLockedUntil - now) / 60_000);
    return ctx.say(user, (t) => t.registerLocked(minutes));
  }
  if (!token) return ctx.say(user, (t) => t.registerMissing);
  if (!secretsEqual(token, ctx.config.supportToken)) {
    const failures = user.registerFailures + 1;
    if (failures >= REGISTER_MAX_FAILURES) {
      store.setRegisterFailures(user.userId, 0, now + REGISTER_LOCK_MS);
      return ctx.say(user, (t) => t.registerLocked(Math.ceil(REGISTER_LOCK_MS / 60_000)));
    }
    store.setRegisterFailures(user.userId, failures, null);
    return ctx.say(user, (t) => t.registerWrong);
  }
  if (user.currentTicketId !== null) {
    closeTicket(ctx, store.getTicket(user.currentTicketId)!, "client", "left");
    ctx.say(user, (t) => t.registerHasTicket);
  }
  store.makeAgent(user.userId, now);
  store.setRevoked(user.userId, null);
  ctx.setMenu(ctx.user(user.userId));
  ctx.say(user, (t) => `${t.registerOk}\n\n${t.agentCommands}`);
  ctx.channel.staff.agentFreed(ctx, user.userId);
}
