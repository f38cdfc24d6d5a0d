/**
 * Writing into the staff group in team mode: a line in a client's topic or in the General
 * topic (in the team's language), a call into a client's topic (`topic_of`: the sender puts
 * in the thread when it sends, see `src/outbox/topics.ts`), bringing a topic's title and
 * state in line, and the staff group's id.
 *
 * @module
 */
import type { OutboxCall } from "../../outbox/calls.ts";
import { sendText } from "../../outbox/builders.ts";
import type { Buttons } from "../../outbox/builders.ts";
import type { TeamConfig } from "../../config/mod.ts";
import { type Texts, texts } from "../../texts/mod.ts";
import type { DeskContext } from "../context.ts";

/** Team mode's settings: call only in team mode. */
export function team(ctx: DeskContext): TeamConfig {
  const team = ctx.config.team;
  if (team === null) throw new Error("not in team mode");
  return team;
}

/** The team's texts (the desk's default language). */
export function teamTexts(ctx: DeskContext): Texts {
  return texts(ctx.config.defaultLanguage);
}

/** Writes `call` (made for the staff group) into the topic of client `clientId`. */
export function toTopic(
  ctx: DeskContext,
  clientId: number,
  call: OutboxCall,
  messageId: number | null = null,
): void {
  const chatId = team(ctx).chatId;
  const params = { ...call.params, topic_of: clientId };
  ctx.send(chatId, { method: call.method, params } as OutboxCall, messageId);
}

/** A line of the team's in the topic of client `clientId`. */
export function tellTopic(
  ctx: DeskContext,
  clientId: number,
  text: (t: Texts) => string,
  buttons?: Buttons,
): void {
  const chatId = team(ctx).chatId;
  toTopic(ctx, clientId, sendText(chatId, text(teamTexts(ctx)), { buttons }));
}

/** A line in a thread of the staff group: a client's topic, or the General topic (`null`). */
export function tellThread(
  ctx: DeskContext,
  thread: number | null,
  text: (t: Texts) => string,
  buttons?: Buttons,
): void {
  const chatId = team(ctx).chatId;
  const client = thread === null ? undefined : ctx.store.clientOfTopic(thread);
  if (client) return tellTopic(ctx, client.userId, text, buttons);
  const call = sendText(chatId, text(teamTexts(ctx)), { buttons });
  const params = thread === null ? call.params : { ...call.params, message_thread_id: thread };
  ctx.send(chatId, { method: "sendMessage", params });
}

/** Brings the client's topic in line with their latest ticket (title, closed or open). */
export function syncTopic(ctx: DeskContext, clientId: number): void {
  const chatId = team(ctx).chatId;
  ctx.send(chatId, {
    method: "syncTopic",
    params: { chat_id: chatId, client_id: clientId, topic_of: clientId },
  });
}
