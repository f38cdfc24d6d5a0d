/**
 * The hand-written HTTP/1.1 client of Bot API calls (`src/telegram/http.ts`) against real
 * servers on 127.0.0.1: raw TCP servers that answer byte by byte as a test needs (keep-alive
 * kept or closed, chunked bodies, 1xx, an answer too large, an answer that never comes, a
 * reset in the middle of an answer), and `Deno.serve` for a proxy's HTML 403 through grammY.
 * The bot's `Api` (`botApi`) posts JSON calls itself (`directCalls`) and leaves uploads to
 * grammY's client: both are checked to answer and fail as grammY's client does.
 * Above all: a request is sent twice only when a reused idle connection was closed before any
 * of its answer came, never after part of an answer, never on a fresh connection.
 */
import assert from "node:assert/strict";
import { Api, GrammyError, HttpError, InputFile } from "grammy";
import { judge, TransportError } from "../src/outbox/failures.ts";
import { botApi, clientOptions } from "../src/telegram/client.ts";
import {
  BODY_MAX,
  closeIdleConnections,
  httpFetch,
  originOf,
  requestOf,
  utf8Length,
} from "../src/telegram/http.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One request as a raw server read it. */
interface Seen {
  readonly head: string;
  readonly body: string;
}

/** Reads requests off one connection (Content-Length bodies only, as the client sends). */
class RequestReader {
  #buf = new Uint8Array(0);
  constructor(private readonly conn: Deno.Conn) {}

  async next(): Promise<Seen | null> {
    for (;;) {
      const text = decoder.decode(this.#buf);
      const end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        const head = text.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        const start = encoder.encode(text.slice(0, end + 4)).length;
        if (this.#buf.length >= start + length) {
          const body = decoder.decode(this.#buf.slice(start, start + length));
          this.#buf = this.#buf.slice(start + length);
          return { head, body };
        }
      }
      const chunk = new Uint8Array(65536);
      const n = await this.conn.read(chunk).catch(() => null);
      if (n === null) return null;
      const next = new Uint8Array(this.#buf.length + n);
      next.set(this.#buf);
      next.set(chunk.subarray(0, n), this.#buf.length);
      this.#buf = next;
    }
  }
}

type Handler = (conn: Deno.Conn, requests: RequestReader, index: number) => Promise<void>;

/** A raw TCP server on 127.0.0.1: `handle` runs per connection, which is closed after it. */
function rawServer(handle: Handler) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const running: Promise<void>[] = [];
  const seen: Seen[] = [];
  let connections = 0;
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        const reader = new RequestReader(conn);
        const counting = {
          next: async () => {
            const request = await reader.next();
            if (request !== null) seen.push(request);
            return request;
          },
        } as RequestReader;
        running.push(
          handle(conn, counting, connections++).catch(() => {}).finally(() => {
            try {
              conn.close();
            } catch {
              // closed by the handler
            }
          }),
        );
      }
    } catch {
      // the listener closed
    }
  })();
  return {
    root: `http://127.0.0.1:${listener.addr.port}`,
    get connections() {
      return connections;
    },
    seen,
    async [Symbol.asyncDispose]() {
      closeIdleConnections();
      listener.close();
      await accepting;
      await Promise.all(running);
    },
  };
}

const ok = (body: string, extra = "") =>
  encoder.encode(
    `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n${extra}` +
      `content-length: ${encoder.encode(body).length}\r\n\r\n${body}`,
  );

const write = async (conn: Deno.Conn, bytes: Uint8Array | string) => {
  const data = typeof bytes === "string" ? encoder.encode(bytes) : bytes;
  for (let done = 0; done < data.length;) done += await conn.write(data.subarray(done));
};

const post = (root: string, body = '{"chat_id":1}', signal?: AbortSignal) =>
  httpFetch(`${root}/bot1:token/sendMessage`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    signal,
  });

/** Answers every request on a connection with `{"ok":true,"result":<n>}` (n counts requests). */
const keepAnswering: Handler = async (conn, requests) => {
  for (let n = 1;; n++) {
    if ((await requests.next()) === null) return;
    await write(conn, ok(`{"ok":true,"result":${n}}`));
  }
};

/** The two ways a Bot API call is made: grammY's client over `httpFetch`, and the bot's Api. */
const CLIENTS: [string, (root: string, timeoutSeconds: number) => Api][] = [
  ["grammY's client", (root, timeout) => new Api("1:token", clientOptions(root, timeout))],
  ["the bot's Api", (root, timeout) => botApi("1:token", root, timeout)],
];

