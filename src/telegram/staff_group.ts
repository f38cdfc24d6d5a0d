/**
 * grammY wiring of team mode: the updates of the staff groups (supergroups with topics: the
 * one of STAFF_CHAT_ID, and each department's own), named and handed to the desk with their
 * group. A message's place is its topic (`message_thread_id` of a
 * topic message) or the General topic; service messages (topics made, pins, members joining)
 * carry nothing to relay and are dropped, except a member leaving. The bot's own messages,
 * and other bots', are never taken in; nor is a message posted on behalf of a chat (an
 * anonymous admin, a channel, a linked channel's automatic forward): nobody becomes a member
 * by it.
 *
 * @module
 */
import { type Bot, Composer, type Context } from "grammy";
import type { Message } from "grammy/types";
import type { Config } from "../config/mod.ts";
import { type Desk, type Person, STAFF_COMMANDS } from "../desk/mod.ts";
import { describeMessage } from "../rules/content.ts";
import { bySender, editOf, pressOf, reactionOf, requestOf, updateIdOf } from "./events.ts";
import { personFrom, personOf } from "./person.ts";
import { commandMatcher, gate } from "./routing.ts";

/** The topic of a message in a forum, or `null` for the General topic. */
export function threadOf(message: Pick<Message, "is_topic_message" | "message_thread_id">) {
  const thread = message.message_thread_id;
  return message.is_topic_message === true && Number.isSafeInteger(thread) && thread! > 0
    ? thread!
    : null;
}

/** Installs the staff groups' handlers on `bot` (before the private chats' ones). */
export function installStaff(
  bot: Bot,
  chatIds: readonly number[],
  desk: Desk,
  config: Config,
): void {
  // Every other update passes these by one call (routing.ts).
  const staff = new Composer();
  bot.use(gate((ctx) => ctx.chat !== undefined && chatIds.includes(ctx.chat.id), staff));
  const id = updateIdOf;
  const chat = (ctx: Context) => ctx.chat!.id;
  const where = (
    ctx: Context,
    message: Pick<Message, "is_topic_message" | "message_thread_id">,
  ) => ({
    chatId: chat(ctx),
    thread: threadOf(message),
  });
  // Someone joined, left or was removed: the update names them (whoever made the change).
  staff.on("chat_member", (ctx) => {
    const change = ctx.chatMember;
    const status = change.new_chat_member?.status;
    const user = change.new_chat_member?.user;
    if (!user || user.is_bot) return;
    if (status === "left" || status === "kicked") {
      return desk.memberLeft(id(ctx), user.id, chat(ctx));
    }
    const person = personFrom(user, config);
    if (person && (status === "member" || status === "administrator" || status === "creator")) {
      desk.memberJoined(id(ctx), person, chat(ctx));
    }
  });
  staff.on("message:left_chat_member", (ctx) => {
    const user = ctx.message.left_chat_member;
    if (!user.is_bot) desk.memberLeft(id(ctx), user.id, chat(ctx));
  });
  // Posted on behalf of a chat. A linked channel's post forwarded into the group is nobody's
  // answer (and its sender, "Telegram", is no member); an anonymous admin's message or one
  // posted as a channel cannot be told from whom: the desk says at once that it went nowhere.
  staff.on("message", (ctx, next) => {
    const message = ctx.message;
    if (message.is_automatic_forward === true) return;
    if (message.sender_chat === undefined) return next();
    desk.staffAnonymous(id(ctx), where(ctx, message), {
      chatMessageId: message.message_id,
      content: describeMessage(message),
    });
  });
  staff.on("edited_message", (ctx, next) => {
    const message = ctx.editedMessage;
    if (message.is_automatic_forward === true || message.sender_chat !== undefined) return;
    return next();
  });
  const humans = staff.filter((ctx) => ctx.from?.is_bot === false);
  const on = <C extends Context>(handler: (ctx: C, person: Person) => void) =>
    bySender(config, handler);
  const command = commandMatcher([...STAFF_COMMANDS]);
  humans.on("message", (ctx, next) => {
    const name = command(ctx);
    if (name === undefined) return next();
    const person = personOf(ctx, config);
    if (person) desk.staffCommand(id(ctx), person, where(ctx, ctx.message), requestOf(ctx, name));
  });
  humans.on(
    "callback_query:data",
    on((ctx, p) => {
      const message = ctx.callbackQuery.message;
      const thread = message && "chat" in message ? threadOf(message as Message) : null;
      desk.staffButton(id(ctx), p, { chatId: chat(ctx), thread }, pressOf(ctx));
    }),
  );
  humans.on(
    "message_reaction",
    on((ctx, p) => {
      const reaction = reactionOf(ctx);
      if (reaction) desk.staffReaction(id(ctx), p, chat(ctx), reaction);
    }),
  );
  humans.on(
    "edited_message",
    on((ctx, p) => desk.staffEdit(id(ctx), p, chat(ctx), editOf(ctx))),
  );
  humans.on(
    "message",
    on((ctx, p) => {
      const message = ctx.message;
      const content = describeMessage(message);
      // A service message (a topic made or closed, a pin, someone joining): nothing to relay.
      if (content.kind === "other" && content.text === null) return;
      const command = message.entities?.find((e) => e.type === "bot_command" && e.offset === 0);
      // A command for another bot, or one the desk does not know here, is not a message; one
      // that carries the support token still goes to the desk, which deletes it.
      if (command && !content.text?.includes(config.supportToken)) return;
      const replyTo = message.reply_to_message;
      // In a topic, a message that replies to nothing "replies" to the topic's first message.
      const replyId = replyTo && replyTo.message_id !== message.message_thread_id
        ? replyTo.message_id
        : null;
      // The topic's first message: its title as the bot made it, if the bot made it.
      const root = replyTo?.forum_topic_created !== undefined && replyTo.from?.id === ctx.me.id
        ? replyTo.forum_topic_created.name
        : undefined;
      desk.staffMessage(id(ctx), p, where(ctx, message), {
        chatMessageId: message.message_id,
        content,
        replyTo: replyId,
        ...(root !== undefined ? { topicTitle: root } : {}),
      });
    }),
  );
}
