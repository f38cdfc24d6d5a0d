/**
 * Checking relayed messages in the fake's recorded calls: which message each call carried,
 * per chat, and whether every chat got exactly what was written, in order. Shared by the
 * durability tests.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type ApiCall, type FakeTelegram, type FakeUser, user } from "./telegram.ts";
import { type Harness, registerAgent, settled, withHarness } from "./harness.ts";

/** What a relayed call carries, as a key the test can compare, or undefined. */
function relayedKey(call: ApiCall, labels: Map<string, string>): string | undefined {
  if (!call.ok) return undefined;
  if (call.method === "sendMessage") {
    const text = String(call.params.text ?? "");
    const match = /^👤 [^:\n]+:\n(.*)$/s.exec(text);
    return match?.[1];
  }
  if (call.method === "copyMessage") {
    return labels.get(`${call.params.from_chat_id}/${call.params.message_id}`);
  }
  return undefined;
}

/** Per chat: the relayed keys in the order Telegram accepted them. */
export function relayedByChat(
  tg: FakeTelegram,
  labels: Map<string, string>,
): Map<number, string[]> {
  const byChat = new Map<number, string[]>();
  for (const call of tg.calls) {
    const key = relayedKey(call, labels);
    if (key === undefined || !/^[ca]\d+-\d+$/.test(key)) continue;
    const chat = Number(call.params.chat_id);
    byChat.set(chat, [...(byChat.get(chat) ?? []), key]);
  }
  return byChat;
}

/** Checks every chat got exactly `expected`, allowing adjacent repeats; returns the repeats. */
export function checkDelivered(
  expected: Map<number, string[]>,
  got: Map<number, string[]>,
): { delivered: number; doubled: number; lost: number; perChatMaxDoubled: number } {
  let delivered = 0;
  let doubled = 0;
  let lost = 0;
  let perChatMaxDoubled = 0;
  for (const [chat, want] of expected) {
    const seen = got.get(chat) ?? [];
    const collapsed = seen.filter((key, i) => i === 0 || seen[i - 1] !== key);
    const repeats = seen.length - collapsed.length;
    doubled += repeats;
    perChatMaxDoubled = Math.max(perChatMaxDoubled, repeats);
    lost += want.filter((key) => !collapsed.includes(key)).length;
    assert.deepEqual(collapsed, want, `chat ${chat}: order or content differs`);
    delivered += want.length;
  }
  return { delivered, doubled, lost, perChatMaxDoubled };
}

/**
 * Registers `agents`, has each of `clients` say "hi" and returns which agent took whom
 * (client id → agent id).
 */
export async function pairUp(h: Harness, agents: FakeUser[], clients: FakeUser[]) {
  await Promise.all(agents.map((a) => registerAgent(h.tg, a, 30_000)));
  for (const client of clients) h.tg.sendText(client, "hi");
  await h.tg.waitFor(
    (calls) =>
      calls.filter((c) => c.ok && /^👤 [^:\n]+:\nhi$/.test(String(c.params.text))).length >=
        clients.length,
    { timeoutMs: 30_000, message: "every client's first message relayed" },
  );
  await settled(h);
  const agentOf = new Map<number, number>();
  for (const call of h.tg.calls) {
    const name = /^👤 ([^:\n]+):\nhi$/.exec(String(call.params.text ?? ""))?.[1];
    const client = clients.find((c) => c.first_name === name);
    if (call.ok && client) agentOf.set(client.id, Number(call.params.chat_id));
  }
  assert.equal(agentOf.size, clients.length);
  return agentOf;
}

/** What a test wrote, per receiving chat, and the labels of agents' messages. */
export interface Written {
  readonly expected: Map<number, string[]>;
  readonly labels: Map<string, string>;
}

/**
 * Each client writes `rounds` messages to their agent (`agentOf`); with `replyEvery`, the
 * agent answers every that many rounds. Returns what each chat must receive, in order.
 */
export function writeRounds(
  tg: FakeTelegram,
  clients: FakeUser[],
  agentOf: Map<number, number>,
  rounds: number,
  replyEvery = 0,
): Written {
  const expected = new Map<number, string[]>();
  const labels = new Map<string, string>();
  const expect = (chat: number, key: string) =>
    expected.set(chat, [...(expected.get(chat) ?? []), key]);
  for (let i = 0; i < rounds; i++) {
    for (const client of clients) {
      const agent = agentOf.get(client.id)!;
      const key = `c${client.id}-${i}`;
      tg.sendText(client, key);
      expect(agent, key);
      if (replyEvery > 0 && i % replyEvery === 0) {
        const reply = `a${agent}-${i}`;
        const sent = tg.sendText(user(agent, `Agent ${agent}`), reply);
        labels.set(`${agent}/${sent.message_id}`, reply);
        expect(client.id, reply);
      }
    }
  }
  return { expected, labels };
}

/** Waits until every chat has received as many relayed messages as were written to it. */
export function allRelayed(tg: FakeTelegram, written: Written, timeoutMs: number): Promise<true> {
  return tg.waitFor(() => {
    const got = relayedByChat(tg, written.labels);
    return [...written.expected].every(([chat, keys]) => got.get(chat)?.length === keys.length);
  }, { timeoutMs, message: "every written message relayed" });
}

/**
 * 50 clients × 20 messages to 50 agents while the fake enforces Telegram's limits, scaled
 * by `scale` (1: about 1 message per second per chat with a burst of 3, 30 per second in
 * all). Checks none is lost or doubled, order holds, and few 429s are provoked.
 */
export function limitsScenario(scale: number): () => Promise<void> {
  const perChat = 1 * scale;
  const global = 30 * scale;
  return () =>
    withHarness(async (h) => {
      const { tg } = h;
      tg.enforceRateLimits({ perChatPerSecond: perChat, perChatBurst: 3, globalPerSecond: global });
      const agents = Array.from({ length: 50 }, (_, i) => user(70_000 + i, `A${i}`));
      const clients = Array.from({ length: 50 }, (_, i) => user(80_000 + i, `C${i}`));
      const agentOf = await pairUp(h, agents, clients);
      const limitedBefore = tg.rateLimited;
      const start = Date.now();
      const written = writeRounds(tg, clients, agentOf, 20);
      const minimum = Math.round((1000 / global) * 1000);
      await allRelayed(tg, written, minimum * 3);
      const elapsed = Date.now() - start;
      const figures = checkDelivered(written.expected, relayedByChat(tg, written.labels));
      const provoked = tg.rateLimited - limitedBefore;
      console.log(
        `rate limits ×${scale}: ${figures.delivered} relayed, lost ${figures.lost}, doubled ` +
          `${figures.doubled}, 429s provoked ${provoked} (${tg.rateLimited} with set-up), ` +
          `drained in ${elapsed} ms against a minimum of ${minimum} ms`,
      );
      assert.equal(figures.doubled, 0);
      assert.ok(provoked <= 10, `429s provoked: ${provoked}`);
      // The backlog of a burst this size is visible in the log.
      assert.ok(h.logs.some((l) => /outbox\.backlog pending=\d+/.test(l)));
    }, {
      RATE_LIMIT_PER_CHAT: String(perChat),
      RATE_LIMIT_BURST: "3",
      RATE_LIMIT_GLOBAL: String(global),
      OUTBOX_BACKLOG_WARNING: "200",
    });
}
