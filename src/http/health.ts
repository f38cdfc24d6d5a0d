/**
 * The health check: `GET /healthz` answers 200 with a small JSON while the bot can read and
 * write its database, 503 when it cannot (a read fails, or writes are failing: a full disk, a
 * lock held elsewhere, a read-only or vanished file). Used by the Docker `HEALTHCHECK`
 * (through the `healthcheck` subcommand) and by any load balancer in front of the webhook.
 *
 * @module
 */
import { errorText } from "../base/errors.ts";
import type { DatabaseSync } from "node:sqlite";
import { VERSION } from "../base/version.ts";

/** What the running bot knows of its own state, beyond what the database holds. */
export interface LiveState {
  /** Since when writes fail, and the last error, while they do. */
  readonly storageFault?: { readonly since: number; readonly error: string };
  /** Whether the database file was deleted or replaced under the running bot. */
  readonly fileLost?: boolean;
  /** Sends Telegram accepted whose record could not be written yet. */
  readonly unrecorded?: number;
}

/** The body of an answer. */
export interface Health {
  readonly status: "ok" | "error";
  readonly version: string;
  readonly mode: "webhook" | "polling";
  /** `ok`, or what is wrong with the database. */
  readonly database: string;
  /** When the newest handled update was handled (ISO 8601), `null` if none is remembered. */
  readonly last_update_at: string | null;
  /** Deliveries written but not yet sent. */
  readonly pending_deliveries: number;
  /** Updates whose handling failed with a bug, kept and tried again at the next start. */
  readonly parked_updates: number;
  /**
   * Parked updates given up so far: past the cap (`too_many`, the oldest went) or too long
   * after their first failure (`too_old`), and when the last went (ISO 8601, `null` if none).
   */
  readonly parked_dropped: {
    readonly too_many: number;
    readonly too_old: number;
    readonly last_at: string | null;
  };
  /** Since when writes have been failing (ISO 8601), while they are. */
  readonly failing_since?: string;
  /** Sends Telegram accepted whose record is not written yet. */
  readonly unrecorded_sends?: number;
}

/**
 * Reads the figures of {@link Health} from the database and the bot's live state; `status` is
 * `error` when writes fail. Throws when the database cannot be read.
 */
export function readHealth(
  db: DatabaseSync,
  mode: Health["mode"],
  state: LiveState = {},
): Health {
  // Newest update id = the last handled; both queries run on an index.
  const last = db.prepare(
    "SELECT handled_at FROM handled_updates ORDER BY update_id DESC LIMIT 1",
  ).get() as { handled_at: number } | undefined;
  const { pending } = db.prepare(
    "SELECT count(*) AS pending FROM deliveries WHERE status = 'pending'",
  ).get() as { pending: number };
  const { parked } = db.prepare("SELECT count(*) AS parked FROM dead_letters").get() as {
    parked: number;
  };
  const drops = db.prepare("SELECT reason, count, last_at FROM dead_letter_drops").all() as {
    reason: string;
    count: number;
    last_at: number;
  }[];
  const dropped = (reason: string) => drops.find((d) => d.reason === reason)?.count ?? 0;
  const lastDrop = Math.max(0, ...drops.map((d) => d.last_at));
  const problem = state.fileLost
    ? "the database file was deleted or replaced; restart the bot"
    : state.storageFault
    ? `writes fail: ${state.storageFault.error}`
    : undefined;
  return {
    status: problem === undefined ? "ok" : "error",
    version: VERSION,
    mode,
    database: problem ?? "ok",
    last_update_at: last ? new Date(last.handled_at).toISOString() : null,
    pending_deliveries: pending,
    parked_updates: parked,
    parked_dropped: {
      too_many: dropped("cap"),
      too_old: dropped("age"),
      last_at: lastDrop > 0 ? new Date(lastDrop).toISOString() : null,
    },
    ...(state.storageFault
      ? { failing_since: new Date(state.storageFault.since).toISOString() }
      : {}),
    ...(state.unrecorded ? { unrecorded_sends: state.unrecorded } : {}),
  };
}

/** The `/healthz` answer: 200 and {@link Health}, or 503 when the database is not usable. */
export function healthResponse(
  db: DatabaseSync,
  mode: Health["mode"],
  state: LiveState = {},
): Response {
  const headers = { "cache-control": "no-store" };
  let health: Health;
  try {
    health = readHealth(db, mode, state);
  } catch (error) {
    return Response.json(
      { status: "error", version: VERSION, mode, database: errorText(error) },
      { status: 503, headers },
    );
  }
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers });
}
