/**
 * The help desk: every event a user (or time, or the outbox) can cause. Each public method
 * opens one event at the commit boundary (`src/boundary.ts`: one transaction, the update's
 * id recorded with its effects), refreshes the user who caused it, and hands off to the
 * handler that knows what to do, a plain function of a {@link DeskContext}. The context
 * carries the event's channel (`channel.ts`): the client side and the staff side, picked once
 * for the desk ({@link staffOf}), so no shared handler asks which mode the desk runs in.
 *
 * | file or folder | what it handles |
 * | --- | --- |
 * | `channel.ts` | the seam: what the desk needs from a client side and a staff side |
 * | `client_side.ts` | the client side of a ticket, by its way in (the bot, or an account) |
 * | `bot_chat/` | the client side of a client's private chat with the bot |
 * | `business_chat/` | the client side of a client's chat with a company's business account |
 * | `private/` | the staff side of agents in their private chats: dialog, queue, closing |
 * | `team/` | the staff side of a staff group: a topic per client, members, notes, board |
 * | `onboarding.ts` | `/start`, the name question, `/register_support` |
 * | `conversation.ts` | a message or an edit, handed to the channel (`messages.ts`: saving) |
 * | `folding.ts` | a client's flood beyond their pace: folded, then shown in a digest |
 * | `queue.ts` | the greeting of a new ticket, an agent taken off a ticket |
 * | `routing.ts` | what a ticket asks of its agent (language, department, last agent), the pick |
 * | `opening.ts`, `departments.ts` | opening a ticket; the client's pick of a department, `/join` |
 * | `languages.ts` | `/languages`: the languages an agent takes clients in |
 * | `tickets.ts` | closing a ticket |
 * | `drafts.ts` | a language model's drafts: asked for, shown to staff, sent or dropped |
 * | `agent.ts`, `transfer.ts`, `canned.ts`, `admin.ts` | the commands of agents and admins |
 * | `buttons.ts`, `ratings.ts`, `keyboards.ts` | what a press does, ratings, the buttons |
 * | `stale_buttons.ts` | buttons that no longer work disappear (close, no comment) |
 * | `knowledge.ts` | the knowledge base (self-service, `/faq`) and `/search` |
 * | `suggestions.ts` | articles that may answer a client's first message, as staff's buttons |
 * | `help.ts` | `/help` by role, and an agent's or an admin's unknown command |
 * | `token.ts` | the support token: a message that carries it is deleted, never kept |
 * | `outcomes.ts` | what the outbox reports back (403, 400, receipts) |
 * | `commands.ts`, `roles.ts`, `menus.ts` | the table of commands, who may run them, menus |
 *
 * Nothing here talks to Telegram: what the bot says is written as deliveries
 * (`ctx.send`, the desk's one door to the outbox), which the outbox sends after the commit.
 *
 * @module
 */
import type { CommitBoundary } from "../boundary.ts";
import type { Config } from "../config/mod.ts";
import type { Delivery, Store, User } from "../store/mod.ts";
import { buttonPressed } from "./buttons.ts";
import {
  type ButtonPress,
  type DeskContext,
  deskContext,
  type Incoming,
  type MenuOf,
  type Person,
} from "./context.ts";
import { userMenu } from "./menus.ts";
import type { Copy } from "../outbox/calls.ts";
import { connectionOf } from "../outbox/business.ts";
import { clientSide } from "./client_side.ts";
import type { Channel, StaffSide } from "./channel.ts";
import { botChat } from "./bot_chat/mod.ts";
import type { Connection } from "../store/mod.ts";
import { cameByBot, notAsTheBot } from "./business_chat/guard.ts";
import { keptAfterRefusal } from "./business_chat/hold.ts";
import {
  clientDeleted,
  clientEdited,
  clientWroteToAccount,
  connectionChanged,
  ownerWrote,
  readWhenShown,
} from "./business_chat/inbound.ts";
import type { EventOrigin } from "./context.ts";
import { chatUnreachable, delivered, deliveryRejected } from "./outcomes.ts";
import { type Command, type CommandRequest, mayRun } from "./roles.ts";
import { register } from "./onboarding.ts";
import { unknownCommand } from "./help.ts";
import { buttonSent, trackedButton } from "./stale_buttons.ts";
import { FOLD_WINDOW_MS, Pace } from "./pace.ts";
import { reacted, type Reaction } from "./reactions.ts";
import { agentWrote, clientWrote, edited } from "./conversation.ts";
import { carriesToken, contentCarriesToken, withholdToken } from "./token.ts";
import { privateStaff } from "./private/mod.ts";
import { draftFailed, type DraftOutcome, draftReady } from "./drafts.ts";
import { releaseDue, reloadFaq } from "./knowledge.ts";
import {
  memberLeft,
  staffAnonymous,
  staffButton,
  staffCommand,
  staffEdit,
  staffMessage,
  staffReaction,
  teamStaff,
  type Where,
} from "./team/mod.ts";
import { joinGroupDepartments } from "./departments.ts";
import { seenAgain } from "../rules/matchmaking.ts";

