/**
 * The conversation, as every channel has it: a client's message opens a ticket when they
 * have none (after the answers the bot waits for: their name, their contact, a rating's
 * comment; with departments, once they picked one: `departments.ts`) and goes to the staff
 * side, which shows it, keeps it or routes it (and, with `LLM_URL`, asks for a draft:
 * `drafts.ts`); an agent's
 * message in their private chat goes to the staff side too; an edit is kept in the history
 * (both versions) and its copy brought up to date where the staff side allows.
 *
 * @module
 */
import type { Texts } from "../texts/mod.ts";
import type { DeskContext, Incoming } from "./context.ts";
import type { User } from "../store/mod.ts";
import type { Greeting } from "./queue.ts";
import { contactAnswered, nameAnswered } from "./onboarding.ts";
import { commentAnswered } from "./ratings.ts";
import {
  holdForDepartment,
  mayAskDepartment,
  picksDepartment,
  soleDepartment,
} from "./departments.ts";
import { openTicket } from "./opening.ts";
import { askForDraft } from "./drafts.ts";
import { selfService } from "./knowledge.ts";
import { suggest } from "./suggestions.ts";

/** A client wrote a message (`isNew`: the bot had never seen them before this update). */
export function clientWrote(
  ctx: DeskContext,
  client: User,
  incoming: Incoming,
  isNew: boolean,
): void {
  const text = incoming.content.kind === "text" ? incoming.content.text ?? "" : "";
  // The answer to "what is your name?", unless the client went straight to their question.
  if (client.awaitingName && nameAnswered(ctx, client, text)) return;
  if (client.awaitingContact && contactAnswered(ctx, client, incoming)) return;
  if (commentAnswered(ctx, client, text)) return;
  let ticket = ctx.ticketOf(client);
  /** A ticket just opened: the greeting, said in the one message that tells what comes next. */
  let greeting: Greeting | undefined;
  if (!ticket) {
    // Telegram makes new users press "Start" (/start) first, where the name is asked; one who
    // wrote without it is served under their Telegram name rather than held up.
    // Without the name: the bot's last words to them (the name saved, a greeting) had it.
    greeting = (t: Texts) => isNew ? t.greetingNew : t.greetingTicket;
    // With a knowledge base, a question it answers well is answered first (`knowledge.ts`).
    if (selfService(ctx, client, incoming, greeting)) return;
    // A banned client is asked nothing: their message is kept in a ticket, as always.
    // In a company's business chat, asked as the account while it may write there.
    if (picksDepartment(ctx) && client.bannedAt === null && mayAskDepartment(ctx, client)) {
      return holdForDepartment(ctx, client, incoming, greeting);
    }
    ticket = openTicket(ctx, client, soleDepartment(ctx));
  }
  ctx.channel.staff.clientWrote(ctx, client, ticket, incoming, greeting);
  askForDraft(ctx, client, ticket.id);
  // The ticket as the staff side left it (someone may have it now).
  // Not for a banned client, whose message the staff side keeps out of sight.
  if (greeting !== undefined && client.bannedAt === null && ctx.config.faqFile !== null) {
    suggest(ctx, ctx.store.getTicket(ticket.id)!, incoming.content.text);
  }
}

/** An agent wrote in their private chat with the bot (not a command). */
export function agentWrote(ctx: DeskContext, agent: User, incoming: Incoming): void {
  ctx.channel.staff.agentWrote(ctx, agent, incoming);
}

/**
 * An edited message: the history keeps both versions, and the staff side brings the copy up
 * to date where it may (only within the dialog as it is now).
 */
export function edited(ctx: DeskContext, user: User, incoming: Incoming): void {
  const { store } = ctx;
  const m = store.ownMessage(user.userId, incoming.chatMessageId);
  if (!m) return; // never saved (a command, or sent before the bot knew the user)
  const { content } = incoming;
  const entities = content.entities ? JSON.stringify(content.entities) : null;
  if (content.text === m.text && entities === m.entities) return;
  store.editMessage(m, content.text, entities, ctx.now);
  ctx.channel.staff.mirrorEdit(ctx, user, m);
}
