/**
 * What reports read: history pages (of a client, of a ticket) and export pages of messages
 * with their names, and the figures of `/stats` and `/team` (ticket times, ratings, an
 * agent's counts and latest tickets, the team's agents). Reads only.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import {
  type AgentCounts,
  type AgentSummary,
  count,
  type ExportLine,
  type HistoryLine,
  prepare,
  type RecentTicket,
  rowOf,
  rowsOf,
  type Stored,
  type TicketTimes,
} from "./rows.ts";

/** A client's figures on their card. */
export interface ClientCardFigures {
  readonly tickets: number;
  readonly lastTicketId: number | null;
  readonly lastRating: number | null;
  /** Whether the agent who asks served the client. */
  readonly served: boolean;
}

const SQL = {
  clientCard: `SELECT count(*) AS tickets, max(id) AS lastTicketId,
        (SELECT rating FROM tickets r WHERE r.client_id = $client AND r.rating IS NOT NULL
          ORDER BY r.rated_at DESC, r.id DESC LIMIT 1) AS lastRating,
        EXISTS (SELECT 1 FROM tickets s WHERE s.client_id = $client AND s.agent_id = $agent)
          AS served
        FROM tickets WHERE client_id = $client`,
  ticketHistoryPage: `SELECT m.id, m.ticket_id AS ticketId, m.sender_role AS senderRole,
        m.kind, m.text, m.created_at AS createdAt, m.edited_at AS editedAt,
        m.media_group_id AS mediaGroupId, m.internal, coalesce(u.name, u.full_name) AS senderName,
        (SELECT coalesce(bc.owner_name, b.connection_id) FROM business_messages b
          LEFT JOIN business_connections bc ON bc.id = b.connection_id
          WHERE b.message_id = m.id LIMIT 1) AS account
        FROM messages m JOIN users u ON u.user_id = m.sender_id
        WHERE m.ticket_id = ? AND m.id > ? AND m.id <= ? ORDER BY m.id LIMIT ?`,
  exportPage: `SELECT m.id, m.ticket_id AS ticketId, m.client_id AS clientId,
        m.sender_id AS senderId, m.sender_role AS senderRole, m.kind, m.text,
        m.created_at AS createdAt, m.edited_at AS editedAt, m.media_group_id AS mediaGroupId,
        coalesce(u.name, u.full_name) AS senderName,
        coalesce(c.name, c.full_name) AS clientName, c.phone AS clientPhone,
        t.department,
        (SELECT coalesce(bc.owner_name, w.connection_id) FROM ticket_ways w
          LEFT JOIN business_connections bc ON bc.id = w.connection_id
          WHERE w.ticket_id = m.ticket_id) AS inbox
        FROM messages m JOIN users u ON u.user_id = m.sender_id
        JOIN users c ON c.user_id = m.client_id
        LEFT JOIN tickets t ON t.id = m.ticket_id
        WHERE (m.created_at, m.id) > (?, ?) AND m.created_at < ?
        ORDER BY m.created_at, m.id LIMIT ?`,
  historyPage: `SELECT m.id, m.ticket_id AS ticketId, m.sender_role AS senderRole, m.kind,
        m.text, m.created_at AS createdAt, m.edited_at AS editedAt,
        m.media_group_id AS mediaGroupId, m.internal, coalesce(u.name, u.full_name) AS senderName,
        (SELECT coalesce(bc.owner_name, b.connection_id) FROM business_messages b
          LEFT JOIN business_connections bc ON bc.id = b.connection_id
          WHERE b.message_id = m.id LIMIT 1) AS account
        FROM messages m JOIN users u ON u.user_id = m.sender_id
        WHERE m.client_id = ? AND m.id > ? AND m.id <= ? ORDER BY m.id LIMIT ?`,
  lastMessageId: `SELECT coalesce(max(id), 0) AS n FROM messages`,

  teamAgents: `SELECT u.user_id AS userId, coalesce(u.name, u.full_name) AS name,
        u.is_available AS isAvailable, u.current_ticket_id AS currentTicketId,
        (SELECT count(*) FROM tickets t WHERE t.agent_id = u.user_id AND t.opened_at >= ?)
          AS tickets,
        (SELECT avg(t.rating) FROM tickets t WHERE t.agent_id = u.user_id AND t.opened_at >= ?)
          AS ratingAverage
        FROM users u WHERE u.is_agent = 1 ORDER BY tickets DESC, u.user_id LIMIT ?`,
  agentStates: `SELECT count(*) AS total,
        coalesce(sum(current_ticket_id IS NOT NULL), 0) AS busy,
        coalesce(sum(current_ticket_id IS NULL AND is_available = 1), 0) AS available,
        coalesce(sum(current_ticket_id IS NULL AND is_available = 0), 0) AS away
        FROM users WHERE is_agent = 1`,
  agentTicketTimes: `SELECT opened_at AS openedAt, first_response_at AS firstResponseAt,
        closed_at AS closedAt FROM tickets WHERE agent_id = ? AND opened_at >= ?`,
  teamTicketTimes: `SELECT opened_at AS openedAt, first_response_at AS firstResponseAt,
        closed_at AS closedAt FROM tickets WHERE opened_at >= ?`,
  agentRatings: `SELECT avg(rating) AS average, count(rating) AS n FROM tickets
        WHERE agent_id = ? AND opened_at >= ? AND rating IS NOT NULL`,
  teamRatings: `SELECT avg(rating) AS average, count(rating) AS n FROM tickets
        WHERE opened_at >= ? AND rating IS NOT NULL`,

  agentCounts: `SELECT
        (SELECT count(DISTINCT client_id) FROM tickets WHERE agent_id = $a) AS clientsTotal,
        (SELECT count(*) FROM tickets WHERE agent_id = $a) AS ticketsTotal,
        (SELECT count(*) FROM tickets WHERE agent_id = $a AND opened_at >= $since1)
          AS ticketsSince1,
        (SELECT count(*) FROM tickets WHERE agent_id = $a AND opened_at >= $since2)
          AS ticketsSince2,
        (SELECT count(*) FROM messages WHERE agent_id = $a AND sender_role = 'agent')
          - (SELECT count(*) - count(DISTINCT media_group_id) FROM messages INDEXED BY
            messages_album_agent WHERE agent_id = $a AND sender_role = 'agent'
            AND media_group_id IS NOT NULL) AS messagesSent,
        (SELECT count(*) FROM messages WHERE agent_id = $a AND sender_role = 'client')
          - (SELECT count(*) - count(DISTINCT media_group_id) FROM messages INDEXED BY
            messages_album_agent WHERE agent_id = $a AND sender_role = 'client'
            AND media_group_id IS NOT NULL) AS messagesReceived`,
  recentTickets: `SELECT coalesce(u.name, u.full_name) AS clientName,
        t.opened_at AS openedAt, t.closed_at AS closedAt
        FROM tickets t JOIN users u ON u.user_id = t.client_id
        WHERE t.agent_id = ? ORDER BY t.opened_at DESC, t.id DESC LIMIT ?`,
};

