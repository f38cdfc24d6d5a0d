/**
 * How a client's message is signed for the agent: `👤 Name:` in bold in front of the text or
 * caption, within Telegram's limit. Pure functions; no Telegram, no database.
 *
 * @module
 */
import type { MessageEntity } from "grammy/types";

/** Moves entities right by `by` UTF-16 code units. */
function shift(entities: readonly MessageEntity[] | null, by: number): MessageEntity[] {
  return (entities ?? []).map((e) => ({ ...e, offset: e.offset + by }));
}

/**
 * A text or caption signed with the client's name (`👤 Name:` in bold, then the text), or
 * `undefined` when the two together exceed `limit`.
 */
export function signText(
  clientName: string,
  text: string,
  entities: readonly MessageEntity[] | null,
  limit: number,
): { text: string; entities: MessageEntity[] } | undefined {
  const label = `👤 ${clientName}`;
  const header = `${label}:\n`;
  if (header.length + text.length > limit) return undefined;
  const bold: MessageEntity = { type: "bold", offset: 0, length: label.length };
  return {
    text: text ? header + text : label,
    entities: [bold, ...shift(entities, header.length)],
  };
}

/** Who wrote a client's message, as the agent's copy is signed. */
export interface Signer {
  readonly clientId: number;
  readonly name: string;
}
