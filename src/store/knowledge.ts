/**
 * The knowledge base and search in SQLite FTS5: the FAQ file's articles (replaced whole on each
 * load) and the best of them for a text ({@link findArticles}: FTS5 finds the candidates by
 * their stems, `faqScore` ranks them); a client's question held while an answer offered from
 * the base waits for their word (`faq_holds`); and `/search` over every stored message text
 * or caption (`message_index`, kept by triggers in the messages' own transaction while
 * `SEARCH` is on: {@link indexMessages}), limited to the tickets the searcher may see.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { type Article, articleStems, type FaqEntry, faqScore, stemWeight } from "../rules/faq.ts";
import { stems } from "../rules/stemmer.ts";
import { changes, count, prepare, rowsOf, type Stored } from "./rows.ts";

/** The most stems of a text looked up (a long message's first ones say what it is about). */
const QUERY_STEMS = 48;
/** How many candidates FTS5 hands to the score (the best by bm25). */
const CANDIDATES = 20;

const SQL = {
  clearArticles: `DELETE FROM faq_articles`,
  clearIndex: `INSERT INTO faq_index (faq_index) VALUES ('delete-all')`,
  insertArticle: `INSERT INTO faq_articles (question, answer, entities, question_stems,
        answer_stems) VALUES (?, ?, ?, ?, ?)`,
  rebuildIndex: `INSERT INTO faq_index (faq_index) VALUES ('rebuild')`,
  articles: `SELECT id, question FROM faq_articles ORDER BY id`,
  articleCount: `SELECT count(*) AS n FROM faq_articles`,
  getArticle: `SELECT id, question, answer, entities FROM faq_articles WHERE id = ?`,
  candidates: `SELECT a.id, a.question, a.answer, a.entities, a.question_stems AS q,
        a.answer_stems AS s FROM faq_index JOIN faq_articles a ON a.id = faq_index.rowid
        WHERE faq_index MATCH ? ORDER BY bm25(faq_index, 4.0, 1.0) LIMIT ${CANDIDATES}`,
  documents: `SELECT term, doc FROM faq_vocab WHERE term IN (SELECT value FROM json_each(?))`,
  hold: `INSERT OR REPLACE INTO faq_holds (client_id, question, until) VALUES (?, ?, ?)`,
  holdOf: `SELECT client_id AS clientId, question, until, released IS NOT NULL AS released
        FROM faq_holds WHERE client_id = ?`,
  releaseHold: `UPDATE faq_holds SET released = 1 WHERE client_id = ?`,
  dropHold: `DELETE FROM faq_holds WHERE client_id = ?`,
  dueHolds: `SELECT client_id AS clientId FROM faq_holds WHERE until <= ? AND released IS NULL
        ORDER BY until LIMIT 50`,
  selfServe: `UPDATE tickets SET self_served = 1 WHERE id = ?`,
  selfServed: `SELECT count(*) AS n FROM tickets WHERE self_served = 1 AND closed_at >= ?`,
  search: `SELECT m.id, m.ticket_id AS ticketId, t.client_id AS clientId, m.created_at AS at,
        m.text
        FROM message_index JOIN messages m ON m.id = message_index.rowid
        JOIN tickets t ON t.id = m.ticket_id
        WHERE message_index MATCH ?1 AND (?2 IS NULL OR t.agent_id = ?2
          OR EXISTS (SELECT 1 FROM messages s WHERE s.ticket_id = t.id AND s.sender_id = ?2))
        ORDER BY m.id DESC LIMIT ?3`,
  mayOpen: `SELECT count(*) AS n FROM tickets t WHERE t.id = ?1 AND (?2 IS NULL
        OR t.agent_id = ?2
        OR EXISTS (SELECT 1 FROM messages s WHERE s.ticket_id = t.id AND s.sender_id = ?2))`,
};

