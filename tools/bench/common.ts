/**
 * Shared pieces of the benchmarks: the real bot as a child process against the fake Bot API,
 * its CPU time and memory read from `/proc`, a high-resolution clock, percentiles, and the
 * rows of the result table.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import type { ApiCall, FakeTelegram, FakeUser } from "../../tests/support/telegram.ts";
import { SUPPORT_TOKEN } from "../../tests/support/harness.ts";
import { type BotProcess, spawnBot, startFlags } from "../../tests/support/program.ts";
import { texts } from "../../src/texts/mod.ts";

/** One line of the result table. */
export interface Row {
  /** The benchmark's name, as given to `deno task bench <name>`. */
  readonly bench: string;
  /** What was measured. */
  readonly figure: string;
  /** The value, formatted, with its unit. */
  readonly value: string;
  /** The target of issue 4, if it sets one. */
  readonly target?: string;
  /** Whether the target was met (only informative: a benchmark never fails on a timing). */
  readonly met?: boolean;
}

/** A benchmark: a name to filter by and a function returning its rows. */
export interface Benchmark {
  readonly name: string;
  readonly about: string;
  run(): Promise<Row[]>;
}

/** Milliseconds since the epoch with sub-millisecond resolution. */
export function clock(): number {
  return performance.timeOrigin + performance.now();
}

/** The `p`-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Formats milliseconds: two decimals below 10 ms, one below 1000, else whole. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (value < 10) return `${value.toFixed(2)} ms`;
  if (value < 1000) return `${value.toFixed(1)} ms`;
  return `${Math.round(value)} ms`;
}

/** Formats kibibytes as MiB. */
export function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

/** The 1-minute load average of the machine. */
export function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}

/** CPU time and memory of a process, from `/proc/<pid>/stat` and `/proc/<pid>/status`. */
export interface ProcStats {
  /** User + system CPU time, in ms. */
  readonly cpuMs: number;
  /** Resident set size now, in KiB. */
  readonly rssKb: number;
  /** Peak resident set size (high-water mark), in KiB. */
  readonly hwmKb: number;
}

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** Reads a process's CPU time and memory. */
export function procStats(pid: number): ProcStats {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // Fields after the command name (which may hold spaces), 1-based field 3 first.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime (14), stime (15)
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1]);
  return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, rssKb: kb("VmRSS"), hwmKb: kb("VmHWM") };
}

/**
 * CPU time of each thread of a process, in ms, summed by thread name (`/proc/<pid>/task/*`:
 * Deno's main thread is named after the program, tokio's and V8's have names of their own),
 * and beside each name its system (kernel) time alone, as `<name> (system)`.
 */
export function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of Deno.readDirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = Deno.readTextFileSync(`/proc/${pid}/task/${entry.name}/stat`);
    } catch {
      continue; // The thread ended meanwhile.
    }
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const user = (Number(fields[11]) * 1000) / TICKS_PER_SECOND;
    const system = (Number(fields[12]) * 1000) / TICKS_PER_SECOND;
    out.set(name, (out.get(name) ?? 0) + user + system);
    out.set(`${name} (system)`, (out.get(`${name} (system)`) ?? 0) + system);
  }
  return out;
}

