/**
 * Team mode's records: each client's topic in the staff group (and in a department's own
 * group, `group_topics`: a client may have one in each), the ticket offered to a member and
 * when it began to wait, the members' role (given by the group, taken by an admin's revoke),
 * and the desk's own small records (`desk_state`: the staff group's id after a migration, each
 * group's board's message and text).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { changes, prepare, rowsOf, TICKET, type Ticket, toUser, USER, type User } from "./rows.ts";

const SQL = {
  topicOf: `SELECT topic_id AS n FROM users WHERE user_id = ?`,
  clientOfTopic: `SELECT ${USER} FROM users WHERE topic_id = ?`,
  setTopic: `UPDATE users SET topic_id = ? WHERE user_id = ?`,
  forgetTopic: `UPDATE users SET topic_id = NULL, card_message_id = NULL
        WHERE user_id = ? AND topic_id = ?`,
  setCard: `UPDATE users SET card_message_id = ? WHERE user_id = ?`,
  cardOf: `SELECT card_message_id AS n FROM users WHERE user_id = ?`,
  // The same in a department's own staff group.
  groupTopicOf: `SELECT topic_id AS n FROM group_topics WHERE client_id = ? AND chat_id = ?`,
  groupClientOfTopic: `SELECT ${USER} FROM users WHERE user_id =
        (SELECT client_id FROM group_topics WHERE chat_id = ? AND topic_id = ?)`,
  setGroupTopic: `INSERT INTO group_topics (client_id, chat_id, topic_id) VALUES (?, ?, ?)
        ON CONFLICT(client_id, chat_id) DO UPDATE SET topic_id = excluded.topic_id,
        card_message_id = NULL`,
  forgetGroupTopic: `DELETE FROM group_topics WHERE client_id = ? AND chat_id = ? AND topic_id = ?`,
  setGroupCard: `UPDATE group_topics SET card_message_id = ? WHERE client_id = ? AND chat_id = ?`,
  groupCardOf: `SELECT card_message_id AS n FROM group_topics WHERE client_id = ? AND chat_id = ?`,
  makeMember: `UPDATE users SET is_agent = 1, is_available = 1, last_online = ?,
        awaiting_name = 0 WHERE user_id = ? AND is_agent = 0 AND revoked_at IS NULL
        AND banned_at IS NULL`,
  setRevoked: `UPDATE users SET revoked_at = ? WHERE user_id = ?`,
  offerTicket: `UPDATE tickets SET offered_to = ? WHERE id = ?`,
  offeredTo: `SELECT offered_to AS n FROM tickets WHERE id = ?`,
  markWaiting: `UPDATE tickets SET waiting_since = ? WHERE status = 'queued'
        AND waiting_since IS NULL AND opened_at <= ? RETURNING id`,
  waitingSince: `SELECT waiting_since AS n FROM tickets WHERE id = ?`,
  waitingTickets: `SELECT ${TICKET}, t.waiting_since AS waitingSince FROM tickets t
        WHERE t.status = 'queued' ORDER BY t.opened_at, t.id LIMIT ?`,
  openTicketsList: `SELECT ${TICKET} FROM tickets t WHERE t.status = 'open'
        ORDER BY t.opened_at, t.id LIMIT ?`,
  members: `SELECT ${USER} FROM users WHERE is_agent = 1 ORDER BY user_id`,
  getState: `SELECT value FROM desk_state WHERE key = ?`,
  setState: `INSERT INTO desk_state (key, value) VALUES (?, ?)
        ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
};

/** A ticket waiting for a member, with when it began to show as waiting (if it does). */
export type WaitingTicket = Ticket & { readonly waitingSince: number | null };

/** The keys of `desk_state`. */
export type DeskStateKey =
  | "staff_chat_id"
  | "board_message_id"
  | "board_text"
  // A department's own staff group's board.
  | `board_message_id:${number}`
  | `board_text:${number}`;

