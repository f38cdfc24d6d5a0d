/**
 * Users: clients and agents, their profile (with when the bot first saw their @username, to
 * tell who holds a name now), name, agent role, availability, ban, the rating comment the bot
 * waits for, an agent's languages and departments, and matchmaking's pick of a free agent
 * ({@link PICK_AGENT_SQL}).
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import type { Language } from "../texts/types.ts";
import {
  type AgentState,
  ANY_NEEDS,
  departmentRank,
  isOnline,
  mayServe,
  type Needs,
  speaks,
} from "../rules/matchmaking.ts";
import { listOf, prepare, rowsOf, storedList, toUser, USER, type User } from "./rows.ts";

/**
 * What matchmaking reads of an agent (their languages: the ones set, else their app's). The
 * pick reads the same from the index alone: a free agent is available and in no dialog.
 */
const AGENT_STATE = `user_id AS userId, is_available AS isAvailable,
  current_ticket_id AS currentTicketId, last_online AS lastOnline,
  last_dialog_ended_at AS lastDialogEndedAt, coalesce(languages, language) AS languages,
  departments`;
/** A free agent, as the partial index `users_pick_agent` holds them. */
const FREE = `is_agent = 1 AND is_available = 1 AND current_ticket_id IS NULL`;
/** Whether an agent is online: exactly `isOnline` of matchmaking.ts, in SQL. */
const ONLINE = `(last_online IS NOT NULL AND $now - last_online <= $window)`;
/** `departmentRank` of matchmaking.ts, in SQL (`$departmentItem`: `,key,`, see listOf). */
const DEPARTMENT_RANK = `CASE WHEN $department IS NULL OR instr(departments, $departmentItem) > 0
  THEN 0 WHEN departments IS NULL THEN 1 ELSE 2 END`;
/** `speaks` of matchmaking.ts, in SQL: the languages set, else the app's (never NULL). */
const SPEAKS = `($language IS NULL OR (languages IS NULL AND language = $language)
  OR (languages IS NOT NULL AND instr(languages, $languageItem) > 0))`;

/**
 * The best free agent of one tier of `compareFor` (src/rules/matchmaking.ts): of department
 * rank `$rank`, speaking the client's language or not (`$speaks`), online or not (`$online`;
 * `NULL`: either), first in the seed's order, which is the index's: dialog ended longest ago
 * (never first), seen last, the lower id. One walk of `users_pick_agent`, whose rows hold every
 * column the tests read; the first row that passes them is the answer. Exported for
 * benchmarks and the test of its plan (EXPLAIN QUERY PLAN).
 */
export const PICK_AGENT_SQL = `SELECT user_id AS userId, 1 AS isAvailable,
  NULL AS currentTicketId, last_online AS lastOnline, last_dialog_ended_at AS lastDialogEndedAt,
  coalesce(languages, language) AS languages, departments FROM users INDEXED BY users_pick_agent
  WHERE ${FREE} AND user_id <> $except AND ($online IS NULL OR ${ONLINE} = $online)
  AND ${DEPARTMENT_RANK} = $rank AND ${SPEAKS} = $speaks
  ORDER BY last_dialog_ended_at, last_online DESC, user_id LIMIT 1`;

