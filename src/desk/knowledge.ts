/**
 * The knowledge base before and beside a person (docs/knowledge.md), and search:
 *
 * - **self-service**: a client's first question that an article answers well
 *   (`SELF_SERVICE_SCORE`) gets that answer at once, with "That helped" (the ticket closes,
 *   self-served) and "I need a person"; what they wrote is held (`held_messages`) until the
 *   press, their next message or `FAQ_HOLD_SECONDS` (`faq_holds`, released by the desk's
 *   tick, so a restart keeps it), then goes to the staff side as the ticket's first messages,
 *   with the article offered. A weaker match goes straight on, as without a base;
 * - **suggestions** (`suggestions.ts`): under a client's first message, staff get the best
 *   articles as buttons; a press ({@link sendArticle}) sends the answer to the client as the
 *   agent's reply, like a saved reply;
 * - **`/faq`** (admins): the articles, and `/faq reload` (as SIGHUP does: `reloadFaq`);
 * - **`/search <words>`** (agents, admins) over every stored text and caption, and
 *   `/history T-000123` (`agent.ts`). Who sees what: an admin, or any member in team mode,
 *   every ticket; an agent in private mode, the tickets they serve or served (wrote in).
 *
 * @module
 */
import { sendText } from "../outbox/builders.ts";
import { packButton } from "../rules/button_data.ts";
import {
  type FaqAnswer,
  type FaqEntry,
  FaqError,
  parseFaq,
  SELF_SERVICE_SCORE,
} from "../rules/faq.ts";
import { stem, words } from "../rules/stemmer.ts";
import { formatTime } from "../base/time.ts";
import { nameOf, type User } from "../store/mod.ts";
import { type Texts, texts, ticketNumber } from "../texts/mod.ts";
import type { ButtonPress, DeskContext, Incoming } from "./context.ts";
import { askDepartment, picksDepartment, soleDepartment } from "./departments.ts";
import { answerWithText, saveMessage } from "./messages.ts";
import { openTicket } from "./opening.ts";
import { greeted, type Greeting } from "./queue.ts";
import type { CommandRequest } from "./roles.ts";

/** How many messages `/search` shows. */
const SEARCH_LIMIT = 10;
/** How many questions `/faq` lists. */
const LIST_LIMIT = 50;
/** The longest text Telegram takes in one message. */
const MESSAGE_MAX = 4096;

/**
 * The articles of the FAQ file at `path`; throws a {@link FaqError} whose message is one line
 * naming the file and what is wrong.
 */
export function readFaqFile(path: string): FaqEntry[] {
  let markdown: string;
  try {
    markdown = Deno.readTextFileSync(path);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : String(error instanceof Error ? error.message : error);
    throw new FaqError(`FAQ_FILE ${path}: ${why}`);
  }
  try {
    return parseFaq(markdown);
  } catch (error) {
    if (error instanceof FaqError) throw new FaqError(`FAQ_FILE ${path}: ${error.message}`);
    throw error;
  }
}

/**
 * Reads `FAQ_FILE` again into the base (in the event's transaction): the number of articles
 * now, or why not (the base as it was stays).
 */
export function reloadFaq(ctx: DeskContext): { count: number } | { error: string } {
  const path = ctx.config.faqFile;
  if (path === null) return { error: "FAQ_FILE is not set" };
  let entries: FaqEntry[];
  try {
    entries = readFaqFile(path);
  } catch (error) {
    if (error instanceof FaqError) return { error: error.message };
    throw error;
  }
  ctx.store.replaceArticles(entries);
  return { count: entries.length };
}

/** The text a client's message carries (a text, or a media's caption). */
function textOf(incoming: Incoming): string {
  return incoming.content.text ?? "";
}

/** Whether the desk has a knowledge base to look in. */
function hasBase(ctx: DeskContext): boolean {
  return ctx.config.faqFile !== null;
}

/**
 * A client with no ticket wrote: when a question of theirs is held on an answer offered, this
 * message joins it and all goes on to a person; when this one is a new question the base
 * answers well, the answer is offered (after `greeting`, the words a new ticket would get) and
 * the message held. True when it took the message.
 */
