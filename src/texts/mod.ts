/**
 * Every sentence a user sees: the words live in `ru.ts` and `en.ts`, their shape in
 * `types.ts`; this module picks the language for a user and formats ticket numbers and stars.
 *
 * @module
 */
import { en } from "./en.ts";
import { ru } from "./ru.ts";
import { type Language, LANGUAGES, MESSAGE_KINDS, type MessageKind, type Texts } from "./types.ts";

export * from "./types.ts";

const TEXTS: Readonly<Record<Language, Texts>> = { ru, en };

/** A ticket's number as people see it: `#T-000123`. */
export function ticketNumber(id: number): string {
  return `#T-${String(id).padStart(6, "0")}`;
}

/** A rating as stars: `★★★★☆`. */
export function stars(rating: number): string {
  return "★".repeat(rating) + "☆".repeat(5 - rating);
}

const KNOWN_KINDS: ReadonlySet<string> = new Set(MESSAGE_KINDS);

/** A stored message's kind as the texts name it: one they do not know is `other`. */
export function messageKind(kind: string): MessageKind {
  return KNOWN_KINDS.has(kind) ? kind as MessageKind : "other";
}

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
  return LANGUAGES.find((language) => language === base) ?? fallback;
}
