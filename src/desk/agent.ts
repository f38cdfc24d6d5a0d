/**
 * The agent's commands about their own work: `/available`, `/end_chat`, `/history`,
 * `/stats` (an admin's shows the whole team too), and `/close`, which closes the ticket of
 * whoever sends it (a client's own, or the agent's current one). `/transfer` is in
 * `transfer.ts`, `/canned` in `canned.ts`.
 *
 * @module
 */
import { departmentName } from "./departments.ts";
import {
  type DepartmentLine,
  type Language,
  type Texts,
  texts,
  ticketNumber,
} from "../texts/mod.ts";
import { ticketNamed, viewerOf } from "./knowledge.ts";
import { languagesOf } from "../store/mod.ts";
import { agentStats, teamStats } from "../reports/stats.ts";
import { inboxes } from "../reports/inbox.ts";
import type { User } from "../store/mod.ts";
import type { DeskContext } from "./context.ts";
import { closeTicket } from "./tickets.ts";

/** `/available`: toggles the agent's flag; turning it on takes the next queued client. */
export function toggleAvailable(ctx: DeskContext, agent: User): void {
  const available = !agent.isAvailable;
  ctx.store.setAvailable(agent.userId, available);
  ctx.say(
    agent,
    (t) =>
      available ? t.availableOn : agent.currentTicketId ? t.availableOffInDialog : t.availableOff,
  );
  if (available) ctx.channel.staff.agentFreed(ctx, agent.userId);
}

/** `/end_chat`: closes the agent's ticket. */
export function endChat(ctx: DeskContext, agent: User): void {
  const ticket = ctx.ticketOf(agent);
  if (!ticket) return ctx.say(agent, (t) => t.noDialog);
  closeTicket(ctx, ticket, "agent", "agent");
}

/** `/close`: a client closes their own ticket (an agent's `/close` is `/end_chat`). */
export function close(ctx: DeskContext, user: User): void {
  if (user.bannedAt !== null) return;
  if (user.isAgent) return endChat(ctx, user);
  const ticket = ctx.ticketOf(user);
  if (!ticket) return ctx.say(user, (t) => t.nothingToClose);
  closeTicket(ctx, ticket, "client", "client");
}

/**
 * `/history [html]`: the current client's history, as a file (built when it is sent);
 * `/history T-000123 [html]`: the history of that ticket's client, for a ticket the user may
 * see (`knowledge.ts`: an admin, a member in team mode, or an agent who served it).
 */
export function history(ctx: DeskContext, user: User, request: { readonly args: string }) {
  const [first = "", second = ""] = request.args.trim().split(/\s+/);
  const numbered = ticketNamed(first);
  const format = (numbered === undefined ? first : second).toLowerCase() || "txt";
  if (format !== "txt" && format !== "html") return ctx.say(user, (t) => t.historyUsage);
  let clientId: number;
  if (numbered !== undefined) {
    const ticket = ctx.store.getTicket(numbered);
    if (!ticket || !ctx.store.mayOpenTicket(ticket.id, viewerOf(ctx, user))) {
      return ctx.say(user, (t) => t.knowledge.historyNoTicket(ticketNumber(numbered)));
    }
    clientId = ticket.clientId;
  } else {
    if (!user.isAgent) return ctx.say(user, (t) => t.agentOnly);
    const ticket = ctx.ticketOf(user);
    if (!ticket) return ctx.say(user, (t) => t.noDialog);
    clientId = ticket.clientId;
  }
  ctx.send(user.userId, {
    method: "sendHistory",
    params: {
      chat_id: user.userId,
      client_id: clientId,
      up_to: ctx.store.lastMessageId(),
      format,
    },
  });
}

/**
 * `/stats`: an agent's own figures; an admin's shows the whole team. Each text goes with the
 * chart of its 30 days, drawn when it is sent (one delivery: the text is its caption).
 */
export function stats(ctx: DeskContext, user: User): void {
  const { store, now, config } = ctx;
  const withChart = (agentId: number | null, text: string) =>
    ctx.send(user.userId, {
      method: "sendStatsChart",
      params: { chat_id: user.userId, agent_id: agentId, now, text },
    });
  const t = texts(user.language);
  if (user.isAgent) {
    const view = agentStats(
      store,
      user,
      now,
      config.onlineWindowMs,
      config.timeZone,
      user.language,
    );
    const routing = agentRouting(ctx, user);
    withChart(user.userId, routing ? `${t.stats(view)}\n\n${routing(t)}` : t.stats(view));
  }
  if (ctx.isAdmin(user)) {
    const team = t.teamStats(teamStats(store, now, user.language));
    // With a knowledge base: the tickets it answered by itself.
    const text = config.faqFile === null
      ? team
      : `${team}\n${t.knowledge.statsSelfServed(store.selfServedSince(now - 30 * 86_400_000))}`;
    const departments = departmentLines(ctx, user.language);
    const withDepartments = departments.length > 0
      ? `${text}\n\n${t.routing.statsDepartments(departments)}`
      : text;
    // Telegram Business: each company account an inbox of its own.
    const accounts = inboxes(store);
    withChart(
      null,
      accounts.length > 0
        ? `${withDepartments}\n\n${t.business.inboxes(accounts)}`
        : withDepartments,
    );
  }
}

/**
 * What routing knows of an agent, for their `/stats`: their languages and departments; nothing
 * for an agent who speaks their app's language on a desk without departments (nothing to say).
 */
function agentRouting(ctx: DeskContext, agent: User): ((t: Texts) => string) | undefined {
  const configured = ctx.config.departments.length > 0;
  if (!configured && agent.languages === null) return undefined;
  const departments = agent.departments.map((k) => departmentName(ctx, agent.language, k));
  return (t) =>
    t.routing.statsAgent(
      languagesOf(agent).map((l) => t.routing.languageNames[l]).join(", "),
      configured ? departments : null,
    );
}

/** Per department: its queue and its agents; then the same for tickets and agents in none. */
function departmentLines(ctx: DeskContext, language: Language): DepartmentLine[] {
  const { store, config } = ctx;
  if (config.departments.length === 0) return [];
  const queued = store.queuedByDepartment();
  const lines: DepartmentLine[] = config.departments.map((d) => ({
    name: d.names[language],
    queued: queued.get(d.key) ?? 0,
    ...store.departmentAgents(d.key),
  }));
  lines.push({
    name: texts(language).routing.noDepartment,
    queued: queued.get(null) ?? 0,
    ...store.departmentAgents(null),
  });
  return lines;
}
