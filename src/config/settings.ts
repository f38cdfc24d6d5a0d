/**
 * Every setting the program reads from its environment, in one table: its name, its default
 * (or what having none means), one line of help, an example, and its group. It is the one
 * source of truth: `parseConfig` (`config.ts`) takes the defaults from it, `--help` is made
 * from it, and a test holds `docs/configuration.md` and `.env.example` to it. Pure data; no
 * environment is read here.
 *
 * @module
 */

/** Where a setting belongs, for `--help` and `.env.example`. */
export type SettingGroup =
  | "basics"
  | "desk"
  | "team"
  | "drafts"
  | "hours"
  | "sending"
  | "server"
  | "logs";

/**
 * One setting of the environment. The table {@link SETTINGS} is the one source of truth:
 * `--help` is made from it, and a test holds `docs/configuration.md` and `.env.example` to it.
 */
export interface Setting {
  readonly name: string;
  /** The default as it is written in the environment; `undefined`: none (see `unset`). */
  readonly default?: string;
  /** What having no value means, when there is no default: "required", "long polling". */
  readonly unset?: string;
  /** One line for `--help`. */
  readonly help: string;
  /** An example value (for settings without a default), as `.env.example` shows it. */
  readonly example?: string;
  readonly group: SettingGroup;
}

