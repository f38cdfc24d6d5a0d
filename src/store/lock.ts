/**
 * One bot per database: an exclusive lock (`flock`) on a file beside the database,
 * `<DATABASE_PATH>.lock`, held while the bot runs. A second bot on the same file is refused at
 * start with one line (two would send every message twice); the kernel drops the lock when the
 * process ends, however it ends (SIGKILL included), so nothing is left that blocks the next
 * start. The lock is not on the database file itself: closing any descriptor of that file
 * would drop SQLite's own locks.
 *
 * @module
 */
import { dirname } from "node:path";
import { ConfigError, fileProblem } from "../config/mod.ts";

/** A held lock; {@link DatabaseLock.release} when the bot stops. */
export interface DatabaseLock {
  release(): void;
}

/** Takes the lock of the database at `path`; throws one readable line when another bot has it. */
export function lockDatabase(path: string): DatabaseLock {
  if (path === ":memory:") return { release() {} };
  const lockPath = `${path}.lock`;
  let file: Deno.FsFile;
  try {
    Deno.mkdirSync(dirname(path), { recursive: true });
    file = Deno.openSync(lockPath, { read: true, write: true, create: true });
  } catch (error) {
    throw new ConfigError(
      `DATABASE_PATH ${path}: cannot open ${lockPath}: ${fileProblem(error)}`,
    );
  }
  if (!file.tryLockSync(true)) {
    const holder = readPid(file);
    file.close();
    throw new ConfigError(
      `DATABASE_PATH ${path} is in use by another running bot${
        holder ? ` (pid ${holder})` : ""
      }; ` +
        "stop it first, or give this one a DATABASE_PATH of its own",
    );
  }
  // Who holds it, for the message a second start prints.
  file.truncateSync(0);
  file.writeSync(new TextEncoder().encode(`${Deno.pid}\n`));
  return {
    release() {
      try {
        file.unlockSync();
        file.close();
      } catch { /* closed already */ }
    },
  };
}

function readPid(file: Deno.FsFile): string | undefined {
  try {
    const buffer = new Uint8Array(32);
    const n = file.readSync(buffer) ?? 0;
    const text = new TextDecoder().decode(buffer.subarray(0, n)).trim();
    return /^\d+$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}
