/**
 * One client flooding their agent's chat, under Telegram's real limits (issue 11): what the
 * bot says to the agent about their own action goes ahead of relayed messages; beyond
 * `CLIENT_RELAY_PER_MINUTE` a client's messages are folded into a digest a minute later
 * (issue 22: merged, every word shown; `flood_digest_e2e_test.ts` follows it further); a closed
 * client's words that still wait go in the digest ahead of the notice of the close, a banned
 * one's are not sent, and the next client waits behind none of it.
 */
import assert from "node:assert/strict";
import { admin, ADMIN_ID } from "./support/people.ts";
import {
  type Harness,
  introduce,
  registerAgent,
  RU,
  settled,
  waitForText,
  withHarness,
} from "./support/harness.ts";
import { COMMANDS } from "../src/desk/commands.ts";
import { CommitBoundary } from "../src/boundary.ts";
import { parseConfig } from "../src/config/mod.ts";
import { Desk } from "../src/desk/mod.ts";
import { Jobs, LANE } from "../src/outbox/mod.ts";
import { timeMark } from "../src/outbox/digest.ts";
import { TeamJobs } from "../src/outbox/team_jobs.ts";
import { openDatabase } from "../src/store/db.ts";
import { Store } from "../src/store/mod.ts";
import { botApi } from "../src/telegram/client.ts";
import { SUPPORT_TOKEN } from "./support/harness.ts";
import { type FakeTelegram, FakeTelegram as FakeTelegramServer, user } from "./support/telegram.ts";

const ivan = user(7701, "Ivan");
const maria = user(7702, "Maria");
const agent = user(7801, "Agent", { last_name: "Flood" });

/** Telegram's limits, on the fake and in the bot. */
const LIMITS = {
  RATE_LIMIT_PER_CHAT: "1",
  RATE_LIMIT_BURST: "3",
  RATE_LIMIT_GLOBAL: "30",
  CLIENT_RELAY_PER_MINUTE: "10",
  ADMIN_IDS: String(ADMIN_ID),
};

/** The floods' numbers shown to the agent, in order: relayed one by one, or in a digest. */
function floodShown(tg: FakeTelegram, after: number): number[] {
  return tg.calls.slice(after).filter((c) => c.ok && Number(c.params.chat_id) === agent.id)
    .flatMap((c) => [...String(c.params.text ?? "").matchAll(/flood (\d+)/g)])
    .map((m) => Number(m[1]));
}

/** The messages relayed one by one to the agent (signed, one piece each). */
function relayedFrom(tg: FakeTelegram, name: string, after: number): string[] {
  return tg.calls.slice(after).filter((c) =>
    c.ok && Number(c.params.chat_id) === agent.id &&
    /^flood \d+$/.test(String(c.params.text ?? "").split("\n")[1] ?? "") &&
    String(c.params.text ?? "").startsWith(`👤 ${name}:`)
  ).map((c) => String(c.params.text).split("\n").pop()!);
}

async function floodStarted(h: Harness): Promise<number> {
  const { tg } = h;
  tg.enforceRateLimits();
  await registerAgent(tg, agent, 15_000);
  await introduce(tg, ivan, "Иван");
  const after = tg.calls.length;
  for (let i = 1; i <= 300; i++) tg.sendText(ivan, `flood ${i}`);
  await waitForText(tg, agent.id, "flood 3", after, 15_000);
  return after;
}

