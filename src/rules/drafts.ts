/**
 * Drafts from a language model, the pure part: what the model is sent (the system prompt, the
 * matching articles, the ticket's recent texts, bounded) and what its answer must be to be
 * shown. The chat completions format of OpenAI-compatible APIs (Ollama, vLLM, OpenAI,
 * DeepSeek): `{ model, messages: [{ role, content }] }` in, `choices[0].message.content` out.
 * Nothing of the client but what they wrote is sent: no name, phone number or user id.
 *
 * @module
 */

/** An article of the knowledge base that matches a question (found by the knowledge base). */
export interface DraftArticle {
  readonly question: string;
  readonly answer: string;
  readonly score: number;
}

/** Finds the articles that match `text`, the best first, at most `limit`. */
export type ArticleFinder = (text: string, limit: number) => readonly DraftArticle[];

/** One line of the conversation as stored: who wrote it, its kind, its text or caption. */
export interface ConversationLine {
  readonly role: "client" | "agent";
  readonly kind: string;
  readonly text: string | null;
}

/** One message of a chat completions request. */
export interface ChatMessage {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

/** The last this many messages of a ticket are sent. */
export const DRAFT_LINES = 20;
/** At most this many characters of them (the newest kept first). */
export const DRAFT_CHARS = 8000;
/** At most this many articles. */
export const DRAFT_ARTICLES = 3;
/** At most this many characters of one article's answer. */
const ARTICLE_CHARS = 1500;
/** A draft longer than this is cut (a Telegram message holds 4096 with the heading). */
export const DRAFT_MAX_TEXT = 3500;

/** The system prompt unless `LLM_PROMPT_FILE` replaces it. */
export const DEFAULT_PROMPT = [
  "You draft answers for the agents of a customer support desk.",
  "Write the next answer to the client, in the client's language, as the agent would send it:",
  "short, polite and concrete. Use the knowledge base articles when they apply and never make",
  "up facts, prices, links or promises. When you cannot answer, write a short question that",
  "helps the agent find out what the client needs. Write only the answer's text.",
].join(" ");

/** A line's text as the model reads it: a file's kind in brackets, before its caption. */
function lineText(line: ConversationLine): string {
  const text = line.text?.trim() ?? "";
  if (line.kind === "text") return text;
  return text === "" ? `[${line.kind}]` : `[${line.kind}] ${text}`;
}

/**
 * What the client asked since the agent last answered (`newestFirst`: the lines, the newest
 * first): the text the knowledge base is searched with.
 */
export function latestQuestion(newestFirst: readonly ConversationLine[]): string {
  const asked: string[] = [];
  for (const line of newestFirst) {
    if (line.role !== "client") break;
    if (line.text) asked.unshift(line.text.trim());
  }
  return asked.join("\n");
}

/**
 * The messages of a chat completions request: the system prompt with the articles, then the
 * conversation, oldest first, at most {@link DRAFT_CHARS} characters of it (the newest kept;
 * the client's lines are `user`, the agents' `assistant`, one after another merged).
 * `newestFirst`: the ticket's last lines, the newest first.
 */
export function draftMessages(
  prompt: string,
  newestFirst: readonly ConversationLine[],
  articles: readonly DraftArticle[],
): ChatMessage[] {
  let system = prompt;
  if (articles.length > 0) {
    const shown = articles.slice(0, DRAFT_ARTICLES).map((a, i) =>
      `${i + 1}. ${a.question.trim()}\n${cut(a.answer.trim(), ARTICLE_CHARS)}`
    );
    system += `\n\nKnowledge base articles that may apply:\n\n${shown.join("\n\n")}`;
  }
  const kept: ConversationLine[] = [];
  let left = DRAFT_CHARS;
  for (const line of newestFirst.slice(0, DRAFT_LINES)) {
    const text = lineText(line);
    if (text === "") continue;
    if (left <= 0) break;
    // The newest lines first; the oldest one kept is cut to what is left.
    kept.unshift({ ...line, kind: "text", text: text.length > left ? cutStart(text, left) : text });
    left -= text.length;
  }
  const messages: ChatMessage[] = [{ role: "system", content: system }];
  let last: { role: "user" | "assistant"; content: string } | undefined;
  for (const line of kept) {
    const role = line.role === "client" ? "user" : "assistant";
    if (last?.role === role) {
      last.content += `\n${line.text}`;
      continue;
    }
    last = { role, content: line.text ?? "" };
    messages.push(last);
  }
  return messages;
}

/** The body of a chat completions request. */
export function completionRequest(model: string, messages: readonly ChatMessage[]): string {
  return JSON.stringify({ model, messages, stream: false });
}

/**
 * The draft in a chat completions answer (`choices[0].message.content`), trimmed and cut to
 * {@link DRAFT_MAX_TEXT}; `undefined` when the answer holds none (garbage, an empty text, a
 * refusal).
 */
export function draftOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const choices = (body as { choices?: unknown }).choices;
  if (!Array.isArray(choices) || choices.length === 0) return undefined;
  const message = (choices[0] as { message?: { content?: unknown } } | null)?.message;
  const content = message?.content;
  if (typeof content !== "string") return undefined;
  // Some models think aloud first; only the answer is a draft.
  const text = content.replace(/<think>[\s\S]*?<\/think>/g, "").trim();
  return text === "" ? undefined : cut(text, DRAFT_MAX_TEXT);
}

/** `text` cut to `max` characters, with an ellipsis when cut. */
function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** `text` with its beginning cut, so that `max` characters are left. */
function cutStart(text: string, max: number): string {
  return `…${text.slice(text.length - max + 1).trimStart()}`;
}
