/**
 * The HTTP server under attack, through the real server over real TCP: what anyone who can
 * reach the webhook or health port can try must not end or exhaust the bot. Half-open
 * connections are closed after the header timeout and never run the process out of file
 * descriptors (also with a low `ulimit -n`, on the real program); idle keep-alive
 * connections are closed; a body over the limit gets 413 without being read into memory, a
 * late one 408; a burst of unauthenticated requests writes a couple of log lines with the
 * count, not one line each. The in-process bots run with short timeouts; the real program
 * with the defaults.
 */
import assert from "node:assert/strict";
import { CountedLog } from "../src/http/counted_log.ts";
import { RESERVED_FILES } from "../src/http/limits.ts";
import { createLogger } from "../src/base/log.ts";
import { FakeTelegram, user } from "./support/telegram.ts";
import { RU, SUPPORT_TOKEN, waitForText, withHarness } from "./support/harness.ts";
import { type BotProcess, listeningPort, spawnBot } from "./support/program.ts";
import {
  openRaw,
  type Raw,
  rawRequest,
  sleep,
  startBot,
  statusOf,
  until,
} from "./support/raw_http.ts";
import { asUpdate, HOOK_PATH, post, SECRET, WEBHOOK_ENV } from "./support/webhook_client.ts";

const encoder = new TextEncoder();

const HEALTH_REQUEST = "GET /healthz HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n\r\n";
/** Half a request head: never completed. */
const HALF_HEAD = "GET /healthz HTTP/1.1\r\nHost: bot\r\nX-Slow: ";

