/**
 * Team mode's topic titles: `🟢 #T-000123 · Ivan Petrov`, or with a department
 * `🟢 #T-000123 · Billing · Ivan Petrov`, or written to a company's account (Telegram Business)
 * `🟢 #T-000123 · 🏢 Shop · Ivan Petrov`; the state first (new, waiting, open, closed), cut to
 * Telegram's 128 characters at a character boundary (never inside an emoji or a letter with its
 * accents). Pure; no Telegram, no database.
 *
 * @module
 */

/** What a client's topic shows of their latest ticket. */
export type TopicState = "new" | "waiting" | "open" | "closed";

/** The mark of each state, in front of the title. */
export const STATE_MARK: Readonly<Record<TopicState, string>> = {
  new: "🔵",
  waiting: "🟡",
  open: "🟢",
  closed: "✅",
};

/** Telegram's limit on a topic's name (`createForumTopic`, `editForumTopic`), in characters. */
export const MAX_TOPIC_NAME = 128;

/** The state a ticket shows: closed, taken, waiting too long, or new. */
export function topicState(
  ticket: { readonly status: string; readonly waitingSince?: number | null } | undefined,
): TopicState {
  if (!ticket || ticket.status === "closed") return "closed";
  if (ticket.status === "open") return "open";
  return ticket.waitingSince ? "waiting" : "new";
}

/**
 * The title of a client's topic: `<mark> <number> · <name>`, or with the ticket's department
 * `<mark> <number> · <department> · <name>`, with the company account it came to first
 * (`🏢 <account> · `), at most 128 characters.
 */
export function topicTitle(
  state: TopicState,
  number: string,
  name: string,
  department: string | null = null,
  account: string | null = null,
): string {
  const clean = name.replace(/\s+/g, " ").trim() || "?";
  const where = department === null ? "" : `${department} · `;
  // Telegram Business: the company account the client wrote to.
  const via = account === null ? "" : `${BUSINESS_MARK} ${account.replace(/\s+/g, " ").trim()} · `;
  return cutTitle(`${STATE_MARK[state]} ${number} · ${via}${where}${clean}`);
}

/** The mark of a ticket that came to a company's business account. */
export const BUSINESS_MARK = "🏢";

/** Grapheme segmentation, made at its first use (it loads ICU's data: see `texts/plural.ts`). */
let graphemes: Intl.Segmenter | undefined;

/**
 * `title` cut to {@link MAX_TOPIC_NAME} characters as Telegram counts them (UTF-16 code
 * units), at a grapheme boundary: a cut never splits an emoji, a flag or a letter from its
 * accents; a cut title ends in `…`.
 */
export function cutTitle(title: string): string {
  if (title.length <= MAX_TOPIC_NAME) return title;
  let out = "";
  graphemes ??= new Intl.Segmenter("en", { granularity: "grapheme" });
  for (const { segment } of graphemes.segment(title)) {
    if (out.length + segment.length > MAX_TOPIC_NAME - 1) break;
    out += segment;
  }
  return `${out.trimEnd()}…`;
}
