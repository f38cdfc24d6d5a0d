/**
 * The running bot: database, desk, grammY bot and outbox sender wired together, updates
 * arriving by long polling or by webhook, an optional HTTP server for `/healthz`, and a
 * clean stop. `main.ts` runs it from the environment; tests run it in-process.
 *
 * @module
 */
import { type Bot, GrammyError } from "grammy";
import type { DatabaseSync } from "node:sqlite";
import { ALLOWED_UPDATES, createBot } from "./telegram/bot.ts";
import type { Config } from "./config.ts";
import { type Checkpointer, startCheckpointer } from "./store/checkpoint.ts";
import { openDatabase } from "./store/db.ts";
import { commandsCall, Desk } from "./desk/mod.ts";
import { Sender } from "./outbox/sender.ts";
import { type HttpServer, startHttpServer } from "./http/server.ts";
import type { Logger } from "./log.ts";
import { texts } from "./texts/mod.ts";
import { VERSION } from "./version.ts";
import { webhookHandler } from "./http/webhook.ts";

/** A started bot. */
export interface App {
  readonly bot: Bot;
  readonly desk: Desk;
  readonly sender: Sender;
  readonly db: DatabaseSync;
  /** The HTTP server (webhook and `/healthz`, or `/healthz` alone on `HEALTH_PORT`), if any. */
  readonly http: HttpServer | undefined;
  /** Settles when the bot ends: resolves after {@link App.stop}, rejects on a fatal error. */
  readonly done: Promise<void>;
  /** Stops taking updates, finishes deliveries in flight and closes the database. */
  stop(): Promise<void>;
}

/**
 * Opens the database and starts the outbox sender and, with `WEBHOOK_URL`, the webhook
 * (server first, then `setWebhook`), else long polling (which removes any webhook first).
 */
export async function startApp(config: Config, log: Logger): Promise<App> {
  const db = openDatabase(config.databasePath);
  const desk = new Desk(db, config);
  const bot = createBot(config, desk, log);
  const sender = new Sender(bot.api, desk, config, log);
  desk.onDeliveries = () => sender.wake();
  // Long polling: the updates of one getUpdates batch commit together (one commit instead of
  // one each), before the next getUpdates confirms them. Webhook: each before its answer.
  desk.batchUpdates = config.server.webhookUrl === undefined;
  const { webhookUrl, webhookSecret, host, port, healthPort } = config.server;
  let http: HttpServer | undefined;
  try {
    // grammY retries network failures here; say so once instead of waiting silently.
    await bot.api.getMe().catch((error) => {
      if (error instanceof GrammyError) throw error;
      log.warn("telegram.unreachable", { error: (error as Error).message, retrying: true });
    });
    await bot.init();
    if (webhookUrl !== undefined && webhookSecret !== undefined) {
      http = startHttpServer({
        host,
        port,
        db,
        mode: "webhook",
        webhook: {
          path: new URL(webhookUrl).pathname,
          handle: webhookHandler(bot, webhookSecret, log),
        },
      }, log);
      await bot.api.setWebhook(webhookUrl, {
        secret_token: webhookSecret,
        allowed_updates: [...ALLOWED_UPDATES],
        // One update at a time, in order, as with polling: messages keep their order.
        max_connections: 1,
      });
    } else if (healthPort !== undefined) {
      http = startHttpServer({ host, port: healthPort, db, mode: "polling" }, log);
    }
  } catch (error) {
    await http?.close();
    db.close();
    throw error;
  }
  await setDefaultCommands(bot, log);
  await setAdminCommands(bot, desk, config, log);
  sender.start();
  const prune = setInterval(() => {
    desk.prune();
    sender.prune().catch((error) => log.warn("outbox.prune_failed", { error: error.message }));
  }, 3600_000);
  // Waiting tickets go to free agents when business hours begin (and as a safety net).
  desk.drainQueue();
  const drain = setInterval(() => {
    try {
      desk.drainQueue();
    } catch (error) {
      log.error("queue.drain_failed", { error: (error as Error).message });
    }
  }, DRAIN_INTERVAL_MS);
  let started!: () => void;
  const running = new Promise<void>((resolve) => started = resolve);
  let stopped!: () => void;
  const done = webhookUrl !== undefined
    ? new Promise<void>((resolve) => stopped = resolve)
    // bot.start() calls deleteWebhook before the first getUpdates: a webhook left from
    // webhook mode would make every getUpdates fail with 409.
    : bot.start({
      allowed_updates: [...ALLOWED_UPDATES],
      timeout: config.pollingTimeoutSeconds,
      onStart: (me) => {
        log.info("bot.started", { username: me.username, version: VERSION, mode: "polling" });
        started();
      },
    });
  if (webhookUrl !== undefined) {
    log.info("bot.started", { username: bot.botInfo.username, version: VERSION, mode: "webhook" });
    started();
  }
  done.catch(() => started());
  await Promise.race([running, done]);
  // Started a moment after polling, so that starting its thread does not delay the first
  // getUpdates (the bot's own connection checkpoints until then, as SQLite does by default).
  let checkpointer: Checkpointer | undefined;
  const startCheckpoints = setTimeout(() => {
    checkpointer = startCheckpointer(db, config.databasePath);
  }, 1000);
  let stopping: Promise<void> | undefined;
  return {
    bot,
    desk,
    sender,
    db,
    http,
    done,
    stop() {
      stopping ??= (async () => {
        clearInterval(prune);
        clearInterval(drain);
        if (bot.isRunning()) await bot.stop();
        // Requests in flight finish (and commit) before the database closes.
        await http?.close();
        stopped?.();
        await done.catch(() => {});
        desk.flush();
        await sender.stop();
        clearTimeout(startCheckpoints);
        await checkpointer?.stop();
        if (db.isOpen) db.close();
        log.info("bot.stopped");
      })();
      return stopping;
    },
  };
}

/** How often waiting tickets are offered to free agents. */
const DRAIN_INTERVAL_MS = 30_000;

/** Clients see `/start` and `/close` in the menu, in Russian and English. */
async function setDefaultCommands(bot: Bot, log: Logger): Promise<void> {
  for (const language of ["ru", "en"] as const) {
    const c = texts(language).commands;
    try {
      await bot.api.setMyCommands(
        [{ command: "start", description: c.start }, { command: "close", description: c.close }],
        language === "ru" ? {} : { language_code: language },
      );
    } catch (error) {
      log.warn("commands.failed", { error: (error as Error).message });
    }
  }
}

/** Admins see their commands in their own chat (once they have written to the bot). */
async function setAdminCommands(bot: Bot, desk: Desk, config: Config, log: Logger) {
  for (const id of config.adminIds) {
    const user = desk.store.getUser(id);
    const call = commandsCall(
      id,
      user?.language ?? config.defaultLanguage,
      user?.isAgent ?? false,
      true,
    );
    try {
      await bot.api.raw.setMyCommands(call.params as never);
    } catch (error) {
      log.warn("commands.failed", { admin: id, error: (error as Error).message });
    }
  }
}
