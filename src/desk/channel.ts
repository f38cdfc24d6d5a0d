/**
 * The channel seam: where a ticket's conversation lives, as the desk needs it. A channel has
 * two sides, picked once per event and carried by its context (`ctx.channel`):
 *
 * - the **client side**, the chat the client writes in: their private chat with the bot
 *   (`bot_chat/`), or their chat with a company's Telegram Business account
 *   (`business_chat/`); it carries a message between that chat and the staff side. The desk's
 *   client side (`client_side.ts`) picks one of them by the ticket's way in;
 * - the **staff side**, where staff see a ticket and answer it: an agent's private chat with
 *   the bot (`private/`), or the client's topic in a staff group (`team/`). It decides who
 *   serves a ticket, shows what the client wrote, and tells staff what happened.
 *
 * The shared handlers of the desk (`conversation.ts`, `tickets.ts`, `queue.ts`,
 * `ratings.ts`, `reactions.ts`, `outcomes.ts`, `onboarding.ts`, `transfer.ts`, `canned.ts`,
 * `help.ts`, `departments.ts`, `languages.ts`) ask the channel, never which mode the desk runs
 * in. A new way of reaching people is a new folder that implements one side, plus its wiring
 * in `src/app.ts` and `src/telegram/`.
 *
 * The sides are generic in the context they are given (`DeskContext`, in `context.ts`), so
 * that this file, which the context refers to, refers to nothing of the desk but plain data.
 *
 * Texts the bot says to a client (`ctx.say`) go to the client's chat with the bot; to a
 * client whose latest ticket came through a business account they do not go at all (the
 * guard in `business_chat/guard.ts`): the bot never writes to them as itself.
 *
 * @module
 */
import type { ApiCall } from "../outbox/calls.ts";
import type { Buttons } from "../outbox/builders.ts";
import type { MessageEntity } from "grammy/types";
import type { ReactionEmoji } from "../rules/reaction_emoji.ts";
import type { Share } from "../rules/content.ts";
import type { Message, Ticket, User } from "../store/mod.ts";
import type { Texts } from "../texts/mod.ts";
import type { Incoming, Reaction, Say } from "./inputs.ts";

/** Why a ticket closes, which decides what each side is told. */
export type CloseReason = "agent" | "client" | "left" | "banned";

/**
 * What the desk tells a client on its own, besides what it says in the bot's chat
 * (`ctx.say`): the ticket waits in the queue (`place`, or `null` where there is no queue to
 * count, a staff group), it was closed (`rate`: an answered ticket, its rating asked), the
 * client's rating was taken (`stars`), or their comment on it. A client side that cannot say the bot's texts says
 * its own short version, or nothing.
 */
export type ClientNotice =
  | { readonly kind: "queued"; readonly place: number | null }
  | { readonly kind: "closed"; readonly rate: boolean }
  | { readonly kind: "rated"; readonly stars: string }
  | { readonly kind: "commented" };

/** Where a message is in a chat: the chat, and its id there. */
export interface MessageAt {
  readonly chatId: number;
  readonly messageId: number;
}

/** The chat a client writes in, and how a message crosses between it and the staff side. */
export interface ClientSide<C> {
  /**
   * The call that shows a client's message in the staff chat `chatId`: signed with the
   * client's name when `signed` (an agent's chat, where clients mix), else as it is (a topic,
   * which is the client's own). `signedInline`: the name went into the text or caption.
   */
  toStaff(
    client: User,
    incoming: Pick<Incoming, "content" | "chatMessageId">,
    chatId: number,
    options: { readonly signed: boolean; readonly replyTo: number | null },
  ): { readonly call: ApiCall; readonly signedInline: boolean };
  /**
   * Carries a staff answer (the message at `source`, saved as `messageId`) to the client of
   * `ticket`, as a reply to their message `replyTo` when given. `share`: what a location,
   * venue, contact, poll or dice holds (the stored message does not), for a side that sends by
   * content.
   */
  answer(
    ctx: C,
    ticket: Ticket,
    source: MessageAt,
    messageId: number,
    replyTo: number | null,
    share?: Share,
  ): void;
  /**
   * Carries a text staff sent without writing it in a chat (a saved reply, a model's draft, an
   * article of the knowledge base), saved as `messageId`, to the client of `ticket`.
   */
  answerText(
    ctx: C,
    ticket: Ticket,
    messageId: number,
    text: string,
    entities: readonly MessageEntity[] | null,
  ): void;
  /** Whether the client's chat shows stored message `m` of staff's (its copy arrived there). */
  shows(ctx: C, m: Message): boolean;
  /** Brings the client's copy of the stored message `messageId` in line with its new version. */
  mirrorEdit(ctx: C, clientId: number, messageId: number): void;
  /** Sets (or with `null`, removes) the bot's reaction on message `target` of the client's chat. */
  react(ctx: C, clientId: number, target: number, emoji: ReactionEmoji | null): void;
  /** Carries staff's album `mediaGroupId` of `ticket` to its client (one delivery for it). */
  album(ctx: C, ticket: Ticket, mediaGroupId: string): void;
  /** The desk tells the client of `ticket` something on its own (see {@link ClientNotice}). */
  notice(ctx: C, ticket: Ticket, notice: ClientNotice): void;
}

