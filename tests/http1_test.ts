/**
 * The HTTP/1.1 of the bot's own server (`src/http/http1.ts`), byte by byte over real TCP: what
 * clients and proxies send is understood (keep-alive, pipelining, HEAD, HTTP/1.0, chunked
 * bodies with extensions and trailers, absolute-form targets, no Host), and what could be read
 * two ways behind a proxy, or not at all, gets 400 (431 for a head too large) and a closed
 * connection.
 */
import assert from "node:assert/strict";
import { user } from "./support/telegram.ts";
import { RU, waitForText } from "./support/harness.ts";
import { openRaw, startBot, statusOf, type TestBot, until } from "./support/raw_http.ts";
import { asUpdate, HOOK_PATH, SECRET } from "./support/webhook_client.ts";

const encoder = new TextEncoder();

/** Sends `bytes` on a connection of its own and waits until the bot closes it. */
async function exchange(bot: TestBot, bytes: string): Promise<{ text: string; closed: boolean }> {
  const raw = await openRaw(bot.port, bytes);
  const closed = await until(() => raw.closedAt !== undefined, 3000);
  await raw.close();
  return { text: raw.text, closed };
}

/** The statuses of the answers in `text`, in order. */
function statuses(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}

Deno.test("heads that are malformed or could be read two ways: 400 (431 too large), connection closed", () =>
  withBot(async (bot) => {
    const get = "GET /healthz HTTP/1.1\r\nHost: bot\r\n";
    const refused: [string, number][] = [
      ["GARBAGE\r\n\r\n", 400],
      ["GET /healthz HTTP/2.0\r\nHost: bot\r\n\r\n", 400],
      ["GET  /healthz HTTP/1.1\r\nHost: bot\r\n\r\n", 400],
      [`${get}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n`, 400],
      [`${get}Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc`, 400],
      [`${get}Content-Length: 3, 3\r\n\r\nabc`, 400],
      [`${get}Content-Length: -1\r\n\r\n`, 400],
      [`${get}Transfer-Encoding: gzip, chunked\r\n\r\n`, 400],
      ["GET /healthz HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400],
      [`${get}X-Folded: a\r\n b\r\n\r\n`, 400],
      [`${get}X-Space : a\r\n\r\n`, 400],
      [`${get}X-Bare: a\nb\r\n\r\n`, 400],
      [`${get}X-Nul: a\u0000b\r\n\r\n`, 400],
      [`${get}: nameless\r\n\r\n`, 400],
      [`${get}X-Big: ${"a".repeat(17 * 1024)}\r\n\r\n`, 431],
    ];
    for (const [request, status] of refused) {
      const { text, closed } = await exchange(bot, request);
      assert.deepEqual(statuses(text), [status], `${JSON.stringify(request.slice(0, 80))}`);
      assert.ok(closed, `${JSON.stringify(request.slice(0, 80))} left open`);
    }
    const dropped = bot.logs.filter((l) => l.includes("http.dropped"));
    assert.ok(dropped.some((l) => /reason="malformed request line" count=1/.test(l)));
    assert.ok(dropped.some((l) => /reason="request head too large" count=1/.test(l)));
    // Still serving.
    assert.deepEqual(statuses((await exchange(bot, `${get}Connection: close\r\n\r\n`)).text), [
      200,
    ]);
  }));

Deno.test("keep-alive, pipelining, HEAD, HTTP/1.0, Connection: close, absolute-form, no Host", () =>
  withBot(async (bot) => {
    // Two requests in one write, then a HEAD on the same connection: answered in order.
    const raw = await openRaw(
      bot.port,
      "GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: bot\r\n\r\n",
    );
    assert.ok(await until(() => statuses(raw.text).length === 2, 3000), raw.text);
    assert.deepEqual(statuses(raw.text), [200, 404]);
    const before = raw.text.length;
    await raw.conn.write(encoder.encode("HEAD /healthz HTTP/1.1\r\nHost: bot\r\n\r\n"));
    assert.ok(await until(() => raw.text.length > before && raw.text.endsWith("\r\n\r\n"), 3000));
    const head = raw.text.slice(before);
    assert.equal(statusOf(head), 200);
    assert.match(head, /content-length: [1-9]\d*\r\n/, "HEAD says how long the body would be");
    await raw.conn.write(encoder.encode("GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n"));
    assert.ok(await until(() => statuses(raw.text).length === 4, 3000), raw.text);
    assert.equal(raw.closedAt, undefined, "kept alive");
    await raw.close();

    const once = async (request: string) => {
      const { text, closed } = await exchange(bot, request);
      assert.ok(closed, `${JSON.stringify(request)} left open`);
      return statuses(text);
    };
    assert.deepEqual(await once("GET /healthz HTTP/1.0\r\n\r\n"), [200], "HTTP/1.0 closes");
    assert.deepEqual(await once("GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n"), [200]);
    assert.deepEqual(
      await once("\r\nGET http://bot.example/healthz HTTP/1.1\r\nConnection: close\r\n\r\n"),
      [200],
      "an empty line first, an absolute-form target, no Host",
    );
    assert.deepEqual(await once("GET //healthz HTTP/1.1\r\nConnection: close\r\n\r\n"), [404]);
    assert.deepEqual(await once("OPTIONS * HTTP/1.1\r\nConnection: close\r\n\r\n"), [404]);
  }));

Deno.test("a chunked update with extensions and trailers is handled; a malformed chunked body gets 400", () =>
  withBot(async (bot) => {
    const client = user(7301, "Client");
    const update = JSON.stringify(asUpdate(bot.tg.sendText(client, "/start")));
    const [a, b] = [update.slice(0, 10), update.slice(10)];
    const head = `POST ${HOOK_PATH} HTTP/1.1\r\nHost: bot\r\n` +
      `X-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const body = `${a.length.toString(16)};name=value\r\n${a}\r\n` +
      `${b.length.toString(16).toUpperCase()} \r\n${b}\r\n0\r\nX-Trailer: yes\r\n\r\n`;
    const raw = await openRaw(bot.port, head + body);
    assert.ok(await until(() => statuses(raw.text).length === 1, 3000), raw.text);
    assert.deepEqual(statuses(raw.text), [200]);
    assert.equal(raw.closedAt, undefined, "kept alive after a body read to its end");
    await raw.close();
    await waitForText(bot.tg, client.id, RU.askName);

    for (
      const broken of [
        "zz\r\nabc\r\n0\r\n\r\n", // not a size
        "3\r\nabcde\r\n0\r\n\r\n", // data longer than its size
        `${"f".repeat(13)}\r\n`, // a size beyond any body
      ]
    ) {
      const { text, closed } = await exchange(bot, head + broken);
      assert.deepEqual(statuses(text), [400], JSON.stringify(broken));
      assert.ok(closed);
    }
    assert.ok(
      bot.logs.some((l) =>
        /webhook\.bad_request reason="malformed chunked body" status=400/.test(l)
      ),
    );
  }));

async function withBot(fn: (bot: TestBot) => Promise<void>): Promise<void> {
  const bot = await startBot({});
  try {
    await fn(bot);
  } finally {
    await bot.close();
  }
}
