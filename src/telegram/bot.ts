/**
 * grammY wiring: reads each update, names the event, and hands it to the desk. Handlers
 * stay thin; everything they cause is written by the desk and sent by the outbox. The
 * commands come from the one table in `src/desk/commands.ts`.
 *
 * @module
 */
import { Bot, type Context, type Filter } from "grammy";
import { COMMANDS } from "../desk/commands.ts";
import type { Config } from "../config/mod.ts";
import type { Desk } from "../desk/mod.ts";
import type { Logger } from "../base/log.ts";
import { describeMessage, normalizeMessage } from "../rules/content.ts";
import { clientOptions, withDirectCalls } from "./client.ts";
import type { UpdateType } from "./polling.ts";
import { editOf, pressOf, reactionOf, requestOf } from "./events.ts";
import { personOf } from "./person.ts";
import { commandMatcher } from "./routing.ts";
import { installStaff } from "./staff_group.ts";
import { staffGroups } from "../rules/departments.ts";
import { BUSINESS_UPDATES, installBusiness } from "./business.ts";

/** The updates the bot asks Telegram for. */
export const ALLOWED_UPDATES: readonly UpdateType[] = [
  "message",
  "edited_message",
  "callback_query",
  "message_reaction",
  ...BUSINESS_UPDATES,
];

/** In team mode, also who joins and leaves the staff group. */
export function allowedUpdates(config: Pick<Config, "team">): readonly UpdateType[] {
  return config.team === null ? ALLOWED_UPDATES : [...ALLOWED_UPDATES, "chat_member"];
}

/** Builds the bot: private messages only, commands first, everything else relayed. */
export function createBot(config: Config, desk: Desk, log: Logger): Bot {
  const bot = new Bot(config.botToken, {
    // The same HTTP client as the outbox: every error answer carries its status.
    client: clientOptions(config.telegramApiUrl, config.pollingTimeoutSeconds + 30),
  });
  withDirectCalls(bot.api, config.telegramApiUrl, config.pollingTimeoutSeconds + 30);
  // Malformed messages are made safe (or dropped) before any handler, grammY's own included.
  // A group the bot is in but does not work in: its id, once, to set STAFF_CHAT_ID with.
  const told = new Set<number>();
  const groups = config.team === null ? [] : staffGroups(config.departments, config.team.chatId);
  bot.use((ctx, next) => {
    const update = ctx.update;
    const message = update.message ?? update.edited_message ?? update.business_message ??
      update.edited_business_message;
    if (message !== undefined && !normalizeMessage(message)) {
      log.debug("update.ignored", { update_id: update.update_id });
      return;
    }
    const chat = ctx.chat;
    if (
      chat && (chat.type === "group" || chat.type === "supergroup") &&
      !groups.includes(chat.id) && !told.has(chat.id) && told.size < 100
    ) {
      told.add(chat.id);
      log.info("group.ignored", { chat: chat.id, forum: chat.is_forum === true });
    }
    return next();
  });
  // Telegram Business: a company's account and its chats (before anything reads `ctx.chat`).
  installBusiness(bot, desk, config, log);
  // Team mode: the staff group's updates (every other group, channel and bot is ignored).
  if (config.team !== null) installStaff(bot, groups, desk, config);
  // Private chats with a human sender only; groups, channels and bots are ignored. One
  // middleware tells the kinds of update apart, commands first (routing.ts says why).
  const command = commandMatcher(COMMANDS.map((c) => c.name));
  bot.use((ctx) => {
    if (ctx.chat?.type !== "private" || ctx.from?.is_bot !== false) return;
    const person = personOf(ctx, config);
    if (!person) return;
    const update = ctx.update;
    const id = update.update_id;
    const message = update.message;
    if (message !== undefined) {
      const name = command(ctx);
      if (name !== undefined) return desk.command(id, person, requestOf(ctx, name));
      const entity = message.entities?.find((e) => e.type === "bot_command" && e.offset === 0);
      // Every known command is taken above: this one the bot does not know (grammY takes
      // `/name@username` only for this bot's own username).
      if (entity && message.text) {
        return desk.unknownCommand(id, person, {
          text: message.text,
          chatMessageId: message.message_id,
        });
      }
      const replyTo = message.reply_to_message?.message_id;
      const contact = message.contact;
      return desk.message(id, person, {
        chatMessageId: message.message_id,
        content: describeMessage(message),
        replyTo: Number.isSafeInteger(replyTo) ? replyTo : null,
        ...(contact && typeof contact.phone_number === "string"
          ? {
            contact: {
              phone: contact.phone_number,
              userId: Number.isSafeInteger(contact.user_id) ? contact.user_id! : null,
            },
          }
          : {}),
      });
    }
    if (update.callback_query?.data !== undefined) {
      return desk.button(id, person, pressOf(ctx as Filter<Context, "callback_query:data">));
    }
    if (update.message_reaction !== undefined) {
      const reaction = reactionOf(ctx as Filter<Context, "message_reaction">);
      if (reaction) desk.reaction(id, person, reaction);
      return;
    }
    if (update.edited_message !== undefined) {
      desk.edit(id, person, editOf(ctx as Filter<Context, "edited_message">));
    }
  });
  return bot;
}
