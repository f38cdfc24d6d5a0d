/**
 * Real faults of the machine for tests: a small `tmpfs` to fill up or turn read-only (root
 * only: CI runs as root; elsewhere the tests that need one are skipped with the reason
 * printed), a write lock held by another process, and a full checkpoint from outside.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";

/** A small file system of its own, mounted for one test. */
export interface SmallDisk {
  readonly dir: string;
  /** Fills it up to the last byte with a file of zeros. */
  fill(): Promise<void>;
  /** Removes what {@link fill} wrote. */
  free(): Promise<void>;
  /** Remounts it read-only, or writable again. */
  readOnly(on: boolean): Promise<void>;
  /** Unmounts and removes it. */
  close(): Promise<void>;
}

async function run(command: string, args: string[]): Promise<{ ok: boolean; text: string }> {
  try {
    const out = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" })
      .output();
    const text = new TextDecoder().decode(out.stderr).trim() ||
      new TextDecoder().decode(out.stdout).trim();
    return { ok: out.success, text };
  } catch (error) {
    return { ok: false, text: (error as Error).message };
  }
}

/** Mounts a tmpfs of `size` (e.g. `8m`) on a new temporary folder; a string says why not. */
export async function smallDisk(size: string): Promise<SmallDisk | string> {
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-disk-" });
  const mounted = await run("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]);
  if (!mounted.ok) {
    await Deno.remove(dir);
    return `cannot mount a tmpfs (root is needed): ${mounted.text}`;
  }
  const filler = `${dir}/filler`;
  return {
    dir,
    async fill() {
      const file = await Deno.open(filler, { write: true, create: true, append: true });
      const chunk = new Uint8Array(64 * 1024);
      try {
        for (;;) await file.write(chunk);
      } catch {
        // Full. Then byte by byte, so that not even a small write finds room.
        try {
          for (;;) await file.write(chunk.subarray(0, 512));
        } catch { /* full to the last block */ }
      } finally {
        file.close();
      }
    },
    async free() {
      await Deno.remove(filler).catch(() => {});
    },
    async readOnly(on) {
      const done = await run("mount", ["-o", `remount,${on ? "ro" : "rw"}`, dir]);
      if (!done.ok) throw new Error(`remount failed: ${done.text}`);
    },
    async close() {
      await run("umount", ["-l", dir]);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** Whether this machine lets tests mount a tmpfs; the reason when it does not. */
export async function smallDisksPossible(): Promise<true | string> {
  const disk = await smallDisk("1m");
  if (typeof disk === "string") return disk;
  await disk.close();
  return true;
}

/**
 * Checkpoints the WAL into the database file and truncates it, from a connection of the test:
 * afterwards every write of the bot must grow the WAL again, so a full disk refuses it.
 */
export function truncateWal(dbPath: string): void {
  const db = new DatabaseSync(dbPath);
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    const result = db.prepare("PRAGMA wal_checkpoint(TRUNCATE)").get() as { busy: number };
    if (result.busy !== 0) throw new Error("the WAL could not be truncated: a reader held it");
  } finally {
    db.close();
  }
}

/** Another process holding the database's write lock, until {@link LockHolder.release}. */
export interface LockHolder {
  release(): Promise<void>;
}

/** Starts a process that takes the write lock of `dbPath` and holds it until released. */
export async function holdWriteLock(dbPath: string): Promise<LockHolder> {
  const code = `
    import { DatabaseSync } from "node:sqlite";
    const db = new DatabaseSync(${JSON.stringify(dbPath)});
    db.exec("BEGIN IMMEDIATE");
    console.log("locked");
    const buf = new Uint8Array(1);
    await Deno.stdin.read(buf);
    db.exec("ROLLBACK");
    db.close();
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  if (!new TextDecoder().decode(value).includes("locked")) throw new Error("no lock taken");
  reader.releaseLock();
  return {
    async release() {
      const writer = child.stdin.getWriter();
      await writer.write(new Uint8Array([10]));
      await writer.close();
      await child.status;
      await child.stdout.cancel();
    },
  };
}
