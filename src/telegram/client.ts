/**
 * The HTTP client of every Bot API call (polling and the outbox): Deno's own `fetch`, with one
 * change. An error answer that does not say what it is (a proxy's HTML 502, a self-hosted
 * server's bare 404, `{"ok":false}` without a code) is turned into the shape Telegram uses,
 * `{"ok":false,"error_code":<HTTP status>,"description":…}`, so that every failure carries
 * its HTTP status and a description: grammY would otherwise report `(undefined: undefined)`,
 * or take a 404 page for a network failure and retry it forever.
 *
 * @module
 */
import { Api, type ApiClientOptions } from "grammy";

/** The longest description kept from a body that is not Telegram's. */
const DESCRIPTION_MAX = 200;

/** `fetch` for grammY: see the module's comment. */
export async function telegramFetch(
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  const response = await fetch(input, init);
  if (response.ok) return response;
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      body = parsed as Record<string, unknown>;
    }
  } catch {
    // Not JSON: the status and a piece of the text say what happened.
  }
  const code = typeof body.error_code === "number" ? body.error_code : response.status;
  const given = typeof body.description === "string" ? body.description : "";
  const description = given ||
    `${response.status} ${response.statusText}`.trim() +
      (text.trim() && !("ok" in body) ? `: ${text.trim().slice(0, DESCRIPTION_MAX)}` : "");
  return Response.json({ ...body, ok: false, error_code: code, description }, {
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
