/**
 * The business relay's cost against a private one (issue 21 wants at most 2×): one bot, 50
 * dialogs of clients who write to the bot and 50 of clients who write to a company's account
 * (Telegram Business), no rate limits. Two phases of 2,000 messages at 200/s, half each way:
 * first only the bot's own chats, then only the business chats. Per phase, the bot's CPU time
 * per relayed message and the latency from `getUpdates` handing a message out to its relay
 * reaching the fake (a signed `sendMessage` to the agent; a `copyMessage` to a bot-chat
 * client, a `sendMessage` as the account to a business client). About 30 seconds.
 *
 * @module
 */
import { FakeTelegram, type FakeUser } from "../../tests/support/telegram.ts";
import {
  type Benchmark,
  clock,
  ms,
  pairUp,
  people,
  percentile,
  procStats,
  type Row,
  sleep,
  startBot,
  tempDatabase,
  until,
} from "./common.ts";

const PAIRS = 50;
const RATE = 200;
const COUNT = 2000;

/** When each key was handed out and when its relay arrived. */
class Timings {
  readonly out = new Map<string, number>();
  readonly arrived = new Map<string, number>();
  /** `chat/message_id` of an agent's message → its key (a copy names only that). */
  readonly labels = new Map<string, string>();

  constructor(tg: FakeTelegram) {
    tg.onRecord = (call) => {
      const at = clock();
      if (call.method === "getUpdates") {
        if (!call.ok || !Array.isArray(call.result)) return;
        for (const u of call.result as Record<string, { text?: string } | undefined>[]) {
          const key = (u.message ?? u.business_message)?.text;
          if (key?.startsWith("k")) this.out.set(key, at);
        }
        return;
      }
      if (!call.ok) return;
      const text = String(call.params.text ?? "");
      const key = call.method === "copyMessage"
        ? this.labels.get(`${call.params.from_chat_id}/${call.params.message_id}`)
        : /^👤 [^:\n]+:\n(k\d+)$/.exec(text)?.[1] ?? (/^k\d+$/.test(text) ? text : undefined);
      if (key !== undefined && !this.arrived.has(key)) this.arrived.set(key, at);
    };
  }

  latencies(keys: readonly string[]): number[] {
    return keys.flatMap((k) => {
      const from = this.out.get(k);
      const to = this.arrived.get(k);
      return from === undefined || to === undefined ? [] : [to - from];
    });
  }
}

export const business: Benchmark = {
  name: "business",
  about: "a business relay's cost against a private one: 2 × 2,000 messages at 200/s",
  async run(): Promise<Row[]> {
    const tg = await FakeTelegram.start();
    const { dir, dbPath } = await tempDatabase();
    const bot = await startBot(tg, dbPath);
    try {
      const owner = { id: 4_900_000, first_name: "Shop" };
      const agents = people("BA", 4_000_000, PAIRS * 2);
      const privateClients = people("BP", 4_100_000, PAIRS);
      const businessClients = people("BB", 4_200_000, PAIRS);
      // The bot-chat clients take the first half of the agents.
      const agentOfPrivate = await pairUp(tg, agents, privateClients);
      const connection = tg.connectBusiness(owner);
      const agentOfBusiness = new Map<number, number>();
      const from = tg.calls.length;
      for (const c of businessClients) tg.sendBusinessText(connection, c, "hi");
      const byName = new Map(businessClients.map((c) => [c.first_name, c.id]));
      await until(
        () => {
          for (const call of tg.calls.slice(from)) {
            const name = /^👤 ([^:\n]+):\nhi$/.exec(String(call.params.text ?? ""))?.[1];
            const client = name === undefined ? undefined : byName.get(name);
            if (call.ok && client !== undefined) {
              agentOfBusiness.set(client, Number(call.params.chat_id));
            }
          }
          return agentOfBusiness.size >= PAIRS;
        },
        60_000,
        "every business client's first message relayed",
        50,
      );
      await sleep(500);
      const agentById = new Map(agents.map((a) => [a.id, a]));
      const timings = new Timings(tg);
      let n = 0;

      /** One phase: `count` messages at `RATE`/s, half each way; CPU and latencies. */
      const phase = async (
        clients: FakeUser[],
        agentOf: Map<number, number>,
        write: (client: FakeUser, key: string) => void,
      ) => {
        const keys: string[] = [];
        const before = procStats(bot.pid).cpuMs;
        const start = clock();
        let sent = 0;
        while (sent < COUNT) {
          const due = Math.min(COUNT, Math.floor(((clock() - start) / 1000) * RATE));
          for (; sent < due; sent++) {
            const client = clients[sent % clients.length];
            const key = `k${n++}`;
            keys.push(key);
            if (Math.floor(sent / clients.length) % 2 === 0) write(client, key);
            else {
              const agent = agentById.get(agentOf.get(client.id)!)!;
              const pushed = tg.sendText(agent, key);
              timings.labels.set(`${agent.id}/${pushed.message_id}`, key);
            }
          }
          await sleep(2);
        }
        await until(() => keys.every((k) => timings.arrived.has(k)), 60_000, "relayed", 20);
        const cpu = procStats(bot.pid).cpuMs - before;
        return { perMessage: cpu / COUNT, latencies: timings.latencies(keys) };
      };

      const own = await phase(privateClients, agentOfPrivate, (c, key) => tg.sendText(c, key));
      await sleep(300);
      const biz = await phase(
        businessClients,
        agentOfBusiness,
        (c, key) => tg.sendBusinessText(connection, c, key),
      );
      const ratio = biz.perMessage / own.perMessage;
      const b = "business";
      return [
        { bench: b, figure: "bot CPU per message, the bot's own chats", value: ms(own.perMessage) },
        { bench: b, figure: "bot CPU per message, business chats", value: ms(biz.perMessage) },
        {
          bench: b,
          figure: "business / private CPU per message",
          value: `${ratio.toFixed(2)}×`,
          target: "≤ 2×",
          met: ratio <= 2,
        },
        {
          bench: b,
          figure: "latency p50 / p99, the bot's own chats",
          value: `${ms(percentile(own.latencies, 50))} / ${ms(percentile(own.latencies, 99))}`,
        },
        {
          bench: b,
          figure: "latency p50 / p99, business chats",
          value: `${ms(percentile(biz.latencies, 50))} / ${ms(percentile(biz.latencies, 99))}`,
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
