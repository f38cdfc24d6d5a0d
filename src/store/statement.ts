/**
 * Statements whose rows are made here rather than by `node:sqlite`. It builds every row as an
 * object one column at a time, which turns a row of many columns (a user has 24) into a
 * dictionary-mode object: slow to make, slow to read and large (a relayed message read a few
 * such rows, about a tenth of its garbage). SQLite's rows are taken as arrays instead and made
 * into records by a function written once per statement for its columns: an object literal,
 * of the one shape every row of the statement has. Twice as fast for a user's row.
 *
 * @module
 */
import type { SQLInputValue, StatementSync } from "node:sqlite";

type Values = SQLInputValue[];
type Record = { [column: string]: unknown };

/**
 * `statement`, its rows records of its columns' names (as `node:sqlite` makes them: the last
 * of two columns of one name wins), made from arrays. A statement that returns no rows is
 * given back as it is.
 */
export function recordRows(statement: StatementSync): StatementSync {
  const names = statement.columns().map((column) => column.name);
  if (names.length === 0) return statement;
  // Deno's `node:sqlite` has it (as Node's since 24); its typings do not yet.
  (statement as StatementSync & { setReturnArrays(on: boolean): void }).setReturnArrays(true);
  const make = recordOf(names);
  const rows = {
    run: (...values: Values) => statement.run(...values),
    get(...values: Values) {
      const row = statement.get(...values) as unknown as unknown[] | undefined;
      return row === undefined ? undefined : make(row);
    },
    all(...values: Values) {
      const all = statement.all(...values) as unknown as unknown[];
      for (let i = 0; i < all.length; i++) all[i] = make(all[i] as unknown[]);
      return all;
    },
    *iterate(...values: Values) {
      for (const row of statement.iterate(...values)) yield make(row as unknown as unknown[]);
    },
  };
  return rows as unknown as StatementSync;
}

/**
 * A function that makes a row's record from its values in `names`' order: an object literal
 * written out for these names, so that V8 gives every record one fixed shape.
 */
export function recordOf(names: readonly string[]): (values: unknown[]) => Record {
  const fields = names.map((name, i) => `${JSON.stringify(name)}: values[${i}]`);
  return new Function("values", `return { ${fields.join(", ")} };`) as (
    values: unknown[],
  ) => Record;
}
