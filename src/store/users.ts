/**
 * Users: clients and agents, their profile, name, agent role, availability, ban, the rating
 * comment the bot waits for, and matchmaking's pick of a free agent ({@link PICK_AGENT_SQL}).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { Language } from "../texts/types.ts";
import type { AgentState } from "../matchmaking.ts";
import { prepare, toUser, USER, type User } from "./rows.ts";

// Only what matchmaking compares; the rest of AgentState is known from the condition.
const FREE_AGENT = `SELECT user_id AS userId, last_online AS lastOnline,
  last_dialog_ended_at AS lastDialogEndedAt FROM users INDEXED BY users_pick_agent
  WHERE is_agent = 1 AND is_available = 1 AND current_ticket_id IS NULL
  AND user_id <> $except`;
/** Whether an agent is online: exactly `isOnline` of matchmaking.ts, in SQL. */
const ONLINE = `(last_online IS NOT NULL AND $now - last_online <= $window)`;
/** After online-ness, `compareAgents`' order: ended longest ago (never first), seen last, id. */
const AGENT_ORDER = `ORDER BY last_dialog_ended_at, last_online DESC, user_id LIMIT 1`;

/**
 * The best free agent by `compareAgents` (src/matchmaking.ts), in two indexed steps: the
 * first online agent in index order, else the first offline one. Exported for benchmarks
 * (EXPLAIN QUERY PLAN).
 */
export const PICK_AGENT_SQL = {
  online: `${FREE_AGENT} AND ${ONLINE} ${AGENT_ORDER}`,
  offline: `${FREE_AGENT} AND NOT ${ONLINE} ${AGENT_ORDER}`,
} as const;

