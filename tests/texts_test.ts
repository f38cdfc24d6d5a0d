/**
 * The texts themselves, in both languages, without Telegram: every text, called with sample
 * arguments, says something and shows the names, figures and ticket numbers it is given;
 * counted nouns take the plural form the language's rules ask for (1, 2, 5, 11, 21, 22, 25,
 * 111); figures are written as each language writes them; the Russian texts keep their
 * style rules (no gender suffix, no semicolon, «вы» in lowercase, no English kind name);
 * every kind of message is named in each language; both languages have the same keys.
 */
import assert from "node:assert/strict";
import type { Message } from "grammy/types";
import { describeMessage } from "../src/rules/content.ts";
import { enPlural, formatNumber, ruPlural } from "../src/texts/plural.ts";
import { LOCALES } from "../src/texts/types.ts";
import { KINDS_ACCUSATIVE } from "../src/texts/ru.ts";
import { ratingButtons } from "../src/desk/keyboards.ts";
import {
  type CardView,
  type Language,
  LANGUAGES,
  MESSAGE_KINDS,
  messageKind,
  type QualityView,
  type ResponseView,
  stars,
  type StatsView,
  type TeamStatsView,
  type Texts,
  texts,
} from "../src/texts/mod.ts";

// ---- sample arguments ----

const CLIENT = "Alice Smith";
const AGENT = "Борис";
const TICKET = "#T-004321";
const PREVIOUS = "#T-000777";
const STARS = "★★★★☆";
const BIG = 12_345;

const MINUTE = 60_000;

/**
 * Response times of a period: typically 2 min 5 s to the first response (shown as 2 minutes),
 * nine in ten within 5 min 30 s (within 6: rounded up, so it stays true), 1 h 1 min to close.
 */
const response = (tickets: number, over: Partial<ResponseView> = {}): ResponseView => ({
  tickets,
  answered: 40,
  firstResponseMs: 2 * MINUTE + 5_000,
  firstResponse9in10Ms: 5.5 * MINUTE,
  resolutionMs: 61 * MINUTE,
  ...over,
});

/** The durations of {@link response} in words, as each language says them. */
const TYPICAL = { ru: "обычно 2 минуты", en: "usually 2 minutes" } as const;
const WITHIN = { ru: "9 из 10 — не дольше 6 минут", en: "9 in 10 within 6 minutes" } as const;
const CLOSE = { ru: "обычно 1 час 1 минута", en: "usually 1 hour 1 minute" } as const;
const said = (words: Readonly<Record<Language, string>>) => (language: Language) => words[language];

const quality = (over: Partial<QualityView> = {}): QualityView => ({
  days30: response(BIG),
  csatAverage: "4,5",
  csatCount: 1_234,
  ...over,
});

const statsView = (over: Partial<StatsView> = {}): StatsView => ({
  clientsTotal: BIG,
  messagesSent: 23_456,
  messagesReceived: 3_456,
  ticketsToday: 7,
  tickets7Days: 45,
  ticketsTotal: 1_234,
  recent: [{ clientName: CLIENT, openedAt: "1 Nov, 10:00", lastedMs: 61 * MINUTE }],
  available: true,
  online: true,
  inDialogWith: CLIENT,
  queueLength: 1_500,
  quality: quality(),
  ...over,
});

const teamView = (over: Partial<TeamStatsView> = {}): TeamStatsView => ({
  agents: 1_234,
  agentsAvailable: 456,
  agentsBusy: 321,
  agentsAway: 457,
  queueLength: 2_500,
  openTickets: 3_500,
  parkedUpdates: 4_500,
  quality: quality(),
  lines: [{
    name: AGENT,
    tickets30: 21,
    firstResponseMs: 3 * MINUTE,
    csatAverage: "4,5",
    state: "available",
  }],
  more: 1_500,
  ...over,
});

const card = (over: Partial<CardView> = {}): CardView => ({
  name: CLIENT,
  telegramName: "Alice S.",
  username: "alice_s",
  language: "ru",
  ticket: TICKET,
  tickets: 3,
  lastRating: STARS,
  phone: "+7 999 123-45-67",
  ...over,
});

/** A figure as the reader of `language` sees it. */
const n = (value: number) => (language: Language) => formatNumber(value, language);

/** What one call shows: literal parts, or parts that depend on the language (figures). */
type Part = string | ((language: Language) => string);

/** A text function's sample call, and what its result must show. */
interface Sample<A extends readonly unknown[]> {
  readonly args: A;
  /** Every string argument is shown; these are further parts (figures, fields of views). */
  readonly shows?: readonly Part[];
  /** Not every string argument is shown as it is (a view, a key): only `shows`. */
  readonly onlyShows?: true;
}

type Fn = (...args: never[]) => string;
type SampleOf<F> = F extends (...args: infer A) => string ? Sample<A> : never;
type Samples<T> = { readonly [K in keyof T as T[K] extends Fn ? K : never]: SampleOf<T[K]> };

