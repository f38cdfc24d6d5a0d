/**
 * A client's card, as the team sees it: their names, @username, language, the ticket, how
 * many tickets so far, the last rating, the phone if shared. Shown when an agent presses the
 * name under a copy (private mode) and pinned first in the client's topic (team mode).
 *
 * @module
 */
import { type ClientCardFigures, nameOf, type Store, type User } from "../store/mod.ts";
import { type CardView, type Language, stars, texts, ticketNumber } from "../texts/mod.ts";

/** The card of `client`, with the figures the store counted. */
export function cardView(client: User, figures: ClientCardFigures): CardView {
  const ticketId = client.currentTicketId ?? figures.lastTicketId;
  return {
    name: nameOf(client),
    telegramName: client.name !== null && client.name !== client.fullName ? client.fullName : null,
    username: client.username,
    language: client.language,
    ticket: ticketId !== null ? ticketNumber(ticketId) : null,
    tickets: figures.tickets,
    lastRating: figures.lastRating !== null ? stars(figures.lastRating) : null,
    phone: client.phone,
  };
}

/** The card of client `clientId` as text, in `language` (their id, should they be gone). */
export function cardText(
  store: Pick<Store, "getUser" | "clientCard">,
  clientId: number,
  language: Language,
): string {
  const client = store.getUser(clientId);
  const t = texts(language);
  return client ? t.card(cardView(client, store.clientCard(clientId, 0))) : String(clientId);
}
