/**
 * Configuration: the environment (and an optional `.env` file) turned into a typed,
 * validated {@link Config}. Every problem is reported as one readable line through
 * {@link ConfigError}; nothing here logs or exits.
 *
 * @module
 */
import { errorText } from "../base/errors.ts";
import { isUtcZone } from "../base/time.ts";
import { parseEnv } from "node:util";
import { parseBusinessHours, type Schedule, validTimeZone } from "../rules/business_hours.ts";
import type { HttpLimits } from "./http_limits.ts";
import { isReaction, type ReactionEmoji } from "../rules/reaction_emoji.ts";
import { type Department, parseDepartments } from "../rules/departments.ts";
import { type Language, LANGUAGES } from "../texts/types.ts";
import { defaultOf } from "./settings.ts";

export { defaultOf, type Setting, type SettingGroup, SETTINGS, settingsHelp } from "./settings.ts";

/** Everything the bot reads from its environment. */
export interface Config {
  /** Telegram bot token from @BotFather. */
  readonly botToken: string;
  /** The secret an agent sends with `/register_support`. */
  readonly supportToken: string;
  /** Path of the SQLite database file. */
  readonly databasePath: string;
  /** API root, `https://api.telegram.org` or a self-hosted Bot API server. */
  readonly telegramApiUrl: string;
  /** Webhook or long polling, and the HTTP server for the webhook and `/healthz`. */
  readonly server: ServerConfig;
  /** An agent seen within this many milliseconds counts as online. */
  readonly onlineWindowMs: number;
  /** Language for users whose Telegram language the bot does not speak. */
  readonly defaultLanguage: Language;
  /** Outgoing messages allowed per second to one chat (Telegram: about 1). */
  readonly ratePerChat: number;
  /** Messages that may go to one chat at once before the per-chat rate applies. */
  readonly rateBurst: number;
  /** Outgoing messages allowed per second in total (Telegram: about 30). */
  readonly rateGlobal: number;
  /** Outgoing messages allowed per minute to one group (Telegram: about 20). */
  readonly ratePerGroupPerMinute: number;
  /** Messages that may go to one group at once before the per-group rate applies. */
  readonly rateGroupBurst: number;
  /** Team mode (`STAFF_CHAT_ID`): the desk in a staff forum group; `null`: private mode. */
  readonly team: TeamConfig | null;
  /** Pending deliveries above which the outbox logs a warning. */
  readonly backlogWarning: number;
  /** Long-polling timeout for `getUpdates`, in seconds. */
  readonly pollingTimeoutSeconds: number;
  /** How long a message Telegram keeps failing (5xx, network) is retried before it fails. */
  readonly deliveryGiveUpMs: number;
  /** Relayed messages of one client per minute beyond which the rest are folded. */
  readonly clientRelayPerMinute: number;
  /** The reaction a client's message gets once it reached an agent; `null`: none. */
  readonly receiptReaction: ReactionEmoji | null;
  /** Whether new clients are asked (optionally) for their phone number. */
  readonly askContact: boolean;
  /** How long a client waits for an agent who speaks their language (0: not at all). */
  readonly languageWaitMs: number;
  /** The knowledge base's Markdown file (`FAQ_FILE`), or `null`: none. */
  readonly faqFile: string | null;
  /** Whether every message is indexed for `/search` (`SEARCH`). */
  readonly search: boolean;
  /** How long a client's question waits on an answer from the knowledge base at most. */
  readonly faqHoldMs: number;
  /** Whether a returning client goes back to the agent who served them last, when free. */
  readonly returnToLastAgent: boolean;
  /** The departments clients pick from (none: no pick; one: every ticket is in it). */
  readonly departments: readonly Department[];
  /** Business inbox: a waiting client is told their place in the queue, as the company. */
  readonly businessQueueNotice: boolean;
  /** Business inbox: a short thank-you as the company when a ticket is closed. */
  readonly businessClosingNotice: boolean;
  /** Business inbox: the rating question asked as the account when a ticket is closed. */
  readonly businessRating: boolean;
  /** Log level. */
  readonly logLevel: "debug" | "info" | "warn" | "error";
  /** Log format: readable text or one JSON object per line. */
  readonly logFormat: "text" | "json";
  /** Telegram ids of the admins. */
  readonly adminIds: ReadonlySet<number>;
  /** When the desk is open, or `null` for always. */
  readonly businessHours: Schedule | null;
  /** The IANA time zone of business hours, history files and `/stats`. */
  readonly timeZone: string;
  /** The reply outside business hours, per language; `{opens}` is the next opening. */
  readonly offlineMessage: Readonly<Partial<Record<Language, string>>>;
  /** Drafts from a language model (`LLM_URL`); `null`: none, and nothing of them runs. */
  readonly llm: LlmConfig | null;
}