/** Resets a process's peak RSS to its current RSS (Linux `clear_refs` 5); false if refused. */
export function resetPeak(pid: number): boolean {
  try {
    Deno.writeTextFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** Sleeps `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `predicate` every `everyMs` until it holds; throws after `timeoutMs`. */
export async function until(
  predicate: () => boolean,
  timeoutMs: number,
  what: string,
  everyMs = 5,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The real bot as a child process (`deno task start`'s flags), and where it keeps its data. */
export interface ChildBot {
  readonly process: BotProcess;
  readonly pid: number;
  /** When the process was spawned ({@link clock}). */
  readonly spawnedAt: number;
  /** Stops it with SIGTERM and waits for it to end. */
  stop(): Promise<void>;
}

/**
 * Starts `main.ts` as a child process against `tg` on the database file `dbPath`. `env`
 * adds to (or overrides) the defaults: no sending limits, 10 s polling, warnings only.
 * With `BENCH_CPU_PROF=<dir>` set, the child writes a V8 CPU profile there when it ends.
 * `program` runs another `main.ts` (another checkout's: the `floor` benchmark's "before").
 */
export async function startBot(
  tg: FakeTelegram,
  dbPath: string,
  env: Record<string, string> = {},
  program?: string,
): Promise<ChildBot> {
  return await startProgram(
    program,
    {
      BOT_TOKEN: tg.token,
      SUPPORT_TOKEN,
      DATABASE_PATH: dbPath,
      TELEGRAM_API_URL: tg.apiRoot,
      RATE_LIMIT_PER_CHAT: "10000",
      RATE_LIMIT_BURST: "10000",
      RATE_LIMIT_GLOBAL: "100000",
      // The workloads are floods by design: measure relaying, not folding.
      CLIENT_RELAY_PER_MINUTE: "10000",
      POLLING_TIMEOUT_SECONDS: "10",
      OUTBOX_BACKLOG_WARNING: "1000000000",
      LOG_LEVEL: "warn",
      ...env,
    },
  );
}

/**
 * Starts `program` (default `main.ts`) as a child process with `deno task start`'s permission
 * flags and only `env` in its environment (see {@link startBot}). With `BENCH_CPU_PROF=<dir>`
 * set, the child writes a V8 CPU profile there when it ends.
 */
export async function startProgram(
  program: string | undefined,
  env: Record<string, string>,
): Promise<ChildBot> {
  // Another checkout's main.ts runs with its own start flags (they may be what changed).
  const other = program !== undefined && existsSync(join(dirname(program), "deno.json"));
  const flags = await startFlags(other ? dirname(program) : undefined);
  const profileDir = Deno.env.get("BENCH_CPU_PROF");
  if (profileDir) flags.push("--cpu-prof", `--cpu-prof-dir=${profileDir}`);
  const spawnedAt = clock();
  // In the program's own folder, so that Deno finds that checkout's deno.json.
  const cwd = program === undefined ? Deno.cwd() : dirname(program);
  const process = await spawnBot(env, cwd, flags, undefined, program);
  const pid = process.child.pid;
  return {
    process,
    pid,
    spawnedAt,
    async stop() {
      try {
        process.child.kill("SIGTERM");
      } catch {
        // Already gone.
      }
      const status = await process.finished();
      if (!status.success && status.signal === null) {
        console.error(`bot exited with ${status.code}:\n${process.log().slice(-2000)}`);
      }
    },
  };
}

/** A fresh temporary folder and a database path in it. */
export async function tempDatabase(): Promise<{ dir: string; dbPath: string }> {
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-bench-" });
  return { dir, dbPath: join(dir, "helpdesk.db") };
}

/** Whether a call is a message to `chatId` (any id type) whose text contains `part`. */
export function isTextTo(call: ApiCall, chatId: number, part: string): boolean {
  return call.ok && Number(call.params.chat_id) === chatId &&
    String(call.params.text ?? call.params.caption ?? "").includes(part);
}

/** Waits for a call matching `match` among the calls from index `after` on. */
export async function waitForCall(
  tg: FakeTelegram,
  match: (call: ApiCall) => boolean,
  after: number,
  timeoutMs: number,
  what: string,
): Promise<ApiCall> {
  let found: ApiCall | undefined;
  let scanned = after;
  await until(
    () => {
      for (; scanned < tg.calls.length; scanned++) {
        if (match(tg.calls[scanned])) {
          found = tg.calls[scanned];
          return true;
        }
      }
      return false;
    },
    timeoutMs,
    what,
  );
  return found!;
}

/**
 * Registers `agents`, has each of `clients` say "hi", and returns which agent took whom
 * (client id → agent id) once every "hi" was relayed and nothing else is being sent.
 */
export async function pairUp(
  tg: FakeTelegram,
  agents: FakeUser[],
  clients: FakeUser[],
  timeoutMs = 60_000,
): Promise<Map<number, number>> {
  const registered = new Set<number>();
  const start = tg.calls.length;
  for (const agent of agents) tg.sendText(agent, `/register_support ${SUPPORT_TOKEN}`);
  // The confirmation's first sentence: the same in every version measured (a newer one may
  // add the agent's commands after it), so another checkout's bot is recognised too.
  const ok = texts("ru").registerOk.split(".")[0];
  await until(
    () => {
      for (const call of tg.calls.slice(start)) {
        if (call.ok && String(call.params.text ?? "").startsWith(ok)) {
          registered.add(Number(call.params.chat_id));
        }
      }
      return registered.size >= agents.length;
    },
    timeoutMs,
    "agents registered",
    50,
  );
  const byName = new Map(clients.map((c) => [c.first_name, c.id]));
  const agentOf = new Map<number, number>();
  const from = tg.calls.length;
  for (const client of clients) tg.sendText(client, "hi");
  let scanned = from;
  await until(
    () => {
      for (; scanned < tg.calls.length; scanned++) {
        const call = tg.calls[scanned];
        const name = /^👤 ([^:\n]+):\nhi$/.exec(String(call.params.text ?? ""))?.[1];
        const client = name === undefined ? undefined : byName.get(name);
        if (call.ok && client !== undefined) agentOf.set(client, Number(call.params.chat_id));
      }
      return agentOf.size >= clients.length;
    },
    timeoutMs,
    "every client's first message relayed",
    50,
  );
  await quiet(tg, 300, timeoutMs);
  return agentOf;
}

/** Waits until no call other than `getUpdates` has arrived for `quietMs`. */
export async function quiet(tg: FakeTelegram, quietMs: number, timeoutMs: number): Promise<void> {
  let seen = tg.calls.length;
  let since = Date.now();
  await until(
    () => {
      const n = tg.calls.length;
      if (tg.calls.slice(seen).some((c) => c.method !== "getUpdates")) since = Date.now();
      seen = n;
      return tg.pendingUpdates === 0 && Date.now() - since >= quietMs;
    },
    timeoutMs,
    "the bot to go quiet",
    20,
  );
}

/** Per-benchmark random ids, far apart, so runs in one fake do not mix. */
export function people(prefix: string, base: number, count: number): FakeUser[] {
  return Array.from({ length: count }, (_, i) => ({ id: base + i, first_name: `${prefix}${i}` }));
}
