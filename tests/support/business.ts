/**
 * Telegram Business in the tests: the company account's owner, a client who writes to it and
 * never started the bot, waiting for what the account sent into a business chat, and the
 * check that nothing went to that client as the bot itself.
 *
 * @module
 */
import assert from "node:assert/strict";
import { shownText } from "./harness.ts";
import { type ApiCall, type FakeTelegram, user } from "./telegram.ts";

/** The owner of the company account. */
export const owner = user(500, "Shop");
/** A client of the company who never started the bot. */
export const ann = user(4242, "Ann");

/** Waits for a call the account made into the business chat with `clientId`. */
export function waitAsAccount(
  tg: FakeTelegram,
  clientId: number,
  check: (call: ApiCall) => boolean,
  message: string,
  after = 0,
): Promise<ApiCall> {
  return tg.waitFor(
    (calls) =>
      calls.slice(after).find((c) =>
        c.ok && c.params.business_connection_id !== undefined &&
        Number(c.params.chat_id) === clientId && check(c)
      ),
    { message },
  );
}

/** Nothing went (or was tried) to the client's chat as the bot itself. */
export function neverAsTheBot(tg: FakeTelegram, clientId: number): void {
  const asBot = tg.calls.filter((c) =>
    Number(c.params.chat_id) === clientId && c.params.business_connection_id === undefined &&
    !["setMyCommands", "deleteMyCommands", "getUpdates"].includes(c.method)
  );
  assert.deepEqual(asBot.map((c) => `${c.method} ${shownText(c)}`), [], "sent as the bot");
}

/** The texts and captions the account sent into the business chat with `clientId`. */
export function accountTexts(tg: FakeTelegram, id: string, clientId: number): unknown[] {
  return tg.businessMessagesIn(id, clientId)
    .filter((m) => (m.from as { id: number }).id === owner.id && m.sender_business_bot)
    .map((m) => m.text ?? m.caption ?? "");
}