/** The functions of team mode, on statements prepared once here. */
export function teamQueries(db: DatabaseSync) {
  const s = prepare(db, SQL);
  const num = (row: Record<string, unknown> | undefined) =>
    row?.n === null || row?.n === undefined ? null : Number(row.n);
  // `group` of the functions of topics: a department's own staff group; `null` (the default):
  // the staff group of STAFF_CHAT_ID.
  return {
    /** The client's topic in the staff group (or `group`), if made. */
    topicOf(clientId: number, group: number | null = null): number | null {
      return num(group === null ? s.topicOf.get(clientId) : s.groupTopicOf.get(clientId, group));
    },
    /** The client whose topic this is, in the staff group (or `group`). */
    clientOfTopic(topicId: number, group: number | null = null): User | undefined {
      return toUser(
        group === null ? s.clientOfTopic.get(topicId) : s.groupClientOfTopic.get(group, topicId),
      );
    },
    /** Records the client's topic in the staff group (or `group`). */
    setTopic(clientId: number, topicId: number, group: number | null = null): void {
      if (group === null) s.setTopic.run(topicId, clientId);
      else s.setGroupTopic.run(clientId, group, topicId);
    },
    /** Records the client card pinned in the client's topic. */
    setCard(clientId: number, messageId: number, group: number | null = null): void {
      if (group === null) s.setCard.run(messageId, clientId);
      else s.setGroupCard.run(messageId, clientId, group);
    },
    /** The client card pinned in the client's topic, if one was. */
    cardOf(clientId: number, group: number | null = null): number | null {
      return num(group === null ? s.cardOf.get(clientId) : s.groupCardOf.get(clientId, group));
    },
    /** Forgets the client's topic, if it is still `topicId` (someone deleted it). */
    forgetTopic(clientId: number, topicId: number, group: number | null = null): boolean {
      const result = group === null
        ? s.forgetTopic.run(clientId, topicId)
        : s.forgetGroupTopic.run(clientId, group, topicId);
      return changes(result) > 0;
    },
    /**
     * Makes a member of the staff group an agent (available, online from `now`), unless an
     * admin revoked them or they are banned; true when they became one now.
     */
    makeMember(userId: number, now: number): boolean {
      return changes(s.makeMember.run(now, userId)) > 0;
    },
    /** Records that an admin took the role away (`null`: given back by /register_support). */
    setRevoked(userId: number, at: number | null): void {
      s.setRevoked.run(at, userId);
    },
    /** Records the member a waiting ticket was offered to. */
    offerTicket(ticketId: number, memberId: number | null): void {
      s.offerTicket.run(memberId, ticketId);
    },
    /** The member a ticket was offered to. */
    offeredTo(ticketId: number): number | null {
      return num(s.offeredTo.get(ticketId));
    },
    /**
     * Marks as waiting, at `now`, the queued tickets opened at or before `openedBy` that are
     * not marked yet; returns their ids.
     */
    markWaiting(now: number, openedBy: number): number[] {
      return s.markWaiting.all(now, openedBy).map((row) => Number(row.id));
    },
    /** When a ticket began to show as waiting. */
    waitingSince(ticketId: number): number | null {
      return num(s.waitingSince.get(ticketId));
    },
    /** Queued tickets, oldest first. */
    waitingTickets(limit: number): WaitingTicket[] {
      return rowsOf<WaitingTicket>(s.waitingTickets.all(limit));
    },
    /** Open tickets, oldest first. */
    openTicketsList(limit: number): Ticket[] {
      return rowsOf<Ticket>(s.openTicketsList.all(limit));
    },
    /** Every agent (in team mode: the members who wrote in the group). */
    members(): User[] {
      return s.members.all().map((row) => toUser(row)!);
    },
    /** One of the desk's records. */
    deskState(key: DeskStateKey): string | undefined {
      const row = s.getState.get(key);
      return row === undefined ? undefined : String(row.value);
    },
    /** Writes one of the desk's records. */
    setDeskState(key: DeskStateKey, value: string): void {
      s.setState.run(key, value);
    },
  };
}

/** The functions of team mode. */
export type TeamQueries = ReturnType<typeof teamQueries>;
