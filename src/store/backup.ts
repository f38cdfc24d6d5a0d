/**
 * Backups: a consistent copy of the live database with SQLite's online backup API, on a
 * connection of its own, while the bot keeps running. All pages are copied in one step, under
 * one read transaction: a snapshot of one moment, and the bot's writes go on meanwhile (WAL).
 * The copy is a complete database file: restore it by stopping the bot and pointing
 * `DATABASE_PATH` at it (or copying it into place).
 *
 * (`VACUUM INTO` would do too, but Deno's `node:sqlite` refuses it unless the program runs
 * with every permission: it attaches a second database, which could bypass file permissions.)
 *
 * @module
 */
import { errorText } from "../base/errors.ts";
import { backup, DatabaseSync } from "node:sqlite";

/** Writes a copy of the database at `databasePath` to `target`; returns its size in bytes. */
export async function backupDatabase(databasePath: string, target: string): Promise<number> {
  if (exists(target)) throw new Error(`${target} already exists; not overwriting it`);
  if (!exists(databasePath)) throw new Error(`no database at ${databasePath}`);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(databasePath);
  } catch (error) {
    throw new Error(`cannot open ${databasePath}: ${errorText(error)}`);
  }
  try {
    // Waits for a write transaction of the bot in progress, if any, then copies the snapshot.
    db.exec("PRAGMA busy_timeout = 10000");
    await backup(db, target, { rate: -1 });
  } catch (error) {
    try {
      Deno.removeSync(target);
    } catch { /* nothing was written */ }
    throw new Error(`backup to ${target} failed: ${errorText(error)}`);
  } finally {
    db.close();
  }
  return Deno.statSync(target).size;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
