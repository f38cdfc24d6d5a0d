/**
 * Routing, as every staff side has it: what a ticket asks of the agent who takes it (the
 * client's language, the ticket's department, the agent who served the client last, whether
 * the client still waits for an agent who speaks their language) and the pick that follows
 * from it, which private mode assigns (`private/queue.ts`) and team mode offers
 * (`team/take.ts`). The order itself is the pure rule of `src/rules/matchmaking.ts`; the store
 * finds its pick through an index.
 *
 * @module
 */
import type { AgentState, Needs } from "../rules/matchmaking.ts";
import { languagesOf, type Ticket, type User } from "../store/mod.ts";
import type { DeskContext } from "./context.ts";
import { departmentOf } from "../rules/departments.ts";

/** What `ticket` asks of the agent who takes it, now. */
export function needsOf(ctx: DeskContext, ticket: Ticket): Needs {
  const { config, store } = ctx;
  const client = ctx.user(ticket.clientId);
  return {
    language: client.language,
    department: ticket.department,
    lastAgentId: config.returnToLastAgent
      ? store.lastAgentOfClient(ticket.clientId, ticket.id)
      : null,
    onlySpeakers: ctx.now - ticket.openedAt < config.languageWaitMs,
    ownAgentsOnly: (departmentOf(config.departments, ticket.department)?.group ?? null) !== null,
  };
}

/** The free agent who should take `ticket` (not `except`), if anyone may. */
export function pickFor(ctx: DeskContext, ticket: Ticket, except = 0): AgentState | undefined {
  return ctx.store.pickFreeAgent(ctx.now, ctx.config.onlineWindowMs, except, needsOf(ctx, ticket));
}

/** The ticket that has waited longest (but `except`) that `agent` may take now. */
export function nextTicketFor(ctx: DeskContext, agent: User, except = 0): Ticket | undefined {
  return ctx.store.oldestQueuedFor(
    except,
    agent.departments,
    languagesOf(agent),
    ctx.now - ctx.config.languageWaitMs,
  );
}