export type { ButtonPress, DeskContext, Incoming, Person } from "./context.ts";
export type { StaffSide } from "./channel.ts";
export { STAFF_COMMANDS, staffMenu, type Where } from "./team/mod.ts";

/**
 * The staff side the configuration names, picked once for the desk: the staff group's topics
 * when `STAFF_CHAT_ID` is set (team mode), else each agent's private chat with the bot.
 */
export function staffOf(config: Pick<Config, "team">): StaffSide<DeskContext> {
  return config.team === null ? privateStaff : teamStaff(config.team);
}

/** A command the bot does not know, as written: its text and its id in the sender's chat. */
export interface UnknownCommand {
  readonly text: string;
  readonly chatMessageId: number;
}

/** How long handled update ids are remembered (Telegram keeps updates for 24 hours). */
const HANDLED_TTL_MS = 48 * 3600_000;

/** The help desk: every event a user can cause, as one transaction each. */
export class Desk {
  readonly store: Store;
  readonly #boundary: CommitBoundary;
  readonly #config: Config;
  readonly #commands: ReadonlyMap<string, Command>;
  readonly #menuOf: MenuOf;
  readonly #pace = new Pace(FOLD_WINDOW_MS);
  /** The channel of every event: clients write to the bot; staff work where `staff` says. */
  readonly #channel: Channel<DeskContext>;
  /** The same with the bot's chat as the only client side: while no account ever connected. */
  readonly #botChannel: Channel<DeskContext>;
  /** Whether a business account ever connected: only then are sends guarded (`guard.ts`). */
  #business: boolean;

  /**
   * `commands`: the table of commands (`src/desk/commands.ts`); `staff`: where staff answer,
   * by default the side the configuration names ({@link staffOf}).
   */
  constructor(
    store: Store,
    boundary: CommitBoundary,
    config: Config,
    commands: readonly Command[],
    staff: StaffSide<DeskContext> = staffOf(config),
  ) {
    this.store = store;
    this.#boundary = boundary;
    this.#config = config;
    this.#channel = { client: clientSide, staff };
    this.#botChannel = { client: botChat, staff };
    this.#business = store.connections().length > 0;
    this.#commands = new Map(commands.map((c) => [c.name, c]));
    this.#menuOf = (ctx, user) => userMenu(commands, user, ctx.isAdmin(user));
  }

