/**
 * Tickets: opening, assigning, requeueing and closing them, their department, the queue (its
 * order, a ticket's place in it, its first page, the oldest ticket an agent may take), a
 * client's last agent, the messages kept while a client picks a department, first responses
 * and ratings, and the bot's messages whose buttons stop working with a ticket
 * ({@link ButtonAction}).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import {
  changes,
  type ClosedBy,
  count,
  insertedId,
  prepare,
  type QueuedTicket,
  rowsOf,
  storedList,
  TICKET,
  type Ticket,
} from "./rows.ts";

/** Leaves out tickets of banned clients, which wait outside the queue. */
const NOT_BANNED = `NOT EXISTS (SELECT 1 FROM users b WHERE b.user_id = t.client_id
  AND b.banned_at IS NOT NULL)`;

/** The buttons kept track of, by their action: "close" (the ticket), "skip" (no comment). */
export type ButtonAction = "close" | "skip";

const SQL = {
  keepButtons: `INSERT OR IGNORE INTO button_messages (chat_id, message_id, ticket_id, action)
        VALUES (?, ?, ?, ?)`,
  buttonsOf: `SELECT chat_id AS chatId, message_id AS messageId FROM button_messages
        WHERE ticket_id = ? AND action = ? ORDER BY message_id`,
  forgetTicketButtons: `DELETE FROM button_messages WHERE ticket_id = ? AND action = ?`,
  forgetButtons: `DELETE FROM button_messages WHERE chat_id = ? AND message_id = ?`,
  getTicket: `SELECT ${TICKET} FROM tickets t WHERE t.id = ?`,
  createTicket: `INSERT INTO tickets (client_id, status, opened_at, previous_ticket_id,
        department) VALUES (?, 'queued', ?, ?, ?)`,
  setDepartment: `UPDATE tickets SET department = ? WHERE id = ?`,
  // The agent of the client's latest ticket before `before` that had one.
  lastAgentOfClient: `SELECT agent_id AS n FROM tickets WHERE client_id = ? AND id < ?
        AND agent_id IS NOT NULL ORDER BY id DESC LIMIT 1`,
  // The oldest queued ticket an agent of these departments and languages may take: of one of
  // their departments (any, when they are in none; a ticket in none, by anyone), and of a
  // client who speaks one of their languages unless the ticket opened by $waitedBy.
  oldestQueuedFor: `SELECT ${TICKET} FROM tickets t JOIN users c ON c.user_id = t.client_id
        WHERE t.status = 'queued' AND t.id <> $except AND c.banned_at IS NULL
        AND ($departments IS NULL OR t.department IS NULL
          OR instr($departments, ',' || t.department || ',') > 0)
        AND (t.opened_at <= $waitedBy OR instr($languages, ',' || c.language || ',') > 0)
        ORDER BY t.opened_at, t.id LIMIT 1`,
  holdMessage: `INSERT INTO held_messages (client_id, incoming, created_at) VALUES (?, ?, ?)`,
  heldMessages: `SELECT incoming FROM held_messages WHERE client_id = ? ORDER BY id LIMIT ?`,
  dropHeld: `DELETE FROM held_messages WHERE client_id = ?`,
  queuedByDepartment: `SELECT t.department, count(*) AS n FROM tickets t
        WHERE t.status = 'queued' AND ${NOT_BANNED} GROUP BY t.department`,
  // The agents of a department (NULL: of none), and how many of them are free.
  departmentAgents: `SELECT count(*) AS n,
        coalesce(sum(is_available = 1 AND current_ticket_id IS NULL), 0) AS free FROM users
        WHERE is_agent = 1 AND CASE WHEN ?1 IS NULL THEN departments IS NULL
          ELSE instr(departments, ?1) > 0 END`,
  queuedTickets: `SELECT ${TICKET} FROM tickets t WHERE t.status = 'queued' AND ${NOT_BANNED}
        ORDER BY t.opened_at, t.id LIMIT ?`,
  lastTicketOfClient: `SELECT ${TICKET} FROM tickets t WHERE t.client_id = ?
        ORDER BY t.id DESC LIMIT 1`,
  setFirstResponse: `UPDATE tickets SET first_response_at = ? WHERE id = ?
        AND first_response_at IS NULL`,
  rateTicket: `UPDATE tickets SET rating = ?, rated_at = ? WHERE id = ? AND rating IS NULL`,
  setRatingComment: `UPDATE tickets SET rating_comment = ? WHERE id = ?`,
  openTickets: `SELECT count(*) AS n FROM tickets WHERE status = 'open'`,
  assignTicket: `UPDATE tickets SET agent_id = ?, status = 'open', assigned_at = ?
        WHERE id = ?`,
  // On assignment, the ticket's messages with no agent yet (written while queued) get it.
  setMessagesAgent: `UPDATE messages SET agent_id = ? WHERE ticket_id = ?
        AND agent_id IS NULL`,
  requeueTicket: `UPDATE tickets SET agent_id = NULL, status = 'queued', assigned_at = NULL
        WHERE id = ?`,
  closeTicket: `UPDATE tickets SET status = 'closed', closed_at = ?, closed_by = ?
        WHERE id = ?`,
  oldestQueued: `SELECT ${TICKET} FROM tickets t WHERE t.status = 'queued' AND t.id <> ?
        AND ${NOT_BANNED} ORDER BY t.opened_at, t.id LIMIT 1`,
  queuePosition: `SELECT count(*) AS n FROM tickets t WHERE t.status = 'queued'
        AND (t.opened_at < ? OR (t.opened_at = ? AND t.id <= ?)) AND ${NOT_BANNED}
        AND (? IS NULL OR t.department IS NULL OR t.department = ?)`,
  queueLength: `SELECT count(*) AS n FROM tickets t WHERE t.status = 'queued'
        AND ${NOT_BANNED}`,
  queuePage: `SELECT ${TICKET}, coalesce(u.name, u.full_name) AS clientName,
        (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id) AS messages
        FROM tickets t JOIN users u ON u.user_id = t.client_id
        WHERE t.status = 'queued' AND u.banned_at IS NULL ORDER BY t.opened_at, t.id LIMIT ?`,
  ticketsOfClient: `SELECT ${TICKET} FROM tickets t WHERE t.client_id = ? ORDER BY t.id`,
};

