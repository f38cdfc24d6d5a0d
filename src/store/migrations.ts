/**
 * The schema as versioned migrations kept in code: `MIGRATIONS[i]` moves a database from
 * `PRAGMA user_version` `i` to `i + 1` (applied by `openDatabase` in db.ts). New steps go at
 * the end, and a released step never changes: an existing database runs only the steps it
 * lacks.
 *
 * @module
 */

/** One schema step; `MIGRATIONS[i]` moves the database from version `i` to `i + 1`. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    user_id INTEGER PRIMARY KEY,            -- Telegram user id (= private chat id)
    username TEXT,
    full_name TEXT NOT NULL,                -- Telegram first + last name
    name TEXT,                              -- the name the user gave when asked
    language TEXT NOT NULL,
    is_agent INTEGER NOT NULL DEFAULT 0,
    is_available INTEGER NOT NULL DEFAULT 0,
    current_ticket_id INTEGER REFERENCES tickets(id),
    last_online INTEGER,                    -- ms since epoch
    last_dialog_ended_at INTEGER,
    awaiting_name INTEGER NOT NULL DEFAULT 0,
    register_failures INTEGER NOT NULL DEFAULT 0,
    register_locked_until INTEGER,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX users_free_agents ON users(last_dialog_ended_at, user_id)
    WHERE is_agent = 1 AND is_available = 1 AND current_ticket_id IS NULL;

  CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES users(user_id),
    agent_id INTEGER REFERENCES users(user_id),
    status TEXT NOT NULL CHECK (status IN ('queued', 'open', 'closed')),
    opened_at INTEGER NOT NULL,
    assigned_at INTEGER,
    closed_at INTEGER,
    closed_by TEXT CHECK (closed_by IN ('agent', 'client', 'system'))
  ) STRICT;
  CREATE INDEX tickets_queue ON tickets(opened_at, id) WHERE status = 'queued';
  CREATE INDEX tickets_client ON tickets(client_id, id);
  CREATE INDEX tickets_agent ON tickets(agent_id, opened_at);

  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    client_id INTEGER NOT NULL REFERENCES users(user_id),
    agent_id INTEGER REFERENCES users(user_id),
    sender_id INTEGER NOT NULL REFERENCES users(user_id),
    sender_role TEXT NOT NULL CHECK (sender_role IN ('client', 'agent')),
    kind TEXT NOT NULL,                     -- text, photo, document, voice, sticker, ...
    text TEXT,                              -- the text, or the caption
    entities TEXT,                          -- JSON MessageEntity[] of the text or caption
    file_id TEXT,
    chat_message_id INTEGER NOT NULL,       -- id in the sender's chat
    copy_message_id INTEGER,                -- id of the copy in the other side's chat
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX messages_ticket ON messages(ticket_id, id);
  CREATE INDEX messages_client ON messages(client_id, id);
  CREATE INDEX messages_agent ON messages(agent_id, sender_role);

  CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL,               -- where it goes
    method TEXT NOT NULL,                   -- Bot API method, or 'sendHistory'
    params TEXT NOT NULL,                   -- JSON
    message_id INTEGER REFERENCES messages(id), -- the relayed message, if any
    status TEXT NOT NULL DEFAULT 'pending'
      CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    created_at INTEGER NOT NULL,
    done_at INTEGER
  ) STRICT;
  CREATE INDEX deliveries_pending ON deliveries(chat_id, id) WHERE status = 'pending';

  CREATE TABLE handled_updates (
    update_id INTEGER PRIMARY KEY,
    handled_at INTEGER NOT NULL
  ) STRICT;
  `,
  // 2: numbered tickets linked to the previous one, response metrics and ratings, bans,
  // canned replies, edits, and where each copy went (for edits and reply threading).
  `
  ALTER TABLE tickets ADD COLUMN previous_ticket_id INTEGER REFERENCES tickets(id);
  ALTER TABLE tickets ADD COLUMN first_response_at INTEGER;
  ALTER TABLE tickets ADD COLUMN rating INTEGER CHECK (rating BETWEEN 1 AND 5);
  ALTER TABLE tickets ADD COLUMN rating_comment TEXT;
  ALTER TABLE tickets ADD COLUMN rated_at INTEGER;
  CREATE INDEX tickets_opened ON tickets(opened_at);
  CREATE INDEX tickets_open ON tickets(id) WHERE status = 'open';

  ALTER TABLE users ADD COLUMN banned_at INTEGER;
  ALTER TABLE users ADD COLUMN comment_ticket_id INTEGER REFERENCES tickets(id);
  ALTER TABLE users ADD COLUMN comment_until INTEGER;
  CREATE INDEX users_username ON users(lower(username)) WHERE username IS NOT NULL;
  CREATE INDEX users_agents ON users(user_id) WHERE is_agent = 1;

  ALTER TABLE messages ADD COLUMN copy_chat_id INTEGER;  -- the chat of copy_message_id
  ALTER TABLE messages ADD COLUMN signed_inline INTEGER; -- the copy starts with the name
  ALTER TABLE messages ADD COLUMN reply_to_id INTEGER REFERENCES messages(id);
  ALTER TABLE messages ADD COLUMN edited_at INTEGER;
  CREATE INDEX messages_sender ON messages(sender_id, chat_message_id);
  CREATE INDEX messages_copy ON messages(copy_chat_id, copy_message_id)
    WHERE copy_message_id IS NOT NULL;
  CREATE INDEX messages_created ON messages(created_at);

  CREATE TABLE message_edits (           -- earlier versions of edited messages
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id),
    text TEXT,                           -- the text or caption before the edit
    entities TEXT,
    replaced_at INTEGER NOT NULL         -- when the edit replaced it
  ) STRICT;
  CREATE INDEX message_edits_message ON message_edits(message_id, id);

  CREATE TABLE canned_replies (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES users(user_id),
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (agent_id, name)
  ) STRICT;
  `,
  // 3: matchmaking picks the best free agent by walking this index in compareAgents' order
  // (see Store.pickFreeAgent) instead of loading every free agent.
  `
  CREATE INDEX users_pick_agent ON users(last_dialog_ended_at, last_online DESC, user_id)
    WHERE is_agent = 1 AND is_available = 1 AND current_ticket_id IS NULL;
  `,
  // 4: nothing lost under faults. Updates whose handling failed are parked, not dropped;
  // a chat's deliveries go in two lanes (messages in order; calls that are not messages, such
  // as menus and button answers, beside them) and the bot's own notices go before relayed
  // messages; a flood of one client is folded; a @username resolves to its latest holder.
  `
  CREATE TABLE dead_letters (             -- updates whose handling failed, tried again at start
    update_id INTEGER PRIMARY KEY,
    update_json TEXT NOT NULL,            -- the raw update, as Telegram sent it
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    failed_at INTEGER NOT NULL,           -- the first failure
    last_failed_at INTEGER NOT NULL
  ) STRICT;

  ALTER TABLE deliveries ADD COLUMN lane INTEGER NOT NULL DEFAULT 0;  -- 0 messages, 1 calls, 2 later
  ALTER TABLE deliveries ADD COLUMN priority INTEGER NOT NULL DEFAULT 1; -- 0 notices, 1 relayed
  DROP INDEX deliveries_pending;
  CREATE INDEX deliveries_pending ON deliveries(chat_id, lane, priority, id)
    WHERE status = 'pending';

  ALTER TABLE messages ADD COLUMN folded INTEGER;  -- 1: kept, not relayed (a flood)

  ALTER TABLE users ADD COLUMN username_since INTEGER;  -- when the bot first saw this username
  `,
  // 5: one message arrives as one message: the parts of an album go together, and a client
  // may share their phone number.
  `
  ALTER TABLE messages ADD COLUMN media_group_id TEXT;  -- Telegram's, for the parts of an album
  CREATE INDEX messages_album ON messages(ticket_id, media_group_id)
    WHERE media_group_id IS NOT NULL;
  -- An album counts as one message in /stats: the parts are counted from this small index,
  -- while every message is counted from messages_agent alone (no row is read).
  CREATE INDEX messages_album_agent ON messages(agent_id, sender_role, media_group_id)
    WHERE media_group_id IS NOT NULL;
  ALTER TABLE users ADD COLUMN phone TEXT;               -- shared by the client, if they did
  ALTER TABLE users ADD COLUMN awaiting_contact INTEGER NOT NULL DEFAULT 0;
  `,
  // 6: team mode: the desk in a staff forum group, a topic per client.
  `
  ALTER TABLE users ADD COLUMN topic_id INTEGER;     -- the client's topic in the staff group
  ALTER TABLE users ADD COLUMN card_message_id INTEGER; -- the card pinned in it
  ALTER TABLE users ADD COLUMN revoked_at INTEGER;   -- an admin took the agent role away
  CREATE UNIQUE INDEX users_topic ON users(topic_id) WHERE topic_id IS NOT NULL;
  -- The chat a message was written in, when not the sender's private chat (the staff group).
  ALTER TABLE messages ADD COLUMN source_chat_id INTEGER;
  ALTER TABLE messages ADD COLUMN internal INTEGER;  -- 1: an internal note, never relayed
  CREATE INDEX messages_source ON messages(source_chat_id, chat_message_id)
    WHERE source_chat_id IS NOT NULL;
  ALTER TABLE tickets ADD COLUMN offered_to INTEGER REFERENCES users(user_id);
  ALTER TABLE tickets ADD COLUMN waiting_since INTEGER; -- shown as waiting (nobody answered)
  CREATE TABLE desk_state (                  -- team mode's own records (the board, the group)
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  `,
  // 7: parked updates keep no secret and do not grow without bound: the support token is
  // stored as a mark (redact.ts), the oldest go past a cap or after a week, and what went is
  // counted for /healthz.
  `
  -- The fingerprint of the support token the update carried (redact.ts), NULL if none.
  ALTER TABLE dead_letters ADD COLUMN token_mark TEXT;
  CREATE INDEX dead_letters_failed ON dead_letters(failed_at);
  CREATE TABLE dead_letter_drops (          -- parked updates given up, per reason
    reason TEXT PRIMARY KEY,                -- 'cap' (too many parked) or 'age' (too old)
    count INTEGER NOT NULL,
    last_at INTEGER NOT NULL                -- when the last one went
  ) STRICT;
  `,
  // 8: buttons that no longer work disappear: where the bot's messages with a ticket's close
  // or no-comment button are (their ids as the outbox reported them).
  `
  CREATE TABLE button_messages (
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    action TEXT NOT NULL CHECK (action IN ('close', 'skip')),
    PRIMARY KEY (chat_id, message_id)
  ) STRICT;
  CREATE INDEX button_messages_ticket ON button_messages(ticket_id, action);
  `,
  // 9: routing that knows people: the languages an agent speaks, the departments they work in
  // and a ticket's department. The pick walks one index in the seed's order, its rows carrying
  // every column the pick reads (the last three are the same in every row of this partial
  // index, but SQLite reads them from a row of the table unless the index has them).
  `
  ALTER TABLE users ADD COLUMN languages TEXT;   -- ',ru,en,' as the agent set; NULL: their app's
  ALTER TABLE users ADD COLUMN departments TEXT; -- ',billing,tech,'; NULL: in none (serves all)
  ALTER TABLE tickets ADD COLUMN department TEXT; -- the key the client picked; NULL: none
  CREATE TABLE held_messages (            -- a client's messages while they pick a department
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES users(user_id),
    incoming TEXT NOT NULL,               -- JSON of the message as the desk received it
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX held_messages_client ON held_messages(client_id, id);
  DROP INDEX users_pick_agent;
  CREATE INDEX users_pick_agent ON users(last_dialog_ended_at, last_online DESC, user_id,
    language, languages, departments, is_agent, is_available, current_ticket_id)
    WHERE is_agent = 1 AND is_available = 1 AND current_ticket_id IS NULL;
  `,
  // 10: drafts from a language model (LLM_URL): a client's message asks for one in its own
  // transaction (a burst of messages asks once: one pending row per ticket), the drafter takes
  // it off the hot path, and the answer is shown to staff with its buttons in one transaction.
  `
  CREATE TABLE drafts (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    status TEXT NOT NULL
      CHECK (status IN ('pending', 'shown', 'sent', 'dropped', 'failed', 'stale')),
    asks INTEGER NOT NULL DEFAULT 1,       -- client messages that asked for it (coalesced)
    due_at INTEGER NOT NULL,               -- not taken before: a burst of messages asks once
    tries INTEGER NOT NULL DEFAULT 0,      -- times taken: at most twice (a restart mid-way)
    text TEXT,                             -- the model's draft, once shown
    created_at INTEGER NOT NULL,
    done_at INTEGER                        -- shown, sent, dropped, failed or stale
  ) STRICT;
  CREATE UNIQUE INDEX drafts_pending ON drafts(ticket_id) WHERE status = 'pending';
  CREATE INDEX drafts_due ON drafts(due_at, id) WHERE status = 'pending';
  CREATE INDEX drafts_ticket ON drafts(ticket_id, id);
  `,
  // 11: a department's own staff group (team mode): a client's topic there, one per group
  // (the staff group of STAFF_CHAT_ID keeps its topics in users.topic_id); a message of a
  // group is matched to its client by (group, topic), never by the topic alone.
  `
  CREATE TABLE group_topics (
    client_id INTEGER NOT NULL REFERENCES users(user_id),
    chat_id INTEGER NOT NULL,            -- the department's staff group
    topic_id INTEGER NOT NULL,
    card_message_id INTEGER,             -- the client card pinned in it
    PRIMARY KEY (client_id, chat_id)
  ) STRICT;
  CREATE UNIQUE INDEX group_topics_topic ON group_topics(chat_id, topic_id);
  `,
  // The knowledge base and search (docs/knowledge.md): the FAQ file's articles indexed by
  // their word stems; a client's question held while the answer offered from the base waits
  // for their word; tickets a client closed with the article's answer; every stored message
  // text or caption indexed (trigram: a stem of the query finds each form of the word), kept
  // by triggers in the same transaction as the message while SEARCH is on.
  `
  CREATE TABLE faq_articles (
    id INTEGER PRIMARY KEY,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,                  -- the answer's text as sent to Telegram
    entities TEXT NOT NULL,                -- JSON of its entities
    question_stems TEXT NOT NULL,          -- the stems (src/rules/stemmer.ts), space-separated
    answer_stems TEXT NOT NULL
  ) STRICT;
  CREATE VIRTUAL TABLE faq_index USING fts5(question_stems, answer_stems,
    content = 'faq_articles', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
  CREATE VIRTUAL TABLE faq_vocab USING fts5vocab(faq_index, 'row'); -- articles per stem
  CREATE TABLE faq_holds (                 -- a client's question held with an answer offered
    client_id INTEGER PRIMARY KEY REFERENCES users(user_id),
    question TEXT NOT NULL,                -- the article offered (its question)
    until INTEGER NOT NULL,                -- when it goes on to an agent anyway
    released INTEGER                       -- 1: on to a person, once a department is picked
  ) STRICT;
  CREATE INDEX faq_holds_until ON faq_holds(until) WHERE released IS NULL;
  ALTER TABLE tickets ADD COLUMN self_served INTEGER; -- 1: the client's "that helped"
  CREATE INDEX tickets_self_served ON tickets(closed_at) WHERE self_served = 1;
  CREATE VIRTUAL TABLE message_index USING fts5(text, content = 'messages', content_rowid = 'id',
    tokenize = 'trigram case_sensitive 0 remove_diacritics 1');
  -- Its triggers exist only with SEARCH=true (store/knowledge.ts, indexMessages).
  `,
  // Telegram Business: the accounts connected to the bot, which tickets came in through one
  // (none: the client's chat with the bot), where a message is in a business chat (its ids
  // are that chat's own: never mixed with the bot's chat of the same client), and when each
  // client last wrote there (the account may answer only within 24 hours); answers kept while
  // the account may not write (the connection off, no can_reply, or the 24 hours passed).
  `
  CREATE TABLE business_connections (
    id TEXT PRIMARY KEY,                  -- Telegram's business_connection_id
    owner_id INTEGER NOT NULL,            -- the account's user id
    user_chat_id INTEGER NOT NULL,        -- the owner's private chat with the bot
    owner_name TEXT NOT NULL,
    rights TEXT NOT NULL,                 -- JSON of BusinessBotRights as Telegram sent it
    is_enabled INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE ticket_ways (              -- a ticket whose client wrote to a business account
    ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
    connection_id TEXT NOT NULL
  ) STRICT;
  CREATE TABLE business_messages (        -- a stored message's place in a business chat
    connection_id TEXT NOT NULL,
    chat_id INTEGER NOT NULL,
    chat_message_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL REFERENCES messages(id),
    PRIMARY KEY (connection_id, chat_id, chat_message_id)
  ) STRICT;
  CREATE INDEX business_messages_message ON business_messages(message_id);
  CREATE TABLE business_chats (           -- when a client last wrote to a business account
    connection_id TEXT NOT NULL,
    chat_id INTEGER NOT NULL,
    last_client_at INTEGER NOT NULL,
    PRIMARY KEY (connection_id, chat_id)
  ) STRICT;
  CREATE TABLE business_held (            -- staff answers kept while the account may not write
    id INTEGER PRIMARY KEY,
    connection_id TEXT NOT NULL,
    chat_id INTEGER NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    method TEXT NOT NULL,
    params TEXT NOT NULL,
    message_id INTEGER REFERENCES messages(id),
    refused INTEGER NOT NULL,             -- 1: sent, refused as the account could not write
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX business_held_chat ON business_held(connection_id, chat_id, refused, id);
  CREATE INDEX business_held_message ON business_held(message_id);
  `,
  // A client's history is read through their tickets (tickets_client, then messages_ticket):
  // an index of messages by client cost every relayed message a page of the WAL (issue 26).
  `
  DROP INDEX messages_client;
  `,
  // 15: back again. Read through the tickets, each page of /history gathered and sorted every
  // message of the client after the cursor: 100,000 messages took 4.7 s instead of 0.9.
  `
  CREATE INDEX messages_client ON messages(client_id, id);
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;
