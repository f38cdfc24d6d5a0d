/**
 * Generates a large help-desk database through the real migrations (`openDatabase`) with
 * prepared statements in big transactions: 100,000 clients, 10,000 agents, about 200,000
 * tickets, 1,000,000 messages (100,000 of them from one client) and one sent delivery per
 * message, as the outbox leaves them.
 *
 * @module
 */
import { openDatabase } from "../../src/store/db.ts";
import { mulberry32 } from "../emulator/random.ts";

/** The shape of a generated database. */
export interface ScaleSpec {
  readonly clients: number;
  readonly agents: number;
  readonly messages: number;
  /** Messages of the one client whose history is asked for. */
  readonly heavyMessages: number;
  /** Agents in a dialog (each with an open ticket). */
  readonly inDialog: number;
  /** Whether each message leaves a sent delivery behind, as the outbox does. */
  readonly deliveries: boolean;
}

/** Issue 4's figures. */
export const SPEC: ScaleSpec = {
  clients: 100_000,
  agents: 10_000,
  messages: 1_000_000,
  heavyMessages: 100_000,
  inDialog: 2_000,
  deliveries: true,
};

/** Ids of the generated people. */
export const AGENT_BASE = 10_000_000;
export const CLIENT_BASE = 20_000_000;
/** The agent in a dialog with the heavy client (and with the most tickets). */
export const HEAVY_AGENT = AGENT_BASE;
/** The client with `heavyMessages` messages. */
export const HEAVY_CLIENT = CLIENT_BASE;

const DAY = 24 * 3600_000;
const WORDS = ["hello", "order", "payment", "thanks", "please", "delivery", "when", "card", "help"];

