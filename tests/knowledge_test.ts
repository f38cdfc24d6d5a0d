/**
 * The knowledge base and search without Telegram: the stemmer's word forms (Russian and
 * English), the FAQ file read as Telegram text and entities (and its errors), the threshold
 * of self-service measured on a labelled set of questions against the sandbox's example file
 * (precision and recall, see docs/knowledge.md), the FTS5 indexes on a real SQLite file
 * (articles; every message, kept by triggers through edits, and the messages stored before
 * the migration indexed by it), who may see what, and the cost of a match.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { packButton, parseButton } from "../src/rules/button_data.ts";
import {
  FaqError,
  markdownToTelegram,
  parseFaq,
  SELF_SERVICE_SCORE,
  SUGGEST_SCORE,
} from "../src/rules/faq.ts";
import { stem, stemEnglish, stemRussian, stems } from "../src/rules/stemmer.ts";
import { ConfigError, parseConfig } from "../src/config/mod.ts";
import { openDatabase } from "../src/store/db.ts";
import { MIGRATIONS } from "../src/store/migrations.ts";
import { findArticles, Store } from "../src/store/mod.ts";
import { searchTerms, snippetOf, ticketNamed } from "../src/desk/knowledge.ts";
import { indexMessages } from "../src/store/knowledge.ts";

const T0 = 1_700_000_000_000;
const SANDBOX_FAQ = new URL("../tools/sandbox/faq.md", import.meta.url);

async function withDb(fn: (store: Store, db: DatabaseSync) => void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-knowledge-test-" });
  const db = openDatabase(join(dir, "helpdesk.db"));
  try {
    fn(new Store(db), db);
  } finally {
    if (db.isOpen) db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function addUser(store: Store, userId: number): void {
  store.insertUser(
    { userId, username: null, fullName: `User ${userId}`, language: "ru" },
    false,
    T0,
  );
}

function addMessage(
  store: Store,
  ticketId: number,
  clientId: number,
  senderId: number,
  text: string,
) {
  return store.insertMessage({
    ticketId,
    clientId,
    agentId: senderId === clientId ? null : senderId,
    senderId,
    senderRole: senderId === clientId ? "client" : "agent",
    kind: "text",
    text,
    entities: null,
    fileId: null,
    chatMessageId: 1,
    replyToId: null,
    signedInline: null,
    mediaGroupId: null,
    createdAt: T0,
  });
}

// ---- the stemmer ----

Deno.test("stemmer: a Russian word's forms share a stem", () => {
  for (
    const forms of [
      ["пароль", "пароля", "паролем", "паролю", "пароли", "паролей"],
      ["доставка", "доставки", "доставку", "доставкой"],
      ["заказ", "заказа", "заказом", "заказов", "заказы"],
      ["сбросить", "сбросил", "сбросила", "сбросили"],
      ["оплата", "оплаты", "оплатой", "оплату"],
    ]
  ) {
    const stemmed = new Set(forms.map(stemRussian));
    assert.equal(stemmed.size, 1, `${forms.join("/")}: ${[...stemmed].join(", ")}`);
  }
  assert.equal(stemRussian("ёлка"), stemRussian("елка"));
  assert.notEqual(stemRussian("пароль"), stemRussian("паром"));
});

Deno.test("stemmer: an English word's forms share a stem", () => {
  for (
    const forms of [
      ["reset", "resets", "resetting"],
      ["password", "passwords"],
      ["change", "changed", "changing", "changes"],
      ["refund", "refunds", "refunded", "refunding"],
      ["delivery", "deliveries"],
      ["ship", "shipped", "shipping"],
      ["cancel", "cancelled", "cancelling", "canceled"],
    ]
  ) {
    const stemmed = new Set(forms.map(stemEnglish));
    assert.equal(stemmed.size, 1, `${forms.join("/")}: ${[...stemmed].join(", ")}`);
  }
});

Deno.test("stemmer: scripts pick the language; stopwords say nothing", () => {
  assert.equal(stem("Пароля"), stemRussian("пароль"));
  assert.equal(stem("RESETTING"), "reset");
  assert.equal(stem("2fa"), "2fa");
  assert.deepEqual(stems("Как мне сбросить пароль?"), ["сброс", "парол"]);
  assert.deepEqual(stems("How do I reset my password?"), ["reset", "password"]);
  assert.deepEqual(stems("Привет!"), []);
});

// ---- the file ----

Deno.test("faq: headings are questions, the Markdown under them Telegram's text and entities", () => {
  const entries = parseFaq(
    "# Title\n\nA preface, not an article.\n\n## How do I pay?\n\n" +
      "Pay **by card** or [online](https://pay.example.com), see `/pay`.\n" +
      "A second line of the paragraph.\n\n- one\n- *two*\n\n## Second ##\nText\n",
  );
  assert.equal(entries.length, 2);
  assert.equal(entries[0].question, "How do I pay?");
  const { text, entities } = entries[0].answer;
  assert.equal(
    text,
    "Pay by card or online, see /pay. A second line of the paragraph.\n\n• one\n• two",
  );
  const shown = entities.map((e) => [e.type, text.slice(e.offset, e.offset + e.length)]);
  assert.deepEqual(shown, [["bold", "by card"], ["text_link", "online"], ["code", "/pay"], [
    "italic",
    "two",
  ]]);
  assert.equal(entities[1].type === "text_link" && entities[1].url, "https://pay.example.com");
  assert.equal(entries[1].question, "Second");
  // UTF-16 offsets, as Telegram counts them.
  const emoji = markdownToTelegram("😀 **bold**");
  assert.deepEqual(emoji.entities, [{ type: "bold", offset: 3, length: 4 }]);
  // A fenced block is one `pre` entity, kept as written.
  const code = markdownToTelegram("Run:\n```\na  *b*\n```");
  assert.equal(code.text, "Run:\na  *b*");
  assert.deepEqual(code.entities, [{ type: "pre", offset: 5, length: 6 }]);
});

Deno.test("faq: a bad file is refused with the line and the reason", () => {
  assert.throws(() => parseFaq("just text"), FaqError);
  assert.throws(
    () => parseFaq("## Question?\n\n## Next\nanswer"),
    /line 1: .*"Question\?" has no answer/,
  );
  assert.throws(() => parseFaq(`## Long\n${"x".repeat(5000)}`), /line 1: .*longer than 4096/);
  assert.throws(() => parseFaq("## \nanswer"), FaqError);
  // The example file of the sandbox is a good one.
  assert.equal(parseFaq(Deno.readTextFileSync(SANDBOX_FAQ)).length, 14);
});

// ---- the threshold, measured ----

/** Questions clients ask, and the article that answers each (`null`: none should). */
const LABELLED: readonly (readonly [string, string | null])[] = [
  ["Забыл пароль, как его сбросить?", "Как сбросить пароль?"],
  ["как сбросить пароль", "Как сбросить пароль?"],
  ["Не приходит ссылка для сброса пароля", "Как сбросить пароль?"],
  ["Как поменять адрес доставки?", "Как изменить адрес доставки?"],
  ["Сколько времени идёт доставка?", "Сколько идёт доставка?"],
  ["Хочу вернуть товар и получить деньги назад", "Как вернуть товар и получить деньги назад?"],
  ["Какие способы оплаты вы принимаете?", "Какие способы оплаты вы принимаете?"],
  ["Как удалить свой аккаунт?", "Как удалить аккаунт?"],
  ["Как отменить заказ?", "Как отменить заказ?"],
  ["Подскажите, как отменить мой заказ", "Как отменить заказ?"],
  ["I forgot my password, how do I reset it?", "How do I reset my password?"],
  ["resetting password", "How do I reset my password?"],
  ["How can I change the delivery address?", "How do I change my delivery address?"],
  ["How long does shipping take?", "How long does delivery take?"],
  ["I want to return an item and get a refund", "How do I return an item and get a refund?"],
  ["What payment methods do you accept?", "Which payment methods do you accept?"],
  ["How to delete my account", "How do I delete my account?"],
  ["cancel my order please", "How do I cancel an order?"],
  ["Где мой заказ? Уже неделю жду", null],
  ["Бот не отвечает", null],
  ["Курьер нагрубил мне", null],
  ["Товар пришёл сломанный", null],
  ["Приложение вылетает при запуске", null],
  ["Как изменить номер телефона?", null],
  ["Where is my order?", null],
  ["My parcel arrived damaged", null],
  ["Do you have a discount for students?", null],
  ["Can I talk to a manager", null],
  ["How do I change my email?", null],
  ["Привет", null],
];

