/**
 * Backups: `deno task backup <file>` (its permissions, the real program) copies the live
 * database while the bot runs and writes; the copy is one consistent moment; a fresh bot
 * started on it finds everything (users, the agent, the open dialog, the history).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { user } from "./support/telegram.ts";
import {
  introduce,
  registerAgent,
  settled,
  shownText,
  startHarness,
  waitForText,
  withHarness,
} from "./support/harness.ts";
import { runMain, taskFlags } from "./support/program.ts";

const agent = user(5001, "Agent", { last_name: "Smith" });
const client = user(5002, "Client");
const BURST = 60;

type Row = Record<string, unknown>;

function rows(db: DatabaseSync, sql: string): Row[] {
  return db.prepare(sql).all().map((row) => ({ ...row }));
}

Deno.test("backup while the bot runs and writes; a bot started on the copy finds everything", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent);
    await introduce(tg, client, "Ольга");
    tg.sendText(client, "вопрос до копии");
    await waitForText(tg, agent.id, "вопрос до копии");
    tg.sendText(agent, "ответ до копии");
    await settled(h);
    const before = {
      tickets: rows(h.app.db, "SELECT * FROM tickets ORDER BY id"),
      messages: rows(h.app.db, "SELECT * FROM messages ORDER BY id"),
    };

    // The backup runs as `deno task backup <file>` would, while a burst is being handled.
    const file = join(h.dir, "backup.db");
    const flags = await taskFlags("backup");
    const burst = (async () => {
      for (let i = 0; i < BURST; i++) {
        tg.sendText(client, `сообщение ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const result = await runMain(["backup", file], flags, { DATABASE_PATH: h.dbPath }, h.dir);
    await burst;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^backup of .*helpdesk\.db written to .*backup\.db \(\d+ bytes\)$/);
    await settled(h);

    // One consistent moment: sound, everything from before, and the burst as a prefix
    // with each message's delivery and handled update (all written in one transaction).
    const copy = new DatabaseSync(file, { readOnly: true });
    try {
      assert.deepEqual(rows(copy, "PRAGMA integrity_check"), [{ integrity_check: "ok" }]);
      assert.deepEqual(rows(copy, "PRAGMA foreign_key_check"), []);
      assert.deepEqual(
        rows(copy, "SELECT * FROM tickets WHERE id <= 1 ORDER BY id"),
        before.tickets,
      );
      const messages = rows(copy, "SELECT * FROM messages ORDER BY id");
      assert.deepEqual(messages.slice(0, before.messages.length), before.messages);
      const copied = messages.slice(before.messages.length).map((m) => m.text);
      assert.deepEqual(copied, copied.map((_, i) => `сообщение ${i}`), "a prefix of the burst");
      const orphans = rows(
        copy,
        `SELECT m.id FROM messages m WHERE m.sender_role = 'client'
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id)`,
      );
      assert.deepEqual(orphans, [], "every relayed message has its delivery");
      const agents = rows(copy, "SELECT user_id FROM users WHERE is_agent = 1");
      assert.deepEqual(agents, [{ user_id: agent.id }]);
    } finally {
      copy.close();
    }

    // An existing file is never overwritten.
    const size = (await Deno.stat(file)).size;
    const again = await runMain(["backup", file], flags, { DATABASE_PATH: h.dbPath }, h.dir);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, `helpdesk-bot: ${file} already exists; not overwriting it`);
    assert.equal((await Deno.stat(file)).size, size);

    // Restore: a fresh bot (and a fresh Telegram) on the copy.
    const restored = await startHarness({ DATABASE_PATH: file });
    try {
      const rtg = restored.tg;
      // Telegram's update ids only grow; the copy remembers the ones handled before.
      rtg.pushRaw({ update_id: 100_000 });
      let after = rtg.calls.length;
      rtg.sendText(client, "после восстановления");
      const relayed = await waitForText(rtg, agent.id, "после восстановления", after);
      assert.equal(shownText(relayed), "👤 Ольга:\nпосле восстановления", "the open dialog");
      await settled(restored);
      after = rtg.calls.length;
      rtg.sendText(agent, "/history");
      const call = await rtg.waitForCall("sendDocument", (c) => c.params.chat_id === agent.id, {
        after,
      });
      const history = call.files.document.text();
      for (
        const line of ["вопрос до копии", "Agent Smith: ответ до копии", "после восстановления"]
      ) {
        assert.ok(history.includes(line), `${line} in:\n${history}`);
      }
    } finally {
      await restored.close();
    }
  }));

Deno.test("backup of a database that does not exist: one line, nothing written", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const flags = await taskFlags("backup");
    const missing = join(dir, "none.db");
    const target = join(dir, "copy.db");
    const result = await runMain(["backup", target], flags, { DATABASE_PATH: missing }, dir);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `helpdesk-bot: no database at ${missing}`);
    await assert.rejects(Deno.stat(target), Deno.errors.NotFound);
    await assert.rejects(Deno.stat(missing), Deno.errors.NotFound, "not created either");
    const usage = await runMain(["backup"], flags, {}, dir);
    assert.equal(usage.code, 1);
    assert.equal(usage.stderr, "helpdesk-bot: usage: helpdesk-bot backup <file>");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
