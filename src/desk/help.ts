/**
 * `/help`, by role: a client learns what a client can do; an agent gets their commands where
 * they work (the staff side's help: their private chat, or the staff group), an admin the
 * admin's, and someone who is both gets both. The same help answers an agent's or an admin's
 * command the bot does not know. (The staff group's own `/help` is `team/events.ts`'s.)
 *
 * @module
 */
import type { User } from "../store/mod.ts";
import type { Texts } from "../texts/mod.ts";
import type { DeskContext, Say } from "./context.ts";

/** What `user` reads as their help, for their roles. */
export function helpOf(ctx: DeskContext, user: User): Say {
  const admin = ctx.isAdmin(user);
  return (t: Texts) => {
    if (!user.isAgent) return admin ? t.adminHelp : t.clientHelp;
    const agent = ctx.channel.staff.agentHelp(t);
    return admin ? `${agent}\n\n${t.adminHelp}` : agent;
  };
}

/** `/help`: the user's help (a banned user is told nothing). */
export function help(ctx: DeskContext, user: User): void {
  if (user.bannedAt === null) ctx.say(user, helpOf(ctx, user));
}

/**
 * A command the bot does not know: a client is told to just write; an agent or an admin gets
 * their help after it (a banned user is told nothing).
 */
export function unknownCommand(ctx: DeskContext, user: User): void {
  if (user.bannedAt !== null) return;
  if (!user.isAgent && !ctx.isAdmin(user)) return ctx.say(user, (t) => t.unknownCommand);
  const help = helpOf(ctx, user);
  ctx.say(user, (t) => `${t.unknownCommandStaff}\n\n${help(t)}`);
}
