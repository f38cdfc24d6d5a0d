/**
 * Messages: saving what either side wrote, where its copy went on the other side, finding a
 * message by its id in a chat (for replies and edits), and edits with their earlier versions.
 *
 * A client's flood beyond their pace is folded (`folded` 1): kept, not relayed on its own, and
 * shown later by the digest (`src/outbox/digest.ts`), which records where each one landed as
 * its copy, as any relay does: folded with no copy yet is "not shown yet". `folded` 2 is a
 * folded message given up: Telegram refused for good the digest part that carried it.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import {
  changes,
  count,
  insertedId,
  MESSAGE,
  type Message,
  type MessageEdit,
  type NewMessage,
  prepare,
  rowsOf,
  toMessage,
} from "./rows.ts";

const SQL = {
  insertMessage: `INSERT INTO messages (ticket_id, client_id, agent_id, sender_id,
        sender_role, kind, text, entities, file_id, chat_message_id, reply_to_id, signed_inline,
        created_at, media_group_id, source_chat_id, internal)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  albumParts: `SELECT ${MESSAGE} FROM messages m INDEXED BY messages_album
        WHERE m.ticket_id = ? AND m.media_group_id = ? AND m.copy_message_id IS NULL
        AND m.folded IS NULL
        ORDER BY m.id`,
  clientMessagesOfTicket: `SELECT ${MESSAGE} FROM messages m WHERE m.ticket_id = ?
        AND m.sender_role = 'client' ORDER BY m.id`,
  // Two statements, so that the usual one writes only the columns it changes: SQLite rewrites
  // the entry of every index on a column an UPDATE sets, changed or not (one page more per
  // relayed message when this was one CASE statement; issue 26).
  setCopy: `UPDATE messages SET copy_chat_id = ?1, copy_message_id = ?2
        WHERE id = ?3 AND (sender_role <> 'agent' OR ?1 = client_id)`,
  // An agent's message shown outside the client's chat is the bot's showing of it where
  // staff answer (a saved reply the bot sent for them): its place there, not its copy.
  setShownAt: `UPDATE messages SET chat_message_id = ?2,
        source_chat_id = CASE WHEN ?1 <> sender_id THEN ?1 ELSE source_chat_id END
        WHERE id = ?3 AND sender_role = 'agent' AND ?1 <> client_id`,
  setSignedInline: `UPDATE messages SET signed_inline = ? WHERE id = ?`,
  ownMessage: `SELECT ${MESSAGE} FROM messages m WHERE m.sender_id = ?
        AND m.chat_message_id = ? AND m.chat_message_id > 0 AND m.source_chat_id IS NULL
        ORDER BY m.id DESC LIMIT 1`,
  sourceMessage: `SELECT ${MESSAGE} FROM messages m WHERE m.source_chat_id = ?
        AND m.chat_message_id = ? ORDER BY m.id DESC LIMIT 1`,
  copiedMessage: `SELECT ${MESSAGE} FROM messages m WHERE m.copy_chat_id = ?
        AND m.copy_message_id = ? ORDER BY m.id DESC LIMIT 1`,
  editMessage: `UPDATE messages SET text = ?, entities = ?, edited_at = ? WHERE id = ?`,
  insertEdit: `INSERT INTO message_edits (message_id, text, entities, replaced_at)
        VALUES (?, ?, ?, ?)`,
  editsOf: `SELECT message_id AS messageId, text, replaced_at AS replacedAt
        FROM message_edits WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  getMessage: `SELECT ${MESSAGE} FROM messages m WHERE m.id = ?`,
  fold: `UPDATE messages SET folded = 1 WHERE id = ?`,
  makeNote: `UPDATE messages SET internal = 1 WHERE id = ?`,
  makeAlbumNote: `UPDATE messages SET internal = 1 WHERE ticket_id = ? AND media_group_id = ?`,
  foldedSince: `SELECT count(*) AS n FROM messages WHERE ticket_id = ? AND id >= ?
        AND folded = 1 AND copy_message_id IS NULL`,
  unshownFolded: `SELECT ${MESSAGE} FROM messages m INDEXED BY messages_ticket
        WHERE m.ticket_id = ? AND m.id >= ? AND m.folded = 1 AND m.copy_message_id IS NULL
        ORDER BY m.id LIMIT ?`,
  giveUpFolded: `UPDATE messages SET folded = 2
        WHERE id IN (SELECT value FROM json_each(?)) AND folded = 1`,
  foldUnsent: `UPDATE messages SET folded = 1 WHERE ticket_id = ? AND sender_role = 'client'
        AND folded IS NULL AND copy_message_id IS NULL AND id IN (
          SELECT message_id FROM deliveries WHERE chat_id = ? AND status = 'pending'
          AND message_id IS NOT NULL)
        RETURNING id`,
  sharingCopy: `SELECT ${MESSAGE} FROM messages m WHERE m.copy_chat_id = ?
        AND m.copy_message_id = ? ORDER BY m.id`,
};

/** The functions over messages, on statements prepared once here. */
export function messageQueries(db: DatabaseSync) {
  const s = prepare(db, SQL);
  return {
    /** Saves a message; returns its id. */
    /** Team mode: a member's message is an internal note from now (never sent to the client). */
    makeNote(messageId: number): void {
      s.makeNote.run(messageId);
    },

    /** Team mode: every part of an album of a ticket is an internal note from now. */
    makeAlbumNote(ticketId: number, mediaGroupId: string): void {
      s.makeAlbumNote.run(ticketId, mediaGroupId);
    },

    /** The parts of an album in a ticket not carried across yet, in order. */
    albumParts(ticketId: number, mediaGroupId: string): Message[] {
      return s.albumParts.all(ticketId, mediaGroupId).map((row) => toMessage(row)!);
    },

    /** Marks a saved message as kept but not relayed (one of a flood). */
    fold(messageId: number): void {
      s.fold.run(messageId);
    },

    /** How many messages of a ticket, from message `fromId` on, are folded and not shown yet. */
    foldedSince(ticketId: number, fromId: number): number {
      return count(s.foldedSince.get(ticketId, fromId));
    },

    /**
     * The folded messages of a ticket not shown yet, from message `fromId` on, in order: at
     * most `limit` (more than one digest part can hold).
     */
    unshownFolded(ticketId: number, fromId: number, limit: number): Message[] {
      return s.unshownFolded.all(ticketId, fromId, limit).map((row) => toMessage(row)!);
    },

    /** Gives these folded messages up: their digest part was refused for good. */
    giveUpFolded(messageIds: readonly number[]): number {
      if (messageIds.length === 0) return 0;
      return changes(s.giveUpFolded.run(JSON.stringify(messageIds)));
    },

    /**
     * Folds a ticket's client messages whose relay to `chatId` still waits (the ticket
     * closes): the digest shows them instead, so that their relays can be cancelled and
     * nothing of theirs holds back the chat. Returns their ids.
     */
    foldUnsent(ticketId: number, chatId: number): number[] {
      return s.foldUnsent.all(ticketId, chatId).map((row) => Number(row.id));
    },

    /** The messages shown in one message of chat `chatId` (a digest's merged text), in order. */
    sharingCopy(chatId: number, copyMessageId: number): Message[] {
      return s.sharingCopy.all(chatId, copyMessageId).map((row) => toMessage(row)!);
    },

    insertMessage(m: NewMessage): number {
      return insertedId(s.insertMessage.run(
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
        m.mediaGroupId,
        m.sourceChatId ?? null,
        m.internal ? 1 : null,
      ));
    },

    /** The message with this id. */
    getMessage(id: number): Message | undefined {
      return toMessage(s.getMessage.get(id));
    },

    /** What the client wrote in a ticket, in order. */
    clientMessagesOfTicket(ticketId: number): Message[] {
      return s.clientMessagesOfTicket.all(ticketId).map((row) => toMessage(row)!);
    },

    /**
     * Records where a message landed in chat `chatId`: its copy on the other side; or, for an
     * agent's message shown outside the client's chat (a saved reply the bot sent for them,
     * shown where they answer), its place there, as if they had written it there, so that a
     * reply or a reaction to it finds it (`messageInChat`) and reaches the client's copy.
     */
    setCopy(messageId: number, chatId: number, copyMessageId: number): void {
      if (changes(s.setCopy.run(chatId, copyMessageId, messageId)) === 0) {
        s.setShownAt.run(chatId, copyMessageId, messageId);
      }
    },

    /** Records whether a message's copy carries the client's name in front. */
    setSignedInline(messageId: number, signed: boolean): void {
      s.setSignedInline.run(Number(signed), messageId);
    },

    /**
     * The saved message shown in chat `chatId` under id `chatMessageId`: one the chat's user
     * wrote, or the copy the bot made there.
     */
    messageInChat(chatId: number, chatMessageId: number): Message | undefined {
      // A group (team mode's staff group, id < 0) holds what its members wrote in it.
      const own = chatId < 0
        ? s.sourceMessage.get(chatId, chatMessageId)
        : s.ownMessage.get(chatId, chatMessageId);
      return toMessage(own) ?? toMessage(s.copiedMessage.get(chatId, chatMessageId));
    },

    /** The message `sender` wrote in their chat under `chatMessageId`. */
    ownMessage(senderId: number, chatMessageId: number): Message | undefined {
      return toMessage(s.ownMessage.get(senderId, chatMessageId));
    },

    /** Replaces a message's text, keeping the version before in `message_edits`. */
    editMessage(m: Message, text: string | null, entities: string | null, now: number): void {
      s.insertEdit.run(m.id, m.text, m.entities, now);
      s.editMessage.run(text, entities, now, m.id);
    },

    /** Earlier versions of these messages, oldest first. */
    editsOf(messageIds: readonly number[]): MessageEdit[] {
      if (messageIds.length === 0) return [];
      return rowsOf<MessageEdit>(s.editsOf.all(JSON.stringify(messageIds)));
    },
  };
}

/** The message functions of a `Store`. */
export type MessageQueries = ReturnType<typeof messageQueries>;
