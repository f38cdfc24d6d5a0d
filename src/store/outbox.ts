/**
 * The outbox: deliveries (Bot API calls waiting to be sent, one chat at a time, with retries)
 * and handled updates (the ids of updates already handled, so a redelivered one is skipped).
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

const SQL = {
  insertDelivery: `INSERT INTO deliveries (chat_id, method, params, message_id, created_at)
        VALUES (?, ?, ?, ?, ?)`,
  chatsDue: `SELECT h.chat_id AS chatId FROM (SELECT chat_id, min(id) AS id
          FROM deliveries WHERE status = 'pending' GROUP BY chat_id) h
        JOIN deliveries d ON d.id = h.id
        WHERE d.next_attempt_at <= ? AND h.chat_id NOT IN (SELECT value FROM json_each(?))
        ORDER BY h.id LIMIT ?`,
  nextPending: `SELECT ${DELIVERY} FROM deliveries WHERE chat_id = ? AND status = 'pending'
        ORDER BY lane, priority, id LIMIT 1`,
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

  markHandled: `INSERT OR IGNORE INTO handled_updates (update_id, handled_at) VALUES (?, ?)`,
  pruneHandled: `DELETE FROM handled_updates WHERE handled_at < ?`,
};

/** The functions over deliveries and handled updates, on statements prepared once here. */
export function outboxQueries(db: DatabaseSync) {
  const s = prepare(db, SQL);
  return {
    // ---- deliveries ----

    /** Adds a call (a method and its parameters, kept as JSON) to the outbox; returns its id. */
    insertDelivery(
      chatId: number,
      call: { readonly method: string; readonly params: object },
      messageId: number | null,
      now: number,
    ): number {
      const params = JSON.stringify(call.params);
      return insertedId(s.insertDelivery.run(chatId, call.method, params, messageId, now));
    },

    /**
     * Chats whose oldest pending delivery is due at `now`, leaving out `busy` chats, oldest
     * first, at most `limit`.
     */
    chatsDue(now: number, busy: readonly number[], limit: number): number[] {
      return s.chatsDue.all(now, JSON.stringify(busy), limit).map((row) => Number(row.chatId));
    },

    /** The oldest pending delivery to a chat: the only one that may go next. */
    nextPending(chatId: number): Delivery | undefined {
      return s.nextPending.get(chatId) as Delivery | undefined;
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

    // ---- handled updates ----

    /** Records an update as handled; false when it had been handled already. */
    markHandled(updateId: number, now: number): boolean {
      return changes(s.markHandled.run(updateId, now)) === 1;
    },

    /** Forgets handled update ids recorded before `before`. */
    pruneHandled(before: number): number {
      return changes(s.pruneHandled.run(before));
    },
  };
}

/** The outbox functions of a `Store`. */
export type OutboxQueries = ReturnType<typeof outboxQueries>;
