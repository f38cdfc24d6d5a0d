/**
 * The running bot: database, commit boundary, desk, grammY bot and outbox sender wired
 * together, updates arriving by long polling or by webhook, an optional HTTP server for
 * `/healthz`, the timers (queue drain, prunes), and a clean stop. `main.ts` runs it from the
 * environment; tests run it in-process.
 *
 * @module
 */
import { errorText } from "./base/errors.ts";
import { sleep } from "./base/wait.ts";
import { type Api, type Bot, GrammyError } from "grammy";
import type { DatabaseSync } from "node:sqlite";
import { CommitBoundary } from "./boundary.ts";
import { type Clock, systemClock } from "./base/clock.ts";
import { COMMANDS } from "./desk/commands.ts";
import { type Config, ConfigError } from "./config/mod.ts";
import { defaultMenus, userMenu } from "./desk/menus.ts";
import { Desk, staffMenu } from "./desk/mod.ts";
import type { LiveState } from "./http/health.ts";
import { type HttpServer, startHttpServer } from "./http/server.ts";
import { webhookHandler } from "./http/webhook.ts";
import { type Logger, silentLogger } from "./base/log.ts";
import { invoke, Jobs, SEND_TIMEOUT_SECONDS, Sender } from "./outbox/mod.ts";
import { TeamJobs } from "./outbox/team_jobs.ts";
import { Topics } from "./outbox/topics.ts";
import {
  CHECKPOINT_INTERVAL_MS,
  type Checkpointer,
  startCheckpointer,
} from "./store/checkpoint.ts";
import { checkWritable, type FileIdentity, fileIdentity, openDatabase } from "./store/db.ts";
import { lockDatabase } from "./store/lock.ts";
import { refuseIfRescued, rescue, restore } from "./store/rescue.ts";
import { PARKED_MAX_AGE_MS, Store } from "./store/mod.ts";
import { allowedUpdates, createBot } from "./telegram/bot.ts";
import { checkStaffGroup } from "./telegram/staff_check.ts";
import { checkBusiness } from "./telegram/business.ts";
import { botApi } from "./telegram/client.ts";
import { Intake } from "./telegram/intake.ts";
import { Polling } from "./telegram/polling.ts";
import { PROXY_HINT, type ReachPace, reachTelegram, unreachable } from "./telegram/reach.ts";
import { every } from "./base/timers.ts";
import { VERSION } from "./base/version.ts";

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
export const DRAIN_INTERVAL_MS = 30_000;
/** How often team mode looks for tickets that waited too long, and at the board. */
const TEAM_TICK_MS = 2000;
/** How often the staff group is asked for again while Telegram cannot be reached at start. */
const STAFF_CHECK_RETRY_MS = 5000;
/** How often an idle bot looks whether its database file is still there. */
const FILE_WATCH_MS = 2000;
/** How often handled update ids and finished deliveries are pruned. */
const PRUNE_INTERVAL_MS = 3600_000;

/** What a start may be given besides the configuration (tests give their own clock). */
export interface StartOptions {
  readonly clock?: Clock;
  /** How often an unreachable Telegram is tried and reported (tests shorten it). */
  readonly reachPace?: ReachPace;
}

/**
 * Takes the database's lock (one bot per database), refuses while a rescued copy of it lies
 * beside it (store/rescue.ts), opens it, tries parked updates again,
 * and starts the outbox sender and, with `WEBHOOK_URL`, the webhook (server first, then
 * `setWebhook`), else long polling (which removes any webhook first).
 */
