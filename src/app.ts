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
import { readFaqFile } from "./desk/knowledge.ts";
import { type FaqEntry, FaqError } from "./rules/faq.ts";
import type { LiveState } from "./http/health.ts";
import { type HttpServer, startHttpServer } from "./http/server.ts";
import { webhookHandler } from "./http/webhook.ts";
import { type Logger, silentLogger } from "./base/log.ts";
import { invoke, Jobs, SEND_TIMEOUT_SECONDS, Sender } from "./outbox/mod.ts";
import { TeamJobs } from "./outbox/team_jobs.ts";
import { Topics } from "./outbox/topics.ts";
import { startCheckpointer } from "./store/checkpoint.ts";
import { checkWritable, openDatabase } from "./store/db.ts";
import { lockDatabase } from "./store/lock.ts";
import { refuseIfRescued, rescue, restore } from "./store/rescue.ts";
import { secretsOf } from "./store/redact.ts";
import { indexMessages } from "./store/knowledge.ts";
import { PARKED_MAX_AGE_MS, Store } from "./store/mod.ts";
import { allowedUpdates, createBot } from "./telegram/bot.ts";
import { checkGroup, checkStaffGroup } from "./telegram/staff_check.ts";
import { staffGroups } from "./rules/departments.ts";
import { checkBusiness } from "./telegram/business.ts";
import { botApi } from "./telegram/client.ts";
import { Intake } from "./telegram/intake.ts";
import { Polling } from "./telegram/polling.ts";
import { PROXY_HINT, type ReachPace, reachTelegram, unreachable } from "./telegram/reach.ts";
import { every } from "./base/timers.ts";
import { Drafter } from "./llm/mod.ts";
import type { ArticleFinder } from "./rules/drafts.ts";
import { VERSION } from "./base/version.ts";

/** A started bot. */
export interface App {
  readonly bot: Bot;
  readonly boundary: CommitBoundary;
  readonly desk: Desk;
  readonly sender: Sender;
  /** The drafter of a language model's drafts; `undefined` without `LLM_URL`. */
  readonly drafter: Drafter | undefined;
  /** Long polling; `undefined` in webhook mode. */
  readonly polling: Polling | undefined;
  readonly db: DatabaseSync;
  /** The HTTP server (webhook and `/healthz`, or `/healthz` alone on `HEALTH_PORT`), if any. */
  readonly http: HttpServer | undefined;
  /** Settles when the bot ends: resolves after {@link App.stop}, rejects on a fatal error. */
  readonly done: Promise<void>;
  /** Reads `FAQ_FILE` again (SIGHUP); a bad file is logged and the base as it was stays. */
  reloadFaq(): void;
  /** Stops taking updates, finishes deliveries in flight and closes the database. */
  stop(): Promise<void>;
}

/** How often waiting tickets are offered to free agents. */
export const DRAIN_INTERVAL_MS = 30_000;
/** How often questions held on an answer from the knowledge base are looked at. */
const FAQ_TICK_MS = 2000;
/** How often team mode looks for tickets that waited too long, and at the board. */
const TEAM_TICK_MS = 2000;
/** How often the staff group is asked for again while Telegram cannot be reached at start. */
const STAFF_CHECK_RETRY_MS = 5000;
/** How often an idle bot looks whether its database file is still there. */
const FILE_WATCH_MS = 2000;
/** How often handled update ids and finished deliveries are pruned. */
const PRUNE_INTERVAL_MS = 3600_000;

/** The articles of `FAQ_FILE` (none when unset); a bad file is a {@link ConfigError}. */
function knowledgeBase(config: Config): FaqEntry[] {
  if (config.faqFile === null) return [];
  try {
    return readFaqFile(config.faqFile);
  } catch (error) {
    if (error instanceof FaqError) throw new ConfigError(error.message);
    throw error;
  }
}

