/**
 * The running bot: database, commit boundary, desk, grammY bot and outbox sender wired
 * together, updates arriving by long polling or by webhook, an optional HTTP server for
 * `/healthz`, the timers (queue drain, prunes), and a clean stop. `main.ts` runs it from the
 * environment; tests run it in-process.
 *
 * @module
 */
import { Api, type Bot, GrammyError } from "grammy";
import type { DatabaseSync } from "node:sqlite";
import { CommitBoundary } from "./boundary.ts";
import { COMMANDS } from "./commands.ts";
import type { Config } from "./config.ts";
import { defaultMenus, userMenu } from "./desk/menus.ts";
import { Desk } from "./desk/mod.ts";
import { type HttpServer, startHttpServer } from "./http/server.ts";
import { webhookHandler } from "./http/webhook.ts";
import type { Logger } from "./log.ts";
import { invoke, Jobs, SEND_TIMEOUT_SECONDS, Sender } from "./outbox/mod.ts";
import { type Checkpointer, startCheckpointer } from "./store/checkpoint.ts";
import { openDatabase } from "./store/db.ts";
import { Store } from "./store/mod.ts";
import { ALLOWED_UPDATES, createBot } from "./telegram/bot.ts";
import { Polling } from "./telegram/polling.ts";
import { every } from "./timers.ts";
import { VERSION } from "./version.ts";

/** A started bot. */
export interface App {
  readonly bot: Bot;
  readonly boundary: CommitBoundary;
  readonly desk: Desk;
  readonly sender: Sender;
  /** Long polling; `undefined` in webhook mode. */
  readonly polling: Polling | undefined;
  readonly db: DatabaseSync;
  /** The HTTP server (webhook and `/healthz`, or `/healthz` alone on `HEALTH_PORT`), if any. */
  readonly http: HttpServer | undefined;
  /** Settles when the bot ends: resolves after {@link App.stop}, rejects on a fatal error. */
  readonly done: Promise<void>;
  /** Stops taking updates, finishes deliveries in flight and closes the database. */
  stop(): Promise<void>;
}

/** How often waiting tickets are offered to free agents. */
const DRAIN_INTERVAL_MS = 30_000;
/** How often handled update ids and finished deliveries are pruned. */
const PRUNE_INTERVAL_MS = 3600_000;

/**
 * Opens the database and starts the outbox sender and, with `WEBHOOK_URL`, the webhook
 * (server first, then `setWebhook`), else long polling (which removes any webhook first).
 */
export async function startApp(config: Config, log: Logger): Promise<App> {
  const db = openDatabase(config.databasePath);
  const store = new Store(db);
  const boundary = new CommitBoundary(store);
  const desk = new Desk(store, boundary, config, COMMANDS);
  const bot = createBot(config, desk, log);
  const api = (timeoutSeconds: number) =>
    new Api(config.botToken, { apiRoot: config.telegramApiUrl, timeoutSeconds });
  const calls = api(SEND_TIMEOUT_SECONDS);
  const jobs = new Jobs(
    { calls, history: api(SEND_TIMEOUT_SECONDS * 4), export: api(SEND_TIMEOUT_SECONDS * 10) },
    store,
    config.timeZone,
    config.defaultLanguage,
  );
  const sender = new Sender({ api: calls, store, boundary, outcomes: desk, jobs }, config, log);
  boundary.onCommit = () => sender.wake();
  const { webhookUrl, webhookSecret, host, port, healthPort, limits } = config.server;
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
          handle: webhookHandler(bot, boundary, webhookSecret, log),
        },
        limits,
      }, log);
      await bot.api.setWebhook(webhookUrl, {
        secret_token: webhookSecret,
        allowed_updates: [...ALLOWED_UPDATES],
        // One update at a time, in order, as with polling: messages keep their order.
        max_connections: 1,
      });
    } else if (healthPort !== undefined) {
      http = startHttpServer({ host, port: healthPort, db, mode: "polling", limits }, log);
    }
  } catch (error) {
    await http?.close();
    db.close();
    throw error;
  }
  await setMenus(calls, store, config, log);
  sender.start();
  // A timer's work that fails (the database gone, say) is logged; it never ends the process.
  const prune = every(PRUNE_INTERVAL_MS, "outbox.prune_failed", async () => {
    desk.prune();
    await sender.prune();
  }, log);
  // Waiting tickets go to free agents when business hours begin (and as a safety net).
  desk.drainQueue();
  const drain = every(DRAIN_INTERVAL_MS, "queue.drain_failed", () => desk.drainQueue(), log);
  const polling = webhookUrl === undefined
    ? new Polling(bot, boundary, {
      timeoutSeconds: config.pollingTimeoutSeconds,
      allowedUpdates: ALLOWED_UPDATES,
    }, log)
    : undefined;
  let started!: () => void;
  const running = new Promise<void>((resolve) => started = resolve);
  let stopped!: () => void;
  const done = polling === undefined
    ? new Promise<void>((resolve) => stopped = resolve)
    : polling.run(() => {
      log.info("bot.started", {
        username: bot.botInfo.username,
        version: VERSION,
        mode: "polling",
      });
      started();
    });
  if (polling === undefined) {
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
    boundary,
    desk,
    sender,
    polling,
    db,
    http,
    done,
    stop() {
      stopping ??= (async () => {
        prune.stop();
        drain.stop();
        polling?.stop();
        // Requests in flight finish (and commit) before the database closes.
        await http?.close();
        stopped?.();
        await done.catch(() => {});
        boundary.commit();
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

/**
 * The menus of commands: the clients' default menu in every language, and the admins' in
 * their own chats (Telegram refuses that for an admin who has never written to the bot).
 */
async function setMenus(api: Api, store: Store, config: Config, log: Logger): Promise<void> {
  for (const menu of defaultMenus(COMMANDS, config.defaultLanguage)) {
    try {
      const scope = menu.language_code ? { language_code: menu.language_code } : {};
      await api.setMyCommands(menu.commands, scope);
    } catch (error) {
      log.warn("commands.failed", { error: (error as Error).message });
    }
  }
  for (const id of config.adminIds) {
    const admin = store.getUser(id) ??
      { userId: id, language: config.defaultLanguage, isAgent: false };
    try {
      await invoke(api.raw, userMenu(COMMANDS, admin, true));
    } catch (error) {
      log.warn("commands.failed", { admin: id, error: (error as Error).message });
    }
  }
}
