/**
 * The outbox: everything the bot sends goes first into the `deliveries` table, written in the
 * same transaction as the state change that causes it, and is sent from there.
 *
 * | file | its job |
 * | --- | --- |
 * | `calls.ts` | what a delivery holds: typed Bot API calls and jobs |
 * | `builders.ts` | the calls the desk writes most: send a text, copy, answer a button, react… |
 * | `lanes.ts` | where a delivery stands in its chat: lane and priority |
 * | `sender.ts` | sends the committed deliveries: per-chat order, pacing, retries, failures |
 * | `rate_limiter.ts` | the pacing under Telegram's flood limits |
 * | `jobs.ts` | the deliveries that are more than one call: history and export files, edits, albums |
 * | `digest.ts` | a flood's digest: the client's folded messages merged, a part per step |
 * | `recorder.ts` | recording what Telegram accepted, as long as it takes |
 * | `failures.ts` | what a failed send means: final, retry, wait; backoff and giving up |
 * | `retry_clock.ts` | stored retry times that move with a step of the wall clock |
 * | `prune.ts` | forgetting finished deliveries |
 *
 * @module
 */
export * from "./calls.ts";
export * from "./builders.ts";
export * from "./lanes.ts";
export { type JobApis, Jobs, type JobStore } from "./jobs.ts";
export { RateLimiter } from "./rate_limiter.ts";
export { DELIVERY_TTL_MS } from "./prune.ts";
export {
  type DeliveryOutcomes,
  type OutboxStore,
  SEND_TIMEOUT_SECONDS,
  Sender,
  type SenderOptions,
  type SenderParts,
} from "./sender.ts";
