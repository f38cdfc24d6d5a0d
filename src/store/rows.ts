/**
 * What the storage parts share: the row types their functions return, the column lists that
 * read those rows (each kept next to its type, so a new column is added in one place), the
 * mappers that turn SQLite's integers into booleans, and the typed helpers every part uses
 * to prepare and run its statements.
 *
 * @module
 */
import type {
  DatabaseSync,
  SQLInputValue,
  SQLOutputValue,
  StatementResultingChanges,
  StatementSync,
} from "node:sqlite";
import type { Language } from "../texts/types.ts";
import { recordRows } from "./statement.ts";

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
  /** The phone number the client shared (their own contact), if they did. */
  readonly phone: string | null;
  /** Whether the bot waits for the client to share their number or skip it. */
  readonly awaitingContact: boolean;
  /** Team mode: the client's topic in the staff group, once made. */
  readonly topicId: number | null;
  /** When an admin took the agent role away (team mode then never gives it back). */
  readonly revokedAt: number | null;
  /** The languages an agent set (`/languages`); `null`: their app's ({@link languagesOf}). */
  readonly languages: readonly Language[] | null;
  /** The departments an agent works in; empty: none (they serve all). */
  readonly departments: readonly string[];
}

/** The languages an agent speaks: the ones they set, else their Telegram app's. */
export function languagesOf(user: Pick<User, "language" | "languages">): readonly Language[] {
  return user.languages ?? [user.language];
}

/**
 * A list as stored (an agent's languages, departments): its items between commas, with one at
 * each end (`,ru,en,`), so that SQL finds an item `x` as `instr(list, ',x,')` without building
 * strings row by row.
 */
export function storedList(items: readonly string[]): string {
  return `,${items.join(",")},`;
}

/** A stored list ({@link storedList}) as its items; `NULL` or empty: none. A bare item too. */
export function listOf(text: unknown): string[] {
  return typeof text === "string" ? text.split(",").filter((item) => item !== "") : [];
}

/** The name a user is shown by: the one they gave, else Telegram's. */
export function nameOf(user: Pick<User, "name" | "fullName">): string {
  return user.name ?? user.fullName;
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
  /** The department the client picked (a key of `DEPARTMENTS`); `null`: none. */
  readonly department: string | null;
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
  /** The album it is a part of (Telegram's `media_group_id`), if any. */
  readonly mediaGroupId: string | null;
  readonly createdAt: number;
  readonly editedAt: number | null;
  /** The chat it was written in when not the sender's private chat (team mode's group). */
  readonly sourceChatId: number | null;
  /** An internal note of the team (team mode): kept in the history, never relayed. */
  readonly internal: boolean;
  /**
   * One of a client's flood, beyond their pace: not relayed on its own but shown later in a
   * digest (`src/outbox/digest.ts`), merged with the others when it is a text.
   */
  readonly folded: boolean;
}

/** A message about to be saved. */
export type NewMessage =
  & Omit<
    Message,
    "id" | "copyMessageId" | "copyChatId" | "editedAt" | "sourceChatId" | "internal" | "folded"
  >
  & { readonly sourceChatId?: number | null; readonly internal?: boolean };

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
  readonly clientPhone: string | null;
  /** The department of the message's ticket (a key); `null`: none. */
  readonly department: string | null;
  /** The company account (its owner's name) the ticket came to; `null`: the bot. */
  readonly inbox: string | null;
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
export interface HistoryLine extends
  Pick<
    Message,
    "id" | "ticketId" | "senderRole" | "kind" | "text" | "createdAt" | "editedAt" | "mediaGroupId"
  > {
  readonly senderName: string;
  /** 1 for a team's internal note (as stored), else null. */
  readonly internal: number | null;
  /**
   * The company account (its owner's name) whose business chat the message is in, or `null`:
   * the bot's own chat (or a staff chat only).
   */
  readonly account: string | null;
}

/** The state of a delivery. */
export type DeliveryStatus = "pending" | "sent" | "failed" | "cancelled";

/** One thing the bot must send: a Bot API call waiting in the outbox. */
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
  /** 0: messages, in order; 1: calls that are not messages (menus, button answers); 2: later. */
  readonly lane: number;
  /** Within a lane, lower goes first: 0 the bot's own notices, 1 relayed messages. */
  readonly priority: number;
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

/** The columns of a {@link User}, from `users`. */
export const USER = `user_id AS userId, username, full_name AS fullName, name, language,
  is_agent AS isAgent, is_available AS isAvailable, current_ticket_id AS currentTicketId,
  last_online AS lastOnline, last_dialog_ended_at AS lastDialogEndedAt,
  awaiting_name AS awaitingName, register_failures AS registerFailures,
  register_locked_until AS registerLockedUntil, created_at AS createdAt,
  banned_at AS bannedAt, comment_ticket_id AS commentTicketId, comment_until AS commentUntil,
  phone, awaiting_contact AS awaitingContact, topic_id AS topicId, revoked_at AS revokedAt,
  languages, departments`;
