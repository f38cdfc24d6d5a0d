/**
 * Telegram Business: the accounts connected to the bot (their rights, enabled or not), which
 * way each ticket's client came in (a business connection, or none: the bot's own chat),
 * where a stored message is in a business chat (ids of that chat, keyed by connection and
 * chat, never mixed with the bot's chat of the same client), and when a client last wrote to
 * an account (it may answer them only within 24 hours).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { prepare } from "./rows.ts";

/** A business account connected to the bot, as last told by Telegram. */
export interface Connection {
  readonly id: string;
  readonly ownerId: number;
  readonly userChatId: number;
  readonly ownerName: string;
  /** BusinessBotRights as Telegram sent them (`can_reply`, `can_read_messages`, ...). */
  readonly rights: Readonly<Record<string, boolean>>;
  readonly isEnabled: boolean;
  readonly updatedAt: number;
}

const CONNECTION = `id, owner_id AS ownerId, user_chat_id AS userChatId, owner_name AS ownerName,
  rights, is_enabled AS isEnabled, updated_at AS updatedAt`;

const SQL = {
  saveConnection: `INSERT INTO business_connections (id, owner_id, user_chat_id, owner_name,
        rights, is_enabled, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET owner_id = excluded.owner_id,
        user_chat_id = excluded.user_chat_id, owner_name = excluded.owner_name,
        rights = excluded.rights, is_enabled = excluded.is_enabled,
        updated_at = excluded.updated_at`,
  getConnection: `SELECT ${CONNECTION} FROM business_connections WHERE id = ?`,
  connections: `SELECT ${CONNECTION} FROM business_connections ORDER BY id`,
  wayOf: `SELECT connection_id AS c FROM ticket_ways WHERE ticket_id = ?`,
  setWay: `INSERT INTO ticket_ways (ticket_id, connection_id) VALUES (?, ?)
        ON CONFLICT (ticket_id) DO UPDATE SET connection_id = excluded.connection_id`,
  clearWay: `DELETE FROM ticket_ways WHERE ticket_id = ?`,
  lastWayOfClient: `SELECT w.connection_id AS c FROM tickets t INDEXED BY tickets_client
        LEFT JOIN ticket_ways w ON w.ticket_id = t.id
        WHERE t.client_id = ? ORDER BY t.id DESC LIMIT 1`,
  placeBusiness: `INSERT OR REPLACE INTO business_messages (connection_id, chat_id,
        chat_message_id, message_id) VALUES (?, ?, ?, ?)`,
  businessMessage: `SELECT message_id AS m FROM business_messages
        WHERE connection_id = ? AND chat_id = ? AND chat_message_id = ?`,
  businessPlaces: `SELECT chat_message_id AS id FROM business_messages
        WHERE message_id = ? AND connection_id = ? ORDER BY chat_message_id`,
  lastWritten: `SELECT id FROM messages WHERE sender_id = ? AND chat_message_id = ?
        ORDER BY id DESC LIMIT 1`,
  clientWroteAt: `INSERT INTO business_chats (connection_id, chat_id, last_client_at)
        VALUES (?, ?, ?) ON CONFLICT (connection_id, chat_id)
        DO UPDATE SET last_client_at = max(last_client_at, excluded.last_client_at)`,
  lastClientAt: `SELECT last_client_at AS at FROM business_chats
        WHERE connection_id = ? AND chat_id = ?`,
  openWays: `SELECT w.ticket_id AS ticketId FROM ticket_ways w JOIN tickets t ON t.id = w.ticket_id
        WHERE w.connection_id = ? AND t.status <> 'closed' ORDER BY w.ticket_id`,
  waysCount: `SELECT w.connection_id AS connectionId, count(*) AS n,
        sum(t.status <> 'closed') AS open FROM ticket_ways w JOIN tickets t ON t.id = w.ticket_id
        GROUP BY w.connection_id ORDER BY w.connection_id`,
  hold: `INSERT INTO business_held (connection_id, chat_id, ticket_id, method, params,
        message_id, refused, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  // What was sent and refused was written before anything kept at once: it goes first.
  heldOf: `SELECT id, ticket_id AS ticketId, method, params, message_id AS messageId
        FROM business_held WHERE connection_id = ? AND chat_id = ?
        ORDER BY refused DESC, id`,
  // The account's deliveries to a client still in the outbox, in the order they would go.
  pendingAsAccount: `SELECT id, method, params, message_id AS messageId FROM deliveries
        WHERE chat_id = ? AND status = 'pending' AND lane = 0
        AND instr(params, ?) > 0 ORDER BY priority, id`,
  isHeld: `SELECT 1 AS n FROM business_held WHERE message_id = ? LIMIT 1`,
  heldChats: `SELECT DISTINCT chat_id AS chatId FROM business_held WHERE connection_id = ?
        ORDER BY chat_id`,
  unhold: `DELETE FROM business_held WHERE connection_id = ? AND chat_id = ?`,
} as const;

/** A staff answer kept until the account may write to its client again. */
export interface HeldAnswer {
  readonly id: number;
  readonly ticketId: number;
  readonly method: string;
  readonly params: string;
  readonly messageId: number | null;
}

/** Tickets that came in through one business account: all of them, and those not closed. */
export interface InboxCount {
  readonly connectionId: string;
  readonly tickets: number;
  readonly open: number;
}

/** The functions over business connections, on statements prepared once here. */
export function businessQueries(db: DatabaseSync) {
  const s = prepare(db, SQL);
  const toConnection = (row: Record<string, unknown> | undefined): Connection | undefined =>
    row === undefined ? undefined : {
      id: String(row.id),
      ownerId: Number(row.ownerId),
      userChatId: Number(row.userChatId),
      ownerName: String(row.ownerName),
      rights: JSON.parse(String(row.rights)),
      isEnabled: Number(row.isEnabled) === 1,
      updatedAt: Number(row.updatedAt),
    };
  return {
    /** Saves a connection as Telegram tells it now (a new one, or a change). */
    saveConnection(c: Connection): void {
      s.saveConnection.run(
        c.id,
        c.ownerId,
        c.userChatId,
        c.ownerName,
        JSON.stringify(c.rights),
        c.isEnabled ? 1 : 0,
        c.updatedAt,
      );
    },

    /** The connection with this id, if the bot was told of it. */
    getConnection(id: string): Connection | undefined {
      return toConnection(s.getConnection.get(id));
    },

    /** Every connection the bot was told of. */
    connections(): Connection[] {
      return s.connections.all().map((row) => toConnection(row)!);
    },

    /** The business connection a ticket's client wrote through last, or `null`: the bot. */
    wayOf(ticketId: number): string | null {
      const row = s.wayOf.get(ticketId) as { c: string } | undefined;
      return row?.c ?? null;
    },

    /** The way the client's latest ticket came in: a connection, or `null` (the bot, none). */
    lastWayOfClient(clientId: number): string | null {
      const row = s.lastWayOfClient.get(clientId) as { c: string | null } | undefined;
      return row?.c ?? null;
    },

    /** Sets the way a ticket's client wrote last: a connection, or `null` for the bot. */
    setWay(ticketId: number, connectionId: string | null): void {
      if (connectionId === null) s.clearWay.run(ticketId);
      else s.setWay.run(ticketId, connectionId);
    },

    /** Records that stored message `messageId` is `chatMessageId` of a business chat. */
    placeBusiness(
      connectionId: string,
      chatId: number,
      chatMessageId: number,
      messageId: number,
    ): void {
      s.placeBusiness.run(connectionId, chatId, chatMessageId, messageId);
    },

    /**
     * The latest message `senderId` wrote as `chatMessageId` (a business chat's message is
     * saved with its id there negated: never one of the bot's chat).
     */
    lastWritten(senderId: number, chatMessageId: number): number | null {
      const row = s.lastWritten.get(senderId, chatMessageId) as { id: number } | undefined;
      return row?.id ?? null;
    },

    /** The stored message at `chatMessageId` of a business chat (the client's, or a copy). */
    businessMessage(connectionId: string, chatId: number, chatMessageId: number): number | null {
      const row = s.businessMessage.get(connectionId, chatId, chatMessageId) as
        | { m: number }
        | undefined;
      return row?.m ?? null;
    },

    /** Where stored message `messageId` is in the business chats of `connectionId`. */
    businessPlaces(messageId: number, connectionId: string): number[] {
      return s.businessPlaces.all(messageId, connectionId).map((row) => Number(row.id));
    },

    /** A client wrote to the account at `at`: the 24 hours start again. */
    clientWroteAt(connectionId: string, chatId: number, at: number): void {
      s.clientWroteAt.run(connectionId, chatId, at);
    },

    /** When a client last wrote to the account, if ever. */
    lastClientAt(connectionId: string, chatId: number): number | null {
      const row = s.lastClientAt.get(connectionId, chatId) as { at: number } | undefined;
      return row?.at ?? null;
    },

    /** The tickets not closed whose client wrote through `connectionId` last. */
    openWays(connectionId: string): number[] {
      return s.openWays.all(connectionId).map((row) => Number(row.ticketId));
    },

    /**
     * Keeps an answer (its call) until the account may write to client `chatId` again;
     * `refused`: it was sent and Telegram refused it (it goes before those kept at once).
     */
    hold(
      connectionId: string,
      chatId: number,
      ticketId: number,
      call: { readonly method: string; readonly params: unknown },
      messageId: number | null,
      now: number,
      refused = false,
    ): void {
      s.hold.run(
        connectionId,
        chatId,
        ticketId,
        call.method,
        JSON.stringify(call.params),
        messageId,
        refused ? 1 : 0,
        now,
      );
    },

    /** The answers kept for client `chatId` of an account, oldest first. */
    heldOf(connectionId: string, chatId: number): HeldAnswer[] {
      return s.heldOf.all(connectionId, chatId).map((row) => ({
        id: Number(row.id),
        ticketId: Number(row.ticketId),
        method: String(row.method),
        params: String(row.params),
        messageId: row.messageId === null ? null : Number(row.messageId),
      }));
    },

    /** The deliveries to client `chatId` as the account of `connectionId` not sent yet. */
    pendingAsAccount(
      connectionId: string,
      chatId: number,
    ): { id: number; method: string; params: string; messageId: number | null }[] {
      const mark = `"business_connection_id":${JSON.stringify(connectionId)}`;
      return s.pendingAsAccount.all(chatId, mark).map((row) => ({
        id: Number(row.id),
        method: String(row.method),
        params: String(row.params),
        messageId: row.messageId === null ? null : Number(row.messageId),
      }));
    },

    /** Whether stored message `messageId` is kept for the account to write again. */
    isHeld(messageId: number): boolean {
      return s.isHeld.get(messageId) !== undefined;
    },

    /** The clients of an account with answers kept for them. */
    heldChats(connectionId: string): number[] {
      return s.heldChats.all(connectionId).map((row) => Number(row.chatId));
    },

    /** Forgets the answers kept for client `chatId` of an account (sent or given up). */
    unhold(connectionId: string, chatId: number): void {
      s.unhold.run(connectionId, chatId);
    },

    /** Per connected account: its tickets, and how many are not closed. */
    inboxCounts(): InboxCount[] {
      return s.waysCount.all().map((row) => ({
        connectionId: String(row.connectionId),
        tickets: Number(row.n),
        open: Number(row.open ?? 0),
      }));
    },
  };
}

/** The functions over business connections. */
export type BusinessQueries = ReturnType<typeof businessQueries>;