/** A sample call for every text function of {@link Texts} (the compiler checks none is missing). */
const SAMPLES: Samples<Texts> = {
  greetingBack: { args: [CLIENT] },
  nameSaved: { args: [CLIENT] },
  ticketOpened: { args: [TICKET] },
  offline: { args: ["Mon, 30 Nov, 09:00 (Europe/Berlin)"] },
  zoneTime: {
    args: ["Mon, 30 Nov, 09:00", "Europe/Moscow", "UTC+3"],
    shows: ["09:00"],
    onlyShows: true,
  },
  closedByClient: { args: [TICKET] },
  rateThanks: { args: [STARS] },
  transferredClient: { args: [TICKET] },
  returnedToQueue: { args: [TICKET] },
  agentClientLeft: { args: [CLIENT, TICKET] },
  notDelivered: { args: ["sticker"], onlyShows: true },
  moreInHistory: { args: [CLIENT, BIG], shows: [n(BIG)] },
  card: {
    args: [card()],
    shows: [CLIENT, "Alice S.", "@alice_s", TICKET, "3", STARS, "+7 999 123-45-67"],
    onlyShows: true,
  },
  nameSavedAskContact: { args: [CLIENT] },
  connected: { args: [TICKET] },
  queued: { args: [1_234], shows: [n(1_234)] },
  stillQueued: { args: [1_234], shows: [n(1_234)] },
  ticketClosed: { args: [TICKET] },
  agentNewClient: { args: [CLIENT, TICKET, 3, PREVIOUS], shows: ["3"] },
  agentRated: { args: [CLIENT, TICKET, STARS] },
  agentComment: { args: [CLIENT, TICKET, "Всё отлично, спасибо"] },
  agentClientClosed: { args: [CLIENT, TICKET] },
  agentClientBanned: { args: [CLIENT, TICKET] },
  transferChoose: { args: [TICKET] },
  transferNobody: { args: [TICKET] },
  transferDone: { args: [TICKET, AGENT] },
  transferQueued: { args: [TICKET] },
  transferIncoming: { args: [TICKET, CLIENT, AGENT] },
  cannedSaved: { args: ["privet"] },
  cannedDeleted: { args: ["privet"] },
  cannedUnknown: { args: ["privet"] },
  cannedTooLong: { args: [4_000], shows: [n(4_000)] },
  cannedTooMany: { args: [50], shows: ["50"] },
  cannedSent: { args: ["privet"] },
  cannedShown: { args: ["privet", "Здравствуйте! Чем помочь?"] },
  draftShown: { args: ["Здравствуйте! Пароль можно сбросить в настройках."] },
  agents: {
    args: [[{
      id: 2001,
      name: AGENT,
      username: "boris_agent",
      state: "busy",
      online: true,
      ticket: TICKET,
    }], 1_234],
    shows: [AGENT, "@boris_agent", "2001", TICKET, n(1_235), n(1_234)],
    onlyShows: true,
  },
  queue: {
    args: [[{ ticket: TICKET, client: CLIENT, waitingMinutes: 25, messages: BIG }], 1_500],
    shows: [TICKET, CLIENT, "25", n(BIG), n(1_501), n(1_500)],
    onlyShows: true,
  },
  userUsage: { args: ["ban"], shows: ["/ban"] },
  userUnknown: { args: ["@someone"] },
  userAmbiguous: { args: ["ban", "@someone", [101, 202]], shows: ["101", "202", "/ban 101"] },
  revokeNotAgent: { args: [AGENT] },
  revokeDone: { args: [AGENT, TICKET, "Вера"] },
  banAgent: { args: [AGENT] },
  banDone: { args: [CLIENT] },
  banAlready: { args: [CLIENT] },
  unbanDone: { args: [CLIENT] },
  unbanNotBanned: { args: [CLIENT] },
  exportCaption: { args: ["2026-11-01", "2026-11-30"] },
  teamStats: {
    args: [teamView()],
    shows: [
      n(1_234),
      n(456),
      n(321),
      n(457),
      n(2_500),
      n(3_500),
      n(4_500),
      AGENT,
      "21",
      (l) => l === "ru" ? "первый ответ обычно 3 минуты" : "first response usually 3 minutes",
      "4,5",
      n(1_500),
      n(BIG),
      said(TYPICAL),
      said(WITHIN),
      said(CLOSE),
    ],
    onlyShows: true,
  },
  agentNoDialog: { args: [1_234], shows: [n(1_234)] },
  registerLocked: { args: [15], shows: ["15"] },
  endChatDone: { args: [CLIENT, TICKET] },
  historyCaption: { args: [CLIENT] },
  stats: {
    args: [statsView()],
    shows: [
      n(BIG),
      n(23_456),
      n(3_456),
      "7",
      "45",
      n(1_234),
      CLIENT,
      "1 Nov, 10:00",
      n(1_500),
      said(TYPICAL),
      said(WITHIN),
      said(CLOSE),
      (l) => l === "ru" ? "1 час 1 минута" : "1 hour 1 minute",
      "4,5",
    ],
    onlyShows: true,
  },
  quality: {
    args: [quality()],
    shows: [n(BIG), said(TYPICAL), said(WITHIN), said(CLOSE), "4,5", n(1_234)],
    onlyShows: true,
  },
};

/** The same for team mode's texts. */
const TEAM_SAMPLES: Samples<Texts["team"]> = {
  board: {
    args: [{
      waiting: [{
        ticket: TICKET,
        client: CLIENT,
        waiting: "12 min",
        late: true,
        department: "Tech",
      }],
      waitingCount: 3,
      open: [{ ticket: PREVIOUS, client: "Bob", agent: AGENT }],
      openCount: 1,
      online: [AGENT],
      departments: [
        { name: "Billing", waiting: 2, members: [AGENT, "Oleg"] },
        { name: "Tech", waiting: 1, members: [] },
      ],
      today: {
        tickets: 7,
        firstResponseMedian: "2 min",
        firstResponseP90: "5 min",
        resolutionMedian: "20 min",
        resolutionP90: "1 h",
      },
      updatedAt: "14:05",
    }],
    shows: [
      TICKET,
      CLIENT,
      "12 min",
      PREVIOUS,
      "Bob",
      AGENT,
      "7",
      "2 min",
      "20 min",
      "14:05",
      "3",
      "Billing",
      "Oleg",
      "Tech",
    ],
    onlyShows: true,
  },
  newTicket: { args: [TICKET, PREVIOUS] },
  offered: { args: [TICKET, "@maria"] },
  taken: { args: [TICKET, AGENT] },
  takenOver: { args: [TICKET, AGENT, "Oleg"] },
  alreadyYours: { args: [TICKET] },
  closed: { args: [TICKET, AGENT] },
  closedByClient: { args: [TICKET] },
  transferChoose: { args: [TICKET] },
  transferNobody: { args: [TICKET] },
  transferred: { args: [TICKET, AGENT, "Oleg"] },
  memberLeft: { args: [AGENT, 2], shows: ["2"] },
  editIntoNote: { args: ["//"], shows: ["//"] },
  help: { args: ["//"], shows: ["/take", "/help", "//"] },
  cannedShown: { args: [AGENT, "hello", "Здравствуйте! Чем помочь?"] },
};

