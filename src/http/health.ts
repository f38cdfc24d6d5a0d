/**
 * The health check: `GET /healthz` answers 200 with a small JSON when the database can be
 * read, 503 when it cannot. Used by the Docker `HEALTHCHECK` (through the `healthcheck`
 * subcommand) and by any load balancer in front of the webhook.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { VERSION } from "../version.ts";

/** The body of a healthy answer. */
export interface Health {
  readonly status: "ok";
  readonly version: string;
  readonly mode: "webhook" | "polling";
  readonly database: "ok";
  /** When the newest handled update was handled (ISO 8601), `null` if none is remembered. */
  readonly last_update_at: string | null;
  /** Deliveries written but not yet sent. */
  readonly pending_deliveries: number;
}

/** Reads the figures of {@link Health} from the database; throws when it cannot be read. */
export function readHealth(db: DatabaseSync, mode: Health["mode"]): Health {
  // Newest update id = the last handled; both queries run on an index.
  const last = db.prepare(
    "SELECT handled_at FROM handled_updates ORDER BY update_id DESC LIMIT 1",
  ).get() as { handled_at: number } | undefined;
  const { pending } = db.prepare(
    "SELECT count(*) AS pending FROM deliveries WHERE status = 'pending'",
  ).get() as { pending: number };
  return {
    status: "ok",
    version: VERSION,
    mode,
    database: "ok",
    last_update_at: last ? new Date(last.handled_at).toISOString() : null,
    pending_deliveries: pending,
  };
}

/** The `/healthz` answer: 200 and {@link Health}, or 503 when the database cannot be read. */
export function healthResponse(db: DatabaseSync, mode: Health["mode"]): Response {
  let health: Health;
  try {
    health = readHealth(db, mode);
  } catch (error) {
    return Response.json(
      { status: "error", version: VERSION, mode, database: (error as Error).message },
      { status: 503, headers: { "cache-control": "no-store" } },
    );
  }
  return Response.json(health, { headers: { "cache-control": "no-store" } });
}