/** Drafts from a language model: an OpenAI-compatible chat completions API. */
export interface LlmConfig {
  /** The API's base URL, without a trailing slash: requests go to `{url}/chat/completions`. */
  readonly url: string;
  readonly model: string;
  /** Sent as `Authorization: Bearer`; a secret, never logged or echoed. */
  readonly apiKey: string | undefined;
  /** The system prompt: `LLM_PROMPT_FILE`'s content, or `undefined` for the built-in one. */
  readonly prompt: string | undefined;
  /** How long one request may take before it is given up. */
  readonly timeoutMs: number;
}

/** Team mode: the desk in a staff supergroup with topics, one topic per client. */
export interface TeamConfig {
  /** The staff group's id, as configured (a migration to a new id is followed at start). */
  readonly chatId: number;
  /** A member's message starting with this is an internal note, never sent to the client. */
  readonly notePrefix: string;
  /** A ticket nobody took within this long shows as waiting. */
  readonly waitMs: number;
  /** The board in the General topic is brought up to date at most this often. */
  readonly boardIntervalMs: number;
}

/** How updates arrive, and where the HTTP server (webhook, `/healthz`) listens. */
export interface ServerConfig {
  /** Public HTTPS URL Telegram posts updates to; `undefined`: long polling. */
  readonly webhookUrl?: string;
  /** Secret Telegram sends in `X-Telegram-Bot-Api-Secret-Token` (set with `webhookUrl`). */
  readonly webhookSecret?: string;
  /** Address to listen on. */
  readonly host: string;
  /** Port of the webhook and `/healthz` in webhook mode (0: any free port). */
  readonly port: number;
  /** Port of `/healthz` in polling mode; `undefined`: no HTTP server in polling mode. */
  readonly healthPort?: number;
  /**
   * Changes to the HTTP server's timeouts and limits (`src/http/limits.ts`); not read from
   * the environment (the defaults fit Telegram), set by tests to shorten the timeouts.
   */
  readonly limits?: Partial<HttpLimits>;
}

/** A configuration problem, with a message fit to print as the only line of output. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Why a file of the database cannot be opened, as the end of one line: Deno's own text for a
 * path it guards (`/proc`, `/sys`, `/dev`) suggests `--allow-all`, which is the wrong advice
 * for a database; a different path is the right one.
 */
export function fileProblem(error: unknown): string {
  if (error instanceof Deno.errors.NotCapable) {
    return "Deno lets no program without --allow-all write under /proc, /sys or /dev; " +
      "put the database elsewhere, e.g. DATABASE_PATH=./data/helpdesk.db";
  }
  return errorText(error);
}

/** The minimum length of `SUPPORT_TOKEN`. */
export const MIN_SUPPORT_TOKEN_LENGTH = 12;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Builds the configuration from `env`. Throws {@link ConfigError} with one readable line
 * on the first problem found.
 */
