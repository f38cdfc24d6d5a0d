/**
 * Storage: typed functions over prepared SQL statements. Every read and write of users,
 * tickets, messages, deliveries and handled updates goes through {@link Store}.
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { Language } from "../texts/types.ts";
import type { AgentState } from "../matchmaking.ts";

/** A person who talks to the bot: a client, or an agent when `isAgent`. */
export interface User {
  readonly userId: number;
  readonly username: string | null;
  readonly fullName: string;
  readonly name: string | null;
  readonly language: Language;
  readonly isAgent: boolean;
  readonly isAvailable: boolean;
  readonly currentTicketId: number | null;
  readonly lastOnline: number | null;
  readonly lastDialogEndedAt: number | null;
  readonly awaitingName: boolean;
  readonly registerFailures: number;
  readonly registerLockedUntil: number | null;
  readonly createdAt: number;
  /** When an admin banned the user; `null` when not banned. */
  readonly bannedAt: number | null;
  /** The ticket whose rating comment the bot waits for, until `commentUntil`. */
  readonly commentTicketId: number | null;
  readonly commentUntil: number | null;
}

/** The state of a ticket. */
export type TicketStatus = "queued" | "open" | "closed";
/** Who closed a ticket. */
export type ClosedBy = "agent" | "client" | "system";

/** One dialog between a client and (once assigned) an agent. */
export interface Ticket {
  readonly id: number;
  readonly clientId: number;
  readonly agentId: number | null;
  readonly status: TicketStatus;
  readonly openedAt: number;
  readonly assignedAt: number | null;
  readonly closedAt: number | null;
  readonly closedBy: ClosedBy | null;
  /** The client's ticket before this one, if any. */
  readonly previousTicketId: number | null;
  /** When an agent first answered. */
  readonly firstResponseAt: number | null;
  /** The client's rating, 1 to 5. */
  readonly rating: number | null;
  readonly ratingComment: string | null;
}

/** Which side wrote a message. */
export type Role = "client" | "agent";

/** One line of a ticket, either side. */
export interface Message {
  readonly id: number;
  readonly ticketId: number;
  readonly clientId: number;
  readonly agentId: number | null;
  readonly senderId: number;
  readonly senderRole: Role;
  readonly kind: string;
  readonly text: string | null;
  /** JSON of the text's or caption's `MessageEntity[]`. */
  readonly entities: string | null;
  readonly fileId: string | null;
  /** Id in the sender's chat; 0 for messages the bot wrote for the sender (canned replies). */
  readonly chatMessageId: number;
  readonly copyMessageId: number | null;
  /** The chat of the copy (the other side's). */
  readonly copyChatId: number | null;
  /** Whether the copy starts with the client's name (in its text or caption). */
  readonly signedInline: boolean | null;
  /** The message this one replies to. */
  readonly replyToId: number | null;
  readonly createdAt: number;
  readonly editedAt: number | null;
}

/** A message about to be saved. */
export type NewMessage = Omit<
  Message,
  "id" | "copyMessageId" | "copyChatId" | "editedAt"
>;

/** An earlier version of an edited message. */
export interface MessageEdit {
  readonly messageId: number;
  readonly text: string | null;
  readonly replacedAt: number;
}

/** A message with its names, for exports. */
export interface ExportLine extends HistoryLine {
  readonly clientId: number;
  readonly senderId: number;
  readonly clientName: string;
}

/** A saved reply of an agent. */
export interface CannedReply {
  readonly id: number;
  readonly agentId: number;
  readonly name: string;
  readonly text: string;
}

/** A ticket's times, for response metrics. */
export interface TicketTimes {
  readonly openedAt: number;
  readonly firstResponseAt: number | null;
  readonly closedAt: number | null;
}

/** An agent's row in the team's figures. */
export interface AgentSummary {
  readonly userId: number;
  readonly name: string;
  readonly isAvailable: boolean;
  readonly currentTicketId: number | null;
  readonly tickets: number;
  readonly ratingAverage: number | null;
}

/** A ticket waiting in the queue, for `/queue`. */
export interface QueuedTicket extends Ticket {
  readonly clientName: string;
  readonly messages: number;
}

/**
 * A message in a history file, with its sender's name: only the columns the file shows, since
 * a long history reads them by the hundred thousand.
 */
export interface HistoryLine
  extends
    Pick<Message, "id" | "ticketId" | "senderRole" | "kind" | "text" | "createdAt" | "editedAt"> {
  readonly senderName: string;
}

