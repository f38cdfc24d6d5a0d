/**
 * The SQLite database: opening it (WAL, a short busy timeout, foreign keys), bringing its
 * schema up to date with the migrations of migrations.ts, checking at start that it can be
 * written, and telling a fault of storage (disk full, locked, read-only, gone) from a bug.
 * Also a transaction helper.
 *
 * @module
 */
import { errorText } from "../base/errors.ts";
import { DatabaseSync } from "node:sqlite";
import { dirname } from "node:path";
import { ConfigError, fileProblem } from "../config/mod.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";

// The version a database is at once opened: callers that open one import it from here.
export { SCHEMA_VERSION };

/**
 * How long a write waits for another connection's lock before it fails as a storage fault.
 * Short: SQLite waits synchronously, and the bot's event loop stands still meanwhile. (In WAL
 * mode only another writer can hold the lock: the bot is the only one, a second instance is
 * refused at start, and checkpoints and backups do not take it.)
 */
export const BUSY_TIMEOUT_MS = 200;

/**
 * Opens (creating when needed) the database at `path` and brings its schema up to date.
 * Throws {@link ConfigError} when the file cannot be opened or migrated, or was written by a
 * newer version.
 */
export function openDatabase(path: string): DatabaseSync {
  if (path !== ":memory:") {
    try {
      Deno.mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new ConfigError(
        `DATABASE_PATH ${path}: cannot create its folder: ${fileProblem(error)}`,
      );
    }
  }
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA synchronous = NORMAL");
  } catch (error) {
    throw new ConfigError(`DATABASE_PATH ${path}: cannot open: ${fileProblem(error)}`);
  }
  try {
    migrate(db, path);
  } catch (error) {
    if (db.isOpen) db.close();
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`DATABASE_PATH ${path}: cannot write: ${errorText(error)}`);
  }
  return db;
}

/**
 * Checks at start that the database can be written, with a real write (the header page,
 * into the WAL): a read-only file, folder or mount, or a full disk, refuses the start with one
 * line instead of failing every update later. Closes the database when it cannot.
 */
export function checkWritable(db: DatabaseSync, path: string): void {
  try {
    const { user_version: version } = db.prepare("PRAGMA user_version").get() as {
      user_version: number;
    };
    db.exec(`PRAGMA user_version = ${version}`);
  } catch (error) {
    if (db.isOpen) db.close();
    throw new ConfigError(`DATABASE_PATH ${path}: cannot write: ${errorText(error)}`);
  }
}

/**
 * Whether an error is a fault of storage rather than of the code: the disk is full, the file
 * is locked by another connection, read-only, gone or damaged, or the disk failed. Such a
 * write may succeed later and must be tried again; any other error is a bug. (`node:sqlite`
 * gives no error codes in Deno, so SQLite's own messages tell them apart.)
 */
export function isStorageFault(error: unknown): boolean {
  if (error instanceof StorageFault) return true;
  const message = error instanceof Error ? error.message : "";
  return STORAGE_FAULTS.test(message);
}

const STORAGE_FAULTS = new RegExp(
  [
    "database or disk is full", // SQLITE_FULL
    "database is locked", // SQLITE_BUSY
    "database table is locked|database schema is locked", // SQLITE_LOCKED
    "attempt to write a readonly database", // SQLITE_READONLY
    "disk I/O error", // SQLITE_IOERR
    "unable to open database file", // SQLITE_CANTOPEN
    "database disk image is malformed", // SQLITE_CORRUPT
    "file is not a database", // SQLITE_NOTADB
    "access permission denied", // SQLITE_PERM
    "locking protocol", // SQLITE_PROTOCOL
    "database is closed|database is not open",
  ].join("|"),
  "i",
);

/** A fault of storage found by the bot itself (the database file was deleted, say). */
export class StorageFault extends Error {
  override name = "StorageFault";
}

/** Which file is the database: its device and inode, to notice it deleted or replaced. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

/** The identity of the file at `path`, or `undefined` when there is none (or no inode). */
export function fileIdentity(path: string): FileIdentity | undefined {
  try {
    const { dev, ino } = Deno.statSync(path);
    return ino === null ? undefined : { dev, ino };
  } catch {
    return undefined;
  }
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
