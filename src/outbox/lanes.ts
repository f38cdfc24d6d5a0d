/**
 * Where a delivery stands in its chat's outbox: its lane (messages in order, calls that are
 * not messages beside them, what goes later) and its priority within the lane (notices before
 * relayed messages); which calls post a message, the kind Telegram's flood limits count.
 * Pure; no Telegram, no database.
 *
 * @module
 */

/**
 * Whether a delivery of `method` posts a message to the chat: the kind of call Telegram's
 * flood limits count.
 */
export function postsMessage(method: string): boolean {
  switch (method) {
    case "sendMessage":
    case "copyMessage":
    case "copyMessages":
    case "sendMediaGroup":
    case "sendHistory":
    case "sendExport":
    case "editCopy":
    case "foldSummary":
    case "sendAlbum":
    case "sendStatsChart":
      return true;
    default:
      return false;
  }
}

/** The lanes of a chat's deliveries. */
export const LANE = {
  /** Messages, in the order written (and notices before relayed messages). */
  messages: 0,
  /** Calls that are not messages: menus, button answers, removing buttons, deleting a message. */
  calls: 1,
  /**
   * Messages written to go later (the summary of a flood): they wait without holding back the
   * messages, and nothing waits behind them.
   */
  later: 2,
} as const;

/** The priorities within a lane: lower goes first. */
export const PRIORITY = {
  /** What the bot says to a user about their own action, and notices. */
  notice: 0,
  /** A relayed message (it carries a message of the ticket). */
  relayed: 1,
} as const;

/**
 * Where a delivery goes in its chat's outbox: messages in one lane, in order, the other calls
 * in a lane beside it, so that a failing menu update never holds back a message, and what is
 * written to go later in a third; within the messages, the bot's own notices before relayed
 * messages, so that one flooding client cannot push an agent's confirmations to the back.
 */
export function placeOf(
  method: string,
  messageId: number | null,
): { readonly lane: number; readonly priority: number } {
  return {
    lane: method === "foldSummary" ? LANE.later : postsMessage(method) ? LANE.messages : LANE.calls,
    priority: messageId === null ? PRIORITY.notice : PRIORITY.relayed,
  };
}
