/**
 * The knowledge base's file and its scores, as plain functions: reading a `FAQ_FILE` (Markdown:
 * each `## ` heading is a question, the text under it the answer, converted to Telegram's
 * text and entities) and scoring how well an article answers a question (from word stems,
 * `stemmer.ts`). The index itself is SQLite FTS5 (`src/store/knowledge.ts`). Pure; no
 * Telegram, no database.
 *
 * @module
 */
import type { MessageEntity } from "grammy/types";
import { stems } from "./stemmer.ts";

/** A Telegram message entity, as the Bot API takes it. */
export type FaqEntity = MessageEntity;

/** An answer as sent to Telegram: plain text and its entities. */
export interface FaqAnswer {
  readonly text: string;
  readonly entities: readonly FaqEntity[];
}

/** One article of the file: a question and its answer. */
export interface FaqEntry {
  readonly question: string;
  readonly answer: FaqAnswer;
}

/** An article found for a text: its id in the index, and how well it answers (0 to 1). */
export interface Article {
  readonly id: number;
  readonly question: string;
  readonly answer: FaqAnswer;
  readonly score: number;
}

/** A file that cannot be read as a knowledge base: `message` says where and why. */
export class FaqError extends Error {}

/** The longest text Telegram takes in one message. */
const MESSAGE_MAX = 4096;
/** The longest question (it is shown on a button to agents, cut there). */
const QUESTION_MAX = 300;
/** The most articles a file may hold. */
export const FAQ_MAX_ARTICLES = 1000;

/**
 * The articles of a FAQ file's Markdown. Text before the first `## ` heading (a `# ` title,
 * a preface) is not an article. Throws {@link FaqError} naming the line of a question
 * without an answer, an answer too long for one message, or a file without questions.
 */
export function parseFaq(markdown: string): FaqEntry[] {
  const lines = markdown.replace(/^\uFEFF/, "").split(/\r?\n/);
  const entries: FaqEntry[] = [];
  let question: { readonly text: string; readonly line: number } | undefined;
  let body: string[] = [];
  const finish = () => {
    if (question === undefined) return;
    const answer = markdownToTelegram(body.join("\n"));
    if (answer.text === "") {
      throw new FaqError(`line ${question.line}: the question "${question.text}" has no answer`);
    }
    if (answer.text.length > MESSAGE_MAX) {
      throw new FaqError(
        `line ${question.line}: the answer to "${question.text}" is longer than ` +
          `${MESSAGE_MAX} characters`,
      );
    }
    entries.push({ question: question.text, answer });
  };
  lines.forEach((line, i) => {
    // A closing run of `#` needs a space before it (CommonMark): "## What is C#" keeps its `#`.
    const heading = /^##\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (heading && !line.startsWith("###")) {
      finish();
      const text = heading[1];
      if (text === "") throw new FaqError(`line ${i + 1}: a "## " heading without a question`);
      if (text.length > QUESTION_MAX) {
        throw new FaqError(`line ${i + 1}: a question longer than ${QUESTION_MAX} characters`);
      }
      question = { text, line: i + 1 };
      body = [];
    } else if (question !== undefined) body.push(line);
  });
  finish();
  if (entries.length === 0) throw new FaqError(`no questions: no "## " heading in the file`);
  if (entries.length > FAQ_MAX_ARTICLES) {
    throw new FaqError(`${entries.length} questions, more than ${FAQ_MAX_ARTICLES}`);
  }
  return entries;
}

/** Inline Markdown: code, links, bold, italic, strikethrough (first match at each place). */
const INLINE =
  /`([^`\n]+)`|\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*([^*\n]+)\*\*|__([^_\n]+)__|\*([^*\n]+)\*|(?<![\p{L}\p{N}])_([^_\n]+)_(?![\p{L}\p{N}])|~~([^~\n]+)~~/gu;

/**
 * Markdown as Telegram's text and entities: paragraphs, `- ` or `* ` lists (as •), fenced
 * code blocks, `inline code`, [links](https://…), **bold**, *italic* or _italic_, ~~struck~~;
 * `### ` subheadings are bold lines. What else it holds is kept as written.
 */
