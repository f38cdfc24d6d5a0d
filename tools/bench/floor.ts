/**
 * `deno task bench floor`: the cost of durability, measured. The real bot and the floor under
 * it (`floor_bot.ts`: a bare grammY relay sending straight from its handler, and the same with
 * one SQLite insert per message) run one after another on the same fake Bot API and the same
 * workload: 50 clients in open dialogs with 50 agents, half the messages each way, no rate
 * limits. Each subject is a child process of its own, so its CPU time (`/proc/<pid>/stat`)
 * and memory are its own, apart from the fake's and the driver's.
 *
 * Per subject and run: its idle RSS 3 s after its first `getUpdates`, a warm-up (400
 * messages at the paced rate, not measured), the idle RSS 3 s later, 2,000 messages paced at
 * 200/s (latency p50/p99 from the fake handing an update out to the copy reaching it, the
 * subject's CPU seconds and its peak RSS over the paced phase), then a burst of 2,000 written
 * at once (relayed per second, first hand-out to last copy; the peak RSS since the start).
 * The subjects take turns within each run, in a rotated order, so that a noisy moment of the
 * machine is spread over all of them.
 *
 * `BENCH_STAGES=1` has the help-desk bot note each send's stages (`src/base/stages.ts`) and
 * prints them for the paced phase. `BENCH_FLOOR_THREADS=1` prints the paced phase's CPU by
 * thread. `BENCH_FLOOR_MEMORY=1` prints where the RSS is at each step: anonymous memory (the
 * V8 heap, malloc) and file pages (the Deno binary's code, ICU data). With `BENCH_BASE_ROOT`
 * naming another checkout, its `main.ts` runs too as "bot (base)": a before/after in one
 * sitting.
 *
 * @module
 */
import { join } from "node:path";
import { FakeTelegram, type FakeUser } from "../../tests/support/telegram.ts";
import {
  type Benchmark,
  type ChildBot,
  clock,
  loadAverage,
  mib,
  ms,
  pairUp,
  people,
  percentile,
  procStats,
  resetPeak,
  type Row,
  sleep,
  startBot,
  startProgram,
  tempDatabase,
  threadCpu,
  until,
} from "./common.ts";
import { Tracker } from "./relay.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const FLOOR_BOT = join(ROOT, "tools", "bench", "floor_bot.ts");

/** Where a help-desk bot writes its stage timestamps (`src/base/stages.ts`), in its folder. */
const STAGES_FILE = "stages.jsonl";

const numberFrom = (name: string, fallback: number) => Number(Deno.env.get(name) ?? fallback);

/** One program measured: how to start it on a fake and a folder, with its dialogs open. */
interface Subject {
  readonly name: string;
  start(tg: FakeTelegram, dir: string, pairs: number): Promise<Started>;
}

interface Started {
  readonly bot: ChildBot;
  /** Its RSS 3 s after its first `getUpdates`, before any message (KiB). */
  readonly startRssKb: number;
  /** Client and agent of each open dialog. */
  readonly pairs: [FakeUser, FakeUser][];
}

/** The help-desk bot (`main.ts` of this checkout, or of `root`), dialogs opened through it. */
function helpDesk(name: string, root?: string): Subject {
  return {
    name,
    async start(tg, dir, count) {
      const bot = await startBot(
        tg,
        join(dir, "helpdesk.db"),
        Deno.env.get("BENCH_STAGES") ? { HELPDESK_STAGES_FILE: join(dir, STAGES_FILE) } : {},
        root === undefined ? undefined : join(root, "main.ts"),
      );
      const startRssKb = await startRss(tg, bot, name);
      const agents = people("A", 5_000_000, count);
      const clients = people("C", 6_000_000, count);
      const agentOf = await pairUp(tg, agents, clients);
      const byId = new Map(agents.map((a) => [a.id, a]));
      return { bot, startRssKb, pairs: clients.map((c) => [c, byId.get(agentOf.get(c.id)!)!]) };
    },
  };
}

/** The floor bot, without or with its one insert per message. */
function floor(name: string, sqlite: boolean): Subject {
  return {
    name,
    async start(tg, dir, count) {
      const agents = people("A", 5_000_000, count);
      const clients = people("C", 6_000_000, count);
      const bot = await startProgram(FLOOR_BOT, {
        BOT_TOKEN: tg.token,
        TELEGRAM_API_URL: tg.apiRoot,
        FLOOR_CLIENT_BASE: String(clients[0].id),
        FLOOR_AGENT_BASE: String(agents[0].id),
        FLOOR_PAIRS: String(count),
        ...(sqlite ? { FLOOR_DATABASE: join(dir, "floor.db") } : {}),
      });
      const startRssKb = await startRss(tg, bot, name);
      return { bot, startRssKb, pairs: clients.map((c, i) => [c, agents[i]]) };
    },
  };
}

