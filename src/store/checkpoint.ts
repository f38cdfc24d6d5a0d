/**
 * WAL checkpoints off the event loop. A checkpoint copies the write-ahead log into the
 * database file and waits for the disk (fsync); done by the bot's own connection, as SQLite
 * does every 1000 pages by default, it stalls every update and send for that long (about
 * 20 ms here, every hundred or so relayed messages). A worker thread with its own connection
 * checkpoints instead, every {@link CHECKPOINT_INTERVAL_MS}; the bot's connection keeps a
 * far higher automatic threshold only as a backstop, should the worker fall behind or die.
 *
 * The worker's connection never re-creates the database: it opens it only if the file at the
 * path is the very one the bot opened (same device and inode), checked again once open; once
 * that file is gone from the path, it closes its connection and stops. Else, with the file
 * deleted under the bot, it would create an empty one at the path, and the rescued copy could
 * not go back (see rescue.ts). (SQLite's `mode=rw` URI would say "never create" itself, but
 * Deno takes a URI for a file name as soon as reads are allowed in one folder only.)
 *
 * @module
 */
import { sleep } from "../base/wait.ts";
import type { DatabaseSync } from "node:sqlite";
import { type FileIdentity, fileIdentity } from "./db.ts";

/** How often the worker checkpoints. */
export const CHECKPOINT_INTERVAL_MS = 250;
/** WAL pages (4 KiB each) after which the bot's own connection checkpoints anyway. */
export const BACKSTOP_PAGES = 20_000;

/** SQLite's own automatic checkpoint threshold, in pages, used again if the worker fails. */
const DEFAULT_AUTOCHECKPOINT = 1000;

/**
 * The worker: its own connection to the database, a passive WAL checkpoint every interval,
 * which never blocks the bot's writes. It gets a {@link CheckpointStart}, then "stop"; it
 * answers "lost" when the file at the path is not (or no longer) the one the bot opened.
 */
const WORKER_SOURCE = `
import { DatabaseSync } from "node:sqlite";
let db;
let timer;
const close = () => {
  clearInterval(timer);
  db?.close();
  db = undefined;
};
self.onmessage = (event) => {
  if (event.data === "stop") {
    close();
    self.postMessage("stopped");
    return;
  }
  const { path, dev, ino, intervalMs } = event.data;
  // Whether the file at the path is still the one the bot opened.
  const same = () => {
    try {
      const stat = Deno.statSync(path);
      return stat.dev === dev && stat.ino === ino;
    } catch {
      return false;
    }
  };
  // The file is not the one the bot opened: no checkpoints (the bot's own connection goes
  // back to SQLite's), nothing thrown (the bot already says what became of its file).
  const lost = () => {
    close();
    self.postMessage("lost");
  };
  if (!same()) return lost();
  db = new DatabaseSync(path);
  // Checked again: the file may have gone between the look and the opening, and an empty one
  // been created in its place, which goes again (it holds nothing: SQLite writes only when
  // asked to).
  if (!same()) {
    close();
    try {
      if (Deno.statSync(path).size === 0) Deno.removeSync(path);
    } catch {
      // Gone already.
    }
    return lost();
  }
  timer = setInterval(() => {
    if (!same()) return lost();
    try {
      db?.exec("PRAGMA wal_checkpoint(PASSIVE)");
    } catch {
      // Busy or gone: the next round, or the bot's backstop, checkpoints.
    }
  }, intervalMs);
};
`;

/** A running checkpoint worker. */
export interface Checkpointer {
  /** Stops the worker and closes its connection (before the bot closes its own). */
  stop(): Promise<void>;
}

/** The message the worker gets to start. */
export interface CheckpointStart {
  readonly path: string;
  /** The file the bot opened: its device and inode. */
  readonly dev: number;
  readonly ino: number;
  readonly intervalMs: number;
}

/**
 * Starts checkpointing the database at `path` (open as `db`, its file `identity`, as the bot
 * found it when it opened it) in a worker thread. Without an identity (the file is gone
 * already), nothing is started: the bot's own connection checkpoints, as SQLite does.
 */
export function startCheckpointer(
  db: DatabaseSync,
  path: string,
  intervalMs = CHECKPOINT_INTERVAL_MS,
  identity: FileIdentity | undefined = fileIdentity(path),
): Checkpointer {
  if (path === ":memory:" || identity === undefined) return { stop: () => Promise.resolve() };
  db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  // The worker's code travels as a blob, not a file: nothing is read from the source tree at
  // run time (a binary, or a program allowed to read only its data folder, runs it too).
  const source = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
  const worker = new Worker(source, { type: "module" });
  URL.revokeObjectURL(source);
  const stopped = new Promise<void>((resolve) => {
    worker.onmessage = (event) => {
      if (event.data === "stopped") resolve();
      if (event.data === "lost" && db.isOpen) {
        db.exec(`PRAGMA wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
      }
    };
    worker.onerror = (event) => {
      // Not worth a crash: the bot's own connection checkpoints as SQLite does by default.
      event.preventDefault();
      if (db.isOpen) db.exec(`PRAGMA wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
      resolve();
    };
  });
  worker.postMessage(
    { path, dev: identity.dev, ino: identity.ino, intervalMs } satisfies CheckpointStart,
  );
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        worker.postMessage("stop");
        await Promise.race([stopped, sleep(2000)]);
        worker.terminate();
      })();
      return stopping;
    },
  };
}
