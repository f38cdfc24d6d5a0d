/**
 * The Telegram Bot API emulator: a Bot API server on `127.0.0.1` that behaves as Telegram
 * documents. It is part of the product, used by `deno task sandbox` (try the bot without
 * Telegram) and by the tests and benchmarks (through `tests/support/telegram.ts`); one emulator,
 * one behaviour. Nothing in `start` imports it.
 *
 * It listens on `127.0.0.1` with a random port, speaks the Bot API over real HTTP (JSON,
 * multipart/form-data, urlencoded forms and GET query strings), records every call, lets the
 * test play the users by pushing updates that the bot fetches with `getUpdates`, and can inject
 * faults (blocked chats, error replies, dropped connections, delays, rate limits).
 *
 * ```ts
 * const tg = await FakeTelegram.start();
 * const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
 * tg.sendText(user(42, "Ann"), "/start");
 * const call = await tg.waitForCall("sendMessage", (c) => c.params.chat_id === 42);
 * await tg.close();
 * ```
 *
 * Where the parts live: `server.ts` (the {@link FakeTelegram} class; notes on fidelity),
 * `calls.ts` (the recorded calls, waiting for them), `requests.ts` (the wire format),
 * `objects.ts` (users, chats, messages), `files.ts`, `updates.ts` (the queue `getUpdates`
 * serves), `methods.ts` (the Bot API methods) and `faults.ts` (injected failures and flood
 * limits).
 *
 * @module
 */

export type { FailOptions, RateLimitOptions } from "./faults.ts";
export type { AlbumKind, MediaKind, SendMediaOptions } from "./files.ts";
export type { MethodHandler } from "./methods.ts";
export {
  type CallbackQueryOptions,
  type FakeUser,
  type PushedMessage,
  user,
  userObject,
} from "./objects.ts";
export { type ApiReply, FakeApiError, type RecordedFile } from "./requests.ts";
export type { ApiCall, WaitForCallOptions, WaitOptions } from "./calls.ts";
export { FakeTelegram, type FakeTelegramOptions } from "./server.ts";
