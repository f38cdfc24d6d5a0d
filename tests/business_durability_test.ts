/**
 * Telegram Business through SIGKILLs: the real program, clients who never started the bot
 * writing to a company's account, agents answering, the owner writing in between, and the
 * connection turned off (answers kept) and on again across kills. Nothing is lost, order is
 * kept, a repeat happens only at a kill, and nothing ever goes to a client as the bot.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { FakeTelegram, type FakeUser, user } from "./support/telegram.ts";
import { registerAgent, SUPPORT_TOKEN } from "./support/harness.ts";
import { type BotProcess, spawnPolling } from "./support/program.ts";
import { mulberry32 } from "../tools/emulator/random.ts";
import { neverAsTheBot, owner } from "./support/business.ts";

/** The keys of `sent` in the order they arrived, each as often as it arrived. */
function arrivals(texts: readonly string[], keys: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const text of texts) {
    for (const key of keys) if (text === key || text.endsWith(`\n${key}`)) out.push(key);
  }
  return out;
}

Deno.test({
  name: "business through SIGKILLs: nothing lost, order kept, the connection off and on",
  fn: async () => {
    const random = mulberry32(Number(Deno.env.get("CRASH_SEED") ?? 20261207));
    const tg = await FakeTelegram.start();
    const dir = await Deno.makeTempDir({ prefix: "helpdesk-business-crash-" });
    const env = {
      BOT_TOKEN: tg.token,
      SUPPORT_TOKEN,
      TELEGRAM_API_URL: tg.apiRoot,
      DATABASE_PATH: join(dir, "desk.db"),
      RATE_LIMIT_PER_CHAT: "40",
      RATE_LIMIT_BURST: "2",
      RATE_LIMIT_GLOBAL: "10000",
      POLLING_TIMEOUT_SECONDS: "2",
      CLIENT_RELAY_PER_MINUTE: "10000",
    };
    const start = (): Promise<BotProcess> => spawnPolling(tg, env, dir);
    let bot = await start();
    try {
      const agents = Array.from({ length: 3 }, (_, i) => user(70_000 + i, `Agent${i}`));
      const clients = Array.from({ length: 3 }, (_, i) => user(80_000 + i, `Client${i}`));
      for (const agent of agents) await registerAgent(tg, agent);
      const id = tg.connectBusiness(owner);
      const agentOf = new Map<number, FakeUser>();
      for (const client of clients) {
        tg.sendBusinessText(id, client, `hello from ${client.first_name}`);
        const call = await tg.waitFor(
          (calls) =>
            calls.find((c) =>
              c.ok && String(c.params.text).endsWith(`hello from ${client.first_name}`)
            ),
          { timeoutMs: 20_000 },
        );
        agentOf.set(client.id, agents.find((a) => a.id === Number(call.params.chat_id))!);
      }
      assert.equal(new Set([...agentOf.values()].map((a) => a.id)).size, clients.length);

      const toAgent = new Map<number, string[]>();
      const toClient = new Map<number, string[]>();
      let n = 0;
      const burst = (perSide: number) => {
        const writers: { who: FakeUser; client: FakeUser; fromClient: boolean }[] = [];
        for (const client of clients) {
          for (let i = 0; i < perSide; i++) {
            writers.push({ who: client, client, fromClient: true });
            writers.push({ who: agentOf.get(client.id)!, client, fromClient: false });
          }
        }
        for (let i = writers.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [writers[i], writers[j]] = [writers[j], writers[i]];
        }
        for (const w of writers) {
          const key = `${w.fromClient ? "c" : "a"}${w.client.id}-${n++}`;
          if (w.fromClient) {
            tg.sendBusinessText(id, w.client, key);
            const agent = agentOf.get(w.client.id)!.id;
            toAgent.set(agent, [...(toAgent.get(agent) ?? []), key]);
          } else {
            tg.sendText(w.who, key);
            toClient.set(w.client.id, [...(toClient.get(w.client.id) ?? []), key]);
          }
        }
        // The owner writes in between: shown to staff, never a key of theirs.
        tg.sendBusinessText(id, owner, `owner ${n}`, { clientId: clients[0].id });
      };
      const kill = async () => {
        await new Promise((resolve) => setTimeout(resolve, 10 + random() * 150));
        bot.child.kill("SIGKILL");
        await bot.finished();
        bot = await start();
      };

      burst(4);
      await kill();
      // Off: the agents' answers are kept, across a kill, and go once it is on again.
      tg.changeBusiness(id, { enabled: false });
      burst(3);
      await kill();
      tg.changeBusiness(id, { enabled: true });
      burst(4);
      await kill();
      burst(2);

      const kills = 3;
      const agentTexts = (agent: number) =>
        tg.calls.filter((c) => c.ok && Number(c.params.chat_id) === agent)
          .map((c) => String(c.params.text ?? ""));
      const clientTexts = (client: number) =>
        tg.businessMessagesIn(id, client)
          .filter((m) => m.sender_business_bot !== undefined)
          .map((m) => String(m.text ?? ""));
      let lastMissing = "";
      const check = (expected: Map<number, string[]>, got: (chat: number) => string[]) => {
        let lost = 0;
        let doubled = 0;
        let perChat = 0;
        for (const [chat, keys] of expected) {
          const seen = arrivals(got(chat), new Set(keys));
          const missing = keys.filter((k) => !seen.includes(k));
          lost += missing.length;
          if (missing.length > 0) lastMissing = `${chat}: ${missing.join(" ")}`;
          doubled += seen.length - new Set(seen).size;
          perChat = Math.max(perChat, seen.length - new Set(seen).size);
          // In order: the first arrival of each key follows the order it was written in.
          const firsts = keys.filter((k) => seen.includes(k));
          const order = [...new Set(seen)];
          assert.deepEqual(order, firsts, `order in chat ${chat}`);
        }
        return { lost, doubled, perChat };
      };
      await tg.waitFor(() => {
        const a = check(toAgent, agentTexts);
        const c = check(toClient, clientTexts);
        return a.lost === 0 && c.lost === 0;
      }, { timeoutMs: 30_000, message: "every message across" }).catch((error) => {
        const key = lastMissing.split(" ").at(-1) ?? "";
        const related = tg.calls.filter((c) =>
          JSON.stringify(c.params).includes(key) ||
          JSON.stringify(c.response ?? "").includes(key)
        )
          .map((c) => `${c.method} ${JSON.stringify(c.params)} -> ${JSON.stringify(c.response)}`);
        throw new Error(
          `${error.message}; missing ${lastMissing}\n${related.join("\n")}\n${
            bot.log().slice(-3000)
          }`,
        );
      });
      const a = check(toAgent, agentTexts);
      const c = check(toClient, clientTexts);
      console.log(
        `business crash test: ${kills} SIGKILLs, ${n} messages, doubled ${a.doubled} to agents, ` +
          `${c.doubled} to clients`,
      );
      // A send Telegram accepted just before a kill, not yet marked sent, is the only repeat:
      // at most one per chat per kill.
      assert.ok(Math.max(a.perChat, c.perChat) <= kills, `doubled ${a.doubled + c.doubled}`);
      for (const client of clients) neverAsTheBot(tg, client.id);
      bot.child.kill("SIGTERM");
      assert.equal((await bot.finished()).code, 0);
    } finally {
      try {
        bot.child.kill("SIGKILL");
      } catch { /* already ended */ }
      await bot.finished();
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
