/**
 * Drafts from a language model: the requests a client's messages leave (one pending row per
 * ticket, pushed back by each new message), what the drafter takes, and the drafts shown to
 * staff with their fate (sent, dropped, stale). See `docs/drafts.md`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { changes, count, prepare, rowOf, rowsOf } from "./rows.ts";

/** Where a draft stands. */
export type DraftStatus = "pending" | "shown" | "sent" | "dropped" | "failed" | "stale";

/** A draft: a request while pending, the model's answer once shown. */
export interface Draft {
  readonly id: number;
  readonly ticketId: number;
  readonly status: DraftStatus;
  /** How many client messages asked for it (each new one while pending adds one). */
  readonly asks: number;
  readonly dueAt: number;
  readonly tries: number;
  readonly text: string | null;
}

/** One line of a ticket's conversation, as the model may read it. */
export interface DraftLine {
  readonly role: "client" | "agent";
  readonly kind: string;
  readonly text: string | null;
}

const DRAFT = `id, ticket_id AS ticketId, status, asks, due_at AS dueAt, tries, text`;

const SQL = {
  requestDraft: `INSERT INTO drafts (ticket_id, status, due_at, created_at)
        VALUES (?1, 'pending', ?2, ?3)
        ON CONFLICT (ticket_id) WHERE status = 'pending'
        DO UPDATE SET asks = asks + 1, due_at = excluded.due_at, tries = 0`,
  dueDrafts: `SELECT ${DRAFT} FROM drafts WHERE status = 'pending' AND due_at <= ?
        ORDER BY due_at, id LIMIT ?`,
  nextDraftDue: `SELECT min(due_at) AS n FROM drafts WHERE status = 'pending'`,
  takeDraft: `UPDATE drafts SET tries = tries + 1 WHERE id = ? AND status = 'pending'`,
  getDraft: `SELECT ${DRAFT} FROM drafts WHERE id = ?`,
  showDraft: `UPDATE drafts SET status = 'shown', text = ?, done_at = ?
        WHERE id = ? AND status = 'pending'`,
  endDraft: `UPDATE drafts SET status = ?, done_at = ? WHERE id = ? AND status = ?`,
  newerDraft: `SELECT count(*) AS n FROM drafts
        WHERE ticket_id = ? AND id > ? AND status IN ('shown', 'sent')`,
  pendingDrafts: `SELECT count(*) AS n FROM drafts WHERE status = 'pending'`,
  // Notes stay with staff; a message of no text and no caption says only its kind.
  draftLines: `SELECT sender_role AS role, kind, text FROM messages
        WHERE ticket_id = ? AND coalesce(internal, 0) = 0 ORDER BY id DESC LIMIT ?`,
};

/** The functions over drafts, on statements prepared once here. */
export function draftQueries(db: DatabaseSync) {
  const s = prepare(db, SQL);
  return {
    /**
     * A client's message asks for a draft of `ticketId`, to be taken at `dueAt`: a new request,
     * or the pending one pushed back (a burst of messages asks once, for the latest).
     */
    requestDraft(ticketId: number, dueAt: number, now: number): void {
      s.requestDraft.run(ticketId, dueAt, now);
    },

    /** Pending requests due at `now`, the oldest first. */
    dueDrafts(now: number, limit: number): Draft[] {
      return rowsOf<Draft>(s.dueDrafts.all(now, limit));
    },

    /** When the next pending request is due; `null` when none is pending. */
    nextDraftDue(): number | null {
      const row = s.nextDraftDue.get() as { n: number | null } | undefined;
      return row?.n ?? null;
    },

    /** Counts a try of a pending request; false when it is no longer pending. */
    takeDraft(id: number): boolean {
      return changes(s.takeDraft.run(id)) === 1;
    },

    /** The draft with this id. */
    getDraft(id: number): Draft | undefined {
      return rowOf<Draft>(s.getDraft.get(id));
    },

    /** A pending request answered: the draft's text, shown from now. */
    showDraft(id: number, text: string, now: number): boolean {
      return changes(s.showDraft.run(text, now, id)) === 1;
    },

    /** Moves a draft from `from` to `to` (sent, dropped, failed, stale); false if not `from`. */
    endDraft(id: number, from: DraftStatus, to: DraftStatus, now: number): boolean {
      return changes(s.endDraft.run(to, now, id, from)) === 1;
    },

    /** Whether a later draft of the ticket was shown (or sent) after draft `id`. */
    newerDraftShown(ticketId: number, id: number): boolean {
      return count(s.newerDraft.get(ticketId, id)) > 0;
    },

    /** How many requests wait for the model. */
    pendingDraftCount(): number {
      return count(s.pendingDrafts.get());
    },

    /** The last `limit` lines of a ticket's conversation (no notes), the newest first. */
    draftLines(ticketId: number, limit: number): DraftLine[] {
      return rowsOf<DraftLine>(s.draftLines.all(ticketId, limit));
    },
  };
}

/** The draft functions of a `Store`. */
export type DraftQueries = ReturnType<typeof draftQueries>;
