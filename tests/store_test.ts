/**
 * Tests of the SQLite schema (src/store/db.ts) and the Store (src/store/mod.ts) on a real
 * database file in a temporary folder.
 *
 * Longer than most files: one test per part of the store, each on its own database.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { ConfigError } from "../src/config/mod.ts";
import { openDatabase, SCHEMA_VERSION, transaction } from "../src/store/db.ts";
import { MIGRATIONS } from "../src/store/migrations.ts";
import { compareQueued, type QueuedTicket, queuePosition } from "../src/rules/matchmaking.ts";
import { answerButton, sendText } from "../src/outbox/builders.ts";
import { LANE, PRIORITY } from "../src/outbox/lanes.ts";

/** Where a notice goes: the messages lane, before relayed messages. */
const MESSAGE = { lane: LANE.messages, priority: PRIORITY.notice };
import { laneKey, Store } from "../src/store/mod.ts";
import { mulberry32 } from "../tools/emulator/random.ts";

const T0 = 1_700_000_000_000;

/** Runs `fn` with a fresh database file in a new temporary folder, removed afterwards. */
async function withDb(
  fn: (store: Store, db: DatabaseSync, path: string) => void | Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-store-test-" });
  const path = join(dir, "data", "helpdesk.db");
  const db = openDatabase(path);
  try {
    await fn(new Store(db), db, path);
  } finally {
    if (db.isOpen) db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Text message `i` of a ticket whose agent is 8, as the desk stores one. */
function textMessage(
  ticketId: number,
  clientId: number,
  senderId: number,
  senderRole: "client" | "agent",
  i: number,
): Parameters<Store["insertMessage"]>[0] {
  return {
    ticketId,
    clientId,
    agentId: 8,
    senderId,
    senderRole,
    kind: "text",
    text: `message ${i}`,
    entities: null,
    fileId: null,
    chatMessageId: i,
    replyToId: null,
    signedInline: null,
    mediaGroupId: null,
    createdAt: T0 + i,
  };
}

function addUser(store: Store, userId: number, now = T0): void {
  store.insertUser(
    { userId, username: null, fullName: `User ${userId}`, language: "en" },
    false,
    now,
  );
}

function pragma(db: DatabaseSync, name: string): unknown {
  return Object.values(db.prepare(`PRAGMA ${name}`).get() as Record<string, unknown>)[0];
}

function plan(db: DatabaseSync, sql: string): string[] {
  return db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((row) => String(row.detail));
}

function deliveryStatus(db: DatabaseSync, id: number): string {
  return String((db.prepare("SELECT status FROM deliveries WHERE id = ?").get(id))?.status);
}

// ---- schema ----

Deno.test("openDatabase: migrations, WAL, foreign keys", async () => {
  await withDb((store, db) => {
    assert.ok(Number.isInteger(SCHEMA_VERSION) && SCHEMA_VERSION >= 1);
    assert.equal(pragma(db, "user_version"), SCHEMA_VERSION);
    assert.equal(pragma(db, "journal_mode"), "wal");
    assert.equal(pragma(db, "foreign_keys"), 1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all().map((row) => row.name);
    for (const table of ["deliveries", "handled_updates", "messages", "tickets", "users"]) {
      assert.ok(tables.includes(table), `table ${table}`);
    }
    // Foreign keys are enforced: a ticket needs an existing client.
    assert.throws(() => store.createTicket(12345, T0), /FOREIGN KEY/i);
  });
});

Deno.test("openDatabase: opening again keeps the data and the version", async () => {
  await withDb((store, db, path) => {
    addUser(store, 7);
    const ticket = store.createTicket(7, T0);
    db.close();
    for (let i = 0; i < 2; i++) {
      const again = openDatabase(path);
      try {
        assert.equal(pragma(again, "user_version"), SCHEMA_VERSION);
        const reopened = new Store(again);
        assert.equal(reopened.getUser(7)?.fullName, "User 7");
        assert.equal(reopened.getTicket(ticket)?.status, "queued");
        assert.equal(reopened.queueLength(), 1);
      } finally {
        again.close();
      }
    }
  });
});

Deno.test("openDatabase: a database of every older version is brought up to date, data kept", async () => {
  for (let version = 1; version < SCHEMA_VERSION; version++) {
    const dir = await Deno.makeTempDir({ prefix: "helpdesk-store-upgrade-" });
    const path = join(dir, "helpdesk.db");
    try {
      // The schema as an older release left it, with a client in it.
      const old = new DatabaseSync(path);
      for (const step of MIGRATIONS.slice(0, version)) old.exec(step);
      old.exec(`PRAGMA user_version = ${version}`);
      old.prepare(
        "INSERT INTO users (user_id, full_name, language, created_at) VALUES (?, ?, ?, ?)",
      )
        .run(7, "User 7", "en", T0);
      old.close();
      const db = openDatabase(path);
      try {
        assert.equal(pragma(db, "user_version"), SCHEMA_VERSION, `from ${version}`);
        const store = new Store(db);
        assert.equal(store.getUser(7)?.fullName, "User 7");
        // The newest columns are there and work (issue 12's phone and album parts).
        store.setPhone(7, "+7 900 123-45-67");
        assert.equal(store.getUser(7)?.phone, "+7 900 123-45-67");
        const ticket = store.createTicket(7, T0);
        assert.deepEqual(store.albumParts(ticket, "album-1"), []);
      } finally {
        db.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("openDatabase: a database from a newer version is refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-store-test-" });
  try {
    const path = join(dir, "newer.db");
    const raw = new DatabaseSync(path);
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    assert.throws(
      () => openDatabase(path),
      (error: unknown) =>
        error instanceof ConfigError && error.message.includes(String(SCHEMA_VERSION + 1)),
    );
    // Nothing was migrated.
    const check = new DatabaseSync(path);
    try {
      assert.equal(pragma(check, "user_version"), SCHEMA_VERSION + 1);
      assert.deepEqual(check.prepare("SELECT name FROM sqlite_master").all(), []);
    } finally {
      check.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---- queue ----

Deno.test("queue: oldestQueued, queuePosition, queueLength agree with matchmaking", async () => {
  await withDb((store, db) => {
    const random = mulberry32(77);
    const agentId = 1;
    addUser(store, agentId);
    store.makeAgent(agentId, T0);
    const status = new Map<number, "queued" | "open" | "closed">();
    const openedAt = new Map<number, number>();
    transaction(db, () => {
      for (let i = 0; i < 200; i++) {
        const client = 1000 + i;
        addUser(store, client);
        // Only 40 distinct times, so ties (broken by id) are frequent; unrelated to id order.
        const at = T0 + Math.floor(random() * 40) * 1_000;
        const id = store.createTicket(client, at);
        status.set(id, "queued");
        openedAt.set(id, at);
        const r = random();
        if (r < 0.25) {
          store.assignTicket(id, agentId, at + 1);
          status.set(id, "open");
        } else if (r < 0.4) {
          store.closeTicket(id, at + 1, "client");
          status.set(id, "closed");
        } else if (r < 0.5) {
          // Assigned, then put back: queued again at its original place.
          store.assignTicket(id, agentId, at + 1);
          store.requeueTicket(id);
        }
      }
    });

    const queued = (): QueuedTicket[] =>
      [...status].filter(([, s]) => s === "queued").map(([id]) => ({
        id,
        openedAt: openedAt.get(id)!,
      }));
    const check = (): void => {
      const queue = queued();
      assert.equal(store.queueLength(), queue.length);
      // The expected head, found by a plain scan.
      let head: QueuedTicket | undefined;
      for (const t of queue) {
        if (
          head === undefined || t.openedAt < head.openedAt ||
          (t.openedAt === head.openedAt && t.id < head.id)
        ) head = t;
      }
      assert.equal(store.oldestQueued()?.id, head?.id);
      assert.equal(head?.id, [...queue].sort(compareQueued)[0]?.id);
      for (const t of queue) {
        const ticket = store.getTicket(t.id)!;
        assert.equal(ticket.status, "queued");
        assert.equal(ticket.openedAt, t.openedAt);
        const ahead = queue.filter((o) =>
          o.openedAt < t.openedAt || (o.openedAt === t.openedAt && o.id <= t.id)
        ).length;
        assert.equal(store.queuePosition(ticket), ahead, `ticket ${t.id}`);
        assert.equal(queuePosition(queue, t.id), ahead, `ticket ${t.id} (pure)`);
      }
    };

    const initial = queued().length;
    assert.ok(initial > 50 && initial < 150, `${initial} queued: the mix must be varied`);
    check();
    // Serve the queue head by head, checking everything after each step.
    for (let step = 0; step < 25 && store.queueLength() > 0; step++) {
      const head = store.oldestQueued()!;
      store.assignTicket(head.id, agentId, T0 + 100_000);
      status.set(head.id, "open");
      check();
    }
    assert.equal(store.queueLength(), initial - 25);
  });
});

Deno.test("queue: empty queue", async () => {
  await withDb((store) => {
    assert.equal(store.oldestQueued(), undefined);
    assert.equal(store.queueLength(), 0);
  });
});

// ---- agents ----

Deno.test("freeAgents: exactly available agents without a current ticket", async () => {
  await withDb((store) => {
    for (const id of [1, 2, 3, 4, 5, 6, 7]) addUser(store, id);
    for (const id of [1, 2, 3, 5, 6]) store.makeAgent(id, T0 + id);
    const ticket = store.createTicket(7, T0);
    store.setAvailable(2, false); // agent, not available
    store.setCurrentTicket(3, ticket); // agent, in a dialog
    store.setAvailable(4, true); // a client with the flag set: still not an agent
    store.setCurrentTicket(5, ticket);
    store.endAgentDialog(5, T0 + 500); // dialog ended: free again
    store.setLastOnline(6, T0 + 900);

    const free = store.freeAgents().sort((a, b) => a.userId - b.userId);
    assert.deepEqual(free, [
      {
        userId: 1,
        isAvailable: true,
        currentTicketId: null,
        lastOnline: T0 + 1,
        lastDialogEndedAt: null,
        languages: ["en"],
        departments: [],
      },
      {
        userId: 5,
        isAvailable: true,
        currentTicketId: null,
        lastOnline: T0 + 5,
        lastDialogEndedAt: T0 + 500,
        languages: ["en"],
        departments: [],
      },
      {
        userId: 6,
        isAvailable: true,
        currentTicketId: null,
        lastOnline: T0 + 900,
        lastDialogEndedAt: null,
        languages: ["en"],
        departments: [],
      },
    ]);
    store.setAvailable(2, true);
    store.setAvailable(1, false);
    assert.deepEqual(store.freeAgents().map((a) => a.userId).sort((a, b) => a - b), [2, 5, 6]);
  });
});

// ---- usernames ----

Deno.test("usernameHolder: the latest to take a name holds it; ties and unknown times are ambiguous", async () => {
  await withDb((store, db) => {
    const person = (userId: number, username: string | null) => ({
      userId,
      username,
      fullName: `User ${userId}`,
      language: "en" as const,
    });
    const since = (userId: number) =>
      (db.prepare("SELECT username_since AS s FROM users WHERE user_id = ?").get(userId) as {
        s: number | null;
      }).s;
    assert.deepEqual(store.usernameHolder("desk"), { found: "none" });
    store.insertUser(person(1, "desk"), false, T0);
    assert.equal(since(1), T0);
    const one = store.usernameHolder("@desk".slice(1));
    assert.equal(one.found === "one" && one.user.userId, 1);
    // The name moves to user 2, who writes later; user 1's row still has it.
    store.insertUser(person(2, "Desk"), false, T0 + 1);
    const moved = store.usernameHolder("DESK");
    assert.equal(moved.found === "one" && moved.user.userId, 2);
    // A change of case is the same name, held since the same time.
    store.updateProfile(2, "dEsK", "User 2", "en", T0 + 5);
    assert.equal(since(2), T0 + 1);
    // User 1 takes it back (as a new name after another one): theirs from then on.
    store.updateProfile(1, "other", "User 1", "en", T0 + 6);
    assert.equal(since(1), T0 + 6);
    store.updateProfile(1, "desk", "User 1", "en", T0 + 7);
    const back = store.usernameHolder("desk");
    assert.equal(back.found === "one" && back.user.userId, 1);
    // No username: no time.
    store.updateProfile(1, null, "User 1", "en", T0 + 8);
    assert.equal(since(1), null);
    // Two who took it at the same moment, or whose times are unknown, cannot be told apart.
    store.insertUser(person(3, "desk"), false, T0 + 1);
    assert.deepEqual(store.usernameHolder("desk"), { found: "ambiguous", ids: [2, 3] });
    db.prepare("UPDATE users SET username_since = NULL").run();
    store.insertUser(person(4, "none_else"), false, T0);
    assert.deepEqual(store.usernameHolder("desk"), { found: "ambiguous", ids: [2, 3] });
    // A time beats no time: the row without one had the name before times were kept.
    store.updateProfile(3, "elsewhere", "User 3", "en", T0 + 9);
    store.updateProfile(3, "desk", "User 3", "en", T0 + 10);
    const known = store.usernameHolder("desk");
    assert.equal(known.found === "one" && known.user.userId, 3);
  });
});

// ---- handled updates ----

Deno.test("markHandled: true the first time, false after", async () => {
  await withDb((store) => {
    assert.equal(store.markHandled(1001, T0), true);
    assert.equal(store.markHandled(1001, T0 + 5), false);
    assert.equal(store.markHandled(1002, T0 + 5), true);
    assert.equal(store.markHandled(1001, T0 + 10), false);
    // Pruning forgets only those handled before the given time.
    assert.equal(store.pruneHandled(T0 + 1), 1);
    assert.equal(store.markHandled(1001, T0 + 20), true);
    assert.equal(store.markHandled(1002, T0 + 20), false);
  });
});

// ---- deliveries ----

Deno.test("deliveries: two lanes per chat; notices before relayed messages in a lane", async () => {
  await withDb((store) => {
    const now = T0;
    const chat = 700;
    const relayed = { lane: LANE.messages, priority: PRIORITY.relayed };
    const calls = { lane: LANE.calls, priority: PRIORITY.notice };
    const r1 = store.insertDelivery(chat, sendText(chat, "relayed 1"), null, now, relayed);
    const r2 = store.insertDelivery(chat, sendText(chat, "relayed 2"), null, now, relayed);
    const answer = store.insertDelivery(chat, answerButton("q1"), null, now, calls);
    const notice = store.insertDelivery(
      chat,
      sendText(chat, "your ticket is closed"),
      null,
      now,
      MESSAGE,
    );
    // The notice, written last, goes first among the messages; the answer has a lane of its own.
    assert.equal(store.headOfLane(chat, LANE.messages).next?.id, notice);
    assert.equal(store.headOfLane(chat, LANE.calls).next?.id, answer);
    // Oldest head first: the answer (written before the notice), then the notice.
    assert.deepEqual(store.chatsDue(now, [], 10), [
      { chatId: chat, lane: LANE.calls },
      { chatId: chat, lane: LANE.messages },
    ]);
    // A lane that is busy is left out; the other still comes.
    assert.deepEqual(store.chatsDue(now, [laneKey(chat, LANE.messages)], 10), [
      { chatId: chat, lane: LANE.calls },
    ]);
    // A head put off holds its lane back (order), never the other lane.
    store.retryDelivery(notice, now + 5_000, "500: Internal Server Error", true);
    assert.deepEqual(store.chatsDue(now, [], 10), [{ chatId: chat, lane: LANE.calls }]);
    store.markDelivery(notice, "sent", null, now);
    assert.equal(store.headOfLane(chat, LANE.messages).next?.id, r1);
    store.markDelivery(r1, "sent", null, now);
    assert.equal(store.headOfLane(chat, LANE.messages).next?.id, r2);
    // A step of the wall clock moves what waits, and only that.
    store.retryDelivery(r2, now + 1_000, "timeout", true);
    assert.equal(store.shiftRetries(-3_600_000), 1);
    assert.equal(
      store.headOfLane(chat, LANE.messages).next?.nextAttemptAt,
      now + 1_000 - 3_600_000,
    );
    assert.equal(store.headOfLane(chat, LANE.calls).next?.nextAttemptAt, 0);
  });
});

Deno.test("deliveries: chatsDue, headOfLane, cancelPendingTo, pendingCount", async () => {
  await withDb((store, db) => {
    const now = T0;
    const A = 100, B = 200, C = 300, D = 400, E = 500, G = -1001234567890;
    const send = (chat: number, text: string) =>
      store.insertDelivery(chat, sendText(chat, text), null, now - 1_000, MESSAGE);
    // All in the messages lane: the chats whose head is due, as chat ids.
    const chatsDue = (at: number, busy: number[], limit: number) =>
      store.chatsDue(at, busy.map((chat) => laneKey(chat, 0)), limit).map((d) => d.chatId);

    const a1 = send(A, "a1"); // due
    const b1 = send(B, "b1"); // head of B, scheduled for later
    const c1 = send(C, "c1"); // sent already
    const b2 = send(B, "b2"); // due, but behind b1
    const c2 = send(C, "c2"); // head of C's pending ones, due
    const d1 = send(D, "d1"); // failed: nothing pending for D
    const e1 = send(E, "e1"); // due exactly now
    const g1 = send(G, "g1"); // a group chat, due
    const a2 = send(A, "a2");
    store.retryDelivery(b1, now + 10_000, "Too Many Requests", false);
    store.markDelivery(c1, "sent", null, now);
    store.markDelivery(d1, "failed", "Bad Request", now);
    store.retryDelivery(e1, now, "timeout", true);

    assert.equal(store.pendingCount(), 7);
    // Oldest head first: a1, c2, e1, g1. B is left out: its head b1 is not due, though b2 is.
    assert.deepEqual(chatsDue(now, [], 10), [A, C, E, G]);
    assert.deepEqual(chatsDue(now - 1, [], 10), [A, C, G], "e1 is not due yet");
    assert.deepEqual(chatsDue(now, [C, G], 10), [A, E], "busy chats left out");
    assert.deepEqual(chatsDue(now, [A, C, E, G], 10), []);
    assert.deepEqual(chatsDue(now, [], 2), [A, C], "limit");
    assert.deepEqual(chatsDue(now, [A], 1), [C]);
    // Once b1 falls due, B comes in, ordered by its head's id.
    assert.deepEqual(chatsDue(now + 10_000, [], 10), [A, B, C, E, G]);

    // headOfLane: the lowest pending id, due or not.
    // Spread: rows come back as null-prototype objects.
    assert.deepEqual({ ...store.headOfLane(B, 0).next }, {
      id: b1,
      chatId: B,
      method: "sendMessage",
      params: JSON.stringify({ chat_id: B, text: "b1" }),
      messageId: null,
      status: "pending",
      attempts: 0, // a rate limit is not counted as an attempt
      nextAttemptAt: now + 10_000,
      lane: 0,
      priority: 0,
    });
    assert.equal(store.headOfLane(A, 0).next?.id, a1);
    assert.equal(store.headOfLane(C, 0).next?.id, c2);
    assert.equal(store.headOfLane(D, 0).next, undefined);
    assert.equal(store.headOfLane(E, 0).next?.attempts, 1);
    assert.equal(store.headOfLane(A, 0).more, true, "a2 waits behind a1");
    store.markDelivery(a1, "sent", null, now);
    assert.equal(store.headOfLane(A, 0).next?.id, a2);
    assert.equal(store.headOfLane(A, 0).more, false);
    assert.equal(store.pendingCount(), 6);

    // cancelPendingTo: only that chat's pending deliveries.
    assert.equal(store.cancelPendingTo(B, "blocked", now), 2);
    assert.equal(store.cancelPendingTo(B, "blocked", now), 0);
    assert.equal(store.headOfLane(B, 0).next, undefined);
    assert.equal(deliveryStatus(db, b1), "cancelled");
    assert.equal(deliveryStatus(db, b2), "cancelled");
    assert.equal(store.pendingCount(), 4);
    assert.equal(store.cancelPendingTo(C, "blocked", now), 1);
    assert.equal(deliveryStatus(db, c1), "sent", "a sent delivery stays sent");
    assert.equal(deliveryStatus(db, c2), "cancelled");
    assert.equal(deliveryStatus(db, d1), "failed");
    assert.equal(deliveryStatus(db, a2), "pending");
    assert.equal(deliveryStatus(db, g1), "pending");
    assert.equal(store.pendingCount(), 3);
    assert.deepEqual(chatsDue(now + 10_000, [], 10), [E, G, A]);
  });
});

// ---- query plans ----

Deno.test("agentCounts: an album counts as one message each way; the counts read indexes only", async () => {
  await withDb((store, db) => {
    addUser(store, 7);
    addUser(store, 8);
    const ticket = store.createTicket(7, T0);
    store.assignTicket(ticket, 8, T0);
    let chatMessageId = 0;
    const write = (role: "client" | "agent", mediaGroupId: string | null, kind = "text") =>
      store.insertMessage({
        ticketId: ticket,
        clientId: 7,
        agentId: 8,
        senderId: role === "client" ? 7 : 8,
        senderRole: role,
        kind,
        text: null,
        entities: null,
        fileId: null,
        chatMessageId: ++chatMessageId,
        replyToId: null,
        signedInline: null,
        mediaGroupId,
        createdAt: T0,
      });
    // The client: 2 texts, an album of 3, an album of 2. The agent: 1 text, an album of 4.
    write("client", null);
    write("client", null);
    for (let i = 0; i < 3; i++) write("client", "c-1", "photo");
    for (let i = 0; i < 2; i++) write("client", "c-2", "photo");
    write("agent", null);
    for (let i = 0; i < 4; i++) write("agent", "a-1", "photo");
    const counts = store.agentCounts(8, T0, T0);
    assert.equal(counts.messagesReceived, 4);
    assert.equal(counts.messagesSent, 2);
    // Every message counted from messages_agent alone, the parts from the album index alone.
    const details = plan(
      db,
      `SELECT (SELECT count(*) FROM messages WHERE agent_id = 8 AND sender_role = 'agent'),
        (SELECT count(*) - count(DISTINCT media_group_id) FROM messages INDEXED BY
          messages_album_agent WHERE agent_id = 8 AND sender_role = 'agent'
          AND media_group_id IS NOT NULL)`,
    ).join("\n");
    assert.match(details, /COVERING INDEX messages_agent/);
    assert.match(details, /COVERING INDEX messages_album_agent/);
  });
});

Deno.test("query plans: the queue and pending deliveries use their indexes", async () => {
  await withDb((_store, db) => {
    const queue = plan(
      db,
      "SELECT id, opened_at FROM tickets WHERE status = 'queued' ORDER BY opened_at, id LIMIT 1",
    );
    assert.ok(queue.some((d) => d.includes("tickets_queue")), queue.join("; "));
    assert.ok(!queue.some((d) => d.includes("TEMP B-TREE")), "no sort needed");
    const position = plan(
      db,
      `SELECT count(*) AS n FROM tickets WHERE status = 'queued'
        AND (opened_at < 5 OR (opened_at = 5 AND id <= 3))`,
    );
    assert.ok(position.some((d) => d.includes("tickets_queue")), position.join("; "));
    const pending = plan(
      db,
      `SELECT id, method, params FROM deliveries WHERE chat_id = 42 AND status = 'pending'
        ORDER BY lane, priority, id LIMIT 1`,
    );
    assert.ok(pending.some((d) => d.includes("deliveries_pending")), pending.join("; "));
    assert.ok(!pending.some((d) => d.includes("TEMP B-TREE")), "no sort needed");
    const cancel = plan(
      db,
      "UPDATE deliveries SET status = 'cancelled' WHERE chat_id = 42 AND status = 'pending'",
    );
    assert.ok(cancel.some((d) => d.includes("deliveries_pending")), cancel.join("; "));
  });
});

/** The SQL of every statement a Store prepares, caught on its way to `db.prepare`. */
function storeStatements(db: DatabaseSync): string[] {
  const sql: string[] = [];
  const spy = new Proxy(db, {
    get(target, property) {
      if (property === "prepare") {
        return (text: string) => {
          sql.push(text);
          return target.prepare(text);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  new Store(spy);
  return sql;
}

/**
 * The names a statement gives the growing tables (the table itself or its alias); a plan line
 * "SCAN <name>" for one of them is a full table scan. handled_updates is left out: it is
 * pruned by age, so it stays small.
 */
function tableNames(sql: string): Set<string> {
  const names = new Set<string>();
  const keywords = new Set(["WHERE", "JOIN", "ON", "ORDER", "GROUP", "LIMIT", "LEFT", "SET"]);
  const from =
    /\b(?:FROM|JOIN|UPDATE)\s+(users|tickets|messages|deliveries)\b(?:\s+(?:AS\s+)?(\w+))?/gi;
  for (const [, table, alias] of sql.matchAll(from)) {
    names.add(table);
    if (alias !== undefined && !keywords.has(alias.toUpperCase())) names.add(alias);
  }
  return names;
}

// Sent, failed and cancelled deliveries stay in the table, so a statement that scanned it
// whole would slow every dispatch of the sender as history grows.
Deno.test({
  name: "query plans: no Store statement scans a whole table",
  fn: async () => {
    await withDb((_store, db) => {
      const statements = storeStatements(db);
      assert.ok(statements.length > 20, `caught ${statements.length} statements`);
      const scans: string[] = [];
      for (const sql of statements) {
        const full = plan(db, sql).filter((d) => {
          const name = /^SCAN (\w+)$/.exec(d)?.[1];
          return name !== undefined && tableNames(sql).has(name);
        });
        if (full.length > 0) scans.push(`${full.join(", ")} in: ${sql.replace(/\s+/g, " ")}`);
      }
      assert.deepEqual(scans, []);
    });
  },
});

Deno.test("setCopy: a relayed message's copy rewrites its row and the copy index, no other index", async () => {
  await withDb((store, db) => {
    addUser(store, 7);
    addUser(store, 8);
    const ticket = store.createTicket(7, T0);
    store.assignTicket(ticket, 8, T0);
    // Enough messages of many senders that each index spans many pages.
    const ids: number[] = [];
    for (let i = 0; i < 200; i++) addUser(store, 1000 + i);
    for (let i = 0; i < 4000; i++) {
      const role = i % 2 === 0 ? "client" : "agent";
      ids.push(store.insertMessage(textMessage(ticket, 7, 1000 + (i % 200), role, i)));
    }
    const frames = () => {
      const { log } = db.prepare("PRAGMA wal_checkpoint(PASSIVE)").get() as { log: number };
      db.prepare("PRAGMA wal_checkpoint(TRUNCATE)").get();
      return log;
    };
    frames();
    // A client's message copied to the agent, an agent's copied to the client (7).
    for (const [id, chat] of [[ids[1000], 8], [ids[2001], 7]]) {
      db.exec("BEGIN IMMEDIATE");
      store.setCopy(id, chat, 90_000 + id);
      db.exec("COMMIT");
      assert.ok(frames() <= 2, `message ${id}: at most the row's page and the copy index's`);
      const row = db.prepare(
        "SELECT copy_chat_id AS c, copy_message_id AS m FROM messages WHERE id = ?",
      )
        .get(id) as { c: number; m: number };
      assert.deepEqual([row.c, row.m], [chat, 90_000 + id]);
    }
  });
});

Deno.test("historyPage: a client's messages of all their tickets, in order, paged, no one else's", async () => {
  await withDb((store, db) => {
    for (const id of [7, 8, 9]) addUser(store, id);
    const first = store.createTicket(7, T0);
    const other = store.createTicket(9, T0);
    const second = store.createTicket(7, T0 + 1);
    const mine: number[] = [];
    for (let i = 0; i < 30; i++) {
      const ticket = [first, other, second][i % 3];
      const clientId = ticket === other ? 9 : 7;
      const role = i % 2 === 0 ? "client" : "agent";
      const id = store.insertMessage(
        textMessage(ticket, clientId, role === "client" ? clientId : 8, role, i),
      );
      if (clientId === 7) mine.push(id);
    }
    const read: number[] = [];
    for (let after = 0;;) {
      const page = store.historyPage(7, after, mine[mine.length - 2], 4);
      if (page.length === 0) break;
      read.push(...page.map((line) => line.id));
      after = page[page.length - 1].id;
    }
    assert.deepEqual(read, mine.slice(0, -1), "in id order, up to the id asked, across tickets");
    // A page walks the client's index from the cursor: no sort of all their messages per page
    // (read through the tickets, /history of 100,000 messages took 4.7 s instead of 0.9).
    const plan = db.prepare(
      "EXPLAIN QUERY PLAN SELECT id FROM messages WHERE client_id = 7 AND id > 0 AND id <= 99 " +
        "ORDER BY id LIMIT 4",
    ).all().map((row) => String(row.detail)).join("; ");
    assert.match(plan, /USING (COVERING )?INDEX messages_client/, plan);
    assert.doesNotMatch(plan, /TEMP B-TREE/, plan);
  });
});