/** The functions over tickets, on statements prepared once here. */
export function ticketQueries(db: DatabaseSync) {
  const s = prepare(db, SQL);
  return {
    /** The ticket with this id. */
    getTicket(id: number): Ticket | undefined {
      return s.getTicket.get(id) as Ticket | undefined;
    },

    /**
     * Opens a ticket (in `department`, if any), waiting in the queue until it is assigned;
     * returns its id.
     */
    createTicket(
      clientId: number,
      now: number,
      previousTicketId: number | null = null,
      department: string | null = null,
    ): number {
      return insertedId(s.createTicket.run(clientId, now, previousTicketId, department));
    },

    /** Moves a ticket to another department (`null`: none). */
    setTicketDepartment(ticketId: number, department: string | null): void {
      s.setDepartment.run(department, ticketId);
    },

    /** The agent who served the client last, in a ticket before `beforeTicketId`. */
    lastAgentOfClient(clientId: number, beforeTicketId: number): number | null {
      const row = s.lastAgentOfClient.get(clientId, beforeTicketId);
      return row === undefined ? null : Number(row.n);
    },

    /**
     * The ticket that has waited longest (but `except`) that an agent in `departments` (none:
     * serves all) speaking `languages` may take; a client who does not share a language with
     * them is theirs only when the ticket opened at or before `waitedBy`.
     */
    oldestQueuedFor(
      except: number,
      departments: readonly string[],
      languages: readonly string[],
      waitedBy: number,
    ): Ticket | undefined {
      return s.oldestQueuedFor.get({
        except,
        departments: departments.length === 0 ? null : storedList(departments),
        languages: storedList(languages),
        waitedBy,
      }) as Ticket | undefined;
    },

    /** How many tickets wait in the queue, per department (`null`: in none). */
    queuedByDepartment(): Map<string | null, number> {
      return new Map(
        s.queuedByDepartment.all().map((row) => [
          row.department === null ? null : String(row.department),
          Number(row.n),
        ]),
      );
    },

    /** How many agents work in `department` (`null`: in none), and how many of them are free. */
    departmentAgents(department: string | null): { agents: number; free: number } {
      const item = department === null ? null : storedList([department]);
      const row = s.departmentAgents.get(item) as { n: number; free: number };
      return { agents: row.n, free: row.free };
    },

    /** Keeps a client's message (as JSON) until they pick the department of their ticket. */
    holdMessage(clientId: number, incoming: string, now: number): void {
      s.holdMessage.run(clientId, incoming, now);
    },

    /** The messages kept for a client who picks a department (JSON), oldest first. */
    heldMessages(clientId: number, limit = 1000): string[] {
      return s.heldMessages.all(clientId, limit).map((row) => String(row.incoming));
    },

    /** Forgets the messages kept for a client (their ticket has them now). */
    dropHeld(clientId: number): void {
      s.dropHeld.run(clientId);
    },

    /** The first `limit` tickets of the queue, oldest first (banned clients' left out). */
    queuedTickets(limit: number): Ticket[] {
      return rowsOf<Ticket>(s.queuedTickets.all(limit));
    },

    /** A client's latest ticket, if any. */
    lastTicketOfClient(clientId: number): Ticket | undefined {
      return s.lastTicketOfClient.get(clientId) as Ticket | undefined;
    },

    /** Records an agent's first answer in a ticket (later answers change nothing). */
    setFirstResponse(ticketId: number, now: number): void {
      s.setFirstResponse.run(now, ticketId);
    },

    /** Stores a rating; false when the ticket was rated already. */
    rateTicket(ticketId: number, rating: number, now: number): boolean {
      return changes(s.rateTicket.run(rating, now, ticketId)) === 1;
    },

    /** Stores the comment of a rating. */
    setRatingComment(ticketId: number, comment: string): void {
      s.setRatingComment.run(comment, ticketId);
    },

    /** How many tickets are open (assigned). */
    openTickets(): number {
      return count(s.openTickets.get());
    },

    /** The first `limit` tickets of the queue, with the client's name and message count. */
    queuePage(limit: number): QueuedTicket[] {
      return rowsOf<QueuedTicket>(s.queuePage.all(limit));
    },

    /** Gives a ticket to an agent. */
    assignTicket(ticketId: number, agentId: number, now: number): void {
      s.assignTicket.run(agentId, now, ticketId);
      s.setMessagesAgent.run(agentId, ticketId);
    },

    /** Puts an assigned ticket back in the queue (at its original place, by opening time). */
    requeueTicket(ticketId: number): void {
      s.requeueTicket.run(ticketId);
    },

    /** Closes a ticket. */
    closeTicket(ticketId: number, now: number, by: ClosedBy): void {
      s.closeTicket.run(now, by, ticketId);
    },

    /** The ticket that has waited longest, if any, leaving out the ticket `except`. */
    oldestQueued(except = 0): Ticket | undefined {
      return s.oldestQueued.get(except) as Ticket | undefined;
    },

    /**
     * The 1-based place of a queued ticket in its queue: the waiting tickets before it that
     * the same agents would serve (of its department or of none; all, for a ticket of none).
     */
    queuePosition(ticket: Ticket): number {
      const department = ticket.department ?? null;
      return count(
        s.queuePosition.get(ticket.openedAt, ticket.openedAt, ticket.id, department, department),
      );
    },

    /** How many tickets wait in the queue. */
    queueLength(): number {
      return count(s.queueLength.get());
    },

    /** A client's tickets, oldest first. */
    ticketsOfClient(clientId: number): Ticket[] {
      return rowsOf<Ticket>(s.ticketsOfClient.all(clientId));
    },

    /** Keeps track of message `messageId` of chat `chatId`: it has `action`'s button. */
    keepButtons(chatId: number, messageId: number, ticketId: number, action: ButtonAction) {
      s.keepButtons.run(chatId, messageId, ticketId, action);
    },

    /** The messages with `action`'s button of a ticket, forgotten as they are returned. */
    takeButtons(
      ticketId: number,
      action: ButtonAction,
    ): { readonly chatId: number; readonly messageId: number }[] {
      const kept = rowsOf<{ chatId: number; messageId: number }>(
        s.buttonsOf.all(ticketId, action),
      );
      if (kept.length > 0) s.forgetTicketButtons.run(ticketId, action);
      return kept;
    },

    /** Forgets the buttons of one message (they were just taken away). */
    forgetButtons(chatId: number, messageId: number): void {
      s.forgetButtons.run(chatId, messageId);
    },
  };
}

/** The ticket functions of a `Store`. */
export type TicketQueries = ReturnType<typeof ticketQueries>;
