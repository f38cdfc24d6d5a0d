/**
 * Plural forms for counts in texts, by the language's own rules (`Intl.PluralRules`): Russian
 * has one, few and many (1 сообщение, 2 сообщения, 5 сообщений), English one and other.
 *
 * @module
 */
import { LOCALES } from "./types.ts";

const RULES = {
  ru: new Intl.PluralRules(LOCALES.ru),
  en: new Intl.PluralRules(LOCALES.en),
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
