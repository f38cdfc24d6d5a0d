/**
 * The rough edges of a first run, each one readable line: no token (where it goes, where to
 * get it), a token Telegram rejects, a `TELEGRAM_API_URL` with `/bot` in it or one that is no
 * Bot API, a Telegram that cannot be reached (tried again, said so at a calm pace, where, and
 * why: the name, a refusal or no answer; and `HTTPS_PROXY`), a database under `/proc`.
 */
import assert from "node:assert/strict";
import { Api } from "grammy";
import { FakeTelegram } from "./support/telegram.ts";
import { SUPPORT_TOKEN } from "./support/harness.ts";
import { spawnBot } from "./support/program.ts";
import { ConfigError, parseConfig } from "../src/config/mod.ts";
import { createLogger } from "../src/base/log.ts";
import { reachTelegram } from "../src/telegram/reach.ts";
import { clientOptions } from "../src/telegram/client.ts";

async function runToEnd(env: Record<string, string>) {
  const dir = await Deno.makeTempDir();
  try {
    const bot = await spawnBot({ DATABASE_PATH: `${dir}/desk.db`, ...env }, dir);
    const status = await bot.finished();
    return { code: status.code, stderr: bot.log().trim() };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function oneLine(stderr: string) {
  assert.equal(stderr.split("\n").length, 1, `one line, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /undefined|\bat .*:\d+:\d+/);
}

/** A port nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test("a token Telegram rejects: it says Telegram rejected BOT_TOKEN", async () => {
  await using tg = await FakeTelegram.start();
  const { code, stderr } = await runToEnd({
    BOT_TOKEN: "999:WRONG",
    SUPPORT_TOKEN,
    TELEGRAM_API_URL: tg.apiRoot,
  });
  assert.equal(code, 1);
  oneLine(stderr);
  assert.match(stderr, /^helpdesk-bot: Telegram rejected BOT_TOKEN \(401 Unauthorized/);
  assert.match(stderr, /@BotFather/);
  assert.ok(!stderr.includes("WRONG"), "the token is not echoed");
});

Deno.test("a TELEGRAM_API_URL ending in /bot (or holding the token) says what is wrong", async () => {
  await using tg = await FakeTelegram.start();
  for (const suffix of ["/bot", "/bot/", `/bot${tg.token}`, `/bot${tg.token}/getMe`]) {
    const { code, stderr } = await runToEnd({
      BOT_TOKEN: tg.token,
      SUPPORT_TOKEN,
      TELEGRAM_API_URL: tg.apiRoot + suffix,
    });
    assert.equal(code, 1);
    oneLine(stderr);
    assert.match(stderr, /TELEGRAM_API_URL must be the Bot API root without \/bot or the token/);
    assert.ok(!stderr.includes(tg.token.split(":")[1]), "the token is not echoed");
  }
  assert.equal(
    parseConfig({ BOT_TOKEN: "1:a", SUPPORT_TOKEN, TELEGRAM_API_URL: "https://x.example/botapi" })
      .telegramApiUrl.length > 0,
    true,
    "a root whose path merely starts with bot… is not refused",
  );
  assert.throws(
    () =>
      parseConfig({ BOT_TOKEN: "1:a", SUPPORT_TOKEN, TELEGRAM_API_URL: "https://x.example/bot" }),
    ConfigError,
  );
});

Deno.test("a TELEGRAM_API_URL that is no Bot API (404 to getMe) says it must be the root", async () => {
  await using tg = await FakeTelegram.start();
  const { code, stderr } = await runToEnd({
    BOT_TOKEN: tg.token,
    SUPPORT_TOKEN,
    TELEGRAM_API_URL: `${tg.apiRoot}/telegram`,
  });
  assert.equal(code, 1);
  oneLine(stderr);
  assert.match(
    stderr,
    /TELEGRAM_API_URL http:\/\/127\.0\.0\.1:\d+\/telegram answered 404 Not Found/,
  );
});

Deno.test("a first start without a token says where it goes and where to get it", async () => {
  const { code, stderr } = await runToEnd({});
  assert.equal(code, 1);
  oneLine(stderr);
  assert.match(stderr, /^helpdesk-bot: BOT_TOKEN is not set: /);
  assert.match(stderr, /@BotFather/);
  assert.match(stderr, /put it in \.env \(copy \.env\.example/);
});

Deno.test("a database under /proc suggests another path, not --allow-all", async () => {
  const { code, stderr } = await runToEnd({
    BOT_TOKEN: "1:abc",
    SUPPORT_TOKEN,
    DATABASE_PATH: "/proc/helpdesk.db",
  });
  assert.equal(code, 1);
  oneLine(stderr);
  assert.match(stderr, /DATABASE_PATH \/proc\/helpdesk\.db: .*put the database elsewhere/);
  assert.doesNotMatch(stderr, /run again with the --allow-all flag/);
});

Deno.test("an unreachable Telegram: tried again, said at a calm pace, with where", async () => {
  const url = `http://127.0.0.1:${closedPort()}`;
  const lines: string[] = [];
  const log = createLogger("info", "json", (line) => lines.push(line));
  const api = new Api("1:abc", clientOptions(url, 5));
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(new Error("stopped")), 1500);
  await assert.rejects(
    reachTelegram(api, url, log, { retryMs: [20, 40, 80], reportMs: 400 }, stop.signal),
    /stopped/,
  );
  clearTimeout(timer);
  const events = lines.map((l) => JSON.parse(l));
  assert.equal(events[0].event, "telegram.unreachable");
  assert.equal(events[0].url, url);
  assert.equal(events[0].retrying, true);
  const still = events.filter((e) => e.event === "telegram.still_unreachable");
  // ~1.5 s at one line per 0.4 s: a few lines, not one per try (there were about 20).
  assert.ok(still.length >= 2 && still.length <= 4, JSON.stringify(events));
  assert.ok(still.every((e) => e.url === url && e.for_s > 0), JSON.stringify(still));
});

/** The first `telegram.unreachable` line of a start against `url`, as JSON. */
async function firstUnreachable(url: string, token = "1:abc"): Promise<Record<string, unknown>> {
  const lines: string[] = [];
  const log = createLogger("info", "json", (line) => lines.push(line));
  const stop = new AbortController();
  const reaching = reachTelegram(
    new Api(token, clientOptions(url, 1)),
    url,
    log,
    { retryMs: [60_000], reportMs: 60_000 },
    stop.signal,
  );
  const deadline = Date.now() + 10_000;
  while (lines.length === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  stop.abort(new Error("stopped"));
  await assert.rejects(reaching, /stopped/);
  assert.ok(lines.length > 0, "no line within 10 s");
  return JSON.parse(lines[0]);
}

Deno.test("an unreachable Telegram says why: the name, a refusal or no answer; and HTTPS_PROXY", async () => {
  const token = "1:secretTOKENpart";
  const refused = await firstUnreachable(`http://127.0.0.1:${closedPort()}`, token);
  assert.equal(refused.event, "telegram.unreachable");
  assert.match(String(refused.problem), /^connection refused at 127\.0\.0\.1:\d+/);

  const unknown = await firstUnreachable("http://no-such-host.invalid", token);
  assert.match(String(unknown.problem), /^the name no-such-host\.invalid did not resolve/);

  // A server that takes the connection and never answers.
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of silent) held.push(conn);
  })();
  try {
    const port = (silent.addr as Deno.NetAddr).port;
    const slow = await firstUnreachable(`http://127.0.0.1:${port}`, token);
    assert.match(String(slow.problem), /^no answer from 127\.0\.0\.1:\d+ within 1 s \(timed out\)/);
  } finally {
    silent.close();
    for (const conn of held) conn.close();
    await accepting.catch(() => {});
  }

  for (const line of [refused, unknown]) {
    assert.match(String(line.hint), /HTTPS_PROXY/);
    assert.ok(!JSON.stringify(line).includes("secretTOKENpart"), "the token is not logged");
  }
});

