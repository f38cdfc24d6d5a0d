/**
 * A client's flood, on the desk's side. Beyond `CLIENT_RELAY_PER_MINUTE` a client's message is
 * folded: kept, not relayed on its own, and shown to staff in a digest (`src/outbox/digest.ts`:
 * texts merged into as few messages as Telegram allows, each piece after its time, media as
 * albums), so that a flood cannot hold the staff chat and no word of it is hidden. This file
 * writes the digest's steps (deliveries of the job `foldSummary`):
 *
 * - the first a window (`FOLD_WINDOW_MS`) after the first folded message, in the lane of what
 *   goes later (it waits without holding anything back; the bot's notices keep their place
 *   ahead of it in the chat);
 * - each next one in the transaction that records the step before (the outbox's record, see
 *   `recorder.ts`), as long as folded messages are left: at once while the digest has posted
 *   fewer messages in its window than the client's pace allows, else a window later, so that
 *   the digest is held to the same pace as the relays;
 * - when the ticket closes, what is left goes at once, ahead of the notice of the close (in
 *   the messages' lane, as notices, one step per part): the staff read the last words before
 *   "closed", and nothing waits on a window. Only a step that may be on its way already (due)
 *   is left to go on in its own lane, so that no part is shown twice; the close then comes
 *   first.
 * - a ban is the one case where what is left is not shown: the ban stops the client, so the
 *   waiting steps are cancelled and staff are told how many messages are only in the history.
 *   A part Telegram refuses for good is the other: staff are told how many it held.
 *
 * @module
 */
import { sendText } from "../outbox/builders.ts";
import type { Copy, FoldSummaryJob, JobCall } from "../outbox/calls.ts";
import { nextPart, PART_READ_LIMIT, partsOf, readerOf } from "../outbox/digest.ts";
import { LANE, PRIORITY } from "../outbox/lanes.ts";
import type { Delivery, Ticket } from "../store/mod.ts";
import { texts } from "../texts/mod.ts";
import { type DeskContext, nameOf } from "./context.ts";
import { FOLD_WINDOW_MS } from "./pace.ts";

/** Where a ticket's digest goes: a chat, and in team mode the client's topic in it. */
export interface DigestTarget {
  readonly chatId: number;
  /** Team mode: the client whose topic it goes to. */
  readonly topicOf?: number;
}

/** A due step is let be when it falls due within this: the sender may have it in hand. */
const IN_HAND_MS = 1000;

/** How many folded messages a closing ticket's digest is planned from at most. */
const CLOSE_PLAN_LIMIT = 10_000;

/** The digest's steps of a ticket waiting to go to `chatId`. */
function pendingSteps(
  ctx: DeskContext,
  chatId: number,
  ticketId: number,
): { id: number; due: number; job: FoldSummaryJob }[] {
  return ctx.store.pendingOf(chatId, "foldSummary")
    .map((row) => ({ id: row.id, due: row.due, job: JSON.parse(row.params) as FoldSummaryJob }))
    .filter((step) => step.job.ticket_id === ticketId);
}

/** A step of the digest of `ticket`'s folded messages from `from` on. */
function step(
  ticket: Ticket,
  from: number,
  target: DigestTarget,
  posted = 0,
): JobCall<"foldSummary"> {
  return {
    method: "foldSummary",
    params: {
      chat_id: target.chatId,
      ticket_id: ticket.id,
      client_id: ticket.clientId,
      from_message_id: from,
      ...(posted > 0 ? { posted } : {}),
      ...(target.topicOf !== undefined ? { topic_of: target.topicOf } : {}),
    },
  };
}

/**
 * Folds a client's message beyond their pace (saved already as `messageId`); the first of a
 * window has the digest written for a window later.
 */
export function foldMessage(
  ctx: DeskContext,
  ticket: Ticket,
  messageId: number,
  target: DigestTarget,
): void {
  ctx.store.fold(messageId);
  if (pendingSteps(ctx, target.chatId, ticket.id).length > 0) return;
  ctx.send(target.chatId, step(ticket, messageId, target), null, {
    at: ctx.now + FOLD_WINDOW_MS,
  });
}

/**
 * A ticket closes (not by a ban): its folded messages not shown yet, and `unsent` (its
 * relays still waiting, folded by the caller), go now, ahead of the notice of the close that
 * the caller writes next. See the module's comment.
 */