Deno.test("self-service threshold: no wrong article on the labelled set, most right ones", async () => {
  await withDb((store) => {
    store.replaceArticles(parseFaq(Deno.readTextFileSync(SANDBOX_FAQ)));
    let right = 0;
    let wrong = 0;
    const positives = LABELLED.filter(([, want]) => want !== null).length;
    for (const [question, want] of LABELLED) {
      const best = findArticles(store, question, 1)[0];
      if (best === undefined || best.score < SELF_SERVICE_SCORE) continue;
      if (best.question === want) right++;
      else wrong++;
    }
    // The figures docs/knowledge.md gives: precision 1.00, recall 1.00 (18 of 18).
    assert.equal(wrong, 0, "precision below 1: a wrong article would be offered");
    assert.ok(right / positives >= 0.9, `recall ${right}/${positives}`);
    // Suggestions to agents reach further, and still name the right article first.
    const shipping = findArticles(store, "my parcel: how long is shipping", 3);
    assert.ok(shipping[0].score >= SUGGEST_SCORE);
    assert.equal(shipping[0].question, "How long does delivery take?");
  });
});

Deno.test("findArticles: best first, each with its answer as sent; a reload replaces all", async () => {
  await withDb((store) => {
    assert.deepEqual(findArticles(store, "пароль", 3), []);
    store.replaceArticles(parseFaq(Deno.readTextFileSync(SANDBOX_FAQ)));
    const found = findArticles(store, "паролем не могу войти", 3);
    assert.equal(found[0].question, "Как сбросить пароль?");
    assert.match(found[0].answer.text, /страницу входа/);
    assert.equal(found[0].answer.entities[0].type, "text_link");
    assert.deepEqual(findArticles(store, "", 3), []);
    assert.deepEqual(findArticles(store, '"*) OR NEAR(', 3), []); // no FTS5 syntax gets through
    store.replaceArticles(parseFaq("## Only one?\nYes."));
    assert.equal(store.articleCount(), 1);
    assert.deepEqual(findArticles(store, "пароль", 3), []);
    assert.equal(findArticles(store, "only one", 3)[0].question, "Only one?");
  });
});

