/**
 * Counts in texts, by the language's own rules: plural forms (Russian has one, few and many:
 * 1 сообщение, 2 сообщения, 5 сообщений; English one and other), the figures themselves
 * (12 345 in Russian, 12,345 in English), and lengths of time in words (3 минуты, 1 hour
 * 5 minutes).
 *
 * Whole numbers are done here by CLDR's rules, written out: `Intl.PluralRules` and
 * `Intl.NumberFormat` load ICU's data, about 7 MiB of the process's memory, for texts the
 * bot says every day (a test holds these functions to `Intl` over many numbers). A fraction
 * goes to `Intl`, made at its first use.
 *
 * @module
 */
import { type Language, LOCALES } from "./types.ts";

/** CLDR's plural category of a whole number `n` in Russian. */
function ruCategory(n: number): "one" | "few" | "many" | "other" {
  if (!Number.isInteger(n)) return "other";
  const ten = Math.abs(n) % 10;
  const hundred = Math.abs(n) % 100;
  if (ten === 1 && hundred !== 11) return "one";
  if (ten >= 2 && ten <= 4 && (hundred < 12 || hundred > 14)) return "few";
  return "many";
}

/** The Russian noun for `n`: `forms` are for 1, 2 and 5 (`сообщение`, `сообщения`, `сообщений`). */
export function ruPlural(n: number, forms: readonly [string, string, string]): string {
  switch (ruCategory(n)) {
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
  return Math.abs(n) === 1 ? forms[0] : forms[1];
}

/** Digit group separators: Russian a no-break space, English a comma. */
const GROUP: Readonly<Record<Language, string>> = { ru: "\u00a0", en: "," };

/** `Intl`'s formatters, for fractions only, made at their first use. */
const fractions = new Map<Language, Intl.NumberFormat>();

/** A figure as readers of `language` write it: `12 345` (a no-break space) or `12,345`. */
export function formatNumber(n: number, language: Language): string {
  if (!Number.isSafeInteger(n)) {
    let format = fractions.get(language);
    if (format === undefined) {
      format = new Intl.NumberFormat(LOCALES[language]);
      fractions.set(language, format);
    }
    return format.format(n);
  }
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) {
    out += GROUP[language] + digits.slice(i, i + 3);
  }
  return n < 0 || Object.is(n, -0) ? `-${out}` : out;
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
