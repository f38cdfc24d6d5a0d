/**
 * Relay benchmarks: 200 clients and 200 agents in open dialogs, the fake Bot API answering at
 * once with no rate limits. `relay` writes at a fixed rate and measures each message's
 * latency from `getUpdates` handing it out to its copy reaching the fake API, and the bot's
 * CPU time and peak RSS; `throughput` writes as fast as the bot relays.
 *
 * @module
 */
import { FakeTelegram, type FakeUser } from "../../tests/support/telegram.ts";
import {
  type Benchmark,
  clock,
  mib,
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

const PAIRS = 200;

/** Relays in flight and their timings, fed by the fake's record hook. */
export class Tracker {
  /** Message key → when getUpdates handed it out. */
  readonly handedOut = new Map<string, number>();
  /** Message key → when its copy reached the fake API. */
  readonly arrived = new Map<string, number>();
  /** `chat/message_id` of an agent's message → its key (an agent's copy names only that). */
  readonly labels = new Map<string, string>();
  firstHandout = Infinity;
  lastArrival = 0;

  constructor(tg: FakeTelegram) {
    tg.onRecord = (call) => {
      const at = clock();
      if (call.method === "getUpdates") {
        if (!call.ok || !Array.isArray(call.result)) return;
        for (const update of call.result as { message?: { text?: string } }[]) {
          const key = update.message?.text;
          if (key?.startsWith("m")) {
            this.handedOut.set(key, at);
            this.firstHandout = Math.min(this.firstHandout, at);
          }
        }
        return;
      }
      if (!call.ok) return;
      let key: string | undefined;
      if (call.method === "sendMessage") {
        key = /^👤 [^:\n]+:\n(m\d+)$/.exec(String(call.params.text ?? ""))?.[1];
      } else if (call.method === "copyMessage") {
        key = this.labels.get(`${call.params.from_chat_id}/${call.params.message_id}`);
      }
      if (key !== undefined && !this.arrived.has(key)) {
        this.arrived.set(key, at);
        this.lastArrival = at;
      }
    };
  }

  /** Message `i` of the run: client `i` writes, or (every other round) their agent does. */
  send(tg: FakeTelegram, pairs: [FakeUser, FakeUser][], i: number): void {
    const [client, agent] = pairs[i % pairs.length];
    const key = `m${i}`;
    if (Math.floor(i / pairs.length) % 2 === 0) {
      tg.sendText(client, key);
    } else {
      const pushed = tg.sendText(agent, key);
      this.labels.set(`${agent.id}/${pushed.message_id}`, key);
    }
  }

  latencies(): number[] {
    const out: number[] = [];
    for (const [key, at] of this.arrived) {
      const from = this.handedOut.get(key);
      if (from !== undefined) out.push(at - from);
    }
    return out;
  }
}

/** A fake API, a bot on a fresh database, and 200 open dialogs. */
async function setUp() {
  const tg = await FakeTelegram.start();
  const { dir, dbPath } = await tempDatabase();
  const bot = await startBot(tg, dbPath);
  const agents = people("A", 5_000_000, PAIRS);
  const clients = people("C", 6_000_000, PAIRS);
  const agentOf = await pairUp(tg, agents, clients);
  const agentById = new Map(agents.map((a) => [a.id, a]));
  const pairs = clients.map((c): [FakeUser, FakeUser] => [c, agentById.get(agentOf.get(c.id)!)!]);
  return {
    tg,
    bot,
    pairs,
    async tearDown() {
      await bot.stop();
      tg.onRecord = undefined;
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/**
 * The floor under the bot's CPU per message: a separate Deno process making `count` bare
 * `fetch` calls to the fake API (one HTTP round trip, JSON answer read), back to back or paced
 * at `rate` per second; its CPU time per call. A relayed message needs two such calls (the
 * `getUpdates` that brings it, the send that carries it) before any work of its own.
 */
async function fetchFloor(tg: FakeTelegram, count: number, rate: number): Promise<number> {
  const url = `${tg.apiRoot}/bot${tg.token}/sendChatAction`;
  const body = JSON.stringify({ chat_id: 1, action: "typing" });
  const code = `const pace = ${rate > 0 ? 1000 / rate : 0};
    const call = () => fetch(${JSON.stringify(url)}, { method: "POST", body: ${
    JSON.stringify(body)
  }, headers: { "content-type": "application/json" } }).then((r) => r.json());
    for (let i = 0; i < 100; i++) await call();
    const cpu = () => { const f = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
      return (Number(f[11]) + Number(f[12])) * 10; };
    const start = cpu();
    const t0 = performance.now();
    for (let i = 0; i < ${count}; i++) {
      await call();
      if (pace > 0) await new Promise((r) => setTimeout(r, Math.max(0, t0 + (i + 1) * pace - performance.now())));
    }
    console.log((cpu() - start) / ${count});`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  return Number(new TextDecoder().decode(out.stdout).trim());
}

/** Relay overhead at a fixed rate: latency percentiles, CPU per message, peak RSS. */
export const relay: Benchmark = {
  name: "relay",
  about: "200 open dialogs, 200 messages/s for 30 s, no rate limits",
  async run(): Promise<Row[]> {
    const rate = Number(Deno.env.get("BENCH_RELAY_RATE") ?? 200);
    const seconds = Number(Deno.env.get("BENCH_RELAY_SECONDS") ?? 30);
    const total = Math.round(rate * seconds);
    const { tg, bot, pairs, tearDown } = await setUp();
    try {
      const tracker = new Tracker(tg);
      const before = procStats(bot.pid);
      const selfBefore = procStats(Deno.pid);
      const start = clock();
      let sent = 0;
      while (sent < total) {
        const due = Math.min(total, Math.floor(((clock() - start) / 1000) * rate));
        while (sent < due) tracker.send(tg, pairs, sent++);
        await sleep(2);
      }
      const pushedIn = clock() - start;
      await until(() => tracker.arrived.size >= total, 60_000, "every message relayed", 20);
      const after = procStats(bot.pid);
      const self = procStats(Deno.pid).cpuMs - selfBefore.cpuMs;
      const latencies = tracker.latencies();
      const cpu = after.cpuMs - before.cpuMs;
      const wall = tracker.lastArrival - start;
      const floorPaced = await fetchFloor(tg, Math.min(total, 3000), rate);
      const floorBatched = await fetchFloor(tg, 3000, 0);
      const p99 = percentile(latencies, 99);
      const perMessage = cpu / total;
      const b = "relay";
      return [
        {
          bench: b,
          figure: "messages relayed (written at rate)",
          value: `${total} in ${ms(pushedIn)} (${(total / pushedIn * 1000).toFixed(0)}/s)`,
        },
        { bench: b, figure: "latency p50", value: ms(percentile(latencies, 50)) },
        { bench: b, figure: "latency p95", value: ms(percentile(latencies, 95)) },
        { bench: b, figure: "latency p99", value: ms(p99), target: "< 10 ms", met: p99 < 10 },
        { bench: b, figure: "latency max", value: ms(Math.max(...latencies)) },
        {
          bench: b,
          figure: "bot CPU per relayed message",
          value: ms(perMessage),
          target: "< 0.5 ms",
          met: perMessage < 0.5,
        },
        {
          bench: b,
          figure: "bot CPU, share of one core",
          value: `${(cpu / wall * 100).toFixed(1)} %`,
        },
        {
          bench: b,
          figure: `floor: CPU of one bare Deno fetch to the fake API, at ${rate}/s / back to back`,
          value: `${ms(floorPaced)} / ${ms(floorBatched)}`,
        },
        { bench: b, figure: "bot peak RSS (VmHWM)", value: mib(after.hwmKb) },
        {
          bench: b,
          figure: "fake API + driver CPU (same machine), share of one core",
          value: `${(self / (clock() - start) * 100).toFixed(0)} %`,
        },
      ];
    } finally {
      await tearDown();
    }
  },
};

/** The throughput ceiling: as many relays per second as the bot manages. */
export const throughput: Benchmark = {
  name: "throughput",
  about: "200 open dialogs, messages as fast as the bot relays them",
  async run(): Promise<Row[]> {
    const total = Number(Deno.env.get("BENCH_THROUGHPUT_MESSAGES") ?? 20_000);
    const window = Number(Deno.env.get("BENCH_THROUGHPUT_WINDOW") ?? 1_000);
    const { tg, bot, pairs, tearDown } = await setUp();
    try {
      const tracker = new Tracker(tg);
      const before = procStats(bot.pid);
      const selfBefore = procStats(Deno.pid);
      const start = clock();
      let sent = 0;
      // Closed loop: keep `window` messages written but not yet relayed.
      while (tracker.arrived.size < total) {
        while (sent < total && sent - tracker.arrived.size < window) {
          tracker.send(tg, pairs, sent++);
        }
        await sleep(1);
      }
      const after = procStats(bot.pid);
      const self = procStats(Deno.pid).cpuMs - selfBefore.cpuMs;
      const seconds = (tracker.lastArrival - tracker.firstHandout) / 1000;
      const rate = total / seconds;
      const cpu = after.cpuMs - before.cpuMs;
      const b = "throughput";
      return [
        {
          bench: b,
          figure: `relayed messages per second (${total}, ≤${window} in flight)`,
          value: `${rate.toFixed(0)}/s`,
          target: "≥ 2000/s",
          met: rate >= 2000,
        },
        { bench: b, figure: "wall time, first hand-out to last copy", value: ms(seconds * 1000) },
        { bench: b, figure: "bot CPU per relayed message", value: ms(cpu / total) },
        {
          bench: b,
          figure: "bot CPU, share of one core",
          value: `${(cpu / (clock() - start) * 100).toFixed(0)} %`,
        },
        { bench: b, figure: "bot peak RSS (VmHWM)", value: mib(after.hwmKb) },
        {
          bench: b,
          figure: "fake API + driver CPU (same machine), share of one core",
          value: `${(self / (clock() - start) * 100).toFixed(0)} %`,
        },
      ];
    } finally {
      await tearDown();
    }
  },
};
