/**
 * Playing Telegram's side of a webhook: the environment of a bot in webhook mode on a free
 * port, and posting updates to it over real HTTP with the secret header.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { App } from "../../src/app.ts";
import type { PushedMessage } from "./telegram.ts";

/** The webhook secret of every webhook test bot. */
export const SECRET = "wh_Secret-0123456789abcdefXYZ";
/** The path of the webhook URL. */
export const HOOK_PATH = "/tg/hook-7f3a";

/** The environment of a bot in webhook mode on a free port of 127.0.0.1. */
export const WEBHOOK_ENV = {
  WEBHOOK_URL: `https://desk.example.com${HOOK_PATH}`,
  WEBHOOK_SECRET: SECRET,
  HOST: "127.0.0.1",
  PORT: "0",
};

/** The bot's own base URL. */
export function base(app: App): string {
  assert.ok(app.http, "the bot runs an HTTP server");
  return `http://127.0.0.1:${app.http.addr.port}`;
}

/**
 * POSTs `body` (JSON-encoded unless a string) to `path` of the bot (an in-process app, or the
 * base URL of a bot process), with the secret header unless `secret` is null.
 */
export async function post(
  bot: App | string,
  body: unknown,
  secret: string | null = SECRET,
  path = HOOK_PATH,
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== null) headers["X-Telegram-Bot-Api-Secret-Token"] = secret;
  const response = await fetch((typeof bot === "string" ? bot : base(bot)) + path, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

/** The update Telegram would post for a message a test user wrote. */
export function asUpdate(pushed: PushedMessage): Record<string, unknown> {
  return { update_id: pushed.update_id, message: pushed.message };
}