export function selfService(
  ctx: DeskContext,
  client: User,
  incoming: Incoming,
  greeting: Greeting,
): boolean {
  const { store } = ctx;
  // A hold left from a run with a base still ends as any does (nothing held is lost).
  const hold = store.faqHoldOf(client.userId);
  if (hold !== undefined && !hold.released) {
    store.holdMessage(client.userId, JSON.stringify(incoming), ctx.now);
    toPerson(ctx, client);
    return true;
  }
  if (!hasBase(ctx)) return false;
  // A client who wrote to a company's account (Telegram Business) is answered only as the
  // account, which sends no bot's buttons: their question goes straight to a person.
  if (ctx.via !== null) return false;
  // A client picking a department is past the question; a banned one is offered nothing.
  if (client.bannedAt !== null || store.heldMessages(client.userId, 1).length > 0) return false;
  const best = store.findArticles(textOf(incoming), 1)[0];
  if (best === undefined || best.score < SELF_SERVICE_SCORE) return false;
  store.holdMessage(client.userId, JSON.stringify(incoming), ctx.now);
  store.holdForFaq(client.userId, best.question, ctx.now + ctx.config.faqHoldMs);
  const t = texts(client.language);
  const { text, entities } = withHeading(greeted(t, greeting, t.knowledge.offer), best.answer);
  ctx.send(
    client.userId,
    sendText(client.userId, text, {
      entities,
      buttons: [[
        {
          text: t.knowledge.helpedButton,
          callback_data: packButton({ action: "faq", helped: true }),
        },
        {
          text: t.knowledge.personButton,
          callback_data: packButton({ action: "faq", helped: false }),
        },
      ]],
    }),
  );
  return true;
}

/** An answer with a line in front of it, its entities moved along. */
function withHeading(heading: string, answer: FaqAnswer): FaqAnswer {
  const shift = heading.length + 2;
  if (shift + answer.text.length > 4096) return answer;
  return {
    text: `${heading}\n\n${answer.text}`,
    entities: answer.entities.map((e) => ({ ...e, offset: e.offset + shift })),
  };
}

/** The client's press under an answer offered: it helped (closed), or a person it is. */
export function faqPressed(
  ctx: DeskContext,
  client: User,
  press: ButtonPress,
  helped: boolean,
): void {
  const { store } = ctx;
  const hold = store.faqHoldOf(client.userId);
  if (hold === undefined || hold.released || client.currentTicketId !== null) {
    ctx.dropButtons(client, press);
    return ctx.answer(client, press, (t) => t.buttonStale);
  }
  ctx.answer(client, press);
  ctx.dropButtons(client, press);
  if (!helped) return toPerson(ctx, client);
  // The ticket is kept, closed, with what the client wrote: the history and /stats have it.
  store.dropFaqHold(client.userId);
  const held = store.heldMessages(client.userId);
  store.dropHeld(client.userId);
  const ticket = openTicket(ctx, client, soleDepartment(ctx));
  for (const json of held) {
    saveMessage(ctx, ticket, client, "client", JSON.parse(json) as Incoming, undefined);
  }
  store.closeTicket(ticket.id, ctx.now, "client");
  store.markSelfServed(ticket.id);
  store.setCurrentTicket(client.userId, null);
  ctx.say(client, (t) => t.knowledge.helped);
}

/**
 * The client's held question goes on to a person: the ticket opens (with departments, once
 * they pick one), what they wrote goes to the staff side in order, then the article offered.
 */
export function toPerson(ctx: DeskContext, client: User): void {
  const { store } = ctx;
  const hold = store.faqHoldOf(client.userId);
  if (hold === undefined || hold.released) return;
  const greeting = (t: Texts) => t.knowledge.toPerson;
  if (picksDepartment(ctx)) {
    // The article is named to staff once the ticket opens in the department picked.
    store.releaseFaqHold(client.userId);
    return askDepartment(ctx, client, greeting);
  }
  store.dropFaqHold(client.userId);
  const held = store.heldMessages(client.userId);
  store.dropHeld(client.userId);
  if (held.length === 0) return;
  let ticket = openTicket(ctx, client, soleDepartment(ctx));
  held.forEach((json, i) => {
    const incoming = JSON.parse(json) as Incoming;
    ctx.channel.staff.clientWrote(ctx, client, ticket, incoming, i === 0 ? greeting : undefined);
    ticket = store.getTicket(ticket.id)!;
  });
  ctx.channel.staff.tellStaff(ctx, ticket, (t) => t.knowledge.offered(hold.question));
}

/** Held questions whose time ran out go on to a person (the desk's tick). */
export function releaseDue(ctx: DeskContext): void {
  for (const clientId of ctx.store.dueFaqHolds(ctx.now)) toPerson(ctx, ctx.user(clientId));
}

/**
 * A suggestion pressed: the article's answer goes to the client of the agent's ticket (which
 * must be the one it was suggested for), as the agent's reply, as a saved reply does.
 */
