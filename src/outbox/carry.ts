/**
 * The calls that carry a relayed message to the other side: a client's message to the agent,
 * signed with the client's name (in the text or caption when it fits, else on a button under
 * the copy), and an agent's message to the client, a plain copy. Pure builders.
 *
 * @module
 */
import { packButton } from "../rules/button_data.ts";
import { CAPTIONED, MAX_CAPTION, MAX_TEXT, type MessageContent } from "../rules/content.ts";
import { type Signer, signText } from "../rules/signing.ts";
import type { ApiCall } from "./calls.ts";
import { type Buttons, copy, sendText } from "./builders.ts";

/**
 * The button that carries the client's name under a copy that cannot take it in its text
 * (a sticker, a location, a text at Telegram's limit): pressing it shows the client card.
 */
export function nameButton(signer: Signer): Buttons {
  return [[{
    text: `👤 ${signer.name}`,
    callback_data: packButton({ action: "card", clientId: signer.clientId }),
  }]];
}

/**
 * The one call that carries a client's message to the agent, signed with the client's name:
 * in front of the text or caption when both fit Telegram's limit (`signedInline`), else on a
 * button under the copy, so that the message arrives whole, as one message, and the agent
 * still sees at once who wrote. `replyToId` (a message in the agent's chat) makes the copy a
 * reply to it.
 */
export function clientToAgent(
  content: MessageContent,
  source: { readonly chatId: number; readonly messageId: number },
  agentChatId: number,
  signer: Signer,
  replyToId: number | null = null,
): { readonly call: ApiCall; readonly signedInline: boolean } {
  const text = content.text ?? "";
  const signedText = content.kind === "text"
    ? signText(signer.name, text, content.entities, MAX_TEXT)
    : undefined;
  if (signedText) {
    const call = sendText(agentChatId, signedText.text, {
      entities: signedText.entities,
      replyTo: replyToId,
    });
    return { call, signedInline: true };
  }
  const caption = CAPTIONED.has(content.kind)
    ? signText(signer.name, text, content.entities, MAX_CAPTION)
    : undefined;
  const copied = (options: Parameters<typeof copy>[3]) =>
    copy(agentChatId, source.chatId, source.messageId, options);
  if (caption) return { call: copied({ caption, replyTo: replyToId }), signedInline: true };
  return {
    call: copied({ buttons: nameButton(signer), replyTo: replyToId }),
    signedInline: false,
  };
}

/**
 * The call that carries an agent's message to the client: a plain copy, no signature;
 * `replyToId` (a message in the client's chat) makes it a reply.
 */
export function agentToClient(
  source: { readonly chatId: number; readonly messageId: number },
  clientChatId: number,
  replyToId: number | null = null,
): ApiCall {
  return copy(clientChatId, source.chatId, source.messageId, { replyTo: replyToId });
}
