/**
 * Team mode, the staff side in a staff supergroup with topics: each client has a topic where
 * their messages are copied and members answer, the first to answer (or `/take`) takes the
 * ticket, notes (`//`) stay in the group, and a pinned board in General shows the desk.
 *
 * | file | its part |
 * | --- | --- |
 * | `copies.ts` | a client's messages into their topic, members' answers to the client |
 * | `take.ts` | offering, taking and transferring a ticket, closing its topic, waiting |
 * | `events.ts` | the staff group's events: messages, edits, commands, buttons |
 * | `topic.ts` | writing into a topic or General, bringing a topic in line |
 *
 * @module
 */
import type { TeamConfig } from "../../config/mod.ts";
import type { StaffSide } from "../channel.ts";
import type { DeskContext } from "../context.ts";
import { clientWrote, mirrorEdit, reactedInTeam } from "./copies.ts";
import { closedInTeam, markWaiting, offer, offerWaiting } from "./take.ts";
import { groupOf, syncTopic, teamTexts, tellTopic, toTopic } from "./topic.ts";
import { staffGroups } from "../../rules/departments.ts";
import { sendText } from "../../outbox/builders.ts";
import { nameOf } from "../../store/mod.ts";
import { fitted } from "../canned.ts";
import { draftButtons } from "../keyboards.ts";

export {
  STAFF_COMMANDS,
  staffAnonymous,
  staffButton,
  staffCommand,
  staffEdit,
  staffMenu,
  staffMessage,
  staffReaction,
  type Where,
} from "./events.ts";
export { memberLeft } from "./take.ts";

/**
 * The staff groups of `team` (and of departments with their own) as the desk's staff side. Its tick marks tickets that waited too
 * long and brings the board up to date at most every `BOARD_INTERVAL_SECONDS`.
 */
export function teamStaff(team: TeamConfig): StaffSide<DeskContext> {
  /** When the board was last asked to be brought up to date. */
  let boardAt = -Infinity;
  return {
    clientWrote,
    // Members answer in the group; their private chat carries nothing to clients.
    agentWrote: (ctx, agent) => ctx.say(agent, (t) => t.team.answerInGroup),
    mirrorEdit,
    reacted: (ctx, user, reaction) => reactedInTeam(ctx, user, user.userId, reaction),
    ticketClosed: closedInTeam,
    route(ctx, ticket) {
      offer(ctx, ticket);
      return false;
    },
    // The ticket waits in its topic for another member.
    agentLost(ctx, _agent, ticket) {
      syncTopic(ctx, ticket.clientId);
      return undefined;
    },
    // Members take tickets in the group; nothing is handed to them.
    agentFreed() {},
    // Members work in the group; their private chat with the bot is not the desk.
    agentUnreachable() {},
    tellStaff: (ctx, ticket, text, buttons) => tellTopic(ctx, ticket.clientId, text, buttons),
    // The staff group's members are the agents; nobody registers in private.
    mayRegister(ctx, user) {
      ctx.say(user, (t) => t.team.registerInGroup);
      return false;
    },
    drainQueue: offerWaiting,
    // Members work in the group: their private chat says so, then the group's commands.
    agentHelp: (t) => `${t.team.answerInGroup}\n\n${t.team.help(team.notePrefix)}`,
    showCanned(ctx, agent, ticket, messageId, reply) {
      const t = teamTexts(ctx);
      const shown = reply.article
        ? t.knowledge.articleShownTeam(nameOf(agent), reply.name, reply.text)
        : t.team.cannedShown(nameOf(agent), reply.name, reply.text);
      const chatId = groupOf(ctx, ticket.department);
      toTopic(ctx, ticket.clientId, sendText(chatId, fitted(shown, reply.text)), messageId);
    },
    // A draft goes to the ticket's topic, taken or not; any member may send it.
    drafts: {
      wanted: (ticket) => ticket.status !== "closed",
      show(ctx, ticket, draftId, text) {
        const t = teamTexts(ctx);
        const buttons = draftButtons(t, draftId);
        // In the ticket's own staff group (its department's, or STAFF_CHAT_ID's).
        const chatId = groupOf(ctx, ticket.department);
        const call = sendText(chatId, t.draftShown(text), { buttons });
        toTopic(ctx, ticket.clientId, call, null, chatId);
      },
      sent(ctx, _agent, ticket, messageId, draftAt) {
        const chatId = groupOf(ctx, ticket.department);
        const line = sendText(chatId, teamTexts(ctx).draftSent, { replyTo: draftAt });
        toTopic(ctx, ticket.clientId, line, messageId, chatId);
      },
    },
    tick(ctx) {
      markWaiting(ctx);
      if (ctx.now - boardAt < team.boardIntervalMs) return;
      // A board in each staff group: STAFF_CHAT_ID's, and each department's own.
      for (const chatId of staffGroups(ctx.config.departments, team.chatId)) {
        if (ctx.store.hasPending(chatId, "syncBoard")) continue;
        boardAt = ctx.now;
        ctx.send(chatId, { method: "syncBoard", params: { chat_id: chatId } });
      }
    },
  };
}
