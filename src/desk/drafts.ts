/**
 * Drafts from a language model, the desk's part (`LLM_URL`; see `docs/drafts.md`): a client's
 * message in a served ticket asks for a draft in its own transaction (one row, pushed back by
 * each new message, so a burst asks once); the drafter (`src/llm/`) takes the request off the
 * hot path and hands the model's answer back here, where it is shown to staff with "Send" and
 * "Drop" in one transaction. Nothing of the model reaches a client but through "Send", pressed
 * by the staff serving the ticket; a draft whose ticket closed, that a newer one replaced, or
 * that went already says so and sends nothing.
 *
 * @module
 */
import type { Ticket, User } from "../store/mod.ts";
import type { ButtonPress, DeskContext } from "./context.ts";
import { answerWithText } from "./messages.ts";

/**
 * How long a request waits after the client's last message before it is taken: a client who
 * writes several messages in a row gets one draft, for all of them.
 */
export const DRAFT_QUIET_MS = 1500;

/** A client's message in `ticket` asks for a draft, when drafts are on and staff serve it. */
export function askForDraft(ctx: DeskContext, client: User, ticketId: number): void {
  const side = ctx.channel.staff.drafts;
  if (ctx.config.llm === null || side === undefined || client.bannedAt !== null) return;
  const ticket = ctx.store.getTicket(ticketId);
  if (!ticket || !side.wanted(ticket)) return;
  ctx.store.requestDraft(ticket.id, ctx.now + DRAFT_QUIET_MS, ctx.now);
}

/** What became of a request the drafter answered. */
export type DraftOutcome = "shown" | "asked again" | "stale" | "gone";

/**
 * The model answered request `draftId`, taken when `asks` messages had asked for it: shown to
 * staff with its buttons, unless the ticket is no longer served here (stale) or the client
 * wrote again meanwhile (the request waits for the drafter again, for the newest message).
 */
export function draftReady(
  ctx: DeskContext,
  draftId: number,
  asks: number,
  text: string,
): DraftOutcome {
  const { store } = ctx;
  const draft = store.getDraft(draftId);
  if (!draft || draft.status !== "pending") return "gone";
  if (draft.asks !== asks) return "asked again";
  const side = ctx.channel.staff.drafts;
  const ticket = store.getTicket(draft.ticketId);
  if (!side || !ticket || !side.wanted(ticket)) {
    store.endDraft(draftId, "pending", "stale", ctx.now);
    return "stale";
  }
  store.showDraft(draftId, text, ctx.now);
  side.show(ctx, ticket, draftId, text);
  return "shown";
}

/**
 * Request `draftId` gets no draft (the model failed, or there was nothing to answer), unless
 * the client wrote again meanwhile: then it waits for the drafter again.
 */
export function draftFailed(
  ctx: DeskContext,
  draftId: number,
  asks: number,
  why: "failed" | "stale",
): void {
  const draft = ctx.store.getDraft(draftId);
  if (!draft || draft.status !== "pending" || draft.asks !== asks) return;
  ctx.store.endDraft(draftId, "pending", why, ctx.now);
}

/**
 * Who may act on a draft of `ticket` where it was pressed: the ticket as it is then (taken by
 * the one who sends, in a staff group), or `undefined` when this user may not.
 */
export type DraftGuard = (ticket: Ticket, send: boolean) => Ticket | undefined;

/**
 * "Send" or "Drop" pressed under draft `draftId` by `agent`. "Send" sends the draft to the
 * client as the agent's answer, like a saved reply; "Drop" removes the buttons. A draft that
 * went already, whose ticket closed, or that a newer draft replaced, sends nothing, and says so.
 */
export function draftPressed(
  ctx: DeskContext,
  agent: User,
  press: ButtonPress,
  draftId: number,
  send: boolean,
  guard: DraftGuard,
): void {
  const { store } = ctx;
  const draft = store.getDraft(draftId);
  const shown = draft ? store.getTicket(draft.ticketId) : undefined;
  if (!draft || !shown || draft.status === "pending" || draft.text === null) {
    return ctx.answer(agent, press, (t) => t.buttonStale);
  }
  if (draft.status !== "shown") {
    ctx.answer(agent, press, (t) => t.draftDone);
    return ctx.dropButtons(agent, press);
  }
  if (shown.status === "closed") {
    store.endDraft(draftId, "shown", "stale", ctx.now);
    ctx.answer(agent, press, (t) => t.draftClosed);
    return ctx.dropButtons(agent, press);
  }
  const ticket = guard(shown, send);
  if (ticket === undefined) return ctx.answer(agent, press, (t) => t.buttonStale);
  if (!send) {
    store.endDraft(draftId, "shown", "dropped", ctx.now);
    ctx.answer(agent, press, (t) => t.draftDropped);
    return ctx.dropButtons(agent, press);
  }
  if (store.newerDraftShown(ticket.id, draftId)) {
    store.endDraft(draftId, "shown", "stale", ctx.now);
    ctx.answer(agent, press, (t) => t.draftNewer, true);
    return ctx.dropButtons(agent, press);
  }
  const messageId = answerWithText(ctx, agent, ticket, draft.text, null);
  store.endDraft(draftId, "shown", "sent", ctx.now);
  ctx.answer(agent, press, (t) => t.draftSent);
  ctx.dropButtons(agent, press);
  ctx.channel.staff.drafts?.sent(ctx, agent, ticket, messageId, press.chatMessageId);
}

/** Private mode's guard: only the ticket's agent, in a dialog, acts on its drafts. */
export const agentOfTicket = (agent: User): DraftGuard => (ticket) =>
  agent.isAgent && ticket.status === "open" && ticket.agentId === agent.userId &&
    agent.currentTicketId === ticket.id
    ? ticket
    : undefined;
