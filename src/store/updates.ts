/**
 * Updates: the ids of those handled (so one Telegram hands out again changes nothing), and
 * the parked ones, whose handling failed with a bug: kept with their error instead of being
 * skipped, counted for admins, and tried again at the next start.
 *
 * Parked updates are stored without the bot's secrets (the caller redacts them: redact.ts) and
 * do not grow without bound: past {@link PARKED_CAP} the oldest goes, and one that first
 * failed more than {@link PARKED_MAX_AGE_MS} ago goes at the next prune. What went is counted
 * per reason (`dead_letter_drops`), for `/healthz`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { changes, count, prepare } from "./rows.ts";

/**
 * Parked updates kept at most. A bug that fails every update parks all of them: a thousand is
 * plenty to find and replay it (the retry at start handles them one by one), and bounded (an
 * update is a few KiB: some MiB at worst). Past it the oldest goes: those who wrote last are
 * the ones still waiting for an answer.
 */
export const PARKED_CAP = 1000;
/**
 * How long a parked update is kept after its first failure: a week, time for a fix and a
 * restart over a weekend. Older, its answer would come too late to help anyone.
 */
export const PARKED_MAX_AGE_MS = 7 * 24 * 3600_000;

/** Why parked updates were given up. */
export type DropReason = "cap" | "age";

/** Parked updates given up for one reason: how many, and when the last went. */
export interface ParkedDrops {
  readonly count: number;
  readonly lastAt: number;
}

const SQL = {
  markHandled: `INSERT OR IGNORE INTO handled_updates (update_id, handled_at) VALUES (?, ?)`,
  pruneHandled: `DELETE FROM handled_updates WHERE handled_at < ?`,
  park: `INSERT INTO dead_letters
        (update_id, update_json, token_mark, error, failed_at, last_failed_at)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (update_id) DO UPDATE SET
        update_json = excluded.update_json, token_mark = excluded.token_mark,
        error = excluded.error, attempts = attempts + 1, last_failed_at = excluded.last_failed_at`,
  dropOverCap: `DELETE FROM dead_letters WHERE update_id IN (SELECT update_id FROM dead_letters
        ORDER BY update_id LIMIT max(0, (SELECT count(*) FROM dead_letters) - ?))`,
  dropOld: `DELETE FROM dead_letters WHERE failed_at < ?`,
  noteDrops: `INSERT INTO dead_letter_drops (reason, count, last_at) VALUES (?, ?, ?)
        ON CONFLICT (reason) DO UPDATE SET count = count + excluded.count,
        last_at = excluded.last_at`,
  drops: `SELECT reason, count, last_at AS lastAt FROM dead_letter_drops`,
  parked: `SELECT update_id AS updateId, update_json AS updateJson, token_mark AS tokenMark,
        attempts FROM dead_letters WHERE update_id > ? ORDER BY update_id LIMIT ?`,
  unpark: `DELETE FROM dead_letters WHERE update_id = ?`,
  parkedCount: `SELECT count(*) AS n FROM dead_letters`,
};

/** A parked update, as stored. */
export interface ParkedUpdate {
  readonly updateId: number;
  /** The update as Telegram sent it (JSON), without the bot's secrets (redact.ts). */
  readonly updateJson: string;
  /** The fingerprint of the support token it carried, `null` if none (redact.ts). */
  readonly tokenMark: string | null;
  /** How often its handling has failed. */
  readonly attempts: number;
}

/** The functions over handled and parked updates, on statements prepared once here. */
export function updateQueries(db: DatabaseSync) {
  const s = prepare(db, SQL);
  const noteDrops = (reason: DropReason, dropped: number, now: number) => {
    if (dropped > 0) s.noteDrops.run(reason, dropped, now);
    return dropped;
  };
  return {
    /** Records an update as handled; false when it had been handled already. */
    markHandled(updateId: number, now: number): boolean {
      return changes(s.markHandled.run(updateId, now)) === 1;
    },

    /** Forgets handled update ids recorded before `before`. */
    pruneHandled(before: number): number {
      return changes(s.pruneHandled.run(before));
    },

    /**
     * Parks an update whose handling failed (again), with the error: both without secrets
     * (redact.ts), `tokenMark` the fingerprint of the support token it carried. Past
     * {@link PARKED_CAP} the oldest go; returns how many went.
     */
    parkUpdate(
      updateId: number,
      updateJson: string,
      tokenMark: string | null,
      error: string,
      now: number,
    ): number {
      s.park.run(updateId, updateJson, tokenMark, error.slice(0, 2000), now, now);
      return noteDrops("cap", changes(s.dropOverCap.run(PARKED_CAP)), now);
    },

    /** Gives up parked updates that first failed before `before`; returns how many went. */
    pruneParked(before: number, now: number): number {
      return noteDrops("age", changes(s.dropOld.run(before)), now);
    },

    /** Parked updates given up so far, per reason. */
    parkedDrops(): Partial<Record<DropReason, ParkedDrops>> {
      const drops: Partial<Record<DropReason, ParkedDrops>> = {};
      for (const row of s.drops.all()) {
        drops[String(row.reason) as DropReason] = {
          count: Number(row.count),
          lastAt: Number(row.lastAt),
        };
      }
      return drops;
    },

    /** Up to `limit` parked updates after `afterId`, oldest first. */
    parkedUpdates(afterId: number, limit: number): ParkedUpdate[] {
      return s.parked.all(afterId, limit).map((row) => ({
        updateId: Number(row.updateId),
        updateJson: String(row.updateJson),
        tokenMark: row.tokenMark === null ? null : String(row.tokenMark),
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
