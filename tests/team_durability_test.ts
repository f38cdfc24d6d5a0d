/**
 * Team mode survives SIGKILL: the real program, killed at random points while clients write
 * into their topics and members answer from them, loses nothing. Each client's messages are
 * all in their topic, each member's answer reached its client, and a client's topic is made
 * once (a second one only when a kill fell between Telegram making it and the bot writing
 * that down). Prints its figures.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { mulberry32 } from "../tools/emulator/random.ts";
import { SUPPORT_TOKEN } from "./support/harness.ts";
import { type BotProcess, spawnPolling } from "./support/program.ts";
import { FakeTelegram, user } from "./support/telegram.ts";

Deno.test("team mode: SIGKILL at random points, nothing lost in topics or back", async () => {
  const seed = Number(Deno.env.get("CRASH_SEED") ?? 20261202);
  const random = mulberry32(seed);
  const tg = await FakeTelegram.start();
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-team-crash-" });
  const members = [user(70_001, "Maria"), user(70_002, "Oleg")];
  const staff = tg.createGroup({ title: "Support", members });
  const env = {
    BOT_TOKEN: tg.token,
    SUPPORT_TOKEN,
    TELEGRAM_API_URL: tg.apiRoot,
    DATABASE_PATH: join(dir, "desk.db"),
    STAFF_CHAT_ID: String(staff),
    // Paced so that the kills land while deliveries are still going out.
    RATE_LIMIT_GROUP_PER_MINUTE: "2400",
    RATE_LIMIT_GROUP_BURST: "2",
    RATE_LIMIT_PER_CHAT: "40",
    RATE_LIMIT_BURST: "2",
    RATE_LIMIT_GLOBAL: "10000",
    POLLING_TIMEOUT_SECONDS: "2",
    CLIENT_RELAY_PER_MINUTE: "10000",
  };
  const start = (): Promise<BotProcess> => spawnPolling(tg, env, dir);
  let bot = await start();
  try {
    const clients = Array.from({ length: 6 }, (_, i) => user(71_000 + i, `Client${i}`));
    const written = new Map<number, string[]>(clients.map((c) => [c.id, []]));
    const answered = new Map<number, string[]>(clients.map((c) => [c.id, []]));
    let n = 0;
    const topicsOf = (c: (typeof clients)[number]) =>
      tg.topics(staff).filter((t) => !t.deleted && t.name.endsWith(`· ${c.first_name}`));
    const inTopics = (c: (typeof clients)[number]) =>
      topicsOf(c).flatMap((t) => tg.messagesInThread(staff, t.threadId))
        .map((m) => String(m.text ?? ""));
    const atClient = (c: (typeof clients)[number]) =>
      tg.calls.filter((call) =>
        call.ok && call.method === "copyMessage" && call.params.chat_id === c.id
      ).map((call) =>
        String(
          tg.messageIn(c.id, (call.result as { message_id: number }).message_id)?.text ?? "",
        )
      );
    const round = () => {
      for (const c of clients) {
        for (let i = 0; i < 3; i++) {
          const key = `c${c.id}-${n++}`;
          written.get(c.id)!.push(key);
          tg.sendText(c, key);
        }
        // A member answers in the client's topic once it shows the client's card. A topic that
        // Telegram made just before a kill, which the bot never wrote down, stays empty (no card,
        // no message): it is not the client's, and what is written there reaches nobody.
        const topic = topicsOf(c).filter((t) => tg.pinnedIn(staff, t.threadId).length > 0).at(-1);
        if (topic) {
          const key = `m${c.id}-${n++}`;
          answered.get(c.id)!.push(key);
          tg.sendGroupText(staff, members[c.id % 2], key, { threadId: topic.threadId });
        }
      }
    };
    const kills = 4;
    for (let k = 0; k < kills; k++) {
      round();
      await new Promise((resolve) => setTimeout(resolve, 50 + random() * 250));
      bot.child.kill("SIGKILL");
      await bot.finished();
      bot = await start();
    }
    round();
    await tg.waitFor(
      () =>
        clients.every((c) =>
          written.get(c.id)!.every((key) => inTopics(c).includes(key)) &&
          answered.get(c.id)!.every((key) => atClient(c).includes(key))
        ),
      { timeoutMs: 40_000, message: "every message in its topic and every answer at its client" },
    );
    const topics = clients.map((c) => topicsOf(c).length);
    const extra = topics.reduce((sum, t) => sum + t - 1, 0);
    const total = [...written.values(), ...answered.values()].reduce((s, k) => s + k.length, 0);
    console.log(
      `team crash test (seed ${seed}): ${kills} SIGKILLs, ${total} messages, lost 0, ` +
        `topics per client ${topics.join(",")}`,
    );
    assert.ok(topics.every((t) => t >= 1));
    assert.ok(extra <= kills, `${extra} extra topics for ${kills} kills`);
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
});
