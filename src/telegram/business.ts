/**
 * Telegram Business wiring: a connection (`business_connection`), a message in a business chat
 * (`business_message`, the client's or the account owner's), its edit and deletion, read from
 * grammY's context and handed to the desk. A connection the store does not know is looked up
 * with `getBusinessConnection` first. The setup check: one log line (and the admins told, by
 * the desk) when Business Mode is off in @BotFather or a connection lacks `can_reply`.
 *
 * @module
 */
import { type Bot, Composer, type Context, GrammyError } from "grammy";
import type { BusinessConnection } from "grammy/types";
import type { Config } from "../config/mod.ts";
import type { Desk } from "../desk/mod.ts";
import type { Logger } from "../base/log.ts";
import { describeMessage } from "../rules/content.ts";
import type { Connection } from "../store/mod.ts";
import { personFrom } from "./person.ts";
import { gate } from "./routing.ts";

/** The update kinds of Telegram Business (they must be asked for in `allowed_updates`). */
export const BUSINESS_UPDATES = [
  "business_connection",
  "business_message",
  "edited_business_message",
  "deleted_business_messages",
] as const;

/** A connection as Telegram describes it, as the store keeps it. */
export function connectionFrom(c: BusinessConnection, now: number): Connection | undefined {
  if (typeof c?.id !== "string" || !Number.isSafeInteger(c.user?.id)) return undefined;
  const rights: Record<string, boolean> = {};
  const given = (c as { rights?: Record<string, unknown> }).rights;
  if (given && typeof given === "object") {
    for (const [key, value] of Object.entries(given)) if (value === true) rights[key] = true;
  } else if ((c as { can_reply?: boolean }).can_reply === true) {
    rights.can_reply = true; // before Bot API 9.0
  }
  const name = [c.user.first_name, c.user.last_name].filter(Boolean).join(" ").slice(0, 128);
  return {
    id: c.id.slice(0, 128),
    ownerId: c.user.id,
    userChatId: Number.isSafeInteger(c.user_chat_id) ? c.user_chat_id : c.user.id,
    ownerName: name || String(c.user.id),
    rights,
    isEnabled: c.is_enabled === true,
    updatedAt: now,
  };
}

/** Logs a connection whose setup needs its owner's attention. */
export function checkConnection(log: Logger, c: Connection): void {
  if (!c.isEnabled) log.warn("business.disabled", { connection: c.id, owner: c.ownerId });
  else if (c.rights.can_reply !== true) {
    log.warn("business.no_reply", {
      connection: c.id,
      owner: c.ownerId,
      fix: "the owner allows the bot to reply in Settings → Business → Chatbots",
    });
  }
}

/**
 * The setup check at start: Business Mode off in @BotFather (one line: a warning when accounts
 * had connected, else at the debug level), and each stored connection that is off or may not
 * reply.
 */
export function checkBusiness(
  log: Logger,
  businessMode: boolean,
  connections: readonly Connection[],
): void {
  if (!businessMode) {
    const fields = {
      fix: "turn Business Mode on in @BotFather to let company accounts connect the bot",
    };
    // Said as a warning once an account had connected; a desk that never used Business Mode
    // keeps it at the debug level (nothing is wrong there).
    if (connections.length > 0) log.warn("business.mode_off", fields);
    else log.debug("business.mode_off", fields);
  }
  for (const c of connections) checkConnection(log, c);
}

/** Installs the handlers of business updates on `bot` (before any other handler). */
export function installBusiness(bot: Bot, desk: Desk, config: Config, log: Logger): void {
  /** The connection an update names: the store's, or looked up from Telegram. */
  const known = async (ctx: Context, id: unknown): Promise<Connection | undefined> => {
    if (typeof id !== "string" || id === "") return undefined;
    const stored = desk.connection(id);
    if (stored) return stored;
    let described: BusinessConnection;
    try {
      described = await ctx.api.getBusinessConnection(id);
    } catch (error) {
      // Telegram knows no such connection (gone since): the update has nowhere to go. Anything
      // else (no answer, 5xx) is thrown on: the update is parked and tried again later.
      if (error instanceof GrammyError && error.error_code >= 400 && error.error_code < 500) {
        log.warn("business.unknown_connection", { connection: id, error: error.description });
        return undefined;
      }
      throw error;
    }
    const fetched = connectionFrom(described, Date.now());
    if (fetched) checkConnection(log, fetched);
    return fetched;
  };

  // Every other update passes these by one call (routing.ts).
  const business = new Composer();
  bot.use(gate((ctx) => BUSINESS_UPDATES.some((kind) => kind in ctx.update), business));
  business.on("business_connection", (ctx) => {
    const connection = connectionFrom(ctx.update.business_connection!, Date.now());
    if (!connection) return;
    checkConnection(log, connection);
    desk.businessConnection(ctx.update.update_id, connection);
  });
  business.on("business_message", async (ctx) => {
    const message = ctx.update.business_message!;
    // What the bot itself sent as the account, should Telegram hand it back: already recorded.
    if (message.sender_business_bot?.id === ctx.me.id) return;
    const connection = await known(ctx, message.business_connection_id);
    const person = message.from ? personFrom(message.from, config) : undefined;
    if (!connection || !person || message.from?.is_bot || message.chat?.type !== "private") return;
    const replyTo = message.reply_to_message?.message_id;
    desk.businessMessage(ctx.update.update_id, connection, person, message.chat.id, {
      chatMessageId: message.message_id,
      content: describeMessage(message),
      replyTo: Number.isSafeInteger(replyTo) ? replyTo : null,
    });
  });
  business.on("edited_business_message", async (ctx) => {
    const message = ctx.update.edited_business_message!;
    if (message.sender_business_bot?.id === ctx.me.id) return;
    const connection = await known(ctx, message.business_connection_id);
    const person = message.from ? personFrom(message.from, config) : undefined;
    if (!connection || !person) return;
    desk.businessEdit(ctx.update.update_id, connection, person, {
      chatMessageId: message.message_id,
      content: describeMessage(message),
    });
  });
  business.on("deleted_business_messages", async (ctx) => {
    const deleted = ctx.update.deleted_business_messages!;
    const connection = await known(ctx, deleted.business_connection_id);
    const ids = Array.isArray(deleted.message_ids)
      ? deleted.message_ids.filter((id) => Number.isSafeInteger(id))
      : [];
    if (!connection || !Number.isSafeInteger(deleted.chat?.id) || ids.length === 0) return;
    desk.businessDeleted(ctx.update.update_id, connection, deleted.chat.id, ids);
  });
}
