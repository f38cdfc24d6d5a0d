/**
 * What the sender does after a delivery failed, decided from the verdict on the error
 * (`failures.ts`): wait and try again (a 429's `retry_after`, a backoff, or, for the staff
 * group that refuses the bot, every 30 seconds: the team's messages are never given up),
 * tell the desk the chat is gone (Telegram's 403) or this delivery can never go (another 4xx
 * of Telegram's, or its tries ran out), and the log lines that say so. What is Telegram's
 * verdict and what is a failure on the way (a proxy's 403 page) is told in `failures.ts`. Pure; no Telegram, no database, no clock.
 *
 * @module
 */
import type { Fields } from "../base/log.ts";
import type { Delivery } from "../store/mod.ts";
import { backoffMs, type Verdict } from "./failures.ts";

/** How often a delivery to a staff group that refuses the bot is tried again. */
export const STAFF_RETRY_MS = 30_000;

/** What to do with a delivery that failed. */
export type Step =
  /** Try again in `waitMs`; `countAttempt`: the try counts towards giving up. */
  | {
    readonly kind: "retry";
    readonly waitMs: number;
    readonly error: string;
    readonly countAttempt: boolean;
  }
  /** The chat is gone for the bot: the desk is told (`chatUnreachable`). */
  | { readonly kind: "unreachable"; readonly reason: string }
  /** This delivery cannot be sent: the desk is told (`deliveryRejected`). */
  | { readonly kind: "rejected"; readonly reason: string };

/** A log line to write. */
export interface LogLine {
  readonly level: "warn" | "error";
  readonly event: string;
  readonly fields: Fields;
}

/** The step after `d` failed with `verdict`, and what to log. */
export function afterFailure(
  d: Pick<Delivery, "id" | "chatId" | "method" | "attempts">,
  verdict: Verdict,
  context: {
    /** How many tries this delivery's lane gets before it gives up. */
    readonly tries: number;
    /** Team mode's staff group, whose deliveries are never given up. */
    readonly staffChatId?: number;
    /** The jitter of a backoff (0..1), for tests. */
    readonly random?: number;
  },
): { readonly step: Step; readonly logs: readonly LogLine[] } {
  const fields = { delivery: d.id, chat: d.chatId, method: d.method };
  switch (verdict.kind) {
    case "rate_limited": {
      const logs: LogLine[] = [];
      if (verdict.cappedFromS !== undefined) {
        logs.push({
          level: "warn",
          event: "delivery.retry_after_capped",
          fields: { ...fields, asked_s: verdict.cappedFromS, waiting_s: verdict.waitMs / 1000 },
        });
      }
      logs.push({
        level: "warn",
        event: "delivery.rate_limited",
        fields: { ...fields, retry_after_s: verdict.waitMs / 1000 },
      });
      return {
        step: {
          kind: "retry",
          waitMs: verdict.waitMs,
          error: "429: rate limited",
          countAttempt: false,
        },
        logs,
      };
    }
    case "unreachable":
      // The staff group is never given up: the bot was removed or lost its rights, and the
      // team's messages wait (and are tried again) until an admin puts that right.
      if (d.chatId === context.staffChatId) {
        return {
          step: {
            kind: "retry",
            waitMs: STAFF_RETRY_MS,
            error: verdict.description,
            countAttempt: false,
          },
          logs: [{
            level: "error",
            event: "staff_group.unreachable",
            fields: { ...fields, error: verdict.description },
          }],
        };
      }
      return {
        step: { kind: "unreachable", reason: verdict.description },
        logs: [{
          level: "warn",
          event: "delivery.forbidden",
          fields: { ...fields, status: verdict.status, error: verdict.description },
        }],
      };
    case "rejected":
      return {
        step: { kind: "rejected", reason: `${verdict.status}: ${verdict.description}` },
        logs: [{
          level: "warn",
          event: "delivery.rejected",
          fields: { ...fields, status: verdict.status, error: verdict.description },
        }],
      };
    case "retry": {
      const attempt = d.attempts + 1;
      const status = verdict.status ?? undefined;
      if (attempt >= context.tries) {
        return {
          step: {
            kind: "rejected",
            reason: `gave up after ${attempt} tries: ${verdict.description}`,
          },
          logs: [{
            level: "warn",
            event: "delivery.gave_up",
            fields: { ...fields, attempts: attempt, status, error: verdict.description },
          }],
        };
      }
      const wait = backoffMs(attempt, context.random);
      return {
        step: { kind: "retry", waitMs: wait, error: verdict.description, countAttempt: true },
        logs: [{
          level: "warn",
          event: "delivery.retry",
          fields: {
            ...fields,
            attempt,
            in_ms: Math.round(wait),
            status,
            error: verdict.description,
          },
        }],
      };
    }
  }
}
