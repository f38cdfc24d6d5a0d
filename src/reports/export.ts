/**
 * Renderers for history exports, as HTML and as CSV. Pure functions returning strings; no
 * Telegram, no database.
 *
 * Made for streaming: the caller writes a head, then the rows page by page, then a foot, so
 * memory does not grow with the history. HTML: {@link htmlHead}, then any sequence of
 * {@link htmlTicket} and {@link htmlMessage}, then {@link htmlFoot}; no piece leaves an element
 * open that a later piece must close, apart from the head's `<main>`, `<body>` and `<html>`
 * closed by the foot. CSV: an optional {@link CSV_BOM}, then one {@link csvRow} per line.
 *
 * Every user-supplied string is escaped. The HTML page is self-contained: an inline style
 * sheet, no scripts, no external resources, and a Content-Security-Policy that forbids
 * loading or running anything else should markup ever slip through.
 *
 * @module
 */
import { DEFAULT_LANGUAGE, type Language, LANGUAGES } from "../texts/types.ts";

/** Escapes the five characters with a meaning in HTML text and attributes: `& < > " '`. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Nothing may be loaded or run; only the inline style sheet applies. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'";

const STYLE = `
body { margin: 0; background: #f4f5f7; color: #1d1f23;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 48rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.4rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 2rem 0 0.5rem; padding-top: 0.75rem;
  border-top: 2px solid #ccd0d8; }
.msg { max-width: 85%; margin: 0.4rem auto 0.4rem 0; padding: 0.45rem 0.7rem;
  border: 1px solid #dde0e6; border-radius: 0.6rem; background: #fff; }
.msg.agent { margin: 0.4rem 0 0.4rem auto; border-color: #b9d7f5; background: #e4f1ff; }
.meta { font-size: 0.8rem; color: #5b6270; }
.sender { font-weight: 600; color: #1d1f23; }
.kind { font-style: italic; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.edit { margin-top: 0.35rem; padding-left: 0.5rem; border-left: 3px solid #ccd0d8;
  font-size: 0.9rem; color: #3d434e; }
@media (prefers-color-scheme: dark) {
  body { background: #17191d; color: #e4e6eb; }
  h2 { border-color: #3a3f48; }
  .msg { background: #23262c; border-color: #3a3f48; }
  .msg.agent { background: #1d3350; border-color: #2e4d74; }
  .meta, .edit { color: #a3a9b4; }
  .sender { color: #e4e6eb; }
  .edit { border-color: #3a3f48; }
}
@media print {
  body { background: #fff; }
  .msg { break-inside: avoid; }
}
`.trim();

/**
 * The start of an HTML export, up to and including the `<h1>` title: doctype, `<html lang>`,
 * UTF-8, viewport, a Content-Security-Policy, the `<title>` and the inline style sheet; it
 * opens `<html>`, `<body>` and `<main>`, which {@link htmlFoot} closes.
 */
export function htmlHead(title: string, language: Language): string {
  const lang = LANGUAGES.includes(language) ? language : DEFAULT_LANGUAGE;
  const safeTitle = escapeHtml(title);
  return [
    "<!DOCTYPE html>",
    `<html lang="${lang}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${safeTitle}</title>`,
    `<style>\n${STYLE}\n</style>`,
    "</head>",
    "<body>",
    "<main>",
    `<h1>${safeTitle}</h1>`,
    "",
  ].join("\n");
}

/**
 * A ticket's heading: an `<h2>`, complete in itself, followed by that ticket's messages. Needs
 * nothing closed before the next ticket.
 */
export function htmlTicket(heading: string): string {
  return `<h2>${escapeHtml(heading)}</h2>\n`;
}

/** One message of an export, as {@link htmlMessage} shows it. Strings are shown as given. */
export interface ExportMessage {
  /** When it was sent, already formatted for people. */
  readonly time: string;
  readonly senderName: string;
  /** Client and agent messages are styled differently (agents' to the right). */
  readonly role: "client" | "agent";
  /** What kind of message it is when not plain text, e.g. `Photo`; `null` for plain text. */
  readonly kindLabel: string | null;
  /** The text or caption; `null` (or empty) when there is none. */
  readonly text: string | null;
  /** Later versions of the text, shown in the order given, each marked `✎` and its time. */
  readonly edits?: readonly { readonly time: string; readonly text: string | null }[];
}

/**
 * One message as a self-contained `<div>`: time, sender and kind in a line above the text;
 * line breaks in the text are kept (CSS `white-space: pre-wrap`). Every string is escaped.
 */
export function htmlMessage(m: ExportMessage): string {
  const role = m.role === "agent" ? "agent" : "client";
  const meta = [
    `<span class="time">${escapeHtml(m.time)}</span>`,
    `<span class="sender">${escapeHtml(m.senderName)}</span>`,
    ...(m.kindLabel === null ? [] : [`<span class="kind">${escapeHtml(m.kindLabel)}</span>`]),
  ].join(" ");
  const edits = (m.edits ?? []).map((edit) =>
    `<div class="edit"><div class="meta">✎ <span class="time">${escapeHtml(edit.time)}</span>` +
    `</div>${textDiv(edit.text)}</div>`
  );
  return `<div class="msg ${role}"><div class="meta">${meta}</div>${textDiv(m.text)}` +
    `${edits.join("")}</div>\n`;
}

/** A text `<div>`, or nothing for no text. */
function textDiv(text: string | null): string {
  return text === null || text === "" ? "" : `<div class="text">${escapeHtml(text)}</div>`;
}

/** The end of an HTML export: closes what {@link htmlHead} opened. */
export function htmlFoot(): string {
  return "</main>\n</body>\n</html>\n";
}

/**
 * A byte order mark to write before the first CSV row, so that spreadsheet programs (Excel)
 * read the file as UTF-8 rather than a legacy code page. Optional.
 */
export const CSV_BOM = "\uFEFF";

/**
 * One CSV line by RFC 4180, ending in CRLF: a field containing `,`, `"`, CR or LF is quoted,
 * with its quotes doubled; `null` is an empty field; a number is written as is (a NaN or an
 * infinity as an empty field).
 *
 * Formula injection guard: a string field starting with `=`, `+`, `-`, `@`, TAB or CR gets a
 * leading `'`, so a spreadsheet shows it as text instead of running it as a formula
 * (`=HYPERLINK(…)` from a client becomes `'=HYPERLINK(…)`). Numbers are never changed, so pass
 * numeric columns as numbers: the string `"-5"` is written `'-5`, the number `-5` as `-5`.
 */
export function csvRow(fields: readonly (string | number | null)[]): string {
  return fields.map(csvField).join(",") + "\r\n";
}

/** One CSV field: guarded against formulas, then quoted when needed. */
function csvField(field: string | number | null): string {
  if (field === null) return "";
  if (typeof field === "number") return Number.isFinite(field) ? String(field) : "";
  const guarded = /^[=+\-@\t\r]/.test(field) ? `'${field}` : field;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}
