/**
 * The outbox: deliveries (Bot API calls waiting to be sent, in order per chat and lane, with
 * retries). Handled and parked updates are in `updates.ts`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import {
  changes,
  count,
  DELIVERY,
  type Delivery,
  type DeliveryStatus,
  insertedId,
  prepare,
} from "./rows.ts";

/** Above any delivery id: a head's key is `priority * HEAD_BASE + id`. */
const HEAD_BASE = 2 ** 52;

/** The key of a chat's lane among the busy ones given to `chatsDue` (lanes are 0 to 3). */
export function laneKey(chatId: number, lane: number): number {
  return chatId * 4 + lane;
}

const SQL = {
  insertDelivery: `INSERT INTO deliveries (chat_id, method, params, message_id, created_at, lane,
        priority, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  hasPending: `SELECT count(*) AS n FROM deliveries WHERE chat_id = ? AND status = 'pending'
        AND method = ?`,
  pendingOf: `SELECT id, params, next_attempt_at AS due FROM deliveries WHERE chat_id = ?
        AND status = 'pending' AND method = ? ORDER BY id`,
  cancelOne: `UPDATE deliveries SET status = 'cancelled', error = ?, done_at = ?
        WHERE id = ? AND status = 'pending'`,
  postpone: `UPDATE deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending'`,
  postponeMethod: `UPDATE deliveries SET next_attempt_at = max(next_attempt_at, ?)
        WHERE status = 'pending' AND method = ?`,
  cancelOfMessage: `UPDATE deliveries SET status = 'cancelled', error = ?, done_at = ?
        WHERE message_id = ? AND status = 'pending'`,
  cancelRelayed: `UPDATE deliveries SET status = 'cancelled', error = ?, done_at = ?
        WHERE chat_id = ? AND status = 'pending' AND message_id IN (
          SELECT id FROM messages WHERE ticket_id = ?)`,
  // The head of each (chat, lane) is its first pending delivery by (priority, id): the only
  // one that may go next. SQLite takes a bare column (next_attempt_at) from the row min()
  // picked, so one pass over the index finds every head (a window function took 3.6 times as
  // long); priority is folded into the key above any id. Busy lanes come as chat * 4 + lane.
  chatsDue: `SELECT chat_id AS chatId, lane, min(priority * ${HEAD_BASE} + id) AS head,
          next_attempt_at AS due
        FROM deliveries WHERE status = 'pending' GROUP BY chat_id, lane
        HAVING due <= ? AND chat_id * 4 + lane NOT IN (SELECT value FROM json_each(?))
        ORDER BY head % ${HEAD_BASE} LIMIT ?`,
  headOfLane: `SELECT ${DELIVERY} FROM deliveries WHERE chat_id = ? AND lane = ?
        AND status = 'pending' ORDER BY priority, id LIMIT 2`,
  shiftRetries: `UPDATE deliveries SET next_attempt_at = next_attempt_at + ?
        WHERE status = 'pending' AND next_attempt_at > 0`,
  nextRetryAt: `SELECT min(next_attempt_at) AS n FROM deliveries
        WHERE status = 'pending' AND next_attempt_at > ?`,
  markDone: `UPDATE deliveries SET status = ?, error = ?, done_at = ?,
        attempts = attempts + 1 WHERE id = ?`,
  retryLater: `UPDATE deliveries SET attempts = attempts + ?, next_attempt_at = ?, error = ?
        WHERE id = ?`,
  cancelPendingTo: `UPDATE deliveries SET status = 'cancelled', error = ?, done_at = ?
        WHERE chat_id = ? AND status = 'pending'`,
  pendingCount: `SELECT count(*) AS n FROM deliveries WHERE status = 'pending'`,
  deliveriesAfter: `SELECT id, status, created_at AS createdAt, done_at AS doneAt
        FROM deliveries WHERE id > ? ORDER BY id LIMIT ?`,
  deleteDeliveries: `DELETE FROM deliveries WHERE id IN (SELECT value FROM json_each(?))`,
};

/** A chat's lane whose next delivery is due. */
export interface DueLane {
  readonly chatId: number;
  readonly lane: number;
}

