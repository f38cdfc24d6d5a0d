/**
 * A burst under Telegram's limits: the fake API enforces about 1 message per second per chat
 * (burst 3) and 30 per second overall, answering 429 beyond; the bot runs with its default
 * limits (the same). 50 clients each write 20 messages to their agent at once; how long until
 * the last is delivered against the theoretical minimum (messages ÷ 30 per second), the 429s
 * provoked, and the messages lost, doubled or out of order.
 *
 * @module
 */
import { FakeTelegram } from "../../tests/support/telegram.ts";
import {
  type Benchmark,
  clock,
  ms,
  pairUp,
  people,
  type Row,
  startBot,
  tempDatabase,
  until,
} from "./common.ts";

const CLIENTS = 50;
const ROUNDS = 20;
const GLOBAL_PER_SECOND = 30;

/** The burst under Telegram's limits. */
export const burst: Benchmark = {
  name: "burst",
  about: `${CLIENTS} clients × ${ROUNDS} messages under 30/s overall and 1/s per chat`,
  async run(): Promise<Row[]> {
    const tg = await FakeTelegram.start();
    const { dir, dbPath } = await tempDatabase();
    tg.enforceRateLimits({ perChatPerSecond: 1, perChatBurst: 3, globalPerSecond: 30 });
    const bot = await startBot(tg, dbPath, {
      RATE_LIMIT_PER_CHAT: "1",
      RATE_LIMIT_BURST: "3",
      RATE_LIMIT_GLOBAL: String(GLOBAL_PER_SECOND),
    });
    try {
      const agents = people("A", 7_000_000, CLIENTS);
      const clients = people("C", 8_000_000, CLIENTS);
      const agentOf = await pairUp(tg, agents, clients, 120_000);
      // Let both sides' buckets fill again, as after any quiet second.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const got = new Map<number, string[]>();
      let copies = 0;
      let last = 0;
      tg.onRecord = (call) => {
        if (!call.ok || call.method !== "sendMessage") return;
        const key = /^👤 [^:\n]+:\n(b\d+-\d+)$/.exec(String(call.params.text ?? ""))?.[1];
        if (key === undefined) return;
        const chat = Number(call.params.chat_id);
        got.set(chat, [...(got.get(chat) ?? []), key]);
        copies++;
        last = clock();
      };
      const limitedBefore = tg.rateLimited;
      const total = CLIENTS * ROUNDS;
      const start = clock();
      for (let round = 0; round < ROUNDS; round++) {
        for (const client of clients) tg.sendText(client, `b${client.id}-${round}`);
      }
      const minimum = (total / GLOBAL_PER_SECOND) * 1000;
      await until(() => copies >= total, minimum * 3, "every message delivered", 20).catch(
        () => {},
      );
      const elapsed = last - start;
      let delivered = 0;
      let outOfOrder = 0;
      for (const client of clients) {
        const want = Array.from({ length: ROUNDS }, (_, r) => `b${client.id}-${r}`);
        const seen = got.get(agentOf.get(client.id)!) ?? [];
        const unique = [...new Set(seen)];
        delivered += want.filter((k) => unique.includes(k)).length;
        if (unique.join() !== want.filter((k) => unique.includes(k)).join()) outOfOrder++;
      }
      const provoked = tg.rateLimited - limitedBefore;
      const over = (elapsed / minimum - 1) * 100;
      const b = "burst";
      return [
        {
          bench: b,
          figure: `time to deliver all ${total} (minimum ${ms(minimum)})`,
          value: `${ms(elapsed)} (${over >= 0 ? "+" : ""}${over.toFixed(1)} %)`,
          target: "within 10 % of minimum",
          met: over <= 10,
        },
        {
          bench: b,
          figure: "429s provoked during the burst",
          value: String(provoked),
          target: "0 or near 0",
          met: provoked <= 3,
        },
        {
          bench: b,
          figure: "messages lost",
          value: String(total - delivered),
          target: "0",
          met: total === delivered,
        },
        {
          bench: b,
          figure: "messages doubled / chats out of order",
          value: `${copies - delivered} / ${outOfOrder}`,
        },
      ];
    } finally {
      await bot.stop();
      tg.onRecord = undefined;
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
};