/** Where staff see a ticket and answer it, and who serves it. */
export interface StaffSide<C> {
  /**
   * A client's message in `ticket` (just opened when `greeting` is given): saved, shown to
   * staff or kept for them, and the client told what comes next.
   */
  clientWrote(
    ctx: C,
    client: User,
    ticket: Ticket,
    incoming: Incoming,
    greeting: Say | undefined,
  ): void;
  /** An agent wrote in their private chat with the bot (not a command). */
  agentWrote(ctx: C, agent: User, incoming: Incoming): void;
  /** `user` edited their message `m` (its new version kept): the copy follows where it may. */
  mirrorEdit(ctx: C, user: User, m: Message): void;
  /** A reaction changed on a message of `user`'s private chat with the bot. */
  reacted(ctx: C, user: User, reaction: Reaction): void;
  /** A ticket was closed (the client told): the staff's side of it. */
  ticketClosed(ctx: C, ticket: Ticket, why: CloseReason, closer?: User): void;
  /**
   * A waiting `ticket` (just opened when `greeting` is given) looks for someone to serve it,
   * not `except`: true when someone has it now.
   */
  route(ctx: C, ticket: Ticket, except?: number, greeting?: Say): boolean;
  /**
   * `agent` was taken off `ticket` (now back in the queue): the client moves on. Returns who
   * has it now, if anyone.
   */
  agentLost(ctx: C, agent: User, ticket: Ticket): User | undefined;
  /** `agentId` may serve someone now: the oldest waiting ticket (but `except`), if they take it. */
  agentFreed(ctx: C, agentId: number, except?: number): void;
  /** Telegram refused `agent`'s private chat with the bot for good. */
  agentUnreachable(ctx: C, agent: User): void;
  /**
   * Tells staff something about a ticket (a rating, a comment, articles that may answer it),
   * with buttons when given.
   */
  tellStaff(ctx: C, ticket: Ticket, text: Say, buttons?: Buttons): void;
  /**
   * Whether agents register here with the support token (`/register_support`); when not,
   * `user` has been told where they do.
   */
  mayRegister(ctx: C, user: User): boolean;
  /** Hands waiting tickets to free agents (run now and then). */
  drainQueue(ctx: C): void;
  /** The agent's help, in the words of `t`: their commands where they work, a line each. */
  agentHelp(t: Texts): string;
  /**
   * Shows `agent`, where they answer `ticket`, the saved reply the bot sent its client on their
   * behalf, stored as message `messageId`. What the outbox reports back makes the message shown
   * the stored one's place there (see `setCopy` in `src/store/messages.ts`): a reply or a
   * reaction to it reaches the client's copy.
   */
  showCanned(
    ctx: C,
    agent: User,
    ticket: Ticket,
    messageId: number,
    reply: { readonly name: string; readonly text: string; readonly article?: boolean },
  ): void;
  /** The desk's tick, run every few seconds, for a side with work that waits on time alone. */
  tick?(ctx: C): void;
  /** Where staff get a language model's drafts (`LLM_URL`); a side without gets none. */
  readonly drafts?: DraftSide<C>;
}

/** Where staff see a language model's draft answers, and what a sent one leaves there. */
export interface DraftSide<C> {
  /** Whether a client's message in `ticket` asks for a draft: someone here serves it. */
  wanted(ticket: Ticket): boolean;
  /** Shows the draft `draftId` of `ticket` (its `text`) with its buttons "Send" and "Drop". */
  show(ctx: C, ticket: Ticket, draftId: number, text: string): void;
  /**
   * `agent` sent the draft shown as message `draftAt` (when known): a line under it says so,
   * and stands for the answer stored as `messageId` (a reply or a reaction to it reaches the
   * client's copy, as with a saved reply).
   */
  sent(ctx: C, agent: User, ticket: Ticket, messageId: number, draftAt: number | null): void;
}

/** The two sides of one event's conversation. */
export interface Channel<C> {
  readonly client: ClientSide<C>;
  readonly staff: StaffSide<C>;
}
