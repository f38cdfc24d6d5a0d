/**
 * The commit boundary (`src/boundary.ts`) on a real SQLite file, watched from a second
 * connection: what a batch writes is invisible until it commits, a failing event leaves no
 * trace, an update id counts once, and the sender is woken only by commits of events.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CommitBoundary } from "../src/boundary.ts";
import { openDatabase } from "../src/store/db.ts";
import { Store } from "../src/store/mod.ts";

async function withBoundary(
  fn: (b: {
    boundary: CommitBoundary;
    store: Store;
    seen: (sql: string) => number;
    /** How many times the boundary woke the sender so far. */
    wakes: () => number;
  }) => void,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "boundary.db");
  const db = openDatabase(path);
  const other = openDatabase(path);
  try {
    const store = new Store(db);
    const seen = (sql: string) => Number((other.prepare(sql).get() as { n: number }).n);
    const wakes = { count: 0 };
    const boundary = new CommitBoundary(store, {
      now: () => 1_700_000_000_000,
      onCommit: () => wakes.count++,
    });
    fn({ boundary, store, seen, wakes: () => wakes.count });
  } finally {
    other.close();
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const HANDLED = "SELECT count(*) AS n FROM handled_updates";
const USERS = "SELECT count(*) AS n FROM users";
const person = (userId: number) =>
  ({ userId, username: null, fullName: `User ${userId}`, language: "en" }) as const;

Deno.test("boundary: a batch is invisible until it commits, then wakes the sender once", () =>
  withBoundary(({ boundary, store, seen, wakes }) => {
    boundary.begin();
    assert.equal(boundary.open, false, "nothing begins before the first event");
    boundary.event(1, (now) => store.insertUser(person(1), false, now));
    boundary.event(2, (now) => store.insertUser(person(2), false, now));
    assert.equal(boundary.open, true);
    assert.equal(seen(USERS), 0);
    assert.equal(wakes(), 0);
    boundary.commit();
    assert.equal(boundary.open, false);
    assert.equal(seen(USERS), 2);
    assert.equal(seen(HANDLED), 2);
    assert.equal(wakes(), 1);
    // An empty batch commits nothing and wakes nobody.
    boundary.begin();
    boundary.commit();
    assert.equal(wakes(), 1);
  }));

Deno.test("boundary: a failing event in a batch leaves no trace; the others stay", () =>
  withBoundary(({ boundary, store, seen }) => {
    boundary.begin();
    boundary.event(1, (now) => store.insertUser(person(1), false, now));
    assert.throws(() =>
      boundary.event(2, (now) => {
        store.insertUser(person(2), false, now);
        throw new Error("a bug in a handler");
      }), /a bug/);
    boundary.event(3, (now) => store.insertUser(person(3), false, now));
    boundary.commit();
    assert.equal(seen(USERS), 2);
    assert.equal(seen(HANDLED), 2, "update 2 is not recorded: it can be handled again");
    assert.equal(store.getUser(2), undefined);
  }));

Deno.test("boundary: the batch's first event failing (no savepoint of its own) leaves no trace", () =>
  withBoundary(({ boundary, store, seen, wakes }) => {
    boundary.begin();
    assert.throws(() =>
      boundary.event(1, (now) => {
        store.insertUser(person(1), false, now);
        throw new Error("a bug in a handler");
      }), /a bug/);
    assert.equal(boundary.open, false, "its transaction is gone with it");
    boundary.event(2, (now) => store.insertUser(person(2), false, now));
    // A nested write of the next event has its own savepoint: undone alone.
    boundary.event(3, (now) => {
      store.insertUser(person(3), false, now);
      assert.throws(() =>
        boundary.write((later) => {
          store.insertUser(person(4), false, later);
          throw new Error("a nested bug");
        }), /nested/);
    });
    boundary.commit();
    assert.equal(seen(USERS), 2);
    assert.equal(seen(HANDLED), 2, "update 1 is not recorded: it can be handled again");
    assert.equal(store.getUser(1), undefined);
    assert.equal(store.getUser(4), undefined);
    assert.equal(wakes(), 1);
    // A batch whose only event failed commits nothing and wakes nobody.
    boundary.begin();
    assert.throws(() =>
      boundary.event(5, () => {
        throw new Error("alone");
      }), /alone/);
    boundary.commit();
    assert.equal(seen(HANDLED), 2);
    assert.equal(wakes(), 1);
  }));

Deno.test("boundary: an update id counts once, in a batch or not", () =>
  withBoundary(({ boundary, store, seen }) => {
    let runs = 0;
    const work = (now: number) => {
      runs++;
      store.insertUser(person(10 + runs), false, now);
    };
    boundary.event(7, work);
    boundary.event(7, work);
    boundary.begin();
    boundary.event(7, work);
    boundary.commit();
    assert.equal(runs, 1);
    assert.equal(seen(USERS), 1);
    // Events that are no update (null) always run.
    boundary.event(null, work);
    boundary.event(null, work);
    assert.equal(runs, 3);
  }));

Deno.test("boundary: outside a batch each event commits at once; writes wake nobody", () =>
  withBoundary(({ boundary, store, seen, wakes }) => {
    boundary.event(1, (now) => store.insertUser(person(1), false, now));
    assert.equal(seen(USERS), 1);
    assert.equal(wakes(), 1);
    const id = boundary.write((now) => {
      store.insertUser(person(2), false, now);
      return 42;
    });
    assert.equal(id, 42);
    assert.equal(seen(USERS), 2);
    assert.equal(wakes(), 1, "the sender's own records do not wake it");
    // Inside a batch a write joins it, and is committed with it.
    boundary.begin();
    boundary.write((now) => store.insertUser(person(3), false, now));
    assert.equal(seen(USERS), 2);
    boundary.commit();
    assert.equal(seen(USERS), 3);
  }));
