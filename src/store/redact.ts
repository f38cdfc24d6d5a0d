/**
 * What a parked update keeps of the bot's secrets: nothing. The desk never stores the support
 * token (`src/desk/token.ts`), and a parked update is stored raw, so before it is written every
 * string in it has the support token replaced by {@link SUPPORT_TOKEN_MARK} and the bot token
 * by {@link BOT_TOKEN_MARK}; the error stored with it likewise.
 *
 * Tried again, the update must be handled as it came: a message that carried the support token
 * is deleted in its chat and never relayed, which the desk decides by finding the token in it.
 * So the row keeps a fingerprint of the token it carried (HMAC-SHA-256 keyed with the bot
 * token, which is not stored either: the fingerprint tells nothing without it), and at the
 * retry the mark turns back into the current token only if that fingerprint is the current
 * token's. After `SUPPORT_TOKEN` was rotated it stays a mark: an old token is neither a secret
 * nor a way in any more (a parked `/register_support` with it is a wrong token). The bot token
 * is never put back.
 *
 * @module
 */

/** What a parked update's support token is stored as. */
export const SUPPORT_TOKEN_MARK = "[support token withheld]";
/** What a parked update's bot token is stored as (never put back). */
export const BOT_TOKEN_MARK = "[bot token withheld]";

/** The secrets kept out of what is stored, and the support token's fingerprint. */
export interface Secrets {
  readonly supportToken: string;
  readonly botToken: string;
  /** The support token's fingerprint, keyed with the bot token ({@link secretsOf}). */
  readonly tokenMark: string;
}

/**
 * The secrets with the support token's fingerprint: an HMAC-SHA-256 of it keyed with the bot
 * token, 32 hex digits. Computed once at start with Web Crypto (asynchronous only), not per
 * update with `node:crypto`, whose loading alone costs the process about 5 MiB.
 */
export async function secretsOf(supportToken: string, botToken: string): Promise<Secrets> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(botToken),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(supportToken)));
  const hex = Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return { supportToken, botToken, tokenMark: hex.slice(0, 32) };
}

/** An update as stored: its JSON without secrets, and the fingerprint of the token it carried. */
export interface RedactedUpdate {
  readonly json: string;
  /** {@link Secrets.tokenMark} when the update carried the support token, else `null`. */
  readonly tokenMark: string | null;
}

/** `update` as JSON, every string in it without the secrets. */
export function redactUpdate(update: unknown, secrets: Secrets): RedactedUpdate {
  let carried = false;
  const json = JSON.stringify(update, (_key, value) => {
    if (typeof value !== "string") return value;
    if (value.includes(secrets.supportToken)) carried = true;
    return redactText(value, secrets);
  });
  return { json, tokenMark: carried ? secrets.tokenMark : null };
}

/** `text` without the secrets. */
export function redactText(text: string, secrets: Secrets): string {
  return text.replaceAll(secrets.supportToken, SUPPORT_TOKEN_MARK)
    .replaceAll(secrets.botToken, BOT_TOKEN_MARK);
}

/**
 * A stored update, parsed, as it came as far as the desk can tell: the support token put back
 * where it stood when `mark` is the current token's fingerprint (see the module's comment).
 */
export function restoreUpdate(json: string, mark: string | null, secrets: Secrets): unknown {
  if (mark === null || mark !== secrets.tokenMark) return JSON.parse(json);
  return JSON.parse(
    json,
    (_key, value) =>
      typeof value === "string"
        ? value.replaceAll(SUPPORT_TOKEN_MARK, secrets.supportToken)
        : value,
  );
}
