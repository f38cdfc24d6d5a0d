/**
 * WAL checkpoints on the bot's own connection, soon after writes. A checkpoint copies the
 * write-ahead log into the database file; its cost grows with the pages it copies (here about
 * 7 µs a page: 1.5 ms for 200 pages, 45 ms for 7,000), and each page is copied once however
 * often it was written since the last one. So the bot checkpoints {@link CHECKPOINT_DELAY_MS}
 * after the first commit since the last checkpoint: a passive checkpoint, which never waits
 * for a lock. SQLite's own threshold is raised to {@link BACKSTOP_PAGES}, a backstop only; an
 * idle bot has no timer running.
 *
 * This replaced a worker thread with its own connection (December 2026): the worker's second
 * V8 isolate held about 16 MiB of the bot's 77 at idle. The price is the event loop standing
 * still while a checkpoint runs: at 200 messages a second a message writes about 15 pages, so
 * about 40 ms every 2 s, some 2% of the time whatever the delay; the relay's p99 went from
 * 3–5 ms to 4.6–6 ms in the floor bench (20 ms, 50 ms, 200 ms and 5 s were all worse). A
 * checkpoint is done on the connection the bot already holds, so it can never re-create a
 * deleted database file (it writes into the file the bot opened, as SQLite does by itself).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

/** How long after a commit the bot checkpoints what came since. */
export const CHECKPOINT_DELAY_MS = 2000;
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
