/**
 * The store picks the best free agent with indexed SQL (Store.pickFreeAgent); the pure
 * pickAgent of src/rules/matchmaking.ts stays the specification. On random agents, with many ties
 * and nulls, random languages and departments, and random needs (a client's language, a
 * department, a last agent, a wait for a speaker), both must pick the same agent; and each step
 * of the pick walks one index, sorting nothing, at 10,000 agents too.
 */
import assert from "node:assert/strict";
import { openDatabase } from "../src/store/db.ts";
import { type Needs, pickAgent } from "../src/rules/matchmaking.ts";
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
    const languageSets = [null, null, ",ru,", ",en,", ",ru,en,", ",en,ru,"];
    const departmentSets = [null, null, ",billing,", ",tech,", ",billing,tech,", ",tech,sales,"];
    db.exec(`INSERT INTO users (user_id, full_name, language, created_at)
      VALUES (1, 'client', 'ru', 0)`);
    for (let i = 0; i < count; i++) {
      const id = 100 + Math.floor(random() * 1000);
      if (store.getUser(id)) continue;
      let ticket: number | null = null;
      if (random() < 0.2) ticket = store.createTicket(1, NOW);
      db.prepare(`INSERT INTO users (user_id, full_name, language, is_agent, is_available,
        current_ticket_id, last_online, last_dialog_ended_at, created_at, languages,
        departments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`).run(
        id,
        `agent ${id}`,
        pick(random, ["ru", "en"]),
        random() < 0.9 ? 1 : 0,
        random() < 0.8 ? 1 : 0,
        ticket,
        pick(random, times),
        pick(random, times),
        pick(random, languageSets),
        pick(random, departmentSets),
      );
    }
    const ids = store.freeAgents().map((a) => a.userId);
    for (let ask = 0; ask < 6; ask++) {
      const needs: Needs = {
        language: pick(random, [null, "ru", "en"]),
        department: pick(random, [null, "billing", "tech", "sales"]),
        lastAgentId: pick(random, [null, 5, ...ids.slice(0, 3)]),
        onlySpeakers: random() < 0.3,
        ownAgentsOnly: random() < 0.3,
      };
      const label = `round ${round}, ${JSON.stringify(needs)}, seed ${seed}`;
      const expected = pickAgent(store.freeAgents(), now, window, needs);
      assert.deepEqual(store.pickFreeAgent(now, window, 0, needs), expected, label);
      // Leaving out one agent (who just gave a ticket up) gives the pure pick without them.
      if (expected) {
        const others = store.freeAgents().filter((a) => a.userId !== expected.userId);
        assert.deepEqual(
          store.pickFreeAgent(now, window, expected.userId, needs),
          pickAgent(others, now, window, needs),
          `${label} without ${expected.userId}`,
        );
      }
    }
    // Without needs: the seed's order alone, as before.
    assert.deepEqual(
      store.pickFreeAgent(now, window),
      pickAgent(store.freeAgents(), now, window),
      `round ${round}, seed ${seed}`,
    );
    db.close();
  }
});

/** The plan of one step of the pick, on `db` as it is. */
function planOf(db: ReturnType<typeof openDatabase>, online: 1 | 0 | null = 1): string {
  const params = {
    now: NOW,
    window: 1,
    except: 0,
    online,
    rank: 0,
    speaks: 1,
    department: "billing",
    departmentItem: ",billing,",
    language: "en",
    languageItem: ",en,",
  };
  return db.prepare(`EXPLAIN QUERY PLAN ${PICK_AGENT_SQL}`).all(params)
    .map((row) => String(row.detail)).join("\n");
}

Deno.test("pickFreeAgent walks one index, reads no row of the table, and sorts nothing", () => {
  const db = openDatabase(":memory:");
  const plan = planOf(db);
  assert.match(plan, /SCAN users USING COVERING INDEX users_pick_agent/);
  assert.doesNotMatch(plan, /TEMP B-TREE|SUBQUERY|SEARCH|\n/);
  // The step that takes online and offline agents alike walks the same way.
  assert.equal(planOf(db, null), plan);
  // At 10,000 agents with statistics gathered (the planner's choice may change with them).
  db.exec("BEGIN");
  const insert = db.prepare(`INSERT INTO users (user_id, full_name, language, is_agent,
    is_available, last_online, last_dialog_ended_at, created_at, languages, departments)
    VALUES (?, 'agent', ?, 1, ?, ?, ?, 0, ?, ?)`);
  for (let i = 1; i <= 10_000; i++) {
    insert.run(
      i,
      i % 2 ? "ru" : "en",
      i % 5 ? 1 : 0,
      NOW - (i % 7) * 60_000,
      i % 3 ? NOW - i : null,
      i % 4 ? null : ",ru,en,",
      [",billing,", ",tech,", null, ",billing,tech,"][i % 4],
    );
  }
  db.exec("COMMIT; ANALYZE;");
  assert.equal(planOf(db), plan);
  assert.equal(planOf(db, null), plan);
  const store = new Store(db);
  const needs: Needs = {
    language: "en",
    department: "billing",
    lastAgentId: 44,
    onlySpeakers: false,
  };
  assert.deepEqual(
    store.pickFreeAgent(NOW, 300_000, 0, needs),
    pickAgent(store.freeAgents(), NOW, 300_000, needs),
  );
  db.close();
});
