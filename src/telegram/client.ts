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
 * @module
 */
import { Api, type ApiClientOptions } from "grammy";
import { TransportError } from "../outbox/failures.ts";
import { httpFetch } from "./http.ts";

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
  return new Api(token, clientOptions(apiRoot, timeoutSeconds));
}
