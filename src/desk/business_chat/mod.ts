/**
 * The client side of a client who writes to a company's own Telegram account, which the
 * company connected to the bot (Telegram Business). Their chat is the account's, not the
 * bot's: nothing can be copied into or out of it, so a message crosses by its content (a text
 * with its entities, each medium by its file id through its own method, an album as one
 * `sendMediaGroup`), signed with the client's name where the staff side shows it today; staff
 * answers go into it as the account (`business_connection_id`), kept while the account may
 * not write (`hold.ts`). Where a message is in that chat is kept apart from the bot's chat
 * (`business_messages`): a client's message there is saved with its id negated.
 *
 * | file | what it does |
 * | --- | --- |
 * | `mod.ts` | the client side: to staff, answers, edits, albums, notices |
 * | `hold.ts` | answers kept while the account may not write, and sent when it may |
 * | `guard.ts` | the bot never writes to such a client as itself |
 * | `inbound.ts` | connections, the client's and the owner's messages, edits, deletions |
 * | `ask.ts` | a department's pick asked as the account, and the ticket it opens |
 *
 * @module
 */
import { sendText } from "../../outbox/builders.ts";
import { nameButton } from "../../outbox/carry.ts";
import { asAccount, byContent } from "../../outbox/business.ts";
import { CAPTIONED, MAX_CAPTION, MAX_TEXT } from "../../rules/content.ts";
import { signText } from "../../rules/signing.ts";
import { type Texts, texts } from "../../texts/mod.ts";
import type { ClientNotice, ClientSide } from "../channel.ts";
import { ratingButtons } from "../keyboards.ts";
import type { DeskContext } from "../context.ts";
import { nameOf } from "../context.ts";
import { deliver } from "./hold.ts";
import { ALBUM_COLLECT_MS, contentOf } from "../messages.ts";
import { LANE, PRIORITY } from "../../outbox/lanes.ts";

/** Where a client's own message is in their business chat (saved with its id negated). */
function businessOriginal(ctx: DeskContext, messageId: number): number | undefined {
  const m = ctx.store.getMessage(messageId);
  return m && m.senderRole === "client" && m.chatMessageId < 0 ? -m.chatMessageId : undefined;
}

/** The client's chat with a company's business account. */
export const businessChat: ClientSide<DeskContext> = {
  toStaff(client, incoming, chatId, { signed, replyTo }) {
    const { content } = incoming;
    const name = nameOf(client);
    if (!signed) {
      const call = byContent(chatId, content, { replyTo }) ??
        sendText(chatId, `[${content.kind}]`, { replyTo });
      return { call, signedInline: false };
    }
    const limit = content.kind === "text" ? MAX_TEXT : MAX_CAPTION;
    const inline = content.kind === "text" || CAPTIONED.has(content.kind)
      ? signText(name, content.text ?? "", content.entities, limit)
      : undefined;
    const call = inline
      ? byContent(chatId, content, { replyTo, text: inline })
      : byContent(chatId, content, {
        replyTo,
        buttons: nameButton({ clientId: client.userId, name }),
      });
    if (call) return { call, signedInline: inline !== undefined };
    // A kind the stored message does not hold (a location, a poll): its name, signed.
    return {
      call: sendText(chatId, `${name}: [${content.kind}]`, { replyTo }),
      signedInline: true,
    };
  },
  answer(ctx, ticket, source, messageId, _replyTo, share) {
    const connectionId = ctx.store.wayOf(ticket.id);
    const m = ctx.store.getMessage(messageId);
    if (connectionId === null || !m) return;
    // A reply to a message of the business chat stays one: its place there, if it has one.
    const target = m.replyToId === null
      ? undefined
      : ctx.store.businessPlaces(m.replyToId, connectionId)[0] ??
        businessOriginal(ctx, m.replyToId);
    const content = { ...contentOf(m), ...(share ? { share } : {}) };
    const call = asAccount(connectionId, ticket.clientId, content, target ?? null);
    if (call === undefined) {
      const agent = ctx.store.getUser(source.chatId);
      if (agent) ctx.say(agent, (t) => t.business.notCarried);
      return;
    }
    deliver(ctx, ticket, connectionId, call, messageId);
  },
  answerText(ctx, ticket, messageId) {
    // The text is the stored message's: carried as the account, as any answer.
    businessChat.answer(ctx, ticket, { chatId: 0, messageId: 0 }, messageId, null);
  },
  shows(ctx, m) {
    // Sent, or on its way in the outbox (where the bot's chat would have it by then); not
    // while it is kept for the account to write again.
    return !ctx.store.isHeld(m.id);
  },
  mirrorEdit(ctx, clientId, messageId) {
    const m = ctx.store.getMessage(messageId);
    if (!m) return;
    const connectionId = ctx.store.wayOf(m.ticketId);
    if (connectionId === null) return;
    const ticket = ctx.store.getTicket(m.ticketId);
    if (!ticket || ticket.status === "closed" || m.text === null) return;
    // As in the bot's chat, a job: the edit reads where the message landed when it is sent.
    const job = {
      method: "editCopy",
      params: { chat_id: clientId, message_id: m.id, business_connection_id: connectionId },
    } as const;
    deliver(ctx, ticket, connectionId, job, null);
  },
  react() {
    // The account sets no reactions for the bot: nothing to mirror.
  },
  album(ctx, ticket, mediaGroupId) {
    const connectionId = ctx.store.wayOf(ticket.id);
    if (connectionId === null) return;
    const call = {
      method: "sendAlbum",
      params: {
        chat_id: ticket.clientId,
        ticket_id: ticket.id,
        media_group_id: mediaGroupId,
        business_connection_id: connectionId,
      },
    } as const;
    // As any album: collected a moment, in the lane of relayed messages (`messages.ts`).
    const place = { lane: LANE.messages, priority: PRIORITY.relayed };
    deliver(ctx, ticket, connectionId, call, null, { place, at: ctx.now + ALBUM_COLLECT_MS });
  },
  notice(ctx, ticket, notice) {
    // Short, in the client's language, as the account; each can be turned off.
    const connectionId = ctx.store.wayOf(ticket.id);
    if (connectionId === null) return;
    const t = texts(ctx.user(ticket.clientId).language);
    const { config } = ctx;
    const said = noticeText(t, notice, config);
    if (said === undefined) return;
    const buttons = notice.kind === "closed" && notice.rate && config.businessRating
      ? ratingButtons(ticket.id)
      : undefined;
    const call = sendText(ticket.clientId, said, { buttons });
    deliver(ctx, ticket, connectionId, {
      method: "sendMessage",
      params: { ...call.params, business_connection_id: connectionId },
    }, null);
  },
};

/**
 * What the account says for `notice`, or `undefined`: nothing (turned off). The rating's
 * question and thanks are the bot chat's own words: they read as the company's too.
 */
function noticeText(
  t: Texts,
  notice: ClientNotice,
  config: DeskContext["config"],
): string | undefined {
  switch (notice.kind) {
    case "queued":
      return config.businessQueueNotice ? t.business.queuedNotice(notice.place) : undefined;
    case "closed": {
      const lines = [
        ...(config.businessClosingNotice ? [t.business.closedNotice] : []),
        ...(notice.rate && config.businessRating ? [t.rateAsk] : []),
      ];
      return lines.length > 0 ? lines.join("\n\n") : undefined;
    }
    case "rated":
      return t.rateThanks(notice.stars);
    case "commented":
      return t.commentThanks;
  }
}
