/**
 * Reactions: a user's reaction changed on a message of their private chat with the bot. A
 * banned user's reactions reach nobody; the staff side mirrors the others on the message's
 * counterpart (the bot may set one reaction per message: the first of the user's is
 * mirrored).
 *
 * @module
 */
import type { User } from "../store/mod.ts";
import type { DeskContext, Reaction } from "./context.ts";

export type { Reaction } from "./context.ts";

/** A user's reaction changed: the other side's counterpart of the message gets it too. */
export function reacted(ctx: DeskContext, user: User, reaction: Reaction): void {
  if (user.bannedAt !== null) return;
  ctx.channel.staff.reacted(ctx, user, reaction);
}
