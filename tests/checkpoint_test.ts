/**
 * WAL checkpoints run in a worker thread: the database file takes in what the bot writes
 * although the bot's own connection never reaches its (backstop) checkpoint threshold, and
 * stopping leaves a database that closes cleanly.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { BACKSTOP_PAGES, startCheckpointer } from "../src/store/checkpoint.ts";
import { openDatabase } from "../src/store/db.ts";

Deno.test("a worker checkpoints the WAL into the database file; the bot's threshold is a backstop", async () => {
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-test-" });
  try {
    const path = join(dir, "helpdesk.db");
    const db = openDatabase(path);
    const checkpointer = startCheckpointer(db, path, 20);
    const { wal_autocheckpoint } = db.prepare("PRAGMA wal_autocheckpoint").get() as {
      wal_autocheckpoint: number;
    };
    assert.equal(wal_autocheckpoint, BACKSTOP_PAGES);
    const before = (await Deno.stat(path)).size;
    const insert = db.prepare(
      "INSERT INTO handled_updates (update_id, handled_at) VALUES (?, ?)",
    );
    // About 2 MB in 200 transactions: far below the backstop of BACKSTOP_PAGES pages.
    for (let i = 0; i < 200; i++) {
      db.exec("BEGIN");
      for (let j = 0; j < 500; j++) insert.run(i * 500 + j, Date.now());
      db.exec("COMMIT");
    }
    const deadline = Date.now() + 5000;
    while ((await Deno.stat(path)).size <= before + 1_000_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok((await Deno.stat(path)).size > before + 1_000_000, "the file took in the WAL");
    await checkpointer.stop();
    await checkpointer.stop();
    db.close();
    // The last connection to close checkpoints and removes the log.
    await assert.rejects(() => Deno.stat(`${path}-wal`), Deno.errors.NotFound);
    const again = openDatabase(path);
    assert.equal(
      Number(again.prepare("SELECT count(*) AS n FROM handled_updates").get()!.n),
      100_000,
    );
    again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("no worker for an in-memory database", async () => {
  const db = openDatabase(":memory:");
  await startCheckpointer(db, ":memory:").stop();
  db.close();
});