/** Writes the database at `path` (which must not exist) as of `now`. */
export function generate(path: string, now: number, spec: ScaleSpec = SPEC): void {
  const db = openDatabase(path);
  db.exec("PRAGMA journal_mode = DELETE");
  db.exec("PRAGMA synchronous = OFF");
  db.exec("PRAGMA foreign_keys = OFF");
  const random = mulberry32(42);
  const int = (n: number) => Math.floor(random() * n);
  const text = () =>
    Array.from({ length: 4 + int(10) }, () => WORDS[int(WORDS.length)]).join(" ") + ` ${int(1e6)}`;
  const insertUser = db.prepare(`INSERT INTO users (user_id, username, full_name, name, language,
    is_agent, is_available, last_online, last_dialog_ended_at, created_at, languages,
    departments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertTicket = db.prepare(`INSERT INTO tickets (id, client_id, agent_id, status,
    opened_at, assigned_at, closed_at, closed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertMessage = db.prepare(`INSERT INTO messages (ticket_id, client_id, agent_id,
    sender_id, sender_role, kind, text, chat_message_id, copy_message_id, created_at)
    VALUES (?, ?, ?, ?, ?, 'text', ?, ?, ?, ?)`);
  const insertDelivery = db.prepare(`INSERT INTO deliveries (chat_id, method, params,
    message_id, status, attempts, created_at, done_at) VALUES (?, ?, ?, ?, 'sent', 1, ?, ?)`);
  const setTicket = db.prepare(`UPDATE users SET current_ticket_id = ? WHERE user_id = ?`);
  let open = 0;
  const batch = (fn: () => void) => {
    if (open === 0) db.exec("BEGIN");
    fn();
    if (++open >= 50_000) {
      db.exec("COMMIT");
      open = 0;
    }
  };

  for (let i = 0; i < spec.agents; i++) {
    const id = AGENT_BASE + i;
    // Agents below inDialog are in a dialog; a quarter of the others are away.
    const available = i < spec.inDialog || random() < 0.75 ? 1 : 0;
    const seen = now - int(30 * 60_000); // within the last half hour: about 1 in 6 online
    const ended = random() < 0.05 ? null : now - int(30 * DAY);
    // Languages and departments by the agent's number (the random sequence stays the one the
    // other figures were measured on): a third speak English, one in ten set both languages;
    // a quarter each in billing, tech or both, a quarter in none (they serve all).
    const language = i % 3 === 2 ? "en" : "ru";
    const languages = i % 10 === 0 ? ",ru,en," : null;
    const departments = [",billing,", ",tech,", ",billing,tech,", null][i % 4];
    batch(() =>
      insertUser.run(
        id,
        `agent${i}`,
        `Agent ${i}`,
        null,
        language,
        1,
        available,
        seen,
        ended,
        now - DAY,
        languages,
        departments,
      )
    );
  }
  for (let i = 0; i < spec.clients; i++) {
    batch(() =>
      insertUser.run(
        CLIENT_BASE + i,
        null,
        `Client ${i}`,
        `C${i}`,
        "ru",
        0,
        0,
        null,
        null,
        now - DAY,
        null,
        null,
      )
    );
  }

  // Tickets: 100 for the heavy client, 1 to 3 for every other client, oldest first.
  const perHeavyTicket = 1000;
  const heavyTickets = Math.ceil(spec.heavyMessages / perHeavyTicket);
  const owners: number[] = [];
  for (let i = 1; i < spec.clients; i++) for (let k = 0; k <= i % 3; k++) owners.push(i);
  const step = Math.max(1, Math.floor(owners.length / heavyTickets));
  const tickets: { client: number; agent: number }[] = [];
  let heavy = 0;
  for (let k = 0; k < owners.length; k++) {
    if (k % step === 0 && heavy < heavyTickets) {
      tickets.push({ client: 0, agent: 0 });
      heavy++;
    }
    tickets.push({ client: owners[k], agent: int(spec.agents) });
  }
  // The last ticket of clients 0 … inDialog-1 is open with agent i (the heavy client's with
  // agent 0); every other ticket is closed.
  const lastTicket = new Map<number, number>();
  tickets.forEach((t, k) => lastTicket.set(t.client, k));
  for (let i = 0; i < spec.inDialog; i++) tickets[lastTicket.get(i)!].agent = i;
  const span = 90 * DAY;
  const otherMessages = spec.messages - spec.heavyMessages;
  const otherTickets = tickets.length - heavyTickets;
  let written = 0;
  let otherSeen = 0;
  let messageId = 0;
  tickets.forEach((t, k) => {
    const ticketId = k + 1;
    const opened = now - span + Math.floor((k / tickets.length) * (span - DAY));
    const isOpen = t.client < spec.inDialog && lastTicket.get(t.client) === k;
    const clientId = CLIENT_BASE + t.client;
    const agentId = AGENT_BASE + t.agent;
    batch(() =>
      insertTicket.run(
        ticketId,
        clientId,
        agentId,
        isOpen ? "open" : "closed",
        opened,
        opened + 1000,
        isOpen ? null : opened + 600_000,
        isOpen ? null : "agent",
      )
    );
    if (isOpen) {
      batch(() => setTicket.run(ticketId, clientId));
      batch(() => setTicket.run(ticketId, agentId));
    }
    let count: number;
    if (t.client === 0) {
      count = perHeavyTicket;
    } else {
      otherSeen++;
      const target = Math.round((otherSeen / otherTickets) * otherMessages);
      count = target - written;
      written = target;
    }
    for (let m = 0; m < count; m++) {
      const fromClient = m % 2 === 0;
      const body = text();
      const at = opened + 2000 + m * 1000;
      messageId++;
      const id = messageId;
      batch(() =>
        insertMessage.run(
          ticketId,
          clientId,
          agentId,
          fromClient ? clientId : agentId,
          fromClient ? "client" : "agent",
          body,
          m + 1,
          m + 1,
          at,
        )
      );
      if (spec.deliveries) {
        const to = fromClient ? agentId : clientId;
        const params = fromClient
          ? JSON.stringify({ chat_id: to, text: `👤 C${t.client}:\n${body}` })
          : JSON.stringify({ chat_id: to, from_chat_id: agentId, message_id: m + 1 });
        batch(() =>
          insertDelivery.run(to, fromClient ? "sendMessage" : "copyMessage", params, id, at, at)
        );
      }
    }
  });
  if (open > 0) db.exec("COMMIT");
  db.exec("PRAGMA journal_mode = WAL");
  db.close();
}
