/**
 * The real program, as `deno task start` runs it: its permissions, its configuration
 * errors, a relay through it, a clean stop on SIGTERM, and SIGHUP reading `FAQ_FILE` again.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { FakeTelegram, user } from "./support/telegram.ts";
import { RU, SUPPORT_TOKEN, waitForText } from "./support/harness.ts";
import { spawnBot, startFlags } from "./support/program.ts";

async function runToEnd(env: Record<string, string>, cwd: string) {
  const bot = await spawnBot(env, cwd);
  const status = await bot.finished();
  return { code: status.code, stderr: bot.log().trim() };
}

Deno.test("the start task asks for no blanket permissions", async () => {
  const flags = await startFlags();
  assert.deepEqual(flags.filter((f) => f.startsWith("--allow")).toSorted(), [
    "--allow-env",
    "--allow-net",
    "--allow-read",
    "--allow-write",
  ]);
  // Besides them, only what sizes the process's memory (docs/performance.md).
  assert.deepEqual(flags.filter((f) => !f.startsWith("--allow")), [
    "--no-code-cache",
    "--v8-flags=--max-semi-space-size=1,--optimize-for-size,--single-threaded-gc,--no-allocation-site-pretenuring",
  ]);
});

Deno.test("a misconfiguration stops the program with one readable line", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/not-a-database.db`, "this is not SQLite ".repeat(100));
  try {
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /BOT_TOKEN is not set/],
      [{ BOT_TOKEN: "1:abc" }, /SUPPORT_TOKEN is not set/],
      [{ BOT_TOKEN: "1:abc", SUPPORT_TOKEN: "short" }, /SUPPORT_TOKEN is too short/],
      [{ BOT_TOKEN: "nonsense", SUPPORT_TOKEN: SUPPORT_TOKEN }, /BOT_TOKEN does not look/],
      [
        { BOT_TOKEN: "1:abc", SUPPORT_TOKEN, DATABASE_PATH: "/dev/null/helpdesk.db" },
        /DATABASE_PATH/,
      ],
      [
        { BOT_TOKEN: "1:abc", SUPPORT_TOKEN, DATABASE_PATH: dir },
        /DATABASE_PATH .*cannot open/,
      ],
      [{ BOT_TOKEN: "1:abc", SUPPORT_TOKEN, TELEGRAM_API_URL: "nope" }, /TELEGRAM_API_URL/],
      [
        { BOT_TOKEN: "1:abc", SUPPORT_TOKEN, DATABASE_PATH: `${dir}/not-a-database.db` },
        /DATABASE_PATH .*not a database/,
      ],
      [
        { BOT_TOKEN: "1:abc", SUPPORT_TOKEN, WEBHOOK_URL: "https://bot.example.com/hook" },
        /WEBHOOK_SECRET is not set/,
      ],
      [
        {
          BOT_TOKEN: "1:abc",
          SUPPORT_TOKEN,
          WEBHOOK_URL: "http://bot.example.com/hook",
          WEBHOOK_SECRET: "secret",
        },
        /WEBHOOK_URL must be an https/,
      ],
      [{ BOT_TOKEN: "1:abc", SUPPORT_TOKEN, PORT: "http" }, /PORT must be a port number/],
      [
        { BOT_TOKEN: "1:abc", SUPPORT_TOKEN, DEPARTMENTS: "billing=Оплата|Billing,Техника" },
        /DEPARTMENTS: "Техника" is not key=name/,
      ],
      [
        { BOT_TOKEN: "1:abc", SUPPORT_TOKEN, FAQ_FILE: `${dir}/faq.md` },
        /FAQ_FILE .*faq\.md: no such file$/,
      ],
      [
        { BOT_TOKEN: "1:abc", SUPPORT_TOKEN, FAQ_FILE: `${dir}/not-a-database.db` },
        /FAQ_FILE .*: no questions/,
      ],
    ];
    for (const [env, expected] of cases) {
      const { code, stderr } = await runToEnd(env, dir);
      assert.equal(code, 1, stderr);
      assert.equal(stderr.split("\n").length, 1, `one line, got:\n${stderr}`);
      assert.match(stderr, expected);
      assert.doesNotMatch(stderr, /\bat .*:\d+:\d+/, "no stack trace");
      assert.ok(!stderr.includes(SUPPORT_TOKEN), "the secret is not echoed");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a wrong bot token (401 from Telegram) stops the program with one line", async () => {
  const tg = await FakeTelegram.start();
  const dir = await Deno.makeTempDir();
  try {
    const { code, stderr } = await runToEnd({
      BOT_TOKEN: "999:WRONG",
      SUPPORT_TOKEN,
      TELEGRAM_API_URL: tg.apiRoot,
    }, dir);
    assert.equal(code, 1);
    assert.match(stderr, /401/);
    assert.equal(stderr.split("\n").length, 1, stderr);
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the start task's permissions run a full relay and SIGTERM stops cleanly", async () => {
  const tg = await FakeTelegram.start();
  const dir = await Deno.makeTempDir();
  // An absolute database path outside the working directory must work.
  const dbDir = await Deno.makeTempDir();
  const dbPath = join(dbDir, "nested", "desk.db");
  const bot = await spawnBot({
    BOT_TOKEN: tg.token,
    SUPPORT_TOKEN,
    TELEGRAM_API_URL: tg.apiRoot,
    DATABASE_PATH: dbPath,
    POLLING_TIMEOUT_SECONDS: "5",
  }, dir);
  try {
    const agent = user(7001, "Agent");
    const client = user(7002, "Client");
    await tg.waitForCall("deleteWebhook", undefined, { timeoutMs: 15_000 });
    tg.sendText(agent, `/register_support ${SUPPORT_TOKEN}`);
    await waitForText(tg, agent.id, RU.registerOk);
    tg.sendText(client, "помогите");
    await waitForText(tg, agent.id, "👤 Client:\nпомогите");
    const reply = tg.sendText(agent, "помогаю");
    await tg.waitForCall(
      "copyMessage",
      (c) => c.params.chat_id === client.id && c.params.message_id === reply.message_id,
    );
    bot.child.kill("SIGTERM");
    const status = await bot.finished();
    const log = bot.log();
    assert.equal(status.code, 0, log);
    assert.match(log, /bot\.stopped/);
    assert.ok(!log.includes(SUPPORT_TOKEN) && !log.includes(tg.token), "no secrets in logs");
    assert.ok(!log.includes("помогите"), "no message texts in logs");
    const stat = await Deno.stat(dbPath);
    assert.ok(stat.isFile);
  } finally {
    try {
      bot.child.kill("SIGKILL");
    } catch { /* already gone */ }
    await bot.finished();
    await tg.close();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(dbDir, { recursive: true });
  }
});

