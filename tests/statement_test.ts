/**
 * Rows made from SQLite's arrays (`src/store/statement.ts`): the same records `node:sqlite`
 * makes, for one row, many, none, a join with a name twice, and writes.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { recordOf, recordRows } from "../src/store/statement.ts";

Deno.test("statement: rows as records of the columns' names, as node:sqlite makes them", () => {
  const db = new DatabaseSync(":memory:");
  try {
    db.exec(`CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT, note TEXT);
      CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER, name TEXT);`);
    const insert = recordRows(db.prepare("INSERT INTO a (name, note) VALUES (?, ?)"));
    const result = insert.run("one", null);
    assert.equal(Number(result.lastInsertRowid), 1);
    insert.run("two", "x");
    db.exec("INSERT INTO b (a_id, name) VALUES (1, 'b-one'), (2, 'b-two')");
    const queries = [
      "SELECT id, name AS label, note, count(*) OVER () AS n FROM a WHERE id = ?",
      "SELECT * FROM a JOIN b ON b.a_id = a.id ORDER BY a.id",
      "SELECT id FROM a WHERE id > ?",
    ];
    for (const sql of queries) {
      const made = recordRows(db.prepare(sql));
      const native = db.prepare(sql);
      const params = sql.includes("?") ? [1] : [];
      assert.deepEqual(made.get(...params), { ...native.get(...params) }, sql);
      assert.deepEqual(made.all(...params), native.all(...params).map((row) => ({ ...row })), sql);
      assert.deepEqual([...made.iterate(...params)], native.all(...params).map((r) => ({ ...r })));
    }
    const none = recordRows(db.prepare("SELECT id FROM a WHERE id = ?"));
    assert.equal(none.get(99), undefined);
    assert.deepEqual(none.all(99), []);
    // A join's two `name` columns: the last one, as node:sqlite has it.
    const joined = recordRows(db.prepare("SELECT a.name, b.name FROM a JOIN b ON b.a_id = a.id"));
    assert.equal(joined.get()?.name, "b-one");
    // Named parameters still bind.
    const named = recordRows(db.prepare("SELECT name FROM a WHERE id = $id"));
    assert.deepEqual(named.get({ id: 2 }), { name: "two" });
  } finally {
    db.close();
  }
});

Deno.test("statement: a record maker gives every row of its columns one shape, names kept as they are", () => {
  const make = recordOf(["id", 'odd "name"', "id"]);
  assert.deepEqual(make([1, "x", 3]), { id: 3, 'odd "name"': "x" });
  const a = make([1, 2, 3]);
  const b = make([4, 5, 6]);
  assert.deepEqual(Object.keys(a), Object.keys(b));
});
