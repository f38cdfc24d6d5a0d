/**
 * Work the bot repeats on a timer (handing out the queue, pruning old rows): a failure is
 * logged as one line and the work runs again at the next tick. Nothing a timer does can end
 * the process, and a tick never starts while the previous one is still running.
 *
 * @module
 */
import { errorText } from "./errors.ts";
import type { Logger } from "./log.ts";

/** A repeating piece of work; stop it with {@link Repeating.stop}. */
export interface Repeating {
  stop(): void;
}

/**
 * Runs `work` every `ms` milliseconds. When it throws (or its promise rejects), `event` is
 * logged at error level with the error's message.
 */
export function every(
  ms: number,
  event: string,
  work: () => void | Promise<void>,
  log: Logger,
): Repeating {
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      await work();
    } catch (error) {
      log.error(event, { error: errorText(error) });
    } finally {
      busy = false;
    }
  }, ms);
  return { stop: () => clearInterval(timer) };
}
