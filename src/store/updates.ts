/**
 * Updates: the ids of those handled (so one Telegram hands out again changes nothing), and
 * the parked ones, whose handling failed with a bug: kept with their error instead of being
 * skipped, counted for admins, and tried again at the next start.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { changes, count, prepare } from "./rows.ts";

const SQL = {
  markHandled: `INSERT OR IGNORE INTO handled_updates (update_id, handled_at) VALUES (?, ?)`,
  pruneHandled: `DELETE FROM handled_updates WHERE handled_at < ?`,
  park: `INSERT INTO dead_letters (update_id, update_json, error, failed_at, last_failed_at)
        VALUES (?, ?, ?, ?, ?) ON CONFLICT (update_id) DO UPDATE SET error = excluded.error,
        attempts = attempts + 1, last_failed_at = excluded.last_failed_at`,
  parked: `SELECT update_id AS updateId, update_json AS updateJson, attempts
        FROM dead_letters WHERE update_id > ? ORDER BY update_id LIMIT ?`,
  unpark: `DELETE FROM dead_letters WHERE update_id = ?`,
  parkedCount: `SELECT count(*) AS n FROM dead_letters`,
};

/** A parked update, as stored. */
export interface ParkedUpdate {
  readonly updateId: number;
  /** The update as Telegram sent it (JSON). */
  readonly updateJson: string;
  /** How often its handling has failed. */
  readonly attempts: number;
}

/** The functions over handled and parked updates, on statements prepared once here. */
export function updateQueries(db: DatabaseSync) {
  const s = prepare(db, SQL);
  return {
    /** Records an update as handled; false when it had been handled already. */
    markHandled(updateId: number, now: number): boolean {
      return changes(s.markHandled.run(updateId, now)) === 1;
    },

    /** Forgets handled update ids recorded before `before`. */
    pruneHandled(before: number): number {
      return changes(s.pruneHandled.run(before));
    },

    /** Parks an update whose handling failed (again), with the error. */
    parkUpdate(updateId: number, updateJson: string, error: string, now: number): void {
      s.park.run(updateId, updateJson, error.slice(0, 2000), now, now);
    },

    /** Up to `limit` parked updates after `afterId`, oldest first. */
    parkedUpdates(afterId: number, limit: number): ParkedUpdate[] {
      return s.parked.all(afterId, limit).map((row) => ({
        updateId: Number(row.updateId),
        updateJson: String(row.updateJson),
        attempts: Number(row.attempts),
      }));
    },

    /** Forgets a parked update (handled at last). */
    unpark(updateId: number): void {
      s.unpark.run(updateId);
    },

    /** How many updates are parked. */
    parkedCount(): number {
      return count(s.parkedCount.get());
    },
  };
}

/** The update functions of a `Store`. */
export type UpdateQueries = ReturnType<typeof updateQueries>;