Deno.test("a flooding client: the agent's own /end_chat is answered at once, the next client waits for nothing", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const after = await floodStarted(h);
    // The agent ends the dialog in the middle of the flood; the answer jumps the queue.
    const ended = tg.calls.length;
    const asked = performance.now();
    tg.sendText(agent, "/end_chat");
    await waitForText(tg, agent.id, RU.endChatDone("Иван", "#T-000001"), ended, 10_000);
    const answeredIn = performance.now() - asked;
    // The next client is the agent's at once, and their message is not behind the flood.
    await introduce(tg, maria, "Мария");
    const next = tg.calls.length;
    tg.sendText(maria, "my question");
    await waitForText(tg, agent.id, "my question", next, 10_000);
    await settled(h);
    // Everything is in the history; at most the pace was relayed one by one; the agent read
    // the rest in the digest, before the notice of the close.
    const stored = h.app.db.prepare(
      "SELECT count(*) AS n FROM messages WHERE sender_id = ? AND text LIKE 'flood %'",
    ).get(ivan.id) as { n: number };
    assert.equal(stored.n, 300);
    const relayed = relayedFrom(tg, "Иван", after);
    assert.ok(relayed.length <= 10, `${relayed.length} relayed`);
    const closedAt = tg.calls.findIndex((c, i) =>
      i >= after && c.ok && Number(c.params.chat_id) === agent.id &&
      c.params.text === RU.endChatDone("Иван", "#T-000001")
    );
    assert.deepEqual(
      floodShown(tg, after),
      Array.from({ length: 300 }, (_, n) => n + 1),
      "every message once, in order",
    );
    assert.deepEqual(floodShown(tg, closedAt), [], "all of it before the close");
    const digests = tg.calls.slice(after, closedAt).filter((c) =>
      Number(c.params.chat_id) === agent.id && /\] flood \d+/.test(String(c.params.text ?? ""))
    );
    assert.ok(digests.length <= 3, `the rest in ${digests.length} messages`);
    assert.ok(!tg.calls.slice(after).some((c) => String(c.params.text ?? "").includes("/history")));
    // A timing, but of behaviour: behind a flood of 300 at 1 a second it would be minutes.
    assert.ok(answeredIn < 8_000, `the confirmation took ${Math.round(answeredIn)} ms`);
  }, LIMITS));

Deno.test("after /ban nothing more of the flooding client is relayed, what waited included", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const after = await floodStarted(h);
    const banned = tg.calls.length;
    tg.sendText(admin, `/ban ${ivan.id}`);
    await waitForText(tg, admin.id, RU.banDone("Иван"), banned, 10_000);
    const atBan = relayedFrom(tg, "Иван", after).length;
    for (let i = 301; i <= 310; i++) tg.sendText(ivan, `flood ${i}`);
    await settled(h);
    assert.equal(relayedFrom(tg, "Иван", after).length, atBan, "nothing after the ban");
    const pending = h.app.db.prepare(
      "SELECT count(*) AS n FROM deliveries WHERE chat_id = ? AND status = 'pending'",
    ).get(agent.id) as { n: number };
    assert.equal(pending.n, 0);
  }, LIMITS));

Deno.test("folded messages: one digest a minute later, in a lane that holds nothing back, merged and signed", async () => {
  const tg = await FakeTelegramServer.start();
  const db = openDatabase(":memory:");
  try {
    const config = parseConfig({
      BOT_TOKEN: tg.token,
      SUPPORT_TOKEN,
      CLIENT_RELAY_PER_MINUTE: "2",
    });
    const store = new Store(db);
    let now = 1_700_000_000_000;
    const desk = new Desk(store, new CommitBoundary(store, { now: () => now }), config, COMMANDS);
    const person = (u: typeof ivan) =>
      ({ userId: u.id, username: null, fullName: u.first_name, language: "ru" }) as const;
    desk.command(1, person(agent), {
      name: "register_support",
      args: SUPPORT_TOKEN,
      chatMessageId: 1,
    });
    for (let i = 1; i <= 5; i++) {
      now += 1000;
      desk.message(10 + i, person(ivan), {
        chatMessageId: 100 + i,
        content: { kind: "text", text: `m${i}`, entities: null, fileId: null },
      });
    }
    const folded = db.prepare("SELECT count(*) AS n FROM messages WHERE folded = 1").get() as {
      n: number;
    };
    // The first opened the ticket (relayed when it was assigned); two more at the pace; the rest folded.
    assert.equal(folded.n, 2, "3 relayed, 2 folded");
    const summaries = db.prepare(
      `SELECT lane, next_attempt_at AS due, params FROM deliveries
        WHERE chat_id = ? AND method = 'foldSummary' AND status = 'pending'`,
    ).all(agent.id) as { lane: number; due: number; params: string }[];
    assert.equal(summaries.length, 1, "one digest for the whole flood");
    assert.equal(summaries[0].lane, LANE.later);
    assert.ok(summaries[0].due >= now + 55_000, "about a minute later");
    // When it is sent, it shows what was folded by then, merged, each after its time (the
    // row's params are those older versions wrote for their summary: they still go out).
    const api = botApi(config.botToken, tg.apiRoot, 10);
    const jobs = new Jobs({ calls: api, history: api, export: api }, store, "UTC", "ru");
    const copies = await jobs.run({
      method: "foldSummary",
      params: JSON.parse(summaries[0].params),
    });
    const sent = tg.callsOf("sendMessage").at(-1)!;
    assert.equal(Number(sent.params.chat_id), agent.id);
    const at = (seconds: number) => timeMark(1_700_000_000_000 + seconds * 1000, "UTC");
    assert.equal(sent.params.text, `👤 Ivan:\n${at(4)} m4\n${at(5)} m5`);
    // Both are recorded as shown in that one message.
    assert.equal(copies.length, 1);
    assert.equal(copies[0].merged?.length, 1);
  } finally {
    db.close();
    await tg.close();
  }
});

