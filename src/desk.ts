/**
 * The help desk's events. Each event is one database transaction that changes users,
 * tickets and messages and writes, in the same transaction, every delivery it causes
 * (see `delivery.ts`). Nothing here talks to Telegram.
 *
 * @module
 */
import { timingSafeEqual } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import type { Config, Language } from "./config.ts";
import { transaction } from "./db.ts";
import { agentToClient, type ApiCall, clientToAgent, type MessageContent } from "./relay.ts";
import { agentStats } from "./stats.ts";
import { type Role, Store, type Ticket, type User } from "./store.ts";
import { type Texts, texts } from "./texts.ts";

/** Who sent an update, as Telegram tells it. */
export interface Person {
  readonly userId: number;
  readonly username: string | null;
  readonly fullName: string;
  readonly language: Language;
}

/** A message a user wrote to the bot. */
export interface Incoming {
  readonly chatMessageId: number;
  readonly content: MessageContent;
}

/** Commands only agents may use. */
export const AGENT_COMMANDS = ["available", "end_chat", "history", "stats"] as const;

/** Wrong `/register_support` tries allowed before a lock. */
export const REGISTER_MAX_FAILURES = 5;
/** How long a user is locked out after too many wrong tries. */
export const REGISTER_LOCK_MS = 15 * 60_000;
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

