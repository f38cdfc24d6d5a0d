/**
 * Counts in texts, by the language's own rules: plural forms (`Intl.PluralRules`; Russian
 * has one, few and many: 1 сообщение, 2 сообщения, 5 сообщений, English one and other), the
 * figures themselves (`Intl.NumberFormat`: 12 345 in Russian, 12,345 in English), and
 * lengths of time in words (3 минуты, 1 hour 5 minutes).
 *
 * @module
 */
import { type Language, LOCALES } from "./types.ts";

const RULES = {
  ru: new Intl.PluralRules(LOCALES.ru),
  en: new Intl.PluralRules(LOCALES.en),
} as const;

const NUMBERS = {
  ru: new Intl.NumberFormat(LOCALES.ru),
  en: new Intl.NumberFormat(LOCALES.en),
} as const;

/** The Russian noun for `n`: `forms` are for 1, 2 and 5 (`сообщение`, `сообщения`, `сообщений`). */
export function ruPlural(n: number, forms: readonly [string, string, string]): string {
  switch (RULES.ru.select(n)) {
    case "one":
      return forms[0];
    case "few":
      return forms[1];
    default:
      return forms[2];
  }
}

/** The English noun for `n`: `forms` are the singular and the plural. */
export function enPlural(n: number, forms: readonly [string, string]): string {
  return RULES.en.select(n) === "one" ? forms[0] : forms[1];
}

/** A figure as readers of `language` write it: `12 345` (a no-break space) or `12,345`. */
export function formatNumber(n: number, language: Language): string {
  return NUMBERS[language].format(n);
}

/** A Russian count with its noun: `21 сообщение`, `1 234 сообщения`. */
export function ruCount(n: number, forms: readonly [string, string, string]): string {
  return `${formatNumber(n, "ru")} ${ruPlural(n, forms)}`;
}

/** An English count with its noun: `1 message`, `1,234 messages`. */
export function enCount(n: number, forms: readonly [string, string]): string {
  return `${formatNumber(n, "en")} ${enPlural(n, forms)}`;
}

/** The nouns of the units of a length of time, in one language and grammatical case. */
export interface DurationUnits<Forms> {
  readonly minute: Forms;
  readonly hour: Forms;
  readonly day: Forms;
}

/**
 * A length of time given in whole minutes, in words, in its two largest units (the smaller
 * left out when it is zero): `5 minutes`, `2 hours 5 minutes`, `3 days 4 hours`.
 */
export function spellMinutes<Forms>(
  minutes: number,
  units: DurationUnits<Forms>,
  count: (n: number, forms: Forms) => string,
): string {
  const m = Math.max(0, Math.floor(minutes));
  if (m < 60) return count(m, units.minute);
  const hours = Math.floor(m / 60);
  const pair = (big: string, rest: number, forms: Forms) =>
    rest === 0 ? big : `${big} ${count(rest, forms)}`;
  if (hours < 24) return pair(count(hours, units.hour), m % 60, units.minute);
  return pair(count(Math.floor(hours / 24), units.day), hours % 24, units.hour);
}

/**
 * Whole minutes rounded up to what {@link spellMinutes} shows, so that an upper bound put in
 * words stays true: under a day every minute is shown; past it, whole hours.
 */
export function roundUpShown(minutes: number): number {
  return minutes < 24 * 60 ? minutes : Math.ceil(minutes / 60) * 60;
}