/** A question held with an answer offered from the base. */
export interface FaqHold {
  readonly clientId: number;
  /** The question of the article offered. */
  readonly question: string;
  readonly until: number;
  /** On to a person already, once the client picks a department (the article still to name). */
  readonly released: boolean;
}

/** One message `/search` found. */
export interface Found {
  readonly id: number;
  readonly ticketId: number;
  readonly clientId: number;
  readonly at: number;
  /** The message's text or caption, as it is now. */
  readonly text: string;
}

interface Candidate {
  readonly id: number;
  readonly question: string;
  readonly answer: string;
  readonly entities: string;
  readonly q: string;
  readonly s: string;
}

/** A stem as an FTS5 string (quoted: a stem is never read as an operator). */
function quoted(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/**
 * The best articles for `text`, best first, at most `limit`, each with its score (0 to 1,
 * `faqScore`); none when no stem of the text is in the base. Synchronous: an FTS5 query on
 * statements prepared once, and a read of its stems' counts (`store`: the `Store`, or these
 * queries alone).
 */
export function findArticles(
  store: Pick<KnowledgeQueries, "findArticles">,
  text: string,
  limit = 3,
): readonly Article[] {
  return store.findArticles(text, limit);
}

/** The functions over the knowledge base, held questions and search, prepared once here. */
export function knowledgeQueries(db: DatabaseSync) {
  const s = prepare(db, SQL);
  return {
    /** Replaces the whole base with `entries` (in the caller's transaction). */
    replaceArticles(entries: readonly FaqEntry[]): void {
      s.clearIndex.run();
      s.clearArticles.run();
      for (const entry of entries) {
        const stemmed = articleStems(entry);
        s.insertArticle.run(
          entry.question,
          entry.answer.text,
          JSON.stringify(entry.answer.entities),
          stemmed.question,
          stemmed.answer,
        );
      }
      s.rebuildIndex.run();
    },

    /** The articles' ids and questions, in the file's order. */
    articleList(): { readonly id: number; readonly question: string }[] {
      return rowsOf(s.articles.all());
    },

    /** How many articles the base holds (0: no knowledge base). */
    articleCount(): number {
      return count(s.articleCount.get());
    },

    /** The article with this id, if the base still has it. */
    getArticle(id: number): Article | undefined {
      const row = s.getArticle.get(id) as Omit<Candidate, "q" | "s"> | undefined;
      if (row === undefined) return undefined;
      return {
        id: row.id,
        question: row.question,
        answer: { text: row.answer, entities: JSON.parse(row.entities) },
        score: 1,
      };
    },

    /** See {@link findArticles}. */
    findArticles(text: string, limit = 3): readonly Article[] {
      const asked = [...new Set(stems(text.slice(0, 2000)))].slice(0, QUERY_STEMS);
      if (asked.length === 0) return [];
      const rows = s.candidates.all(asked.map(quoted).join(" OR ")) as unknown as Candidate[];
      if (rows.length === 0) return [];
      const n = count(s.articleCount.get());
      const df = new Map<string, number>();
      const terms = new Set([...asked, ...rows.flatMap((r) => r.q.split(" "))]);
      for (const row of s.documents.all(JSON.stringify([...terms]))) {
        df.set(String(row.term), Number(row.doc));
      }
      const weight = (stem: string) => stemWeight(df.get(stem) ?? 0, n);
      // Scored first; only the articles returned have their entities read.
      return rows.map((row) => ({
        row,
        score: faqScore(asked, row.q.split(" "), row.s.split(" "), weight),
      }))
        .filter((a) => a.score > 0)
        .sort((a, b) => b.score - a.score || a.row.id - b.row.id)
        .slice(0, limit)
        .map(({ row, score }) => ({
          id: row.id,
          question: row.question,
          answer: { text: row.answer, entities: JSON.parse(row.entities) },
          score,
        }));
    },

    /** Holds a client's question, with the article offered, until `until`. */
    holdForFaq(clientId: number, question: string, until: number): void {
      s.hold.run(clientId, question, until);
    },

    /** The client's held question, if any. */
    faqHoldOf(clientId: number): FaqHold | undefined {
      const row = s.holdOf.get(clientId) as Stored<FaqHold> | undefined;
      return row === undefined ? undefined : { ...row, released: row.released === 1 };
    },

    /** The client's question goes on to a person once they pick a department. */
    releaseFaqHold(clientId: number): void {
      s.releaseHold.run(clientId);
    },

    /** Ends a client's hold; false when there was none. */
    dropFaqHold(clientId: number): boolean {
      return changes(s.dropHold.run(clientId)) === 1;
    },

    /** Clients whose hold ran out by `now`. */
    dueFaqHolds(now: number): number[] {
      return (s.dueHolds.all(now) as { clientId: number }[]).map((r) => r.clientId);
    },

    /** Marks a ticket as closed by the client with an article's answer. */
    markSelfServed(ticketId: number): void {
      s.selfServe.run(ticketId);
    },

    /** How many tickets closed since `since` were self-served. */
    selfServedSince(since: number): number {
      return count(s.selfServed.get(since));
    },

    /**
     * Messages whose text or caption holds every term of `terms` (each at least 3 characters),
     * newest first; `viewer`: only in tickets that agent serves or served (`null`: all).
     */
    searchMessages(terms: readonly string[], viewer: number | null, limit: number): Found[] {
      const match = terms.map(quoted).join(" AND ");
      return rowsOf<Found>(s.search.all(match, viewer, limit));
    },

    /** Whether `viewer` may open ticket `ticketId` (`null`: anyone's; false if no such ticket). */
    mayOpenTicket(ticketId: number, viewer: number | null): boolean {
      return count(s.mayOpen.get(ticketId, viewer)) === 1;
    },
  };
}

/** The knowledge functions of a `Store`. */
export type KnowledgeQueries = ReturnType<typeof knowledgeQueries>;

/** The triggers that keep `message_index` in each message's own transaction. */
const INDEX_TRIGGERS = `
  CREATE TRIGGER message_index_insert AFTER INSERT ON messages WHEN new.text IS NOT NULL BEGIN
    INSERT INTO message_index (rowid, text) VALUES (new.id, new.text);
  END;
  CREATE TRIGGER message_index_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO message_index (message_index, rowid, text)
      SELECT 'delete', old.id, old.text WHERE old.text IS NOT NULL;
    INSERT INTO message_index (rowid, text) SELECT new.id, new.text WHERE new.text IS NOT NULL;
  END;
  CREATE TRIGGER message_index_delete AFTER DELETE ON messages WHEN old.text IS NOT NULL BEGIN
    INSERT INTO message_index (message_index, rowid, text) VALUES ('delete', old.id, old.text);
  END;`;

/**
 * Search on or off (`SEARCH`), at start, in one transaction. On: the triggers that index each
 * message as it is stored, and, when they were not there, every message stored so far indexed
 * at once ("indexed"). Off: no triggers (a message costs no indexing: about 0.1 ms less) and
 * the index emptied ("dropped"), so that turning it on again indexes everything afresh.
 * "kept": it was as asked already.
 */
export function indexMessages(db: DatabaseSync, on: boolean): "indexed" | "dropped" | "kept" {
  const present = count(
    db.prepare(`SELECT count(*) AS n FROM sqlite_schema
      WHERE type = 'trigger' AND name = 'message_index_insert'`).get(),
  ) > 0;
  if (present === on) return "kept";
  db.exec("BEGIN IMMEDIATE");
  try {
    if (on) {
      db.exec(INDEX_TRIGGERS);
      db.exec(`INSERT INTO message_index (message_index) VALUES ('rebuild')`);
    } else {
      db.exec(`DROP TRIGGER message_index_insert; DROP TRIGGER message_index_update;
        DROP TRIGGER message_index_delete;
        INSERT INTO message_index (message_index) VALUES ('delete-all');`);
    }
    db.exec("COMMIT");
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
  return on ? "indexed" : "dropped";
}