Deno.test("folded messages in team mode: kept, not copied, shown merged in the client's topic", async () => {
  const tg = await FakeTelegramServer.start();
  const db = openDatabase(":memory:");
  try {
    const owner = user(77, "Owner");
    const staff = tg.createGroup({ creator: owner });
    const thread = tg.createTopic(staff, owner, "🔵 #T-000001 · Ivan");
    const config = parseConfig({
      BOT_TOKEN: tg.token,
      SUPPORT_TOKEN,
      CLIENT_RELAY_PER_MINUTE: "2",
      STAFF_CHAT_ID: String(staff),
    });
    const store = new Store(db);
    let now = 1_700_000_000_000;
    const desk = new Desk(store, new CommitBoundary(store, { now: () => now }), config, COMMANDS);
    const ivan = user(5, "Ivan");
    for (let i = 1; i <= 5; i++) {
      now += 1000;
      desk.message(10 + i, { userId: ivan.id, username: null, fullName: "Ivan", language: "ru" }, {
        chatMessageId: 100 + i,
        content: { kind: "text", text: `m${i}`, entities: null, fileId: null },
      });
    }
    const copies = db.prepare(
      "SELECT count(*) AS n FROM deliveries WHERE chat_id = ? AND method = 'copyMessage'",
    ).get(staff) as { n: number };
    assert.equal(copies.n, 2, "two at the pace, the rest folded");
    const summary = db.prepare(
      "SELECT params FROM deliveries WHERE chat_id = ? AND method = 'foldSummary'",
    ).get(staff) as { params: string };
    const params = JSON.parse(summary.params);
    assert.equal(params.topic_of, ivan.id);
    // Sent, it lands in the client's topic (the sender gives it the thread).
    const api = botApi(config.botToken, tg.apiRoot, 10);
    const teamJobs = new TeamJobs(api, store, new CommitBoundary(store), {
      language: "ru",
      timeZone: "UTC",
      onlineWindowMs: 60_000,
      now: () => now,
    });
    const jobs = new Jobs({ calls: api, history: api, export: api }, store, "UTC", "ru", {
      chatId: staff,
      jobs: teamJobs,
    });
    await jobs.run({ method: "foldSummary", params: { ...params, message_thread_id: thread } });
    const sent = tg.callsOf("sendMessage").at(-1)!;
    assert.equal(sent.params.message_thread_id, thread);
    const at = (seconds: number) => timeMark(1_700_000_000_000 + seconds * 1000, "UTC");
    assert.equal(sent.params.text, `${at(3)} m3\n${at(4)} m4\n${at(5)} m5`);
  } finally {
    db.close();
    await tg.close();
  }
});