/** The columns of a {@link Ticket}, from `tickets t`. */
export const TICKET = `t.id, t.client_id AS clientId, t.agent_id AS agentId, t.status,
  t.opened_at AS openedAt, t.assigned_at AS assignedAt, t.closed_at AS closedAt,
  t.closed_by AS closedBy, t.previous_ticket_id AS previousTicketId,
  t.first_response_at AS firstResponseAt, t.rating, t.rating_comment AS ratingComment,
  t.department`;
/** The columns of a {@link Message}, from `messages m`. */
export const MESSAGE =
  `m.id, m.ticket_id AS ticketId, m.client_id AS clientId, m.agent_id AS agentId,
  m.sender_id AS senderId, m.sender_role AS senderRole, m.kind, m.text, m.entities,
  m.file_id AS fileId, m.chat_message_id AS chatMessageId,
  m.copy_message_id AS copyMessageId, m.copy_chat_id AS copyChatId,
  m.signed_inline AS signedInline, m.reply_to_id AS replyToId, m.created_at AS createdAt,
  m.edited_at AS editedAt, m.media_group_id AS mediaGroupId,
  m.source_chat_id AS sourceChatId, m.internal, m.folded`;
/** The columns of a {@link Delivery}, from `deliveries`. */
export const DELIVERY = `id, chat_id AS chatId, method, params, message_id AS messageId, status,
  attempts, next_attempt_at AS nextAttemptAt, lane, priority`;

type Row = Record<string, SQLInputValue>;

/** A {@link Message} from a row of {@link MESSAGE}. */
export function toMessage(row: Row | undefined): Message | undefined {
  if (row === undefined) return undefined;
  return rowOf<Message>({
    ...row,
    signedInline: row.signedInline === null ? null : row.signedInline === 1,
    internal: row.internal === 1,
    folded: row.folded !== null && row.folded !== undefined,
  });
}

/** A {@link User} from a row of {@link USER}. */
export function toUser(row: Row | undefined): User | undefined {
  if (row === undefined) return undefined;
  // The row is a fresh object: its flags are turned into booleans in place (read on every
  // update, so no copy).
  const flags: Record<string, unknown> = row;
  flags.isAgent = row.isAgent === 1;
  flags.isAvailable = row.isAvailable === 1;
  flags.awaitingName = row.awaitingName === 1;
  flags.awaitingContact = row.awaitingContact === 1;
  flags.languages = row.languages === null ? null : listOf(row.languages);
  flags.departments = listOf(row.departments);
  return rowOf<User>(row);
}

/** Prepared statements under the names of their SQL: a name not in the SQL does not compile. */
export type Statements<SQL> = { readonly [Name in keyof SQL]: StatementSync };

/**
 * Prepares every statement of `sql` (an object of named SQL strings) once, under the same
 * names. Called by each part on construction, never per call.
 */
export function prepare<const SQL extends Readonly<Record<string, string>>>(
  db: DatabaseSync,
  sql: SQL,
): Statements<SQL> {
  return Object.fromEntries(
    Object.entries(sql).map(([name, text]) => [name, recordRows(db.prepare(text))]),
  ) as Statements<SQL>;
}

// The three helpers take what a statement returned, not the statement and its arguments:
// the call stays `s.name.run(a, b)`, checked against the names, with no argument array.

/** The column `n` of a query's one row, as a number (0 when NULL): counts, sums, maxima. */
export function count(row: Record<string, SQLOutputValue> | undefined): number {
  return Number((row as { n: number | null }).n ?? 0);
}

/**
 * The rows of a query, as the record type its column list reads (the list is kept next to the
 * type, see above): the one place where SQLite's untyped rows become records.
 */
export function rowsOf<T>(rows: readonly object[]): T[] {
  return rows as unknown as T[];
}

/** A record as SQLite stores it: its flags (booleans) as the integers 0 and 1. */
export type Stored<T> = { readonly [K in keyof T]: T[K] extends boolean ? number : T[K] };

/** The one row of a query (or `undefined` when none), as {@link rowsOf} reads rows. */
export function rowOf<T>(row: object | undefined): T | undefined {
  return row as unknown as T | undefined;
}

/** How many rows a write changed. */
export function changes(result: StatementResultingChanges): number {
  return Number(result.changes);
}

/** The id of the row an INSERT added. */
export function insertedId(result: StatementResultingChanges): number {
  return Number(result.lastInsertRowid);
}
