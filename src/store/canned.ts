/**
 * Canned replies: the texts an agent saves under a name and sends with a command.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { type CannedReply, changes, count, prepare, rowsOf } from "./rows.ts";

const SQL = {
  cannedOf: `SELECT id, agent_id AS agentId, name, text FROM canned_replies
        WHERE agent_id = ? ORDER BY name`,
  getCanned: `SELECT id, agent_id AS agentId, name, text FROM canned_replies WHERE id = ?`,
  upsertCanned: `INSERT INTO canned_replies (agent_id, name, text, created_at)
        VALUES (?, ?, ?, ?) ON CONFLICT (agent_id, name) DO UPDATE SET text = excluded.text`,
  deleteCanned: `DELETE FROM canned_replies WHERE agent_id = ? AND name = ?`,
  cannedCount: `SELECT count(*) AS n FROM canned_replies WHERE agent_id = ?`,
};

/** The functions over canned replies, on statements prepared once here. */
export function cannedQueries(db: DatabaseSync) {
  const s = prepare(db, SQL);
  return {
    /** An agent's saved replies, by name. */
    cannedOf(agentId: number): CannedReply[] {
      return rowsOf<CannedReply>(s.cannedOf.all(agentId));
    },

    /** The saved reply with this id. */
    getCanned(id: number): CannedReply | undefined {
      return s.getCanned.get(id) as CannedReply | undefined;
    },

    /** Saves a reply under a name, replacing one of the same name. */
    saveCanned(agentId: number, name: string, text: string, now: number): void {
      s.upsertCanned.run(agentId, name, text, now);
    },

    /** Deletes a saved reply; false when there was none of that name. */
    deleteCanned(agentId: number, name: string): boolean {
      return changes(s.deleteCanned.run(agentId, name)) === 1;
    },

    /** How many replies an agent saved. */
    cannedCount(agentId: number): number {
      return count(s.cannedCount.get(agentId));
    },
  };
}

/** The canned-reply functions of a `Store`. */
export type CannedQueries = ReturnType<typeof cannedQueries>;