const SQL = {
  getUser: `SELECT ${USER} FROM users WHERE user_id = ?`,
  insertUser: `INSERT INTO users (user_id, username, full_name, language, awaiting_name,
        created_at, username_since) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  // Usernames are case-insensitive: one that only changes case is the same name, held since
  // the same time; a new one is held from now; none, from no time.
  updateProfile: `UPDATE users SET username_since = CASE
          WHEN $username IS NULL THEN NULL
          WHEN lower(username) IS lower($username) THEN username_since
          ELSE $now END,
        username = $username, full_name = $fullName, language = $language
        WHERE user_id = $userId`,
  setName: `UPDATE users SET name = ?, awaiting_name = 0 WHERE user_id = ?`,
  setPhone: `UPDATE users SET phone = ?, awaiting_contact = 0 WHERE user_id = ?`,
  setAwaitingContact: `UPDATE users SET awaiting_contact = ? WHERE user_id = ?`,
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
  freeAgents: `SELECT ${AGENT_STATE} FROM users WHERE ${FREE}`,
  pickAgent: PICK_AGENT_SQL,
  freeAgent: `SELECT ${AGENT_STATE} FROM users WHERE user_id = ? AND ${FREE}`,
  setLanguages: `UPDATE users SET languages = ? WHERE user_id = ?`,
  setDepartments: `UPDATE users SET departments = ? WHERE user_id = ?`,
  setBanned: `UPDATE users SET banned_at = ? WHERE user_id = ?`,
  revokeAgent: `UPDATE users SET is_agent = 0, is_available = 0 WHERE user_id = ?`,
  // Latest first; a name seen before username_since was kept (NULL) counts as the oldest.
  usersByUsername: `SELECT ${USER}, username_since AS usernameSince FROM users
        WHERE lower(username) = lower(?) AND username IS NOT NULL
        ORDER BY username_since IS NULL, username_since DESC, user_id LIMIT ?`,
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
      const since = u.username === null ? null : now;
      s.insertUser.run(
        u.userId,
        u.username,
        u.fullName,
        u.language,
        Number(awaitingName),
        now,
        since,
      );
    },

    /**
     * Refreshes what Telegram tells about a user (when it changed); a @username new to this
     * user is noted as held from `now`.
     */
    updateProfile(
      userId: number,
      username: string | null,
      fullName: string,
      language: Language,
      now: number,
    ): void {
      s.updateProfile.run({ userId, username, fullName, language, now });
    },

    /** Saves the phone number the client shared; the bot no longer waits for it. */
    setPhone(userId: number, phone: string): void {
      s.setPhone.run(phone, userId);
    },

    /** Whether the bot waits for the client to share their number (or skip it). */
    setAwaitingContact(userId: number, awaiting: boolean): void {
      s.setAwaitingContact.run(Number(awaiting), userId);
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

    /**
     * Who holds this @username (without the @, any case) now, as far as the bot knows.
     * Usernames move between accounts, and the bot learns of a move only when the new holder
     * writes, so several users may be stored with one name: its holder is the one who took it
     * last (the latest `username_since`). When that cannot be told (two took it at the same
     * time, or none has a time: names kept before the time was), the name is `ambiguous`, with
     * the ids of up to `limit` of those who may hold it.
     */
    usernameHolder(username: string, limit = 10): UsernameHolder {
      const rows = rowsOf<Record<string, SQLInputValue> & { usernameSince: number | null }>(
        s.usersByUsername.all(username, Math.max(2, limit)),
      );
      if (rows.length === 0) return { found: "none" };
      const [latest, next] = rows;
      const since = latest.usernameSince;
      if (next === undefined || (since !== null && (next.usernameSince ?? -Infinity) < since)) {
        const { usernameSince: _, ...user } = latest;
        return { found: "one", user: toUser(user)! };
      }
      // The candidates: those who took it at the latest time (all, when none has a time).
      const tied = rows.filter((r) => r.usernameSince === since).slice(0, limit);
      return { found: "ambiguous", ids: tied.map((r) => Number(r.userId)) };
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
      return s.freeAgents.all().map((row) => toAgentState(row)!);
    },

    /**
     * The free agent who takes a ticket with `needs`: the same as `pickAgent(freeAgents(),
     * now, windowMs, needs)` (tests/matchmaking_sql_test.ts checks it), found through an
     * index, tier by tier of `compareFor` (department rank, language; in each, the client's
     * last agent, by its key, then the online agents, then the others), the first found
     * winning: at most two walks a tier, one for an empty tier. The agent `except` (one who
     * just gave the ticket up) is left out.
     */
    pickFreeAgent(
      now: number,
      windowMs: number,
      except = 0,
      needs: Needs = ANY_NEEDS,
    ): AgentState | undefined {
      const { department, language } = needs;
      let last = needs.lastAgentId === null || needs.lastAgentId === except
        ? undefined
        : toAgentState(s.freeAgent.get(needs.lastAgentId));
      if (last && !mayServe(last, needs)) last = undefined;
      const items = {
        departmentItem: department === null ? null : storedList([department]),
        languageItem: language === null ? null : storedList([language]),
      };
      const pick = (online: 1 | null, rank: number, speaking: number) =>
        toAgentState(s.pickAgent.get({
          now,
          window: windowMs,
          except,
          online,
          rank,
          speaks: speaking,
          department,
          language,
          ...items,
        }));
      const ranks = department === null || needs.ownAgentsOnly ? [0] : [0, 1];
      const speakers = language === null || needs.onlySpeakers ? [1] : [1, 0];
      for (const rank of ranks) {
        for (const speaking of speakers) {
          if (
            last && departmentRank(last, department) === rank &&
            Number(speaks(last, language)) === speaking
          ) return last;
          // The tier's first agent in index order: none, the tier is empty (one walk, not
          // two); online, the best of it; offline, the best unless one online comes later.
          const first = pick(null, rank, speaking);
          if (first === undefined) continue;
          if (isOnline(first, now, windowMs)) return first;
          return pick(1, rank, speaking) ?? first;
        }
      }
      return undefined;
    },

    /** Sets the languages an agent speaks; `null`: their Telegram app's. */
    setLanguages(userId: number, languages: readonly string[] | null): void {
      s.setLanguages.run(languages === null ? null : storedList(languages), userId);
    },

    /** Sets the departments an agent works in; none: they serve all. */
    setDepartments(userId: number, departments: readonly string[]): void {
      s.setDepartments.run(departments.length === 0 ? null : storedList(departments), userId);
    },
  };
}

/** An agent's state for matchmaking, from a row of `AGENT_STATE`. */
function toAgentState(row: Record<string, unknown> | undefined): AgentState | undefined {
  if (row === undefined) return undefined;
  return {
    userId: Number(row.userId),
    isAvailable: row.isAvailable === 1,
    currentTicketId: row.currentTicketId === null ? null : Number(row.currentTicketId),
    lastOnline: row.lastOnline === null ? null : Number(row.lastOnline),
    lastDialogEndedAt: row.lastDialogEndedAt === null ? null : Number(row.lastDialogEndedAt),
    languages: listOf(row.languages),
    departments: listOf(row.departments),
  };
}

/** Who holds a @username now: nobody stored, one user, or several that cannot be told apart. */
export type UsernameHolder =
  | { readonly found: "none" }
  | { readonly found: "one"; readonly user: User }
  | { readonly found: "ambiguous"; readonly ids: readonly number[] };

/** The user functions of a `Store`. */
export type UserQueries = ReturnType<typeof userQueries>;