Deno.test("300 half-open connections: those past the cap closed at once, the rest after the header timeout; /healthz answers after", async () => {
  const headerTimeoutMs = 1500;
  // All from one address: here that address may hold the whole cap (see the test after).
  const bot = await startBot({
    headerTimeoutMs,
    maxConnections: 256,
    maxConnectionsPerAddress: 256,
  });
  const opened: Raw[] = [];
  try {
    const start = performance.now();
    for (let i = 0; i < 300; i++) opened.push(await openRaw(bot.port, HALF_HEAD));
    const closedCount = () => opened.filter((w) => w.closedAt !== undefined).length;
    // The 44 past the cap are closed as soon as they are accepted.
    assert.ok(await until(() => closedCount() >= 44, 1000), `${closedCount()} closed at once`);
    await sleep(200);
    assert.equal(closedCount(), 44, "the 256 under the cap are held until the header timeout");
    // The cap is full: another connection is closed unanswered; the bot is still there.
    assert.equal(await rawRequest(bot.port, HEALTH_REQUEST, 1000), 0);
    // The header timeout closes the rest.
    assert.ok(
      await until(() => closedCount() === 300, headerTimeoutMs + 3000),
      `${closedCount()} of 300 closed`,
    );
    const held = opened.filter((w) => w.closedAt! - start >= headerTimeoutMs - 100);
    assert.ok(held.length >= 250, `${held.length} held until the header timeout`);
    assert.ok(opened.every((w) => w.text === ""), "nothing is answered to half a head");
    // The cap is free again: /healthz answers.
    assert.equal(await rawRequest(bot.port, HEALTH_REQUEST), 200);
    const health = await fetch(`${bot.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal((await health.json()).status, "ok");
    // Logged as two counted lines, not 300.
    const dropped = bot.logs.filter((l) => l.includes("http.dropped"));
    assert.ok(dropped.some((l) => /reason="too many connections" count=1/.test(l)), dropped[0]);
    assert.ok(dropped.some((l) => /reason="no request head in time" count=1/.test(l)));
    assert.ok(dropped.length <= 2, dropped.join("\n"));
  } finally {
    await Promise.all(opened.map((raw) => raw.close()));
    await bot.close();
  }
});

/** Whether this machine reaches its own IPv6 loopback (`::1`); the reason when it does not. */
async function ipv6Loopback(): Promise<true | string> {
  try {
    const listener = Deno.listen({ hostname: "::1", port: 0 });
    const conn = await Deno.connect({ hostname: "::1", port: listener.addr.port });
    conn.close();
    listener.close();
    return true;
  } catch (error) {
    return `no IPv6 loopback: ${(error as Error).message}`;
  }
}

const ipv6 = await ipv6Loopback();
if (ipv6 !== true) console.log(`http_limits_test: the two-address test is skipped: ${ipv6}`);

Deno.test({
  name:
    "one address holding half-open connections cannot shut Telegram out: 25 of 25 updates answered",
  ignore: ipv6 !== true,
  async fn() {
    // Listening on both stacks: the attacker comes from ::1, Telegram from 127.0.0.1.
    const bot = await startBot({ headerTimeoutMs: 120_000 }, { HOST: "::" });
    const opened: Raw[] = [];
    try {
      for (let i = 0; i < 300; i++) opened.push(await openRaw(bot.port, HALF_HEAD, "::1"));
      const held = () => opened.filter((w) => w.closedAt === undefined).length;
      await until(() => held() <= 64, 5000);
      const statuses: number[] = [];
      const people = Array.from({ length: 25 }, (_, i) => user(7300 + i, `Client ${i}`));
      for (const person of people) {
        const update = asUpdate(bot.tg.sendText(person, "/start"));
        statuses.push(await post(bot.url, update).then((a) => a.status, () => 0));
      }
      assert.deepEqual(statuses, people.map(() => 200), "every update answered");
      for (const person of people) await waitForText(bot.tg, person.id, RU.askName);
      assert.equal(held(), 64, "one address holds a quarter of the cap, no more");
      const dropped = bot.logs.filter((l) => l.includes("http.dropped"));
      assert.ok(
        dropped.some((l) => /reason="too many connections from one address" count=1/.test(l)),
        dropped.join("\n"),
      );
    } finally {
      await Promise.all(opened.map((raw) => raw.close()));
      await bot.close();
    }
  },
});

Deno.test("without HOST the server listens on the loopback interface only (the Docker image sets 0.0.0.0)", () =>
  withHarness(async (h) => {
    assert.ok(h.app.http);
    assert.equal(h.app.http.addr.hostname, "127.0.0.1");
    assert.ok(h.logs.some((l) => /http\.listening host=127\.0\.0\.1 /.test(l)), h.logs.join("\n"));
    const dockerfile = await Deno.readTextFile(new URL("../Dockerfile", import.meta.url));
    assert.match(dockerfile, /^\s*HOST=0\.0\.0\.0\b/m, "the image still listens on its interface");
  }, { HEALTH_PORT: "0" }));

Deno.test("an idle keep-alive connection is closed after the idle timeout, a busy one is kept", async () => {
  const idleTimeoutMs = 1000;
  const bot = await startBot({ idleTimeoutMs });
  try {
    const keepAlive = "GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n";
    const watched = await openRaw(bot.port, keepAlive);
    assert.ok(await until(() => watched.text.includes('"status":"ok"'), 5000), watched.text);
    // Used again within the idle timeout: still served on the same connection.
    await sleep(idleTimeoutMs / 2);
    await watched.conn.write(encoder.encode(keepAlive));
    assert.ok(await until(() => watched.text.split("HTTP/1.1 200").length === 3, 5000));
    const answeredAt = performance.now();
    assert.equal(watched.closedAt, undefined, "kept alive between requests");
    assert.ok(await until(() => watched.closedAt !== undefined, idleTimeoutMs + 3000), "closed");
    const idle = watched.closedAt! - answeredAt;
    assert.ok(idle >= idleTimeoutMs - 100, `closed after ${idle} ms idle`);
    await watched.close();
  } finally {
    await bot.close();
  }
});

Deno.test("a body that does not arrive in time gets 408 and its connection is closed", async () => {
  const bot = await startBot({ bodyTimeoutMs: 800 });
  try {
    const update = JSON.stringify(asUpdate(bot.tg.sendText(user(7001, "Client"), "/start")));
    const started = performance.now();
    const watched = await openRaw(
      bot.port,
      `POST ${HOOK_PATH} HTTP/1.1\r\nHost: bot\r\nX-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${update.length}\r\n\r\n` +
        update.slice(0, 10),
    );
    assert.ok(await until(() => watched.closedAt !== undefined, 5000), "closed");
    assert.equal(statusOf(watched.text), 408, watched.text);
    assert.ok(watched.closedAt! - started >= 700);
    await watched.close();
    // Nothing of it was handled; a whole update is.
    assert.equal(bot.tg.calls.filter((c) => c.method === "sendMessage").length, 0);
    assert.equal((await post(bot.url, update)).status, 200);
    await waitForText(bot.tg, 7001, RU.askName);
    assert.ok(
      bot.logs.some((l) => /webhook\.bad_request reason="body too slow" status=408/.test(l)),
    );
  } finally {
    await bot.close();
  }
});

Deno.test("the body is read only after the secret: 100-continue only for the right secret and a body under the limit", async () => {
  const bot = await startBot({});
  try {
    const head = (secret: string, length: number) =>
      `POST ${HOOK_PATH} HTTP/1.1\r\nHost: bot\r\nX-Telegram-Bot-Api-Secret-Token: ${secret}\r\n` +
      `Content-Length: ${length}\r\nExpect: 100-continue\r\n\r\n`;
    // Wrong secret, huge body announced: 401 at once, never asked for.
    const wrong = await openRaw(bot.port, head("wrong", 400 * 1024 * 1024));
    assert.ok(await until(() => wrong.text.includes("\r\n\r\n"), 5000));
    assert.equal(statusOf(wrong.text), 401, wrong.text);
    await wrong.close();
    // Right secret, announced over 1 MiB: 413 at once, never asked for.
    const large = await openRaw(bot.port, head(SECRET, 1024 * 1024 + 1));
    assert.ok(await until(() => large.text.includes("\r\n\r\n"), 5000));
    assert.equal(statusOf(large.text), 413, large.text);
    await large.close();
    // Right secret, an update: asked for, then handled.
    const update = JSON.stringify(asUpdate(bot.tg.sendText(user(7002, "Client"), "/start")));
    const right = await openRaw(bot.port, head(SECRET, update.length));
    assert.ok(await until(() => right.text.includes("\r\n\r\n"), 5000));
    assert.equal(statusOf(right.text), 100, right.text);
    await right.conn.write(encoder.encode(update));
    assert.ok(await until(() => right.text.includes("HTTP/1.1 200"), 5000), right.text);
    await right.close();
    await waitForText(bot.tg, 7002, RU.askName);
  } finally {
    await bot.close();
  }
});

Deno.test("5,000 unauthenticated requests in a burst: two log lines with the count, the first at once", async () => {
  const bot = await startBot({});
  try {
    const wrong = async () => {
      const answer = await post(bot.url, "{}", "wrong-secret");
      assert.equal(answer.status, 401);
    };
    await wrong();
    const unauthorized = () => bot.logs.filter((l) => l.includes("webhook.unauthorized"));
    const first = unauthorized();
    let left = 4999;
    await Promise.all(Array.from({ length: 50 }, async () => {
      while (left-- > 0) await wrong();
    }));
    // Bodies that are not updates, with the right secret: counted the same way.
    for (let i = 0; i < 200; i++) assert.equal((await post(bot.url, "not json")).status, 400);
    const during = unauthorized().length;
    // What is counted is written when the bot stops (else after a minute).
    await bot.close();
    const lines = unauthorized();
    assert.equal(lines.length, 2, `${lines.length} lines:\n${lines.slice(0, 3).join("\n")}`);
    assert.equal(during, 1, "the rest are counted, not written");
    assert.equal(first.length, 1, "the first is logged at once");
    assert.match(first[0], /WARN {2}webhook\.unauthorized count=1$/);
    assert.match(lines[1], /webhook\.unauthorized count=4999$/);
    const badBody = bot.logs.filter((l) => l.includes("webhook.bad_request"));
    assert.equal(badBody.length, 2, badBody.join("\n"));
    assert.match(badBody[1], /reason="not JSON" count=199$/);
    console.log(`log lines for 5,000 unauthorized requests: ${lines.length}\n${lines.join("\n")}`);
  } finally {
    await bot.close();
  }
});

Deno.test("counted log lines: the first at once, then one per interval with the count, none when quiet", async () => {
  const lines: string[] = [];
  const counted = new CountedLog(createLogger("debug", "text", (l) => lines.push(l)), 200);
  try {
    for (let i = 0; i < 10; i++) counted.note("webhook.unauthorized");
    counted.note("webhook.bad_request", { reason: "not JSON" });
    assert.equal(lines.length, 2);
    await sleep(300);
    assert.equal(lines.length, 3);
    assert.match(lines[2], /webhook\.unauthorized count=9$/);
    // A quiet interval writes nothing and ends the window: the next one is written at once.
    await sleep(500);
    assert.equal(lines.length, 3, lines.join("\n"));
    counted.note("webhook.unauthorized");
    assert.equal(lines.length, 4);
    assert.match(lines[3], /webhook\.unauthorized count=1$/);
  } finally {
    counted.close();
  }
});

/**
 * What `command` prints. `/proc/<pid>` of another process is read through a command: Deno
 * allows it only with `--allow-all`, which the test task does not give.
 */
async function outputOf(command: string, ...args: string[]): Promise<string> {
  const { stdout } = await new Deno.Command(command, { args, stderr: "null" }).output();
  return new TextDecoder().decode(stdout);
}

/** VmRSS and VmHWM (peak) of process `pid`, in MiB. */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await outputOf("cat", `/proc/${pid}/status`);
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

/** File descriptors process `pid` has open. */
async function openFilesOf(pid: number): Promise<number> {
  return (await outputOf("ls", `/proc/${pid}/fd`)).split("\n").filter(Boolean).length;
}

/**
 * Posts a `total`-byte body with the right secret on a raw connection, writing until the bot
 * answers or closes: `announced` with its `Content-Length`, `chunked` without a length, or
 * `lying` (a 100-byte `Content-Length`, then all of it). The status and how much was sent.
 */
async function postHuge(
  port: number,
  total: number,
  how: "announced" | "chunked" | "lying",
): Promise<{ status: number; sent: number }> {
  const length = how === "chunked"
    ? "Transfer-Encoding: chunked"
    : `Content-Length: ${how === "announced" ? total : 100}`;
  const watched = await openRaw(
    port,
    `POST ${HOOK_PATH} HTTP/1.1\r\nHost: bot\r\nX-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\n` +
      `Content-Type: application/json\r\n${length}\r\n\r\n`,
  );
  const piece = new Uint8Array(64 * 1024).fill(0x61);
  const chunk = how === "chunked"
    ? new Uint8Array([...encoder.encode(`${piece.length.toString(16)}\r\n`), ...piece, 13, 10])
    : piece;
  let sent = 0;
  try {
    while (sent < total && watched.closedAt === undefined && !watched.text.includes("\r\n\r\n")) {
      await watched.conn.write(chunk);
      sent += piece.length;
    }
  } catch {
    // The bot closed the connection: what it answered before is in `watched.text`.
  }
  await until(() => watched.text.includes("\r\n\r\n") || watched.closedAt !== undefined, 5000);
  await watched.close();
  return { status: statusOf(watched.text), sent };
}

/** The real program in webhook mode against `tg`; `openFiles` lowers its `ulimit -n`. */
async function spawnWebhookBot(
  tg: FakeTelegram,
  dir: string,
  openFiles?: number,
): Promise<{ bot: BotProcess; port: number; alive: () => boolean }> {
  const bot = await spawnBot(
    {
      BOT_TOKEN: tg.token,
      SUPPORT_TOKEN,
      TELEGRAM_API_URL: tg.apiRoot,
      DATABASE_PATH: `${dir}/helpdesk.db`,
      ...WEBHOOK_ENV,
    },
    dir,
    undefined,
    openFiles,
  );
  let ended = false;
  bot.child.status.then(() => ended = true);
  const port = await listeningPort(bot);
  await tg.waitForCall("setWebhook", undefined, { timeoutMs: 15_000 });
  return { bot, port, alive: () => !ended };
}

async function stopBot(bot: BotProcess): Promise<void> {
  try {
    bot.child.kill("SIGKILL");
  } catch { /* already gone */ }
  await bot.finished();
}

Deno.test("a 400 MiB body with the right secret: 413 announced or streamed, memory flat; a normal update after", async () => {
  const tg = await FakeTelegram.start();
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-http-" });
  const { bot, port, alive } = await spawnWebhookBot(tg, dir);
  try {
    const pid = bot.child.pid;
    const url = `http://127.0.0.1:${port}`;
    // Warm the path up first, so that what grows afterwards is the big bodies' doing.
    const first = user(7100, "Client");
    assert.equal((await post(url, asUpdate(tg.sendText(first, "/start")))).status, 200);
    await waitForText(tg, first.id, RU.askName);
    const before = await memoryOf(pid);
    const total = 400 * 1024 * 1024;
    const announced = await postHuge(port, total, "announced");
    const streamed = await postHuge(port, total, "chunked");
    // Lying: a small length announced, then far more sent. The extra is no request at all.
    const lying = await postHuge(port, 64 * 1024 * 1024, "lying");
    const after = await memoryOf(pid);
    const growth = after.peak - before.peak;
    console.log(
      `bot memory: VmHWM ${before.peak.toFixed(0)} → ${after.peak.toFixed(0)} MiB, ` +
        `VmRSS ${after.rss.toFixed(0)} MiB; sent before the answer: ` +
        `${(announced.sent / 2 ** 20).toFixed(1)} MiB announced, ` +
        `${(streamed.sent / 2 ** 20).toFixed(1)} MiB streamed`,
    );
    assert.ok(growth < 32, `the peak grew by ${growth.toFixed(0)} MiB`);
    assert.equal(announced.status, 413, `announced: ${JSON.stringify(announced)}`);
    assert.equal(streamed.status, 413, `streamed: ${JSON.stringify(streamed)}`);
    assert.ok(lying.status >= 400 && lying.status < 500, `lying: ${JSON.stringify(lying)}`);
    assert.ok(alive());
    const client = user(7101, "Client");
    assert.equal((await post(url, asUpdate(tg.sendText(client, "/start")))).status, 200);
    await waitForText(tg, client.id, RU.askName);
    assert.match(bot.log(), /webhook\.bad_request reason="body too large" status=413 count=1/);
  } finally {
    await stopBot(bot);
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("with ulimit -n 128, 300 half-open connections: the program stays up, under its limit, and answers /healthz after", async () => {
  const tg = await FakeTelegram.start();
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-http-" });
  const { bot, port, alive } = await spawnWebhookBot(tg, dir, 128);
  const opened: Raw[] = [];
  try {
    const pid = bot.child.pid;
    let mostFiles = 0;
    for (let i = 0; i < 300 && alive(); i++) {
      try {
        opened.push(await openRaw(port, HALF_HEAD));
      } catch {
        break; // Nobody listens any more.
      }
      if (i % 20 === 0) mostFiles = Math.max(mostFiles, await openFilesOf(pid));
    }
    await sleep(500);
    assert.ok(alive(), `the program ended:\n${bot.log().slice(-2000)}`);
    mostFiles = Math.max(mostFiles, await openFilesOf(pid));
    const held = opened.filter((w) => w.closedAt === undefined).length;
    // Found at start: fewer files free than 256 connections and the reserve need.
    const lowered = /http\.connections_lowered free_files=(\d+) max_connections=(\d+)/
      .exec(bot.log());
    assert.ok(lowered, bot.log());
    const [free, cap] = [Number(lowered[1]), Number(lowered[2])];
    console.log(
      `ulimit -n 128: ${free} files free at start, cap ${cap}; ${held} of 300 connections ` +
        `held, at most ${mostFiles} files open`,
    );
    assert.ok(free < 128 && cap === free - RESERVED_FILES, lowered[0]);
    assert.match(bot.log(), new RegExp(`http\\.listening .*max_connections=${cap}`));
    assert.ok(held <= cap, `${held} held`);
    assert.ok(mostFiles < 128, `${mostFiles} files open`);
    // The attacker goes away: the program answers again (it would not after EMFILE), and the
    // files of the connections it held are free again (at least half as many: the program may
    // open others meanwhile). From one address it holds a quarter of the cap: see the
    // two-address test.
    const before = await openFilesOf(pid);
    const freed = Math.ceil(held / 2);
    await Promise.all(opened.map((raw) => raw.close()));
    let files = await openFilesOf(pid);
    for (let i = 0; i < 100 && files > before - freed; i++) {
      await sleep(50);
      files = await openFilesOf(pid);
    }
    assert.ok(held > 0 && files <= before - freed, `${files} of ${before} files still open`);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`, {
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(health.status, 200);
    assert.equal((await health.json()).status, "ok");
    const client = user(7201, "Client");
    const url = `http://127.0.0.1:${port}`;
    assert.equal((await post(url, asUpdate(tg.sendText(client, "/start")))).status, 200);
    await waitForText(tg, client.id, RU.askName);
    assert.ok(alive());
    assert.doesNotMatch(bot.log(), /Too many open files/);
  } finally {
    await Promise.all(opened.map((raw) => raw.close()));
    await stopBot(bot);
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});
