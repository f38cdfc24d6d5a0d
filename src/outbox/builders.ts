/**
 * Builders of the calls the desk writes most (send a text, copy a message, answer a button,
 * react, drop buttons, delete a message, set the menu), each an {@link ApiCall} checked by
 * grammY's types. Pure; no Telegram, no database.
 *
 * @module
 */
import type {
  BotCommand,
  InlineKeyboardButton,
  KeyboardButton,
  MessageEntity,
  Opts,
} from "grammy/types";
import type { ReactionEmoji } from "../rules/reaction_emoji.ts";
import type { ApiCall } from "./calls.ts";

/** Inline buttons: rows of (label, callback data). */
export type Buttons = readonly (readonly InlineKeyboardButton.CallbackButton[])[];

/** `reply_parameters` that make a message a reply when the target still exists. */
export function replyTo(
  messageId: number | null | undefined,
): Pick<Opts<"sendMessage">, "reply_parameters"> {
  return messageId
    ? { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } }
    : {};
}

/** A text message, with its formatting, buttons or reply when given. */
export function sendText(
  chatId: number,
  text: string,
  options: {
    readonly entities?: readonly MessageEntity[];
    readonly buttons?: Buttons;
    /** A keyboard of answers under the input field (a contact button, say). */
    readonly keyboard?: KeyboardButton[][];
    /** Removes the keyboard of answers shown before. */
    readonly removeKeyboard?: boolean;
    readonly replyTo?: number | null;
  } = {},
): ApiCall<"sendMessage"> {
  return {
    method: "sendMessage",
    params: {
      chat_id: chatId,
      text,
      ...(options.entities ? { entities: [...options.entities] } : {}),
      ...(options.buttons ? { reply_markup: keyboard(options.buttons) } : {}),
      ...(options.keyboard
        ? {
          reply_markup: {
            keyboard: options.keyboard,
            one_time_keyboard: true,
            resize_keyboard: true,
          },
        }
        : {}),
      ...(options.removeKeyboard ? { reply_markup: { remove_keyboard: true } } : {}),
      ...replyTo(options.replyTo),
    },
  };
}

/** A copy of message `messageId` of chat `fromChatId` into `chatId` (no "forwarded" header). */
export function copy(
  chatId: number,
  fromChatId: number,
  messageId: number,
  options: {
    readonly caption?: { readonly text: string; readonly entities: readonly MessageEntity[] };
    readonly buttons?: Buttons;
    readonly replyTo?: number | null;
  } = {},
): ApiCall<"copyMessage"> {
  return {
    method: "copyMessage",
    params: {
      chat_id: chatId,
      from_chat_id: fromChatId,
      message_id: messageId,
      ...(options.caption
        ? { caption: options.caption.text, caption_entities: [...options.caption.entities] }
        : {}),
      ...(options.buttons ? { reply_markup: keyboard(options.buttons) } : {}),
      ...replyTo(options.replyTo),
    },
  };
}

/**
 * The answer to a button press: the small notice over the chat, a window the user closes
 * (`alert`, at most 200 characters), or nothing visible.
 */
export function answerButton(
  queryId: string,
  text?: string,
  alert = false,
): ApiCall<"answerCallbackQuery"> {
  return {
    method: "answerCallbackQuery",
    params: {
      callback_query_id: queryId,
      ...(text !== undefined ? { text } : {}),
      ...(alert ? { show_alert: true } : {}),
    },
  };
}

/**
 * Sets the bot's reaction on a message (an emoji), or removes it (`null`). Bots may set one
 * reaction per message.
 */
export function react(
  chatId: number,
  messageId: number,
  emoji: ReactionEmoji | null,
): ApiCall<"setMessageReaction"> {
  return {
    method: "setMessageReaction",
    params: {
      chat_id: chatId,
      message_id: messageId,
      reaction: emoji === null ? [] : [{ type: "emoji", emoji }],
    },
  };
}

/** Removes the buttons under a message of the bot. */
export function dropButtons(chatId: number, messageId: number): ApiCall<"editMessageReplyMarkup"> {
  return {
    method: "editMessageReplyMarkup",
    params: { chat_id: chatId, message_id: messageId, reply_markup: { inline_keyboard: [] } },
  };
}

/** Deletes a message (one that must not stay in the chat, such as the support token). */
export function deleteMessage(chatId: number, messageId: number): ApiCall<"deleteMessage"> {
  return { method: "deleteMessage", params: { chat_id: chatId, message_id: messageId } };
}

/**
 * Sets the menu of commands in one user's chat, or (no commands) removes it so that the
 * default menu shows again.
 */
export function setMenu(
  chatId: number,
  commands: readonly BotCommand[],
): ApiCall<"setMyCommands" | "deleteMyCommands"> {
  const scope = { type: "chat", chat_id: chatId } as const;
  if (commands.length === 0) return { method: "deleteMyCommands", params: { scope } };
  return { method: "setMyCommands", params: { scope, commands: [...commands] } };
}

/** An inline keyboard of callback buttons. */
export function keyboard(rows: Buttons): { inline_keyboard: InlineKeyboardButton[][] } {
  return { inline_keyboard: rows.map((row) => [...row]) };
}
