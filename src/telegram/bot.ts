/**
 * grammY wiring: reads each update, names the event, and hands it to the desk. Handlers
 * stay thin; everything they cause is written by the desk and sent by the outbox.
 *
 * @module
 */
import { Bot, type Context } from "grammy";
import type { Config } from "../config.ts";
import type { Desk, Person } from "../desk/mod.ts";
import type { Logger } from "../log.ts";
import { describeMessage, normalizeMessage } from "../relay.ts";
import { pickLanguage } from "../texts/mod.ts";

/** The updates the bot asks Telegram for. */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query"] as const;

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
    client: { apiRoot: config.telegramApiUrl, timeoutSeconds: config.pollingTimeoutSeconds + 30 },
  });
  // grammY retries a failed getUpdates by itself; say so in the log, once per failure.
  bot.api.config.use(async (prev, method, payload, signal) => {
    // getUpdates with a new offset tells Telegram the updates before it are handled: they
    // are committed first (see Desk.batchUpdates).
    if (method === "getUpdates") desk.flush();
    const failed = (error: string) => {
      if (method === "getUpdates" && !signal?.aborted) log.warn("polling.failed", { error });
    };
    try {
      const response = await prev(method, payload, signal);
      if (!response.ok) failed(`${response.error_code}: ${response.description}`);
      return response;
    } catch (error) {
      failed((error as Error).message);
      throw error;
    }
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
  const desk_ = bot.chatType("private").filter((ctx) => ctx.from?.is_bot === false);
  const on = (handler: (ctx: Context, person: Person) => void) => (ctx: Context) => {
    const person = personOf(ctx, config);
    if (person) handler(ctx, person);
  };
  const id = (ctx: Context) => ctx.update.update_id;
  const args = (ctx: Context) => typeof ctx.match === "string" ? ctx.match : "";

  desk_.command("start", on((ctx, p) => desk.start(id(ctx), p)));
  desk_.command(
    "register_support",
    on((ctx, p) => {
      const token = String(ctx.match ?? "").trim().split(/\s+/)[0] ?? "";
      desk.register(id(ctx), p, token, ctx.msg!.message_id);
    }),
  );
  desk_.command("available", on((ctx, p) => desk.toggleAvailable(id(ctx), p)));
  desk_.command("end_chat", on((ctx, p) => desk.endChat(id(ctx), p)));
  desk_.command("close", on((ctx, p) => desk.close(id(ctx), p)));
  desk_.command("history", on((ctx, p) => desk.history(id(ctx), p, args(ctx))));
  desk_.command("stats", on((ctx, p) => desk.stats(id(ctx), p)));
  desk_.command("transfer", on((ctx, p) => desk.transfer(id(ctx), p)));
  desk_.command("canned", on((ctx, p) => desk.canned(id(ctx), p, args(ctx))));
  desk_.command("agents", on((ctx, p) => desk.agents(id(ctx), p)));
  desk_.command("queue", on((ctx, p) => desk.queue(id(ctx), p)));
  desk_.command("revoke", on((ctx, p) => desk.revoke(id(ctx), p, args(ctx))));
  desk_.command("ban", on((ctx, p) => desk.ban(id(ctx), p, args(ctx))));
  desk_.command("unban", on((ctx, p) => desk.unban(id(ctx), p, args(ctx))));
  desk_.command("export", on((ctx, p) => desk.export(id(ctx), p, args(ctx))));
  desk_.on(
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
  desk_.on(
    "edited_message",
    on((ctx, p) => {
      const message = ctx.editedMessage!;
      desk.edit(id(ctx), p, {
        chatMessageId: message.message_id,
        content: describeMessage(message),
      });
    }),
  );
  desk_.on(
    "message",
    on((ctx, p) => {
      const message = ctx.message!;
      const command = message.entities?.find((e) => e.type === "bot_command" && e.offset === 0);
      // Every known command has its handler above: this one the bot does not know.
      if (command && message.text) return desk.unknownCommand(id(ctx), p);
      const replyTo = message.reply_to_message?.message_id;
      desk.message(id(ctx), p, {
        chatMessageId: message.message_id,
        content: describeMessage(message),
        replyTo: Number.isSafeInteger(replyTo) ? replyTo : null,
      });
    }),
  );

  bot.catch((error) => {
    log.error("update.failed", {
      update_id: error.ctx.update.update_id,
      error: error.error instanceof Error ? error.error.message : String(error.error),
    });
  });
  return bot;
}
