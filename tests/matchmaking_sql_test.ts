/**
 * The store picks the best free agent with indexed SQL (Store.pickFreeAgent); the pure
 * pickAgent of src/rules/matchmaking.ts stays the specification. On random agents, with many ties
 * and nulls, both must pick the same agent.
 */
import assert from "node:assert/strict";
import { openDatabase } from "../src/store/db.ts";
import { pickAgent } from "../src/rules/matchmaking.ts";
import { PICK_AGENT_SQL, Store } from "../src/store/mod.ts";
import { mulberry32 } from "../tools/emulator/random.ts";

const NOW = 1_700_000_000_000;

/** One of a few values (or null), so that ties and nulls are frequent. */
function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)];
}

Deno.test("pickFreeAgent (SQL) picks exactly the agent pickAgent (pure) picks", () => {
  const seed = Number(Deno.env.get("MATCH_SEED") ?? Date.now() % 1_000_000);
  console.log(`MATCH_SEED=${seed}`);
  const random = mulberry32(seed);
  for (let round = 0; round < 150; round++) {
    const db = openDatabase(":memory:");
    const store = new Store(db);
    const count = 1 + Math.floor(random() * 40);
    const window = pick(random, [0, 60_000, 300_000, 300_000.5]);
    const now = NOW + pick(random, [0, 1, 299_999, 300_000]);
    const times = [null, NOW - 600_000, NOW - 300_001, NOW - 300_000, NOW - 1000, NOW, NOW + 5];
    db.exec(`INSERT INTO users (user_id, full_name, language, created_at)
      VALUES (1, 'client', 'ru', 0)`);
    for (let i = 0; i < count; i++) {
      const id = 100 + Math.floor(random() * 1000);
      if (store.getUser(id)) continue;
      let ticket: number | null = null;
      if (random() < 0.2) ticket = store.createTicket(1, NOW);
      db.prepare(`INSERT INTO users (user_id, full_name, language, is_agent, is_available,
        current_ticket_id, last_online, last_dialog_ended_at, created_at)
        VALUES (?, ?, 'ru', ?, ?, ?, ?, ?, 0)`).run(
        id,
        `agent ${id}`,
        random() < 0.9 ? 1 : 0,
        random() < 0.8 ? 1 : 0,
        ticket,
        pick(random, times),
        pick(random, times),
      );
    }
    const expected = pickAgent(store.freeAgents(), now, window);
    const got = store.pickFreeAgent(now, window);
    assert.deepEqual(got, expected, `round ${round}, seed ${seed}`);
    // Leaving out one agent (who just gave a ticket up) gives the pure pick without them.
    if (expected) {
      const others = store.freeAgents().filter((a) => a.userId !== expected.userId);
      assert.deepEqual(
        store.pickFreeAgent(now, window, expected.userId),
        pickAgent(others, now, window),
        `round ${round} without ${expected.userId}, seed ${seed}`,
      );
    }
    db.close();
  }
});

Deno.test("pickFreeAgent walks an index and sorts nothing", () => {
  const db = openDatabase(":memory:");
  for (const sql of Object.values(PICK_AGENT_SQL)) {
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ now: NOW, window: 1, except: 0 })
      .map((row) => String(row.detail)).join("\n");
    assert.match(plan, /USING (COVERING )?INDEX users_pick_agent/);
    assert.doesNotMatch(plan, /TEMP B-TREE/);
  }
  db.close();
});
