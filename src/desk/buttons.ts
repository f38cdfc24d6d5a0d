/**
 * A button pressed: its data read by `src/rules/button_data.ts`, then the handler it means (close,
 * rate, no comment, transfer, saved reply, a language, a department, a draft). Data the bot never made, and
 * buttons that no longer apply, are answered as stale. A banned user's press is not answered at
 * all.
 *
 * @module
 */
import { parseButton } from "../rules/button_data.ts";
import type { User } from "../store/mod.ts";
import { sendCanned } from "./canned.ts";
import { showCard } from "./client_card.ts";
import type { ButtonPress, DeskContext } from "./context.ts";
import { rate, skipComment } from "./ratings.ts";
import { dropPressed } from "./stale_buttons.ts";
import { closeTicket } from "./tickets.ts";
import { transferPressed } from "./transfer.ts";
import { languagePressed } from "./languages.ts";
import { departmentPicked, memberPressed } from "./departments.ts";
import { agentOfTicket, draftPressed } from "./drafts.ts";
import { faqPressed, sendArticle } from "./knowledge.ts";

/** An inline button pressed by `user`. */
export function buttonPressed(ctx: DeskContext, user: User, press: ButtonPress): void {
  // Nothing a banned user presses does anything, and they are not even told it is stale.
  if (user.bannedAt !== null) return;
  const data = parseButton(press.data);
  if (data === undefined) return ctx.answer(user, press, (t) => t.buttonStale);
  if (data.action === "canned") return sendCanned(ctx, user, press, data.cannedId);
  if (data.action === "card") return showCard(ctx, user, press, data.clientId);
  if (data.action === "lang") return languagePressed(ctx, user, press, data.language);
  if (data.action === "dept") return departmentPicked(ctx, user, press, data.key);
  if (data.action === "member") return memberPressed(ctx, user, press, data.key);
  if (data.action === "draft") {
    if (!user.isAgent) return ctx.answer(user, press, (t) => t.buttonStale);
    return draftPressed(ctx, user, press, data.draftId, data.send, agentOfTicket(user));
  }
  if (data.action === "faq") return faqPressed(ctx, user, press, data.helped);
  if (data.action === "article") {
    return sendArticle(ctx, user, press, data.ticketId, data.articleId);
  }
  const ticket = ctx.store.getTicket(data.ticketId);
  switch (data.action) {
    case "close":
      if (
        !ticket || ticket.clientId !== user.userId || ticket.status === "closed" ||
        user.currentTicketId !== ticket.id
      ) return ctx.answer(user, press, (t) => t.buttonStale);
      ctx.answer(user, press);
      dropPressed(ctx, user.userId, press);
      return closeTicket(ctx, ticket, "client", "client");
    case "rate":
      return rate(ctx, user, press, ticket, data.rating);
    case "skip":
      return skipComment(ctx, user, press, ticket);
    case "transfer":
      return transferPressed(ctx, user, press, ticket, data.to);
    case "move":
      return transferPressed(ctx, user, press, ticket, { department: data.key });
  }
}