/** The state of a delivery. */
export type DeliveryStatus = "pending" | "sent" | "failed" | "cancelled";

/** One thing the bot must send: a Bot API call (or a job) waiting in the outbox. */
export interface Delivery {
  readonly id: number;
  readonly chatId: number;
  /** A Bot API method, or the name of a job (see `src/outbox/calls.ts`). */
  readonly method: string;
  /** JSON of the call's parameters. */
  readonly params: string;
  readonly messageId: number | null;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number;
}

/** A closed or open dialog of an agent, for `/stats`. */
export interface RecentTicket {
  readonly clientName: string;
  readonly openedAt: number;
  readonly closedAt: number | null;
}

/** An agent's counts, for `/stats`. */
export interface AgentCounts {
  readonly clientsTotal: number;
  readonly ticketsTotal: number;
  readonly ticketsSince1: number;
  readonly ticketsSince2: number;
  readonly messagesSent: number;
  readonly messagesReceived: number;
}

type Row = Record<string, SQLInputValue>;

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

const USER = `user_id AS userId, username, full_name AS fullName, name, language,
  is_agent AS isAgent, is_available AS isAvailable, current_ticket_id AS currentTicketId,
  last_online AS lastOnline, last_dialog_ended_at AS lastDialogEndedAt,
  awaiting_name AS awaitingName, register_failures AS registerFailures,
  register_locked_until AS registerLockedUntil, created_at AS createdAt,
  banned_at AS bannedAt, comment_ticket_id AS commentTicketId, comment_until AS commentUntil`;
const TICKET = `t.id, t.client_id AS clientId, t.agent_id AS agentId, t.status,
  t.opened_at AS openedAt, t.assigned_at AS assignedAt, t.closed_at AS closedAt,
  t.closed_by AS closedBy, t.previous_ticket_id AS previousTicketId,
  t.first_response_at AS firstResponseAt, t.rating, t.rating_comment AS ratingComment`;
/** Leaves out tickets of banned clients, which wait outside the queue. */
const NOT_BANNED = `NOT EXISTS (SELECT 1 FROM users b WHERE b.user_id = t.client_id
  AND b.banned_at IS NOT NULL)`;
const MESSAGE = `m.id, m.ticket_id AS ticketId, m.client_id AS clientId, m.agent_id AS agentId,
  m.sender_id AS senderId, m.sender_role AS senderRole, m.kind, m.text, m.entities,
  m.file_id AS fileId, m.chat_message_id AS chatMessageId,
  m.copy_message_id AS copyMessageId, m.copy_chat_id AS copyChatId,
  m.signed_inline AS signedInline, m.reply_to_id AS replyToId, m.created_at AS createdAt,
  m.edited_at AS editedAt`;
const DELIVERY = `id, chat_id AS chatId, method, params, message_id AS messageId, status,
  attempts, next_attempt_at AS nextAttemptAt`;

function toMessage(row: Row | undefined): Message | undefined {
  if (row === undefined) return undefined;
  return {
    ...row,
    signedInline: row.signedInline === null ? null : row.signedInline === 1,
  } as unknown as Message;
}

function toUser(row: Row | undefined): User | undefined {
  if (row === undefined) return undefined;
  // The row is a fresh object: its flags are turned into booleans in place (read on every
  // update, so no copy).
  const flags = row as unknown as Record<"isAgent" | "isAvailable" | "awaitingName", unknown>;
  flags.isAgent = row.isAgent === 1;
  flags.isAvailable = row.isAvailable === 1;
  flags.awaitingName = row.awaitingName === 1;
  return row as unknown as User;
}

/** Typed access to the database. Statements are prepared once, on construction. */
export class Store {
  readonly #s: Record<string, StatementSync>;

