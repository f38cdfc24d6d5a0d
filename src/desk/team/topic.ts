/**
 * Writing into the staff groups in team mode: a line in a client's topic or in the General
 * topic (in the team's language), a call into a client's topic (`topic_of`: the sender puts
 * in the thread when it sends, see `src/outbox/topics.ts`), bringing a topic's title and
 * state in line, and which group is whose: the staff group of `STAFF_CHAT_ID`, and a
 * department's own (`DEPARTMENTS`' `@-100…`), where that department's tickets have their
 * topics. A client's topic is in the group of their latest ticket's department; a place in a
 * group is the group and the topic, never the topic alone.
 *
 * @module
 */
import type { OutboxCall } from "../../outbox/calls.ts";
import { sendText } from "../../outbox/builders.ts";
import type { Buttons } from "../../outbox/builders.ts";
import type { TeamConfig } from "../../config/mod.ts";
import { type Texts, texts } from "../../texts/mod.ts";
import type { DeskContext } from "../context.ts";
import type { User } from "../../store/mod.ts";
import { groupOfDepartment, staffGroups } from "../../rules/departments.ts";

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

/** Where in the staff groups something happened: a group, and a topic or General (`null`). */
export interface Where {
  readonly chatId: number;
  readonly thread: number | null;
}

/** The staff group of tickets in `department` (`null`: none). */
export function groupOf(ctx: DeskContext, department: string | null): number {
  return groupOfDepartment(ctx.config.departments, department, team(ctx).chatId);
}

/** The staff group of the client's topic now: the one of their latest ticket's department. */
export function groupOfClient(ctx: DeskContext, clientId: number): number {
  return groupOf(ctx, ctx.store.lastTicketOfClient(clientId)?.department ?? null);
}

/** Whether `chatId` is one of the staff groups. */
export function isStaffGroup(ctx: DeskContext, chatId: number): boolean {
  return staffGroups(ctx.config.departments, team(ctx).chatId).includes(chatId);
}

/** How the store names a staff group's topics: `null` for STAFF_CHAT_ID's, else its id. */
export function topicGroup(ctx: DeskContext, chatId: number): number | null {
  return chatId === team(ctx).chatId ? null : chatId;
}

/** The client whose topic `where` is, if it is one. */
export function clientAt(ctx: DeskContext, where: Where): User | undefined {
  if (where.thread === null) return undefined;
  return ctx.store.clientOfTopic(where.thread, topicGroup(ctx, where.chatId));
}

/**
 * Writes `call` into the topic of client `clientId`, in the group of their latest ticket (or
 * `chatId`).
 */
export function toTopic(
  ctx: DeskContext,
  clientId: number,
  call: OutboxCall,
  messageId: number | null = null,
  chatId: number = groupOfClient(ctx, clientId),
): void {
  const params = { ...call.params, chat_id: chatId, topic_of: clientId };
  ctx.send(chatId, { method: call.method, params } as OutboxCall, messageId);
}

/** A line of the team's in the topic of client `clientId` (in their group, or `chatId`'s). */
export function tellTopic(
  ctx: DeskContext,
  clientId: number,
  text: (t: Texts) => string,
  buttons?: Buttons,
  chatId: number = groupOfClient(ctx, clientId),
): void {
  toTopic(ctx, clientId, sendText(chatId, text(teamTexts(ctx)), { buttons }), null, chatId);
}

/** A line in a thread of a staff group: a client's topic, or the General topic. */
export function tellThread(
  ctx: DeskContext,
  where: Where,
  text: (t: Texts) => string,
  buttons?: Buttons,
): void {
  const { chatId, thread } = where;
  const client = clientAt(ctx, where);
  if (client) return tellTopic(ctx, client.userId, text, buttons, chatId);
  const call = sendText(chatId, text(teamTexts(ctx)), { buttons });
  const params = thread === null ? call.params : { ...call.params, message_thread_id: thread };
  ctx.send(chatId, { method: "sendMessage", params });
}

/** The General topic of the staff group `chatId` (by default STAFF_CHAT_ID's). */
export function general(ctx: DeskContext, chatId: number = team(ctx).chatId): Where {
  return { chatId, thread: null };
}

/**
 * Brings the client's topic (in their group, or `chatId`'s) in line with their latest ticket
 * (title, closed or open).
 */
export function syncTopic(
  ctx: DeskContext,
  clientId: number,
  chatId: number = groupOfClient(ctx, clientId),
): void {
  ctx.send(chatId, {
    method: "syncTopic",
    params: { chat_id: chatId, client_id: clientId, topic_of: clientId },
  });
}
