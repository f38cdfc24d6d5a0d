/**
 * The HTTP client of every Bot API call (polling and the outbox): `httpFetch` (`http.ts`: a
 * hand-written HTTP/1.1 client for string bodies, Deno's own `fetch` for the rest), with one
 * change to error answers. Telegram's own error, `{"ok":false,"error_code":…,"description":…}`,
 * is passed on for grammY to report as a `GrammyError`: Telegram's verdict on the call (403:
 * the chat is gone for the bot; another 4xx: this call can never go; 429: wait). Any other
 * error answer is no verdict of Telegram's: a proxy's or a firewall's HTML page (a 403 too), a
 * self-hosted server's bare 404, a body that is not JSON, JSON without those three fields.
 * It is thrown as a {@link TransportError} with its HTTP status and a piece of its body, which
 * grammY reports as an `HttpError`: a failure on the way, tried again like a 5xx (see
 * `src/outbox/failures.ts`), never a reason to close a ticket or refuse a message.
 *
 * (An earlier version turned every error answer into Telegram's shape, so that a failure
 * always had a status and a description; a proxy's 403 then closed tickets: issue 22.)
 *
 * Calls with a JSON body (all but uploads) skip grammY's client altogether: {@link
 * directCalls}, installed on every `Api` the bot makes, posts them with `postJson` and hands
 * grammY Telegram's answer, or throws what grammY's own client would (an `HttpError`). grammY's
 * client makes for each call an `AbortController`, a timer, three promises raced, the
 * `Request` and `Response` of `fetch`; at 200 messages a second, two calls each, that was
 * about 0.1 ms of CPU per message (issue 26, `tools/bench/http_client.ts`).
 *
 * @module
 */
import { Api, type ApiClientOptions, HttpError, InputFile, type Transformer } from "grammy";
import { TransportError } from "../outbox/failures.ts";
import { type Answer, httpFetch, type Origin, originOf, postJson } from "./http.ts";

/** The longest piece of a body that is not Telegram's kept in the error. */
const DESCRIPTION_MAX = 200;

/** Telegram's error answer, as the Bot API documents it. */
export interface TelegramErrorBody {
  readonly ok: false;
  readonly error_code: number;
  readonly description: string;
  readonly [field: string]: unknown;
}

/**
 * The body of an error answer when it is Telegram's own: JSON with `ok: false`, a numeric
 * `error_code` and a `description` (the Bot API: "If 'ok' equals False, the error is explained
 * in the 'description'. An Integer 'error_code' field is also returned"). Else `undefined`.
 */
export function telegramError(text: string): TelegramErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const body = parsed as Record<string, unknown>;
  if (body.ok !== false || typeof body.error_code !== "number") return undefined;
  if (!Number.isInteger(body.error_code) || typeof body.description !== "string") return undefined;
  return body as TelegramErrorBody;
}

/** The error of an answer that is not Telegram's: its status and a piece of its text. */
export function transportError(status: number, statusText: string, text: string): TransportError {
  const shown = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  const head = `${status} ${statusText}`.trim();
  const said = shown === "" ? head : `${head}: ${shown.slice(0, DESCRIPTION_MAX)}`;
  return new TransportError(status, statusText, `not Telegram's answer: ${said}`);
}

/** A function in the shape of `fetch`. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** `fetch` for grammY over `transport`: see the module's comment. */
export function telegramFetchOver(transport: Fetch): Fetch {
  return (input, init) => judged(transport(input, init));
}

/** `fetch` for grammY, over `httpFetch` (`http.ts`): see the module's comment. */
export const telegramFetch: Fetch = telegramFetchOver(httpFetch);

async function judged(answer: Promise<Response>): Promise<Response> {
  const response = await answer;
  if (response.ok) return response;
  const text = await response.text();
  const body = telegramError(text);
  if (body === undefined) throw transportError(response.status, response.statusText, text);
  return Response.json(body, {
    status: response.status,
    headers: { "content-type": "application/json" },
  });
}

/**
 * A transformer that makes every call with a JSON body itself, over `postJson`, and leaves
 * uploads (an `InputFile` anywhere in the payload) to grammY's client. Its answers and errors
 * are those of grammY's client over {@link telegramFetch}: Telegram's JSON (ok or not: grammY
 * throws a `GrammyError` for the latter), an `HttpError` for anything else, a timeout after
 * `timeoutSeconds` included. `undefined` when `apiRoot` cannot be reached this way (a proxy
 * configured, another scheme): then grammY's client does it all.
 */
