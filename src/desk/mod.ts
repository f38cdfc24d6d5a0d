/**
 * The help desk's events. Each event is one database transaction that changes users,
 * tickets and messages and writes, in the same transaction, every delivery it causes
 * (see `delivery.ts`). Nothing here talks to Telegram.
 *
 * @module
 */
import { timingSafeEqual } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import type { MessageEntity } from "grammy/types";
import { formatOpening, isOpen, nextOpening } from "../business_hours.ts";
import type { Config } from "../config.ts";
import type { Language } from "../texts/mod.ts";
import { transaction } from "../store/db.ts";
import { compareAgents, isFree, isOnline } from "../matchmaking.ts";
import {
  agentToClient,
  type ApiCall,
  CAPTIONED,
  clientToAgent,
  MAX_CAPTION,
  MAX_TEXT,
  type MessageContent,
  signText,
} from "../relay.ts";
import { agentStats, teamStats } from "../reports/stats.ts";
import {
  type ClosedBy,
  type Message,
  type Role,
  Store,
  type Ticket,
  type User,
} from "../store/mod.ts";
import { stars, type Texts, texts, ticketNumber } from "../texts/mod.ts";
import { addDays, parseLocalDate } from "../time.ts";

/** Who sent an update, as Telegram tells it. */
export interface Person {
  readonly userId: number;
  readonly username: string | null;
  readonly fullName: string;
  readonly language: Language;
}

/** A message a user wrote to the bot (or a new version of one, when edited). */
export interface Incoming {
  readonly chatMessageId: number;
  readonly content: MessageContent;
  /** The message (in the same chat) this one replies to. */
  readonly replyTo?: number | null;
}

/** An inline button pressed by a user. */
export interface ButtonPress {
  /** The callback query's id, to answer it. */
  readonly queryId: string;
  readonly data: string;
  /** The bot message carrying the button, in the user's chat. */
  readonly chatMessageId: number | null;
}

/** Wrong `/register_support` tries allowed before a lock. */
export const REGISTER_MAX_FAILURES = 5;
/** How long a user is locked out after too many wrong tries. */
export const REGISTER_LOCK_MS = 15 * 60_000;
/** How long after rating the client's next text is taken as the rating's comment. */
export const COMMENT_WINDOW_MS = 10 * 60_000;
/** Saved replies an agent may keep (they are listed as buttons). */
export const CANNED_MAX = 50;
/** Longest saved reply. */
export const CANNED_MAX_TEXT = 4000;
/** Free agents offered as transfer buttons. */
const TRANSFER_CHOICES = 20;
/** Lines in `/agents` and `/queue`. */
const LIST_LINES = 50;
/** Longest export range, in days. */
const EXPORT_MAX_DAYS = 366;
/** How long handled update ids are remembered (Telegram keeps updates for 24 hours). */
const HANDLED_TTL_MS = 48 * 3600_000;

/**
 * Whether a reply to "what is your name?" looks like a name rather than a question:
 * one line, at most four words and 64 characters, with a letter and no question mark.
 */
export function looksLikeName(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && t.length <= 64 && !/[\n?/]/.test(t) &&
    t.split(/\s+/).length <= 4 && /\p{L}/u.test(t);
}

/** Compares two secrets in time that does not depend on where they differ. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  // Compare equal-length buffers always, so the length check leaks no timing either.
  const padded = new Uint8Array(b.length);
  padded.set(a.subarray(0, b.length));
  return timingSafeEqual(padded, b) && a.length === b.length;
}

/** What a `/canned` command asks for. */
export type CannedRequest =
  | { readonly action: "list" }
  | { readonly action: "add"; readonly name: string; readonly text: string }
  | { readonly action: "del"; readonly name: string }
  | { readonly action: "usage" };

/** Reads the arguments of `/canned`. */
export function parseCanned(args: string): CannedRequest {
  const trimmed = args.trim();
  if (trimmed === "") return { action: "list" };
  const add = /^add\s+(\S+)\s+([\s\S]+)$/i.exec(trimmed);
  if (add) return { action: "add", name: add[1], text: add[2].trim() };
  const del = /^(?:del|delete|rm)\s+(\S+)$/i.exec(trimmed);
  if (del) return { action: "del", name: del[1] };
  return { action: "usage" };
}

/** Whether a saved reply's name is acceptable: one word of letters, digits, - or _. */
export function validCannedName(name: string): boolean {
  return /^[\p{L}\p{N}_-]{1,32}$/u.test(name);
}

/** A button: its label and callback data. */
type Button = { readonly text: string; readonly callback_data: string };

function keyboard(rows: readonly (readonly Button[])[]): Record<string, unknown> {
  return { reply_markup: { inline_keyboard: rows } };
}

/** The help desk: every event a user can cause, as one transaction each. */
export class Desk {
  readonly store: Store;
  readonly #config: Config;
  readonly #now: () => number;
  /** Called after each transaction that wrote deliveries. */
  onDeliveries: () => void = () => {};
  /**
   * Whether the events of updates share one transaction until {@link Desk.flush} (long
   * polling: the bot flushes before `getUpdates` tells Telegram they are handled). Off, each
   * event commits on its own (webhook mode, where the answer says the update is handled).
   */
  batchUpdates = false;
  #batchOpen = false;

  constructor(db: DatabaseSync, config: Config, now: () => number = Date.now) {
    this.store = new Store(db);
    this.#config = config;
    this.#now = now;
  }

