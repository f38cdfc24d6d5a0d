/**
 * Scale of the data: a generated database of 100,000 clients, 10,000 agents (of two languages
 * and two departments) and 1,000,000 messages. Matchmaking through the store function the desk
 * uses (with its query plan), for the seed's order alone and for a ticket with a department, a
 * language and a returning client (routing, and its worst case),
 * `/stats` and `/history` both as bare functions and through the real bot (a command update
 * to the fake API, time until the reply or document arrives), the bot's memory while it
 * streams a 100,000-message history, and `/start` of a new user.
 *
 * @module
 */
import type { Api } from "grammy";
import { parseConfig } from "../../src/config/mod.ts";
import { openDatabase, transaction } from "../../src/store/db.ts";
import { DELIVERY_TTL_MS } from "../../src/outbox/prune.ts";
import { Sender } from "../../src/outbox/sender.ts";
import { CommitBoundary } from "../../src/boundary.ts";
import { COMMANDS } from "../../src/desk/commands.ts";
import { Desk } from "../../src/desk/mod.ts";
import { silentLogger } from "../../src/base/log.ts";
import { historyFile } from "../../src/reports/history.ts";
import { type Needs, pickAgent } from "../../src/rules/matchmaking.ts";
import { agentStats } from "../../src/reports/stats.ts";
import { PICK_AGENT_SQL, Store } from "../../src/store/mod.ts";
import { texts } from "../../src/texts/mod.ts";
import { type ApiCall, FakeTelegram, type FakeUser } from "../../tests/support/telegram.ts";
import {
  type Benchmark,
  clock,
  isTextTo,
  mib,
  ms,
  percentile,
  procStats,
  resetPeak,
  type Row,
  startBot,
  tempDatabase,
  until,
} from "./common.ts";
import { AGENT_BASE, generate, HEAVY_AGENT, HEAVY_CLIENT, SPEC } from "./generate.ts";

const WINDOW_MS = 5 * 60_000;

/** Times `fn` `runs` times (after `warm` untimed runs); returns the durations in ms. */
function times(runs: number, fn: () => void, warm = 10): number[] {
  for (let i = 0; i < warm; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = clock();
    fn();
    out.push(clock() - start);
  }
  return out;
}

/** Median and p99 of durations, for the table. */
function spread(values: number[]): string {
  return `median ${ms(percentile(values, 50))}, p99 ${ms(percentile(values, 99))}`;
}