/** The same for the words on the `/stats` chart. */
const CHART_SAMPLES: Samples<Texts["chart"]> = {
  firstResponse: {
    args: ["minutes"],
    onlyShows: true,
    shows: [said({ ru: "мин", en: "minutes" })],
  },
};

/** The same for routing's texts (languages, departments). */
const ROUTING_SAMPLES: Samples<Texts["routing"]> = {
  languagesNow: { args: ["русский, английский", 2, true] },
  languagesUsage: { args: ["ru, en"] },
  departmentPicked: { args: ["Оплата"] },
  departmentsMine: { args: [["Оплата", "Техника"]], shows: ["Оплата", "Техника"] },
  departmentUsage: { args: ["join", "billing", "billing (Оплата), tech (Техника)"] },
  joined: { args: ["Оплата"] },
  left: { args: ["Оплата"] },
  alreadyIn: { args: ["Оплата"] },
  notIn: { args: ["Оплата"] },
  toDepartmentButton: { args: ["Оплата"] },
  movedToDepartment: { args: [TICKET, "Техника"] },
  clientMovedToDepartment: { args: [TICKET, "Техника"] },
  ownGroup: { args: ["Оплата"] },
  movedToGroup: { args: [TICKET, "Техника"] },
  department: { args: ["Оплата"] },
  statsAgent: { args: ["русский, английский", ["Оплата"]], shows: ["Оплата"] },
  statsDepartments: {
    args: [[{ name: "Оплата", queued: 2, agents: 3, free: 1 }]],
    shows: ["Оплата", n(2), n(3), n(1)],
    onlyShows: true,
  },
};

/** The same for the knowledge base's and search's texts. */
const KNOWLEDGE_SAMPLES: Samples<Texts["knowledge"]> = {
  offered: { args: ["Как сбросить пароль?"] },
  faqList: { args: [["Как сбросить пароль?", "How do I reset my password?"], 3] },
  faqReloaded: { args: [12], shows: [n(12)] },
  faqReloadFailed: { args: ["FAQ_FILE faq.md: line 3"] },
  searchNone: { args: ["возврат"] },
  searchResults: {
    args: [
      [{ ticket: TICKET, client: CLIENT, at: "2026-11-01 10:00 UTC", snippet: "…возврат…" }],
      "T-000042",
    ],
    shows: [TICKET, CLIENT, "…возврат…"],
  },
  historyNoTicket: { args: [TICKET] },
  articleShown: { args: ["Как отменить заказ?", "Кнопкой «Отменить»."] },
  articleShownTeam: { args: ["Agent One", "Как отменить заказ?", "Кнопкой «Отменить»."] },
  statsSelfServed: { args: [7], shows: [n(7)] },
};

/** The same for Telegram Business's texts. */
const BUSINESS_SAMPLES: Samples<Texts["business"]> = {
  held: { args: ["off", "Цветы у Анны"], shows: ["Цветы у Анны"], onlyShows: true },
  released: { args: [2], shows: [n(2)], onlyShows: true },
  ownerWrote: { args: ["Анна", "Заказ отправлен"] },
  clientDeleted: { args: ["Где мой заказ?"] },
  cardAccount: { args: ["Цветы у Анны"] },
  inboxes: {
    args: [[{ account: "Цветы у Анны", tickets: 5, open: 2 }]],
    shows: ["Цветы у Анны", n(5), n(2)],
    onlyShows: true,
  },
  arrived: { args: ["Цветы у Анны"] },
  queuedNotice: { args: [3], shows: [n(3)], onlyShows: true },
  noReply: { args: ["Цветы у Анны"] },
  connected: { args: ["Цветы у Анны", true], shows: ["Цветы у Анны"], onlyShows: true },
};

/** The same for the texts of the history file. */
const HISTORY_SAMPLES: Samples<Texts["history"]> = {
  title: { args: [CLIENT] },
  phone: { args: ["+7 999 123-45-67"] },
  ticket: { args: [TICKET, "2026-11-01 10:00 UTC", "закрыто"], onlyShows: true, shows: [TICKET] },
  edited: { args: ["2026-11-01 10:05 UTC", "исправленный текст"] },
  rating: { args: [STARS, "Всё отлично"] },
  viaAccount: { args: ["Цветы у Анны"] },
};

// ---- walking the texts ----

/** One text as a user reads it: where it is in {@link Texts}, and the words. */
interface Rendered {
  readonly path: string;
  readonly text: string;
  /** Whether it is read in a chat (not a line of the history file or the CSV). */
  readonly chat: boolean;
  /** The sample call it came from, for a function. */
  readonly sample?: Sample<unknown[]>;
}

/** Every text of `language`: strings as they are, functions called with their sample. */
function renderAll(language: Language): Rendered[] {
  const out: Rendered[] = [];
  const walk = (value: unknown, path: string[], samples: Record<string, unknown> | null) => {
    const key = path.join(".");
    const chat = path[0] !== "history";
    if (typeof value === "string") return out.push({ path: key, text: value, chat });
    if (typeof value === "function") {
      const sample = samples?.[path[path.length - 1]] as Sample<unknown[]> | undefined;
      assert.ok(sample, `${language}: no sample for the function ${key}`);
      const text = value(...sample.args);
      assert.equal(typeof text, "string", `${language}: ${key} returns no string`);
      return out.push({ path: key, text, chat, sample });
    }
    assert.ok(typeof value === "object" && value !== null, `${language}: ${key} is neither`);
    const inner = path.length === 0
      ? SAMPLES
      : key === "history"
      ? HISTORY_SAMPLES
      : key === "team"
      ? TEAM_SAMPLES
      : key === "chart"
      ? CHART_SAMPLES
      : key === "routing"
      ? ROUTING_SAMPLES
      : key === "knowledge"
      ? KNOWLEDGE_SAMPLES
      : key === "business"
      ? BUSINESS_SAMPLES
      : null;
    for (const [name, child] of Object.entries(value)) walk(child, [...path, name], inner);
  };
  walk(texts(language), [], null);
  return out;
}

