/**
 * One bot per database: two would send every message twice. A second bot on the same database
 * is refused at start with one line; the kernel drops the locks when the process ends, however
 * it ends (SIGKILL included), so nothing is left that blocks the next start.
 *
 * What is locked is what identifies the database, not the name it was given (a symlinked
 * `DATABASE_PATH`, a path spelled another way, or a deleted lock file got a second bot in):
 *
 * - its real path: an exclusive `flock` on `<real path>.lock`, symlinks resolved, which also
 *   holds the pid for the refusal's message and guards the path while the file is missing;
 * - its inode: an exclusive `flock` on the database file itself, which no other name of the
 *   file (a symlink, a hard link) and no deleted `.lock` escapes. `flock` and SQLite's own
 *   locks (`fcntl`) do not meet on Linux, but closing any descriptor of the file drops the
 *   process's `fcntl` locks on it: the descriptor is held open until the database is closed,
 *   and a second lock of a file this process holds already is refused without opening it.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { ConfigError, fileProblem } from "../config/mod.ts";

/** A held lock; {@link DatabaseLock.release} when the bot stops, after closing the database. */
export interface DatabaseLock {
  /**
   * Locks the database file itself, once it exists (the lock of a new database is taken after
   * it is created). Throws one readable line when another bot holds it.
   */
  holdFile(): void;
  release(): void;
}

/** Database files (`dev:ino`) whose lock this process holds. */
const held = new Set<string>();

/**
 * Takes the lock of the database at `path` (and of its file, when it exists); throws one
 * readable line when another bot has it.
 */
export function lockDatabase(path: string): DatabaseLock {
  if (path === ":memory:") return { holdFile() {}, release() {} };
  let real: string;
  let lockFile: Deno.FsFile;
  try {
    Deno.mkdirSync(dirname(path), { recursive: true });
    real = realPathOf(path);
  } catch (error) {
    throw new ConfigError(`DATABASE_PATH ${path}: cannot resolve: ${fileProblem(error)}`);
  }
  const lockPath = `${real}.lock`;
  try {
    lockFile = Deno.openSync(lockPath, { read: true, write: true, create: true });
  } catch (error) {
    throw new ConfigError(
      `DATABASE_PATH ${path}: cannot open ${lockPath}: ${fileProblem(error)}`,
    );
  }
  if (!lockFile.tryLockSync(true)) {
    const holder = readPid(lockFile);
    lockFile.close();
    throw inUse(path, holder);
  }
  // Who holds it, for the message a second start prints.
  lockFile.truncateSync(0);
  lockFile.writeSync(new TextEncoder().encode(`${Deno.pid}\n`));
  let file: { handle: Deno.FsFile; key: string } | undefined;
  const release = () => {
    if (file !== undefined) {
      held.delete(file.key);
      closeQuietly(file.handle);
      file = undefined;
    }
    closeQuietly(lockFile);
  };
  const lock: DatabaseLock = {
    holdFile() {
      if (file !== undefined) return;
      const key = keyOf(real);
      if (key === undefined) return;
      if (held.has(key)) throw inUse(path, String(Deno.pid));
      let handle: Deno.FsFile;
      try {
        handle = Deno.openSync(real, { read: true });
      } catch (error) {
        throw new ConfigError(`DATABASE_PATH ${path}: cannot open: ${fileProblem(error)}`);
      }
      if (!handle.tryLockSync(true)) {
        // Not this process's file (see `held`): closing it drops no lock of ours.
        handle.close();
        throw inUse(path, undefined);
      }
      held.add(key);
      file = { handle, key };
    },
    release,
  };
  try {
    lock.holdFile();
  } catch (error) {
    release();
    throw error;
  }
  return lock;
}

/**
 * The database's real path: symlinks resolved, of the file when it exists, else of its folder
 * (a symlink to a missing file is followed, as SQLite follows it when it creates the file).
 */
function realPathOf(path: string): string {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    try {
      return Deno.realPathSync(current);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    let target: string;
    try {
      target = Deno.readLinkSync(current);
    } catch {
      // Not a symlink: the file does not exist yet.
      return join(Deno.realPathSync(dirname(current)), basename(current));
    }
    current = target.startsWith("/") ? target : join(dirname(current), target);
  }
  throw new Error("too many levels of symbolic links");
}

/** `dev:ino` of the file at `path`; `undefined` when there is none. */
function keyOf(path: string): string | undefined {
  try {
    const { dev, ino } = Deno.statSync(path);
    return ino === null ? undefined : `${dev}:${ino}`;
  } catch {
    return undefined;
  }
}

function inUse(path: string, holder: string | undefined): ConfigError {
  return new ConfigError(
    `DATABASE_PATH ${path} is in use by another running bot${holder ? ` (pid ${holder})` : ""}; ` +
      "stop it first, or give this one a DATABASE_PATH of its own",
  );
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

function closeQuietly(file: Deno.FsFile): void {
  try {
    file.unlockSync();
  } catch { /* closed already */ }
  try {
    file.close();
  } catch { /* closed already */ }
}
