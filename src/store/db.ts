/**
 * The SQLite database: opening it (WAL, busy timeout, foreign keys) and bringing its schema
 * up to date with the migrations of migrations.ts, and a transaction helper.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { dirname } from "node:path";
import { ConfigError } from "../config.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";

// The version a database is at once opened: callers that open one import it from here.
export { SCHEMA_VERSION };

/**
 * Opens (creating when needed) the database at `path` and brings its schema up to date.
 * Throws {@link ConfigError} when the file cannot be opened or was written by a newer version.
 */
export function openDatabase(path: string): DatabaseSync {
  if (path !== ":memory:") {
    try {
      Deno.mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new ConfigError(
        `DATABASE_PATH ${path}: cannot create its folder: ${(error as Error).message}`,
      );
    }
  }
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA synchronous = NORMAL");
  } catch (error) {
    throw new ConfigError(`DATABASE_PATH ${path}: cannot open: ${(error as Error).message}`);
  }
  migrate(db, path);
  return db;
}

function migrate(db: DatabaseSync, path: string): void {
  const { user_version: version } = db.prepare("PRAGMA user_version").get() as {
    user_version: number;
  };
  if (version > MIGRATIONS.length) {
    db.close();
    throw new ConfigError(
      `DATABASE_PATH ${path}: schema version ${version} is newer than this bot (${SCHEMA_VERSION})`,
    );
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    transaction(db, () => {
      db.exec(MIGRATIONS[v]);
      db.exec(`PRAGMA user_version = ${v + 1}`);
    });
  }
}

/**
 * Runs `fn` inside `BEGIN IMMEDIATE … COMMIT`, rolling back when it throws. Not reentrant:
 * call it only at the outermost level.
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
