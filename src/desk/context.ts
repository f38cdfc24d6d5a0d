/**
 * What every handler of the desk works with: who wrote ({@link Person}), what they wrote
 * ({@link Incoming}) or pressed ({@link ButtonPress}), and the {@link DeskContext} of one
 * event: the store, the configuration, one `now`, and the helpers that write what the bot
 * says (as deliveries, in the event's transaction). Handlers are plain functions of a context.
 *
 * @module
 */
import { isOpen } from "../rules/business_hours.ts";
import type { Config } from "../config/mod.ts";
import { type OutboxCall } from "../outbox/calls.ts";
import { answerButton, type Buttons, dropButtons, sendText } from "../outbox/builders.ts";
import { placeOf } from "../outbox/lanes.ts";
import type { Channel } from "./channel.ts";
import type { ButtonPress, Say } from "./inputs.ts";
import type { Pace } from "./pace.ts";
import type { Store, Ticket, User } from "../store/mod.ts";
import { texts } from "../texts/mod.ts";

export type { ButtonPress, Incoming, Person, Reaction, Say } from "./inputs.ts";

/** Where a delivery stands in its chat's outbox (`src/outbox/lanes.ts`). */
export interface Place {
  readonly lane: number;
  readonly priority: number;
}

/** The menu of commands a user should see in their chat, for their roles. */
export type MenuOf = (ctx: DeskContext, user: User) => OutboxCall;

/**
 * Whether a delivery to `chatId` must not go (Telegram Business: the bot never writes to a
 * company's client as itself); absent while no account is connected.
 */
export type SendGuard = (ctx: DeskContext, chatId: number, call: OutboxCall) => boolean;

/** Who and where an event comes from (Telegram Business), and the guard of its sends. */
export interface EventOrigin {
  readonly via: string | null;
  readonly author: number | null;
  readonly guard: SendGuard | undefined;
}

/** An event of no one's through no account. */
const NO_ORIGIN: EventOrigin = { via: null, author: null, guard: undefined };

/** One event's view of the desk. Everything written through it commits with the event. */
export interface DeskContext {
  readonly store: Store;
  readonly config: Config;
  /** The time of the event: one reading of the clock for all it does. */
  readonly now: number;
  /** How fast each client's messages are being relayed (for folding a flood). */
  readonly pace: Pace;
  /** The two sides of the conversation this event belongs to. */
  readonly channel: Channel<DeskContext>;
  /**
   * Telegram Business: the connection the event came through (a message to a company's
   * account), `null` for anything else.
   */
  readonly via: string | null;
  /** The user whose update this event is, if any. */
  readonly author: number | null;
  /**
   * Writes a delivery to `chatId` (the desk's one door to the outbox); `messageId` when it
   * carries a relayed message. `options.place`: its lane and priority, when not the method's
   * own; `options.at`: not before this wall time.
   */
  send(
    chatId: number,
    call: OutboxCall,
    messageId?: number | null,
    options?: { readonly place?: Place; readonly at?: number },
  ): void;
  /** Sends `user` a text in their language, with buttons when given. */
  say(user: User, text: Say, buttons?: Buttons): void;
  /**
   * Answers a button press (the small notice over the chat), with a text when given, in a
   * window the user closes when `alert`.
   */
  answer(user: User, press: ButtonPress, text?: Say, alert?: boolean): void;
  /** Removes the buttons from the message that carried them. */
  dropButtons(user: User, press: ButtonPress): void;
  /** Sets the menu in `user`'s chat to what their roles give. */
  setMenu(user: User): void;
  /** The user with this id, who must exist (a ticket's client or agent). */
  user(userId: number): User;
  /** The ticket a user is in, if any. */
  ticketOf(user: User): Ticket | undefined;
  /** Whether `user` is an admin (from the configuration). */
  isAdmin(user: User): boolean;
  /** Whether the desk is within business hours now (always, when none are set). */
  deskOpen(): boolean;
}

export { nameOf } from "../store/mod.ts";

/** Builds the context of one event at `now`. */
export function deskContext(
  store: Store,
  config: Config,
  now: number,
  menuOf: MenuOf,
  pace: Pace,
  channel: Channel<DeskContext>,
  origin: EventOrigin = NO_ORIGIN,
): DeskContext {
  return new EventContext(store, config, now, menuOf, pace, channel, origin);
}

/** The context of one event: one object per event, its methods shared (on the hot path). */
class EventContext implements DeskContext {
  constructor(
    readonly store: Store,
    readonly config: Config,
    readonly now: number,
    readonly menuOf: MenuOf,
    readonly pace: Pace,
    readonly channel: Channel<DeskContext>,
    readonly origin: EventOrigin,
  ) {}

  get via(): string | null {
    return this.origin.via;
  }

  get author(): number | null {
    return this.origin.author;
  }

  send(
    chatId: number,
    call: OutboxCall,
    messageId: number | null = null,
    options?: { readonly place?: Place; readonly at?: number },
  ): void {
    if (chatId > 0 && this.origin.guard?.(this, chatId, call)) return;
    const place = options?.place ?? placeOf(call.method, messageId);
    this.store.insertDelivery(chatId, call, messageId, this.now, place, options?.at);
  }

  say(user: User, text: Say, buttons?: Buttons): void {
    this.send(user.userId, sendText(user.userId, text(texts(user.language)), { buttons }));
  }

  answer(user: User, press: ButtonPress, text?: Say, alert = false): void {
    this.send(user.userId, answerButton(press.queryId, text?.(texts(user.language)), alert));
  }

  dropButtons(user: User, press: ButtonPress): void {
    if (press.chatMessageId === null) return;
    const call = dropButtons(user.userId, press.chatMessageId);
    // Under the account's message in a business chat: edited as the account.
    const via = press.connectionId ? { business_connection_id: press.connectionId } : {};
    this.send(user.userId, { ...call, params: { ...call.params, ...via } });
  }

  setMenu(user: User): void {
    this.send(user.userId, this.menuOf(this, user));
  }

  user(userId: number): User {
    const user = this.store.getUser(userId);
    if (user === undefined) throw new Error(`user ${userId} is not stored`);
    return user;
  }

  ticketOf(user: User): Ticket | undefined {
    return user.currentTicketId !== null ? this.store.getTicket(user.currentTicketId) : undefined;
  }

  isAdmin(user: User): boolean {
    return this.config.adminIds.has(user.userId);
  }

  deskOpen(): boolean {
    const hours = this.config.businessHours;
    return hours === null || isOpen(hours, this.config.timeZone, this.now);
  }
}