/** The call's result shows every string argument (unless told otherwise) and every part. */
function checkShows(language: Language, key: string, text: string, sample: Sample<unknown[]>) {
  const parts: string[] = (sample.shows ?? []).map((p) => typeof p === "string" ? p : p(language));
  if (!sample.onlyShows) {
    for (const arg of sample.args) if (typeof arg === "string") parts.push(arg);
  }
  for (const part of parts) {
    assert.ok(
      text.includes(part),
      `${language}: ${key} does not show ${JSON.stringify(part)}:\n${text}`,
    );
  }
}

const cache = new Map<Language, Rendered[]>();
/** Every text of `language`, rendered once (in the first test that asks: a fault fails it). */
const rendered = (language: Language): Rendered[] => {
  if (!cache.has(language)) cache.set(language, renderAll(language));
  return cache.get(language)!;
};

// ---- every text ----

Deno.test("texts: every text of both languages says something and shows what it is given", () => {
  for (const language of LANGUAGES) {
    assert.ok(rendered(language).length > 100, `${language}: too few texts walked`);
    for (const { path, text, sample } of rendered(language)) {
      if (sample) checkShows(language, path, text, sample);
      assert.ok(text.trim().length > 0, `${language}: ${path} is empty`);
      assert.equal(text, text.trim(), `${language}: ${path} has spaces at an end`);
      assert.doesNotMatch(text, /undefined|null|NaN|\[object|\$\{/, `${language}: ${path}`);
      assert.doesNotMatch(text, /\S {2,}\S/, `${language}: ${path} has doubled spaces:\n${text}`);
    }
  }
});

Deno.test("texts: both languages have exactly the same keys", () => {
  const keys = (value: unknown, prefix = ""): string[] =>
    typeof value === "object" && value !== null
      ? Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keys(v, `${prefix}${k}.`)])
      : [];
  const [first, ...rest] = LANGUAGES;
  for (const language of rest) {
    assert.deepEqual(keys(texts(language)).sort(), keys(texts(first)).sort(), language);
  }
});

Deno.test("texts: sentences start with a capital (or a command, a figure, a sign)", () => {
  for (const language of LANGUAGES) {
    for (const { path, text, chat } of rendered(language)) {
      // History fragments (statuses, kinds, roles) go inside other lines; so do the kinds,
      // and routing's names of languages and of "no department".
      if (!chat || /^routing\.(languageNames|noDepartment)/.test(path)) continue;
      assert.doesNotMatch(text, /^\p{Ll}/u, `${language}: ${path} starts in lowercase: ${text}`);
      // After a full stop, the next sentence starts with a capital too.
      assert.doesNotMatch(text, /[.!?] \p{Ll}/u, `${language}: ${path}: ${text}`);
    }
  }
});

// ---- Russian style ----