/** The help desk: every event a user can cause, as one transaction each. */
export class Desk {
  readonly store: Store;
  readonly #config: Config;
  readonly #now: () => number;
  /** Called after each transaction that wrote deliveries. */
  onDeliveries: () => void = () => {};

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
    const handled = transaction(this.store.db, () => {
      const now = this.#now();
      if (updateId !== null && !this.store.markHandled(updateId, now)) return false;
      work(now);
      return true;
    });
    if (handled) this.onDeliveries();
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
      } else {
        if (
          known.username !== p.username || known.fullName !== p.fullName ||
          known.language !== p.language
        ) this.store.updateProfile(p.userId, p.username, p.fullName, p.language);
        if (known.isAgent) this.store.setLastOnline(p.userId, now);
      }
      work(this.#user(p.userId), !known);
    });
  }

  #call(chatId: number, call: ApiCall, messageId: number | null = null): void {
    this.store.insertDelivery(chatId, call.method, call.params, messageId, this.#now());
  }

  /** Sends `user` a text in their language. */
  #say(user: User, text: (t: Texts) => string): void {
    this.#call(user.userId, {
      method: "sendMessage",
      params: { chat_id: user.userId, text: text(texts(user.language)) },
    });
  }

  #user(userId: number): User {
    return this.store.getUser(userId)!;
  }

  /** The name a client is shown by: the one they gave, else Telegram's. */
  #name(user: User): string {
    return user.name ?? user.fullName;
  }

  // ---- events ----

  /** `/start`: greets; a new user is asked for their name once. */
  start(updateId: number, person: Person): void {
    this.#userEvent(updateId, person, (u) => {
      if (u.isAgent) return this.#say(u, (t) => t.agentHelp);
      if (u.name === null && !u.awaitingName && this.store.ticketsOfClient(u.userId).length === 0) {
        this.store.setAwaitingName(u.userId, true);
        return this.#say(u, (t) => `${t.greetingNew}\n\n${t.askName}`);
      }
      const ticket = u.currentTicketId ? this.store.getTicket(u.currentTicketId) : undefined;
      if (ticket?.status === "queued") {
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
    if (client.awaitingName) {
      this.store.setAwaitingName(client.userId, false);
      const text = incoming.content.kind === "text" ? incoming.content.text ?? "" : "";
      if (looksLikeName(text)) {
        const name = text.trim();
        this.store.setName(client.userId, name);
        return this.#say(client, (t) => t.nameSaved(name));
      }
      // Not a name: the client went straight to their question. Serve it under Telegram's name.
    }
    let ticket = client.currentTicketId ? this.store.getTicket(client.currentTicketId) : undefined;
    const opened = !ticket;
    if (!ticket) {
      // Telegram makes new users press "Start" (/start) first, where the name is asked; one
      // who wrote without it is served under their Telegram name rather than held up.
      this.#say(client, (t) => isNew ? t.greetingNew : t.greetingTicket(this.#name(client)));
      const id = this.store.createTicket(client.userId, now);
      this.store.setCurrentTicket(client.userId, id);
      ticket = this.store.getTicket(id)!;
    }
    const messageId = this.#save(ticket, client, "client", incoming, now);
    if (ticket.status === "open" && ticket.agentId !== null) {
      return this.#relayToAgent(
        client,
        ticket.agentId,
        incoming.content,
        incoming.chatMessageId,
        messageId,
      );
    }
    // A ticket just opened (or one that waits): find an agent, else tell the queue place once.
    if (!this.#tryAssign(ticket) && opened) {
      this.#say(client, (t) => t.queued(this.store.queuePosition(ticket)));
    }
  }

  #agentWrote(agent: User, incoming: Incoming): void {
    const ticket = agent.currentTicketId ? this.store.getTicket(agent.currentTicketId) : undefined;
    if (!ticket || ticket.status !== "open") {
      return this.#say(agent, (t) => t.agentNoDialog(this.store.queueLength()));
    }
    const messageId = this.#save(ticket, agent, "agent", incoming, this.#now());
    this.#call(
      ticket.clientId,
      agentToClient({ chatId: agent.userId, messageId: incoming.chatMessageId }, ticket.clientId),
      messageId,
    );
  }

  /** Saves a message of a ticket, written by `sender` in their chat. */
  #save(ticket: Ticket, sender: User, role: Role, incoming: Incoming, now: number): number {
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
      createdAt: now,
    });
  }

  /** Carries a client's saved message to the agent, signed with the client's name. */
  #relayToAgent(
    client: User,
    agentId: number,
    content: MessageContent,
    chatMessageId: number,
    messageId: number,
  ): void {
    const source = { chatId: client.userId, messageId: chatMessageId };
    for (const call of clientToAgent(content, source, agentId, this.#name(client))) {
      this.#call(agentId, call, messageId);
    }
  }

  /** Gives the ticket to the best free agent, if there is one. */
  #tryAssign(ticket: Ticket): boolean {
    const agent = this.store.pickFreeAgent(this.#now(), this.#config.onlineWindowMs);
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
    this.#say(agent, (t) => t.agentNewClient(this.#name(client), ticket.id, waiting.length));
    for (const m of waiting) {
      const content: MessageContent = {
        kind: m.kind,
        text: m.text,
        entities: m.entities ? JSON.parse(m.entities) : null,
        fileId: m.fileId,
      };
      this.#relayToAgent(client, agent.userId, content, m.chatMessageId, m.id);
    }
    this.#say(client, (t) => t.connected);
  }

  /** An agent became free: the oldest queued ticket goes to them. */
  #agentFreed(agentId: number): void {
    const agent = this.#user(agentId);
    if (!agent.isAgent || !agent.isAvailable || agent.currentTicketId !== null) return;
    const next = this.store.oldestQueued();
    if (next) this.#assign(next, agent);
  }

  /** Closes a ticket; the client is told, the agent is freed and takes the next client. */
  #close(ticket: Ticket, by: "agent" | "client" | "system", tellClient: boolean): void {
    const now = this.#now();
    this.store.closeTicket(ticket.id, now, by);
    const client = this.#user(ticket.clientId);
    if (client.currentTicketId === ticket.id) this.store.setCurrentTicket(client.userId, null);
    if (tellClient) this.#say(client, (t) => t.ticketClosed);
    if (ticket.agentId !== null) {
      this.store.endAgentDialog(ticket.agentId, now);
      const agent = this.#user(ticket.agentId);
      this.#say(
        agent,
        (t) =>
          by === "agent"
            ? t.endChatDone(this.#name(client))
            : t.agentClientLeft(this.#name(client)),
      );
      this.#agentFreed(ticket.agentId);
    }
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
        this.#close(this.store.getTicket(u.currentTicketId)!, "client", false);
        this.#say(u, (t) => t.registerHasTicket);
      }
      this.store.makeAgent(u.userId, now);
      this.#call(u.userId, agentCommandsCall(u.userId, u.language));
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
      const ticket = agent.currentTicketId
        ? this.store.getTicket(agent.currentTicketId)
        : undefined;
      if (!ticket) return this.#say(agent, (t) => t.noDialog);
      this.#close(ticket, "agent", true);
    });
  }

  /** `/history`: the current client's history, as a file (built when it is sent). */
  history(updateId: number, person: Person): void {
    this.#agentCommand(updateId, person, (agent) => {
      const ticket = agent.currentTicketId
        ? this.store.getTicket(agent.currentTicketId)
        : undefined;
      if (!ticket) return this.#say(agent, (t) => t.noDialog);
      this.#call(agent.userId, {
        method: HISTORY_METHOD,
        params: {
          chat_id: agent.userId,
          client_id: ticket.clientId,
          up_to: this.store.lastMessageId(),
        },
      });
    });
  }

  /** `/stats`: the agent's figures. */
  stats(updateId: number, person: Person): void {
    this.#agentCommand(updateId, person, (agent) => {
      const view = agentStats(this.store, agent, this.#now(), this.#config.onlineWindowMs);
      this.#say(agent, (t) => t.stats(view));
    });
  }

  /** A command the bot does not know, or an agent command from a client. */
  unknownCommand(updateId: number, person: Person, command: string): void {
    this.#userEvent(updateId, person, (user) => {
      const agentOnly = (AGENT_COMMANDS as readonly string[]).includes(command);
      this.#say(user, (t) => agentOnly && !user.isAgent ? t.agentOnly : t.unknownCommand);
    });
  }

  #agentCommand(updateId: number, person: Person, work: (agent: User) => void): void {
    this.#userEvent(updateId, person, (user) => {
      if (!user.isAgent) return this.#say(user, (t) => t.agentOnly);
      work(user);
    });
  }

  // ---- events from delivery ----

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
      const ticket = user.currentTicketId ? this.store.getTicket(user.currentTicketId) : undefined;
      if (user.isAgent) {
        this.store.setAvailable(user.userId, false);
        if (!ticket) return;
        this.store.endAgentDialog(user.userId, now);
        this.store.requeueTicket(ticket.id);
        const client = this.#user(ticket.clientId);
        this.#say(client, (t) => t.clientMoved);
        const requeued = this.store.getTicket(ticket.id)!;
        if (!this.#tryAssign(requeued)) {
          this.#say(client, (t) => t.queued(this.store.queuePosition(requeued)));
        }
      } else if (ticket) {
        this.#close(ticket, "system", false);
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
      this.#call(sender.userId, {
        method: "sendMessage",
        params: {
          chat_id: sender.userId,
          text: texts(sender.language).notDelivered(
            texts(sender.language).history.kinds[m.kind] ?? m.kind,
          ),
          reply_parameters: { message_id: m.chatMessageId, allow_sending_without_reply: true },
        },
      });
    });
  }

  /** Records the id of a relayed message's copy on the other side. */
  delivered(messageId: number, copyMessageId: number): void {
    this.store.setCopyMessageId(messageId, copyMessageId);
  }

  /** Forgets handled update ids older than Telegram could hand out again. */
  prune(): void {
    this.store.pruneHandled(this.#now() - HANDLED_TTL_MS);
  }
}

/** The pseudo-method of a delivery that builds and sends a history file. */
export const HISTORY_METHOD = "sendHistory";

/** The `setMyCommands` call that shows an agent their commands in their chat. */
export function agentCommandsCall(chatId: number, language: Language): ApiCall {
  const c = texts(language).commands;
  return {
    method: "setMyCommands",
    params: {
      scope: { type: "chat", chat_id: chatId },
      commands: [
        { command: "available", description: c.available },
        { command: "end_chat", description: c.endChat },
        { command: "history", description: c.history },
        { command: "stats", description: c.stats },
      ],
    },
  };
}