/** The functions over deliveries, on statements prepared once here. */
export function outboxQueries(db: DatabaseSync) {
  const s = prepare(db, SQL);
  /** Whether a delivery was written for a later time since the sender last asked. */
  let deferred = false;
  /** The lanes written a delivery due at once since the sender last asked, by `laneKey`. */
  let written = new Map<number, DueLane>();
  /** Deliveries inserted through this `Store` since it was made (rolled-back ones too). */
  let inserted = 0;
  return {
    /**
     * Adds a call (a method and its parameters, kept as JSON) to the outbox, in a lane of its
     * chat and with a priority (lower goes first within the lane); returns its id.
     */
    insertDelivery(
      chatId: number,
      call: { readonly method: string; readonly params: object },
      messageId: number | null,
      now: number,
      place: { readonly lane: number; readonly priority: number },
      /** Not before this wall time (0: at once). */
      dueAt = 0,
    ): number {
      inserted++;
      if (dueAt > now) deferred = true;
      else written.set(laneKey(chatId, place.lane), { chatId, lane: place.lane });
      const params = JSON.stringify(call.params);
      return insertedId(
        s.insertDelivery.run(
          chatId,
          call.method,
          params,
          messageId,
          now,
          place.lane,
          place.priority,
          dueAt,
        ),
      );
    },

    /** Whether a delivery of `method` waits to go to `chatId`. */
    hasPending(chatId: number, method: string): boolean {
      return count(s.hasPending.get(chatId, method)) > 0;
    },

    /**
     * The deliveries of `method` that wait to go to `chatId`: their ids, parameters and when
     * they are due (0: at once).
     */
    pendingOf(chatId: number, method: string): { id: number; params: string; due: number }[] {
      return s.pendingOf.all(chatId, method).map((row) => ({
        id: Number(row.id),
        params: String(row.params),
        due: Number(row.due),
      }));
    },

    /** Puts a delivery that still waits off until wall time `at`. */
    postpone(id: number, at: number): void {
      s.postpone.run(Math.ceil(at), id);
      deferred = true;
    },

    /**
     * Whether a delivery was written for a later time (a due time, a postponement) since the
     * last call: the sender then looks up when to wake, as it does after a retry. A write that
     * was rolled back leaves it set, which costs one needless look and nothing else.
     */
    takeDeferred(): boolean {
      const was = deferred;
      deferred = false;
      return was;
    },

    /**
     * How many deliveries were inserted through this `Store` so far, rolled-back ones
     * included: the pending ones grew by at most this much since it was last read.
     */
    insertedCount(): number {
      return inserted;
    },

    /**
     * The lanes written a delivery due at once since the last call (oldest first), so that
     * the sender finds new work without scanning the outbox. A hint, not the truth: a write
     * rolled back leaves its lane in, which costs one look that finds nothing. Only writes
     * through this `Store` count; whoever writes through another must wake the sender with
     * a full look (`Sender.wake`).
     */
    takeWritten(): Map<number, DueLane> {
      const was = written;
      if (was.size > 0) written = new Map();
      return was;
    },

    /** Puts every waiting delivery of `method` off until at least wall time `at`. */
    postponeMethod(method: string, at: number): number {
      return changes(s.postponeMethod.run(Math.ceil(at), method));
    },

    /** Cancels what still waits to carry the stored message `messageId`; returns how many. */
    cancelOfMessage(messageId: number, reason: string, now: number): number {
      return changes(s.cancelOfMessage.run(reason, now, messageId));
    },

    /** Cancels one delivery that still waits; false when it was not waiting. */
    cancelDelivery(id: number, reason: string, now: number): boolean {
      return changes(s.cancelOne.run(reason, now, id)) === 1;
    },

    /**
     * Cancels what still waits to carry a ticket's messages to `chatId` (its agent, when the
     * ticket closes); returns how many.
     */
    cancelRelayed(ticketId: number, chatId: number, reason: string, now: number): number {
      return changes(s.cancelRelayed.run(reason, now, chatId, ticketId));
    },

    /**
     * The (chat, lane) pairs whose next delivery is due at `now`, leaving out the `busy` ones
     * (as {@link laneKey}s), oldest head first, at most `limit`.
     */
    chatsDue(now: number, busy: readonly number[], limit: number): DueLane[] {
      return s.chatsDue.all(now, JSON.stringify(busy), limit).map((row) => ({
        chatId: Number(row.chatId),
        lane: Number(row.lane),
      }));
    },

    /**
     * The next pending delivery of a chat's lane (the only one that may go next), and whether
     * another waits behind it (then the sender has its mark written at once: the next one
     * waits for it).
     */
    headOfLane(chatId: number, lane: number): { next: Delivery | undefined; more: boolean } {
      const rows = s.headOfLane.all(chatId, lane) as unknown as Delivery[];
      return { next: rows[0], more: rows.length > 1 };
    },

    /**
     * Moves every pending delivery's next attempt by `deltaMs`: after the wall clock stepped,
     * waits written in the old time keep their length.
     */
    shiftRetries(deltaMs: number): number {
      return changes(s.shiftRetries.run(Math.round(deltaMs)));
    },

    /**
     * When the earliest delivery put off until after `now` (a retry or a rate-limit wait)
     * falls due, if any is.
     */
    nextRetryAt(now: number): number | undefined {
      const row = s.nextRetryAt.get(now) as { n: number | null };
      return row.n ?? undefined;
    },

    /** Marks a delivery done for good: sent, or failed with an error. */
    markDelivery(id: number, status: "sent" | "failed", error: string | null, now: number): void {
      s.markDone.run(status, error, now, id);
    },

    /** Schedules another try; `countAttempt` is false for rate limits, which are not faults. */
    retryDelivery(id: number, at: number, error: string, countAttempt: boolean): void {
      s.retryLater.run(Number(countAttempt), Math.ceil(at), error, id);
    },

    /** Cancels everything still waiting to go to a chat; returns how many. */
    cancelPendingTo(chatId: number, reason: string, now: number): number {
      return changes(s.cancelPendingTo.run(reason, now, chatId));
    },

    /** How many deliveries are waiting. */
    pendingCount(): number {
      return count(s.pendingCount.get());
    },

    /**
     * One step of forgetting finished deliveries (sent, failed, cancelled) done before
     * `before`: looks at up to `limit` deliveries after id `afterId`, in id order, deletes the
     * finished old ones, and returns the id to continue after, or `undefined` when it reached
     * deliveries created since `before` (ids grow with time) or the end.
     */
    pruneDeliveries(afterId: number, before: number, limit: number): number | undefined {
      const rows = s.deliveriesAfter.all(afterId, limit) as {
        id: number;
        status: DeliveryStatus;
        createdAt: number;
        doneAt: number | null;
      }[];
      const old: number[] = [];
      let reachedRecent = rows.length < limit;
      for (const row of rows) {
        if (row.createdAt >= before) {
          reachedRecent = true;
          break;
        }
        if (row.status !== "pending" && row.doneAt !== null && row.doneAt < before) {
          old.push(row.id);
        }
      }
      if (old.length > 0) s.deleteDeliveries.run(JSON.stringify(old));
      return reachedRecent ? undefined : rows[rows.length - 1].id;
    },
  };
}

/** The outbox functions of a `Store`. */
export type OutboxQueries = ReturnType<typeof outboxQueries>;