const SQL = {
  getUser: `SELECT ${USER} FROM users WHERE user_id = ?`,
  insertUser: `INSERT INTO users (user_id, username, full_name, language, awaiting_name,
        created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  updateProfile: `UPDATE users SET username = ?, full_name = ?, language = ?
        WHERE user_id = ?`,
  setName: `UPDATE users SET name = ?, awaiting_name = 0 WHERE user_id = ?`,
  setAwaitingName: `UPDATE users SET awaiting_name = ? WHERE user_id = ?`,
  makeAgent: `UPDATE users SET is_agent = 1, is_available = 1, last_online = ?,
        awaiting_name = 0, register_failures = 0, register_locked_until = NULL
        WHERE user_id = ?`,
  setRegisterFailures: `UPDATE users SET register_failures = ?, register_locked_until = ?
        WHERE user_id = ?`,
  setAvailable: `UPDATE users SET is_available = ? WHERE user_id = ?`,
  setLastOnline: `UPDATE users SET last_online = ? WHERE user_id = ?`,
  setCurrentTicket: `UPDATE users SET current_ticket_id = ? WHERE user_id = ?`,
  endAgentDialog: `UPDATE users SET current_ticket_id = NULL, last_dialog_ended_at = ?
        WHERE user_id = ?`,
  freeAgents: `SELECT user_id AS userId, is_available AS isAvailable,
        current_ticket_id AS currentTicketId, last_online AS lastOnline,
        last_dialog_ended_at AS lastDialogEndedAt FROM users
        WHERE is_agent = 1 AND is_available = 1 AND current_ticket_id IS NULL`,
  pickOnlineAgent: PICK_AGENT_SQL.online,
  pickOfflineAgent: PICK_AGENT_SQL.offline,
  setBanned: `UPDATE users SET banned_at = ? WHERE user_id = ?`,
  revokeAgent: `UPDATE users SET is_agent = 0, is_available = 0 WHERE user_id = ?`,
  userByUsername: `SELECT ${USER} FROM users WHERE lower(username) = lower(?)
        AND username IS NOT NULL ORDER BY user_id LIMIT 1`,
  setCommentTicket: `UPDATE users SET comment_ticket_id = ?, comment_until = ?
        WHERE user_id = ?`,
  agentsPage: `SELECT ${USER} FROM users WHERE is_agent = 1 ORDER BY user_id LIMIT ?`,
  agentsSummary: `SELECT count(*) AS n, coalesce(sum(is_available), 0) AS available,
        coalesce(sum(current_ticket_id IS NOT NULL), 0) AS busy FROM users WHERE is_agent = 1`,
};

/** The functions over users, on statements prepared once here. */
export function userQueries(db: DatabaseSync) {
  const s = prepare(db, SQL);
  return {
    /** The user with this Telegram id. */
    getUser(userId: number): User | undefined {
      return toUser(s.getUser.get(userId));
    },

    /** Saves a user seen for the first time. */
    insertUser(
      u: { userId: number; username: string | null; fullName: string; language: Language },
      awaitingName: boolean,
      now: number,
    ): void {
      s.insertUser.run(u.userId, u.username, u.fullName, u.language, Number(awaitingName), now);
    },

    /** Refreshes what Telegram tells about a user on every update. */
    updateProfile(userId: number, username: string | null, fullName: string, lang: Language): void {
      s.updateProfile.run(username, fullName, lang, userId);
    },

    /** Saves the name the user gave; they are no longer asked for it. */
    setName(userId: number, name: string): void {
      s.setName.run(name, userId);
    },

    /** Whether the bot waits for this user's name. */
    setAwaitingName(userId: number, awaiting: boolean): void {
      s.setAwaitingName.run(Number(awaiting), userId);
    },

    /** Makes the user an agent: available, online now, wrong tries forgotten. */
    makeAgent(userId: number, now: number): void {
      s.makeAgent.run(now, userId);
    },

    /** Records wrong `/register_support` tries and, when set, a lock until a time. */
    setRegisterFailures(userId: number, failures: number, lockedUntil: number | null): void {
      s.setRegisterFailures.run(failures, lockedUntil, userId);
    },

    /** Sets an agent's "available" flag. */
    setAvailable(userId: number, available: boolean): void {
      s.setAvailable.run(Number(available), userId);
    },

    /** Records that an agent was seen now. */
    setLastOnline(userId: number, now: number): void {
      s.setLastOnline.run(now, userId);
    },

    /** Binds a user to a ticket, or unbinds with `null`. */
    setCurrentTicket(userId: number, ticketId: number | null): void {
      s.setCurrentTicket.run(ticketId, userId);
    },

    /** Frees an agent from their dialog, noting when it ended. */
    endAgentDialog(agentId: number, now: number): void {
      s.endAgentDialog.run(now, agentId);
    },

    /** Bans a user (with the time) or lifts the ban (`null`). */
    setBanned(userId: number, at: number | null): void {
      s.setBanned.run(at, userId);
    },

    /** Takes away a user's agent role. */
    revokeAgent(userId: number): void {
      s.revokeAgent.run(userId);
    },

    /** The user with this @username (without the @, any case). */
    userByUsername(username: string): User | undefined {
      return toUser(s.userByUsername.get(username));
    },

    /** Waits for a comment on a rated ticket until `until`, or stops waiting (`null`). */
    setCommentTicket(userId: number, ticketId: number | null, until: number | null): void {
      s.setCommentTicket.run(ticketId, until, userId);
    },

    /** Up to `limit` agents, by id. */
    agents(limit: number): User[] {
      return s.agentsPage.all(limit).map((row) => toUser(row)!);
    },

    /** How many agents there are, are available, and are in a dialog. */
    agentsSummary(): { total: number; available: number; busy: number } {
      const row = s.agentsSummary.get() as { n: number; available: number; busy: number };
      return { total: row.n, available: row.available, busy: row.busy };
    },

    /** Agents that are available and not in a dialog. */
    freeAgents(): AgentState[] {
      return s.freeAgents.all().map((row) => ({
        ...(row as unknown as AgentState),
        isAvailable: row.isAvailable === 1,
      }));
    },

    /**
     * The free agent who takes the next client: the same as `pickAgent(freeAgents(), now,
     * windowMs)` (tests/matchmaking_sql_test.ts checks it), found through an index. The agent
     * `except` (one who just gave the ticket up) is left out.
     */
    pickFreeAgent(now: number, windowMs: number, except = 0): AgentState | undefined {
      const params = { now, window: windowMs, except };
      const row = s.pickOnlineAgent.get(params) ?? s.pickOfflineAgent.get(params);
      if (row === undefined) return undefined;
      const { userId, lastOnline, lastDialogEndedAt } = row as unknown as AgentState;
      // Free by the query's condition: available, in no dialog.
      return { userId, isAvailable: true, currentTicketId: null, lastOnline, lastDialogEndedAt };
    },
  };
}

/** The user functions of a `Store`. */
export type UserQueries = ReturnType<typeof userQueries>;