Deno.test("Telegram reached after dropped connections: the bot goes on and says so", async () => {
  await using tg = await FakeTelegram.start();
  tg.dropNext("getMe", 2);
  const lines: string[] = [];
  const log = createLogger("info", "json", (line) => lines.push(line));
  const me = await reachTelegram(
    new Api(tg.token, clientOptions(tg.apiRoot, 5)),
    tg.apiRoot,
    log,
    { retryMs: [10], reportMs: 10_000 },
  );
  assert.equal(me.username, tg.botUser.username);
  assert.deepEqual(lines.map((l) => JSON.parse(l).event), [
    "telegram.unreachable",
    "telegram.reachable",
  ]);
});

Deno.test("the real program with an unreachable Telegram says where it keeps trying; SIGTERM stops it", async () => {
  const url = `http://127.0.0.1:${closedPort()}`;
  const dir = await Deno.makeTempDir();
  const bot = await spawnBot({
    BOT_TOKEN: "1:abc",
    SUPPORT_TOKEN,
    TELEGRAM_API_URL: url,
    DATABASE_PATH: `${dir}/desk.db`,
  }, dir);
  try {
    const deadline = Date.now() + 15_000;
    while (!bot.log().includes("telegram.unreachable") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(bot.log(), new RegExp(`telegram\\.unreachable url=${url}.*retrying=true`));
    bot.child.kill("SIGTERM");
    assert.equal((await bot.finished()).code, 0, bot.log());
  } finally {
    try {
      bot.child.kill("SIGKILL");
    } catch { /* gone */ }
    await bot.finished();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Telegram refusing a running bot for good (401, 409) ends it with one line", async () => {
  for (
    const [code, description, expected] of [
      [401, "Unauthorized", /^helpdesk-bot: Telegram rejected BOT_TOKEN \(401 Unauthorized\)/],
      [409, "Conflict: terminated by other getUpdates request", /another copy of the bot/],
    ] as const
  ) {
    await using tg = await FakeTelegram.start();
    const dir = await Deno.makeTempDir();
    const bot = await spawnBot({
      BOT_TOKEN: tg.token,
      SUPPORT_TOKEN,
      TELEGRAM_API_URL: tg.apiRoot,
      DATABASE_PATH: `${dir}/desk.db`,
      POLLING_TIMEOUT_SECONDS: "1",
    }, dir);
    try {
      await tg.waitForCall("getUpdates", undefined, { timeoutMs: 15_000 });
      tg.failNext("getUpdates", { code, description });
      const status = await bot.finished();
      assert.equal(status.code, 1, bot.log());
      const last = bot.log().trim().split("\n").at(-1)!;
      assert.match(last, expected);
      assert.doesNotMatch(last, /Call to 'getUpdates' failed/);
    } finally {
      try {
        bot.child.kill("SIGKILL");
      } catch { /* gone */ }
      await bot.finished();
      await Deno.remove(dir, { recursive: true });
    }
  }
});
