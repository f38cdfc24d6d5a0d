/**
 * WAL checkpoints, small and often, on the bot's own connection. A checkpoint copies the
 * write-ahead log into the database file; its cost grows with the log (here about 7 µs a
 * page: 1.5 ms for 200 pages, 45 ms for 7,000). SQLite's own threshold, 1000 pages, made one
 * every hundred or so relayed messages stall the event loop for 10–20 ms (the relay's p99).
 * So the bot checkpoints soon after it writes: {@link CHECKPOINT_DELAY_MS} after the first
 * commit since the last checkpoint, a passive checkpoint of what few pages came since, which
 * never waits for a lock; SQLite's automatic threshold is raised to {@link BACKSTOP_PAGES},
 * a backstop only. An idle bot has no timer running.
 *
 * This replaced a worker thread with its own connection (December 2026): the worker's second
 * V8 isolate held about 16 MiB of the bot's 77 at idle, for work of about 40 µs a message.
 * A checkpoint is done on the connection the bot already holds, so it can never re-create a
 * deleted database file (it writes into the file the bot opened, as SQLite does by itself).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

/** How long after a commit the bot checkpoints what came since. */
export const CHECKPOINT_DELAY_MS = 200;
/** WAL pages (4 KiB each) after which SQLite checkpoints by itself anyway. */
export const BACKSTOP_PAGES = 20_000;

/** Checkpoints the database soon after writes; see the module's comment. */
export interface Checkpointer {
  /** Something was committed: a checkpoint follows within the delay. */
  written(): void;
  /** No more checkpoints (the database closes after, and checkpoints as it closes). */
  stop(): void;
}

/** Starts checkpointing `db` (nothing for an in-memory database, which has no log). */
export function startCheckpointer(
  db: DatabaseSync,
  path: string,
  delayMs = CHECKPOINT_DELAY_MS,
): Checkpointer {
  if (path === ":memory:") return { written() {}, stop() {} };
  db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = () => {
    timer = setTimeout(run, delayMs);
    Deno.unrefTimer(Number(timer));
  };
  let stopped = false;
  const run = () => {
    timer = undefined;
    if (stopped || !db.isOpen) return;
    if (db.isTransaction) {
      // A batch of updates is open: after it (a checkpoint inside would do nothing).
      return later();
    }
    try {
      checkpoint.run();
    } catch {
      // Busy (a backup reading), or storage failing: the next write schedules another, and
      // the boundary says what storage does.
    }
  };
  return {
    written() {
      if (timer === undefined && !stopped) later();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
