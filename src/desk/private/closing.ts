/**
 * Private mode's side of a closed ticket: the client's words the agent has not seen yet (a
 * flood's folded messages, and relays still waiting, which are folded too) go to the agent at
 * once in the digest, ahead of the notice that says who closed it (`../folding.ts`); the agent
 * is then freed for the next waiting client, whose messages wait on none of it. A ban is the
 * exception: what still waits is cancelled, and the agent told how much is only in the
 * history.
 *
 * @module
 */
import type { Ticket, User } from "../../store/mod.ts";
import { ticketNumber } from "../../texts/mod.ts";
import type { CloseReason } from "../channel.ts";
import { type DeskContext, nameOf } from "../context.ts";
import { dropFolded, showBeforeClose } from "../folding.ts";
import { agentFreed } from "./queue.ts";

/** The agent's side of a closed ticket. */
export function ticketClosed(
  ctx: DeskContext,
  ticket: Ticket,
  why: CloseReason,
  _closer?: User,
): void {
  const { store, now } = ctx;
  if (ticket.agentId === null) return;
  const target = { chatId: ticket.agentId };
  let unshown = 0;
  if (why === "banned") {
    unshown = store.cancelRelayed(ticket.id, ticket.agentId, "ticket closed", now) +
      dropFolded(ctx, ticket, target);
  } else {
    const unsent = store.foldUnsent(ticket.id, ticket.agentId);
    store.cancelRelayed(ticket.id, ticket.agentId, "ticket closed: in the digest", now);
    showBeforeClose(ctx, ticket, target, unsent);
  }
  store.endAgentDialog(ticket.agentId, now);
  const agent = ctx.user(ticket.agentId);
  const name = nameOf(ctx.user(ticket.clientId));
  const number = ticketNumber(ticket.id);
  ctx.say(agent, (t) => {
    switch (why) {
      case "agent":
        return t.endChatDone(name, number);
      case "client":
        return t.agentClientClosed(name, number);
      case "banned":
        return t.agentClientBanned(name, number);
      default:
        return t.agentClientLeft(name, number);
    }
  });
  if (unshown > 0) ctx.say(agent, (t) => t.moreInHistory(name, unshown));
  agentFreed(ctx, ticket.agentId);
}
