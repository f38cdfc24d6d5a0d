/**
 * Backups: a consistent copy of the live database with `VACUUM INTO`, on a connection of
 * its own, while the bot keeps running (WAL mode lets it read a snapshot while the bot
 * writes). The copy is a complete database file: restore it by pointing `DATABASE_PATH` at
 * it (or copying it into place) while the bot is stopped.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";

/** Writes a copy of the database at `databasePath` to `target`; returns its size in bytes. */
export function backupDatabase(databasePath: string, target: string): number {
  if (exists(target)) throw new Error(`${target} already exists; not overwriting it`);
  if (!exists(databasePath)) throw new Error(`no database at ${databasePath}`);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(databasePath);
  } catch (error) {
    throw new Error(`cannot open ${databasePath}: ${(error as Error).message}`);
  }
  try {
    // Waits for the bot's write transaction in progress, if any, then copies one snapshot.
    db.exec("PRAGMA busy_timeout = 10000");
    db.prepare("VACUUM INTO ?").run(target);
  } catch (error) {
    throw new Error(`backup to ${target} failed: ${(error as Error).message}`);
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
