/**
 * Storage: typed functions over prepared SQL statements. Every read and write of users,
 * tickets, messages, deliveries and handled updates goes through {@link Store}.
 *
 * The functions live with their SQL in one file per part: users.ts, tickets.ts, messages.ts,
 * canned.ts (saved replies), drafts.ts (drafts from a language model), knowledge.ts (the
 * knowledge base, held questions, search), business.ts (Telegram Business connections), outbox.ts (deliveries), team.ts (team mode's topics and records), updates.ts (handled and parked updates) and reports.ts (history
 * and export pages, figures); rows.ts has the row types they return and the helpers they
 * share; db.ts opens the database, migrations.ts has its schema. Beside them: lock.ts (one bot
 * per database), checkpoint.ts (small WAL checkpoints soon after writes), backup.ts, rescue.ts (a
 * database file deleted under the running bot) and redact.ts (no secret in a parked update). Each part is a factory that
 * prepares its statements once and returns its functions as closures over them; `Store` is
 * one object holding all of them (class and interface of the same name: the class builds it,
 * the interface gives it the parts' types), so callers see one `store.getUser(id)` as before.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { type BusinessQueries, businessQueries } from "./business.ts";
import { type CannedQueries, cannedQueries } from "./canned.ts";
import { type DraftQueries, draftQueries } from "./drafts.ts";
import { type KnowledgeQueries, knowledgeQueries } from "./knowledge.ts";
import { type MessageQueries, messageQueries } from "./messages.ts";
import { type OutboxQueries, outboxQueries } from "./outbox.ts";
import { type ReportQueries, reportQueries } from "./reports.ts";
import { type TeamQueries, teamQueries } from "./team.ts";
import { type TicketQueries, ticketQueries } from "./tickets.ts";
import { type UpdateQueries, updateQueries } from "./updates.ts";
import { type UserQueries, userQueries } from "./users.ts";

export type {
  AgentCounts,
  AgentSummary,
  CannedReply,
  ClosedBy,
  Delivery,
  DeliveryStatus,
  ExportLine,
  HistoryLine,
  Message,
  MessageEdit,
  NewMessage,
  QueuedTicket,
  RecentTicket,
  Role,
  Ticket,
  TicketStatus,
  TicketTimes,
  User,
} from "./rows.ts";
export { languagesOf, nameOf } from "./rows.ts";
export { type DueLane, laneKey } from "./outbox.ts";
export {
  type DropReason,
  PARKED_CAP,
  PARKED_MAX_AGE_MS,
  type ParkedDrops,
  type ParkedUpdate,
} from "./updates.ts";
export type { ButtonAction } from "./tickets.ts";
export type { ClientCardFigures } from "./reports.ts";
export type { DeskStateKey, WaitingTicket } from "./team.ts";
export type { Draft, DraftLine, DraftStatus } from "./drafts.ts";
export type { Connection, HeldAnswer, InboxCount } from "./business.ts";
export { PICK_AGENT_SQL, type UsernameHolder } from "./users.ts";
export { type FaqHold, findArticles, type Found } from "./knowledge.ts";
export type { Article } from "../rules/faq.ts";

/** Every part's functions, on statements of `db` prepared once, here. */
function parts(db: DatabaseSync) {
  return [
    userQueries(db),
    ticketQueries(db),
    messageQueries(db),
    cannedQueries(db),
    outboxQueries(db),
    updateQueries(db),
    reportQueries(db),
    teamQueries(db),
    draftQueries(db),
    knowledgeQueries(db),
    businessQueries(db),
  ] as const;
}

type Parts = ReturnType<typeof parts>;
type KeysOf<T> = T extends unknown ? keyof T : never;
/** The names defined by more than one of `T`. */
type Clashes<T extends readonly unknown[]> = T extends readonly [infer Head, ...infer Rest]
  ? (keyof Head & KeysOf<Rest[number]>) | Clashes<Rest>
  : never;
/** Compiles only when `T` is `never`; else the error names what `T` holds. */
type Empty<T extends never> = T;
// Spreading keeps the last of two functions of the same name: no two parts may share one.
type _NoClash = Empty<Clashes<Parts>>;
// Every function the interface promises is one a part defines.
type _NoneMissing = Empty<Exclude<keyof Store, "db" | KeysOf<Parts[number]>>>;

/** Typed access to the database. Statements are prepared once, on construction. */
export interface Store
  extends
    UserQueries,
    TicketQueries,
    MessageQueries,
    CannedQueries,
    OutboxQueries,
    UpdateQueries,
    ReportQueries,
    TeamQueries,
    DraftQueries,
    KnowledgeQueries,
    BusinessQueries {
  readonly db: DatabaseSync;
}

/** Builds the {@link Store}: the interface above types what this returns. */
export class Store {
  constructor(readonly db: DatabaseSync) {
    const [
      users,
      tickets,
      messages,
      canned,
      outbox,
      updates,
      reports,
      team,
      drafts,
      knowledge,
      business,
    ] = parts(db);
    // One object literal, spread from the parts: V8 keeps its fast properties (assigning some
    // 70 functions to `this` turns it into a slower dictionary), and it is on the hot path.
    return {
      db,
      ...users,
      ...tickets,
      ...messages,
      ...canned,
      ...outbox,
      ...updates,
      ...reports,
      ...team,
      ...drafts,
      ...knowledge,
      ...business,
    };
  }
}
