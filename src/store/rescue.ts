/**
 * The database file deleted (or replaced) under the running bot, and what saves its contents:
 *
 * - {@link rescue}: everything lives on only in the bot's open connection, so a copy is written
 *   beside the path, `<DATABASE_PATH>.rescued` (SQLite's backup API, from that connection);
 * - {@link restore}: after a polite stop has closed the database, the copy goes back to the
 *   path. A file that appeared at the path meanwhile and holds nothing (an empty file, or a
 *   database without a row: some connection re-created the path) is moved aside first, as
 *   `<DATABASE_PATH>.empty-<time>`; one that holds data is left alone, and so is the copy;
 * - {@link refuseIfRescued}: a start that finds a `.rescued` copy (the restore was skipped, or
 *   the bot was killed before it could restore) refuses with one line saying what to do,
 *   instead of running an empty desk beside the copy that holds everything.
 *
 * No connection of the bot re-creates the path while the file is lost: the bot's one
 * connection keeps the deleted file open, and checkpoints (checkpoint.ts) go through it.
 *
 * @module
 */
import { errorText } from "../base/errors.ts";
import { backup, DatabaseSync } from "node:sqlite";
import type { Logger } from "../base/log.ts";
import { ConfigError } from "../config/mod.ts";

/** Where the copy of a lost database is written, beside `path`. */
export function rescuedPathOf(path: string): string {
  return `${path}.rescued`;
}

/**
 * Writes a copy of the database open as `db` (its file at `path` deleted or replaced) to
 * `<path>.rescued`. The bot commits nothing more meanwhile (see the boundary), and `/healthz`
 * says so. Resolves with the copy's path, `undefined` when none could be written.
 */
export function rescue(db: DatabaseSync, path: string, log: Logger): Promise<string | undefined> {
  const target = rescuedPathOf(path);
  if (exists(target)) {
    log.error("storage.rescue_skipped", { path: target, reason: "the file exists already" });
    return Promise.resolve(undefined);
  }
  return backup(db, target, { rate: -1 }).then(
    () => {
      log.error("storage.rescued", { path: target, next: "stop the bot; it moves the copy back" });
      return target;
    },
    (error) => {
      log.error("storage.rescue_failed", { path: target, error: errorText(error) });
      return undefined;
    },
  );
}

/**
 * Puts the rescued copy back at `path`, once the database is closed (a polite stop). A newer
 * file at the path that holds nothing is moved aside first; one that holds data is not
 * touched, the copy stays, and the next start refuses ({@link refuseIfRescued}).
 */
export function restore(rescued: string, path: string, log: Logger): void {
  try {
    if (exists(path)) {
      if (holdsData(path)) {
        log.error("storage.restore_skipped", {
          path,
          copy: rescued,
          reason: "another database with data is at the path",
        });
        return;
      }
      const aside = `${path}.empty-${new Date().toISOString().replace(/[:.]/g, "-")}`;
      Deno.renameSync(path, aside);
      log.warn("storage.moved_aside", { path, to: aside, reason: "a newer, empty file" });
    }
    // The deleted database's WAL and shared memory, if left behind: without that file they
    // mean nothing, and beside the copy they would be read as its own.
    for (const orphan of [`${path}-wal`, `${path}-shm`]) {
      if (exists(orphan)) Deno.removeSync(orphan);
    }
    Deno.renameSync(rescued, path);
    log.info("storage.restored", { path });
  } catch (error) {
    log.error("storage.restore_failed", { path, copy: rescued, error: errorText(error) });
  }
}

/**
 * Refuses a start, with one line saying what to do, while a rescued copy of the database lies
 * beside it: it holds what the bot had when its file was deleted, and was not put back.
 */
export function refuseIfRescued(path: string): void {
  if (path === ":memory:") return;
  const rescued = rescuedPathOf(path);
  if (!exists(rescued)) return;
  const move = exists(path) ? `move ${path} (and its -wal, -shm) aside, then rename` : "rename";
  throw new ConfigError(
    `DATABASE_PATH ${path}: ${rescued} holds the data saved when the database file was ` +
      `deleted under a running bot, and was not put back; ${move} ${rescued} to ${path} ` +
      "and start again",
  );
}

/**
 * Whether the file at `path` holds any data: not when it is empty, or a database none of whose
 * tables has a row; yes when a WAL with something in it lies beside it (whose it is cannot be
 * told: the deleted database's, left behind, or its own), or it cannot be read as a database.
 * Opened only when no such WAL is there, so that none is read into it.
 */
function holdsData(path: string): boolean {
  if (Deno.statSync(path).size === 0) return false;
  if (sizeOf(`${path}-wal`) > 0) return true;
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    const tables = db.prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    ).all().map((row) => String(row.name));
    return tables.some((name) =>
      db!.prepare(`SELECT 1 FROM "${name.replaceAll('"', '""')}" LIMIT 1`).get() !== undefined
    );
  } catch {
    return true;
  } finally {
    db?.close();
  }
}

function sizeOf(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch {
    return 0;
  }
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