/** Waits for the program's first `getUpdates`, then 3 s, and returns its RSS (KiB). */
async function startRss(tg: FakeTelegram, bot: ChildBot, name: string): Promise<number> {
  await until(() => tg.calls.some((c) => c.method === "getUpdates"), 30_000, `${name} polling`, 20);
  await sleep(3000);
  return procStats(bot.pid).rssKb;
}

/** What one run of one subject measured. */
interface Measured {
  readonly subject: string;
  readonly load: string;
  readonly burstPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuSeconds: number;
  readonly cpuPerMessage: number;
  readonly startRssKb: number;
  readonly idleRssKb: number;
  /** The peak RSS over the paced phase alone (KiB). */
  readonly pacedPeakKb: number;
  /** The peak RSS since the start, the burst included (KiB). */
  readonly peakRssKb: number;
}

/** Writes `count` messages from message number `first` on at `rate` per second. */
async function paced(
  tg: FakeTelegram,
  pairs: [FakeUser, FakeUser][],
  first: number,
  count: number,
  rate: number,
): Promise<Tracker> {
  const tracker = new Tracker(tg);
  const start = clock();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((clock() - start) / 1000) * rate));
    while (sent < due) tracker.send(tg, pairs, first + sent++);
    await sleep(2);
  }
  await until(() => tracker.arrived.size >= count, 60_000, "every paced message relayed", 5);
  return tracker;
}

async function measure(
  subject: Subject,
  pairCount: number,
  messages: number,
  rate: number,
): Promise<Measured> {
  const tg = await FakeTelegram.start();
  const { dir } = await tempDatabase();
  let bot: ChildBot | undefined;
  let pacedFrom = 0;
  let pacedTo = 0;
  try {
    const started = await subject.start(tg, dir, pairCount);
    bot = started.bot;
    const pairs = started.pairs;
    // Warm-up (JIT, connections, the database's first pages): not measured.
    await paced(tg, pairs, 0, 400, rate);
    await sleep(3000);
    const idleRssKb = procStats(bot.pid).rssKb;
    const load = loadAverage().split(" ")[0];
    pacedFrom = clock();
    const before = procStats(bot.pid);
    const threadsBefore = threadCpu(bot.pid);
    const callsBefore = tg.calls.length;
    memory(bot.pid, subject.name, "after the warm-up");
    const peakSinceStartKb = procStats(bot.pid).hwmKb;
    const reset = resetPeak(bot.pid);
    const pacedRun = await paced(tg, pairs, 1_000_000, messages, rate);
    const after = procStats(bot.pid);
    memory(bot.pid, subject.name, "after the paced phase");
    // Without the reset (refused), the peak since the start: an upper bound, said as such.
    const pacedPeakKb = reset ? after.hwmKb : Math.max(after.hwmKb, peakSinceStartKb);
    pacedTo = clock();
    if (Deno.env.get("BENCH_FLOOR_THREADS")) {
      const threads = [...threadCpu(bot.pid)].map(([name, cpu]) =>
        `${name} ${((cpu - (threadsBefore.get(name) ?? 0)) / messages).toFixed(3)}`
      );
      console.log(`${subject.name}: CPU ms per paced message by thread: ${threads.join(", ")}`);
      const methods = new Map<string, number>();
      for (const call of tg.calls.slice(callsBefore)) {
        methods.set(call.method, (methods.get(call.method) ?? 0) + 1);
      }
      console.log(`${subject.name}: calls in the paced phase: ${[...methods].join(", ")}`);
    }
    const latencies = pacedRun.latencies();
    // The burst: everything written at once.
    const burst = new Tracker(tg);
    for (let i = 0; i < messages; i++) burst.send(tg, pairs, 2_000_000 + i);
    await until(() => burst.arrived.size >= messages, 120_000, "the burst relayed", 5);
    memory(bot.pid, subject.name, "after the burst");
    const burstSeconds = (burst.lastArrival - burst.firstHandout) / 1000;
    const cpuMs = after.cpuMs - before.cpuMs;
    return {
      subject: subject.name,
      load,
      burstPerSecond: messages / burstSeconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      cpuSeconds: cpuMs / 1000,
      cpuPerMessage: cpuMs / messages,
      startRssKb: started.startRssKb,
      idleRssKb,
      pacedPeakKb,
      peakRssKb: Math.max(procStats(bot.pid).hwmKb, peakSinceStartKb),
    };
  } finally {
    await bot?.stop();
    tg.onRecord = undefined;
    await tg.close();
    if (pacedTo > 0) printStages(subject.name, join(dir, STAGES_FILE), pacedFrom, pacedTo);
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Prints where the paced phase's sends spent their time inside the bot (`src/base/stages.ts`),
 * p50 and p99 of each step, if the bot wrote its stages.
 */
function printStages(subject: string, file: string, from: number, to: number): void {
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch {
    return;
  }
  const records = text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l))
    .filter((r) => r.received >= from && r.answered <= to && r.received > 0);
  const steps: [string, (r: Record<string, number>) => number][] = [
    ["received → committed", (r) => r.committed - r.received],
    ["committed → sender woke", (r) => r.woke - r.committed],
    ["woke → request written", (r) => r.written - r.woke],
    ["written → answer read", (r) => r.answered - r.written],
    ["received → answer read", (r) => r.answered - r.received],
  ];
  const cells = steps.map(([name, f]) => {
    const values = records.map(f);
    return `${name} ${ms(percentile(values, 50))} / ${ms(percentile(values, 99))}`;
  });
  console.log(
    `${subject}: stages of ${records.length} paced sends, p50 / p99: ${cells.join("; ")}`,
  );
}

