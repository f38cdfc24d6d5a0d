/**
 * The admins' commands (`ADMIN_IDS`): `/agents` and `/queue` to look, `/revoke` to take an
 * agent's role away, `/ban` and `/unban` for clients, `/export` of every message of some days
 * as CSV. A user is named by Telegram id or @username (the name's holder now, the user who
 * took it last; a name the bot cannot tell is refused).
 *
 * @module
 */
import { inboxes } from "../reports/inbox.ts";
import { departmentName } from "./departments.ts";
import { agentState, isOnline } from "../rules/matchmaking.ts";
import type { User } from "../store/mod.ts";
import { ticketNumber } from "../texts/mod.ts";
import { addDays, parseLocalDate } from "../base/time.ts";
import { type DeskContext, nameOf } from "./context.ts";
import { unassign } from "./queue.ts";
import { closeTicket } from "./tickets.ts";

/** Lines in `/agents` and `/queue`. */
const LIST_LINES = 50;
/** Ids listed when a @username may be any of several users. */
const AMBIGUOUS_IDS = 10;
/** Longest export range, in days. */
const EXPORT_MAX_DAYS = 366;

/** What an admin command about one user is given: its name (for its usage) and arguments. */
interface TargetRequest {
  readonly name: string;
  readonly args: string;
}

/** `/agents`: every agent with their state. */
export function agents(ctx: DeskContext, admin: User): void {
  const { store, now } = ctx;
  const list = store.agents(LIST_LINES);
  const more = store.agentsSummary().total - list.length;
  const lines = list.map((a) => ({
    id: a.userId,
    name: nameOf(a),
    username: a.username,
    state: agentState(a),
    online: isOnline(a, now, ctx.config.onlineWindowMs),
    ticket: a.currentTicketId !== null ? ticketNumber(a.currentTicketId) : null,
  }));
  // Telegram Business: the company accounts, each an inbox of its own.
  const accounts = inboxes(store);
  ctx.say(
    admin,
    (t) =>
      accounts.length > 0
        ? `${t.agents(lines, more)}\n\n${t.business.inboxes(accounts)}`
        : t.agents(lines, more),
  );
}

/** `/queue`: the tickets waiting, oldest first. */
export function queue(ctx: DeskContext, admin: User): void {
  const { store, now } = ctx;
  const page = store.queuePage(LIST_LINES);
  const more = store.queueLength() - page.length;
  const lines = page.map((q) => ({
    ticket: ticketNumber(q.id),
    client: q.clientName,
    waitingMinutes: Math.floor((now - q.openedAt) / 60_000),
    messages: q.messages,
    department: q.department === null ? null : departmentName(ctx, admin.language, q.department),
  }));
  ctx.say(admin, (t) => t.queue(lines, more));
}

/** `/revoke <id or @username>`: the agent loses the role; their client goes to another. */
export function revoke(ctx: DeskContext, admin: User, request: TargetRequest): void {
  const target = targetOf(ctx, admin, request);
  if (!target) return;
  if (!target.isAgent) return ctx.say(admin, (t) => t.revokeNotAgent(nameOf(target)));
  const ticket = ctx.ticketOf(target);
  ctx.store.revokeAgent(target.userId);
  // Remembered: in team mode the staff group would otherwise make them an agent again.
  ctx.store.setRevoked(target.userId, ctx.now);
  const taker = ticket ? unassign(ctx, target, ticket) : undefined;
  ctx.say(target, (t) => t.revoked);
  ctx.setMenu(ctx.user(target.userId));
  const number = ticket ? ticketNumber(ticket.id) : null;
  const to = taker ? nameOf(taker) : null;
  ctx.say(admin, (t) => t.revokeDone(nameOf(target), number, to));
}

/** `/ban <id or @username>`: the client's messages are kept but no longer passed on. */
export function ban(ctx: DeskContext, admin: User, request: TargetRequest): void {
  const target = targetOf(ctx, admin, request);
  if (!target) return;
  const name = nameOf(target);
  if (ctx.isAdmin(target)) return ctx.say(admin, (t) => t.banAdmin);
  if (target.isAgent) return ctx.say(admin, (t) => t.banAgent(name));
  if (target.bannedAt !== null) return ctx.say(admin, (t) => t.banAlready(name));
  ctx.store.setBanned(target.userId, ctx.now);
  ctx.store.setCommentTicket(target.userId, null, null);
  const ticket = ctx.ticketOf(target);
  if (ticket) closeTicket(ctx, ticket, "system", "banned");
  ctx.say(admin, (t) => t.banDone(name));
}

/** `/unban <id or @username>`: what the client wrote while banned stays in the history. */
export function unban(ctx: DeskContext, admin: User, request: TargetRequest): void {
  const target = targetOf(ctx, admin, request);
  if (!target) return;
  const name = nameOf(target);
  if (target.bannedAt === null) return ctx.say(admin, (t) => t.unbanNotBanned(name));
  const held = ctx.ticketOf(target);
  if (held) closeTicket(ctx, held, "system", "left");
  ctx.store.setBanned(target.userId, null);
  ctx.say(admin, (t) => t.unbanDone(name));
}

/** `/export <from> <to>`: every message of those local days, as CSV (built when sent). */
export function exportMessages(ctx: DeskContext, admin: User, request: { readonly args: string }) {
  const zone = ctx.config.timeZone;
  const [fromText, toText, extra] = request.args.trim().split(/\s+/);
  const from = fromText ? parseLocalDate(fromText, zone) : undefined;
  const last = toText ? parseLocalDate(toText, zone) : undefined;
  const days = from !== undefined && last !== undefined ? daysBetween(fromText, toText) + 1 : 0;
  if (from === undefined || extra !== undefined || days < 1 || days > EXPORT_MAX_DAYS) {
    return ctx.say(admin, (t) => t.exportUsage);
  }
  const to = parseLocalDate(addDays(toText, 1), zone)!;
  ctx.send(admin.userId, {
    method: "sendExport",
    params: { chat_id: admin.userId, from, to, from_date: fromText, to_date: toText },
  });
}

/**
 * The user an admin command names, or `undefined` (the admin is told why). By id, or by
 * @username: its holder now, the user who took it last, since usernames move between
 * accounts; a name the bot cannot tell the holder of is refused, with the ids to choose from.
 */
function targetOf(ctx: DeskContext, admin: User, request: TargetRequest): User | undefined {
  const who = request.args.trim().split(/\s+/)[0] ?? "";
  if (!who) {
    ctx.say(admin, (t) => t.userUsage(request.name));
    return undefined;
  }
  const shown = who.slice(0, 64);
  if (/^\d+$/.test(who)) {
    const target = ctx.store.getUser(Number(who));
    if (!target) ctx.say(admin, (t) => t.userUnknown(shown));
    return target;
  }
  const holder = ctx.store.usernameHolder(who.replace(/^@/, ""), AMBIGUOUS_IDS);
  switch (holder.found) {
    case "one":
      return holder.user;
    case "none":
      ctx.say(admin, (t) => t.userUnknown(shown));
      return undefined;
    case "ambiguous":
      ctx.say(admin, (t) => t.userAmbiguous(request.name, shown, holder.ids));
      return undefined;
  }
}

/** Calendar days from one `YYYY-MM-DD` date to another (negative when `to` is earlier). */
function daysBetween(from: string, to: string): number {
  const utc = (date: string) => Date.parse(`${date}T00:00:00Z`);
  return Math.round((utc(to) - utc(from)) / (24 * 3600_000));
}
