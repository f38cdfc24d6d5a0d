/**
 * Forgetting finished deliveries: those sent, failed or cancelled more than a week ago hold
 * each relayed message's text again and would outgrow the messages themselves (at a million
 * messages they were 41 % of the file). They go a batch at a time, each batch a transaction
 * of its own, with a pause between batches so that sending goes on meanwhile.
 *
 * @module
 */
import { sleep } from "../base/wait.ts";
import type { CommitBoundary } from "../boundary.ts";
import type { Store } from "../store/mod.ts";

/** How long finished deliveries are kept (to look into) before they are forgotten. */
export const DELIVERY_TTL_MS = 7 * 24 * 3600_000;

/** The pause between two batches. */
const PAUSE_MS = 20;

/**
 * Forgets the deliveries finished more than `ttlMs` before `now`, `batch` at a time; returns
 * when done or when `signal` is aborted. Nothing is read or written while a batch of updates
 * is open.
 */
export async function pruneDeliveries(
  store: Pick<Store, "pruneDeliveries">,
  boundary: Pick<CommitBoundary, "open" | "write">,
  options: { readonly ttlMs: number; readonly now: number; readonly batch: number },
  signal: AbortSignal,
): Promise<void> {
  const pause = () => sleep(PAUSE_MS);
  let after: number | undefined = 0;
  while (!signal.aborted) {
    const from: number = after;
    if (boundary.open) {
      await pause();
      continue;
    }
    after = boundary.write(() =>
      store.pruneDeliveries(from, options.now - options.ttlMs, options.batch)
    );
    if (after === undefined) return;
    await pause();
  }
}
