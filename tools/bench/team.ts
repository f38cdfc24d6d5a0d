/**
 * Team mode under Telegram's group limit (issue 13): 30 clients write at once; each needs a
 * topic in the staff group (made by the bot, which counts as a message), the card in it, and
 * the copy of what they wrote. The emulator enforces about 20 messages a minute in one group
 * (a bucket of 20), as Telegram does, and the bot paces the group to match
 * (`RATE_LIMIT_GROUP_PER_MINUTE`). Figures: messages lost (a client's message not in their
 * topic), 429s provoked, and the time to drain against the least the group's limit allows.
 *
 * The real limit makes this take minutes: by default the limit runs 10 times faster on both
 * sides (200 a minute), which keeps every ratio; `deno task bench team --real` runs it at 20.
 *
 * @module
 */
import { FakeTelegram, user } from "../../tests/support/telegram.ts";
import { type Benchmark, clock, ms, type Row, startBot, tempDatabase, until } from "./common.ts";

const CLIENTS = 30;
/** Telegram's group limit, and the emulator's bucket. */
const GROUP_PER_MINUTE = 20;
const GROUP_BURST = 20;

/** Calls that put a message into a chat, and how many. */
function posted(method: string, result: unknown): number {
  if (method === "copyMessages" || method === "sendMediaGroup") {
    return Array.isArray(result) ? result.length : 0;
  }
  return method === "createForumTopic" || method === "sendMessage" || method === "copyMessage" ||
      method === "sendDocument"
    ? 1
    : 0;
}

/** 30 clients at once into team mode. */
export const team: Benchmark = {
  name: "team",
  about: `${CLIENTS} clients at once into team mode, under the group limit`,
  async run(): Promise<Row[]> {
    const scale = Deno.args.includes("--real") ? 1 : 10;
    const perMinute = GROUP_PER_MINUTE * scale;
    const tg = await FakeTelegram.start();
    const { dir, dbPath } = await tempDatabase();
    const staff = tg.createGroup({ title: "Support", members: [user(8_800_001, "Member")] });
    tg.enforceRateLimits({
      perGroupPerMinute: perMinute,
      perGroupBurst: GROUP_BURST,
      // Private chats as Telegram: the clients' answers go there.
      perChatPerSecond: 1,
      perChatBurst: 3,
      globalPerSecond: 30,
    });
    const bot = await startBot(tg, dbPath, {
      STAFF_CHAT_ID: String(staff),
      RATE_LIMIT_PER_CHAT: "1",
      RATE_LIMIT_BURST: "3",
      RATE_LIMIT_GLOBAL: "30",
      RATE_LIMIT_GROUP_PER_MINUTE: String(perMinute),
      // The board is edited now and then; it must not be what waits.
      BOARD_INTERVAL_SECONDS: "30",
    });
    try {
      const clients = Array.from({ length: CLIENTS }, (_, i) => user(8_900_000 + i, `Team${i}`));
      const from = tg.calls.length;
      const start = clock();
      for (const c of clients) tg.sendText(c, `question of ${c.first_name}`);
      const arrived = (c: (typeof clients)[number]) =>
        tg.topics(staff).some((t) =>
          tg.messagesInThread(staff, t.threadId).some((m) =>
            m.text === `question of ${c.first_name}`
          )
        );
      await until(() => clients.every(arrived), 20 * 60_000, "every question in its topic", 50);
      const drained = clock() - start;
      const inGroup = tg.calls.slice(from).filter((c) =>
        c.ok && Number(c.params.chat_id) === staff
      );
      const messages = inGroup.reduce((n, c) => n + posted(c.method, c.result), 0);
      const lost = clients.filter((c) => !arrived(c)).length;
      const least = Math.max(0, (messages - GROUP_BURST) / perMinute) * 60_000;
      const b = "team";
      const pace = scale === 1 ? "" : ` (limit ×${scale}: ${perMinute}/min)`;
      return [
        {
          bench: b,
          figure: `clients' messages lost (${CLIENTS} sent)`,
          value: String(lost),
          target: "0",
          met: lost === 0,
        },
        {
          bench: b,
          figure: "429s provoked",
          value: String(tg.rateLimited),
          target: "0",
          met: tg.rateLimited === 0,
        },
        {
          bench: b,
          figure: `messages the bot posted in the group${pace}`,
          value: String(messages),
        },
        {
          bench: b,
          figure: `time until every question was in its topic (least: ${ms(least)})`,
          value: `${ms(drained)} (${(drained / Math.max(least, 1)).toFixed(2)}× the least)`,
        },
      ];
    } finally {
      await bot.stop();
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
};
