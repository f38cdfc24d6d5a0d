/**
 * Where a delivery stands in its chat's outbox: its lane (messages in order, calls that are
 * not messages beside them, what goes later, files) and its priority within the lane (notices
 * before relayed messages); which calls post a message, the kind Telegram's flood limits count.
 * Pure; no Telegram, no database.
 *
 * Files (a `/history` file, an admin's `/export`) have a lane of their own, rather than giving
 * up soon (issue 22): a file is a report someone asked for, not a line of a ticket, so its
 * place among the chat's messages does not matter, while its upload is big and slow and may
 * fail for a long time (a Bot API server without `sendDocument` answers 500 to every try). In
 * the messages' lane it held the `/stats` answer and the closing notice behind it for the
 * whole `DELIVERY_GIVE_UP_MINUTES`. In a lane of its own it holds nothing back, and it keeps
 * the messages' guarantee: it is tried as long as a message is (a short outage does not lose
 * it), and what gives up is said in the log, as for any delivery. Giving up soon instead would
 * lose files to a passing outage and need a sentence to the asker that the desk does not have.
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
    case "sendPhoto":
    case "sendVideo":
    case "sendAnimation":
    case "sendAudio":
    case "sendDocument":
    case "sendVoice":
    case "sendVideoNote":
    case "sendSticker":
    case "sendLocation":
    case "sendVenue":
    case "sendContact":
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
  /**
   * Files someone asked for (history, export): they wait and are retried without holding back
   * the messages, and only files wait behind them (see the module's comment).
   */
  files: 3,
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
 * in a lane beside it, so that a failing menu update never holds back a message, what is
 * written to go later in a third, and files in a fourth, so that a file that keeps failing
 * never holds back a message either; within the messages, the bot's own notices before relayed
 * messages, so that one flooding client cannot push an agent's confirmations to the back.
 */
export function placeOf(
  method: string,
  messageId: number | null,
): { readonly lane: number; readonly priority: number } {
  return {
    lane: laneOf(method),
    priority: messageId === null ? PRIORITY.notice : PRIORITY.relayed,
  };
}

/** The lane of a delivery of `method`. */
function laneOf(method: string): number {
  switch (method) {
    case "foldSummary":
      return LANE.later;
    case "sendHistory":
    case "sendExport":
      return LANE.files;
    default:
      return postsMessage(method) ? LANE.messages : LANE.calls;
  }
}