Deno.test("SIGHUP reads FAQ_FILE again; a bad file keeps the base in use", async () => {
  const tg = await FakeTelegram.start();
  const dir = await Deno.makeTempDir();
  const faq = join(dir, "faq.md");
  await Deno.writeTextFile(faq, "## One?\nYes.\n");
  const bot = await spawnBot({
    BOT_TOKEN: tg.token,
    SUPPORT_TOKEN,
    TELEGRAM_API_URL: tg.apiRoot,
    DATABASE_PATH: join(dir, "desk.db"),
    POLLING_TIMEOUT_SECONDS: "5",
    FAQ_FILE: faq,
  }, dir);
  try {
    await tg.waitFor(() => /bot\.started/.test(bot.log()), { timeoutMs: 15_000, message: "start" });
    assert.match(bot.log(), /faq\.loaded articles=1/);
    await Deno.writeTextFile(faq, "## One?\nYes.\n\n## Two?\nYes.\n");
    bot.child.kill("SIGHUP");
    await tg.waitFor(() => /faq\.reloaded articles=2/.test(bot.log()), { message: "reloaded" });
    await Deno.writeTextFile(faq, "no questions here\n");
    bot.child.kill("SIGHUP");
    await tg.waitFor(() => /faq\.reload_failed/.test(bot.log()), { message: "refused" });
    bot.child.kill("SIGTERM");
    assert.equal((await bot.finished()).code, 0, bot.log());
  } finally {
    try {
      bot.child.kill("SIGKILL");
    } catch { /* already gone */ }
    await bot.finished();
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});