  /**
   * A command of the table, behind its role guard. One that carries the support token (but
   * `/register_support`, which deletes its own message) is deleted and not run.
   */
  command(updateId: number, person: Person, request: CommandRequest): void {
    const command = this.#commands.get(request.name);
    if (command === undefined) {
      const { args: text, chatMessageId } = request;
      return this.unknownCommand(updateId, person, { text, chatMessageId });
    }
    this.#userEvent(updateId, person, (ctx, user) => {
      if (command.run !== register && carriesToken(ctx, request.args)) {
        return withholdToken(ctx, user, request.chatMessageId);
      }
      if (mayRun(command.who, user, ctx.isAdmin(user))) return command.run(ctx, user, request);
      // A banned user is told nothing, not even that they are banned.
      if (user.bannedAt !== null) return;
      ctx.say(user, (t) => command.who === "admin" ? t.adminOnly : t.agentOnly);
    });
  }

  /**
   * A command the bot does not know (such as `/register_support@another_bot`): `message`, its
   * text and id in the chat, to delete it when it carries the support token.
   */
  unknownCommand(updateId: number, person: Person, message?: UnknownCommand): void {
    this.#userEvent(updateId, person, (ctx, user) => {
      if (message && carriesToken(ctx, message.text)) {
        return withholdToken(ctx, user, message.chatMessageId);
      }
      unknownCommand(ctx, user);
    });
  }

  /** Any message that is not a command (one that carries the support token is deleted). */
  message(updateId: number, person: Person, incoming: Incoming): void {
    this.#userEvent(updateId, person, (ctx, user, isNew) => {
      if (contentCarriesToken(ctx, incoming.content)) {
        return withholdToken(ctx, user, incoming.chatMessageId);
      }
      if (user.isAgent) return agentWrote(ctx, user, incoming);
      if (this.#business) cameByBot(ctx, user);
      clientWrote(ctx, user, incoming, isNew);
    });
  }

  // ---- Telegram Business: a company's account connected to the bot ----

  /** The business connection the store knows by this id, if any. */
  connection(id: string): Connection | undefined {
    return this.store.getConnection(id);
  }

  /** Telegram told of a business connection: new, changed, turned off or on. */
  businessConnection(updateId: number | null, connection: Connection): void {
    this.#business = true;
    this.#event(updateId, (ctx) => connectionChanged(ctx, connection));
  }

  /**
   * A message in a business chat of `connection` (saved first if the store did not know it):
   * the client's (`person` is the client), or the account owner's to client `chatId`.
   */
  businessMessage(
    updateId: number,
    connection: Connection,
    person: Person,
    chatId: number,
    incoming: Incoming,
  ): void {
    this.#business = true;
    if (person.userId === connection.ownerId) {
      return this.#event(updateId, (ctx) => {
        this.#knowConnection(ctx, connection);
        ownerWrote(ctx, connection, person, chatId, incoming);
      });
    }
    const via = { via: connection.id, author: person.userId };
    this.#userEvent(updateId, person, (ctx, user, isNew) => {
      this.#knowConnection(ctx, connection);
      // An agent writing to the company is not served as a client (nor as staff) there.
      if (user.isAgent) return;
      if (contentCarriesToken(ctx, incoming.content)) return;
      clientWroteToAccount(ctx, connection, user, incoming, isNew);
    }, via);
  }

  /** A message edited in a business chat (the owner's edits are not followed). */
  businessEdit(updateId: number, connection: Connection, person: Person, incoming: Incoming) {
    if (person.userId === connection.ownerId) return this.#event(updateId, () => {});
    const via = { via: connection.id, author: person.userId };
    this.#userEvent(updateId, person, (ctx, user) => {
      this.#knowConnection(ctx, connection);
      clientEdited(ctx, connection, user, incoming);
    }, via);
  }

  /** Messages deleted in the business chat with client `chatId`. */
  businessDeleted(
    updateId: number,
    connection: Connection,
    chatId: number,
    messageIds: readonly number[],
  ): void {
    this.#event(updateId, (ctx) => {
      this.#knowConnection(ctx, connection);
      clientDeleted(ctx, connection.id, chatId, messageIds);
    });
  }

  /**
   * At start: Business Mode is off in @BotFather while company accounts are connected; the
   * admins are told (the log has its line too).
   */
  businessModeOff(): void {
    this.#event(null, (ctx) => {
      for (const adminId of ctx.config.adminIds) {
        const admin = ctx.store.getUser(adminId);
        if (admin) ctx.say(admin, (t) => t.business.modeOff);
      }
    });
  }

  /** A connection looked up with `getBusinessConnection` is saved with the event naming it. */
  #knowConnection(ctx: DeskContext, connection: Connection): void {
    if (!ctx.store.getConnection(connection.id)) connectionChanged(ctx, connection);
  }

  /**
   * A new version of a message the user wrote. A version that carries the support token is
   * not kept: the message is deleted.
   */
  edit(updateId: number, person: Person, incoming: Incoming): void {
    this.#userEvent(updateId, person, (ctx, user) => {
      if (contentCarriesToken(ctx, incoming.content)) {
        return withholdToken(ctx, user, incoming.chatMessageId);
      }
      edited(ctx, user, incoming);
    });
  }

  /** A reaction changed on a message of the user's chat. */
  reaction(updateId: number, person: Person, reaction: Reaction): void {
    this.#userEvent(updateId, person, (ctx, user) => reacted(ctx, user, reaction));
  }

  /** An inline button pressed. */
  button(updateId: number, person: Person, press: ButtonPress): void {
    // A press under the account's message in a business chat is an event of that chat.
    const from = { via: press.connectionId ?? null, author: person.userId };
    this.#userEvent(updateId, person, (ctx, user) => buttonPressed(ctx, user, press), from);
  }

  /** Hands waiting tickets to free agents while the desk is open (run now and then). */
  drainQueue(): void {
    this.#event(null, (ctx) => ctx.channel.staff.drainQueue(ctx));
  }

  /**
   * The desk's tick (run every few seconds), for a staff side with work that waits on time
   * alone (a staff group: tickets that waited too long, the board); no event for one without.
   */
  tick(): void {
    if (this.#channel.staff.tick === undefined) return;
    this.#event(null, (ctx) => ctx.channel.staff.tick?.(ctx));
  }

  /**
   * The language model answered draft request `draftId` (taken when `asks` messages had asked
   * for it): shown to staff with its buttons, in one transaction (`drafts.ts`).
   */
  draftReady(draftId: number, asks: number, text: string): DraftOutcome {
    let outcome: DraftOutcome = "gone";
    this.#event(null, (ctx) => outcome = draftReady(ctx, draftId, asks, text));
    return outcome;
  }

  /** Draft request `draftId` gets no draft: the model failed, or nothing was left to answer. */
  draftFailed(draftId: number, asks: number, why: "failed" | "stale"): void {
    this.#event(null, (ctx) => draftFailed(ctx, draftId, asks, why));
  }

  /**
   * Questions held on an answer from the knowledge base whose time ran out go on to a person
   * (run every few seconds when the desk has one; `knowledge.ts`).
   */
  releaseHeldQuestions(): void {
    if (this.store.dueFaqHolds(this.#boundary.now()).length === 0) return;
    this.#event(null, (ctx) => releaseDue(ctx));
  }

  /**
   * Reads `FAQ_FILE` again (on SIGHUP): the number of articles now, or why not (the base as it
   * was stays).
   */
  reloadFaq(): { count: number } | { error: string } {
    let done: { count: number } | { error: string } = { error: "not reloaded" };
    this.#event(null, (ctx) => done = reloadFaq(ctx));
    return done;
  }

  /** Telegram refused a chat for good (403): see `outcomes.ts`. */
  chatUnreachable(delivery: { readonly id: number; readonly chatId: number }, reason: string) {
    // Refused as the account (a business chat): that one delivery, not the client's chat.
    const params = (delivery as Partial<Delivery>).params;
    if (params !== undefined && connectionOf(params) !== undefined) {
      return this.deliveryRejected(delivery as Delivery, reason);
    }
    this.#event(null, (ctx) => chatUnreachable(ctx, delivery, reason));
  }

  /** Telegram refused one delivery for good (400): see `outcomes.ts`. */
  deliveryRejected(
    delivery: Parameters<typeof deliveryRejected>[1],
    reason: string,
  ): void {
    this.#event(null, (ctx) => {
      // Refused as the account while it may not write: kept until it may (`hold.ts`).
      const business = this.#business ? connectionOf(delivery.params) : undefined;
      if (business !== undefined && keptAfterRefusal(ctx, delivery, business, reason)) return;
      deliveryRejected(ctx, delivery, reason);
    });
  }

  /**
   * The outbox recorded that stored messages reached the other side, or the id of a message of
   * the bot's own (`sentId`): inside its transaction, not an event of its own. See
   * `outcomes.ts` (receipts) and `stale_buttons.ts` (where buttons are).
   */
  delivered(delivery: Delivery, copies: readonly Copy[], now: number, sentId?: number): void {
    // No context made on every send: only for a button kept track of, a digest, or receipts.
    const button = sentId === undefined ? undefined : trackedButton(delivery);
    const receipts = this.#config.receiptReaction !== null || delivery.method === "foldSummary";
    const read = this.#business && copies.length > 0;
    if (button === undefined && !receipts && !read) return;
    const ctx = this.#context(now);
    if (button !== undefined && sentId !== undefined) {
      buttonSent(ctx, delivery.chatId, sentId, button);
    }
    if (receipts) delivered(ctx, delivery, copies);
    if (read) readWhenShown(ctx, delivery, copies);
  }

  // ---- team mode: the staff groups (STAFF_CHAT_ID's, and departments' own) ----

  /** A member's message in a staff group (`where`: the group, and its topic or General). */
  staffMessage(updateId: number, person: Person, where: Where, incoming: Incoming): void {
    this.#memberEvent(
      updateId,
      person,
      where.chatId,
      (ctx, member) => staffMessage(ctx, member, where, incoming),
    );
  }

  /**
   * A message in a staff group posted on behalf of a chat (an anonymous admin, a channel):
   * no member's, so nobody is made an agent by it.
   */
  staffAnonymous(updateId: number, where: Where, incoming: Incoming): void {
    this.#event(updateId, (ctx) => staffAnonymous(ctx, where, incoming));
  }

  /** A member's edited message in the staff group `chatId`. */
  staffEdit(updateId: number, person: Person, chatId: number, incoming: Incoming): void {
    this.#memberEvent(
      updateId,
      person,
      chatId,
      (ctx, member) => staffEdit(ctx, member, chatId, incoming),
    );
  }

  /** A command in a staff group. */
  staffCommand(updateId: number, person: Person, where: Where, request: CommandRequest): void {
    this.#memberEvent(
      updateId,
      person,
      where.chatId,
      (ctx, member) => staffCommand(ctx, member, where, request),
    );
  }

  /** A button pressed in a staff group. */
  staffButton(updateId: number, person: Person, where: Where, press: ButtonPress): void {
    this.#memberEvent(
      updateId,
      person,
      where.chatId,
      (ctx, member) => staffButton(ctx, member, where, press),
    );
  }

  /** A member's reaction changed on a message of the staff group `chatId`. */
  staffReaction(updateId: number, person: Person, chatId: number, reaction: Reaction): void {
    this.#memberEvent(
      updateId,
      person,
      chatId,
      (ctx, member) => staffReaction(ctx, member, chatId, reaction),
    );
  }

  /**
   * Someone joined the staff group `chatId`: an agent from now (free for the offers of new
   * tickets), before they ever wrote there.
   */
  memberJoined(updateId: number, person: Person, chatId: number): void {
    this.#memberEvent(updateId, person, chatId, () => {});
  }

  /** Someone left the staff group `chatId` or was removed from it. */
  memberLeft(updateId: number, userId: number, chatId: number): void {
    this.#event(updateId, (ctx) => {
      const member = ctx.store.getUser(userId);
      if (member) memberLeft(ctx, member, chatId);
    });
  }

  /**
   * An event of a member of the staff group `chatId`: they are saved or refreshed, and are an
   * agent from now (the group's admins decide who is in it), unless an admin revoked them or
   * they are banned: then the event is dropped, and they reach nobody. A department's own
   * group makes its members that department's agents.
   */
  #memberEvent(
    updateId: number,
    person: Person,
    chatId: number,
    work: (ctx: DeskContext, member: User) => void,
  ): void {
    this.#event(updateId, (ctx) => {
      const { store, now } = ctx;
      const p = person;
      const known = store.getUser(p.userId);
      if (!known) store.insertUser(p, false, now);
      else if (
        known.username !== p.username || known.fullName !== p.fullName ||
        known.language !== p.language
      ) store.updateProfile(p.userId, p.username, p.fullName, p.language, now);
      store.makeMember(p.userId, now);
      let member = ctx.user(p.userId);
      if (!member.isAgent || member.bannedAt !== null) return;
      member = joinGroupDepartments(ctx, member, chatId);
      store.setLastOnline(p.userId, now);
      work(ctx, { ...member, lastOnline: now });
    });
  }

  /** Forgets handled update ids older than Telegram could hand out again. */
  prune(): void {
    this.#boundary.write((now) => this.store.pruneHandled(now - HANDLED_TTL_MS));
  }

  /** One event at the commit boundary, with its context. */
  #event(
    updateId: number | null,
    work: (ctx: DeskContext) => void,
    from?: { readonly via: string | null; readonly author: number | null },
  ): void {
    this.#boundary.event(updateId, (now) => work(this.#context(now, from)));
  }

  /**
   * The context of one event at `now`, on the desk's channel; `from`: who wrote, through
   * which business connection. Once an account connected, its sends are guarded.
   */
  #context(
    now: number,
    from?: { readonly via: string | null; readonly author: number | null },
  ): DeskContext {
    const origin: EventOrigin | undefined = this.#business
      ? { via: from?.via ?? null, author: from?.author ?? null, guard: notAsTheBot }
      : undefined;
    return deskContext(
      this.store,
      this.#config,
      now,
      this.#menuOf,
      this.#pace,
      // Without a business connection every ticket's way in is the bot: no lookup per answer.
      this.#business ? this.#channel : this.#botChannel,
      origin,
    );
  }

  /** An event caused by a user: saves or refreshes them first (an agent is online from now). */
  #userEvent(
    updateId: number,
    person: Person,
    work: (ctx: DeskContext, user: User, isNew: boolean) => void,
    from: { readonly via: string | null; readonly author: number | null } = {
      via: null,
      author: person.userId,
    },
  ): void {
    this.#event(updateId, (ctx) => {
      const { store, now } = ctx;
      const p = person;
      const known = store.getUser(p.userId);
      if (!known) {
        store.insertUser(p, false, now);
        return work(ctx, ctx.user(p.userId), true);
      }
      const changed = known.username !== p.username || known.fullName !== p.fullName ||
        known.language !== p.language;
      if (changed) store.updateProfile(p.userId, p.username, p.fullName, p.language, now);
      if (known.isAgent && seenAgain(known.lastOnline, now)) store.setLastOnline(p.userId, now);
      // The user as now stored, without reading the row again.
      const user = changed || known.isAgent
        ? {
          ...known,
          username: p.username,
          fullName: p.fullName,
          language: p.language,
          lastOnline: known.isAgent ? now : known.lastOnline,
        }
        : known;
      work(ctx, user, false);
    }, from);
  }
}
