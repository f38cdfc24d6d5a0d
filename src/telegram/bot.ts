/**
 * grammY wiring: reads each update, names the event, and hands it to the desk. Handlers
 * stay thin; everything they cause is written by the desk and sent by the outbox. The
 * commands come from the one table in `src/commands.ts`.
 *
 * @module
 */
import { Bot, type Context } from "grammy";
import { COMMANDS } from "../commands.ts";
import type { Config } from "../config.ts";
import type { Desk, Person } from "../desk/mod.ts";
import type { Logger } from "../log.ts";
import { describeMessage, normalizeMessage } from "../relay.ts";
import { isReaction } from "../reactions.ts";
import { pickLanguage } from "../texts/mod.ts";
import { clientOptions } from "./client.ts";
import type { UpdateType } from "./polling.ts";

/** The updates the bot asks Telegram for. */
export const ALLOWED_UPDATES: readonly UpdateType[] = [
  "message",
  "edited_message",
  "callback_query",
  "message_reaction",
];

/** Who sent the update, or `undefined` for updates without a sender. */
function personOf(ctx: Context, config: Config): Person | undefined {
  const from = ctx.from;
  if (!from || !Number.isSafeInteger(from.id) || from.id <= 0) return undefined;
  const part = (value: unknown) => typeof value === "string" ? value.trim() : "";
  const fullName = [part(from.first_name), part(from.last_name)].filter(Boolean).join(" ")
    .slice(0, 128) || String(from.id);
  return {
    userId: from.id,
    username: typeof from.username === "string" ? from.username.slice(0, 64) : null,
    fullName,
    language: pickLanguage(
      typeof from.language_code === "string" ? from.language_code : undefined,
      config.defaultLanguage,
    ),
  };
}

/** Builds the bot: private messages only, commands first, everything else relayed. */
export function createBot(config: Config, desk: Desk, log: Logger): Bot {
  const bot = new Bot(config.botToken, {
    // The same HTTP client as the outbox: every error answer carries its status.
    client: clientOptions(config.telegramApiUrl, config.pollingTimeoutSeconds + 30),
  });
  // Malformed messages are made safe (or dropped) before any handler, grammY's own included.
  bot.use((ctx, next) => {
    const message = ctx.update.message ?? ctx.update.edited_message;
    if (message !== undefined && !normalizeMessage(message)) {
      log.debug("update.ignored", { update_id: ctx.update.update_id });
      return;
    }
    return next();
  });
  // Private chats with a human sender only; groups, channels and bots are ignored.
  const chats = bot.chatType("private").filter((ctx) => ctx.from?.is_bot === false);
  const on = (handler: (ctx: Context, person: Person) => void) => (ctx: Context) => {
    const person = personOf(ctx, config);
    if (person) handler(ctx, person);
  };
  const id = (ctx: Context) => ctx.update.update_id;

  for (const { name } of COMMANDS) {
    chats.command(
      name,
      on((ctx, p) =>
        desk.command(id(ctx), p, {
          name,
          args: typeof ctx.match === "string" ? ctx.match : "",
          chatMessageId: ctx.msg!.message_id,
        })
      ),
    );
  }
  chats.on(
    "callback_query:data",
    on((ctx, p) => {
      const query = ctx.callbackQuery!;
      const data = typeof query.data === "string" ? query.data.slice(0, 64) : "";
      const messageId = query.message?.message_id;
      desk.button(id(ctx), p, {
        queryId: String(query.id),
        data,
        chatMessageId: Number.isSafeInteger(messageId) ? messageId! : null,
      });
    }),
  );
  chats.on(
    "message_reaction",
    on((ctx, p) => {
      const changed = ctx.messageReaction!;
      if (!Number.isSafeInteger(changed.message_id)) return;
      const first = Array.isArray(changed.new_reaction) ? changed.new_reaction[0] : undefined;
      const emoji = first?.type === "emoji" && isReaction(first.emoji) ? first.emoji : null;
      desk.reaction(id(ctx), p, { chatMessageId: changed.message_id, emoji });
    }),
  );
  chats.on(
    "edited_message",
    on((ctx, p) => {
      const message = ctx.editedMessage!;
      desk.edit(id(ctx), p, {
        chatMessageId: message.message_id,
        content: describeMessage(message),
      });
    }),
  );
  chats.on(
    "message",
    on((ctx, p) => {
      const message = ctx.message!;
      const command = message.entities?.find((e) => e.type === "bot_command" && e.offset === 0);
      // Every known command has its handler above: this one the bot does not know (grammY
      // takes `/name@username` only for this bot's own username).
      if (command && message.text) {
        return desk.unknownCommand(id(ctx), p, {
          text: message.text,
          chatMessageId: message.message_id,
        });
      }
      const replyTo = message.reply_to_message?.message_id;
      const contact = message.contact;
      desk.message(id(ctx), p, {
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
    }),
  );
  return bot;
}