/** Every setting the program reads, in the order `--help` and `.env.example` list them. */
export const SETTINGS: readonly Setting[] = [
  {
    name: "BOT_TOKEN",
    unset: "required",
    help: "bot token from @BotFather",
    example: "123456789:AAE...",
    group: "basics",
  },
  {
    name: "SUPPORT_TOKEN",
    unset: "required",
    help: "secret agents send with /register_support, 12+ characters",
    group: "basics",
  },
  {
    name: "DATABASE_PATH",
    default: "./data/helpdesk.db",
    help: "SQLite file; its folder is created",
    group: "basics",
  },
  {
    name: "TELEGRAM_API_URL",
    default: "https://api.telegram.org",
    help: "Bot API root: Telegram's or a self-hosted Bot API server",
    group: "basics",
  },
  {
    name: "ADMIN_IDS",
    unset: "none",
    help: "Telegram user ids of the admins, separated by commas",
    example: "123456789,987654321",
    group: "basics",
  },
  {
    name: "ENV_FILE",
    default: ".env",
    help: "a file that fills in what the environment leaves unset; set in the environment",
    group: "basics",
  },
  {
    name: "DEFAULT_LANGUAGE",
    default: "ru",
    help: "ru or en, for users whose Telegram language is neither",
    group: "desk",
  },
  {
    name: "ONLINE_WINDOW_MINUTES",
    default: "5",
    help: "an agent seen within this many minutes counts as online",
    group: "desk",
  },
  {
    name: "CLIENT_RELAY_PER_MINUTE",
    default: "20",
    help: "a client's relayed messages per minute; the rest kept, one summary sent",
    group: "desk",
  },
  {
    name: "RECEIPT_REACTION",
    default: "off",
    help: "a reaction on a client's message once an agent has it, e.g. 👀; off: none",
    group: "desk",
  },
  {
    name: "ASK_CONTACT",
    default: "false",
    help: "true: new clients are asked (optionally) for their phone number",
    group: "desk",
  },
  {
    name: "LANGUAGE_WAIT_SECONDS",
    default: "0",
    help: "a client waits this long for an agent who speaks their language; 0: served at once",
    group: "desk",
  },
  {
    name: "FAQ_FILE",
    unset: "no knowledge base",
    help: "Markdown knowledge base: each ## heading a question, the text under it the answer",
    example: "./faq.md",
    group: "desk",
  },
  {
    name: "FAQ_HOLD_SECONDS",
    default: "300",
    help: "a client offered an answer from FAQ_FILE gets a person after this long at most",
    group: "desk",
  },
  {
    name: "SEARCH",
    default: "false",
    help: "index every message for /search (about 0.1 ms more per message; indexed at start)",
    group: "desk",
  },
  {
    name: "RETURN_TO_LAST_AGENT",
    default: "true",
    help: "a returning client goes back to the agent who served them last, when free",
    group: "desk",
  },
  {
    name: "DEPARTMENTS",
    unset: "none",
    help: "key=name in each language, separated by commas; clients pick one from buttons",
    example: "billing=Оплата|Billing,tech=Техника|Tech support",
    group: "desk",
  },
  {
    name: "BUSINESS_QUEUE_NOTICE",
    default: "true",
    help: "business inbox: a waiting client is told their place, in a line, as the company",
    group: "desk",
  },
  {
    name: "BUSINESS_CLOSING_NOTICE",
    default: "true",
    help: "business inbox: a short thank-you as the company when a ticket is closed",
    group: "desk",
  },
  {
    name: "BUSINESS_RATING",
    default: "true",
    help: "business inbox: the 1–5 rating question, as the company, when a ticket is closed",
    group: "desk",
  },
  {
    name: "STAFF_CHAT_ID",
    unset: "private mode",
    help: "team mode: the staff group's id; the desk works there, a topic per client",
    example: "-1001234567890",
    group: "team",
  },
  {
    name: "NOTE_PREFIX",
    default: "//",
    help: "team mode: a member's message starting with this is an internal note",
    group: "team",
  },
  {
    name: "TEAM_WAIT_MINUTES",
    default: "5",
    help: "team mode: a ticket nobody took within this many minutes shows as waiting",
    group: "team",
  },
  {
    name: "BOARD_INTERVAL_SECONDS",
    default: "10",
    help: "team mode: the board in the General topic is edited at most this often",
    group: "team",
  },
  {
    name: "LLM_URL",
    unset: "no drafts",
    help: "drafts: base URL of an OpenAI-compatible API (POST {LLM_URL}/chat/completions)",
    example: "http://127.0.0.1:11434/v1",
    group: "drafts",
  },
  {
    name: "LLM_MODEL",
    unset: "required with LLM_URL",
    help: "drafts: the model's name, as the API knows it",
    example: "qwen2.5:7b",
    group: "drafts",
  },
  {
    name: "LLM_API_KEY",
    unset: "none",
    help: "drafts: the API key, sent as Authorization: Bearer; a secret, never logged",
    group: "drafts",
  },
  {
    name: "LLM_PROMPT_FILE",
    unset: "built-in prompt",
    help: "drafts: a text file whose content replaces the built-in system prompt",
    example: "./prompt.txt",
    group: "drafts",
  },
  {
    name: "LLM_TIMEOUT_SECONDS",
    default: "20",
    help: "drafts: a model that has not answered within this is given up on for that draft",
    group: "drafts",
  },
  {
    name: "TIMEZONE",
    default: "UTC",
    help: "IANA time zone of business hours, history files, /stats and /export",
    group: "hours",
  },
  {
    name: "BUSINESS_HOURS",
    unset: "always open",
    help: "when the desk is open; outside, tickets wait and clients are told",
    example: "Mon-Fri 09:00-18:00, Sat 10:00-14:00",
    group: "hours",
  },
  {
    name: "OFFLINE_MESSAGE_RU",
    unset: "built-in text",
    help: "the reply outside business hours in Russian; {opens}: the next opening",
    example: "Мы откроемся {opens}.",
    group: "hours",
  },
  {
    name: "OFFLINE_MESSAGE_EN",
    unset: "built-in text",
    help: "the reply outside business hours in English; {opens}: the next opening",
    example: "We open {opens}.",
    group: "hours",
  },
  {
    name: "RATE_LIMIT_PER_CHAT",
    default: "1",
    help: "messages per second to one chat",
    group: "sending",
  },
  {
    name: "RATE_LIMIT_BURST",
    default: "3",
    help: "messages to one chat at once before the per-chat rate applies",
    group: "sending",
  },
  {
    name: "RATE_LIMIT_GLOBAL",
    default: "30",
    help: "messages per second in total",
    group: "sending",
  },
  {
    name: "RATE_LIMIT_GROUP_PER_MINUTE",
    default: "20",
    help: "messages per minute to one group (team mode's staff group)",
    group: "sending",
  },
  {
    name: "RATE_LIMIT_GROUP_BURST",
    default: "3",
    help: "messages to one group at once before its rate applies",
    group: "sending",
  },
  {
    name: "DELIVERY_GIVE_UP_MINUTES",
    default: "60",
    help: "how long a message Telegram keeps failing is retried before its sender is told",
    group: "sending",
  },
  {
    name: "OUTBOX_BACKLOG_WARNING",
    default: "1000",
    help: "pending deliveries above which a warning is logged",
    group: "sending",
  },
  {
    name: "POLLING_TIMEOUT_SECONDS",
    default: "30",
    help: "long-polling timeout of getUpdates",
    group: "sending",
  },
  {
    name: "WEBHOOK_URL",
    unset: "long polling",
    help: "webhook mode: the public https URL Telegram posts updates to",
    example: "https://bot.example.com/telegram",
    group: "server",
  },
  {
    name: "WEBHOOK_SECRET",
    unset: "required with WEBHOOK_URL",
    help: "the secret Telegram sends with each update: 1-256 of A-Z a-z 0-9 _ -",
    group: "server",
  },
  {
    name: "HOST",
    // Loopback: the README puts the bot behind a reverse proxy on the same machine, and a port
    // reachable from everywhere by default is one nobody chose. The Docker image sets 0.0.0.0
    // (the container's own interface; published ports decide who reaches it).
    default: "127.0.0.1",
    help: "where the webhook and /healthz listen (the Docker image sets 0.0.0.0)",
    group: "server",
  },
  {
    name: "PORT",
    default: "8080",
    help: "port of the webhook and /healthz in webhook mode",
    group: "server",
  },
  {
    name: "HEALTH_PORT",
    unset: "no HTTP server",
    help: "polling mode: serve /healthz on this port",
    example: "8081",
    group: "server",
  },
  { name: "LOG_LEVEL", default: "info", help: "debug, info, warn or error", group: "logs" },
  { name: "LOG_FORMAT", default: "text", help: "text or json", group: "logs" },
];

const SETTING_BY_NAME = new Map(SETTINGS.map((s) => [s.name, s]));

/** The default of setting `name` from {@link SETTINGS} (throws for a name not in the table). */
export function defaultOf(name: string): string {
  const value = SETTING_BY_NAME.get(name)?.default;
  if (value === undefined) throw new Error(`setting ${name} has no default in SETTINGS`);
  return value;
}

/** The settings part of `--help`, made from {@link SETTINGS}. */
export function settingsHelp(): string {
  const width = Math.max(...SETTINGS.map((s) => s.name.length)) + 2;
  return SETTINGS.map((s) => {
    const fallback = s.default !== undefined ? `default ${s.default}` : s.unset!;
    return `  ${s.name.padEnd(width)}${s.help} (${fallback})`;
  }).join("\n");
}
