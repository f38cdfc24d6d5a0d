/**
 * Test harness: the real bot (real grammY `Bot`, real SQLite file) talking over real HTTP
 * to the fake Bot API server, plus helpers to play clients and agents.
 *
 * @module
 */
import { join } from "node:path";
import { type App, startApp } from "../../src/app.ts";
import type { Clock } from "../../src/base/clock.ts";
import { parseConfig } from "../../src/config/mod.ts";
import { createLogger, type Logger } from "../../src/base/log.ts";
import { DEFAULT_LANGUAGE, pickLanguage, texts } from "../../src/texts/mod.ts";
import { type ApiCall, FakeTelegram, type FakeUser } from "./telegram.ts";

/** The support token every test bot is configured with. */
export const SUPPORT_TOKEN = "test-support-token-42";

/** A running test bot and its fake Telegram. */
export interface Harness {
  readonly tg: FakeTelegram;
  readonly dir: string;
  readonly dbPath: string;
  /** The bot currently running (replaced by {@link Harness.restart}). */
  app: App;
  /** Log lines written by the bot. */
  readonly logs: string[];
  /**
   * Stops the bot politely and starts a new one on the same database file, with the
   * settings changed by `env` when given.
   */
  restart(env?: Record<string, string>): Promise<void>;
  /** Stops everything and removes the temporary folder. */
  close(): Promise<void>;
}

/** Where and how a test bot runs, besides its settings. */
export interface HarnessOptions {
  /** The folder of the database (a small or read-only mount, say); a temporary one if not. */
  readonly dir?: string;
  /** The bot's clocks (a test steps the wall clock). */
  readonly clock?: Clock;
  /**
   * Sets up Telegram before the bot starts (a staff group, say); returns more settings.
   */
  readonly prepare?: (tg: FakeTelegram) => Record<string, string>;
}

/** Starts the fake Telegram server and a bot against it, in a fresh temporary folder. */
export async function startHarness(
  env: Record<string, string> = {},
  options: HarnessOptions = {},
): Promise<Harness> {
  const tg = await FakeTelegram.start();
  const dir = options.dir ?? await Deno.makeTempDir({ prefix: "helpdesk-test-" });
  const start = { clock: options.clock };
  const dbPath = join(dir, "helpdesk.db");
  const prepared = options.prepare?.(tg) ?? {};
  const configWith = (more: Record<string, string>) =>
    parseConfig({
      BOT_TOKEN: tg.token,
      SUPPORT_TOKEN,
      DATABASE_PATH: dbPath,
      TELEGRAM_API_URL: tg.apiRoot,
      RATE_LIMIT_PER_CHAT: "1000",
      RATE_LIMIT_BURST: "1000",
      RATE_LIMIT_GLOBAL: "10000",
      RATE_LIMIT_GROUP_PER_MINUTE: "60000",
      RATE_LIMIT_GROUP_BURST: "1000",
      // Tests send bursts; the pace of one client is tested where it is set.
      CLIENT_RELAY_PER_MINUTE: "10000",
      POLLING_TIMEOUT_SECONDS: "10",
      ...prepared,
      ...env,
      ...more,
    });
  const config = configWith({});
  const logs: string[] = [];
  const log: Logger = createLogger("debug", "text", (line) => logs.push(line));
  const harness: Harness = {
    tg,
    dir,
    dbPath,
    app: await startApp(config, log, start),
    logs,
    async restart(more) {
      await harness.app.stop();
      harness.app = await startApp(more ? configWith(more) : config, log, start);
    },
    async close() {
      await harness.app.stop();
      await tg.close();
      if (options.dir === undefined) await Deno.remove(dir, { recursive: true });
    },
  };
  return harness;
}

/** Runs `fn` with a fresh harness, always closing it. */
export async function withHarness(
  fn: (h: Harness) => Promise<void>,
  env: Record<string, string> = {},
  options: HarnessOptions = {},
): Promise<void> {
  const h = await startHarness(env, options);
  try {
    await fn(h);
  } catch (error) {
    console.error(h.tg.describeCalls(25));
    console.error(h.logs.slice(-20).join("\n"));
    throw error;
  } finally {
    await h.close();
  }
}

/** The text a call shows: message text, or caption. */
export function shownText(call: ApiCall): string {
  return String(call.params.text ?? call.params.caption ?? "");
}

/** Waits for a message to `chatId` whose text contains `part`, after call index `after`. */
export function waitForText(
  tg: FakeTelegram,
  chatId: number,
  part: string,
  after = 0,
  timeoutMs = 5000,
): Promise<ApiCall> {
  return tg.waitFor(
    (calls) =>
      calls.slice(after).find((c) =>
        c.ok && Number(c.params.chat_id) === chatId && shownText(c).includes(part)
      ),
    { timeoutMs, message: `a message to ${chatId} containing ${JSON.stringify(part)}` },
  );
}

/** Sends `text` as `from` and waits for a message to them containing `part`. */
export function ask(
  tg: FakeTelegram,
  from: FakeUser,
  text: string,
  part: string,
): Promise<ApiCall> {
  const after = tg.calls.length;
  tg.sendText(from, text);
  return waitForText(tg, from.id, part, after);
}

/** The texts of the messages sent to `chatId` from call index `after` on. */
export function textsTo(tg: FakeTelegram, chatId: number, after: number): string[] {
  return tg.calls.slice(after).filter((c) =>
    c.ok && c.method !== "getUpdates" && Number(c.params.chat_id) === chatId
  ).map(shownText);
}

/** Registers `agent` with the right token and waits for the confirmation. */
export async function registerAgent(
  tg: FakeTelegram,
  agent: FakeUser,
  timeoutMs = 5000,
): Promise<void> {
  const after = tg.calls.length;
  tg.sendText(agent, `/register_support ${SUPPORT_TOKEN}`);
  await waitForText(tg, agent.id, texts("ru").registerOk, after, timeoutMs);
}

/**
 * Plays a new user's onboarding: `newcomer` sends `/start`, gets the question asking their
 * name, answers `name` and gets the confirmation, in their language (the default one when the
 * bot does not speak theirs and `DEFAULT_LANGUAGE` is not set).
 */
export async function introduce(tg: FakeTelegram, newcomer: FakeUser, name: string): Promise<void> {
  const sentences = texts(pickLanguage(newcomer.language_code, DEFAULT_LANGUAGE));
  let after = tg.calls.length;
  tg.sendText(newcomer, "/start");
  await waitForText(tg, newcomer.id, sentences.askName, after);
  after = tg.calls.length;
  tg.sendText(newcomer, name);
  await waitForText(tg, newcomer.id, sentences.nameSaved(name), after);
}

/** Waits until the bot has nothing left to send. */
export async function settled(h: Harness): Promise<void> {
  // Let the poller pick up anything just pushed, then wait for the outbox to drain.
  await h.tg.waitFor(() => h.tg.pendingUpdates === 0, { message: "updates taken" });
  await new Promise((resolve) => setTimeout(resolve, 30));
  await h.app.sender.idle();
}

/** Sentences in Russian, the default language (test users send no language code). */
export const RU = texts("ru");
/** Sentences in English. */
export const EN = texts("en");
