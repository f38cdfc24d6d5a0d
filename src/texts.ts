/**
 * Every sentence a user sees, per language. The words themselves live in `texts/ru.ts` and
 * `texts/en.ts`; this module defines their shape and picks a language for a user.
 *
 * @module
 */
import type { Language } from "./config.ts";
import { ru } from "./texts/ru.ts";
import { en } from "./texts/en.ts";

/** An agent's figures, as `/stats` shows them. */
export interface StatsView {
  readonly clientsTotal: number;
  readonly messagesSent: number;
  readonly messagesReceived: number;
  readonly ticketsToday: number;
  readonly tickets7Days: number;
  readonly ticketsTotal: number;
  readonly recent: readonly {
    readonly clientName: string;
    readonly openedAt: string;
    readonly minutes: number | null;
  }[];
  readonly available: boolean;
  readonly online: boolean;
  readonly inDialogWith: string | null;
  readonly queueLength: number;
}

/** The bot's sentences in one language. */
export interface Texts {
  readonly greetingNew: string;
  readonly askName: string;
  readonly greetingBack: (name: string) => string;
  readonly nameSaved: (name: string) => string;
  readonly greetingTicket: (name: string) => string;
  readonly agentHelp: string;
  readonly agentClientLeft: (client: string) => string;
  readonly clientMoved: string;
  readonly notDelivered: (kind: string) => string;
  readonly connected: string;
  readonly queued: (position: number) => string;
  readonly stillQueued: (position: number) => string;
  readonly ticketClosed: string;
  readonly agentNewClient: (client: string, ticketId: number, waiting: number) => string;
  readonly agentNoDialog: (queueLength: number) => string;
  readonly registerOk: string;
  readonly registerAlready: string;
  readonly registerMissing: string;
  readonly registerWrong: string;
  readonly registerLocked: (minutes: number) => string;
  readonly registerHasTicket: string;
  readonly availableOn: string;
  readonly availableOff: string;
  readonly availableOffInDialog: string;
  readonly endChatDone: (client: string) => string;
  readonly noDialog: string;
  readonly agentOnly: string;
  readonly unknownCommand: string;
  readonly historyCaption: (client: string) => string;
  readonly history: {
    readonly title: (client: string) => string;
    readonly ticket: (id: number, opened: string, status: string) => string;
    readonly statuses: Readonly<Record<"queued" | "open" | "closed", string>>;
    readonly kinds: Readonly<Record<string, string>>;
    readonly empty: string;
  };
  readonly stats: (s: StatsView) => string;
  readonly commands: {
    readonly start: string;
    readonly available: string;
    readonly endChat: string;
    readonly history: string;
    readonly stats: string;
  };
}

const TEXTS: Readonly<Record<Language, Texts>> = { ru, en };

/** The sentences in `language`. */
export function texts(language: Language): Texts {
  return TEXTS[language];
}

/**
 * The language for a Telegram `language_code` ("ru", "en-US", …), or `fallback` when the
 * bot does not speak it.
 */
export function pickLanguage(code: string | undefined, fallback: Language): Language {
  const base = code?.toLowerCase().split(/[-_]/)[0];
  return base === "ru" || base === "en" ? base : fallback;
}
