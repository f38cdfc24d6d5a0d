/**
 * The buttons the desk puts under its messages, in the reader's language, their meaning
 * packed by `src/rules/button_data.ts`. What a press does is in `buttons.ts`.
 *
 * @module
 */
import { packButton } from "../rules/button_data.ts";
import type { Buttons } from "../outbox/builders.ts";
import type { User } from "../store/mod.ts";
import { type Texts, texts } from "../texts/mod.ts";

/** The close button a client gets with their ticket. */
export function closeButton(client: User, ticketId: number): Buttons {
  return [[{
    text: texts(client.language).closeButton,
    callback_data: packButton({ action: "close", ticketId }),
  }]];
}

/** The 1–5 rating buttons under a closed ticket. */
export function ratingButtons(ticketId: number): Buttons {
  return [[1, 2, 3, 4, 5].map((rating) => ({
    // The star of the ratings' texts (`stars` in `src/texts/mod.ts`), not a second one.
    text: `${rating} ★`,
    callback_data: packButton({ action: "rate", ticketId, rating }),
  }))];
}

/** "No comment", under the thanks for a rating. */
export function skipCommentButton(client: User, ticketId: number): Buttons {
  return [[{
    text: texts(client.language).commentSkip,
    callback_data: packButton({ action: "skip", ticketId }),
  }]];
}

/** One button per free agent to hand the ticket to, then "back to the queue". */
export function transferButtons(
  agent: User,
  ticketId: number,
  choices: readonly { readonly userId: number; readonly name: string }[],
): Buttons {
  return [
    ...choices.map((choice) => [{
      text: choice.name,
      callback_data: packButton({ action: "transfer", ticketId, to: choice.userId }),
    }]),
    [{
      text: texts(agent.language).transferQueueButton,
      callback_data: packButton({ action: "transfer", ticketId, to: "queue" }),
    }],
  ];
}

/** One button per saved reply. */
export function cannedButtons(replies: readonly { readonly id: number; readonly name: string }[]) {
  return replies.map((reply) => [{
    text: reply.name,
    callback_data: packButton({ action: "canned", cannedId: reply.id }),
  }]);
}

/** "Send" and "Drop" under a language model's draft, in the words of `t`. */
export function draftButtons(t: Texts, draftId: number): Buttons {
  return [[
    { text: t.draftSend, callback_data: packButton({ action: "draft", draftId, send: true }) },
    { text: t.draftDrop, callback_data: packButton({ action: "draft", draftId, send: false }) },
  ]];
}