/** The functions reports read with, on statements prepared once here. */
export function reportQueries(db: DatabaseSync) {
  const s = prepare(db, SQL);
  return {
    /**
     * A client's figures for their card, and whether `agentId` served them (in any ticket):
     * an agent sees the card only of clients they served.
     */
    clientCard(clientId: number, agentId: number): ClientCardFigures {
      const row = s.clientCard.get({ client: clientId, agent: agentId })!;
      return {
        tickets: Number(row.tickets),
        lastTicketId: row.lastTicketId === null ? null : Number(row.lastTicketId),
        lastRating: row.lastRating === null ? null : Number(row.lastRating),
        served: row.served === 1,
      };
    },

    // ---- history and export pages ----

    /** Like {@link historyPage}, for one ticket. */
    ticketHistoryPage(ticketId: number, afterId: number, upToId: number, limit: number) {
      return rowsOf<HistoryLine>(s.ticketHistoryPage.all(
        ticketId,
        afterId,
        upToId,
        limit,
      ));
    },

    /**
     * Up to `limit` messages written in [`from`, `to`), in time order, after the message
     * (`afterTime`, `afterId`).
     */
    exportPage(afterTime: number, afterId: number, to: number, limit: number): ExportLine[] {
      return rowsOf<ExportLine>(s.exportPage.all(afterTime, afterId, to, limit));
    },

    /** The highest message id so far (0 when none). */
    lastMessageId(): number {
      return count(s.lastMessageId.get());
    },

    /** Up to `limit` of a client's messages with ids in (`afterId`, `upToId`], in order. */
    historyPage(clientId: number, afterId: number, upToId: number, limit: number): HistoryLine[] {
      return rowsOf<HistoryLine>(s.historyPage.all(clientId, afterId, upToId, limit));
    },

    // ---- metrics ----

    /** Times of the tickets opened since `since`, of one agent or (`null`) of everyone. */
    ticketTimes(agentId: number | null, since: number): TicketTimes[] {
      return rowsOf<TicketTimes>(
        agentId === null ? s.teamTicketTimes.all(since) : s.agentTicketTimes.all(agentId, since),
      );
    },

    /** Average rating and how many, of tickets opened since `since`. */
    ratings(agentId: number | null, since: number): { average: number | null; count: number } {
      const row =
        (agentId === null ? s.teamRatings.get(since) : s.agentRatings.get(agentId, since)) as {
          average: number | null;
          n: number;
        };
      return { average: row.average, count: row.n };
    },

    /** Agents with their tickets and average rating since `since`, busiest first. */
    teamAgents(since: number, limit: number): AgentSummary[] {
      return rowsOf<Stored<AgentSummary>>(s.teamAgents.all(since, since, limit)).map((row) => ({
        ...row,
        isAvailable: row.isAvailable === 1,
      }));
    },

    // ---- stats ----

    /**
     * How many agents are in each state: in a dialog, else waiting for clients or not taking
     * them (the states of `agentState`), so that the three add up to the total.
     */
    agentStates(): { total: number; available: number; busy: number; away: number } {
      const row = s.agentStates.get() as Record<"total" | "available" | "busy" | "away", number>;
      return { total: row.total, available: row.available, busy: row.busy, away: row.away };
    },

    /** An agent's counts; tickets counted since `since1` and `since2`. */
    agentCounts(agentId: number, since1: number, since2: number): AgentCounts {
      return rowOf<AgentCounts>(s.agentCounts.get({ a: agentId, since1, since2 }))!;
    },

    /** An agent's latest tickets, newest first. */
    recentTickets(agentId: number, limit: number): RecentTicket[] {
      return rowsOf<RecentTicket>(s.recentTickets.all(agentId, limit));
    },
  };
}

/** The report functions of a `Store`. */
export type ReportQueries = ReturnType<typeof reportQueries>;
