/**
 * Word stems for the knowledge base and search: a word's forms reduce to one stem, so that
 * "пароль", "пароля" and "паролем" (or "reset", "resets" and "resetting") find each other.
 * Russian words follow the Snowball Russian algorithm (snowballstem.org, in full); English
 * words a light Porter2-style suffix stripping (plurals, -ed/-ing/-ly with undoubling, a final
 * -e or -y). Other scripts are kept as they are, lowercased.
 *
 * Written here rather than taken from npm: the packages that do this (`snowball-stemmers`,
 * `natural`) are large or unmaintained CommonJS, the lock file is frozen and the bot compiles
 * to one binary; the two algorithms fit in this file and are tested directly
 * (`tests/knowledge_test.ts`). Pure; no Telegram, no database.
 *
 * @module
 */

const RU_VOWELS = "аеиоуыэюя";

/** Endings of each Russian class, longest first (the longest that fits wins). */
function endings(list: string): readonly string[] {
  return list.split(" ").sort((a, b) => b.length - a.length);
}

const PERFECTIVE_1 = endings("в вши вшись"); // after а or я
const PERFECTIVE_2 = endings("ив ивши ившись ыв ывши ывшись");
const REFLEXIVE = endings("ся сь");
const ADJECTIVE = endings(
  "ее ие ые ое ими ыми ей ий ый ой ем им ым ом его ого ему ому их ых ую юю ая яя ою ею",
);
const PARTICIPLE_1 = endings("ем нн вш ющ щ"); // after а or я
const PARTICIPLE_2 = endings("ивш ывш ующ");
const VERB_1 = endings("ла на ете йте ли й л ем н ло но ет ют ны ть ешь нно"); // after а or я
const VERB_2 = endings(
  "ила ыла ена ейте уйте ите или ыли ей уй ил ыл им ым ен ило ыло ено ят ует уют ит ыт ены ить " +
    "ыть ишь ую ю",
);
const NOUN = endings(
  "а ев ов ие ье е иями ями ами еи ии и ией ей ой ий й иям ям ием ем ам ом о у ах иях ях ы ь ию " +
    "ью ю ия ья я",
);
const SUPERLATIVE = endings("ейш ейше");
const DERIVATIONAL = endings("ост ость");

/**
 * Removes from `word` (whose region is from `start`) the longest ending of `group1` that
 * follows а or я (the letter stays), or of `group2`; `undefined` when none fits.
 */
function strip(
  word: string,
  start: number,
  group1: readonly string[],
  group2: readonly string[] = [],
): string | undefined {
  const region = word.slice(start);
  let best: { readonly cut: number } | undefined;
  for (const e of group1) {
    if (region.endsWith(e) && region.length > e.length) {
      const before = region[region.length - e.length - 1];
      if ((before === "а" || before === "я") && (!best || e.length > best.cut)) {
        best = { cut: e.length };
      }
      if (best) break;
    }
  }
  for (const e of group2) {
    if (region.endsWith(e) && (!best || e.length > best.cut)) {
      best = { cut: e.length };
      break;
    }
  }
  return best ? word.slice(0, word.length - best.cut) : undefined;
}

/** Where a Russian word's RV region and R2 region begin. */
function regions(word: string): { readonly rv: number; readonly r2: number } {
  const vowel = (i: number) => RU_VOWELS.includes(word[i]);
  let rv = word.length;
  for (let i = 0; i < word.length; i++) if (vowel(i)) (rv = i + 1, i = word.length);
  const after = (from: number) => {
    for (let i = from; i < word.length - 1; i++) if (vowel(i) && !vowel(i + 1)) return i + 2;
    return word.length;
  };
  return { rv, r2: after(after(0)) };
}