/** The figures measured in the bench process, on the database file directly. */
async function bare(dbPath: string, now: number): Promise<Row[]> {
  const b = "scale";
  const db = openDatabase(dbPath);
  const store = new Store(db);
  try {
    const count = (sql: string) => Number(db.prepare(sql).get()!.n);
    const free = count(`SELECT count(*) AS n FROM users
      WHERE is_agent = 1 AND is_available = 1 AND current_ticket_id IS NULL`);
    const online = count(`SELECT count(*) AS n FROM users WHERE is_agent = 1
      AND is_available = 1 AND current_ticket_id IS NULL AND last_online >= ${now - WINDOW_MS}`);
    const plans = [
      db.prepare(`EXPLAIN QUERY PLAN ${PICK_AGENT_SQL}`).all({
        now,
        window: WINDOW_MS,
        except: 0,
        online: 1,
        rank: 0,
        speaks: 1,
        department: "billing",
        departmentItem: ",billing,",
        language: "en",
        languageItem: ",en,",
      }).map((r) => r.detail).join("; "),
    ];
    const pick = times(2000, () => store.pickFreeAgent(now, WINDOW_MS));
    // An hour later nobody is online: the first step walks every free agent in vain.
    const worst = times(200, () => store.pickFreeAgent(now + 3600_000, WINDOW_MS));
    const same = store.pickFreeAgent(now, WINDOW_MS)?.userId ===
      pickAgent(store.freeAgents(), now, WINDOW_MS)?.userId;
    // Routing: an English-speaking client of billing, back after a ticket with an agent who is
    // busy now (the agents below SPEC.inDialog are in a dialog).
    const routed: Needs = {
      language: "en",
      department: "billing",
      lastAgentId: AGENT_BASE + 1,
      onlySpeakers: false,
    };
    const routing = times(2000, () => store.pickFreeAgent(now, WINDOW_MS, 0, routed));
    const routedSame = store.pickFreeAgent(now, WINDOW_MS, 0, routed)?.userId ===
      pickAgent(store.freeAgents(), now, WINDOW_MS, routed)?.userId;
    // Its worst case: a department nobody is in and a language nobody speaks, an hour later
    // (nobody online): every step (2 ranks × 2 languages × online, offline) walks in vain
    // until the last one, which finds the first agent who serves all.
    const hopeless: Needs = {
      language: "de",
      department: "legal",
      lastAgentId: null,
      onlySpeakers: false,
    };
    const routingWorst = times(
      100,
      () => store.pickFreeAgent(now + 3600_000, WINDOW_MS, 0, hopeless),
      3,
    );
    const worstSame = store.pickFreeAgent(now + 3600_000, WINDOW_MS, 0, hopeless)?.userId ===
      pickAgent(store.freeAgents(), now + 3600_000, WINDOW_MS, hopeless)?.userId;
    const loadAll = times(20, () => pickAgent(store.freeAgents(), now, WINDOW_MS), 2);
    const heavy = store.getUser(HEAVY_AGENT)!;
    const typical = store.getUser(AGENT_BASE + SPEC.agents - 1)!;
    const statsHeavy = times(50, () => agentStats(store, heavy, now, WINDOW_MS, "UTC", "ru"), 3);
    const statsTypical = times(200, () => agentStats(store, typical, now, WINDOW_MS, "UTC", "ru"));
    const historyStart = clock();
    let bytes = 0;
    for await (
      const chunk of historyFile(
        store,
        { clientId: HEAVY_CLIENT, upTo: store.lastMessageId(), format: "txt" },
        "ru",
        "UTC",
      )
    ) {
      bytes += chunk.length;
    }
    const history = clock() - historyStart;
    const p99 = percentile(pick, 99);
    return [
      {
        bench: b,
        figure: `matchmaking, Store.pickFreeAgent (${free} free agents, ${online} online)`,
        value: spread(pick),
        target: "< 1 ms",
        met: p99 < 1,
      },
      { bench: b, figure: "matchmaking, worst case (no free agent online)", value: spread(worst) },
      {
        bench: b,
        figure: "routing, Store.pickFreeAgent (department, language, returning client); same pick",
        value: `${spread(routing)}; ${routedSame ? "same agent" : "DIFFERENT agent"}`,
        target: "< 1 ms",
        met: percentile(routing, 99) < 1,
      },
      {
        bench: b,
        figure: "routing, worst case (nobody of the department or language, none online)",
        value: `${spread(routingWorst)}; ${worstSame ? "same agent" : "DIFFERENT agent"}`,
      },
      {
        bench: b,
        figure: "matchmaking before (load all free agents + pickAgent); same pick",
        value: `median ${ms(percentile(loadAll, 50))}; ${same ? "same agent" : "DIFFERENT agent"}`,
      },
      { bench: b, figure: "matchmaking query plan", value: plans.join(" | ") },
      {
        bench: b,
        figure: "agentStats (bare) of the agent with the most tickets and messages",
        value: spread(statsHeavy),
      },
      { bench: b, figure: "agentStats (bare) of a typical agent", value: spread(statsTypical) },
      {
        bench: b,
        figure: `historyFile (bare), ${SPEC.heavyMessages} messages`,
        value: `${ms(history)}, ${mib(bytes / 1024)}`,
      },
    ];
  } finally {
    db.close();
  }
}