Deno.test("ru: no gender suffix, no semicolon, «вы» in lowercase, no bureaucratese, ё", () => {
  for (const { path, text, chat } of rendered("ru")) {
    const where = `ru: ${path}:\n${text}`;
    // «оценил(а)», «заблокирован(а)», «оценил/а»: phrased around instead.
    assert.doesNotMatch(text, /\p{L}\(\p{L}{1,3}\)/u, where);
    assert.doesNotMatch(text, /\p{L}\/\p{L}{1,2}(?!\p{L})/u, where);
    // A semicolon does not belong in a chat message (the file's lines may have one).
    if (chat) assert.ok(!text.includes(";"), where);
    // «вы» is lowercase within a sentence.
    assert.doesNotMatch(text, /[\p{Ll},:—-]\s+(Вы|Вас|Вам|Вами|Ваш\p{L}*)(?!\p{L})/u, where);
    assert.doesNotMatch(
      text,
      /(?<!\p{L})(осуществ\p{L}*|данн(ый|ого|ое|ая|ую|ом|ые|ых)|в случае если)(?!\p{L})/iu,
      where,
    );
    // Words that need their ё.
    assert.doesNotMatch(
      text,
      /(?<!\p{L})(еще|ждет|ждут\p{L}|идет|передает|пришлет|сохранен|удален|включен|свое|ее)(?!\p{L})/iu,
      where,
    );
    // Quotes are « ».
    assert.ok(!/["“”„]/.test(text), where);
    // Gendered past tense about a person (the name, the client, the agent, the admin).
    assert.doesNotMatch(
      text,
      /(клиент|специалист|администратор|Alice Smith|Борис)\s+(\p{L}+л|\p{L}+лся|\p{L}+н|\p{L}+ан)(?!\p{L})/iu,
      where,
    );
  }
});

Deno.test("ru: no message kind left in English in a Russian text", () => {
  const latin = new RegExp(`(?<![\\w/])(${MESSAGE_KINDS.join("|")})(?![\\w])`);
  for (const { path, text } of rendered("ru")) {
    assert.doesNotMatch(text, latin, `ru: ${path}:\n${text}`);
  }
  for (const kind of MESSAGE_KINDS) {
    assert.doesNotMatch(texts("ru").notDelivered(kind), latin, kind);
    assert.doesNotMatch(texts("ru").history.kinds[kind], latin, kind);
  }
});

// ---- English style ----

Deno.test("en: no calques the texts once had, no plural hacks", () => {
  const calques = [
    /how should we call/i,
    /tell whom/i,
    /\bin a dialog\b/i,
    /\bsend it again differently\b/i,
    /\bwe are always glad\b/i,
    /\(s\)/,
  ];
  for (const { path, text } of rendered("en")) {
    for (const calque of calques) assert.doesNotMatch(text, calque, `en: ${path}:\n${text}`);
  }
  assert.match(texts("en").askName, /^What/);
});

// ---- kinds of message ----

Deno.test("kinds: every kind of message has a name in each language, and a Russian accusative", () => {
  for (const language of LANGUAGES) {
    const t = texts(language);
    assert.deepEqual(Object.keys(t.history.kinds).sort(), [...MESSAGE_KINDS].sort(), language);
    for (const kind of MESSAGE_KINDS) {
      const name = t.history.kinds[kind];
      assert.ok(name.trim().length > 0, `${language}: ${kind} has no name`);
      const notice = t.notDelivered(kind);
      if (language === "en") assert.ok(notice.includes(`Your ${name}`), `${kind}: ${notice}`);
    }
  }
  assert.deepEqual(Object.keys(KINDS_ACCUSATIVE).sort(), [...MESSAGE_KINDS].sort());
  for (const kind of MESSAGE_KINDS) {
    const accusative = KINDS_ACCUSATIVE[kind];
    // «ваш стикер», «вашу геопозицию», «ваше фото»: the possessive agrees with the kind.
    assert.match(accusative, /^ваш(у|е)? \p{L}/u, kind);
    assert.ok(texts("ru").notDelivered(kind).includes(`доставить ${accusative}.`), kind);
  }
  // The feminine kinds take «вашу» and change their ending; the neuter and masculine ones not.
  assert.equal(KINDS_ACCUSATIVE.location, "вашу геопозицию");
  assert.equal(KINDS_ACCUSATIVE.sticker, "ваш стикер");
  assert.equal(KINDS_ACCUSATIVE.photo, "ваше фото");
  assert.equal(
    texts("ru").notDelivered("sticker").startsWith("Не удалось доставить ваш стикер"),
    true,
  );
});

Deno.test("kinds: whatever a message holds is a kind the texts name; unknown ones are other", () => {
  const base = {
    message_id: 1,
    date: 1_700_000_000,
    chat: { id: 1, type: "private", first_name: "A" },
  };
  const file = { file_id: "f", file_unique_id: "u" };
  const shapes: Record<string, unknown>[] = [
    { text: "hi" },
    { photo: [{ ...file, width: 1, height: 1 }] },
    ...["animation", "video", "document", "voice", "audio", "sticker", "video_note"].map((k) => ({
      [k]: file,
    })),
    ...["venue", "location", "contact", "poll", "dice"].map((k) => ({ [k]: {} })),
    { new_chat_title: "something else" },
  ];
  for (const shape of shapes) {
    const { kind } = describeMessage({ ...base, ...shape } as unknown as Message);
    assert.ok((MESSAGE_KINDS as readonly string[]).includes(kind), kind);
    assert.equal(messageKind(kind), kind);
  }
  assert.equal(messageKind("giveaway"), "other");
});

// ---- plural forms ----

const COUNTS = [1, 2, 5, 11, 21, 22, 25, 111] as const;

/** The Russian form for `n` by the schoolbook rule: 0 for 1, 21; 1 for 2–4, 22; 2 for the rest. */
function ruForm(n: number): 0 | 1 | 2 {
  const last = n % 10;
  const lastTwo = n % 100;
  if (last === 1 && lastTwo !== 11) return 0;
  if (last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14)) return 1;
  return 2;
}

/** `n` followed by `noun`, not part of a larger figure nor of a longer word. */
function countOf(n: number, noun: string): RegExp {
  const escaped = noun.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\d,.\\u00a0])${n}[ \\u00a0]${escaped}(?!\\p{L})`, "u");
}

/** A counted noun: how a text shows `n` of it, and the forms expected. */
interface Counted {
  readonly noun: string;
  readonly render: (t: Texts, n: number) => string;
  readonly ru: readonly [string, string, string];
  readonly en: readonly [string, string];
  /** The counts it can show (hours are at most 23: more is days). */
  readonly counts?: readonly number[];
}

const queueLine = (t: Texts, waitingMinutes: number, messages: number) =>
  t.queue([{ ticket: TICKET, client: CLIENT, waitingMinutes, messages }], 0);
const recentLine = (t: Texts, minutes: number) =>
  t.stats(
    statsView({ recent: [{ clientName: CLIENT, openedAt: "x", lastedMs: minutes * MINUTE }] }),
  );
/** The team's `/stats` with nine first responses in ten within `minutes`. */
const withinLine = (t: Texts, minutes: number) =>
  t.quality(quality({
    days30: response(10, {
      firstResponseMs: 30_000,
      firstResponse9in10Ms: minutes * MINUTE,
      resolutionMs: null,
    }),
  }));

const MESSAGES = {
  ru: ["сообщение", "сообщения", "сообщений"],
  en: ["message", "messages"],
} as const;
/** "3 more messages": in English, "more" comes between. */
const MORE_MESSAGES = { ...MESSAGES, en: ["more message", "more messages"] } as const;
const TICKETS = {
  ru: ["обращение", "обращения", "обращений"],
  en: ["ticket", "tickets"],
} as const;

const COUNTED: readonly Counted[] = [
  {
    noun: "messages not shown",
    render: (t, n) => t.moreInHistory(CLIENT, n),
    ...MORE_MESSAGES,
  },
  {
    noun: "messages after the first, below the notice",
    render: (t, n) => t.agentNewClient(CLIENT, TICKET, n, null),
    ...MORE_MESSAGES,
  },
  { noun: "messages of a waiting ticket", render: (t, n) => queueLine(t, 5, n), ...MESSAGES },
  { noun: "tickets in the queue", render: (t, n) => t.agentNoDialog(n), ...TICKETS },
  { noun: "a client's tickets", render: (t, n) => t.card(card({ tickets: n })), ...TICKETS },
  {
    noun: "tickets of a period",
    render: (t, n) => t.quality(quality({ days30: response(n) })),
    ...TICKETS,
  },
  {
    noun: "an agent's tickets",
    render: (t, n) =>
      t.teamStats(teamView({
        lines: [{ ...teamView().lines[0], tickets30: n }],
      })),
    ...TICKETS,
  },
  {
    noun: "ratings",
    render: (t, n) => t.quality(quality({ csatCount: n })),
    ru: ["оценка", "оценки", "оценок"],
    en: ["rating", "ratings"],
  },
  {
    noun: "updates not handled",
    render: (t, n) => t.teamStats(teamView({ parkedUpdates: n })),
    ru: ["обновление", "обновления", "обновлений"],
    en: ["update", "updates"],
  },
  {
    noun: "characters (at most)",
    render: (t, n) => t.cannedTooLong(n),
    ru: ["символа", "символов", "символов"],
    en: ["character", "characters"],
  },
  {
    noun: "saved replies (at most)",
    render: (t, n) => t.cannedTooMany(n),
    ru: ["готового ответа", "готовых ответов", "готовых ответов"],
    en: ["saved reply", "saved replies"],
  },
  {
    noun: "minutes to wait (accusative)",
    render: (t, n) => t.registerLocked(n),
    ru: ["минуту", "минуты", "минут"],
    en: ["minute", "minutes"],
  },
  {
    noun: "agents in the team",
    render: (t, n) => t.teamStats(teamView({ agents: n })),
    ru: ["специалист", "специалиста", "специалистов"],
    en: ["agent", "agents"],
  },
  {
    noun: "clients in the queue",
    render: (t, n) => t.stats(statsView({ queueLength: n })),
    ru: ["клиент", "клиента", "клиентов"],
    en: ["client", "clients"],
  },
  {
    noun: "clients served (after «от»)",
    render: (t, n) => t.stats(statsView({ clientsTotal: n })),
    ru: ["клиента", "клиентов", "клиентов"],
    en: ["client", "clients"],
  },
  {
    noun: "minutes nine responses in ten took at most (genitive)",
    render: (t, n) => withinLine(t, n),
    ru: ["минуты", "минут", "минут"],
    en: ["minute", "minutes"],
    counts: COUNTS.filter((n) => n < 60),
  },
  {
    noun: "hours nine responses in ten took at most (genitive)",
    render: (t, n) => withinLine(t, n * 60),
    ru: ["часа", "часов", "часов"],
    en: ["hour", "hours"],
    counts: COUNTS.filter((n) => n < 24),
  },
  {
    noun: "minutes waited (accusative)",
    render: (t, n) => queueLine(t, n, 1),
    ru: ["минуту", "минуты", "минут"],
    en: ["minute", "minutes"],
    counts: COUNTS.filter((n) => n < 60),
  },
  {
    noun: "minutes a dialog took (nominative)",
    render: (t, n) => recentLine(t, n),
    ru: ["минута", "минуты", "минут"],
    en: ["minute", "minutes"],
    counts: COUNTS.filter((n) => n < 60),
  },
  {
    noun: "minutes after hours",
    render: (t, n) => recentLine(t, 60 + n),
    ru: ["минута", "минуты", "минут"],
    en: ["minute", "minutes"],
    counts: COUNTS.filter((n) => n < 60),
  },
  {
    noun: "hours",
    render: (t, n) => recentLine(t, n * 60),
    ru: ["час", "часа", "часов"],
    en: ["hour", "hours"],
    counts: COUNTS.filter((n) => n < 24),
  },
  {
    noun: "hours after days",
    render: (t, n) => queueLine(t, 24 * 60 + n * 60, 1),
    ru: ["час", "часа", "часов"],
    en: ["hour", "hours"],
    counts: COUNTS.filter((n) => n < 24),
  },
  {
    noun: "days",
    render: (t, n) => queueLine(t, n * 24 * 60, 1),
    ru: ["день", "дня", "дней"],
    en: ["day", "days"],
  },
];

Deno.test("plurals: every counted noun takes the right form for 1, 2, 5, 11, 21, 22, 25, 111", () => {
  for (const counted of COUNTED) {
    for (const n of counted.counts ?? COUNTS) {
      const cases = [
        { language: "ru", form: counted.ru[ruForm(n)], wrong: counted.ru },
        { language: "en", form: counted.en[n === 1 ? 0 : 1], wrong: counted.en },
      ] as const;
      for (const { language, form, wrong } of cases) {
        const text = counted.render(texts(language), n);
        const where = `${language}: ${counted.noun}, ${n}:\n${text}`;
        assert.match(text, countOf(n, form), where);
        for (const other of wrong) {
          if (other !== form) assert.doesNotMatch(text, countOf(n, other), where);
        }
      }
    }
  }
});

Deno.test("plurals: the forms follow Intl.PluralRules, checked against the schoolbook rule", () => {
  const rules = new Intl.PluralRules("ru-RU");
  for (let n = 0; n <= 250; n++) {
    const expected = ["one", "few", "many"][ruForm(n)];
    assert.equal(rules.select(n), expected, String(n));
  }
});

// ---- figures ----

Deno.test("figures: large counts are written as each language writes them", () => {
  const ru = texts("ru");
  const en = texts("en");
  // Russian groups with the no-break space Intl gives; English with a comma.
  assert.ok(ru.moreInHistory(CLIENT, BIG).includes("12\u00a0345 сообщений"));
  assert.ok(en.moreInHistory(CLIENT, BIG).includes("12,345 more messages"));
  assert.ok(ru.queued(1_234).includes("1\u00a0234"));
  assert.ok(en.queued(1_234).includes("1,234"));
  const ruStats = ru.stats(statsView());
  const enStats = en.stats(statsView());
  assert.ok(ruStats.includes("23\u00a0456") && !ruStats.includes("23456"), ruStats);
  assert.ok(enStats.includes("23,456") && !enStats.includes("23456"), enStats);
  assert.ok(ru.teamStats(teamView()).includes("4\u00a0500 обновлений"));
  assert.ok(en.teamStats(teamView()).includes("4,500 updates"));
  assert.ok(ru.cannedTooLong(4_000).includes("4\u00a0000 символов"));
  assert.ok(en.cannedTooLong(4_000).includes("4,000 characters"));
  // Ids are not figures to read: never grouped.
  assert.ok(ru.userAmbiguous("ban", "@x", [123456789]).includes("123456789"));
});

Deno.test("durations: minutes, hours and days in words, the smaller unit left out at zero", () => {
  const ru = texts("ru");
  const en = texts("en");
  assert.ok(queueLine(ru, 125, 1).includes("ждёт 2 часа 5 минут"));
  assert.ok(queueLine(en, 125, 1).includes("waiting 2 hours 5 minutes"));
  assert.ok(queueLine(ru, 120, 1).includes("ждёт 2 часа,"));
  assert.ok(queueLine(en, 3 * 24 * 60 + 60, 1).includes("waiting 3 days 1 hour,"));
  assert.ok(recentLine(ru, 1).includes("— 1 минута"));
  assert.ok(ru.registerLocked(15).includes("через 15 минут"));
  assert.ok(en.registerLocked(1).includes("in 1 minute."));
});

// ---- sentences with variants ----

Deno.test("texts: the variants of a text show what they are given", () => {
  for (const language of LANGUAGES) {
    const t = texts(language);
    // One message only (nobody waited): no line about more below.
    const straight = t.agentNewClient(CLIENT, TICKET, 0, null);
    assert.ok(straight.includes(CLIENT) && straight.includes(TICKET));
    assert.ok(!/\d/.test(straight.replace(TICKET, "")), `${language}: ${straight}`);
    assert.notEqual(straight, t.agentNewClient(CLIENT, TICKET, 1, null));
    assert.ok(!t.agentNewClient(CLIENT, TICKET, 0, null).includes(PREVIOUS));
    assert.ok(t.agentNewClient(CLIENT, TICKET, 0, PREVIOUS).includes(PREVIOUS));
    // A revoke with the ticket handed on, back in the queue, or none.
    assert.ok(t.revokeDone(AGENT, TICKET, "Вера").includes("Вера"));
    const queued = t.revokeDone(AGENT, TICKET, null);
    assert.ok(queued.includes(TICKET) && queued.includes(AGENT));
    assert.ok(!t.revokeDone(AGENT, null, null).includes("#T"));
    // Empty lists say so.
    assert.ok(t.queue([], 0).length > 0 && t.agents([], 0).length > 0);
    assert.ok(t.agentNoDialog(0).length > 0 && !/\d/.test(t.agentNoDialog(0)));
    // A card without the optional lines.
    const bare = t.card(
      card({ telegramName: null, username: null, ticket: null, lastRating: null, phone: null }),
    );
    assert.ok(bare.includes(CLIENT) && !bare.includes("@") && !bare.includes("#T"));
    // Stats without ratings, dialogs or a client.
    const quiet = t.stats(
      statsView({ recent: [], inDialogWith: null, quality: quality({ csatAverage: null }) }),
    );
    assert.ok(!quiet.includes(CLIENT) && !quiet.includes("4,5"), quiet);
    assert.ok(!t.teamStats(teamView({ parkedUpdates: 0 })).includes(n(4_500)(language)));
  }
});

// ---- /stats at a glance ----

Deno.test("stats: times in words, «less than a minute», nothing missing shown as a dash", () => {
  const none = response(0, {
    answered: 0,
    firstResponseMs: null,
    firstResponse9in10Ms: null,
    resolutionMs: null,
  });
  const quick = response(12, {
    answered: 12,
    firstResponseMs: 20_000,
    firstResponse9in10Ms: 59_999,
    resolutionMs: 45_000,
  });
  const expected = {
    ru: {
      quick: [
        "Первый ответ: обычно меньше минуты, 9 из 10 — меньше минуты",
        "обычно меньше минуты",
      ],
      none: ["Ответов клиентам за эти дни не было", "Закрытых обращений за эти дни нет"],
      rating: "Оценок за эти дни нет",
      lastedShort: "— меньше минуты",
    },
    en: {
      quick: [
        "First response: usually less than a minute, 9 in 10 in less than a minute",
        "Time to close: usually less than a minute",
      ],
      none: ["No replies to clients in these days", "No tickets closed in these days"],
      rating: "No ratings in these days",
      lastedShort: "— less than a minute",
    },
  } as const;
  for (const language of LANGUAGES) {
    const t = texts(language);
    const e = expected[language];
    const all = [
      t.stats(statsView({ quality: quality({ days30: quick }) })),
      t.stats(statsView({ quality: quality({ days30: none, csatAverage: null, csatCount: 0 }) })),
      t.teamStats(teamView({ quality: quality({ days30: none, csatAverage: null }) })),
      t.teamStats(teamView({
        lines: [{ ...teamView().lines[0], tickets30: 0, firstResponseMs: null, csatAverage: null }],
      })),
      t.stats(statsView({ recent: [{ clientName: CLIENT, openedAt: "x", lastedMs: 10_000 }] })),
    ];
    for (const line of e.quick) assert.ok(all[0].includes(line), `${language}:\n${all[0]}`);
    for (const line of e.none) assert.ok(all[1].includes(line), `${language}:\n${all[1]}`);
    assert.ok(all[1].includes(e.rating) && all[2].includes(e.rating), language);
    assert.ok(all[4].includes(e.lastedShort), all[4]);
    for (const text of all) {
      // A figure is never «0 minutes», a missing one never a bare dash, and no statistics
      // jargon (median, percentile) reaches the agents.
      assert.doesNotMatch(text, /(?<![\d\u00a0])0[ \u00a0](минут|minutes)/, text);
      assert.doesNotMatch(text, /\s[—–-](?=[,)]|$)/m, `${language}: a bare dash:\n${text}`);
      assert.doesNotMatch(text, /перцентил|медиан|percentile|median|90%/i, text);
    }
  }
});

Deno.test("stats: «9 in 10» only from ten answered tickets on, and it rounds up to stay true", () => {
  for (const language of LANGUAGES) {
    const t = texts(language);
    const few = t.quality(quality({ days30: response(12, { answered: 9 }) }));
    assert.ok(!/9 (из|in) 10/.test(few), `${language}: nine answers are no «9 in 10»:\n${few}`);
    assert.ok(few.includes(TYPICAL[language]), few);
    const ten = t.quality(quality({ days30: response(10, { answered: 10 }) }));
    assert.ok(ten.includes(WITHIN[language]), ten);
    // Past a day, whole hours: 1 day 2 hours 1 minute is «within 1 day 3 hours».
    const long = t.quality(quality({
      days30: response(10, { answered: 10, firstResponse9in10Ms: (26 * 60 + 1) * MINUTE }),
    }));
    const words = language === "ru" ? "не дольше 1 дня 3 часов" : "within 1 day 3 hours";
    assert.ok(long.includes(words), `${language}:\n${long}`);
  }
});

Deno.test("stats: the agent's text is short enough to be a photo's caption", () => {
  // Every figure at its longest: big numbers, a long name, three recent dialogs.
  const name = "Александра Константинопольская-Щедрина";
  const longest = statsView({
    inDialogWith: name,
    recent: Array.from({ length: 3 }, () => ({
      clientName: name,
      openedAt: "30 нояб., 23:59",
      lastedMs: (23 * 60 + 59) * MINUTE,
    })),
    quality: quality({
      days30: response(BIG, {
        firstResponseMs: (23 * 60 + 59) * MINUTE,
        firstResponse9in10Ms: (23 * 60 + 58) * MINUTE,
        resolutionMs: (23 * 60 + 59) * MINUTE,
      }),
    }),
  });
  for (const language of LANGUAGES) {
    const text = texts(language).stats(longest);
    assert.ok(text.length <= 1024, `${language}: ${text.length} characters`);
    assert.ok(text.split("\n").length <= 18, `${language}: ${text.split("\n").length} lines`);
  }
});

// ---- the phrases a review found ----

Deno.test("texts: the phrases a native speaker flagged are gone", () => {
  const ru = texts("ru"), en = texts("en");
  const waiting = (
    minutes: number,
  ) => [{ ticket: TICKET, client: CLIENT, waitingMinutes: minutes, messages: 1 }];
  // A wait of under a minute is «меньше минуты», never «0 минут».
  assert.ok(ru.queue(waiting(0), 0).includes("ждёт меньше минуты"), ru.queue(waiting(0), 0));
  assert.ok(en.queue(waiting(0), 0).includes("waiting less than a minute"));
  assert.ok(ru.queue(waiting(1), 0).includes("ждёт 1 минуту"));
  const quick = statsView({ recent: [{ clientName: CLIENT, openedAt: "10:00", lastedMs: 0 }] });
  assert.ok(ru.stats(quick).includes("— меньше минуты") && !ru.stats(quick).includes("0 минут"));
  assert.ok(en.stats(quick).includes("— less than a minute"));
  // Resolution is «до закрытия», not «решение», in the stats and on the board.
  for (const { path, text } of rendered("ru")) {
    assert.doesNotMatch(text, /решени/i, `ru: ${path}:\n${text}`);
  }
  // The token's message: the pronoun points at the message (neuter), not the token.
  assert.doesNotMatch(ru.tokenRemoved, /мы его удалили/);
  assert.match(ru.tokenRemoved, /удалили ваше сообщение/);
  // After the name was said, the next answer does not say it again.
  assert.ok(!ru.greetingTicket.includes(",") && !en.greetingTicket.includes(","));
  // English: no ", and available:", no "Please say who".
  for (const { path, text } of rendered("en")) {
    assert.doesNotMatch(text, /, and available:|Please say who/, `en: ${path}:\n${text}`);
  }
});

Deno.test("texts: a time zone is named as people name it, or by its UTC offset", () => {
  const ru = texts("ru"), en = texts("en");
  assert.equal(
    ru.zoneTime("пн, 09:00", "Europe/Moscow", "UTC+3"),
    "пн, 09:00 по московскому времени",
  );
  assert.equal(en.zoneTime("Mon, 09:00", "Europe/Moscow", "UTC+3"), "Mon, 09:00 Moscow time");
  assert.equal(en.zoneTime("Mon, 09:00", "America/New_York", "UTC-5"), "Mon, 09:00 Eastern Time");
  // A zone without a name: its offset, never its IANA id.
  for (const t of [ru, en]) {
    const shown = t.zoneTime("09:00", "Pacific/Chatham", "UTC+12:45");
    assert.equal(shown, "09:00 (UTC+12:45)");
  }
  // Every zone Russian names, English names too (and the other way round).
  for (
    const zone of ["Europe/Moscow", "Europe/London", "Asia/Tokyo", "Europe/Kyiv", "Asia/Almaty"]
  ) {
    assert.ok(!ru.zoneTime("09:00", zone, "X").includes("(X)"), zone);
    assert.ok(!en.zoneTime("09:00", zone, "X").includes("(X)"), zone);
  }
});

Deno.test("texts: ratings show one star glyph, the buttons' too", () => {
  const shown = [stars(4), ...ratingButtons(1)[0].map((b) => b.text)].join(" ");
  assert.ok(shown.includes("★"), shown);
  assert.doesNotMatch(shown, /⭐|🌟|✩|✭|✮/, shown);
});

Deno.test("counts without Intl say what Intl says: plural forms and figures, Russian and English", () => {
  const samples: number[] = [];
  for (let n = 0; n <= 2_000; n++) samples.push(n, -n);
  for (let n = 1; n < 1e15; n = n * 7 + 3) samples.push(n, n + 1, n * 10, -n);
  samples.push(Number.MAX_SAFE_INTEGER, 1.5, 0.333333, 1234.56, -2.25);
  const ruRules = new Intl.PluralRules(LOCALES.ru);
  const enRules = new Intl.PluralRules(LOCALES.en);
  const ruForms = ["one", "few", "many"] as const;
  for (const n of samples) {
    for (const language of ["ru", "en"] as const) {
      assert.equal(
        formatNumber(n, language),
        new Intl.NumberFormat(LOCALES[language]).format(n),
        `${n} in ${language}`,
      );
    }
    if (!Number.isInteger(n)) continue;
    const category = ruRules.select(n);
    assert.equal(ruPlural(n, ruForms), category === "other" ? "many" : category, `ru ${n}`);
    assert.equal(enPlural(n, ["one", "other"]), enRules.select(n), `en ${n}`);
  }
});