export function sendArticle(
  ctx: DeskContext,
  agent: User,
  press: ButtonPress,
  ticketId: number,
  articleId: number,
): void {
  const { store } = ctx;
  const article = store.getArticle(articleId);
  const ticket = ctx.ticketOf(agent);
  if (!article || !agent.isAgent || ticket?.id !== ticketId) {
    return ctx.answer(agent, press, (t) => t.buttonStale);
  }
  if (ticket.status !== "open") return ctx.answer(agent, press, (t) => t.noDialog);
  const { text, entities } = article.answer;
  const messageId = answerWithText(ctx, agent, ticket, text, entities);
  ctx.answer(agent, press, (t) => t.knowledge.suggestionSent);
  ctx.dropButtons(agent, press);
  ctx.channel.staff.showCanned(ctx, agent, ticket, messageId, {
    name: article.question,
    text,
    article: true,
  });
}

/** `/faq` (admins): the articles; `/faq reload`: reads `FAQ_FILE` again. */
export function faq(ctx: DeskContext, admin: User, request: CommandRequest): void {
  if (!hasBase(ctx)) return ctx.say(admin, (t) => t.knowledge.faqNone);
  if (request.args.trim().toLowerCase() === "reload") {
    const done = reloadFaq(ctx);
    if ("error" in done) return ctx.say(admin, (t) => t.knowledge.faqReloadFailed(done.error));
    return ctx.say(admin, (t) => t.knowledge.faqReloaded(done.count));
  }
  const questions = ctx.store.articleList().map((a) => a.question);
  ctx.say(admin, (t) => {
    // As many as one message holds (a question may be long), the rest counted.
    let shown = Math.min(LIST_LIMIT, questions.length);
    let text = t.knowledge.faqList(questions.slice(0, shown), questions.length);
    while (text.length > MESSAGE_MAX && shown > 1) {
      shown--;
      text = t.knowledge.faqList(questions.slice(0, shown), questions.length);
    }
    return text;
  });
}

/** Who `user` may see in search and history: `null` for every ticket, else their own. */
export function viewerOf(ctx: DeskContext, user: User): number | null {
  return ctx.isAdmin(user) || ctx.config.team !== null ? null : user.userId;
}

/**
 * The terms `/search` looks for: each word's stem (the trigram index finds every form that
 * holds it), words shorter than three letters left out (the index cannot look them up).
 */
export function searchTerms(query: string): string[] {
  const terms = words(query).map((w) => {
    const s = stem(w);
    return s.length >= 3 ? s : w;
  }).filter((s) => s.length >= 3);
  return [...new Set(terms)];
}

/** `/search <words>`: messages in the tickets the user may see, newest first. */
export function search(ctx: DeskContext, user: User, request: CommandRequest): void {
  if (!ctx.config.search) return ctx.say(user, (t) => t.knowledge.searchOff);
  const terms = searchTerms(request.args);
  if (terms.length === 0) return ctx.say(user, (t) => t.knowledge.searchUsage);
  const found = ctx.store.searchMessages(terms, viewerOf(ctx, user), SEARCH_LIMIT);
  const asked = request.args.trim();
  if (found.length === 0) return ctx.say(user, (t) => t.knowledge.searchNone(asked));
  const lines = found.map((f) => ({
    ticket: ticketNumber(f.ticketId),
    client: nameOf(ctx.user(f.clientId)),
    at: formatTime(f.at, ctx.config.timeZone),
    snippet: snippetOf(f.text, terms),
  }));
  ctx.say(user, (t) => t.knowledge.searchResults(lines, lines[0].ticket.replace("#", "")));
}

/** How many characters of a found message are shown on each side of the word found. */
const AROUND = 60;

/** A line of `text` around the first of `terms` it holds, cut at words, with … where cut. */
export function snippetOf(text: string, terms: readonly string[]): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const lower = flat.toLowerCase().replaceAll("ё", "е");
  const at = Math.max(0, Math.min(...terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0)));
  let start = Math.max(0, at - AROUND);
  let end = Math.min(flat.length, at + AROUND);
  if (start > 0) start = flat.indexOf(" ", start) + 1 || start;
  if (end < flat.length) end = flat.lastIndexOf(" ", end) > at ? flat.lastIndexOf(" ", end) : end;
  return `${start > 0 ? "…" : ""}${flat.slice(start, end)}${end < flat.length ? "…" : ""}`;
}

/** The ticket a `/history` argument names (`T-000123`, `#T-123`, `123`), if it names one. */
export function ticketNamed(args: string): number | undefined {
  const m = /^#?(?:t-?)?(\d{1,12})$/i.exec(args.trim());
  return m ? Number(m[1]) : undefined;
}
