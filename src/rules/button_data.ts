/**
 * What an inline button means: one union of every button the bot makes, one function that
 * packs it into Telegram's `callback_data` (at most 64 bytes) and one that reads it back.
 * The packed forms are those of earlier versions (`close:12`, `rate:12:5`, …), so buttons
 * under old messages keep working. Pure; no Telegram, no database.
 *
 * @module
 */

/** The meaning of a button. */
export type ButtonData =
  /** A client closes their ticket. */
  | { readonly action: "close"; readonly ticketId: number }
  /** A client rates a closed ticket, 1 to 5. */
  | { readonly action: "rate"; readonly ticketId: number; readonly rating: number }
  /** A client who rated says they have no comment. */
  | { readonly action: "skip"; readonly ticketId: number }
  /** An agent hands their ticket to another agent, or back to the queue. */
  | { readonly action: "transfer"; readonly ticketId: number; readonly to: number | "queue" }
  /** An agent sends one of their saved replies. */
  | { readonly action: "canned"; readonly cannedId: number }
  /** An agent asks who wrote a copy: the client card. */
  | { readonly action: "card"; readonly clientId: number }
  /** An agent turns one of their languages on or off, or (`auto`) takes their app's. */
  | { readonly action: "lang"; readonly language: string }
  /** A client picks the department of the ticket they are opening. */
  | { readonly action: "dept"; readonly key: string }
  /** An agent joins or leaves a department. */
  | { readonly action: "member"; readonly key: string }
  /** An agent sends their ticket to another department. */
  | { readonly action: "move"; readonly ticketId: number; readonly key: string }
  /** An agent sends a language model's draft to the client as it is, or drops it. */
  | { readonly action: "draft"; readonly draftId: number; readonly send: boolean }
  /** A client says whether the answer from the knowledge base helped (else: a person). */
  | { readonly action: "faq"; readonly helped: boolean }
  /** An agent sends an article of the knowledge base suggested for a ticket. */
  | { readonly action: "article"; readonly ticketId: number; readonly articleId: number };

/** The action of a button. */
export type ButtonAction = ButtonData["action"];

/** The `callback_data` of a button. */
export function packButton(data: ButtonData): string {
  switch (data.action) {
    case "close":
    case "skip":
      return `${data.action}:${data.ticketId}`;
    case "rate":
      return `rate:${data.ticketId}:${data.rating}`;
    case "transfer":
      return `transfer:${data.ticketId}:${data.to}`;
    case "canned":
      return `canned:${data.cannedId}`;
    case "card":
      return `card:${data.clientId}`;
    case "lang":
      return `lang:${data.language}`;
    case "dept":
    case "member":
      return `${data.action}:${data.key}`;
    case "move":
      return `move:${data.ticketId}:${data.key}`;
    case "draft":
      return `draft:${data.draftId}:${data.send ? "send" : "drop"}`;
    case "faq":
      return `faq:${data.helped ? 1 : 0}`;
    case "article":
      return `article:${data.ticketId}:${data.articleId}`;
  }
}

/** A department's key or a language's code, as buttons carry them (see `DEPARTMENTS`). */
function key(text: string | undefined): string | undefined {
  return text !== undefined && /^[a-z0-9_-]{1,24}$/.test(text) ? text : undefined;
}

/** A positive whole number written in decimal digits, else `undefined`. */
function id(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,15}$/.test(text)) return undefined;
  const value = Number(text);
  return value > 0 ? value : undefined;
}

/**
 * What a button's `callback_data` means, or `undefined` for data the bot never made (forged,
 * or from a button of another bot): such a press is answered as a stale button.
 */
export function parseButton(data: string): ButtonData | undefined {
  const [action, a, b, ...rest] = data.split(":");
  if (rest.length > 0) return undefined;
  switch (action) {
    case "close":
    case "skip": {
      const ticketId = id(a);
      return ticketId !== undefined && b === undefined ? { action, ticketId } : undefined;
    }
    case "rate": {
      const ticketId = id(a);
      const rating = id(b);
      if (ticketId === undefined || rating === undefined || rating > 5) return undefined;
      return { action, ticketId, rating };
    }
    case "transfer": {
      const ticketId = id(a);
      const to = b === "queue" ? b : id(b);
      return ticketId !== undefined && to !== undefined ? { action, ticketId, to } : undefined;
    }
    case "canned": {
      const cannedId = id(a);
      return cannedId !== undefined && b === undefined ? { action, cannedId } : undefined;
    }
    case "card": {
      const clientId = id(a);
      return clientId !== undefined && b === undefined ? { action, clientId } : undefined;
    }
    case "lang": {
      const language = key(a);
      return language !== undefined && b === undefined ? { action, language } : undefined;
    }
    case "dept":
    case "member": {
      const k = key(a);
      return k !== undefined && b === undefined ? { action, key: k } : undefined;
    }
    case "move": {
      const ticketId = id(a);
      const k = key(b);
      return ticketId !== undefined && k !== undefined ? { action, ticketId, key: k } : undefined;
    }
    case "draft": {
      const draftId = id(a);
      if (draftId === undefined || (b !== "send" && b !== "drop")) return undefined;
      return { action, draftId, send: b === "send" };
    }
    case "faq":
      return (a === "1" || a === "0") && b === undefined
        ? { action, helped: a === "1" }
        : undefined;
    case "article": {
      const ticketId = id(a);
      const articleId = id(b);
      if (ticketId === undefined || articleId === undefined) return undefined;
      return { action, ticketId, articleId };
    }
    default:
      return undefined;
  }
}