export function showBeforeClose(
  ctx: DeskContext,
  ticket: Ticket,
  target: DigestTarget,
  unsent: readonly number[],
): void {
  const steps = pendingSteps(ctx, target.chatId, ticket.id);
  // A step on its way: it goes on from where it is (its next steps come at once, see below).
  if (steps.some((s) => s.due <= ctx.now + IN_HAND_MS)) return;
  const from = Math.min(...steps.map((s) => s.job.from_message_id), ...unsent);
  if (!Number.isFinite(from)) return;
  for (const s of steps) ctx.store.cancelDelivery(s.id, "ticket closed: shown now", ctx.now);
  const reader = readerOf(
    ctx.store,
    { client_id: ticket.clientId },
    staffOf(target),
    ctx.config.timeZone,
  );
  const unshown = ctx.store.unshownFolded(ticket.id, from, CLOSE_PLAN_LIMIT);
  const place = { lane: LANE.messages, priority: PRIORITY.notice };
  for (const _ of partsOf(unshown, reader)) {
    ctx.send(target.chatId, step(ticket, from, target), null, { place });
  }
}

/**
 * A ticket closes by a ban: the digest's waiting steps are cancelled; returns how many folded
 * messages are left unshown (staff are told, the history keeps them).
 */
export function dropFolded(ctx: DeskContext, ticket: Ticket, target: DigestTarget): number {
  const steps = pendingSteps(ctx, target.chatId, ticket.id)
    .filter((s) => ctx.store.cancelDelivery(s.id, "ticket closed", ctx.now));
  if (steps.length === 0) return 0;
  return ctx.store.foldedSince(ticket.id, Math.min(...steps.map((s) => s.job.from_message_id)));
}

/**
 * A step of a digest was recorded (inside the record's transaction): the next step, when
 * folded messages are left and none waits. `copies`: one per message it posted.
 */
export function digestShown(ctx: DeskContext, delivery: Delivery, copies: readonly Copy[]): void {
  const job = JSON.parse(delivery.params) as FoldSummaryJob;
  next(ctx, delivery, job, (job.posted ?? 0) + copies.length);
}

/**
 * Telegram refused a step of a digest for good (a file it no longer has, say): the part it
 * carried is given up, staff are told how many messages it held (they are in the history),
 * and the digest goes on.
 */
export function digestRejected(ctx: DeskContext, delivery: Delivery): void {
  const job = JSON.parse(delivery.params) as FoldSummaryJob;
  const ticket = ctx.store.getTicket(job.ticket_id);
  if (!ticket) return;
  const target = targetOf(delivery, job);
  const reader = readerOf(ctx.store, job, staffOf(target), ctx.config.timeZone);
  const part = nextPart(
    ctx.store.unshownFolded(ticket.id, job.from_message_id, PART_READ_LIMIT),
    reader,
  );
  if (part === undefined) return;
  const lost = ctx.store.giveUpFolded(part.pieces.map((p) => p.id));
  const client = ctx.store.getUser(ticket.clientId);
  const language = target.topicOf !== undefined
    ? ctx.config.defaultLanguage
    : ctx.store.getUser(target.chatId)?.language ?? ctx.config.defaultLanguage;
  const text = texts(language).moreInHistory(
    client ? nameOf(client) : String(ticket.clientId),
    lost,
  );
  const notice = sendText(target.chatId, text);
  ctx.send(target.chatId, {
    ...notice,
    params: {
      ...notice.params,
      ...(target.topicOf !== undefined ? { topic_of: target.topicOf } : {}),
    },
  });
  next(ctx, delivery, job, (job.posted ?? 0) + 1);
}

/** The next step after `delivery`, if folded messages are left and no step waits. */
function next(ctx: DeskContext, delivery: Delivery, job: FoldSummaryJob, posted: number): void {
  const ticket = ctx.store.getTicket(job.ticket_id);
  if (!ticket || ctx.store.foldedSince(ticket.id, job.from_message_id) === 0) return;
  if (pendingSteps(ctx, delivery.chatId, ticket.id).length > 0) return;
  const target = targetOf(delivery, job);
  // A closing ticket's digest, or one within its window's pace: at once, where it was.
  if (ticket.status === "closed" || posted < ctx.config.clientRelayPerMinute) {
    const place = { lane: delivery.lane, priority: delivery.priority };
    ctx.send(delivery.chatId, step(ticket, job.from_message_id, target, posted), null, { place });
    return;
  }
  ctx.send(delivery.chatId, step(ticket, job.from_message_id, target), null, {
    at: ctx.now + FOLD_WINDOW_MS,
  });
}

function targetOf(delivery: Delivery, job: FoldSummaryJob): DigestTarget {
  return job.topic_of !== undefined
    ? { chatId: delivery.chatId, topicOf: job.topic_of }
    : { chatId: delivery.chatId };
}

/** The staff group's id when the digest goes to a topic in it. */
function staffOf(target: DigestTarget): number | undefined {
  return target.topicOf !== undefined ? target.chatId : undefined;
}
