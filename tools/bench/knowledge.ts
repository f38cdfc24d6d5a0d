/**
 * `deno run -A tools/bench/knowledge.ts`: the knowledge base's costs on the hot path, printed
 * as a few lines: `findArticles` on the sandbox's example base (what a client's first message
 * pays with `FAQ_FILE` set) and on a made-up base of 1,000 articles, and saving a message with
 * and without its search index (the trigger every message pays). Figures in
 * docs/knowledge.md. A few seconds; never fails on a timing.
 *
 * @module
 */
import { join } from "node:path";
import { parseFaq } from "../../src/rules/faq.ts";
import { openDatabase, transaction } from "../../src/store/db.ts";
import { findArticles, Store } from "../../src/store/mod.ts";

const QUESTIONS = [
  "Забыл пароль, как его сбросить?",
  "Где мой заказ? Уже неделю жду",
  "How long does shipping take?",
  "My parcel arrived damaged",
  "Как поменять адрес доставки?",
  "Can I talk to a manager",
];

function percentiles(times: number[]): string {
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(times.length * q))];
  return `p50 ${at(0.5).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms`;
}

const dir = await Deno.makeTempDir({ prefix: "helpdesk-bench-knowledge-" });
try {
  const db = openDatabase(join(dir, "bench.db"));
  const store = new Store(db);
  store.replaceArticles(
    parseFaq(Deno.readTextFileSync(new URL("../sandbox/faq.md", import.meta.url))),
  );
  for (let i = 0; i < 300; i++) for (const q of QUESTIONS) findArticles(store, q, 3);
  const find: number[] = [];
  for (let i = 0; i < 500; i++) {
    for (const q of QUESTIONS) {
      const start = performance.now();
      findArticles(store, q, 3);
      find.push(performance.now() - start);
    }
  }
  console.log(`findArticles (14 articles): ${percentiles(find)}`);

  // A base of 1,000: the example and 986 made-up articles whose words each recur in a tenth.
  const common = ("заказ доставка пароль оплата карта возврат аккаунт адрес курьер товар order " +
    "delivery password payment card refund account address courier item скидка промокод " +
    "подписка телефон почта email phone subscription discount coupon").split(" ");
  let big = Deno.readTextFileSync(new URL("../sandbox/faq.md", import.meta.url));
  for (let i = 0; i < 986; i++) {
    const w = (k: number) => common[(i * 7 + k * 13) % common.length];
    big += `\n## Вопрос ${i}: ${w(1)} ${w(2)} ${w(3)} ${i}x?\n` +
      `Ответ про ${w(4)} ${w(5)} и ${w(6)}, номер ${i}.\n`;
  }
  store.replaceArticles(parseFaq(big));
  for (let i = 0; i < 200; i++) for (const q of QUESTIONS) findArticles(store, q, 3);
  const findBig: number[] = [];
  for (let i = 0; i < 300; i++) {
    for (const q of QUESTIONS) {
      const start = performance.now();
      findArticles(store, q, 3);
      findBig.push(performance.now() - start);
    }
  }
  console.log(`findArticles (1,000 articles): ${percentiles(findBig)}`);

  // The running bot checkpoints the WAL off the event loop (src/store/checkpoint.ts).
  db.exec("PRAGMA wal_autocheckpoint = 0");
  store.insertUser({ userId: 1, username: null, fullName: "C", language: "ru" }, false, 0);
  const ticketId = store.createTicket(1, 0);
  const text = "Добрый день! Не могу сбросить пароль, ссылка не приходит уже второй час. " +
    "Hello, the reset link never arrives, could you check my account please?";
  const save = () => {
    const start = performance.now();
    transaction(db, () =>
      store.insertMessage({
        ticketId,
        clientId: 1,
        agentId: null,
        senderId: 1,
        senderRole: "client",
        kind: "text",
        text,
        entities: null,
        fileId: null,
        chatMessageId: 1,
        replyToId: null,
        signedInline: null,
        mediaGroupId: null,
        createdAt: 0,
      }));
    return performance.now() - start;
  };
  const run = (label: string) => {
    for (let i = 0; i < 300; i++) save();
    const times: number[] = [];
    for (let i = 0; i < 3000; i++) times.push(save());
    console.log(`save a message, one transaction, ${label}: ${percentiles(times)}`);
  };
  // Each way twice, alternating: the WAL's checkpoints fall on both.
  const trigger = db.prepare(
    "SELECT sql FROM sqlite_schema WHERE name = 'message_index_insert'",
  ).get()!.sql as string;
  for (let round = 0; round < 2; round++) {
    run("indexed");
    db.exec("DROP TRIGGER message_index_insert");
    run("not indexed");
    db.exec(trigger);
  }
  db.close();
} finally {
  await Deno.remove(dir, { recursive: true });
}