/** A Russian word's stem (Snowball Russian). */
export function stemRussian(input: string): string {
  let word = input.toLowerCase().replaceAll("ё", "е");
  const { rv, r2 } = regions(word);
  if (rv >= word.length) return word;
  // Step 1.
  const perfective = strip(word, rv, PERFECTIVE_1, PERFECTIVE_2);
  if (perfective !== undefined) word = perfective;
  else {
    word = strip(word, rv, [], REFLEXIVE) ?? word;
    const adjective = strip(word, rv, [], ADJECTIVE);
    if (adjective !== undefined) {
      word = strip(adjective, rv, PARTICIPLE_1, PARTICIPLE_2) ?? adjective;
    } else word = strip(word, rv, VERB_1, VERB_2) ?? strip(word, rv, [], NOUN) ?? word;
  }
  // Step 2.
  if (word.length > rv && word.endsWith("и")) word = word.slice(0, -1);
  // Step 3.
  if (r2 < word.length) word = strip(word, r2, [], DERIVATIONAL) ?? word;
  // Step 4.
  if (word.length > rv && word.endsWith("нн")) return word.slice(0, -1);
  const superlative = strip(word, rv, [], SUPERLATIVE);
  if (superlative !== undefined) {
    return superlative.endsWith("нн") ? superlative.slice(0, -1) : superlative;
  }
  if (word.length > rv && word.endsWith("ь")) return word.slice(0, -1);
  return word;
}

const EN_VOWEL = /[aeiouy]/;

/** Whether an English word ends in a doubled consonant that Porter2 undoubles. */
function doubled(word: string): boolean {
  return /(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(word);
}

/** An English word's stem (a light Porter2: inflections, and a final -e or -y). */
export function stemEnglish(input: string): string {
  let word = input.toLowerCase().replace(/['’]s?$/, "");
  if (word.length <= 3) return word;
  // Step 1a: plurals.
  if (word.endsWith("sses")) word = word.slice(0, -2);
  else if (/ie[sd]$/.test(word)) word = word.slice(0, -3) + (word.length > 4 ? "i" : "ie");
  else if (word.endsWith("s") && !/(us|ss)$/.test(word) && EN_VOWEL.test(word.slice(0, -2))) {
    word = word.slice(0, -1);
  }
  // Step 1b: -ed, -ing, -ly and their combinations.
  const suffix = /(eedly|eed|ingly|edly|ing|ed)$/.exec(word);
  if (suffix && !suffix[1].startsWith("ee")) {
    const stem = word.slice(0, -suffix[1].length);
    if (EN_VOWEL.test(stem) && stem.length >= 2) {
      word = stem;
      if (doubled(word)) word = word.slice(0, -1);
    }
  } else if (suffix) word = word.slice(0, -suffix[1].length) + "ee";
  else if (word.endsWith("ly") && word.length > 5) word = word.slice(0, -2);
  // Step 1c and the final letters: a trailing -y or -e does not tell forms apart.
  if (word.length > 3 && /[^aeiou]y$/.test(word)) word = word.slice(0, -1) + "i";
  if (word.length > 3 && word.endsWith("e")) word = word.slice(0, -1);
  // British doubling ("cancelled", "travelling"): "ll" at the end is one l, in every form.
  if (word.length > 3 && word.endsWith("ll")) word = word.slice(0, -1);
  return word;
}

/** Words that say nothing of what is asked, in both languages (after lowercasing). */
const STOPWORDS = new Set(
  (
    "a an the and or but if of to in on at by for with from as is are was were be been am do " +
    "does did doing have has had i me my we our you your it its this that these those there " +
    "what how why when where which who can could would should will shall may might must not no " +
    "please hi hello thanks thank help can't cannot dont don't so just get got want need " +
    "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее " +
    "мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был " +
    "него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней " +
    "для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот " +
    "того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда " +
    "зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас " +
    "про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть " +
    "том нельзя такой им более всегда конечно всю между здравствуйте привет пожалуйста спасибо " +
    "подскажите скажите помогите мой моё мою мои хочу хотел хотела нужно"
  ).split(" "),
);

/** One word's stem: Russian for Cyrillic, English for Latin, else the word lowercased. */
export function stem(word: string): string {
  const lower = word.toLowerCase();
  if (/[а-яё]/.test(lower)) return stemRussian(lower);
  if (/^[a-z'’]+$/.test(lower)) return stemEnglish(lower);
  return lower;
}

/** The words of a text (letters and digits), lowercased. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}'’]+/gu) ?? [];
}

/** The stems of a text's meaningful words, in order (stopwords and 1-letter words left out). */
export function stems(text: string): string[] {
  return words(text).filter((w) => w.length > 1 && !STOPWORDS.has(w)).map(stem)
    .filter((s) => s.length > 0);
}
