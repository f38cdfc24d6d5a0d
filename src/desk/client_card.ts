/**
 * The client card: an agent presses the client's name under a copy (see `nameButton` in
 * `src/outbox/carry.ts`) and sees who wrote: the name they gave, Telegram's name and @username,
 * their language, the ticket (and its department), how many tickets so far, the last rating, the
 * phone number if they shared it. Only for an agent who served that client.
 *
 * @module
 */
import type { User } from "../store/mod.ts";
import { cardView } from "../reports/card_view.ts";
import { type Texts, texts } from "../texts/mod.ts";
import type { ButtonPress, DeskContext } from "./context.ts";
import { departmentName } from "./departments.ts";

/** The most an alert window shows; a longer card comes as a message. */
const ALERT_MAX = 200;

/** The name under a copy pressed: the client card, or a stale answer. */
export function showCard(ctx: DeskContext, agent: User, press: ButtonPress, clientId: number) {
  const client = agent.isAgent && agent.bannedAt === null ? ctx.store.getUser(clientId) : undefined;
  const figures = client ? ctx.store.clientCard(clientId, agent.userId) : undefined;
  if (!client || !figures?.served) return ctx.answer(agent, press, (t) => t.buttonStale);
  const ticket = ctx.ticketOf(client) ?? ctx.store.lastTicketOfClient(clientId);
  const key = ticket?.department ?? null;
  const view = cardView(
    client,
    figures,
    key === null ? null : departmentName(ctx, agent.language, key),
  );
  const card = (t: Texts) => t.card(view);
  if (card(texts(agent.language)).length <= ALERT_MAX) return ctx.answer(agent, press, card, true);
  ctx.answer(agent, press);
  ctx.say(agent, card);
}
