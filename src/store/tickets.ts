/**
 * Tickets: opening, assigning, requeueing and closing them, the queue (its order, a ticket's
 * place in it, its first page), first responses and ratings, and the bot's messages whose
 * buttons stop working with a ticket ({@link ButtonAction}).
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
        AND (t.opened_at < ? OR (t.opened_at = ? AND t.id <= ?)) AND ${NOT_BANNED}`,
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

    /** Opens a ticket, waiting in the queue until it is assigned; returns its id. */
    createTicket(clientId: number, now: number, previousTicketId: number | null = null): number {
      return insertedId(s.createTicket.run(clientId, now, previousTicketId));
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

    /** The 1-based place of a queued ticket in the queue. */
    queuePosition(ticket: Ticket): number {
      return count(s.queuePosition.get(ticket.openedAt, ticket.openedAt, ticket.id));
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
