/**
 * The checks of parameters that the fake's methods share, each answering as the Bot API
 * server does (`Bad Request: …`).
 *
 * @module
 */

import { FakeApiError } from "./requests.ts";

/** `chat_id`, required by every method that acts in a chat. */
export function requireChat(params: Record<string, unknown>): void {
  if (params.chat_id === undefined || params.chat_id === "") {
    throw new FakeApiError(400, "Bad Request: chat_id is empty");
  }
}

/** A required parameter the Bot API reads as a string (`Parameter "name" is required`). */
export function requireParam(params: Record<string, unknown>, name: string): void {
  if (params[name] === undefined || params[name] === "") {
    throw new FakeApiError(400, `Bad Request: parameter "${name}" is required`);
  }
}

/** Telegram's check of a caption's length (the fake does not parse `parse_mode`). */
export function checkCaption(caption: unknown, parseMode: unknown): void {
  if (typeof caption === "string" && parseMode === undefined && caption.length > 1024) {
    throw new FakeApiError(400, "Bad Request: message caption is too long");
  }
}

/** `message_id`, required by the methods that act on one message. */
export function requireMessageId(params: Record<string, unknown>): void {
  if (params.message_id === undefined) {
    throw new FakeApiError(400, "Bad Request: message identifier is not specified");
  }
}