/** The figures measured through the real bot, a child process on the database file. */
async function throughBot(dbPath: string): Promise<Row[]> {
  const b = "scale";
  const tg = await FakeTelegram.start();
  const handedOut = new Map<number, number>();
  const arrivals: { call: ApiCall; at: number }[] = [];
  tg.onRecord = (call) => {
    const at = clock();
    if (call.method !== "getUpdates") return void arrivals.push({ call, at });
    for (const u of (call.ok ? call.result : []) as { update_id: number }[]) {
      handedOut.set(u.update_id, at);
    }
  };
  /** Sends `text` from `from`; ms from its hand-out to the first call matching `match`. */
  const timed = async (from: FakeUser, text: string, match: (c: ApiCall) => boolean) => {
    const mark = arrivals.length;
    const { update_id } = tg.sendText(from, text);
    let found: { call: ApiCall; at: number } | undefined;
    await until(
      () => {
        found = arrivals.slice(mark).find((a) => match(a.call));
        return found !== undefined;
      },
      120_000,
      `an answer to ${text}`,
    );
    return { ms: found!.at - handedOut.get(update_id)!, call: found!.call };
  };
  const bot = await startBot(tg, dbPath);
  try {
    const ru = texts("ru");
    const newUser = (i: number) => ({ id: 30_000_000 + i, first_name: `New${i}` });
    await timed(newUser(999), "/start", (c) => isTextTo(c, 30_000_999, ru.askName));
    const starts: number[] = [];
    for (let i = 0; i < 20; i++) {
      const u = newUser(i);
      starts.push((await timed(u, "/start", (c) => isTextTo(c, u.id, ru.askName))).ms);
    }
    const firsts: number[] = [];
    for (let i = 0; i < 20; i++) {
      const u = { id: 31_000_000 + i, first_name: `First${i}` };
      const got = await timed(u, "hello", (c) => String(c.params.text) === `👤 First${i}:\nhello`);
      firsts.push(got.ms);
    }
    const agent = { id: HEAVY_AGENT, first_name: "Agent 0" };
    const stats: number[] = [];
    for (let i = 0; i < 10; i++) {
      const got = await timed(agent, "/stats", (c) => isTextTo(c, HEAVY_AGENT, ""));
      stats.push(got.ms);
    }
    const rssBefore = procStats(bot.pid).rssKb;
    const reset = resetPeak(bot.pid);
    let sampled = rssBefore;
    const sampler = setInterval(() => {
      sampled = Math.max(sampled, procStats(bot.pid).rssKb);
    }, 5);
    const cpuBefore = procStats(bot.pid).cpuMs;
    const history = await timed(
      agent,
      "/history",
      (c) => c.method === "sendDocument" && Number(c.params.chat_id) === HEAVY_AGENT,
    );
    clearInterval(sampler);
    const after = procStats(bot.pid);
    const peak = Math.max(reset ? after.hwmKb : 0, sampled);
    const file = history.call.files.document;
    const lines = file ? file.text().split("\n").length : 0;
    const growth = peak - rssBefore;
    const statsMedian = percentile(stats, 50);
    return [
      {
        bench: b,
        figure: "/start of a new user, through the bot (hand-out to reply)",
        value: spread(starts),
      },
      {
        bench: b,
        figure: "first message of a new client, through the bot (matchmaking + relay)",
        value: spread(firsts),
      },
      {
        bench: b,
        figure: "/stats of the busiest agent, through the bot (hand-out to reply)",
        value: spread(stats),
        target: "< 20 ms",
        met: statsMedian < 20,
      },
      {
        bench: b,
        figure:
          `/history, ${SPEC.heavyMessages} messages, through the bot (until the file arrives)`,
        value: `${ms(history.ms)}; ${
          file ? mib(file.bytes.length / 1024) : "no file"
        }, ${lines} lines`,
        target: "< 1 s",
        met: history.ms < 1000,
      },
      {
        bench: b,
        figure: "/history: bot peak RSS growth (peak − RSS before)",
        value: `${mib(growth)} (${mib(rssBefore)} → ${mib(peak)}${reset ? "" : ", sampled"})`,
        target: "< 64 MiB",
        met: growth < 64 * 1024,
      },
      { bench: b, figure: "/history: bot CPU", value: ms(after.cpuMs - cpuBefore) },
    ];
  } finally {
    await bot.stop();
    tg.onRecord = undefined;
    await tg.close();
  }
}