  constructor(readonly db: DatabaseSync) {
    const sql: Record<string, string> = {
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

      getTicket: `SELECT ${TICKET} FROM tickets t WHERE t.id = ?`,
      createTicket: `INSERT INTO tickets (client_id, status, opened_at, previous_ticket_id)
        VALUES (?, 'queued', ?, ?)`,
      lastTicketOfClient: `SELECT ${TICKET} FROM tickets t WHERE t.client_id = ?
        ORDER BY t.id DESC LIMIT 1`,
      setFirstResponse: `UPDATE tickets SET first_response_at = ? WHERE id = ?
        AND first_response_at IS NULL`,
      rateTicket: `UPDATE tickets SET rating = ?, rated_at = ? WHERE id = ? AND rating IS NULL`,
      setRatingComment: `UPDATE tickets SET rating_comment = ? WHERE id = ?`,
      openTickets: `SELECT count(*) AS n FROM tickets WHERE status = 'open'`,
      assignTicket: `UPDATE tickets SET agent_id = ?, status = 'open', assigned_at = ?
        WHERE id = ?`,
      requeueTicket: `UPDATE tickets SET agent_id = NULL, status = 'queued', assigned_at = NULL
        WHERE id = ?`,
      closeTicket: `UPDATE tickets SET status = 'closed', closed_at = ?, closed_by = ?
        WHERE id = ?`,
      oldestQueued: `SELECT ${TICKET} FROM tickets t WHERE t.status = 'queued' AND t.id <> ?
        AND ${NOT_BANNED} ORDER BY t.opened_at, t.id LIMIT 1`,
      queuePosition: `SELECT count(*) AS n FROM tickets t WHERE t.status = 'queued'
        AND (t.opened_at < ? OR (t.opened_at = ? AND t.id <= ?)) AND ${NOT_BANNED}`,
      queueLength: `SELECT count(*) AS n FROM tickets t WHERE t.status = 'queued'
        AND ${NOT_BANNED}`,
      queuePage: `SELECT ${TICKET}, coalesce(u.name, u.full_name) AS clientName,
        (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id) AS messages
        FROM tickets t JOIN users u ON u.user_id = t.client_id
        WHERE t.status = 'queued' AND u.banned_at IS NULL ORDER BY t.opened_at, t.id LIMIT ?`,

      insertMessage: `INSERT INTO messages (ticket_id, client_id, agent_id, sender_id,
        sender_role, kind, text, entities, file_id, chat_message_id, reply_to_id, signed_inline,
        created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      setMessagesAgent: `UPDATE messages SET agent_id = ? WHERE ticket_id = ?
        AND agent_id IS NULL`,
      clientMessagesOfTicket: `SELECT ${MESSAGE} FROM messages m WHERE m.ticket_id = ?
        AND m.sender_role = 'client' ORDER BY m.id`,
      setCopy: `UPDATE messages SET copy_chat_id = ?, copy_message_id = ? WHERE id = ?`,
      setSignedInline: `UPDATE messages SET signed_inline = ? WHERE id = ?`,
      ownMessage: `SELECT ${MESSAGE} FROM messages m WHERE m.sender_id = ?
        AND m.chat_message_id = ? AND m.chat_message_id > 0 ORDER BY m.id DESC LIMIT 1`,
      copiedMessage: `SELECT ${MESSAGE} FROM messages m WHERE m.copy_chat_id = ?
        AND m.copy_message_id = ? ORDER BY m.id DESC LIMIT 1`,
      editMessage: `UPDATE messages SET text = ?, entities = ?, edited_at = ? WHERE id = ?`,
      insertEdit: `INSERT INTO message_edits (message_id, text, entities, replaced_at)
        VALUES (?, ?, ?, ?)`,
      editsOf: `SELECT message_id AS messageId, text, replaced_at AS replacedAt
        FROM message_edits WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
      ticketHistoryPage: `SELECT m.id, m.ticket_id AS ticketId, m.sender_role AS senderRole,
        m.kind, m.text, m.created_at AS createdAt, m.edited_at AS editedAt,
        coalesce(u.name, u.full_name) AS senderName
        FROM messages m JOIN users u ON u.user_id = m.sender_id
        WHERE m.ticket_id = ? AND m.id > ? AND m.id <= ? ORDER BY m.id LIMIT ?`,
      exportPage: `SELECT m.id, m.ticket_id AS ticketId, m.client_id AS clientId,
        m.sender_id AS senderId, m.sender_role AS senderRole, m.kind, m.text,
        m.created_at AS createdAt, m.edited_at AS editedAt,
        coalesce(u.name, u.full_name) AS senderName,
        coalesce(c.name, c.full_name) AS clientName
        FROM messages m JOIN users u ON u.user_id = m.sender_id
        JOIN users c ON c.user_id = m.client_id
        WHERE (m.created_at, m.id) > (?, ?) AND m.created_at < ?
        ORDER BY m.created_at, m.id LIMIT ?`,
      getMessage: `SELECT ${MESSAGE} FROM messages m WHERE m.id = ?`,
      historyPage: `SELECT m.id, m.ticket_id AS ticketId, m.sender_role AS senderRole, m.kind,
        m.text, m.created_at AS createdAt, m.edited_at AS editedAt,
        coalesce(u.name, u.full_name) AS senderName
        FROM messages m JOIN users u ON u.user_id = m.sender_id
        WHERE m.client_id = ? AND m.id > ? AND m.id <= ? ORDER BY m.id LIMIT ?`,
      lastMessageId: `SELECT coalesce(max(id), 0) AS n FROM messages`,
      ticketsOfClient: `SELECT ${TICKET} FROM tickets t WHERE t.client_id = ? ORDER BY t.id`,

      setBanned: `UPDATE users SET banned_at = ? WHERE user_id = ?`,
      revokeAgent: `UPDATE users SET is_agent = 0, is_available = 0 WHERE user_id = ?`,
      userByUsername: `SELECT ${USER} FROM users WHERE lower(username) = lower(?)
        AND username IS NOT NULL ORDER BY user_id LIMIT 1`,
      setCommentTicket: `UPDATE users SET comment_ticket_id = ?, comment_until = ?
        WHERE user_id = ?`,
      agentsPage: `SELECT ${USER} FROM users WHERE is_agent = 1 ORDER BY user_id LIMIT ?`,
      agentsSummary: `SELECT count(*) AS n, coalesce(sum(is_available), 0) AS available,
        coalesce(sum(current_ticket_id IS NOT NULL), 0) AS busy FROM users WHERE is_agent = 1`,
      teamAgents: `SELECT u.user_id AS userId, coalesce(u.name, u.full_name) AS name,
        u.is_available AS isAvailable, u.current_ticket_id AS currentTicketId,
        (SELECT count(*) FROM tickets t WHERE t.agent_id = u.user_id AND t.opened_at >= ?)
          AS tickets,
        (SELECT avg(t.rating) FROM tickets t WHERE t.agent_id = u.user_id AND t.opened_at >= ?)
          AS ratingAverage
        FROM users u WHERE u.is_agent = 1 ORDER BY tickets DESC, u.user_id LIMIT ?`,

      cannedOf: `SELECT id, agent_id AS agentId, name, text FROM canned_replies
        WHERE agent_id = ? ORDER BY name`,
      getCanned: `SELECT id, agent_id AS agentId, name, text FROM canned_replies WHERE id = ?`,
      upsertCanned: `INSERT INTO canned_replies (agent_id, name, text, created_at)
        VALUES (?, ?, ?, ?) ON CONFLICT (agent_id, name) DO UPDATE SET text = excluded.text`,
      deleteCanned: `DELETE FROM canned_replies WHERE agent_id = ? AND name = ?`,
      cannedCount: `SELECT count(*) AS n FROM canned_replies WHERE agent_id = ?`,

      agentTicketTimes: `SELECT opened_at AS openedAt, first_response_at AS firstResponseAt,
        closed_at AS closedAt FROM tickets WHERE agent_id = ? AND opened_at >= ?`,
      teamTicketTimes: `SELECT opened_at AS openedAt, first_response_at AS firstResponseAt,
        closed_at AS closedAt FROM tickets WHERE opened_at >= ?`,
      agentRatings: `SELECT avg(rating) AS average, count(rating) AS n FROM tickets
        WHERE agent_id = ? AND opened_at >= ? AND rating IS NOT NULL`,
      teamRatings: `SELECT avg(rating) AS average, count(rating) AS n FROM tickets
        WHERE opened_at >= ? AND rating IS NOT NULL`,

      insertDelivery: `INSERT INTO deliveries (chat_id, method, params, message_id, created_at)
        VALUES (?, ?, ?, ?, ?)`,
      chatsDue: `SELECT h.chat_id AS chatId FROM (SELECT chat_id, min(id) AS id
          FROM deliveries WHERE status = 'pending' GROUP BY chat_id) h
        JOIN deliveries d ON d.id = h.id
        WHERE d.next_attempt_at <= ? AND h.chat_id NOT IN (SELECT value FROM json_each(?))
        ORDER BY h.id LIMIT ?`,
      nextPending: `SELECT ${DELIVERY} FROM deliveries WHERE chat_id = ? AND status = 'pending'
        ORDER BY id LIMIT 1`,
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

      agentCounts: `SELECT
        (SELECT count(DISTINCT client_id) FROM tickets WHERE agent_id = $a) AS clientsTotal,
        (SELECT count(*) FROM tickets WHERE agent_id = $a) AS ticketsTotal,
        (SELECT count(*) FROM tickets WHERE agent_id = $a AND opened_at >= $since1)
          AS ticketsSince1,
        (SELECT count(*) FROM tickets WHERE agent_id = $a AND opened_at >= $since2)
          AS ticketsSince2,
        (SELECT count(*) FROM messages WHERE agent_id = $a AND sender_role = 'agent')
          AS messagesSent,
        (SELECT count(*) FROM messages WHERE agent_id = $a AND sender_role = 'client')
          AS messagesReceived`,
      recentTickets: `SELECT coalesce(u.name, u.full_name) AS clientName,
        t.opened_at AS openedAt, t.closed_at AS closedAt
        FROM tickets t JOIN users u ON u.user_id = t.client_id
        WHERE t.agent_id = ? ORDER BY t.opened_at DESC, t.id DESC LIMIT ?`,
    };
    this.#s = Object.fromEntries(
      Object.entries(sql).map(([name, text]) => [name, db.prepare(text)]),
    );
  }

  #n(name: string, ...args: SQLInputValue[]): number {
    return Number((this.#s[name].get(...args) as { n: number | null }).n ?? 0);
  }

  #run(name: string, ...args: SQLInputValue[]): number {
    return Number(this.#s[name].run(...args).changes);
  }

  #insert(name: string, ...args: SQLInputValue[]): number {
    return Number(this.#s[name].run(...args).lastInsertRowid);
  }

  // ---- users ----

  /** The user with this Telegram id. */
  getUser(userId: number): User | undefined {
    return toUser(this.#s.getUser.get(userId));
  }

  /** Saves a user seen for the first time. */
  insertUser(
    u: { userId: number; username: string | null; fullName: string; language: Language },
    awaitingName: boolean,
    now: number,
  ): void {
    this.#run(
      "insertUser",
      u.userId,
      u.username,
      u.fullName,
      u.language,
      Number(awaitingName),
      now,
    );
  }

  /** Refreshes what Telegram tells about a user on every update. */
  updateProfile(userId: number, username: string | null, fullName: string, lang: Language): void {
    this.#run("updateProfile", username, fullName, lang, userId);
  }

  /** Saves the name the user gave; they are no longer asked for it. */
  setName(userId: number, name: string): void {
    this.#run("setName", name, userId);
  }

  /** Whether the bot waits for this user's name. */
  setAwaitingName(userId: number, awaiting: boolean): void {
    this.#run("setAwaitingName", Number(awaiting), userId);
  }

  /** Makes the user an agent: available, online now, wrong tries forgotten. */
  makeAgent(userId: number, now: number): void {
    this.#run("makeAgent", now, userId);
  }

  /** Records wrong `/register_support` tries and, when set, a lock until a time. */
  setRegisterFailures(userId: number, failures: number, lockedUntil: number | null): void {
    this.#run("setRegisterFailures", failures, lockedUntil, userId);
  }

  /** Sets an agent's "available" flag. */
  setAvailable(userId: number, available: boolean): void {
    this.#run("setAvailable", Number(available), userId);
  }

  /** Records that an agent was seen now. */
  setLastOnline(userId: number, now: number): void {
    this.#run("setLastOnline", now, userId);
  }

  /** Binds a user to a ticket, or unbinds with `null`. */
  setCurrentTicket(userId: number, ticketId: number | null): void {
    this.#run("setCurrentTicket", ticketId, userId);
  }

  /** Frees an agent from their dialog, noting when it ended. */
  endAgentDialog(agentId: number, now: number): void {
    this.#run("endAgentDialog", now, agentId);
  }

  /** Bans a user (with the time) or lifts the ban (`null`). */
  setBanned(userId: number, at: number | null): void {
    this.#run("setBanned", at, userId);
  }

  /** Takes away a user's agent role. */
  revokeAgent(userId: number): void {
    this.#run("revokeAgent", userId);
  }

  /** The user with this @username (without the @, any case). */
  userByUsername(username: string): User | undefined {
    return toUser(this.#s.userByUsername.get(username));
  }

  /** Waits for a comment on a rated ticket until `until`, or stops waiting (`null`). */
  setCommentTicket(userId: number, ticketId: number | null, until: number | null): void {
    this.#run("setCommentTicket", ticketId, until, userId);
  }

  /** Up to `limit` agents, by id. */
  agents(limit: number): User[] {
    return this.#s.agentsPage.all(limit).map((row) => toUser(row)!);
  }

  /** How many agents there are, are available, and are in a dialog. */
  agentsSummary(): { total: number; available: number; busy: number } {
    const row = this.#s.agentsSummary.get() as { n: number; available: number; busy: number };
    return { total: row.n, available: row.available, busy: row.busy };
  }

  /** Agents with their tickets and average rating since `since`, busiest first. */
  teamAgents(since: number, limit: number): AgentSummary[] {
    return this.#s.teamAgents.all(since, since, limit).map((row) => ({
      ...(row as unknown as AgentSummary),
      isAvailable: row.isAvailable === 1,
    }));
  }

  /** Agents that are available and not in a dialog. */
  freeAgents(): AgentState[] {
    return this.#s.freeAgents.all().map((row) => ({
      ...(row as unknown as AgentState),
      isAvailable: row.isAvailable === 1,
    }));
  }

  /**
   * The free agent who takes the next client: the same as `pickAgent(freeAgents(), now,
   * windowMs)` (tests/matchmaking_sql_test.ts checks it), found through an index. The agent
   * `except` (one who just gave the ticket up) is left out.
   */
  pickFreeAgent(now: number, windowMs: number, except = 0): AgentState | undefined {
    const params = { now, window: windowMs, except };
    const row = this.#s.pickOnlineAgent.get(params) ?? this.#s.pickOfflineAgent.get(params);
    if (row === undefined) return undefined;
    const { userId, lastOnline, lastDialogEndedAt } = row as unknown as AgentState;
    // Free by the query's condition: available, in no dialog.
    return { userId, isAvailable: true, currentTicketId: null, lastOnline, lastDialogEndedAt };
  }

  // ---- tickets ----

  /** The ticket with this id. */
  getTicket(id: number): Ticket | undefined {
    return this.#s.getTicket.get(id) as Ticket | undefined;
  }

  /** Opens a ticket, waiting in the queue until it is assigned; returns its id. */
  createTicket(clientId: number, now: number, previousTicketId: number | null = null): number {
    return this.#insert("createTicket", clientId, now, previousTicketId);
  }

  /** A client's latest ticket, if any. */
  lastTicketOfClient(clientId: number): Ticket | undefined {
    return this.#s.lastTicketOfClient.get(clientId) as Ticket | undefined;
  }

  /** Records an agent's first answer in a ticket (later answers change nothing). */
  setFirstResponse(ticketId: number, now: number): void {
    this.#run("setFirstResponse", now, ticketId);
  }

  /** Stores a rating; false when the ticket was rated already. */
  rateTicket(ticketId: number, rating: number, now: number): boolean {
    return this.#run("rateTicket", rating, now, ticketId) === 1;
  }

  /** Stores the comment of a rating. */
  setRatingComment(ticketId: number, comment: string): void {
    this.#run("setRatingComment", comment, ticketId);
  }

  /** How many tickets are open (assigned). */
  openTickets(): number {
    return this.#n("openTickets");
  }

  /** The first `limit` tickets of the queue, with the client's name and message count. */
  queuePage(limit: number): QueuedTicket[] {
    return this.#s.queuePage.all(limit) as unknown as QueuedTicket[];
  }

  /** Gives a ticket to an agent. */
  assignTicket(ticketId: number, agentId: number, now: number): void {
    this.#run("assignTicket", agentId, now, ticketId);
    this.#run("setMessagesAgent", agentId, ticketId);
  }

  /** Puts an assigned ticket back in the queue (at its original place, by opening time). */
  requeueTicket(ticketId: number): void {
    this.#run("requeueTicket", ticketId);
  }

  /** Closes a ticket. */
  closeTicket(ticketId: number, now: number, by: ClosedBy): void {
    this.#run("closeTicket", now, by, ticketId);
  }

  /** The ticket that has waited longest, if any, leaving out the ticket `except`. */
  oldestQueued(except = 0): Ticket | undefined {
    return this.#s.oldestQueued.get(except) as Ticket | undefined;
  }

  /** The 1-based place of a queued ticket in the queue. */
  queuePosition(ticket: Ticket): number {
    return this.#n("queuePosition", ticket.openedAt, ticket.openedAt, ticket.id);
  }

  /** How many tickets wait in the queue. */
  queueLength(): number {
    return this.#n("queueLength");
  }

  /** A client's tickets, oldest first. */
  ticketsOfClient(clientId: number): Ticket[] {
    return this.#s.ticketsOfClient.all(clientId) as unknown as Ticket[];
  }

  // ---- messages ----

  /** Saves a message; returns its id. */
  insertMessage(m: NewMessage): number {
    return this.#insert(
      "insertMessage",
      m.ticketId,
      m.clientId,
      m.agentId,
      m.senderId,
      m.senderRole,
      m.kind,
      m.text,
      m.entities,
      m.fileId,
      m.chatMessageId,
      m.replyToId,
      m.signedInline === null ? null : Number(m.signedInline),
      m.createdAt,
    );
  }

  /** The message with this id. */
  getMessage(id: number): Message | undefined {
    return toMessage(this.#s.getMessage.get(id));
  }

  /** What the client wrote in a ticket, in order. */
  clientMessagesOfTicket(ticketId: number): Message[] {
    return this.#s.clientMessagesOfTicket.all(ticketId).map((row) => toMessage(row)!);
  }

  /** Records where a message's copy is on the other side. */
  setCopy(messageId: number, chatId: number, copyMessageId: number): void {
    this.#run("setCopy", chatId, copyMessageId, messageId);
  }

  /** Records whether a message's copy carries the client's name in front. */
  setSignedInline(messageId: number, signed: boolean): void {
    this.#run("setSignedInline", Number(signed), messageId);
  }

  /**
   * The saved message shown in chat `chatId` under id `chatMessageId`: one the chat's user
   * wrote, or the copy the bot made there.
   */
  messageInChat(chatId: number, chatMessageId: number): Message | undefined {
    return toMessage(this.#s.ownMessage.get(chatId, chatMessageId)) ??
      toMessage(this.#s.copiedMessage.get(chatId, chatMessageId));
  }

  /** The message `sender` wrote in their chat under `chatMessageId`. */
  ownMessage(senderId: number, chatMessageId: number): Message | undefined {
    return toMessage(this.#s.ownMessage.get(senderId, chatMessageId));
  }

  /** Replaces a message's text, keeping the version before in `message_edits`. */
  editMessage(m: Message, text: string | null, entities: string | null, now: number): void {
    this.#run("insertEdit", m.id, m.text, m.entities, now);
    this.#run("editMessage", text, entities, now, m.id);
  }

  /** Earlier versions of these messages, oldest first. */
  editsOf(messageIds: readonly number[]): MessageEdit[] {
    if (messageIds.length === 0) return [];
    return this.#s.editsOf.all(JSON.stringify(messageIds)) as unknown as MessageEdit[];
  }

  /** Like {@link historyPage}, for one ticket. */
  ticketHistoryPage(ticketId: number, afterId: number, upToId: number, limit: number) {
    return this.#s.ticketHistoryPage.all(
      ticketId,
      afterId,
      upToId,
      limit,
    ) as unknown as HistoryLine[];
  }

  /**
   * Up to `limit` messages written in [`from`, `to`), in time order, after the message
   * (`afterTime`, `afterId`).
   */
  exportPage(afterTime: number, afterId: number, to: number, limit: number): ExportLine[] {
    return this.#s.exportPage.all(afterTime, afterId, to, limit) as unknown as ExportLine[];
  }

  /** The highest message id so far (0 when none). */
  lastMessageId(): number {
    return this.#n("lastMessageId");
  }

  /** Up to `limit` of a client's messages with ids in (`afterId`, `upToId`], in order. */
  historyPage(clientId: number, afterId: number, upToId: number, limit: number): HistoryLine[] {
    return this.#s.historyPage.all(clientId, afterId, upToId, limit) as unknown as HistoryLine[];
  }

  // ---- canned replies ----

  /** An agent's saved replies, by name. */
  cannedOf(agentId: number): CannedReply[] {
    return this.#s.cannedOf.all(agentId) as unknown as CannedReply[];
  }

  /** The saved reply with this id. */
  getCanned(id: number): CannedReply | undefined {
    return this.#s.getCanned.get(id) as CannedReply | undefined;
  }

  /** Saves a reply under a name, replacing one of the same name. */
  saveCanned(agentId: number, name: string, text: string, now: number): void {
    this.#run("upsertCanned", agentId, name, text, now);
  }

  /** Deletes a saved reply; false when there was none of that name. */
  deleteCanned(agentId: number, name: string): boolean {
    return this.#run("deleteCanned", agentId, name) === 1;
  }

  /** How many replies an agent saved. */
  cannedCount(agentId: number): number {
    return this.#n("cannedCount", agentId);
  }

  // ---- metrics ----

  /** Times of the tickets opened since `since`, of one agent or (`null`) of everyone. */
  ticketTimes(agentId: number | null, since: number): TicketTimes[] {
    return (agentId === null
      ? this.#s.teamTicketTimes.all(since)
      : this.#s.agentTicketTimes.all(agentId, since)) as unknown as TicketTimes[];
  }

  /** Average rating and how many, of tickets opened since `since`. */
  ratings(agentId: number | null, since: number): { average: number | null; count: number } {
    const row =
      (agentId === null
        ? this.#s.teamRatings.get(since)
        : this.#s.agentRatings.get(agentId, since)) as { average: number | null; n: number };
    return { average: row.average, count: row.n };
  }

  // ---- deliveries ----

  /** Adds a call (a method and its parameters, kept as JSON) to the outbox; returns its id. */
  insertDelivery(
    chatId: number,
    call: { readonly method: string; readonly params: object },
    messageId: number | null,
    now: number,
  ): number {
    const params = JSON.stringify(call.params);
    return this.#insert("insertDelivery", chatId, call.method, params, messageId, now);
  }

  /**
   * Chats whose oldest pending delivery is due at `now`, leaving out `busy` chats, oldest
   * first, at most `limit`.
   */
  chatsDue(now: number, busy: readonly number[], limit: number): number[] {
    return this.#s.chatsDue.all(now, JSON.stringify(busy), limit).map((row) => Number(row.chatId));
  }

  /** The oldest pending delivery to a chat: the only one that may go next. */
  nextPending(chatId: number): Delivery | undefined {
    return this.#s.nextPending.get(chatId) as Delivery | undefined;
  }

  /**
   * When the earliest delivery put off until after `now` (a retry or a rate-limit wait)
   * falls due, if any is.
   */
  nextRetryAt(now: number): number | undefined {
    const row = this.#s.nextRetryAt.get(now) as { n: number | null };
    return row.n ?? undefined;
  }

  /** Marks a delivery done for good: sent, or failed with an error. */
  markDelivery(id: number, status: "sent" | "failed", error: string | null, now: number): void {
    this.#run("markDone", status, error, now, id);
  }

  /** Schedules another try; `countAttempt` is false for rate limits, which are not faults. */
  retryDelivery(id: number, at: number, error: string, countAttempt: boolean): void {
    this.#run("retryLater", Number(countAttempt), Math.ceil(at), error, id);
  }

  /** Cancels everything still waiting to go to a chat; returns how many. */
  cancelPendingTo(chatId: number, reason: string, now: number): number {
    return this.#run("cancelPendingTo", reason, now, chatId);
  }

  /** How many deliveries are waiting. */
  pendingCount(): number {
    return this.#n("pendingCount");
  }

  /**
   * One step of forgetting finished deliveries (sent, failed, cancelled) done before
   * `before`: looks at up to `limit` deliveries after id `afterId`, in id order, deletes the
   * finished old ones, and returns the id to continue after, or `undefined` when it reached
   * deliveries created since `before` (ids grow with time) or the end.
   */
  pruneDeliveries(afterId: number, before: number, limit: number): number | undefined {
    const rows = this.#s.deliveriesAfter.all(afterId, limit) as {
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
      if (row.status !== "pending" && row.doneAt !== null && row.doneAt < before) old.push(row.id);
    }
    if (old.length > 0) this.#run("deleteDeliveries", JSON.stringify(old));
    return reachedRecent ? undefined : rows[rows.length - 1].id;
  }

  // ---- handled updates ----

  /** Records an update as handled; false when it had been handled already. */
  markHandled(updateId: number, now: number): boolean {
    return this.#run("markHandled", updateId, now) === 1;
  }

  /** Forgets handled update ids recorded before `before`. */
  pruneHandled(before: number): number {
    return this.#run("pruneHandled", before);
  }

  // ---- stats ----

  /** An agent's counts; tickets counted since `since1` and `since2`. */
  agentCounts(agentId: number, since1: number, since2: number): AgentCounts {
    return this.#s.agentCounts.get({ a: agentId, since1, since2 }) as unknown as AgentCounts;
  }

  /** An agent's latest tickets, newest first. */
  recentTickets(agentId: number, limit: number): RecentTicket[] {
    return this.#s.recentTickets.all(agentId, limit) as unknown as RecentTicket[];
  }
}