Deno.test("keep-alive: calls one after another share one connection; the request is as sent", async () => {
  await using server = rawServer(keepAnswering);
  for (let n = 1; n <= 3; n++) {
    const response = await post(server.root, `{"chat_id":${n},"text":"héllo"}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.deepEqual(await response.json(), { ok: true, result: n });
  }
  assert.equal(server.connections, 1);
  assert.equal(server.seen.length, 3);
  const { head, body } = server.seen[2];
  assert.match(head, /^POST \/bot1:token\/sendMessage HTTP\/1\.1\r\n/);
  assert.match(head, /\r\nhost: 127\.0\.0\.1:\d+\r\n/);
  assert.match(head, /\r\ncontent-type: application\/json\r\n/);
  assert.equal(body, '{"chat_id":3,"text":"héllo"}');
});

Deno.test("calls at once each get a connection: none waits behind a long poll", async () => {
  await using server = rawServer(async (conn, requests) => {
    for (;;) {
      const request = await requests.next();
      if (request === null) return;
      if (request.head.includes("getUpdates")) await new Promise((r) => setTimeout(r, 300));
      await write(conn, ok('{"ok":true,"result":[]}'));
    }
  });
  const poll = httpFetch(`${server.root}/bot1:token/getUpdates`, { method: "POST", body: "{}" });
  await new Promise((r) => setTimeout(r, 20));
  const started = performance.now();
  await (await post(server.root)).json();
  assert.ok(performance.now() - started < 200, "the send waited behind the long poll");
  await (await poll).json();
  assert.equal(server.connections, 2);
});

Deno.test("a server closing an idle keep-alive connection: the next call goes on a fresh one, once", async () => {
  await using server = rawServer(async (conn, requests) => {
    // answers one request with keep-alive, then closes the connection, as on an idle timeout
    if ((await requests.next()) === null) return;
    await write(conn, ok('{"ok":true,"result":1}'));
    await new Promise((r) => setTimeout(r, 50));
  });
  assert.deepEqual(await (await post(server.root)).json(), { ok: true, result: 1 });
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(await (await post(server.root)).json(), { ok: true, result: 1 });
  assert.equal(server.connections, 2);
  assert.equal(server.seen.length, 2, "each call's request reached the server once");
});

Deno.test("Connection: close is honoured: the next call opens a new connection", async () => {
  await using server = rawServer(async (conn, requests) => {
    if ((await requests.next()) === null) return;
    await write(conn, ok('{"ok":true,"result":1}', "connection: close\r\n"));
  });
  for (let n = 0; n < 3; n++) {
    assert.deepEqual(await (await post(server.root)).json(), { ok: true, result: 1 });
  }
  assert.equal(server.connections, 3);
  assert.equal(server.seen.length, 3);
});

Deno.test("chunked bodies (split, with extensions and trailers), 1xx skipped, bodies to the close", async () => {
  await using server = rawServer(async (conn, requests) => {
    for (let n = 0;; n++) {
      if ((await requests.next()) === null) return;
      if (n === 0) {
        await write(
          conn,
          "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n",
        );
        await write(conn, '5;ext=1\r\n{"ok"\r\n');
        await new Promise((r) => setTimeout(r, 20));
        await write(conn, 'b\r\n:true,"resu\r\n');
        await write(conn, 'B\r\nlt":"chunk"\r\n1\r\n}\r\n0\r\nx-trailer: 1\r\n\r\n');
      } else {
        await write(conn, 'HTTP/1.1 200 OK\r\n\r\n{"ok":true,');
        await new Promise((r) => setTimeout(r, 20));
        await write(conn, '"result":"to the close"}');
        return;
      }
    }
  });
  assert.deepEqual(await (await post(server.root)).json(), { ok: true, result: "chunk" });
  assert.deepEqual(await (await post(server.root)).json(), { ok: true, result: "to the close" });
  assert.equal(server.connections, 1, "the chunked answer kept the connection");
  assert.deepEqual(await (await post(server.root)).json(), { ok: true, result: "chunk" });
  assert.equal(server.connections, 2, "the answer read to the close did not keep its connection");
});

Deno.test("an answer that never comes: the abort rejects at once with its reason and closes the connection", async () => {
  let closed = false;
  await using server = rawServer(async (_conn, requests) => {
    await requests.next();
    closed = (await requests.next()) === null;
  });
  const controller = new AbortController();
  const reason = new Error("timed out");
  setTimeout(() => controller.abort(reason), 100);
  const started = performance.now();
  const error = await post(server.root, "{}", controller.signal).catch((e) => e);
  assert.equal(error, reason);
  assert.ok(performance.now() - started < 1000);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(closed, true, "the connection was closed");
  const already = await post(server.root, "{}", AbortSignal.abort()).catch((e) => e);
  assert.equal((already as DOMException).name, "AbortError");
});

for (const [name, make] of CLIENTS) {
  Deno.test(`${name}: a slow answer past the timeout is an HttpError, the connection closed`, async () => {
    let closed = false;
    await using server = rawServer(async (conn, requests) => {
      await requests.next();
      closed = (await conn.read(new Uint8Array(1)).catch(() => null)) === null;
    });
    const started = performance.now();
    const error = await make(server.root, 1).sendMessage(1, "hi").catch((e) => e);
    assert.ok(error instanceof HttpError, String(error));
    assert.equal(judge(error).kind, "retry");
    assert.ok(performance.now() - started < 3000);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(closed, true);
  });
}

Deno.test("a reset in the middle of an answer is a network error, never sent again", async () => {
  await using server = rawServer(async (conn, requests) => {
    // a first answer whole, keeping the connection; the second cut after a part
    if ((await requests.next()) === null) return;
    await write(conn, ok('{"ok":true,"result":1}'));
    if ((await requests.next()) === null) return;
    await write(conn, 'HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"ok":tr');
  });
  await (await post(server.root)).json();
  const error = await post(server.root).catch((e) => e);
  assert.ok(error instanceof TypeError, String(error));
  assert.ok(!error.message.includes("token"), "the URL (with the token) is not in the message");
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(server.seen.length, 2, "the cut call was not sent again");
  assert.equal(server.connections, 1);
});

Deno.test("a fresh connection closed without an answer: a network error, not sent again", async () => {
  await using server = rawServer(async (_conn, requests) => {
    await requests.next();
  });
  const error = await post(server.root).catch((e) => e);
  assert.ok(error instanceof TypeError, String(error));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(server.seen.length, 1);
  assert.equal(server.connections, 1);
});

Deno.test("a reset before the request is read (unread bytes at the close): a network error", async () => {
  await using server = rawServer(async (conn) => {
    await new Promise((r) => setTimeout(r, 50));
    await write(conn, "HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n{");
    // closed with the request unread: the kernel sends a reset
  });
  const error = await post(server.root, "x".repeat(100_000)).catch((e) => e);
  assert.ok(error instanceof TypeError, String(error));
  assert.equal(server.connections, 1);
});

Deno.test("an answer larger than the cap is an error", async () => {
  await using server = rawServer(async (conn, requests) => {
    await requests.next();
    await write(conn, `HTTP/1.1 200 OK\r\ncontent-length: ${BODY_MAX + 1}\r\n\r\n{`);
  });
  const error = await post(server.root).catch((e) => e);
  assert.ok(error instanceof TypeError, String(error));
  assert.match(error.message, /too large/);
});

for (const [name, make] of CLIENTS) {
  Deno.test(`${name}: a proxy's HTML 403 is a TransportError (HttpError), Telegram's JSON a verdict`, async () => {
    const page = "<html><body><h1>403 Forbidden</h1><hr>nginx</body></html>";
    await using server = rawServer(async (conn, requests) => {
      if ((await requests.next()) === null) return;
      await write(
        conn,
        `HTTP/1.1 403 Forbidden\r\ncontent-type: text/html\r\ncontent-length: ${page.length}\r\n\r\n${page}`,
      );
      if ((await requests.next()) === null) return;
      const own =
        '{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}';
      await write(
        conn,
        `HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: ${own.length}\r\n\r\n${own}`,
      );
    });
    const api = make(server.root, 5);
    const proxy = await api.sendMessage(1, "hi").catch((e) => e);
    assert.ok(proxy instanceof HttpError, String(proxy));
    assert.ok(proxy.error instanceof TransportError);
    assert.deepEqual(judge(proxy), {
      kind: "retry",
      status: 403,
      description: "not Telegram's answer: 403 Forbidden: 403 Forbidden nginx",
    });
    const own = await api.sendMessage(1, "hi").catch((e) => e);
    assert.ok(own instanceof GrammyError);
    assert.equal(judge(own).kind, "unreachable");
    assert.equal(server.connections, 1);
  });
}

Deno.test("the bot's Api: a JSON call as grammY's client sends it, its answer and errors alike", async () => {
  const answers = [
    '{"ok":true,"result":{"message_id":7}}',
    '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5",' +
    '"parameters":{"retry_after":5}}',
    "not json",
  ];
  await using server = rawServer(async (conn, requests) => {
    for (const [i, answer] of answers.entries()) {
      if ((await requests.next()) === null) return;
      const status = i === 1 ? "429 Too Many Requests" : "200 OK";
      await write(conn, `HTTP/1.1 ${status}\r\ncontent-length: ${answer.length}\r\n\r\n${answer}`);
    }
  });
  const api = botApi("1:token", server.root, 5);
  const sent = await api.sendMessage(5, "привет", {
    reply_markup: undefined,
    message_thread_id: null as unknown as number,
  });
  assert.deepEqual(sent, { message_id: 7 });
  const [first] = server.seen;
  assert.match(first.head, /^POST \/bot1:token\/sendMessage HTTP\/1\.1\r\n/);
  assert.match(first.head, /\r\ncontent-type: application\/json\r\n/i);
  assert.deepEqual(
    JSON.parse(first.body),
    { chat_id: 5, text: "привет" },
    "null and undefined left out",
  );
  const limited = await api.sendMessage(5, "x").catch((e) => e);
  assert.ok(limited instanceof GrammyError, String(limited));
  assert.equal(limited.error_code, 429);
  assert.deepEqual(judge(limited), { kind: "rate_limited", waitMs: 5000 });
  const garbled = await api.sendMessage(5, "x").catch((e) => e);
  assert.ok(garbled instanceof HttpError, String(garbled));
  assert.equal(judge(garbled).kind, "retry");
  assert.equal(server.connections, 1, "one kept-alive connection for all three");
});

Deno.test("the bot's Api: an abort (polling stopped) ends a long poll at once; an upload goes as multipart", async () => {
  let closed = false;
  await using poll = rawServer(async (conn, requests) => {
    await requests.next();
    closed = (await conn.read(new Uint8Array(1)).catch(() => null)) === null;
  });
  const controller = new AbortController();
  const api = botApi("1:token", poll.root, 60);
  const polling = api.getUpdates({ timeout: 50 }, controller.signal as never).catch((e) => e);
  await new Promise((r) => setTimeout(r, 100));
  const started = performance.now();
  controller.abort();
  assert.ok((await polling) instanceof HttpError);
  assert.ok(performance.now() - started < 1000);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(closed, true);

  let type = "";
  let got = "";
  await using upload = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      type = request.headers.get("content-type") ?? "";
      got = await request.text();
      return Response.json({ ok: true, result: { message_id: 9 } });
    },
  );
  const files = botApi("1:token", `http://127.0.0.1:${upload.addr.port}`, 5);
  const doc = new InputFile(new TextEncoder().encode("a history file"), "history.txt");
  assert.deepEqual(await files.sendDocument(3, doc), { message_id: 9 });
  assert.match(type, /^multipart\/form-data/);
  assert.ok(got.includes("a history file"));

  // A file deep inside the payload (an album's item) is an upload too.
  const photo = new InputFile(new TextEncoder().encode("a photo's bytes"), "photo.jpg");
  const album = [{ type: "photo", media: photo }, { type: "photo", media: "AgAD" }] as const;
  await files.sendMediaGroup(3, [...album]);
  assert.match(type, /^multipart\/form-data/);
  assert.ok(got.includes("a photo's bytes"));
  assert.ok(got.includes("AgAD"));
  // A payload that is no JSON at all is refused as grammY's client refuses it, nothing sent.
  type = "";
  const notJson = { message_thread_id: 1n as never };
  const refused = await files.sendMessage(3, "x", notJson).catch((e) => e);
  assert.ok(refused instanceof HttpError, String(refused));
  assert.equal(type, "");
});

Deno.test("a stream body (a multipart upload) goes through Deno's fetch", async () => {
  let got = "";
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      got = await request.text();
      return Response.json({ ok: true, result: true });
    },
  );
  const response = await httpFetch(`http://127.0.0.1:${server.addr.port}/upload`, {
    method: "POST",
    body: new Blob(["a file"]).stream(),
  });
  assert.deepEqual(await response.json(), { ok: true, result: true });
  assert.equal(got, "a file");
});

/** Runs `openssl` with `args` in `dir`; false when it is not installed. */
async function openssl(dir: string, ...args: string[]): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("openssl", { args, cwd: dir, stderr: "null" })
      .output();
    return success;
  } catch {
    return false;
  }
}