// ---- search ----

Deno.test("search: every form of a word, in texts kept up to date, for those who may see", async () => {
  await withDb((store, db) => {
    assert.equal(indexMessages(db, true), "indexed");
    for (const id of [1, 2, 10, 11]) addUser(store, id);
    const mine = store.createTicket(1, T0);
    store.assignTicket(mine, 10, T0);
    const other = store.createTicket(2, T0);
    addMessage(store, mine, 1, 1, "Не могу сменить пароль");
    addMessage(store, mine, 1, 10, "Сбросьте его на странице входа");
    const theirs = addMessage(store, other, 2, 11, "Your password reset link is on its way");
    const all = (q: string) => store.searchMessages(searchTerms(q), null, 10);
    assert.deepEqual(all("паролем").map((f) => f.ticketId), [mine]);
    assert.deepEqual(all("пароля сбросьте"), []); // every word must be there
    assert.deepEqual(all("resetting").map((f) => f.ticketId), [other]);
    assert.deepEqual(all("PASSWORD").map((f) => f.ticketId), [other]);
    assert.match(all("resetting")[0].text, /reset/);
    // An edit is searched as it is now.
    store.editMessage(store.getMessage(theirs)!, "Your login link is on its way", null, T0);
    assert.deepEqual(all("resetting"), []);
    assert.equal(all("login").length, 1);
    // Agent 10 wrote in ticket `mine` only; agent 11 in `other` only.
    assert.deepEqual(store.searchMessages(searchTerms("login"), 10, 10), []);
    assert.equal(store.searchMessages(searchTerms("login"), 11, 10).length, 1);
    assert.equal(store.mayOpenTicket(mine, 10), true);
    assert.equal(store.mayOpenTicket(other, 10), false);
    assert.equal(store.mayOpenTicket(other, null), true);
    assert.equal(store.mayOpenTicket(999, null), false);
  });
});

