/**
 * Statements whose rows are made here rather than by `node:sqlite`. It builds every row as an
 * object one column at a time, which turns a row of many columns (a user has 24) into a
 * dictionary-mode object: slow to make, slow to read and large (a relayed message read a few
 * such rows, about a tenth of its garbage). SQLite's rows are taken as arrays instead and made
 * into records of one fixed shape per list of columns (see {@link recordOf}): about twice as
 * fast for a user's row. The maker is made at a statement's first read (most statements of a
 * run are never read) and shared by statements of the same columns.
 *
 * @module
 */
import type { SQLInputValue, StatementResultingChanges, StatementSync } from "node:sqlite";

type Values = SQLInputValue[];
type Row = { [column: string]: unknown };
type Maker = (values: unknown[]) => Row;

/**
 * `statement`, its rows records of its columns' names (as `node:sqlite` makes them: the last
 * of two columns of one name wins), made from arrays.
 */
export function recordRows(statement: StatementSync): StatementSync {
  return new Records(statement) as unknown as StatementSync;
}

/** What {@link recordRows} gives: the four calls of a statement the parts make. */
class Records {
  readonly #statement: StatementSync;
  /** The statement's record maker; `null` when it returns no rows (a write). */
  #make: Maker | null | undefined;

  constructor(statement: StatementSync) {
    this.#statement = statement;
  }

  #maker(): Maker | null {
    if (this.#make !== undefined) return this.#make;
    const names = this.#statement.columns().map((column) => column.name);
    if (names.length === 0) return this.#make = null;
    // Deno's `node:sqlite` has it (as Node's since 24); its typings do not yet.
    (this.#statement as StatementSync & { setReturnArrays(on: boolean): void })
      .setReturnArrays(true);
    return this.#make = recordOf(names);
  }

  run(...values: Values): StatementResultingChanges {
    return this.#statement.run(...values);
  }

  get(...values: Values): Row | undefined {
    const make = this.#maker();
    const row = this.#statement.get(...values) as unknown as unknown[] | Row | undefined;
    return row === undefined || make === null ? row as Row | undefined : make(row as unknown[]);
  }

  all(...values: Values): Row[] {
    const make = this.#maker();
    const all = this.#statement.all(...values) as unknown as unknown[];
    if (make === null) return all as Row[];
    for (let i = 0; i < all.length; i++) all[i] = make(all[i] as unknown[]);
    return all as Row[];
  }

  *iterate(...values: Values): Generator<Row> {
    const make = this.#maker();
    for (const row of this.#statement.iterate(...values)) {
      yield make === null ? row as Row : make(row as unknown as unknown[]);
    }
  }
}

/** Record makers by their columns' names. */
const makers = new Map<string, Maker>();

/**
 * A function that makes a row's record from its values in `names`' order: a copy of one
 * template object of these names (made by `JSON.parse`, which gives it fast properties), its
 * fields then set, so that every record has the template's shape. (A literal written out with
 * `new Function` is a little faster, but it is code made at run time.)
 */
export function recordOf(names: readonly string[]): Maker {
  const key = names.join("\0");
  let make = makers.get(key);
  if (make === undefined) {
    const template = JSON.parse(
      `{${names.map((name) => `${JSON.stringify(name)}:null`).join(",")}}`,
    );
    const count = names.length;
    make = (values) => {
      const row: Row = { ...template };
      for (let i = 0; i < count; i++) row[names[i]] = values[i];
      return row;
    };
    makers.set(key, make);
  }
  return make;
}