/** Forgetting finished deliveries older than a week (the hourly prune), on the big file. */
async function prune(dbPath: string, now: number): Promise<Row[]> {
  const db = openDatabase(dbPath);
  try {
    const config = parseConfig({ BOT_TOKEN: "1:x", SUPPORT_TOKEN: "a-long-enough-token" });
    const store = new Store(db);
    const boundary = new CommitBoundary(store);
    const desk = new Desk(store, boundary, config, COMMANDS);
    const jobs = { run: () => Promise.reject(new Error("no jobs here")) };
    const parts = { api: {} as Api, store, boundary, outcomes: desk, jobs };
    const sender = new Sender(parts, config, silentLogger);
    const count = () => Number(db.prepare("SELECT count(*) AS n FROM deliveries").get()!.n);
    const before = count();
    // One batch alone: how long a batch holds the event loop.
    const batch = times(1, () => {
      transaction(db, () => desk.store.pruneDeliveries(0, now - DELIVERY_TTL_MS, 500));
    }, 0)[0];
    const start = clock();
    await sender.prune(DELIVERY_TTL_MS, now);
    const total = clock() - start;
    const after = count();
    return [{
      bench: "scale",
      figure: "prune: finished deliveries older than 7 days, batches of 500 (20 ms apart)",
      value: `${before - after} of ${before} deleted in ${ms(total)}; one batch ${ms(batch)}`,
    }];
  } finally {
    db.close();
  }
}

/** The data-scale benchmark. */
export const scale: Benchmark = {
  name: "scale",
  about: `${SPEC.clients} clients, ${SPEC.agents} agents, ${SPEC.messages} messages`,
  async run(): Promise<Row[]> {
    const { dir, dbPath } = await tempDatabase();
    try {
      const now = Date.now();
      const start = clock();
      generate(dbPath, now);
      const generated = clock() - start;
      const size = (await Deno.stat(dbPath)).size;
      const db = openDatabase(dbPath);
      const deliveries = Number(
        db.prepare(`SELECT sum(length(params)) AS n FROM deliveries`).get()!.n,
      );
      const messages = Number(db.prepare(`SELECT sum(length(text)) AS n FROM messages`).get()!.n);
      db.close();
      const rows: Row[] = [
        {
          bench: "scale",
          figure: "database generated (1M messages, 1M sent deliveries)",
          value: `${mib(size / 1024)} in ${ms(generated)}`,
        },
        {
          bench: "scale",
          figure: "bytes of message texts / of sent deliveries' params",
          value: `${mib(messages / 1024)} / ${mib(deliveries / 1024)}`,
        },
      ];
      rows.push(...await bare(dbPath, now));
      rows.push(...await throughBot(dbPath));
      rows.push(...await prune(dbPath, now));
      return rows;
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
};

/**
 * The matchmaking and routing figures of {@link scale} alone, at its 10,000 agents (of two
 * languages and two departments) but few clients and messages: under a minute, for a change
 * to routing.
 */
export const routing: Benchmark = {
  name: "routing",
  about: `${SPEC.agents} agents (two languages, two departments), matchmaking and routing only`,
  async run(): Promise<Row[]> {
    const { dir, dbPath } = await tempDatabase();
    try {
      const now = Date.now();
      generate(dbPath, now, {
        ...SPEC,
        clients: 10_000,
        messages: 20_000,
        heavyMessages: 2_000,
        deliveries: false,
      });
      return (await bare(dbPath, now)).filter((row) => /matchmaking|routing/.test(row.figure))
        .map((row) => ({ ...row, bench: "routing" }));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
};
