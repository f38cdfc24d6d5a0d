/**
 * The desk directly, on a real SQLite file: one transaction per event, each update id
 * handled once, and a new desk on the same file (a restart) picking up where it was.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseConfig } from "../src/config/mod.ts";
import type { DatabaseSync } from "node:sqlite";
import { CommitBoundary } from "../src/boundary.ts";
import { COMMANDS } from "../src/desk/commands.ts";
import { openDatabase } from "../src/store/db.ts";
import { Store } from "../src/store/mod.ts";
import { Desk, type Person } from "../src/desk/mod.ts";
import type { MessageContent } from "../src/rules/content.ts";
import { SUPPORT_TOKEN } from "./support/harness.ts";

const config = parseConfig({ BOT_TOKEN: "1:abc", SUPPORT_TOKEN });
const client: Person = { userId: 10, username: null, fullName: "Client", language: "en" };
const agent: Person = { userId: 20, username: "agent", fullName: "Agent", language: "ru" };
const text = (t: string): MessageContent => ({
  kind: "text",
  text: t,
  entities: null,
  fileId: null,
});

/** A desk on `db` with its commit boundary, as the app wires them. */
function openDesk(
  db: DatabaseSync,
  onCommit?: () => void,
): { desk: Desk; boundary: CommitBoundary } {
  const store = new Store(db);
  const boundary = new CommitBoundary(store, { onCommit });
  return { desk: new Desk(store, boundary, config, COMMANDS), boundary };
}

/** `/register_support <token>` as update `updateId`, the command's message being `messageId`. */
function register(desk: Desk, updateId: number, person: Person, messageId: number): void {
  desk.command(updateId, person, {
    name: "register_support",
    args: SUPPORT_TOKEN,
    chatMessageId: messageId,
  });
}

async function withDesk(fn: (path: string) => void): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    fn(join(dir, "desk.db"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function count(desk: Desk, table: string): number {
  return (desk.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

Deno.test("an update handed out again changes nothing", () =>
  withDesk((path) => {
    const db = openDatabase(path);
    const { desk } = openDesk(db);
    register(desk, 1, agent, 1);
    desk.message(2, client, { chatMessageId: 1, content: text("hello") });
    const before = { messages: count(desk, "messages"), deliveries: count(desk, "deliveries") };
    assert.equal(before.messages, 1);
    // Telegram hands out updates 1 and 2 again (the bot died before confirming them).
    register(desk, 1, agent, 1);
    desk.message(2, client, { chatMessageId: 1, content: text("hello") });
    assert.deepEqual(
      { messages: count(desk, "messages"), deliveries: count(desk, "deliveries") },
      before,
    );
    db.close();
    // A restart: a new desk on the same file still knows them.
    const db2 = openDatabase(path);
    const { desk: desk2 } = openDesk(db2);
    desk2.message(2, client, { chatMessageId: 1, content: text("hello") });
    assert.equal(count(desk2, "messages"), 1);
    desk2.message(3, client, { chatMessageId: 2, content: text("again") });
    assert.equal(count(desk2, "messages"), 2);
    db2.close();
  }));

Deno.test("a failing event leaves no trace, and its update can be handled later", () =>
  withDesk((path) => {
    const db = openDatabase(path);
    const { desk } = openDesk(db);
    // An entity list that cannot be stored makes the event throw inside its transaction.
    const bad = { kind: "text", text: "x", entities: [1n] as never, fileId: null };
    assert.throws(() => desk.message(5, client, { chatMessageId: 1, content: bad }));
    assert.equal(count(desk, "users"), 0);
    assert.equal(count(desk, "tickets"), 0);
    assert.equal(count(desk, "deliveries"), 0);
    assert.equal(count(desk, "handled_updates"), 0);
    desk.message(5, client, { chatMessageId: 1, content: text("fine") });
    assert.equal(count(desk, "messages"), 1);
    db.close();
  }));

Deno.test("the deliveries of one event are written in order, with the state change", () =>
  withDesk((path) => {
    const db = openDatabase(path);
    let wakes = 0;
    const { desk } = openDesk(db, () => wakes++);
    desk.message(1, client, { chatMessageId: 1, content: text("first") });
    desk.message(2, client, { chatMessageId: 2, content: text("second") });
    assert.equal(desk.store.queueLength(), 1);
    register(desk, 3, agent, 9);
    assert.equal(wakes, 3);
    const toAgent = db.prepare(
      "SELECT method, params FROM deliveries WHERE chat_id = ? ORDER BY id",
    ).all(agent.userId) as { method: string; params: string }[];
    assert.deepEqual(toAgent.map((d) => d.method), [
      "deleteMessage",
      "setMyCommands",
      "sendMessage",
      "sendMessage",
      "sendMessage",
      "sendMessage",
    ]);
    const texts = toAgent.map((d) => JSON.parse(d.params).text as string | undefined);
    assert.equal(texts[4], "👤 Client:\nfirst");
    assert.equal(texts[5], "👤 Client:\nsecond");
    assert.equal(desk.store.queueLength(), 0);
    db.close();
  }));

Deno.test("batched updates: one commit at flush; a failing one leaves no trace, the rest stay", () =>
  withDesk((path) => {
    const db = openDatabase(path);
    let woken = 0;
    const { desk, boundary } = openDesk(db, () => woken++);
    boundary.begin();
    register(desk, 1, agent, 1);
    const bad = { kind: "text", text: "x", entities: [1n] as never, fileId: null };
    assert.throws(() => desk.message(2, client, { chatMessageId: 1, content: bad }));
    desk.message(3, client, { chatMessageId: 2, content: text("hello") });
    // Nothing is committed yet: another connection sees nothing, the sender was not woken.
    assert.ok(boundary.open);
    assert.equal(woken, 0);
    const other = openDatabase(path);
    const seen = () =>
      (other.prepare("SELECT count(*) AS n FROM handled_updates").get() as { n: number }).n;
    assert.equal(seen(), 0);
    boundary.commit();
    assert.ok(!boundary.open);
    assert.equal(woken, 1);
    // Updates 1 and 3 are handled; 2 left no trace and can be handled again.
    assert.equal(seen(), 2);
    assert.equal(count(desk, "messages"), 1);
    boundary.begin();
    desk.message(2, client, { chatMessageId: 1, content: text("retried") });
    boundary.commit();
    assert.equal(seen(), 3);
    assert.equal(count(desk, "messages"), 2);
    // Events that are not updates (from the sender) commit on their own when no batch is open.
    desk.drainQueue();
    assert.ok(!boundary.open);
    other.close();
    db.close();
  }));