/** The runs as a Markdown table, one line per subject and run. */
export function runsTable(runs: readonly Measured[]): string {
  const head = [
    "subject",
    "load",
    "burst msg/s",
    "paced p50",
    "paced p99",
    "CPU s (paced)",
    "CPU/msg",
    "RSS idle at start",
    "after warm-up",
    "peak at 200/s",
    "peak in burst",
  ];
  const rows = runs.map((r) => [
    r.subject,
    r.load,
    r.burstPerSecond.toFixed(0),
    ms(r.p50),
    ms(r.p99),
    r.cpuSeconds.toFixed(2),
    ms(r.cpuPerMessage),
    mib(r.startRssKb),
    mib(r.idleRssKb),
    mib(r.pacedPeakKb),
    mib(r.peakRssKb),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)]
    .join("\n");
}

/** The real bot beside the floor; see the module's comment. */
export const floorBench: Benchmark = {
  name: "floor",
  about: "the bot beside a bare grammY relay (and one with a SQLite insert): 50 dialogs",
  async run(): Promise<Row[]> {
    const runs = numberFrom("BENCH_FLOOR_RUNS", 3);
    const pairCount = numberFrom("BENCH_FLOOR_PAIRS", 50);
    const messages = numberFrom("BENCH_FLOOR_MESSAGES", 2000);
    const rate = numberFrom("BENCH_FLOOR_RATE", 200);
    const base = Deno.env.get("BENCH_BASE_ROOT");
    const only = Deno.env.get("BENCH_FLOOR_ONLY")?.split(",");
    const subjects = [
      helpDesk("bot"),
      ...(base ? [helpDesk("bot (base)", base)] : []),
      floor("floor", false),
      floor("floor + SQLite", true),
    ].filter((s) => only === undefined || only.includes(s.name));
    const measured: Measured[] = [];
    for (let run = 0; run < runs; run++) {
      for (let k = 0; k < subjects.length; k++) {
        const subject = subjects[(k + run) % subjects.length];
        const got = await measure(subject, pairCount, messages, rate);
        console.log(runsTable([got]).split("\n").at(-1));
        measured.push(got);
      }
    }
    const sorted = subjects.flatMap((s) => measured.filter((m) => m.subject === s.name));
    console.log(`\n${runsTable(sorted)}\n`);
    const joined = (name: string, pick: (m: Measured) => string) =>
      measured.filter((m) => m.subject === name).map(pick).join(" / ");
    const b = "floor";
    return subjects.flatMap((s): Row[] => [
      {
        bench: b,
        figure: `${s.name}: burst of ${messages}, relayed per second`,
        value: joined(s.name, (m) => m.burstPerSecond.toFixed(0)),
      },
      {
        bench: b,
        figure: `${s.name}: ${rate}/s paced, p50 / p99`,
        value: joined(s.name, (m) => `${ms(m.p50)} ${ms(m.p99)}`),
      },
      {
        bench: b,
        figure: `${s.name}: CPU s for the paced ${messages} (per message)`,
        value: joined(s.name, (m) => `${m.cpuSeconds.toFixed(2)} (${ms(m.cpuPerMessage)})`),
      },
      {
        bench: b,
        figure: `${s.name}: idle RSS at start / after the warm-up`,
        value: joined(s.name, (m) => `${mib(m.startRssKb)} ${mib(m.idleRssKb)}`),
      },
      {
        bench: b,
        figure: `${s.name}: peak RSS at ${rate}/s / in the burst`,
        value: joined(s.name, (m) => `${mib(m.pacedPeakKb)} ${mib(m.peakRssKb)}`),
      },
    ]);
  },
};

/** With `BENCH_FLOOR_MEMORY=1`: where a subject's RSS is (`/proc/<pid>/status`), in MiB. */
function memory(pid: number, subject: string, when: string): void {
  if (!Deno.env.get("BENCH_FLOOR_MEMORY")) return;
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1]);
  console.log(
    `${subject} ${when}: RSS ${mib(kb("VmRSS"))} (anonymous ${mib(kb("RssAnon"))}, ` +
      `files ${mib(kb("RssFile"))}), peak ${mib(kb("VmHWM"))}`,
  );
}