export function directCalls(
  apiRoot: string,
  token: string,
  timeoutSeconds: number,
): Transformer | undefined {
  const origin = originOf(apiRoot);
  if (origin === undefined) return undefined;
  const prefix = `/bot${token}/`;
  const timeoutMs = timeoutSeconds * 1000;
  return (prev, method, payload, signal) => {
    // Telegram's answer as it came: grammY types it by the method called.
    type Answered = ReturnType<typeof prev<typeof method>>;
    let body: string;
    try {
      // As grammY does: `null` fields are left out.
      body = JSON.stringify(payload ?? {}, dropNull);
    } catch (error) {
      // A file to upload refuses to become JSON (see `dropNull`): grammY sends it as multipart.
      if (hasFile(payload)) return prev(method, payload, signal);
      const failed = new HttpError(`Network request for '${method}' failed!`, error);
      return Promise.reject(failed) as Answered;
    }
    // grammY's npm typings name the abort-controller shim's signal; at run time it is Deno's.
    const own = signal as unknown as AbortSignal | undefined;
    return direct(origin, prefix + method, method, body, own, timeoutMs) as Answered;
  };
}

async function direct(
  origin: Origin,
  path: string,
  method: string,
  json: string,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<unknown> {
  let answer: Answer;
  let text: string;
  try {
    answer = await postJson(origin, path, json, signal, timeoutMs);
    text = answer.body === null ? "" : decoder.decode(answer.body);
  } catch (error) {
    throw new HttpError(`Network request for '${method}' failed!`, error);
  }
  if (answer.status >= 200 && answer.status < 300) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new HttpError(`Network request for '${method}' failed!`, error);
    }
  }
  const body = telegramError(text);
  if (body !== undefined) return body;
  const error = transportError(answer.status, answer.statusText, text);
  throw new HttpError(
    `Network request for '${method}' failed! (${answer.status}: ${answer.statusText})`,
    error,
  );
}

const decoder = new TextDecoder();

/**
 * The replacer of a call's JSON: leaves `null` out, and throws at a file to upload. (grammY's
 * `InputFile` throws from its own `toJSON` before the replacer sees it; the check here holds
 * should it stop doing so.) The payload is walked once, by `JSON.stringify`: looking for files
 * first, in a walk of its own, cost one more walk per call and a deoptimization of that walk
 * every few hundred calls, as payloads of every shape went through it (issue 26).
 */
function dropNull(_key: string, value: unknown): unknown {
  if (value instanceof InputFile) throw new TypeError("an InputFile is no JSON");
  return value ?? undefined;
}

/** Whether a payload holds a file to upload (grammY then sends it as multipart). */
function hasFile(value: unknown): boolean {
  if (value instanceof InputFile) return true;
  if (typeof value !== "object" || value === null) return false;
  const fields = value as Record<string, unknown>;
  for (const key in fields) {
    const field = fields[key];
    if (typeof field === "object" && field !== null && hasFile(field)) return true;
  }
  return false;
}

/** Installs {@link directCalls} on `api` (when the API root allows it); returns `api`. */
export function withDirectCalls(api: Api, apiRoot: string, timeoutSeconds: number): Api {
  const direct = directCalls(apiRoot, api.token, timeoutSeconds);
  if (direct !== undefined) api.config.use(direct);
  return api;
}

/** grammY's client options for `config`, calls bounded by `timeoutSeconds`. */
export function clientOptions(apiRoot: string, timeoutSeconds: number): ApiClientOptions {
  return {
    apiRoot,
    timeoutSeconds,
    // grammY's npm typings name node-fetch's `fetch`; its web build calls Deno's, as this is.
    fetch: telegramFetch as unknown as ApiClientOptions["fetch"],
  };
}

/** A Bot API client for `token`, each call bounded by `timeoutSeconds`. */
export function botApi(token: string, apiRoot: string, timeoutSeconds: number): Api {
  return withDirectCalls(
    new Api(token, clientOptions(apiRoot, timeoutSeconds)),
    apiRoot,
    timeoutSeconds,
  );
}
