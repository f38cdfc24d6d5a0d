/**
 * Suggestions for agents (docs/knowledge.md): under a client's first message in a ticket, the
 * staff side that has it (the agent in private mode, the topic in team mode) gets the one to
 * three articles of the knowledge base that may answer it (`SUGGEST_SCORE`) as buttons; a press
 * sends that answer as the agent's reply (`knowledge.ts`, `sendArticle`). Called where a
 * ticket's first message reaches staff: its opening (`conversation.ts`), a department picked
 * (`departments.ts`), and in private mode a waiting ticket taken (`private/queue.ts`).
 *
 * @module
 */
import { packButton } from "../rules/button_data.ts";
import { type Article, SUGGEST_SCORE } from "../rules/faq.ts";
import type { Ticket } from "../store/mod.ts";
import type { DeskContext } from "./context.ts";

/** How many articles staff are offered under a client's first message, at most. */
const SUGGESTIONS = 3;
/** The longest question a suggestion's button shows. */
const BUTTON_MAX = 60;

/**
 * Under the client's message `text` in `ticket` (as the staff side left it): the articles that
 * may answer it, as buttons for staff; nothing without a base or a good enough match.
 */
export function suggest(ctx: DeskContext, ticket: Ticket, text: string | null): void {
  if (ctx.config.faqFile === null || !text) return;
  const found = ctx.store.findArticles(text, SUGGESTIONS).filter((a) => a.score >= SUGGEST_SCORE);
  if (found.length === 0) return;
  ctx.channel.staff.tellStaff(
    ctx,
    ticket,
    (t) => t.knowledge.suggestions,
    suggestionButtons(ticket, found),
  );
}

function suggestionButtons(ticket: Ticket, found: readonly Article[]) {
  return found.map((a) => [{
    text: a.question.length > BUTTON_MAX ? `${a.question.slice(0, BUTTON_MAX - 1)}…` : a.question,
    callback_data: packButton({ action: "article", ticketId: ticket.id, articleId: a.id }),
  }]);
}
