/**
 * Private mode, the staff side where each agent answers in their own private chat with the
 * bot: a ticket is assigned to one free agent by routing's order (`queue.ts`), the client's
 * messages reach that agent signed with the client's name (`dialog.ts`), and the agent's
 * answers go back; closing frees the agent for the next waiting client (`closing.ts`).
 *
 * | file | its part |
 * | --- | --- |
 * | `dialog.ts` | a client's and an agent's messages, folding a flood, edits, reactions |
 * | `queue.ts` | assigning tickets, an agent freed or taken off, draining the queue |
 * | `closing.ts` | the agent's side of a closed ticket |
 *
 * @module
 */
import { sendText } from "../../outbox/builders.ts";
import { texts } from "../../texts/mod.ts";
import { fitted } from "../canned.ts";
import { draftButtons } from "../keyboards.ts";
import type { StaffSide } from "../channel.ts";
import type { DeskContext } from "../context.ts";
import { unassign } from "../queue.ts";
import { agentWrote, clientWrote, mirrorEdit, reacted } from "./dialog.ts";
import { ticketClosed } from "./closing.ts";
import { agentFreed, agentLost, drainQueue, tryAssign } from "./queue.ts";

/** Agents in their private chats with the bot. */
export const privateStaff: StaffSide<DeskContext> = {
  clientWrote,
  agentWrote,
  mirrorEdit,
  reacted,
  ticketClosed,
  route: tryAssign,
  agentLost,
  agentFreed,
  agentUnreachable(ctx, agent) {
    ctx.store.setAvailable(agent.userId, false);
    const ticket = ctx.ticketOf(agent);
    if (ticket) unassign(ctx, agent, ticket);
  },
  tellStaff(ctx, ticket, text, buttons) {
    if (ticket.agentId !== null) ctx.say(ctx.user(ticket.agentId), text, buttons);
  },
  mayRegister: () => true,
  drainQueue,
  agentHelp: (t) => t.agentHelp,
  showCanned(ctx, agent, _ticket, messageId, reply) {
    const t = texts(agent.language);
    const shown = reply.article
      ? t.knowledge.articleShown(reply.name, reply.text)
      : t.cannedShown(reply.name, reply.text);
    ctx.send(agent.userId, sendText(agent.userId, fitted(shown, reply.text)), messageId);
  },
  // A draft goes to the ticket's agent, in a dialog only.
  drafts: {
    wanted: (ticket) => ticket.status === "open" && ticket.agentId !== null,
    show(ctx, ticket, draftId, text) {
      const agent = ctx.user(ticket.agentId!);
      const t = texts(agent.language);
      const buttons = draftButtons(t, draftId);
      ctx.send(agent.userId, sendText(agent.userId, t.draftShown(text), { buttons }));
    },
    sent(ctx, agent, _ticket, messageId, draftAt) {
      const line = sendText(agent.userId, texts(agent.language).draftSent, { replyTo: draftAt });
      ctx.send(agent.userId, line, messageId);
    },
  },
};
