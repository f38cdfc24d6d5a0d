/**
 * The running bot: database, desk, grammY bot and outbox sender wired together, with a
 * clean stop. `main.ts` runs it from the environment; tests run it in-process.
 *
 * @module
 */
import { type Bot, GrammyError } from "grammy";
import type { DatabaseSync } from "node:sqlite";
import { ALLOWED_UPDATES, createBot } from "./bot.ts";
import type { Config } from "./config.ts";
import { type Checkpointer, startCheckpointer } from "./checkpoint.ts";
import { openDatabase } from "./db.ts";
import { Desk } from "./desk.ts";
import { Sender } from "./delivery.ts";
import type { Logger } from "./log.ts";
import { texts } from "./texts.ts";
import { VERSION } from "./version.ts";

/** A started bot. */
export interface App {
  readonly bot: Bot;
  readonly desk: Desk;
  readonly sender: Sender;
  readonly db: DatabaseSync;
  /** Settles when polling ends: resolves after {@link App.stop}, rejects on a fatal error. */
  readonly done: Promise<void>;
  /** Stops polling, finishes deliveries in flight and closes the database. */
  stop(): Promise<void>;
}

/** Opens the database and starts long polling and the outbox sender. */
export async function startApp(config: Config, log: Logger): Promise<App> {
  const db = openDatabase(config.databasePath);
  const desk = new Desk(db, config);
  const bot = createBot(config, desk, log);
  const sender = new Sender(bot.api, desk, config, log);
  desk.onDeliveries = () => sender.wake();
  try {
    // grammY retries network failures here; say so once instead of waiting silently.
    await bot.api.getMe().catch((error) => {
      if (error instanceof GrammyError) throw error;
      log.warn("telegram.unreachable", { error: (error as Error).message, retrying: true });
    });
    await bot.init();
  } catch (error) {
    db.close();
    throw error;
  }
  await setDefaultCommands(bot, log);
  sender.start();
  const prune = setInterval(() => {
    desk.prune();
    sender.prune().catch((error) => log.warn("outbox.prune_failed", { error: error.message }));
  }, 3600_000);
  let started!: () => void;
  const running = new Promise<void>((resolve) => started = resolve);
  const done = bot.start({
    allowed_updates: [...ALLOWED_UPDATES],
    timeout: config.pollingTimeoutSeconds,
    onStart: (me) => {
      log.info("bot.started", { username: me.username, version: VERSION });
      started();
    },
  });
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
    done,
    stop() {
      stopping ??= (async () => {
        clearInterval(prune);
        if (bot.isRunning()) await bot.stop();
        await done.catch(() => {});
        await sender.stop();
        clearTimeout(startCheckpoints);
        await checkpointer?.stop();
        db.close();
        log.info("bot.stopped");
      })();
      return stopping;
    },
  };
}

/** Clients see `/start` in the menu, in Russian and English. */
async function setDefaultCommands(bot: Bot, log: Logger): Promise<void> {
  for (const language of ["ru", "en"] as const) {
    try {
      await bot.api.setMyCommands(
        [{ command: "start", description: texts(language).commands.start }],
        language === "ru" ? {} : { language_code: language },
      );
    } catch (error) {
      log.warn("commands.failed", { error: (error as Error).message });
    }
  }
}
