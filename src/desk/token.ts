/**
 * The support token (`SUPPORT_TOKEN`) never stays in a chat, never reaches the other side and
 * is never stored: a message that carries it (its text or caption, a link's address, a file's
 * name; as sent or as edited, a command or not, from anyone) is deleted in the sender's chat, and nothing else is done with
 * it. Only `/register_support` looks at the token it is given (`onboarding.ts`, which deletes
 * its message itself and compares the token in constant time); everything else is searched
 * for it here.
 *
 * @module
 */
import { deleteMessage } from "../outbox/builders.ts";
import type { User } from "../store/mod.ts";
import type { MessageContent } from "../rules/content.ts";
import type { DeskContext } from "./context.ts";

/**
 * Whether `text` carries the current support token anywhere in it. A plain search: the
 * token's place in a longer text is no secret worth timing, and the search tells only
 * whether the whole token is there (the configuration makes it at least 12 characters long).
 */
export function carriesToken(ctx: DeskContext, text: string | null | undefined): boolean {
  return typeof text === "string" && text.includes(ctx.config.supportToken);
}

/**
 * Whether a message carries the support token: in its text or caption, in the address of a
 * link in it, or in the name of the file it carries.
 */
export function contentCarriesToken(ctx: DeskContext, content: MessageContent): boolean {
  if (carriesToken(ctx, content.text) || carriesToken(ctx, content.fileName)) return true;
  return (content.entities ?? []).some((e) => "url" in e && carriesToken(ctx, e.url));
}

/**
 * A message of `user` that carries the token: deleted in their chat, neither stored nor
 * passed on. They are told why it went, unless they are banned (a banned user hears nothing).
 */
export function withholdToken(ctx: DeskContext, user: User, chatMessageId: number): void {
  ctx.send(user.userId, deleteMessage(user.userId, chatMessageId));
  if (user.bannedAt === null) ctx.say(user, (t) => t.tokenRemoved);
}
