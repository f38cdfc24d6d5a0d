/**
 * A client's card, as the team sees it: their names, @username, language, the ticket (and its
 * department), how many tickets so far, the last rating, the phone if shared. Shown when an agent
 * presses the name under a copy (private mode) and pinned first in the client's topic (team mode).
 *
 * @module
 */
import { type ClientCardFigures, nameOf, type Store, type User } from "../store/mod.ts";
import { accountOf } from "./inbox.ts";
import { type CardView, type Language, stars, texts, ticketNumber } from "../texts/mod.ts";
import { type Department, departmentOf } from "../rules/departments.ts";

/**
 * The card of `client`, with the figures the store counted; `department`: their ticket's, by
 * name, if it has one.
 */
export function cardView(
  client: User,
  figures: ClientCardFigures,
  department: string | null = null,
): CardView {
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
    department,
  };
}

/**
 * The card of client `clientId` as text, in `language` (their id, should they be gone), with
 * the department of their latest ticket among `departments`.
 */
export function cardText(
  store: Pick<Store, "getUser" | "clientCard" | "lastTicketOfClient" | "wayOf" | "getConnection">,
  clientId: number,
  language: Language,
  departments: readonly Department[] = [],
): string {
  const client = store.getUser(clientId);
  if (!client) return String(clientId);
  const last = store.lastTicketOfClient(clientId);
  const key = departments.length > 0 ? last?.department : null;
  const department = departmentOf(departments, key ?? null)?.names[language] ?? null;
  const t = texts(language);
  const card = t.card(cardView(client, store.clientCard(clientId, 0), department));
  // Telegram Business: the company account the client wrote to, said on the card.
  const account = last ? accountOf(store, last.id) : null;
  return account === null ? card : `${card}\n${t.business.cardAccount(account)}`;
}
