/**
 * The database lock's view of the file it holds (`src/store/lock.ts`): whether the file still
 * has a name, read from the open handle, after a delete and after a rename over it; and the
 * commit boundary stopping at it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CommitBoundary } from "../src/boundary.ts";
import { openDatabase, StorageFault } from "../src/store/db.ts";
import { lockDatabase } from "../src/store/lock.ts";
import { Store } from "../src/store/mod.ts";

Deno.test("lock: the file held has a name until it is deleted, or replaced by a rename", async () => {
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-lock-" });
  try {
    const path = join(dir, "helpdesk.db");
    Deno.writeTextFileSync(path, "");
    const lock = lockDatabase(path);
    try {
      assert.equal(lock.linked(), true);
      await Deno.remove(path);
      assert.equal(lock.linked(), false, "deleted");
      // A new file at the path is not the one held.
      Deno.writeTextFileSync(path, "");
      assert.equal(lock.linked(), false, "another file at the path");
    } finally {
      lock.release();
    }
    const other = join(dir, "other.db");
    const again = lockDatabase(path);
    try {
      assert.equal(again.linked(), true);
      Deno.writeTextFileSync(other, "");
      await Deno.rename(other, path);
      assert.equal(again.linked(), false, "replaced by a rename");
    } finally {
      again.release();
    }
    assert.equal(lockDatabase(":memory:").linked(), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("boundary: a commit after the file was deleted is refused (the held handle tells)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-lock-" });
  const path = join(dir, "helpdesk.db");
  const lock = lockDatabase(path);
  const db = openDatabase(path);
  lock.holdFile();
  let lostCalls = 0;
  try {
    const store = new Store(db);
    const boundary = new CommitBoundary(store, {
      file: path,
      linked: () => lock.linked(),
      onLost: () => lostCalls++,
    });
    const user = { userId: 1, username: null, fullName: "One", language: "en" } as const;
    boundary.event(1, (now) => store.insertUser(user, false, now));
    assert.equal(boundary.lost, false);
    await Deno.remove(path);
    assert.throws(
      () => boundary.event(2, (now) => store.insertUser({ ...user, userId: 2 }, false, now)),
      StorageFault,
    );
    assert.equal(boundary.lost, true);
    assert.equal(store.getUser(2), undefined, "rolled back");
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(lostCalls, 1);
  } finally {
    db.close();
    lock.release();
    await Deno.remove(dir, { recursive: true });
  }
});
