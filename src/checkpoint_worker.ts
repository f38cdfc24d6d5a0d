/**
 * The checkpoint worker (see checkpoint.ts): its own connection to the database, a passive
 * WAL checkpoint every interval, which never blocks the bot's writes.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { DatabaseSync } from "node:sqlite";
import type { CheckpointStart } from "./checkpoint.ts";

let db: DatabaseSync | undefined;
let timer: ReturnType<typeof setInterval> | undefined;

self.onmessage = (event: MessageEvent<CheckpointStart | "stop">) => {
  if (event.data === "stop") {
    clearInterval(timer);
    db?.close();
    db = undefined;
    self.postMessage("stopped");
    return;
  }
  const { path, intervalMs } = event.data;
  db = new DatabaseSync(path);
  timer = setInterval(() => {
    try {
      db?.exec("PRAGMA wal_checkpoint(PASSIVE)");
    } catch {
      // Busy or gone: the next round, or the bot's backstop, checkpoints.
    }
  }, intervalMs);
};