Deno.test("search turned on indexes the messages stored before; turned off, the index goes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-knowledge-test-" });
  const path = join(dir, "helpdesk.db");
  try {
    const step = MIGRATIONS.findIndex((m) => m.includes("CREATE VIRTUAL TABLE message_index"));
    assert.ok(step > 0);
    const old = new DatabaseSync(path);
    for (let v = 0; v < step; v++) old.exec(MIGRATIONS[v]);
    old.exec(`PRAGMA user_version = ${step}`);
    old.exec(`INSERT INTO users (user_id, full_name, language, created_at)
      VALUES (1, 'Анна', 'ru', ${T0})`);
    old.exec(
      `INSERT INTO tickets (id, client_id, status, opened_at) VALUES (5, 1, 'closed', ${T0})`,
    );
    old.exec(`INSERT INTO messages (ticket_id, client_id, sender_id, sender_role, kind, text,
      chat_message_id, created_at) VALUES (5, 1, 1, 'client', 'photo', 'Возврат денег за заказ', 3, ${T0})`);
    old.close();
    const db = openDatabase(path);
    const store = new Store(db);
    const search = () => store.searchMessages(searchTerms("возврата"), null, 10);
    assert.deepEqual(search(), [], "off: nothing indexed");
    assert.equal(indexMessages(db, true), "indexed");
    assert.deepEqual(search().map((f) => f.ticketId), [5]);
    assert.equal(indexMessages(db, true), "kept");
    assert.equal(indexMessages(db, false), "dropped");
    assert.deepEqual(search(), []);
    // Off: a new message is not indexed; on again, everything is.
    db.exec(`INSERT INTO messages (ticket_id, client_id, sender_id, sender_role, kind, text,
      chat_message_id, created_at) VALUES (5, 1, 1, 'client', 'text', 'Ещё возврат', 4, ${T0})`);
    assert.deepEqual(search(), []);
    assert.equal(indexMessages(db, true), "indexed");
    assert.equal(search().length, 2);
    db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("search terms and ticket numbers as typed", () => {
  assert.deepEqual(searchTerms("пароля"), ["парол"]);
  assert.deepEqual(searchTerms("a to resetting"), ["reset"]);
  assert.deepEqual(searchTerms("ok"), []);
  assert.equal(ticketNamed("T-000123"), 123);
  assert.equal(ticketNamed("#T-42"), 42);
  assert.equal(ticketNamed("17"), 17);
  assert.equal(ticketNamed("html"), undefined);
  const long = `${"раз два ".repeat(20)}Посылка пришла помятой ${"три четыре ".repeat(20)}`;
  const shown = snippetOf(long, searchTerms("помятую"));
  assert.match(shown, /^….*Посылка пришла помятой.*…$/);
  assert.ok(shown.length < 140, shown);
  assert.equal(snippetOf("Короткий текст", ["текст"]), "Короткий текст");
});

Deno.test("buttons of the knowledge base pack and read back", () => {
  for (
    const data of [
      { action: "faq", helped: true },
      { action: "faq", helped: false },
      { action: "article", ticketId: 12, articleId: 3 },
    ] as const
  ) assert.deepEqual(parseButton(packButton(data)), data);
  assert.equal(parseButton("faq:2"), undefined);
  assert.equal(parseButton("article:1"), undefined);
});

Deno.test("config: FAQ_FILE and FAQ_HOLD_SECONDS", () => {
  const base = { BOT_TOKEN: "1:abc", SUPPORT_TOKEN: "a-support-token-1" };
  const unset = parseConfig(base);
  assert.equal(unset.faqFile, null);
  assert.equal(unset.faqHoldMs, 300_000);
  const set = parseConfig({ ...base, FAQ_FILE: " ./faq.md ", FAQ_HOLD_SECONDS: "60" });
  assert.equal(set.faqFile, "./faq.md");
  assert.equal(set.faqHoldMs, 60_000);
  assert.throws(
    () => parseConfig({ ...base, FAQ_HOLD_SECONDS: "5" }),
    (e) => e instanceof ConfigError && /FAQ_HOLD_SECONDS must be a number from 10/.test(e.message),
  );
});

Deno.test("faq: a closing run of # needs a space before it; 'C#' keeps its #", () => {
  const [csharp, closed] = parseFaq("## What is C#\nA language.\n\n## Closed heading ##\nYes.");
  assert.equal(csharp.question, "What is C#");
  assert.equal(closed.question, "Closed heading");
});