/** What a start may be given besides the configuration (tests give their own clock). */
export interface StartOptions {
  readonly clock?: Clock;
  /** How often an unreachable Telegram is tried and reported (tests shorten it). */
  readonly reachPace?: ReachPace;
  /** Finds the articles put in the drafts' prompt (`LLM_URL`); the knowledge base's by default. */
  readonly articles?: ArticleFinder;
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
  // A bad knowledge base stops the start in one line, before anything is opened.
  const faq = knowledgeBase(given);
  const lock = lockDatabase(given.databasePath);
  let db: DatabaseSync;
  let config: Config;
  try {
    // A rescued copy beside the path holds everything: no empty desk runs instead of it.
    refuseIfRescued(given.databasePath);
    db = openDatabase(given.databasePath);
    lock.holdFile();
    checkWritable(db, given.databasePath);
    // Team mode: the staff group is checked (and followed to a new id) before anything runs.
    config = given.team === null ? given : await staffGroupsOf(given, log, options.reachPace);
  } catch (error) {
    if (db! !== undefined && db.isOpen) db.close();
    lock.release();
    throw error;
  }
  const store = new Store(db);
  const checkpointer = startCheckpointer(db, config.databasePath);
  let rescued: Promise<string | undefined> | undefined;
  const boundary = new CommitBoundary(store, {
    now: () => clock.now(),
    log,
    file: config.databasePath,
    // The sender is made below; nothing commits before the start.
    onCommit: () => sender.committed(),
    onCommitting: () => sender.committing(),
    onLost: () => rescued ??= rescue(db, config.databasePath, log),
    onWritten: () => checkpointer.written(),
  });
  const desk = new Desk(store, boundary, config, COMMANDS);
  const bot = createBot(config, desk, log);
  const secrets = await secretsOf(config.supportToken, config.botToken);
  const intake = new Intake(bot, boundary, store, log, secrets);
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
    groups: staffGroups(config.departments, team.chatId),
    jobs: new TeamJobs(calls, store, boundary, {
      chatId: team.chatId,
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
    config.departments,
  );
  const sender: Sender = new Sender(
    { api: calls, store, boundary, outcomes: desk, jobs, clock, topics },
    { ...config, giveUpMs: config.deliveryGiveUpMs },
    log,
  );
  // Drafts from a language model: a loop of their own, beside the sender, off the hot path.
  const drafter = config.llm === null ? undefined : new Drafter({
    store,
    boundary,
    outcomes: desk,
    llm: config.llm,
    log,
    // The knowledge base's best articles for the prompt (none without FAQ_FILE).
    articles: options.articles ?? ((text, limit) =>
      store.findArticles(text, limit).map((a) => ({
        question: a.question,
        answer: a.answer.text,
        score: a.score,
      }))),
  });
  // Search on or off as SEARCH says: indexing what is stored when turned on (at most once).
  const searchStarted = performance.now();
  const indexing = indexMessages(db, config.search);
  if (indexing === "indexed") {
    log.info("search.indexed", { ms: Math.round(performance.now() - searchStarted) });
  }
  if (indexing === "dropped") log.info("search.dropped");
  // The base as the file is now (none without FAQ_FILE: a base left from before goes).
  boundary.write(() => store.replaceArticles(faq));
  if (faq.length > 0) log.info("faq.loaded", { articles: faq.length });
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
  drafter?.start();
  // A timer's work that fails (the database gone, say) is logged; it never ends the process.
  const prune = every(PRUNE_INTERVAL_MS, "outbox.prune_failed", async () => {
    desk.prune();
    pruneParked(boundary, store, log);
    await sender.prune();
  }, log);
  // Waiting tickets go to free agents when business hours begin (and as a safety net).
  desk.drainQueue();
  const drain = every(DRAIN_INTERVAL_MS, "queue.drain_failed", () => desk.drainQueue(), log);
  // Questions held on an answer from the knowledge base go on to a person in time (also those
  // left from a run with FAQ_FILE by one without: one indexed read of an empty table).
  const faqTick = every(FAQ_TICK_MS, "faq.tick_failed", () => {
    if (!boundary.lost) desk.releaseHeldQuestions();
  }, log);
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
  let stopping: Promise<void> | undefined;
  return {
    bot,
    boundary,
    desk,
    sender,
    drafter,
    polling,
    db,
    http,
    done,
    reloadFaq() {
      const done = desk.reloadFaq();
      if ("error" in done) log.warn("faq.reload_failed", { error: done.error });
      else log.info("faq.reloaded", { articles: done.count });
    },
    stop() {
      stopping ??= (async () => {
        faqTick.stop();
        prune.stop();
        drain.stop();
        tick.stop();
        watch.stop();
        polling?.stop();
        // Requests in flight finish (and commit) before the database closes.
        await http?.close();
        stopped?.();
        await done.catch(() => {});
        // Requests to the model in flight are cut short; they stay pending for the next start.
        await drafter?.stop();
        boundary.commit();
        await sender.stop();
        checkpointer.stop();
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
 * Team mode's staff groups, checked (`staff_check.ts`) once Telegram answers at all (a wrong
 * token is said as such first, see `reach.ts`): STAFF_CHAT_ID's, then each department's own;
 * while Telegram cannot be reached, asked again every few seconds, saying so. Returns the
 * configuration with each group's id as it is now (an upgrade to a supergroup followed).
 */
async function staffGroupsOf(config: Config, log: Logger, pace?: ReachPace): Promise<Config> {
  const api = botApi(config.botToken, config.telegramApiUrl, 30);
  const me = await reachTelegram(api, config.telegramApiUrl, log, pace);
  for (;;) {
    try {
      const team = await checkStaffGroup(api, config.team!, me.id, log);
      const checked = new Map<number, number>();
      const departments = [];
      for (const d of config.departments) {
        if (d.group === null) {
          departments.push(d);
          continue;
        }
        const setting = `DEPARTMENTS ${d.key}`;
        const now = checked.get(d.group) ?? await checkGroup(api, d.group, setting, me.id, log);
        checked.set(d.group, now);
        departments.push(now === d.group ? d : { ...d, group: now });
      }
      return { ...config, team, departments };
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
  for (
    const chat of config.team === null ? [] : staffGroups(config.departments, config.team.chatId)
  ) {
    const scope = { type: "chat", chat_id: chat } as const;
    try {
      await api.setMyCommands(staffMenu(config.defaultLanguage), { scope });
    } catch (error) {
      log.warn("commands.failed", { chat, error: errorText(error) });
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
