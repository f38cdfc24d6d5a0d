/**
 * What a failed Bot API call means (`src/outbox/failures.ts`) and which error answers are
 * Telegram's own (`src/telegram/client.ts`), directly: only Telegram's JSON is a verdict; a
 * proxy's page, a body that is not JSON, JSON without `ok`, `error_code` and `description`
 * are failures on the way, retried like a 5xx whatever their status (issue 22).
 */
import assert from "node:assert/strict";
import { Api, GrammyError, HttpError } from "grammy";
import { judge, TransportError } from "../src/outbox/failures.ts";
import { clientOptions, telegramError, transportError } from "../src/telegram/client.ts";

const PAGE = "<html><head><title>403 Forbidden</title></head>\r\n<body><h1>403 Forbidden</h1>" +
  "<hr>nginx</body></html>";

Deno.test("telegramError: only JSON with ok false, a whole error_code and a description", () => {
  const own =
    '{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}';
  assert.deepEqual(telegramError(own), JSON.parse(own));
  const withParameters = '{"ok":false,"error_code":429,"description":"Too Many Requests: retry ' +
    'after 5","parameters":{"retry_after":5}}';
  assert.deepEqual(telegramError(withParameters), JSON.parse(withParameters));
  for (
    const other of [
      PAGE,
      "404 page not found",
      "",
      "null",
      "[]",
      '"Forbidden"',
      '{"ok":false}',
      '{"ok":false,"error_code":400}',
      '{"ok":false,"description":"Bad Request"}',
      '{"error_code":403,"description":"Forbidden"}',
      '{"ok":true,"error_code":403,"description":"Forbidden"}',
      '{"ok":false,"error_code":"403","description":"Forbidden"}',
      '{"ok":false,"error_code":403.5,"description":"Forbidden"}',
      '{"ok":false,"error_code":403,"description":null}',
      '{"error":"forbidden by policy"}',
    ]
  ) {
    assert.equal(telegramError(other), undefined, other);
  }
});

Deno.test("transportError: the status, and the page's words without its tags, cut short", () => {
  const page = transportError(403, "Forbidden", PAGE);
  assert.ok(page instanceof TransportError);
  assert.equal(page.status, 403);
  assert.equal(
    page.message,
    "not Telegram's answer: 403 Forbidden: 403 Forbidden 403 Forbidden nginx",
  );
  assert.equal(transportError(502, "", "").message, "not Telegram's answer: 502");
  const long = transportError(500, "Internal Server Error", "x".repeat(5000));
  assert.ok(long.message.length < 300, long.message);
});

Deno.test("judge: Telegram's 403 is the chat gone, its 400 final; a page with the same status is retried", () => {
  const own = (code: number, description: string) =>
    new GrammyError(
      "Call to 'sendMessage' failed!",
      {
        ok: false,
        error_code: code,
        description,
      },
      "sendMessage",
      {},
    );
  assert.equal(judge(own(403, "Forbidden: bot was blocked by the user")).kind, "unreachable");
  assert.equal(judge(own(400, "Bad Request: chat not found")).kind, "unreachable");
  assert.equal(judge(own(400, "Bad Request: message text is empty")).kind, "rejected");
  assert.equal(judge(own(404, "Not Found")).kind, "rejected");
  for (const status of [400, 403, 404, 502]) {
    const wrapped = new HttpError("Network request failed!", transportError(status, "", PAGE));
    const verdict = judge(wrapped);
    assert.equal(verdict.kind, "retry");
    assert.equal(verdict.kind === "retry" && verdict.status, status);
    assert.match(verdict.kind === "retry" ? verdict.description : "", /nginx/);
  }
  assert.deepEqual(judge(new HttpError("Network request failed!", new Error("reset"))), {
    kind: "retry",
    status: null,
    description: "Network request failed! reset",
  });
});

Deno.test("through grammY: a proxy's 403 page is an HttpError (retried), Telegram's 403 a GrammyError", async () => {
  let body = PAGE;
  let type = "text/html";
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(body, { status: 403, headers: { "content-type": type } }),
  );
  const api = new Api("1:token", clientOptions(`http://127.0.0.1:${server.addr.port}`, 5));
  const page = await api.sendMessage(1, "hi").catch((error) => error);
  assert.ok(page instanceof HttpError, String(page));
  assert.deepEqual(judge(page), {
    kind: "retry",
    status: 403,
    description: "not Telegram's answer: 403 Forbidden: 403 Forbidden 403 Forbidden nginx",
  });
  body = '{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}';
  type = "application/json";
  const own = await api.sendMessage(1, "hi").catch((error) => error);
  assert.ok(own instanceof GrammyError, String(own));
  assert.deepEqual(judge(own), {
    kind: "unreachable",
    status: 403,
    description: "Forbidden: bot was blocked by the user",
  });
});