export function markdownToTelegram(markdown: string): FaqAnswer {
  let text = "";
  const entities: FaqEntity[] = [];
  const lines = markdown.split("\n");
  let fence: string[] | undefined;
  let blank = false;
  /** Whether the last line was a paragraph's: the next one of it goes on after a space. */
  let paragraph = false;
  const newline = (continues = false) => {
    if (text === "") return;
    text += blank ? "\n\n" : continues && paragraph ? " " : "\n";
    blank = false;
  };
  for (const raw of lines) {
    if (/^\s*```/.test(raw)) {
      if (fence === undefined) fence = [];
      else {
        newline();
        const code = fence.join("\n");
        if (code !== "") entities.push({ type: "pre", offset: text.length, length: code.length });
        text += code;
        fence = undefined;
      }
      continue;
    }
    if (fence !== undefined) {
      fence.push(raw);
      continue;
    }
    const line = raw.trimEnd();
    if (line.trim() === "") {
      if (text !== "") blank = true;
      paragraph = false;
      continue;
    }
    const sub = /^#{3,6}\s+(.*)$/.exec(line);
    const item = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    newline(!sub && !item);
    paragraph = !sub && !item;
    if (sub) {
      const start = text.length;
      inline(sub[1]);
      entities.push({ type: "bold", offset: start, length: text.length - start });
      continue;
    }
    if (item) {
      text += `${item[1]}• `;
      inline(item[2]);
    } else inline(line.trimStart());
  }
  if (fence !== undefined) {
    newline();
    text += fence.join("\n");
  }
  return { text: text.trimEnd(), entities };

  function inline(line: string): void {
    let at = 0;
    for (const m of line.matchAll(INLINE)) {
      text += line.slice(at, m.index);
      at = m.index + m[0].length;
      const start = text.length;
      const [, code, label, url, bold1, bold2, italic1, italic2, struck] = m;
      if (code !== undefined) {
        text += code;
        entities.push({ type: "code", offset: start, length: code.length });
      } else if (label !== undefined) {
        text += label;
        if (/^(https?:\/\/|tg:\/\/|mailto:)/i.test(url)) {
          entities.push({ type: "text_link", offset: start, length: label.length, url });
        } else text += ` (${url})`;
      } else {
        const inner = bold1 ?? bold2 ?? italic1 ?? italic2 ?? struck;
        const type = bold1 ?? bold2 ? "bold" : struck !== undefined ? "strikethrough" : "italic";
        text += inner;
        entities.push({ type, offset: start, length: inner.length } as FaqEntity);
      }
    }
    text += line.slice(at);
  }
}

/** The stems of an article's question and answer, as the index keeps them. */
export function articleStems(
  entry: FaqEntry,
): { readonly question: string; readonly answer: string } {
  return {
    question: stems(entry.question).join(" "),
    answer: stems(entry.answer.text).join(" "),
  };
}

/**
 * How well an article answers a question, from 0 to 1: the overlap (Dice) of the question's
 * stems with the article's question stems, each stem weighted by how rare it is in the base
 * (`weight`: its inverse document frequency), a stem found only in the answer counting a
 * quarter. A word the base does not know weighs most: a question about something else scores
 * low even when it shares a common word ("order") with an article. `query`: the question's
 * stems; `question`, `answer`: the article's.
 */
export function faqScore(
  query: readonly string[],
  question: readonly string[],
  answer: readonly string[],
  weight: (stem: string) => number = () => 1,
): number {
  const asked = new Set(query);
  const heading = new Set(question);
  if (asked.size === 0 || heading.size === 0) return 0;
  const body = new Set(answer);
  let matched = 0;
  let total = 0;
  for (const s of asked) {
    const w = weight(s);
    total += w;
    if (heading.has(s)) matched += 2 * w;
    else if (body.has(s)) matched += 0.5 * w;
  }
  for (const s of heading) total += weight(s);
  return total === 0 ? 0 : Math.min(1, matched / total);
}

/** The weight of a stem found in `df` of `n` articles (a smoothed inverse document frequency). */
export function stemWeight(df: number, n: number): number {
  return Math.log(1 + (n + 1) / (df + 0.5));
}

/**
 * The score from which an article answers a client by itself (self-service). Measured on the
 * labelled questions of `tests/knowledge_test.ts` (docs/knowledge.md has the figures): below
 * it, a question goes to an agent with no article; no article is better than a wrong one.
 */
export const SELF_SERVICE_SCORE = 0.65;
/** The score from which an article is suggested to agents (they judge it before it is sent). */
export const SUGGEST_SCORE = 0.25;