  /**
   * Runs one event's work in a transaction, at most once per update id: an update that was
   * handled already (Telegram handing it out again after a crash) changes nothing.
   */
  #event(updateId: number | null, work: (now: number) => void): void {
    if (this.#batchOpen || (this.batchUpdates && updateId !== null)) {
      return this.#batched(updateId, work);
    }
    const handled = transaction(this.store.db, () => {
      const now = this.#now();
      if (updateId !== null && !this.store.markHandled(updateId, now)) return false;
      work(now);
      return true;
    });
    if (handled) this.onDeliveries();
  }

  /**
   * An event inside the open batch transaction, under a savepoint of its own: a failing event
   * leaves no trace, the others stay. Committed by {@link Desk.flush}.
   */
  #batched(updateId: number | null, work: (now: number) => void): void {
    const db = this.store.db;
    if (!this.#batchOpen) {
      db.exec("BEGIN IMMEDIATE");
      this.#batchOpen = true;
    }
    db.exec("SAVEPOINT event");
    try {
      const now = this.#now();
      if (updateId === null || this.store.markHandled(updateId, now)) work(now);
      db.exec("RELEASE event");
    } catch (error) {
      db.exec("ROLLBACK TO event");
      db.exec("RELEASE event");
      throw error;
    }
  }

  /** Whether events wait in the open batch transaction (nothing of it may be sent yet). */
  get batchOpen(): boolean {
    return this.#batchOpen;
  }

  /**
   * Commits the batch of events handled since the last flush, then lets the sender look at
   * what they wrote. Called before Telegram is told the updates are handled.
   */
  flush(): void {
    if (!this.#batchOpen) return;
    this.#batchOpen = false;
    const db = this.store.db;
    try {
      db.exec("COMMIT");
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
    this.onDeliveries();
  }

  /** An event caused by a user: saves or refreshes them first (an agent is online from now). */
  #userEvent(
    updateId: number,
    person: Person,
    work: (user: User, isNew: boolean) => void,
  ): void {
    this.#event(updateId, (now) => {
      const p = person;
      const known = this.store.getUser(p.userId);
      if (!known) {
        this.store.insertUser(p, false, now);
        return work(this.#user(p.userId), true);
      }
      const changed = known.username !== p.username || known.fullName !== p.fullName ||
        known.language !== p.language;
      if (changed) this.store.updateProfile(p.userId, p.username, p.fullName, p.language);
      if (known.isAgent) this.store.setLastOnline(p.userId, now);
      // The user as now stored, without reading the row again.
      work(
        changed || known.isAgent
          ? {
            ...known,
            username: p.username,
            fullName: p.fullName,
            language: p.language,
            lastOnline: known.isAgent ? now : known.lastOnline,
          }
          : known,
        false,
      );
    });
  }

  #call(chatId: number, call: ApiCall, messageId: number | null = null): void {
    this.store.insertDelivery(chatId, call.method, call.params, messageId, this.#now());
  }

  /**
   * Answers a command of a banned user: not at all. A banned client is told nothing, not
   * even that they are banned; true when the user is banned (and nothing was said).
   */
  #silenced(user: User): boolean {
    return user.bannedAt !== null;
  }

  /** Sends `user` a text in their language, with extra parameters (buttons) when given. */
  #say(user: User, text: (t: Texts) => string, extra: Record<string, unknown> = {}): void {
    this.#call(user.userId, {
      method: "sendMessage",
      params: { chat_id: user.userId, text: text(texts(user.language)), ...extra },
    });
  }

  /** Answers a button press (the small notice over the chat), with a text when given. */
  #answer(user: User, press: ButtonPress, text?: (t: Texts) => string): void {
    this.#call(user.userId, {
      method: "answerCallbackQuery",
      params: {
        callback_query_id: press.queryId,
        ...(text ? { text: text(texts(user.language)) } : {}),
      },
    });
  }

  /** Removes the buttons from the message that carried them. */
  #dropButtons(user: User, press: ButtonPress): void {
    if (press.chatMessageId === null) return;
    this.#call(user.userId, {
      method: "editMessageReplyMarkup",
      params: {
        chat_id: user.userId,
        message_id: press.chatMessageId,
        reply_markup: { inline_keyboard: [] },
      },
    });
  }

  #user(userId: number): User {
    return this.store.getUser(userId)!;
  }

  /** The name a client is shown by: the one they gave, else Telegram's. */
  #name(user: User): string {
    return user.name ?? user.fullName;
  }

  #isAdmin(user: User): boolean {
    return this.#config.adminIds.has(user.userId);
  }

  /** Whether the desk is within business hours at `now` (always, when none are set). */
  #deskOpen(now: number): boolean {
    const hours = this.#config.businessHours;
    return hours === null || isOpen(hours, this.#config.timeZone, now);
  }

  #ticket(user: User): Ticket | undefined {
    return user.currentTicketId ? this.store.getTicket(user.currentTicketId) : undefined;
  }

  /** The close button a client gets with their ticket. */
  #closeButton(client: User, ticketId: number): Record<string, unknown> {
    return keyboard([[{
      text: texts(client.language).closeButton,
      callback_data: `close:${ticketId}`,
    }]]);
  }

  // ---- events ----

  /** `/start`: greets; a new user is asked for their name once. */
  start(updateId: number, person: Person): void {
    this.#userEvent(updateId, person, (u) => {
      if (this.#silenced(u)) return;
      if (u.isAgent) return this.#say(u, (t) => t.agentHelp);
      if (this.#isAdmin(u)) return this.#say(u, (t) => t.adminHelp);
      if (u.name === null && !u.awaitingName && this.store.ticketsOfClient(u.userId).length === 0) {
        this.store.setAwaitingName(u.userId, true);
        return this.#say(u, (t) => `${t.greetingNew}\n\n${t.askName}`);
      }
      const ticket = this.#ticket(u);
      if (ticket?.status === "queued" && u.bannedAt === null) {
        return this.#say(u, (t) => t.stillQueued(this.store.queuePosition(ticket)));
      }
      this.#say(u, (t) => u.awaitingName ? t.askName : t.greetingBack(this.#name(u)));
    });
  }

  /** Any message that is not a command. */
  message(updateId: number, person: Person, incoming: Incoming): void {
    this.#userEvent(updateId, person, (u, isNew) => {
      if (u.isAgent) return this.#agentWrote(u, incoming);
      this.#clientWrote(u, incoming, isNew);
    });
  }

  #clientWrote(client: User, incoming: Incoming, isNew: boolean): void {
    const now = this.#now();
    const text = incoming.content.kind === "text" ? incoming.content.text ?? "" : "";
    if (client.awaitingName) {
      this.store.setAwaitingName(client.userId, false);
      if (looksLikeName(text)) {
        const name = text.trim();
        this.store.setName(client.userId, name);
        return this.#say(client, (t) => t.nameSaved(name));
      }
      // Not a name: the client went straight to their question. Serve it under Telegram's name.
    }
    if (client.commentTicketId !== null) {
      this.store.setCommentTicket(client.userId, null, null);
      if (text.trim() !== "" && (client.commentUntil ?? 0) > now) {
        return this.#comment(client, client.commentTicketId, text.trim());
      }
    }
    let ticket = this.#ticket(client);
    const opened = !ticket;
    if (!ticket) {
      const previous = this.store.lastTicketOfClient(client.userId);
      const id = this.store.createTicket(client.userId, now, previous?.id ?? null);
      this.store.setCurrentTicket(client.userId, id);
      ticket = this.store.getTicket(id)!;
      // A banned client is not told anything: their messages are kept, never passed on.
      if (client.bannedAt === null) {
        // Telegram makes new users press "Start" (/start) first, where the name is asked; one
        // who wrote without it is served under their Telegram name rather than held up.
        const number = ticketNumber(id);
        this.#say(
          client,
          (t) =>
            `${isNew ? t.greetingNew : t.greetingTicket(this.#name(client))} ${
              t.ticketOpened(number)
            }`,
        );
      }
    }
    const replyTo = this.#replyTarget(client.userId, incoming.replyTo);
    if (ticket.status === "open" && ticket.agentId !== null && client.bannedAt === null) {
      // In a dialog: saved and passed on at once (the copy's layout is known before saving).
      const calls = this.#relayCalls(client, ticket.agentId, {
        content: incoming.content,
        chatMessageId: incoming.chatMessageId,
        replyTo: replyTo?.ticketId === ticket.id ? replyTo : undefined,
      });
      const id = this.#save(ticket, client, "client", incoming, replyTo, now, calls.length === 1);
      for (const call of calls) this.#call(ticket.agentId, call, id);
      return;
    }
    this.#save(ticket, client, "client", incoming, replyTo, now);
    if (client.bannedAt !== null) return;
    if (!this.#deskOpen(now)) {
      if (!opened) return;
      const hours = this.#config.businessHours!;
      const opens = nextOpening(hours, this.#config.timeZone, now) ?? now;
      const custom = this.#config.offlineMessage[client.language];
      return this.#say(
        client,
        (t) => {
          const when = formatOpening(opens, this.#config.timeZone, client.language);
          return custom ? custom.replaceAll("{opens}", when) : t.offline(when);
        },
        this.#closeButton(client, ticket.id),
      );
    }
    // A ticket just opened (or one that waits): find an agent, else tell the queue place once.
    if (!this.#tryAssign(ticket) && opened) {
      this.#say(
        client,
        (t) => t.queued(this.store.queuePosition(ticket)),
        this.#closeButton(client, ticket.id),
      );
    }
  }

  #agentWrote(agent: User, incoming: Incoming): void {
    const ticket = this.#ticket(agent);
    if (!ticket || ticket.status !== "open") {
      return this.#say(agent, (t) => t.agentNoDialog(this.store.queueLength()));
    }
    const now = this.#now();
    const replyTo = this.#replyTarget(agent.userId, incoming.replyTo);
    const messageId = this.#save(ticket, agent, "agent", incoming, replyTo, now);
    if (ticket.firstResponseAt === null) this.store.setFirstResponse(ticket.id, now);
    const target = replyTo ? this.#idInChat(replyTo, ticket.clientId) : null;
    this.#call(
      ticket.clientId,
      agentToClient(
        { chatId: agent.userId, messageId: incoming.chatMessageId },
        ticket.clientId,
        target,
      ),
      messageId,
    );
  }

  /** The saved message shown as `chatMessageId` in the chat of `userId`, for a reply. */
  #replyTarget(userId: number, chatMessageId: number | null | undefined): Message | undefined {
    if (!chatMessageId) return undefined;
    return this.store.messageInChat(userId, chatMessageId);
  }

  /** The id a saved message has in chat `chatId`: the original or its copy, if there. */
  #idInChat(m: Message, chatId: number): number | null {
    if (m.senderId === chatId && m.chatMessageId > 0) return m.chatMessageId;
    if (m.copyChatId === chatId) return m.copyMessageId;
    return null;
  }

  /** Saves a message of a ticket, written by `sender` in their chat. */
  #save(
    ticket: Ticket,
    sender: User,
    role: Role,
    incoming: Incoming,
    replyTo: Message | undefined,
    now: number,
    signedInline: boolean | null = null,
  ): number {
    const { content } = incoming;
    return this.store.insertMessage({
      ticketId: ticket.id,
      clientId: ticket.clientId,
      agentId: role === "agent" ? sender.userId : ticket.agentId,
      senderId: sender.userId,
      senderRole: role,
      kind: content.kind,
      text: content.text,
      entities: content.entities ? JSON.stringify(content.entities) : null,
      fileId: content.fileId,
      chatMessageId: incoming.chatMessageId,
      replyToId: replyTo && replyTo.ticketId === ticket.id ? replyTo.id : null,
      signedInline,
      createdAt: now,
    });
  }

  /** The calls that carry a client's message to the agent, signed with the client's name. */
  #relayCalls(
    client: User,
    agentId: number,
    m: { content: MessageContent; chatMessageId: number; replyTo: Message | undefined },
  ): ApiCall[] {
    const source = { chatId: client.userId, messageId: m.chatMessageId };
    const replyTo = m.replyTo ? this.#idInChat(m.replyTo, agentId) : null;
    return clientToAgent(m.content, source, agentId, this.#name(client), replyTo);
  }

  /** Carries a client's saved message (one written while waiting) to the agent. */
  #relayToAgent(client: User, agentId: number, m: Message): void {
    const calls = this.#relayCalls(client, agentId, {
      content: contentOf(m),
      chatMessageId: m.chatMessageId,
      replyTo: m.replyToId ? this.store.getMessage(m.replyToId) : undefined,
    });
    this.store.setSignedInline(m.id, calls.length === 1);
    for (const call of calls) this.#call(agentId, call, m.id);
  }

  /** Gives the ticket to the best free agent (not `except`), if there is one. */
  #tryAssign(ticket: Ticket, except = 0): boolean {
    const now = this.#now();
    if (!this.#deskOpen(now)) return false;
    const agent = this.store.pickFreeAgent(now, this.#config.onlineWindowMs, except);
    if (!agent) return false;
    this.#assign(ticket, this.#user(agent.userId));
    return true;
  }

  /** Binds ticket and agent; the agent gets the client's name and all the client wrote. */
  #assign(ticket: Ticket, agent: User): void {
    const now = this.#now();
    this.store.assignTicket(ticket.id, agent.userId, now);
    this.store.setCurrentTicket(agent.userId, ticket.id);
    const client = this.#user(ticket.clientId);
    const waiting = this.store.clientMessagesOfTicket(ticket.id);
    const previous = ticket.previousTicketId ? ticketNumber(ticket.previousTicketId) : null;
    const number = ticketNumber(ticket.id);
    this.#say(
      agent,
      (t) => t.agentNewClient(this.#name(client), number, waiting.length, previous),
    );
    for (const m of waiting) this.#relayToAgent(client, agent.userId, m);
    this.#say(client, (t) => t.connected(number), this.#closeButton(client, ticket.id));
  }

  /** An agent became free: the oldest queued ticket (but `except`) goes to them. */
  #agentFreed(agentId: number, except = 0): void {
    const agent = this.#user(agentId);
    if (!agent.isAgent || !agent.isAvailable || agent.currentTicketId !== null) return;
    if (!this.#deskOpen(this.#now())) return;
    const next = this.store.oldestQueued(except);
    if (next) this.#assign(next, agent);
  }

  /**
   * Closes a ticket; the client and the agent are told according to `why`, the client is
   * asked to rate an answered ticket, and the agent is freed and takes the next client.
   */
  #close(ticket: Ticket, by: ClosedBy, why: "agent" | "client" | "left" | "banned"): void {
    const now = this.#now();
    this.store.closeTicket(ticket.id, now, by);
    const client = this.#user(ticket.clientId);
    const number = ticketNumber(ticket.id);
    if (client.currentTicketId === ticket.id) this.store.setCurrentTicket(client.userId, null);
    if (why === "agent" || why === "client") {
      const rate = ticket.agentId !== null && client.bannedAt === null;
      const closed = (t: Texts) =>
        why === "agent" ? t.ticketClosed(number) : t.closedByClient(number);
      this.#say(
        client,
        (t) => rate ? `${closed(t)}\n\n${t.rateAsk}` : closed(t),
        rate
          ? keyboard([[1, 2, 3, 4, 5].map((n) => ({
            text: `${n}⭐`,
            callback_data: `rate:${ticket.id}:${n}`,
          }))])
          : {},
      );
    }
    if (ticket.agentId !== null) {
      this.store.endAgentDialog(ticket.agentId, now);
      const agent = this.#user(ticket.agentId);
      const name = this.#name(client);
      this.#say(agent, (t) => {
        switch (why) {
          case "agent":
            return t.endChatDone(name, number);
          case "client":
            return t.agentClientClosed(name, number);
          case "banned":
            return t.agentClientBanned(name, number);
          default:
            return t.agentClientLeft(name, number);
        }
      });
      this.#agentFreed(ticket.agentId);
    }
  }

  /**
   * Takes an agent off their ticket (they became unreachable or lost the role): the client
   * is told and goes to another agent, or back to the queue.
   */
  #unassign(agent: User, ticket: Ticket): User | undefined {
    this.store.endAgentDialog(agent.userId, this.#now());
    this.store.requeueTicket(ticket.id);
    const client = this.#user(ticket.clientId);
    this.#say(client, (t) => t.clientMoved);
    const requeued = this.store.getTicket(ticket.id)!;
    if (!this.#tryAssign(requeued, agent.userId)) {
      this.#say(client, (t) => t.queued(this.store.queuePosition(requeued)));
      return undefined;
    }
    return this.#user(this.store.getTicket(ticket.id)!.agentId!);
  }

  /** `/register_support <token>`. */
  register(updateId: number, person: Person, token: string, chatMessageId: number): void {
    this.#userEvent(updateId, person, (u) => {
      const now = this.#now();
      // The token must not stay in the chat, right or wrong.
      if (token) {
        this.#call(u.userId, {
          method: "deleteMessage",
          params: { chat_id: u.userId, message_id: chatMessageId },
        });
      }
      if (u.isAgent) return this.#say(u, (t) => t.registerAlready);
      if (u.registerLockedUntil !== null && u.registerLockedUntil > now) {
        const minutes = Math.ceil((u.registerLockedUntil - now) / 60_000);
        return this.#say(u, (t) => t.registerLocked(minutes));
      }
      if (!token) return this.#say(u, (t) => t.registerMissing);
      if (!secretsEqual(token, this.#config.supportToken)) {
        const failures = u.registerFailures + 1;
        if (failures >= REGISTER_MAX_FAILURES) {
          this.store.setRegisterFailures(u.userId, 0, now + REGISTER_LOCK_MS);
          return this.#say(u, (t) => t.registerLocked(Math.ceil(REGISTER_LOCK_MS / 60_000)));
        }
        this.store.setRegisterFailures(u.userId, failures, null);
        return this.#say(u, (t) => t.registerWrong);
      }
      if (u.currentTicketId !== null) {
        this.#close(this.store.getTicket(u.currentTicketId)!, "client", "left");
        this.#say(u, (t) => t.registerHasTicket);
      }
      if (u.bannedAt !== null) this.store.setBanned(u.userId, null);
      this.store.makeAgent(u.userId, now);
      this.#call(u.userId, commandsCall(u.userId, u.language, true, this.#isAdmin(u)));
      this.#say(u, (t) => t.registerOk);
      this.#agentFreed(u.userId);
    });
  }

  /** `/available`: toggles the agent's flag; turning it on takes the next queued client. */
  toggleAvailable(updateId: number, person: Person): void {
    this.#agentCommand(updateId, person, (agent) => {
      const available = !agent.isAvailable;
      this.store.setAvailable(agent.userId, available);
      this.#say(
        agent,
        (t) =>
          available
            ? t.availableOn
            : agent.currentTicketId
            ? t.availableOffInDialog
            : t.availableOff,
      );
      if (available) this.#agentFreed(agent.userId);
    });
  }

  /** `/end_chat`: closes the agent's ticket. */
  endChat(updateId: number, person: Person): void {
    this.#agentCommand(updateId, person, (agent) => {
      const ticket = this.#ticket(agent);
      if (!ticket) return this.#say(agent, (t) => t.noDialog);
      this.#close(ticket, "agent", "agent");
    });
  }

  /** `/close`: a client closes their own ticket (an agent's `/close` is `/end_chat`). */
  close(updateId: number, person: Person): void {
    this.#userEvent(updateId, person, (user) => {
      if (this.#silenced(user)) return;
      const ticket = this.#ticket(user);
      if (user.isAgent) {
        return ticket ? this.#close(ticket, "agent", "agent") : this.#say(user, (t) => t.noDialog);
      }
      if (!ticket) return this.#say(user, (t) => t.nothingToClose);
      this.#close(ticket, "client", "client");
    });
  }

  /** `/history [html]`: the current client's history, as a file (built when it is sent). */
  history(updateId: number, person: Person, args: string): void {
    this.#agentCommand(updateId, person, (agent) => {
      const format = args.trim().toLowerCase() || "txt";
      if (format !== "txt" && format !== "html") return this.#say(agent, (t) => t.historyUsage);
      const ticket = this.#ticket(agent);
      if (!ticket) return this.#say(agent, (t) => t.noDialog);
      this.#call(agent.userId, {
        method: HISTORY_METHOD,
        params: {
          chat_id: agent.userId,
          client_id: ticket.clientId,
          up_to: this.store.lastMessageId(),
          format,
        },
      });
    });
  }

  /** `/stats`: an agent's own figures; an admin's shows the whole team. */
  stats(updateId: number, person: Person): void {
    this.#userEvent(updateId, person, (user) => {
      const now = this.#now();
      const { onlineWindowMs: window, timeZone } = this.#config;
      if (!user.isAgent && !this.#isAdmin(user)) {
        return this.#silenced(user) || this.#say(user, (t) => t.agentOnly);
      }
      if (user.isAgent) {
        this.#say(
          user,
          (t) => t.stats(agentStats(this.store, user, now, window, timeZone, user.language)),
        );
      }
      if (this.#isAdmin(user)) {
        this.#say(user, (t) => t.teamStats(teamStats(this.store, now, timeZone, user.language)));
      }
    });
  }

  /** `/transfer`: offers the free agents (and the queue) as buttons. */
  transfer(updateId: number, person: Person): void {
    this.#agentCommand(updateId, person, (agent) => {
      const ticket = this.#ticket(agent);
      if (!ticket || ticket.status !== "open") return this.#say(agent, (t) => t.noDialog);
      const now = this.#now();
      const window = this.#config.onlineWindowMs;
      const free = this.store.freeAgents().filter((a) => a.userId !== agent.userId)
        .sort(compareAgents(now, window)).slice(0, TRANSFER_CHOICES);
      const number = ticketNumber(ticket.id);
      const rows: Button[][] = free.map((a) => [{
        text: this.#name(this.#user(a.userId)),
        callback_data: `transfer:${ticket.id}:${a.userId}`,
      }]);
      rows.push([{
        text: texts(agent.language).transferQueueButton,
        callback_data: `transfer:${ticket.id}:queue`,
      }]);
      this.#say(
        agent,
        (t) => free.length > 0 ? t.transferChoose(number) : t.transferNobody(number),
        keyboard(rows),
      );
    });
  }

  /** `/canned …`: lists, saves or deletes an agent's saved replies. */
  canned(updateId: number, person: Person, args: string): void {
    this.#agentCommand(updateId, person, (agent) => {
      const request = parseCanned(args);
      switch (request.action) {
        case "usage":
          return this.#say(agent, (t) => t.cannedUsage);
        case "list": {
          const replies = this.store.cannedOf(agent.userId);
          if (replies.length === 0) return this.#say(agent, (t) => t.cannedEmpty);
          return this.#say(
            agent,
            (t) => t.cannedList,
            keyboard(replies.map((r) => [{ text: r.name, callback_data: `canned:${r.id}` }])),
          );
        }
        case "del":
          return this.#say(
            agent,
            (t) =>
              this.store.deleteCanned(agent.userId, request.name)
                ? t.cannedDeleted(request.name)
                : t.cannedUnknown(request.name),
          );
        case "add": {
          if (!validCannedName(request.name)) return this.#say(agent, (t) => t.cannedBadName);
          if (request.text.length > CANNED_MAX_TEXT) {
            return this.#say(agent, (t) => t.cannedTooLong(CANNED_MAX_TEXT));
          }
          const exists = this.store.cannedOf(agent.userId).some((r) => r.name === request.name);
          if (!exists && this.store.cannedCount(agent.userId) >= CANNED_MAX) {
            return this.#say(agent, (t) => t.cannedTooMany(CANNED_MAX));
          }
          this.store.saveCanned(agent.userId, request.name, request.text, this.#now());
          return this.#say(agent, (t) => t.cannedSaved(request.name));
        }
      }
    });
  }

  /** An inline button pressed: closing, rating, skipping a comment, transfer, canned reply. */
  button(updateId: number, person: Person, press: ButtonPress): void {
    this.#userEvent(updateId, person, (user) => {
      const [action, a, b] = press.data.split(":");
      const id = Number(a);
      const ticket = Number.isSafeInteger(id) && id > 0 ? this.store.getTicket(id) : undefined;
      const stale = () => this.#answer(user, press, (t) => t.buttonStale);
      switch (action) {
        case "close":
          if (!ticket || ticket.clientId !== user.userId || ticket.status === "closed") break;
          if (user.currentTicketId !== ticket.id || user.bannedAt !== null) break;
          this.#answer(user, press);
          this.#dropButtons(user, press);
          return this.#close(ticket, "client", "client");
        case "rate":
          return this.#rate(user, press, ticket, Number(b));
        case "skip":
          if (!ticket || user.commentTicketId !== ticket.id) break;
          this.store.setCommentTicket(user.userId, null, null);
          this.#answer(user, press);
          this.#dropButtons(user, press);
          return this.#say(user, (t) => t.commentSkipped);
        case "transfer":
          if (!ticket || !user.isAgent || user.currentTicketId !== ticket.id) break;
          if (ticket.status !== "open") break;
          this.#answer(user, press);
          this.#dropButtons(user, press);
          return b === "queue"
            ? this.#transferToQueue(ticket, user)
            : this.#transferTo(ticket, user, Number(b));
        case "canned":
          return this.#sendCanned(user, press, id);
      }
      stale();
    });
  }

  #rate(client: User, press: ButtonPress, ticket: Ticket | undefined, rating: number): void {
    if (
      !ticket || ticket.clientId !== client.userId || ticket.status !== "closed" ||
      ticket.agentId === null || !Number.isInteger(rating) || rating < 1 || rating > 5
    ) return this.#answer(client, press, (t) => t.buttonStale);
    this.#dropButtons(client, press);
    if (!this.store.rateTicket(ticket.id, rating, this.#now())) {
      return this.#answer(client, press, (t) => t.rateAlready);
    }
    this.#answer(client, press);
    const shown = stars(rating);
    this.store.setCommentTicket(client.userId, ticket.id, this.#now() + COMMENT_WINDOW_MS);
    this.#say(
      client,
      (t) => t.rateThanks(shown),
      keyboard([[{
        text: texts(client.language).commentSkip,
        callback_data: `skip:${ticket.id}`,
      }]]),
    );
    const agent = this.#user(ticket.agentId);
    this.#say(agent, (t) => t.agentRated(this.#name(client), ticketNumber(ticket.id), shown));
  }

  /** A rating's comment: stored with the ticket and passed to its agent. */
  #comment(client: User, ticketId: number, comment: string): void {
    const ticket = this.store.getTicket(ticketId);
    if (!ticket || ticket.clientId !== client.userId) return;
    this.store.setRatingComment(ticketId, comment.slice(0, 2000));
    this.#say(client, (t) => t.commentThanks);
    if (ticket.agentId !== null) {
      const agent = this.#user(ticket.agentId);
      this.#say(
        agent,
        (t) => t.agentComment(this.#name(client), ticketNumber(ticketId), comment.slice(0, 2000)),
      );
    }
  }

  /** Hands an open ticket from one agent to another, free one. */
  #transferTo(ticket: Ticket, from: User, toId: number): void {
    const to = Number.isSafeInteger(toId) ? this.store.getUser(toId) : undefined;
    if (!to || to.userId === from.userId || !isFree(to)) {
      return this.#say(from, (t) => t.transferNotFree);
    }
    const now = this.#now();
    const client = this.#user(ticket.clientId);
    const number = ticketNumber(ticket.id);
    this.store.endAgentDialog(from.userId, now);
    this.store.assignTicket(ticket.id, to.userId, now);
    this.store.setCurrentTicket(to.userId, ticket.id);
    this.#say(from, (t) => t.transferDone(number, this.#name(to)));
    this.#say(to, (t) => t.transferIncoming(number, this.#name(client), this.#name(from)));
    this.#call(to.userId, {
      method: HISTORY_METHOD,
      params: {
        chat_id: to.userId,
        client_id: ticket.clientId,
        ticket_id: ticket.id,
        up_to: this.store.lastMessageId(),
        format: "txt",
      },
    });
    this.#say(client, (t) => t.transferredClient(number));
    this.#agentFreed(from.userId, ticket.id);
  }

  /** Sends an open ticket back to the queue; another agent than `from` may take it. */
  #transferToQueue(ticket: Ticket, from: User): void {
    const client = this.#user(ticket.clientId);
    const number = ticketNumber(ticket.id);
    this.store.endAgentDialog(from.userId, this.#now());
    this.store.requeueTicket(ticket.id);
    this.#say(from, (t) => t.transferQueued(number));
    this.#say(client, (t) => t.returnedToQueue(number));
    this.#tryAssign(this.store.getTicket(ticket.id)!, from.userId);
    this.#agentFreed(from.userId, ticket.id);
  }

  /** Sends a saved reply to the agent's client, as if the agent wrote it. */
  #sendCanned(agent: User, press: ButtonPress, cannedId: number): void {
    const reply = Number.isSafeInteger(cannedId) ? this.store.getCanned(cannedId) : undefined;
    const ticket = this.#ticket(agent);
    if (!reply || reply.agentId !== agent.userId || !agent.isAgent) {
      return this.#answer(agent, press, (t) => t.buttonStale);
    }
    if (!ticket || ticket.status !== "open") return this.#answer(agent, press, (t) => t.noDialog);
    const now = this.#now();
    const messageId = this.#save(
      ticket,
      agent,
      "agent",
      {
        chatMessageId: 0,
        content: { kind: "text", text: reply.text, entities: null, fileId: null },
      },
      undefined,
      now,
    );
    if (ticket.firstResponseAt === null) this.store.setFirstResponse(ticket.id, now);
    this.#call(ticket.clientId, {
      method: "sendMessage",
      params: { chat_id: ticket.clientId, text: reply.text },
    }, messageId);
    this.#answer(agent, press, (t) => t.cannedSent(reply.name));
  }

  /** An edited message: the history keeps both versions, and the copy is edited too. */
  edit(updateId: number, person: Person, incoming: Incoming): void {
    this.#userEvent(updateId, person, (user) => {
      const m = this.store.ownMessage(user.userId, incoming.chatMessageId);
      if (!m) return; // never saved (a command, or sent before the bot knew the user)
      const { content } = incoming;
      const entities = content.entities ? JSON.stringify(content.entities) : null;
      if (content.text === m.text && entities === m.entities) return;
      this.store.editMessage(m, content.text, entities, this.#now());
      const user_ = this.#user(user.userId);
      if (user_.bannedAt !== null) return;
      // The copy is where it was made; a message not passed on yet goes out in its new version.
      const chat = m.copyChatId ?? (m.senderRole === "client" ? m.agentId : m.clientId);
      if (chat === null) return;
      this.#call(chat, { method: EDIT_METHOD, params: { chat_id: chat, message_id: m.id } });
    });
  }

  /**
   * The Bot API call that brings the copy of message `messageId` up to date, or `undefined`
   * when there is no copy (yet) or the kind has no text to edit.
   */
  editCall(messageId: number): ApiCall | undefined {
    const m = this.store.getMessage(messageId);
    if (!m || m.copyMessageId === null || m.copyChatId === null) return undefined;
    const entities: MessageEntity[] | null = m.entities ? JSON.parse(m.entities) : null;
    const text = m.text ?? "";
    const client = this.store.getUser(m.clientId);
    const signed = m.senderRole === "client" && m.signedInline === true && client
      ? signText(this.#name(client), text, entities, m.kind === "text" ? MAX_TEXT : MAX_CAPTION)
      : undefined;
    const target = { chat_id: m.copyChatId, message_id: m.copyMessageId };
    if (m.kind === "text") {
      if (!signed && text === "") return undefined;
      return {
        method: "editMessageText",
        params: {
          ...target,
          text: signed?.text ?? text,
          entities: signed?.entities ?? entities ?? [],
        },
      };
    }
    if (!CAPTIONED.has(m.kind)) return undefined;
    return {
      method: "editMessageCaption",
      params: {
        ...target,
        caption: signed?.text ?? text,
        caption_entities: signed?.entities ?? entities ?? [],
      },
    };
  }

  // ---- admins ----

  /** `/agents`: every agent with their state. */
  agents(updateId: number, person: Person): void {
    this.#adminCommand(updateId, person, (admin) => {
      const now = this.#now();
      const list = this.store.agents(LIST_LINES);
      const total = this.store.agentsSummary().total;
      this.#say(admin, (t) =>
        t.agents(
          list.map((a) => ({
            id: a.userId,
            name: this.#name(a),
            username: a.username,
            state: a.currentTicketId !== null ? "busy" : a.isAvailable ? "available" : "away",
            online: isOnline(a, now, this.#config.onlineWindowMs),
            ticket: a.currentTicketId !== null ? ticketNumber(a.currentTicketId) : null,
          })),
          total - list.length,
        ));
    });
  }

  /** `/queue`: the tickets waiting, oldest first. */
  queue(updateId: number, person: Person): void {
    this.#adminCommand(updateId, person, (admin) => {
      const now = this.#now();
      const page = this.store.queuePage(LIST_LINES);
      const total = this.store.queueLength();
      this.#say(admin, (t) =>
        t.queue(
          page.map((q) => ({
            ticket: ticketNumber(q.id),
            client: q.clientName,
            waitingMinutes: Math.floor((now - q.openedAt) / 60_000),
            messages: q.messages,
          })),
          total - page.length,
        ));
    });
  }

  /** `/revoke <id or @username>`: the agent loses the role; their client goes back to the queue. */
  revoke(updateId: number, person: Person, args: string): void {
    this.#adminTarget(updateId, person, args, "revoke", (admin, target) => {
      if (!target.isAgent) return this.#say(admin, (t) => t.revokeNotAgent(this.#name(target)));
      const ticket = this.#ticket(target);
      this.store.revokeAgent(target.userId);
      const taker = ticket ? this.#unassign(target, ticket) : undefined;
      this.#say(target, (t) => t.revoked);
      this.#call(
        target.userId,
        commandsCall(target.userId, target.language, false, this.#isAdmin(target)),
      );
      const number = ticket ? ticketNumber(ticket.id) : null;
      const to = taker ? this.#name(taker) : null;
      this.#say(admin, (t) => t.revokeDone(this.#name(target), number, to));
    });
  }

  /** `/ban <id or @username>`: the client's messages are kept but no longer passed on. */
  ban(updateId: number, person: Person, args: string): void {
    this.#adminTarget(updateId, person, args, "ban", (admin, target) => {
      const name = this.#name(target);
      if (this.#isAdmin(target)) return this.#say(admin, (t) => t.banAdmin);
      if (target.isAgent) return this.#say(admin, (t) => t.banAgent(name));
      if (target.bannedAt !== null) return this.#say(admin, (t) => t.banAlready(name));
      this.store.setBanned(target.userId, this.#now());
      this.store.setCommentTicket(target.userId, null, null);
      const ticket = this.#ticket(target);
      if (ticket) this.#close(ticket, "system", "banned");
      this.#say(admin, (t) => t.banDone(name));
    });
  }

  /** `/unban <id or @username>`: what the client wrote while banned stays in the history. */
  unban(updateId: number, person: Person, args: string): void {
    this.#adminTarget(updateId, person, args, "unban", (admin, target) => {
      const name = this.#name(target);
      if (target.bannedAt === null) return this.#say(admin, (t) => t.unbanNotBanned(name));
      const held = this.#ticket(target);
      if (held) this.#close(held, "system", "left");
      this.store.setBanned(target.userId, null);
      this.#say(admin, (t) => t.unbanDone(name));
    });
  }

  /** `/export <from> <to>`: every message of those local days, as CSV. */
  export(updateId: number, person: Person, args: string): void {
    this.#adminCommand(updateId, person, (admin) => {
      const zone = this.#config.timeZone;
      const [fromText, toText, extra] = args.trim().split(/\s+/);
      const from = fromText ? parseLocalDate(fromText, zone) : undefined;
      const last = toText ? parseLocalDate(toText, zone) : undefined;
      const days = from !== undefined && last !== undefined ? daysBetween(fromText, toText) + 1 : 0;
      if (extra !== undefined || days < 1 || days > EXPORT_MAX_DAYS) {
        return this.#say(admin, (t) => t.exportUsage);
      }
      const to = parseLocalDate(addDays(toText, 1), zone)!;
      this.#call(admin.userId, {
        method: EXPORT_METHOD,
        params: { chat_id: admin.userId, from, to, from_date: fromText, to_date: toText },
      });
    });
  }

  /** A command the bot does not know. */
  unknownCommand(updateId: number, person: Person): void {
    this.#userEvent(updateId, person, (user) => {
      if (!this.#silenced(user)) this.#say(user, (t) => t.unknownCommand);
    });
  }

  #agentCommand(updateId: number, person: Person, work: (agent: User) => void): void {
    this.#userEvent(updateId, person, (user) => {
      if (!user.isAgent) return this.#silenced(user) || this.#say(user, (t) => t.agentOnly);
      work(user);
    });
  }

  #adminCommand(updateId: number, person: Person, work: (admin: User) => void): void {
    this.#userEvent(updateId, person, (user) => {
      if (!this.#isAdmin(user)) return this.#silenced(user) || this.#say(user, (t) => t.adminOnly);
      work(user);
    });
  }

  /** An admin command about one user, named by id or @username. */
  #adminTarget(
    updateId: number,
    person: Person,
    args: string,
    command: string,
    work: (admin: User, target: User) => void,
  ): void {
    this.#adminCommand(updateId, person, (admin) => {
      const who = args.trim().split(/\s+/)[0] ?? "";
      if (!who) return this.#say(admin, (t) => t.userUsage(command));
      const target = /^\d+$/.test(who)
        ? this.store.getUser(Number(who))
        : this.store.userByUsername(who.replace(/^@/, ""));
      if (!target) return this.#say(admin, (t) => t.userUnknown(who.slice(0, 64)));
      work(admin, target);
    });
  }

  // ---- events from time and delivery ----

  /** Hands waiting tickets to free agents while the desk is open (run now and then). */
  drainQueue(): void {
    this.#event(null, (now) => {
      if (!this.#deskOpen(now)) return;
      for (;;) {
        const next = this.store.oldestQueued();
        const agent = this.store.pickFreeAgent(now, this.#config.onlineWindowMs);
        if (!next || !agent) return;
        this.#assign(next, this.#user(agent.userId));
      }
    });
  }

  /**
   * Telegram refused a chat for good (403: the user blocked the bot or is gone). An agent
   * is made unavailable and their client moves to another agent or back to the queue; a
   * client's ticket is closed and the agent told why.
   */
  chatUnreachable(delivery: { id: number; chatId: number }, reason: string): void {
    this.#event(null, (now) => {
      const chatId = delivery.chatId;
      this.store.markDelivery(delivery.id, "failed", reason, now);
      this.store.cancelPendingTo(chatId, reason, now);
      const user = this.store.getUser(chatId);
      if (!user) return;
      const ticket = this.#ticket(user);
      if (user.isAgent) {
        this.store.setAvailable(user.userId, false);
        if (ticket) this.#unassign(user, ticket);
      } else if (ticket) {
        this.#close(ticket, "system", "left");
      }
    });
  }

  /**
   * Telegram refused one delivery for good (400). When it carried a relayed message, its
   * sender is told; the dialog goes on.
   */
  deliveryRejected(delivery: { id: number; messageId: number | null }, reason: string): void {
    this.#event(null, (now) => {
      this.store.markDelivery(delivery.id, "failed", reason, now);
      if (delivery.messageId === null) return;
      const m = this.store.getMessage(delivery.messageId);
      if (!m) return;
      const sender = this.#user(m.senderId);
      const t = texts(sender.language);
      this.#call(sender.userId, {
        method: "sendMessage",
        params: {
          chat_id: sender.userId,
          text: t.notDelivered(t.history.kinds[m.kind] ?? m.kind),
          ...(m.chatMessageId > 0
            ? {
              reply_parameters: { message_id: m.chatMessageId, allow_sending_without_reply: true },
            }
            : {}),
        },
      });
    });
  }

  /** Records where a relayed message's copy landed on the other side. */
  delivered(messageId: number, chatId: number, copyMessageId: number): void {
    this.store.setCopy(messageId, chatId, copyMessageId);
  }

  /** Forgets handled update ids older than Telegram could hand out again. */
  prune(): void {
    this.store.pruneHandled(this.#now() - HANDLED_TTL_MS);
  }
}

