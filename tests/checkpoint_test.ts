/**
 * WAL checkpoints follow writes on the bot's own connection: the database file takes in what
 * the bot writes although SQLite's own threshold is only a backstop, nothing is checkpointed
 * without a write (an idle bot has no timer), an open transaction puts it off, and stopping
 * leaves a database that closes cleanly.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { BACKSTOP_PAGES, startCheckpointer } from "../src/store/checkpoint.ts";
import { openDatabase, transaction } from "../src/store/db.ts";
import type { DatabaseSync } from "node:sqlite";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes about 2 MB in 200 transactions (far below the backstop), from update id `from`. */
function write(db: DatabaseSync, from: number): void {
  const insert = db.prepare("INSERT INTO handled_updates (update_id, handled_at) VALUES (?, ?)");
  for (let i = 0; i < 200; i++) {
    transaction(db, () => {
      for (let j = 0; j < 500; j++) insert.run(from + i * 500 + j, Date.now());
    });
  }
}

/** Pages in the WAL that are not in the database file yet (a passive checkpoint's count). */
function walPages(db: DatabaseSync): { log: number; checkpointed: number } {
  const row = db.prepare("PRAGMA wal_checkpoint(PASSIVE)").get() as Record<string, number>;
  return { log: row.log, checkpointed: row.checkpointed };
}

async function withDatabase(test: (db: DatabaseSync, path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-test-" });
  try {
    const path = join(dir, "helpdesk.db");
    const db = openDatabase(path);
    try {
      await test(db, path);
    } finally {
      if (db.isOpen) db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a write is checkpointed into the file soon after; SQLite's threshold is a backstop", async () => {
  await withDatabase(async (db, path) => {
    const checkpointer = startCheckpointer(db, path, 20);
    const { wal_autocheckpoint } = db.prepare("PRAGMA wal_autocheckpoint").get() as {
      wal_autocheckpoint: number;
    };
    assert.equal(wal_autocheckpoint, BACKSTOP_PAGES);
    const before = (await Deno.stat(path)).size;
    write(db, 0);
    checkpointer.written();
    const deadline = Date.now() + 5000;
    while ((await Deno.stat(path)).size <= before + 1_000_000 && Date.now() < deadline) {
      await pause(10);
    }
    assert.ok((await Deno.stat(path)).size > before + 1_000_000, "the file took in the WAL");
    checkpointer.stop();
    checkpointer.stop();
    db.close();
    // The last connection to close checkpoints and removes the log.
    await assert.rejects(() => Deno.stat(`${path}-wal`), Deno.errors.NotFound);
    const again = openDatabase(path);
    assert.equal(
      Number(again.prepare("SELECT count(*) AS n FROM handled_updates").get()!.n),
      100_000,
    );
    again.close();
  });
});

Deno.test("without a write nothing is checkpointed, and after stop nothing either", async () => {
  await withDatabase(async (db, path) => {
    const checkpointer = startCheckpointer(db, path, 10);
    const size = (await Deno.stat(path)).size;
    write(db, 0);
    await pause(100);
    assert.equal((await Deno.stat(path)).size, size, "not told of the write: nothing moved");
    checkpointer.stop();
    checkpointer.written();
    await pause(100);
    assert.equal((await Deno.stat(path)).size, size, "stopped: nothing moved");
    assert.ok(walPages(db).log > 200, "the writes are still in the WAL");
  });
});

Deno.test("an open transaction puts the checkpoint off until it ends", async () => {
  await withDatabase(async (db, path) => {
    const checkpointer = startCheckpointer(db, path, 10);
    write(db, 0);
    const size = (await Deno.stat(path)).size;
    db.exec("BEGIN IMMEDIATE");
    checkpointer.written();
    await pause(100);
    assert.equal((await Deno.stat(path)).size, size, "nothing during the transaction");
    db.exec("COMMIT");
    const deadline = Date.now() + 5000;
    while ((await Deno.stat(path)).size === size && Date.now() < deadline) await pause(10);
    assert.ok((await Deno.stat(path)).size > size, "checkpointed once it ended");
    checkpointer.stop();
  });
});

Deno.test("no checkpoints for an in-memory database", () => {
  const db = openDatabase(":memory:");
  const checkpointer = startCheckpointer(db, ":memory:");
  checkpointer.written();
  checkpointer.stop();
  db.close();
});