export function parseConfig(env: Env): Config {
  const envFile = optional(env, "ENV_FILE") ?? defaultOf("ENV_FILE");
  // A first start without tokens: where they go (`.env` starts as a copy of the example).
  const copy = envFile === defaultOf("ENV_FILE") ? " (copy .env.example to .env first)" : "";
  const botToken = required(
    env,
    "BOT_TOKEN",
    `ask @BotFather in Telegram for one (/newbot) and put it in ${envFile}${copy}`,
  );
  if (!/^\d+:[\w-]+$/.test(botToken)) {
    throw new ConfigError("BOT_TOKEN does not look like a bot token (expected <digits>:<letters>)");
  }
  const supportToken = required(
    env,
    "SUPPORT_TOKEN",
    `put a secret of ${MIN_SUPPORT_TOKEN_LENGTH}+ characters in ${envFile} ` +
      "(e.g. the output of openssl rand -hex 24); agents send it with /register_support",
  );
  if (supportToken.length < MIN_SUPPORT_TOKEN_LENGTH) {
    throw new ConfigError(
      `SUPPORT_TOKEN is too short: use at least ${MIN_SUPPORT_TOKEN_LENGTH} characters`,
    );
  }
  const telegramApiUrl = optional(env, "TELEGRAM_API_URL") ?? defaultOf("TELEGRAM_API_URL");
  let url: URL;
  try {
    url = new URL(telegramApiUrl);
  } catch {
    throw new ConfigError(`TELEGRAM_API_URL is not a URL: ${telegramApiUrl}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`TELEGRAM_API_URL must be http or https: ${telegramApiUrl}`);
  }
  // The bot adds /bot<token>/<method> itself; a root that has it already reaches nothing.
  if (/\/bot\/*$/i.test(url.pathname) || /\/bot\d+:/i.test(url.pathname)) {
    throw new ConfigError(
      "TELEGRAM_API_URL must be the Bot API root without /bot or the token " +
        `(e.g. https://api.telegram.org), not ${url.origin}${
          url.pathname.replace(/\/bot(\d+:.*|\/*)$/i, "/bot…")
        }`,
    );
  }
  const defaultLanguage = optional(env, "DEFAULT_LANGUAGE") ?? defaultOf("DEFAULT_LANGUAGE");
  if (!LANGUAGES.includes(defaultLanguage as Language)) {
    throw new ConfigError(
      `DEFAULT_LANGUAGE must be one of ${LANGUAGES.join(", ")}, not ${defaultLanguage}`,
    );
  }
  const logLevel = optional(env, "LOG_LEVEL") ?? defaultOf("LOG_LEVEL");
  if (!["debug", "info", "warn", "error"].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be debug, info, warn or error, not ${logLevel}`);
  }
  const logFormat = optional(env, "LOG_FORMAT") ?? defaultOf("LOG_FORMAT");
  if (logFormat !== "text" && logFormat !== "json") {
    throw new ConfigError(`LOG_FORMAT must be text or json, not ${logFormat}`);
  }
  const zone = optional(env, "TIMEZONE") ?? defaultOf("TIMEZONE");
  // UTC needs no time zone data (base/time.ts); any other zone is checked and spelled by Intl.
  const utc = isUtcZone(zone);
  if (!utc && !validTimeZone(zone)) {
    throw new ConfigError(`TIMEZONE is not a known time zone: ${zone} (e.g. Europe/Moscow)`);
  }
  // The zone's own spelling (europe/moscow → Europe/Moscow), as files and messages show it.
  const timeZone = utc
    ? "UTC"
    : new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  const hours = optional(env, "BUSINESS_HOURS");
  let businessHours: Schedule | null = null;
  if (hours !== undefined) {
    try {
      businessHours = parseBusinessHours(hours);
    } catch (error) {
      throw new ConfigError(`BUSINESS_HOURS: ${errorText(error)}`);
    }
  }
  const offlineMessage: Partial<Record<Language, string>> = {};
  for (const language of LANGUAGES) {
    const text = optional(env, `OFFLINE_MESSAGE_${language.toUpperCase()}`);
    if (text !== undefined) offlineMessage[language] = text.replaceAll("\\n", "\n");
  }
  const team = parseTeamConfig(env);
  const departmentList = departments(optional(env, "DEPARTMENTS"), team);
  return {
    botToken,
    supportToken,
    databasePath: databasePathOf(env),
    telegramApiUrl: telegramApiUrl.replace(/\/+$/, ""),
    server: parseServerConfig(env),
    onlineWindowMs: number(env, "ONLINE_WINDOW_MINUTES", 0, 24 * 60) * 60_000,
    defaultLanguage: defaultLanguage as Language,
    ratePerChat: number(env, "RATE_LIMIT_PER_CHAT", 0.01, 10_000),
    rateBurst: number(env, "RATE_LIMIT_BURST", 1, 10_000),
    rateGlobal: number(env, "RATE_LIMIT_GLOBAL", 0.1, 100_000),
    ratePerGroupPerMinute: number(env, "RATE_LIMIT_GROUP_PER_MINUTE", 0.1, 100_000),
    rateGroupBurst: number(env, "RATE_LIMIT_GROUP_BURST", 1, 10_000),
    team,
    backlogWarning: number(env, "OUTBOX_BACKLOG_WARNING", 1, 1e9),
    pollingTimeoutSeconds: number(env, "POLLING_TIMEOUT_SECONDS", 0, 50),
    deliveryGiveUpMs: number(env, "DELIVERY_GIVE_UP_MINUTES", 0.1, 7 * 24 * 60) * 60_000,
    clientRelayPerMinute: number(env, "CLIENT_RELAY_PER_MINUTE", 1, 10_000),
    receiptReaction: receiptReaction(optional(env, "RECEIPT_REACTION")),
    askContact: flag(env, "ASK_CONTACT"),
    languageWaitMs: number(env, "LANGUAGE_WAIT_SECONDS", 0, 24 * 3600) * 1000,
    faqFile: optional(env, "FAQ_FILE") ?? null,
    search: flag(env, "SEARCH"),
    faqHoldMs: number(env, "FAQ_HOLD_SECONDS", 10, 24 * 3600) * 1000,
    returnToLastAgent: flag(env, "RETURN_TO_LAST_AGENT"),
    departments: departmentList,
    businessQueueNotice: flag(env, "BUSINESS_QUEUE_NOTICE"),
    businessClosingNotice: flag(env, "BUSINESS_CLOSING_NOTICE"),
    businessRating: flag(env, "BUSINESS_RATING"),
    logLevel: logLevel as Config["logLevel"],
    logFormat,
    adminIds: adminIds(optional(env, "ADMIN_IDS")),
    businessHours,
    timeZone,
    offlineMessage,
    llm: parseLlmConfig(env),
  };
}

/**
 * The language model's part of the configuration (`LLM_URL`, `LLM_MODEL`, `LLM_API_KEY`,
 * `LLM_PROMPT_FILE`, `LLM_TIMEOUT_SECONDS`); `null` without `LLM_URL`. Never echoes the key,
 * nor a URL (which may carry credentials).
 */
export function parseLlmConfig(env: Env): LlmConfig | null {
  const raw = optional(env, "LLM_URL");
  const timeoutMs = number(env, "LLM_TIMEOUT_SECONDS", 1, 600) * 1000;
  const model = optional(env, "LLM_MODEL");
  const apiKey = optional(env, "LLM_API_KEY");
  const file = optional(env, "LLM_PROMPT_FILE");
  if (raw === undefined) {
    if (model !== undefined || file !== undefined || apiKey !== undefined) {
      throw new ConfigError(
        "LLM_URL is not set: LLM_MODEL, LLM_API_KEY and LLM_PROMPT_FILE need it",
      );
    }
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("LLM_URL is not a URL (e.g. http://127.0.0.1:11434/v1)");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError("LLM_URL must be an http:// or https:// URL");
  }
  if (url.search !== "" || url.hash !== "") {
    throw new ConfigError("LLM_URL must be the API's base URL, without ? or #");
  }
  if (/\/chat\/completions\/*$/.test(url.pathname)) {
    throw new ConfigError(
      "LLM_URL must be the API's base URL without /chat/completions (e.g. https://api.openai.com/v1)",
    );
  }
  if (model === undefined) {
    throw new ConfigError(
      "LLM_MODEL is not set (required with LLM_URL), e.g. LLM_MODEL=qwen2.5:7b",
    );
  }
  let prompt: string | undefined;
  if (file !== undefined) {
    try {
      prompt = Deno.readTextFileSync(file).trim();
    } catch (error) {
      throw new ConfigError(`LLM_PROMPT_FILE: cannot read ${file}: ${errorText(error)}`);
    }
    if (prompt === "") throw new ConfigError(`LLM_PROMPT_FILE: ${file} is empty`);
  }
  return { url: url.href.replace(/\/+$/, ""), model, apiKey, prompt, timeoutMs };
}

/**
 * `DEPARTMENTS`, read. A department's own staff group needs team mode; one that is the staff
 * group itself (`STAFF_CHAT_ID`) is no other group.
 */
function departments(raw: string | undefined, team: TeamConfig | null): Department[] {
  let list: Department[];
  try {
    list = parseDepartments(raw ?? "");
  } catch (error) {
    throw new ConfigError(`DEPARTMENTS: ${(error as Error).message}`);
  }
  const own = list.find((d) => d.group !== null && d.group !== team?.chatId);
  if (own !== undefined && team === null) {
    throw new ConfigError(
      `DEPARTMENTS: ${own.key} names a staff group (@${own.group}), which only team mode has: ` +
        `set STAFF_CHAT_ID or remove @${own.group}`,
    );
  }
  return list.map((d) => d.group === null || d.group !== team?.chatId ? d : { ...d, group: null });
}

function adminIds(raw: string | undefined): Set<number> {
  const ids = new Set<number>();
  for (const part of (raw ?? "").split(/[\s,;]+/).filter(Boolean)) {
    const id = /^\d+$/.test(part) ? Number(part) : NaN;
    if (!Number.isSafeInteger(id) || id <= 0) {
      throw new ConfigError(`ADMIN_IDS must be Telegram user ids separated by commas, not ${part}`);
    }
    ids.add(id);
  }
  return ids;
}

/** The database path `env` names (`DATABASE_PATH`), or the default. */
export function databasePathOf(env: Env): string {
  return optional(env, "DATABASE_PATH") ?? defaultOf("DATABASE_PATH");
}

/**
 * Team mode's part of the configuration (`STAFF_CHAT_ID`, `NOTE_PREFIX`,
 * `TEAM_WAIT_MINUTES`, `BOARD_INTERVAL_SECONDS`); `null` without `STAFF_CHAT_ID`.
 */
export function parseTeamConfig(env: Env): TeamConfig | null {
  const raw = optional(env, "STAFF_CHAT_ID");
  const notePrefix = optional(env, "NOTE_PREFIX") ?? defaultOf("NOTE_PREFIX");
  if (
    notePrefix.length > 16 || /\s/.test(notePrefix) ||
    notePrefix.startsWith("/") && notePrefix.length === 1
  ) {
    throw new ConfigError(
      `NOTE_PREFIX must be 1 to 16 characters without spaces, and not a lone "/", not ${notePrefix}`,
    );
  }
  const waitMs = number(env, "TEAM_WAIT_MINUTES", 0.01, 24 * 60) * 60_000;
  const boardIntervalMs = number(env, "BOARD_INTERVAL_SECONDS", 1, 3600) * 1000;
  if (raw === undefined) return null;
  const chatId = /^-\d{1,20}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(chatId)) {
    throw new ConfigError(
      `STAFF_CHAT_ID must be the staff group's id, a negative number like -1001234567890, not ${raw}`,
    );
  }
  return { chatId, notePrefix, waitMs, boardIntervalMs };
}

/** Telegram's rule for a webhook secret token: 1–256 of `A-Z a-z 0-9 _ -`. */
const WEBHOOK_SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The webhook and HTTP server part of the configuration (`WEBHOOK_URL`, `WEBHOOK_SECRET`,
 * `HOST`, `PORT`, `HEALTH_PORT`). Throws {@link ConfigError}; never echoes the secret.
 */
export function parseServerConfig(env: Env): ServerConfig {
  const webhookUrl = optional(env, "WEBHOOK_URL");
  const webhookSecret = optional(env, "WEBHOOK_SECRET");
  if (webhookUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(webhookUrl);
    } catch {
      // Not echoed: a webhook URL may carry a secret path.
      throw new ConfigError("WEBHOOK_URL is not a URL");
    }
    if (url.protocol !== "https:") {
      throw new ConfigError("WEBHOOK_URL must be an https:// URL (Telegram requires it)");
    }
    if (url.pathname === HEALTH_PATH) {
      throw new ConfigError(
        `WEBHOOK_URL must not end in ${HEALTH_PATH}: that path is the health check`,
      );
    }
    if (webhookSecret === undefined) {
      throw new ConfigError("WEBHOOK_SECRET is not set (required with WEBHOOK_URL)");
    }
    if (!WEBHOOK_SECRET_PATTERN.test(webhookSecret)) {
      throw new ConfigError(
        "WEBHOOK_SECRET must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -",
      );
    }
  } else if (webhookSecret !== undefined) {
    throw new ConfigError("WEBHOOK_SECRET is set but WEBHOOK_URL is not");
  }
  const host = optional(env, "HOST") ?? defaultOf("HOST");
  const port = portOf(env, "PORT") ?? Number(defaultOf("PORT"));
  const healthPort = portOf(env, "HEALTH_PORT");
  return { webhookUrl, webhookSecret, host, port, healthPort };
}

/** The path of the health check, on the webhook port or on `HEALTH_PORT`. */
export const HEALTH_PATH = "/healthz";

/**
 * Reads the process environment, filling in values from the `.env` file in the working
 * directory (or `ENV_FILE`) when one exists. Variables already set win over the file.
 * Without permission to read `./.env` (a binary allowed to read only its data folder), the
 * file is treated as absent; an `ENV_FILE` that cannot be read is always an error.
 */
export function loadEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = Deno.env.toObject();
  const file = env.ENV_FILE ?? defaultOf("ENV_FILE");
  let text: string | undefined;
  try {
    text = Deno.readTextFileSync(file);
  } catch (error) {
    const absent = error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotCapable;
    if (!absent || env.ENV_FILE) {
      throw new ConfigError(`cannot read ${file}: ${errorText(error)}`);
    }
  }
  if (text !== undefined) {
    for (const [key, value] of Object.entries(parseEnv(text))) {
      if (env[key] === undefined) env[key] = value;
    }
  }
  return env;
}

/** {@link parseConfig} of {@link loadEnv}: the process environment and `.env`. */
export function loadConfig(): Config {
  return parseConfig(loadEnv());
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** `name`'s value; unset, a {@link ConfigError} that says so and then `remedy`. */
function required(env: Env, name: string, remedy: string): string {
  const value = optional(env, name);
  if (value === undefined) throw new ConfigError(`${name} is not set: ${remedy}`);
  return value;
}

function number(env: Env, name: string, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return Number(defaultOf(name));
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a number from ${min} to ${max}, not ${raw}`);
  }
  return value;
}

function portOf(env: Env, name: string): number | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(`${name} must be a port number from 0 to 65535, not ${raw}`);
  }
  return Number(raw);
}

function flag(env: Env, name: string): boolean {
  const raw = (optional(env, name) ?? defaultOf(name)).toLowerCase();
  if (raw === undefined || raw === "false" || raw === "0" || raw === "no") return false;
  if (raw === "true" || raw === "1" || raw === "yes") return true;
  throw new ConfigError(`${name} must be true or false, not ${raw}`);
}

function receiptReaction(raw: string | undefined): ReactionEmoji | null {
  if (raw === undefined || raw.toLowerCase() === "off") return null;
  if (!isReaction(raw)) {
    throw new ConfigError(
      `RECEIPT_REACTION must be off or one of Telegram's reactions (e.g. 👀), not ${raw}`,
    );
  }
  return raw;
}