export async function startApp(
  given: Config,
  log: Logger,
  options: StartOptions = {},
): Promise<App> {
  const clock = options.clock ?? systemClock;
  const lock = lockDatabase(given.databasePath);
  let db: DatabaseSync;
  let identity: FileIdentity | undefined;
  let config: Config;
  try {
    // A rescued copy beside the path holds everything: no empty desk runs instead of it.
    refuseIfRescued(given.databasePath);
    db = openDatabase(given.databasePath);
    lock.holdFile();
    identity = fileIdentity(given.databasePath);
    checkWritable(db, given.databasePath);
    // Team mode: the staff group is checked (and followed to a new id) before anything runs.
    config = given.team === null
      ? given
      : { ...given, team: await staffGroupOf(given, log, options.reachPace) };
  } catch (error) {
    if (db! !== undefined && db.isOpen) db.close();
    lock.release();
    throw error;
  }
  const store = new Store(db);
  let rescued: Promise<string | undefined> | undefined;
  const boundary = new CommitBoundary(store, {
    now: () => clock.now(),
    log,
    file: config.databasePath,
    // The sender is made below; nothing commits before the start.
    onCommit: () => sender.committed(),
    onLost: () => rescued ??= rescue(db, config.databasePath, log),
  });
  const desk = new Desk(store, boundary, config, COMMANDS);
  const bot = createBot(config, desk, log);
  const intake = new Intake(bot, boundary, store, log, {
    supportToken: config.supportToken,
    botToken: config.botToken,
  });
  const api = (timeoutSeconds: number) =>
    botApi(config.botToken, config.telegramApiUrl, timeoutSeconds);
  const calls = api(SEND_TIMEOUT_SECONDS);
  const team = config.team;
  const topics = team === null ? undefined : new Topics(
    calls,
    store,
    boundary,
    { chatId: team.chatId, language: config.defaultLanguage, departments: config.departments },
    log,
  );
  const teamJobs = team === null ? undefined : {
    chatId: team.chatId,
    jobs: new TeamJobs(calls, store, boundary, {
      language: config.defaultLanguage,
      departments: config.departments,
      timeZone: config.timeZone,
      onlineWindowMs: config.onlineWindowMs,
      now: () => clock.now(),
    }),
  };
  const jobs = new Jobs(
    { calls, history: api(SEND_TIMEOUT_SECONDS * 4), export: api(SEND_TIMEOUT_SECONDS * 10) },
    store,
    config.timeZone,
    config.defaultLanguage,
    teamJobs,
    log,
  );
  const sender: Sender = new Sender(
    { api: calls, store, boundary, outcomes: desk, jobs, clock, topics },
    { ...config, giveUpMs: config.deliveryGiveUpMs },
    log,
  );
  const state = (): LiveState => ({
    storageFault: boundary.fault,
    fileLost: boundary.lost,
    unrecorded: sender.unrecorded,
  });
  const { webhookUrl, webhookSecret, host, port, healthPort, limits } = config.server;
  let http: HttpServer | undefined;
  try {
    // A refusal is one readable line; an unreachable Telegram is tried again, and said so.
    bot.botInfo = await reachTelegram(bot.api, config.telegramApiUrl, log, options.reachPace);
    await bot.init();
    const businessMode = bot.botInfo.can_connect_to_business === true;
    checkBusiness(log, businessMode, store.connections());
    if (!businessMode && store.connections().length > 0) desk.businessModeOff();
    if (webhookUrl !== undefined && webhookSecret !== undefined) {
      http = startHttpServer({
        host,
        port,
        db,
        state,
        mode: "webhook",
        webhook: {
          path: new URL(webhookUrl).pathname,
          handle: webhookHandler(intake, boundary, webhookSecret, log),
        },
        limits,
      }, log);
      await bot.api.setWebhook(webhookUrl, {
        secret_token: webhookSecret,
        allowed_updates: [...allowedUpdates(config)],
        // One update at a time, in order, as with polling: messages keep their order.
        max_connections: 1,
      });
    } else if (healthPort !== undefined) {
      http = startHttpServer({ host, port: healthPort, db, state, mode: "polling", limits }, log);
    }
    // Updates parked by a bug in an earlier run get another chance, before any new one (those
    // parked too long ago go first).
    pruneParked(boundary, store, log);
    await intake.retryParked();
  } catch (error) {
    await http?.close();
    db.close();
    lock.release();
    throw error;
  }
  await setMenus(calls, store, config, log);
  sender.start();
  // A timer's work that fails (the database gone, say) is logged; it never ends the process.
  const prune = every(PRUNE_INTERVAL_MS, "outbox.prune_failed", async () => {
    desk.prune();
    pruneParked(boundary, store, log);
    await sender.prune();
  }, log);
  // Waiting tickets go to free agents when business hours begin (and as a safety net).
  desk.drainQueue();
  const drain = every(DRAIN_INTERVAL_MS, "queue.drain_failed", () => desk.drainQueue(), log);
  // Team mode: tickets that waited too long, and the board.
  const tick = every(TEAM_TICK_MS, "team.tick_failed", () => desk.tick(), log);
  // An idle bot notices a deleted database file too (a busy one does at its next commit).
  const watch = every(FILE_WATCH_MS, "storage.watch_failed", () => {
    if (!boundary.lost) boundary.checkFile();
  }, silentLogger);
  const polling = webhookUrl === undefined
    ? new Polling(bot, intake, boundary, {
      timeoutSeconds: config.pollingTimeoutSeconds,
      allowedUpdates: allowedUpdates(config),
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
    // Never after the file is lost: the worker opens only the file the bot opened.
    if (!boundary.lost) {
      checkpointer = startCheckpointer(db, config.databasePath, CHECKPOINT_INTERVAL_MS, identity);
    }
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
        tick.stop();
        watch.stop();
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
        const copy = await rescued;
        if (copy !== undefined) restore(copy, config.databasePath, log);
        lock.release();
        log.info("bot.stopped");
      })();
      return stopping;
    },
  };
}

