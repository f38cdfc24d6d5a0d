/**
 * Saved replies: an agent keeps up to {@link CANNED_MAX} named texts (`/canned add <name>
 * <text>`, `/canned del <name>`), sees them as buttons (`/canned`), and a press sends one to
 * the client as if the agent wrote it: in the history, and counted as a first response. The
 * list's buttons go once one is sent, and the agent sees the reply where they answer, linked
 * to the client's copy (a reply or a reaction to it reaches the client's).
 *
 * @module
 */
import type { User } from "../store/mod.ts";
import type { ButtonPress, DeskContext } from "./context.ts";
import { cannedButtons } from "./keyboards.ts";
import { answerWithText } from "./messages.ts";

/** The longest text Telegram takes in one message. */
const MESSAGE_MAX = 4096;

/**
 * How a saved reply is shown to staff: `shown` (a heading and the text), or the reply's `text`
 * alone when the heading would make it longer than one message may be.
 */
export function fitted(shown: string, text: string): string {
  return shown.length <= MESSAGE_MAX ? shown : text;
}

/** Saved replies an agent may keep (they are listed as buttons). */
export const CANNED_MAX = 50;
/** Longest saved reply. */
export const CANNED_MAX_TEXT = 4000;

/** What a `/canned` command asks for. */
export type CannedRequest =
  | { readonly action: "list" }
  | { readonly action: "add"; readonly name: string; readonly text: string }
  | { readonly action: "del"; readonly name: string }
  | { readonly action: "usage" };

/** Reads the arguments of `/canned`. */
export function parseCanned(args: string): CannedRequest {
  const trimmed = args.trim();
  if (trimmed === "") return { action: "list" };
  const add = /^add\s+(\S+)\s+([\s\S]+)$/i.exec(trimmed);
  if (add) return { action: "add", name: add[1], text: add[2].trim() };
  const del = /^(?:del|delete|rm)\s+(\S+)$/i.exec(trimmed);
  if (del) return { action: "del", name: del[1] };
  return { action: "usage" };
}

/** Whether a saved reply's name is acceptable: one word of letters, digits, - or _. */
export function validCannedName(name: string): boolean {
  return /^[\p{L}\p{N}_-]{1,32}$/u.test(name);
}

/** `/canned …`: lists, saves or deletes an agent's saved replies. */
export function canned(ctx: DeskContext, agent: User, request: { readonly args: string }): void {
  const { store } = ctx;
  const asked = parseCanned(request.args);
  switch (asked.action) {
    case "usage":
      return ctx.say(agent, (t) => t.cannedUsage);
    case "list": {
      const replies = store.cannedOf(agent.userId);
      if (replies.length === 0) return ctx.say(agent, (t) => t.cannedEmpty);
      return ctx.say(agent, (t) => t.cannedList, cannedButtons(replies));
    }
    case "del": {
      const deleted = store.deleteCanned(agent.userId, asked.name);
      return ctx.say(
        agent,
        (t) => deleted ? t.cannedDeleted(asked.name) : t.cannedUnknown(asked.name),
      );
    }
    case "add": {
      if (!validCannedName(asked.name)) return ctx.say(agent, (t) => t.cannedBadName);
      if (asked.text.length > CANNED_MAX_TEXT) {
        return ctx.say(agent, (t) => t.cannedTooLong(CANNED_MAX_TEXT));
      }
      const exists = store.cannedOf(agent.userId).some((r) => r.name === asked.name);
      if (!exists && store.cannedCount(agent.userId) >= CANNED_MAX) {
        return ctx.say(agent, (t) => t.cannedTooMany(CANNED_MAX));
      }
      store.saveCanned(agent.userId, asked.name, asked.text, ctx.now);
      return ctx.say(agent, (t) => t.cannedSaved(asked.name));
    }
  }
}

/** A saved reply's button pressed: its text goes to the agent's client, as the agent's. */
export function sendCanned(
  ctx: DeskContext,
  agent: User,
  press: ButtonPress,
  cannedId: number,
): void {
  const { store } = ctx;
  const reply = store.getCanned(cannedId);
  if (!reply || reply.agentId !== agent.userId || !agent.isAgent) {
    return ctx.answer(agent, press, (t) => t.buttonStale);
  }
  const ticket = ctx.ticketOf(agent);
  if (!ticket || ticket.status !== "open") return ctx.answer(agent, press, (t) => t.noDialog);
  const messageId = answerWithText(ctx, agent, ticket, reply.text, null);
  ctx.answer(agent, press, (t) => t.cannedSent(reply.name));
  // The list has done its job; the agent sees what went, linked to the client's copy.
  ctx.dropButtons(agent, press);
  ctx.channel.staff.showCanned(ctx, agent, ticket, messageId, reply);
}
