/**
 * What must hold after a fuzz run, read straight from the bot's database: {@link settle}
 * waits until every update was taken and the outbox is empty (or says what is stuck), and
 * {@link invariantViolations} checks the help desk's invariants — tickets, agents, messages
 * and deliveries consistent with each other, and the foreign keys. {@link rows} and
 * {@link count} read the database.
 *
 * @module
 */
import type { Harness } from "../support/harness.ts";
import type { Json } from "./content.ts";

/** The rows `sql` selects from the bot's database. */
export function rows<T>(h: Harness, sql: string): T[] {
  return h.app.db.prepare(sql).all() as unknown as T[];
}

/** The number `sql` selects as `n`. */
export function count(h: Harness, sql: string): number {
  return Number((h.app.db.prepare(sql).get() as { n: number }).n);
}

/** Waits until every pushed update was taken and the outbox is empty, or fails loudly. */
export async function settle(h: Harness, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  while (h.tg.pendingUpdates > 0) {
    if (Date.now() > deadline) {
      throw new Error(`updates not taken: ${h.tg.pendingUpdates} pending`);
    }
    await sleep(10);
  }
  await sleep(30);
  const idle = h.app.sender.idle();
  const timedOut = await Promise.race([
    idle.then(() => false),
    sleep(Math.max(1000, deadline - Date.now())).then(() => true),
  ]);
  if (timedOut) {
    const stuck = rows<Json>(
      h,
      `SELECT id, chat_id, method, attempts, next_attempt_at, error FROM deliveries
       WHERE status = 'pending' ORDER BY id LIMIT 10`,
    );
    throw new Error(`outbox not drained; pending: ${JSON.stringify(stuck)}`);
  }
}

/** The help desk's invariants, read straight from the database. Returns violations. */
export function invariantViolations(h: Harness): string[] {
  const checks: [string, string][] = [
    [
      "a user's current ticket exists and is not closed",
      `SELECT u.user_id FROM users u LEFT JOIN tickets t ON t.id = u.current_ticket_id
       WHERE u.current_ticket_id IS NOT NULL AND (t.id IS NULL OR t.status = 'closed')`,
    ],
    [
      "a client's current ticket is their own",
      `SELECT u.user_id FROM users u JOIN tickets t ON t.id = u.current_ticket_id
       WHERE u.is_agent = 0 AND t.client_id <> u.user_id`,
    ],
    [
      "an agent's current ticket is open and theirs",
      `SELECT u.user_id FROM users u JOIN tickets t ON t.id = u.current_ticket_id
       WHERE u.is_agent = 1 AND (t.status <> 'open' OR t.agent_id IS NOT u.user_id)`,
    ],
    [
      "an agent is in at most one open ticket",
      `SELECT agent_id FROM tickets WHERE status = 'open' GROUP BY agent_id HAVING count(*) > 1`,
    ],
    [
      "a client has at most one ticket that is not closed",
      `SELECT client_id FROM tickets WHERE status <> 'closed' GROUP BY client_id
       HAVING count(*) > 1`,
    ],
    [
      "an open ticket's agent is an agent whose current ticket it is",
      `SELECT t.id FROM tickets t LEFT JOIN users a ON a.user_id = t.agent_id
       WHERE t.status = 'open' AND (a.user_id IS NULL OR a.is_agent = 0
         OR a.current_ticket_id IS NOT t.id OR t.assigned_at IS NULL)`,
    ],
    [
      "a ticket that is not closed is its client's current ticket",
      `SELECT t.id FROM tickets t JOIN users c ON c.user_id = t.client_id
       WHERE t.status <> 'closed' AND c.current_ticket_id IS NOT t.id`,
    ],
    [
      "a queued ticket has no agent",
      `SELECT id FROM tickets WHERE status = 'queued' AND (agent_id IS NOT NULL
         OR assigned_at IS NOT NULL)`,
    ],
    [
      "a closed ticket says when and by whom; others do not",
      `SELECT id FROM tickets WHERE (status = 'closed') <> (closed_at IS NOT NULL)
         OR (status = 'closed') <> (closed_by IS NOT NULL)`,
    ],
    [
      "nobody waits while an agent is free",
      `SELECT t.id FROM tickets t WHERE t.status = 'queued' AND EXISTS (SELECT 1 FROM users
         WHERE is_agent = 1 AND is_available = 1 AND current_ticket_id IS NULL)`,
    ],
    [
      "only agents are available",
      `SELECT user_id FROM users WHERE is_available = 1 AND is_agent = 0`,
    ],
    [
      "no message in a closed ticket was written after it closed",
      `SELECT m.id FROM messages m JOIN tickets t ON t.id = m.ticket_id
       WHERE t.status = 'closed' AND m.created_at > t.closed_at`,
    ],
    [
      "no message was written before its ticket opened",
      `SELECT m.id FROM messages m JOIN tickets t ON t.id = m.ticket_id
       WHERE m.created_at < t.opened_at`,
    ],
    [
      "a message belongs to its ticket's client",
      `SELECT m.id FROM messages m JOIN tickets t ON t.id = m.ticket_id
       WHERE m.client_id <> t.client_id`,
    ],
    [
      "a client's message is sent by the client; an agent's by an agent of the ticket",
      `SELECT m.id FROM messages m JOIN users s ON s.user_id = m.sender_id
       WHERE (m.sender_role = 'client' AND m.sender_id <> m.client_id)
          OR (m.sender_role = 'agent' AND (m.agent_id IS NOT m.sender_id OR s.is_agent = 0))`,
    ],
    [
      "an agent's message is in a ticket that was assigned",
      `SELECT m.id FROM messages m JOIN tickets t ON t.id = m.ticket_id
       WHERE m.sender_role = 'agent' AND t.assigned_at IS NULL`,
    ],
    [
      "every client message of an assigned ticket was relayed to its agent",
      `SELECT m.id FROM messages m JOIN tickets t ON t.id = m.ticket_id
       WHERE m.sender_role = 'client' AND t.agent_id IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.chat_id = t.agent_id)`,
    ],
    [
      "every agent message was relayed to the client",
      `SELECT m.id FROM messages m WHERE m.sender_role = 'agent' AND NOT EXISTS (
         SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.chat_id = m.client_id)`,
    ],
    [
      // Per lane and priority: a chat's calls that are not messages go beside its messages,
      // and the bot's notices go before relayed messages (issue 11), each in written order.
      "deliveries to a chat's lane were sent in the order they were written, per priority",
      `SELECT id FROM (SELECT id, done_at,
         lag(done_at) OVER (PARTITION BY chat_id, lane, priority ORDER BY id) AS previous
         FROM deliveries WHERE status = 'sent') WHERE done_at < previous`,
    ],
    [
      "a delivery is done when and only when it is not pending",
      `SELECT id FROM deliveries WHERE (status = 'pending') = (done_at IS NOT NULL)`,
    ],
  ];
  const violations: string[] = [];
  for (const [name, sql] of checks) {
    const bad = h.app.db.prepare(sql).all();
    if (bad.length > 0) violations.push(`${name}: ${JSON.stringify(bad.slice(0, 5))}`);
  }
  const fk = h.app.db.prepare("PRAGMA foreign_key_check").all();
  if (fk.length > 0) violations.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);
  return violations;
}
