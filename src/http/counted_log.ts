/**
 * Log lines for what anyone who can reach the HTTP port can make happen thousands of times a
 * second (a wrong secret, a body that is not an update, a connection that sends no request):
 * one line per request would flood the log and the disk, so they are counted instead. The
 * first of a kind is written at once with `count=1`; later ones are counted, and at the end
 * of each interval one line says how many came since the last line (none when none came; the
 * next one is then written at once again). A kind is an event with its fields, which are
 * fixed phrases of the bot, never something a client sent.
 *
 * @module
 */
import type { Fields, Logger } from "../base/log.ts";

interface Kind {
  readonly event: string;
  readonly fields: Fields;
  /** Seen since the last line. */
  count: number;
  readonly timer: ReturnType<typeof setInterval>;
}

/** Counts events and writes at most one warning line per kind per interval. */
export class CountedLog {
  readonly #log: Logger;
  readonly #intervalMs: number;
  readonly #kinds = new Map<string, Kind>();

  constructor(log: Logger, intervalMs: number) {
    this.#log = log;
    this.#intervalMs = intervalMs;
  }

  /** One more `event` with `fields`: written at once if it is the first in an interval. */
  note(event: string, fields: Fields = {}): void {
    const key = `${event} ${JSON.stringify(fields)}`;
    const kind = this.#kinds.get(key);
    if (kind !== undefined) {
      kind.count++;
      return;
    }
    this.#log.warn(event, { ...fields, count: 1 });
    const timer = setInterval(() => {
      const seen = this.#kinds.get(key);
      if (seen === undefined) return;
      if (seen.count === 0) {
        clearInterval(seen.timer);
        this.#kinds.delete(key);
        return;
      }
      this.#write(seen);
    }, this.#intervalMs);
    // A quiet interval must not keep the process alive.
    Deno.unrefTimer(Number(timer));
    this.#kinds.set(key, { event, fields, count: 0, timer });
  }

  /** Writes what is still counted and stops the timers. */
  close(): void {
    for (const kind of this.#kinds.values()) {
      clearInterval(kind.timer);
      if (kind.count > 0) this.#write(kind);
    }
    this.#kinds.clear();
  }

  #write(kind: Kind): void {
    this.#log.warn(kind.event, { ...kind.fields, count: kind.count });
    kind.count = 0;
  }
}
