/**
 * What a user sent, as the desk is told it: who ({@link Person}), a message
 * ({@link Incoming}), a button press ({@link ButtonPress}), a reaction ({@link Reaction}), and
 * a sentence to say back in the reader's language ({@link Say}). Plain data: the context and
 * the channel both speak of it, neither owns it.
 *
 * @module
 */
import type { MessageContent } from "../rules/content.ts";
import type { ReactionEmoji } from "../rules/reaction_emoji.ts";
import type { Language, Texts } from "../texts/mod.ts";

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
  /** A contact it holds: the number, and whose it is (Telegram's user id, when it says). */
  readonly contact?: { readonly phone: string; readonly userId: number | null };
  /**
   * Team mode: the title the bot gave the topic the message is in, when it made it (read from
   * the topic's first message, which Telegram sends along).
   */
  readonly topicTitle?: string;
}

/** An inline button pressed by a user. */
export interface ButtonPress {
  /** The callback query's id, to answer it. */
  readonly queryId: string;
  readonly data: string;
  /** The bot message carrying the button, in the user's chat. */
  readonly chatMessageId: number | null;
  /**
   * The business connection that message was sent through (a button under the account's
   * message in a client's business chat), if any.
   */
  readonly connectionId?: string | null;
}

/** A reaction changed on a message of a user's chat with the bot. */
export interface Reaction {
  /** The message, in the user's chat. */
  readonly chatMessageId: number;
  /** The reaction now, or `null` when it was removed (or is none the bot may set). */
  readonly emoji: ReactionEmoji | null;
}

/** A sentence in the reader's language. */
export type Say = (t: Texts) => string;