const HAS_OPENSSL = await openssl(".", "version");

Deno.test({
  name: "TLS: the roots are Deno's, DENO_CERT included; connections kept over TLS too",
  ignore: !HAS_OPENSSL,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      assert.ok(
        await openssl(
          dir,
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          "ca.key",
          "-out",
          "ca.pem",
          "-days",
          "2",
          "-subj",
          "/CN=test CA",
        ),
      );
      await Deno.writeTextFile(
        `${dir}/ext.cnf`,
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n",
      );
      assert.ok(
        await openssl(
          dir,
          "req",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          "key.pem",
          "-out",
          "leaf.csr",
          "-subj",
          "/CN=localhost",
        ),
      );
      assert.ok(
        await openssl(
          dir,
          "x509",
          "-req",
          "-in",
          "leaf.csr",
          "-CA",
          "ca.pem",
          "-CAkey",
          "ca.key",
          "-CAcreateserial",
          "-out",
          "cert.pem",
          "-days",
          "2",
          "-extfile",
          "ext.cnf",
        ),
      );
      const peers = new Set<string>();
      await using server = Deno.serve({
        hostname: "127.0.0.1",
        port: 0,
        cert: await Deno.readTextFile(`${dir}/cert.pem`),
        key: await Deno.readTextFile(`${dir}/key.pem`),
        onListen: () => {},
      }, (_request, info) => {
        peers.add(`${(info.remoteAddr as Deno.NetAddr).port}`);
        return Response.json({ ok: true, result: "tls" });
      });
      const client = new URL("../src/telegram/http.ts", import.meta.url).href;
      const script = `import { httpFetch } from "${client}";
        const url = "https://localhost:${server.addr.port}/bot1:token/getMe";
        const init = { method: "POST", body: "{}", headers: { "content-type": "application/json" } };
        const out = [];
        for (let n = 0; n < 2; n++) {
          out.push(await httpFetch(url, init).then((r) => r.json(), (e) => String(e.cause ?? e)));
        }
        console.log(JSON.stringify(out));
        Deno.exit(0);`;
      const run = async (env: Record<string, string>) => {
        const { stdout } = await new Deno.Command(Deno.execPath(), {
          args: ["eval", script],
          env,
          stderr: "inherit",
        }).output();
        return JSON.parse(decoder.decode(stdout));
      };
      const trusted = await run({ DENO_CERT: `${dir}/ca.pem` });
      assert.deepEqual(trusted, [{ ok: true, result: "tls" }, { ok: true, result: "tls" }]);
      assert.equal(peers.size, 1, "both calls went on one TLS connection");
      const unknown = await run({});
      assert.match(unknown[0], /certificate|UnknownIssuer/i);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("the bot's Api: a short timeout after a long one still fires on time (one timer for all)", async () => {
  await using server = rawServer(async (conn, requests) => {
    await requests.next();
    await conn.read(new Uint8Array(1)).catch(() => null);
  });
  const controller = new AbortController();
  const poll = botApi("1:token", server.root, 60)
    .getUpdates({ timeout: 50 }, controller.signal as never).catch((e) => e);
  await new Promise((r) => setTimeout(r, 50));
  const started = performance.now();
  const error = await botApi("1:token", server.root, 1).sendMessage(1, "hi").catch((e) => e);
  const took = performance.now() - started;
  assert.ok(error instanceof HttpError, String(error));
  assert.ok(took >= 900 && took < 2500, `timed out after ${took} ms`);
  controller.abort();
  assert.ok((await poll) instanceof HttpError);
});

Deno.test("a request's bytes: its UTF-8 counted as TextEncoder writes it, the body whole", () => {
  const texts = [
    "",
    "plain ASCII",
    "привет, мир",
    "€ and ✓ (three bytes each)",
    "😀 a pair, 👍🏽 two",
    "a lone high \ud83d at the end \ud83d",
    "a lone low \ude00 in the middle",
    "\ud83d\ud83d\ude00 a high before a pair",
    "mixed: ü€😀x".repeat(50),
  ];
  for (const text of texts) {
    assert.equal(utf8Length(text), encoder.encode(text).length, JSON.stringify(text));
    const body = JSON.stringify({ chat_id: 5, text });
    const bytes = requestOf(originOf("http://127.0.0.1:8081/api")!, "/bot1:x/sendMessage", body);
    const expected = encoder.encode(
      `POST /api/bot1:x/sendMessage HTTP/1.1\r\nhost: 127.0.0.1:8081\r\n` +
        `content-type: application/json\r\naccept: */*\r\n` +
        `user-agent: ${/user-agent: ([^\r]*)/.exec(decoder.decode(bytes))![1]}\r\n` +
        `content-length: ${encoder.encode(body).length}\r\n\r\n${body}`,
    );
    assert.deepEqual(bytes, expected, JSON.stringify(text));
  }
});
