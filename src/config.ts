/**
 * Configuration: the environment (and an optional `.env` file) turned into a typed,
 * validated {@link Config}. Every problem is reported as one readable line through
 * {@link ConfigError}; nothing here logs or exits.
 *
 * @module
 */
import { parseEnv } from "node:util";
import { parseBusinessHours, type Schedule, validTimeZone } from "./business_hours.ts";

/** A language the bot speaks. */
export type Language = "ru" | "en";

/** The languages the bot speaks, the default first. */
export const LANGUAGES: readonly Language[] = ["ru", "en"];

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
  /** Pending deliveries above which the outbox logs a warning. */
  readonly backlogWarning: number;
  /** Long-polling timeout for `getUpdates`, in seconds. */
  readonly pollingTimeoutSeconds: number;
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
}

/** A configuration problem, with a message fit to print as the only line of output. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The minimum length of `SUPPORT_TOKEN`. */
export const MIN_SUPPORT_TOKEN_LENGTH = 12;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Builds the configuration from `env`. Throws {@link ConfigError} with one readable line
 * on the first problem found.
 */
export function parseConfig(env: Env): Config {
  const botToken = required(env, "BOT_TOKEN");
  if (!/^\d+:[\w-]+$/.test(botToken)) {
    throw new ConfigError("BOT_TOKEN does not look like a bot token (expected <digits>:<letters>)");
  }
  const supportToken = required(env, "SUPPORT_TOKEN");
  if (supportToken.length < MIN_SUPPORT_TOKEN_LENGTH) {
    throw new ConfigError(
      `SUPPORT_TOKEN is too short: use at least ${MIN_SUPPORT_TOKEN_LENGTH} characters`,
    );
  }
  const telegramApiUrl = optional(env, "TELEGRAM_API_URL") ?? "https://api.telegram.org";
  let url: URL;
  try {
    url = new URL(telegramApiUrl);
  } catch {
    throw new ConfigError(`TELEGRAM_API_URL is not a URL: ${telegramApiUrl}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`TELEGRAM_API_URL must be http or https: ${telegramApiUrl}`);
  }
  const defaultLanguage = optional(env, "DEFAULT_LANGUAGE") ?? "ru";
  if (!LANGUAGES.includes(defaultLanguage as Language)) {
    throw new ConfigError(
      `DEFAULT_LANGUAGE must be one of ${LANGUAGES.join(", ")}, not ${defaultLanguage}`,
    );
  }
  const logLevel = optional(env, "LOG_LEVEL") ?? "info";
  if (!["debug", "info", "warn", "error"].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be debug, info, warn or error, not ${logLevel}`);
  }
  const logFormat = optional(env, "LOG_FORMAT") ?? "text";
  if (logFormat !== "text" && logFormat !== "json") {
    throw new ConfigError(`LOG_FORMAT must be text or json, not ${logFormat}`);
  }
  const timeZone = optional(env, "TIMEZONE") ?? "UTC";
  if (!validTimeZone(timeZone)) {
    throw new ConfigError(`TIMEZONE is not a known time zone: ${timeZone} (e.g. Europe/Moscow)`);
  }
  const hours = optional(env, "BUSINESS_HOURS");
  let businessHours: Schedule | null = null;
  if (hours !== undefined) {
    try {
      businessHours = parseBusinessHours(hours);
    } catch (error) {
      throw new ConfigError(`BUSINESS_HOURS: ${(error as Error).message}`);
    }
  }
  const offlineMessage: Partial<Record<Language, string>> = {};
  for (const language of LANGUAGES) {
    const text = optional(env, `OFFLINE_MESSAGE_${language.toUpperCase()}`);
    if (text !== undefined) offlineMessage[language] = text.replaceAll("\\n", "\n");
  }
  return {
    botToken,
    supportToken,
    databasePath: optional(env, "DATABASE_PATH") ?? "./data/helpdesk.db",
    telegramApiUrl: telegramApiUrl.replace(/\/+$/, ""),
    onlineWindowMs: number(env, "ONLINE_WINDOW_MINUTES", 5, 0, 24 * 60) * 60_000,
    defaultLanguage: defaultLanguage as Language,
    ratePerChat: number(env, "RATE_LIMIT_PER_CHAT", 1, 0.01, 10_000),
    rateBurst: number(env, "RATE_LIMIT_BURST", 3, 1, 10_000),
    rateGlobal: number(env, "RATE_LIMIT_GLOBAL", 30, 0.1, 100_000),
    backlogWarning: number(env, "OUTBOX_BACKLOG_WARNING", 1000, 1, 1e9),
    pollingTimeoutSeconds: number(env, "POLLING_TIMEOUT_SECONDS", 30, 0, 50),
    logLevel: logLevel as Config["logLevel"],
    logFormat,
    adminIds: adminIds(optional(env, "ADMIN_IDS")),
    businessHours,
    timeZone,
    offlineMessage,
  };
}

function adminIds(raw: string | undefined): Set<number> {
  const ids = new Set<number>();
  for (const part of (raw ?? "").split(/[\s,;]+/).filter(Boolean)) {
    const id = Number(part);
    if (!Number.isSafeInteger(id) || id <= 0) {
      throw new ConfigError(`ADMIN_IDS must be Telegram user ids separated by commas, not ${part}`);
    }
    ids.add(id);
  }
  return ids;
}

/**
 * Reads the process environment, filling in values from the `.env` file in the working
 * directory (or `ENV_FILE`) when one exists. Variables already set win over the file.
 */
export function loadConfig(): Config {
  const env: Record<string, string | undefined> = Deno.env.toObject();
  const file = env.ENV_FILE ?? ".env";
  let text: string | undefined;
  try {
    text = Deno.readTextFileSync(file);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound) || env.ENV_FILE) {
      throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`);
    }
  }
  if (text !== undefined) {
    for (const [key, value] of Object.entries(parseEnv(text))) {
      if (env[key] === undefined) env[key] = value;
    }
  }
  return parseConfig(env);
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function required(env: Env, name: string): string {
  const value = optional(env, name);
  if (value === undefined) throw new ConfigError(`${name} is not set`);
  return value;
}

function number(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a number from ${min} to ${max}, not ${raw}`);
  }
  return value;
}