/** Gives up parked updates that first failed too long ago, saying how many. */
function pruneParked(boundary: CommitBoundary, store: Store, log: Logger): void {
  const dropped = boundary.write((now) => store.pruneParked(now - PARKED_MAX_AGE_MS, now));
  if (dropped > 0) log.warn("updates.dropped", { reason: "parked too long", count: dropped });
}

/**
 * Team mode's staff group, checked (`staff_check.ts`) once Telegram answers at all (a wrong
 * token is said as such first, see `reach.ts`); while Telegram cannot be reached, asked again
 * every few seconds, saying so.
 */
async function staffGroupOf(config: Config, log: Logger, pace?: ReachPace) {
  const api = botApi(config.botToken, config.telegramApiUrl, 30);
  const me = await reachTelegram(api, config.telegramApiUrl, log, pace);
  for (;;) {
    try {
      return await checkStaffGroup(api, config.team!, me.id, log);
    } catch (error) {
      if (error instanceof ConfigError || error instanceof GrammyError) throw error;
      const { problem, detail } = unreachable(error, config.telegramApiUrl);
      log.warn("telegram.unreachable", {
        url: config.telegramApiUrl,
        problem,
        error: detail,
        retrying_in_s: STAFF_CHECK_RETRY_MS / 1000,
        hint: PROXY_HINT,
      });
      await sleep(STAFF_CHECK_RETRY_MS);
    }
  }
}

/**
 * The menus of commands: the clients' default menu in every language, the staff group's in
 * the group (team mode, in the team's language), and the admins' in their own chats (Telegram
 * refuses that for an admin who has never written to the bot).
 */
async function setMenus(api: Api, store: Store, config: Config, log: Logger): Promise<void> {
  for (const menu of defaultMenus(COMMANDS, config.defaultLanguage)) {
    try {
      const scope = menu.language_code ? { language_code: menu.language_code } : {};
      await api.setMyCommands(menu.commands, scope);
    } catch (error) {
      log.warn("commands.failed", { error: errorText(error) });
    }
  }
  // Team mode: the staff group's members see the group's commands there, not the clients'.
  if (config.team !== null) {
    const scope = { type: "chat", chat_id: config.team.chatId } as const;
    try {
      await api.setMyCommands(staffMenu(config.defaultLanguage), { scope });
    } catch (error) {
      log.warn("commands.failed", { chat: config.team.chatId, error: errorText(error) });
    }
  }
  for (const id of config.adminIds) {
    const admin = store.getUser(id) ??
      { userId: id, language: config.defaultLanguage, isAgent: false };
    try {
      await invoke(api.raw, userMenu(COMMANDS, admin, true));
    } catch (error) {
      log.warn("commands.failed", { admin: id, error: errorText(error) });
    }
  }
}