/** Calendar days from one `YYYY-MM-DD` date to another (negative when `to` is earlier). */
function daysBetween(from: string, to: string): number {
  const utc = (date: string) => Date.parse(`${date}T00:00:00Z`);
  return Math.round((utc(to) - utc(from)) / (24 * 3600_000));
}

/** A saved message's content, as the relay rules take it. */
function contentOf(m: Message): MessageContent {
  return {
    kind: m.kind,
    text: m.text,
    entities: m.entities ? JSON.parse(m.entities) : null,
    fileId: m.fileId,
  };
}

/** The pseudo-method of a delivery that builds and sends a history file. */
export const HISTORY_METHOD = "sendHistory";
/** The pseudo-method of a delivery that builds and sends a CSV export. */
export const EXPORT_METHOD = "sendExport";
/** The pseudo-method of a delivery that edits the copy of an edited message. */
export const EDIT_METHOD = "editCopy";

/** The commands an agent sees. */
export function agentCommands(language: Language): { command: string; description: string }[] {
  const c = texts(language).commands;
  return [
    { command: "available", description: c.available },
    { command: "end_chat", description: c.endChat },
    { command: "transfer", description: c.transfer },
    { command: "canned", description: c.canned },
    { command: "history", description: c.history },
    { command: "stats", description: c.stats },
  ];
}

/** The commands an admin sees. */
export function adminCommands(language: Language): { command: string; description: string }[] {
  const c = texts(language).commands;
  return [
    { command: "agents", description: c.agents },
    { command: "queue", description: c.queue },
    { command: "stats", description: c.stats },
    { command: "revoke", description: c.revoke },
    { command: "ban", description: c.ban },
    { command: "unban", description: c.unban },
    { command: "export", description: c.export },
  ];
}

/**
 * The call that sets the menu in one user's chat: agent and admin commands as the user's
 * roles give, or back to the default menu when they have neither.
 */
export function commandsCall(
  chatId: number,
  language: Language,
  agent: boolean,
  admin: boolean,
): ApiCall {
  const scope = { type: "chat", chat_id: chatId };
  const commands = [
    ...(agent ? agentCommands(language) : []),
    ...(admin ? adminCommands(language).filter((c) => !agent || c.command !== "stats") : []),
  ];
  if (commands.length === 0) return { method: "deleteMyCommands", params: { scope } };
  return { method: "setMyCommands", params: { scope, commands } };
}
