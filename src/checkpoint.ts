/**
 * WAL checkpoints off the event loop. A checkpoint copies the write-ahead log into the
 * database file and waits for the disk (fsync); done by the bot's own connection, as SQLite
 * does every 1000 pages by default, it stalls every update and send for that long (about
 * 20 ms here, every hundred or so relayed messages). A worker thread with its own connection
 * checkpoints instead, every {@link CHECKPOINT_INTERVAL_MS}; the bot's connection keeps a
 * far higher automatic threshold only as a backstop, should the worker fall behind or die.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

/** How often the worker checkpoints. */
export const CHECKPOINT_INTERVAL_MS = 250;
/** WAL pages (4 KiB each) after which the bot's own connection checkpoints anyway. */
export const BACKSTOP_PAGES = 20_000;

/** A running checkpoint worker. */
export interface Checkpointer {
  /** Stops the worker and closes its connection (before the bot closes its own). */
  stop(): Promise<void>;
}

/** The message the worker gets to start. */
export interface CheckpointStart {
  readonly path: string;
  readonly intervalMs: number;
}

/** Starts checkpointing the database at `path` (open as `db`) in a worker thread. */
export function startCheckpointer(
  db: DatabaseSync,
  path: string,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): Checkpointer {
  if (path === ":memory:") return { stop: () => Promise.resolve() };
  db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const worker = new Worker(new URL("./checkpoint_worker.ts", import.meta.url), {
    type: "module",
  });
  const stopped = new Promise<void>((resolve) => {
    worker.onmessage = (event) => {
      if (event.data === "stopped") resolve();
    };
    worker.onerror = (event) => {
      // The backstop threshold keeps the log bounded; the worker is not worth a crash.
      event.preventDefault();
      resolve();
    };
  });
  worker.postMessage({ path, intervalMs } satisfies CheckpointStart);
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        worker.postMessage("stop");
        await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 2000))]);
        worker.terminate();
      })();
      return stopping;
    },
  };
}
