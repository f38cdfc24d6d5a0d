/**
 * Unit tests of the export renderers: HTML escaping against injection, a whole streamed
 * document staying well-formed, and CSV quoting with the formula injection guard.
 */

import assert from "node:assert/strict";
import {
  CSV_BOM,
  csvRow,
  escapeHtml,
  type ExportMessage,
  htmlFoot,
  htmlHead,
  htmlMessage,
  htmlTicket,
} from "../src/reports/export.ts";

const SCRIPT = "<script>alert(1)</script>";
const ATTRIBUTE_BREAKOUT = `"><img src=x onerror=alert(1)>`;

/** Elements that have no closing tag. */
const VOID = new Set(["meta"]);

/** The elements the renderers may produce; anything else came from user input. */
const ALLOWED = new Set(
  "html head meta title style body main h1 h2 div span".split(" "),
);

/**
 * Checks that every tag is an allowed element and that they nest properly; returns the
 * element names in document order. The style sheet is skipped (it has no tags).
 */
function checkTags(html: string): string[] {
  const names: string[] = [];
  const open: string[] = [];
  const body = html.replace(/<style>[^<]*<\/style>/, "<style></style>");
  for (const [, closing, name] of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*>/g)) {
    const tag = name.toLowerCase();
    assert.ok(ALLOWED.has(tag), `unexpected element <${tag}>`);
    if (closing === "/") {
      assert.equal(open.pop(), tag, `</${tag}> closes something else`);
    } else {
      names.push(tag);
      if (!VOID.has(tag)) open.push(tag);
    }
  }
  assert.deepEqual(open, [], "elements left open");
  return names;
}

/** A message with defaults for the fields a test does not care about. */
function message(fields: Partial<ExportMessage> = {}): ExportMessage {
  return {
    time: "2026-11-25 10:00",
    senderName: "Anna",
    role: "client",
    kindLabel: null,
    text: "Hello",
    ...fields,
  };
}

Deno.test("escapeHtml: the five special characters, and only them", () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
  );
  assert.equal(escapeHtml(SCRIPT), "&lt;script&gt;alert(1)&lt;/script&gt;");
  // Already escaped text is escaped again: it is shown as typed, not decoded.
  assert.equal(escapeHtml("&amp; &lt;"), "&amp;amp; &amp;lt;");
  assert.equal(escapeHtml("Привет, 👋 мир\n"), "Привет, 👋 мир\n");
  assert.equal(escapeHtml(""), "");
});

Deno.test("htmlHead: a self-contained head with an escaped title", () => {
  const head = htmlHead(`Tickets ${SCRIPT} & "more"`, "en");
  assert.ok(head.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n'));
  assert.ok(head.includes('<meta charset="utf-8">'));
  assert.ok(head.includes('<meta name="viewport" content="width=device-width, initial-scale=1">'));
  assert.ok(head.includes("default-src 'none'"));
  const escaped = "Tickets &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;";
  assert.ok(head.includes(`<title>${escaped}</title>`));
  assert.ok(head.endsWith(`<main>\n<h1>${escaped}</h1>\n`));
  assert.ok(htmlHead("История", "ru").includes('<html lang="ru">'));
  // No scripts, no external resources.
  assert.doesNotMatch(head, /<script|<link|@import|url\(|https?:/i);
  assert.ok(head.includes("white-space: pre-wrap"));
});

Deno.test("htmlTicket: an escaped heading that needs no closing", () => {
  assert.equal(htmlTicket("Ticket #7 — Anna"), "<h2>Ticket #7 — Anna</h2>\n");
  assert.equal(
    htmlTicket(`#8 ${ATTRIBUTE_BREAKOUT}`),
    "<h2>#8 &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</h2>\n",
  );
});

Deno.test("htmlMessage: client and agent styled apart; kind and text shown", () => {
  assert.equal(
    htmlMessage(message()),
    '<div class="msg client"><div class="meta"><span class="time">2026-11-25 10:00</span> ' +
      '<span class="sender">Anna</span></div><div class="text">Hello</div></div>\n',
  );
  assert.equal(
    htmlMessage(message({ role: "agent", senderName: "Bob", kindLabel: "Photo", text: null })),
    '<div class="msg agent"><div class="meta"><span class="time">2026-11-25 10:00</span> ' +
      '<span class="sender">Bob</span> <span class="kind">Photo</span></div></div>\n',
  );
  // An empty text is no text; line breaks are kept as they are, for pre-wrap to show.
  assert.doesNotMatch(htmlMessage(message({ text: "" })), /class="text"/);
  assert.ok(
    htmlMessage(message({ text: "one\ntwo\r\n\nthree" })).includes(
      '<div class="text">one\ntwo\r\n\nthree</div>',
    ),
  );
});

Deno.test("htmlMessage: edits in the order given, each with its time", () => {
  const html = htmlMessage(message({
    text: "first",
    edits: [{ time: "10:05", text: "second" }, { time: "10:07", text: null }, {
      time: "10:09",
      text: "<b>third</b>",
    }],
  }));
  assert.equal(
    html,
    '<div class="msg client"><div class="meta"><span class="time">2026-11-25 10:00</span> ' +
      '<span class="sender">Anna</span></div><div class="text">first</div>' +
      '<div class="edit"><div class="meta">✎ <span class="time">10:05</span></div>' +
      '<div class="text">second</div></div>' +
      '<div class="edit"><div class="meta">✎ <span class="time">10:07</span></div></div>' +
      '<div class="edit"><div class="meta">✎ <span class="time">10:09</span></div>' +
      '<div class="text">&lt;b&gt;third&lt;/b&gt;</div></div></div>\n',
  );
  assert.equal(checkTags(html).filter((t) => t === "div").length, 11);
});

Deno.test("htmlMessage: every user-supplied string is escaped", () => {
  const evil = message({
    time: ATTRIBUTE_BREAKOUT,
    senderName: SCRIPT,
    kindLabel: `' onmouseover='alert(1)`,
    text: `${SCRIPT}\n${ATTRIBUTE_BREAKOUT}\n&amp;`,
    edits: [{ time: SCRIPT, text: ATTRIBUTE_BREAKOUT }],
    // A role from a corrupt row must not reach the class attribute.
    role: `client" onclick="alert(1)` as ExportMessage["role"],
  });
  const html = htmlMessage(evil);
  assert.doesNotMatch(html, /<script|<img|onclick|' on/i);
  assert.ok(html.startsWith('<div class="msg client">'));
  assert.ok(html.includes('<span class="sender">&lt;script&gt;alert(1)&lt;/script&gt;</span>'));
  assert.ok(html.includes("&amp;amp;"), "&amp; typed by a user is shown as typed");
  assert.ok(html.includes('<span class="kind">&#39; onmouseover=&#39;alert(1)</span>'));
  checkTags(html);
});

Deno.test("a whole streamed document is well-formed", () => {
  const chunks = [htmlHead(`Export ${SCRIPT}`, "en")];
  for (let ticket = 1; ticket <= 3; ticket++) {
    chunks.push(htmlTicket(`Ticket #${ticket} ${ATTRIBUTE_BREAKOUT}`));
    for (let i = 0; i < 4; i++) {
      chunks.push(htmlMessage(message({
        role: i % 2 === 0 ? "client" : "agent",
        senderName: i === 0 ? SCRIPT : "Агент Смит",
        kindLabel: i === 1 ? "Document </div></main>" : null,
        text: i === 2 ? null : `line 1\nline 2 ${ATTRIBUTE_BREAKOUT} &amp; </div>`,
        edits: i === 3 ? [{ time: "11:00", text: "</span></div></body>" }] : undefined,
      })));
    }
  }
  chunks.push(htmlFoot());
  const html = chunks.join("");
  const tags = checkTags(html);
  assert.equal(tags.filter((t) => t === "html").length, 1);
  assert.equal(tags.filter((t) => t === "body").length, 1);
  assert.equal(tags.filter((t) => t === "h2").length, 3);
  // Per ticket: 3 + 3 + 2 (no text) + 6 (with an edit) divs.
  assert.equal(tags.filter((t) => t === "div").length, 3 * 14);
  assert.equal((html.match(/<div class="msg /g) ?? []).length, 12);
  assert.equal((html.match(/<div class="msg agent">/g) ?? []).length, 6);
  assert.doesNotMatch(html, /<script|<img/i);
  assert.equal(html.match(/<html/g)?.length, 1);
  assert.ok(html.endsWith("</main>\n</body>\n</html>\n"));
  assert.equal(htmlFoot(), "</main>\n</body>\n</html>\n");
});

Deno.test("csvRow: RFC 4180 quoting, CRLF line ends, null as empty", () => {
  assert.equal(csvRow(["a", "b", "c"]), "a,b,c\r\n");
  assert.equal(csvRow([]), "\r\n");
  assert.equal(csvRow([1, 2.5, 0, -7, null, ""]), "1,2.5,0,-7,,\r\n");
  assert.equal(csvRow([NaN, Infinity]), ",\r\n");
  assert.equal(csvRow(["a,b"]), '"a,b"\r\n');
  assert.equal(csvRow(['say "hi"']), '"say ""hi"""\r\n');
  assert.equal(csvRow(['"']), '""""\r\n');
  assert.equal(csvRow(["line 1\nline 2", "x\r\ny"]), '"line 1\nline 2","x\r\ny"\r\n');
  assert.equal(csvRow([" padded ", "tab\tinside"]), " padded ,tab\tinside\r\n");
  assert.equal(csvRow(["Привет", "👋🏽", "日本語"]), "Привет,👋🏽,日本語\r\n");
  assert.equal(CSV_BOM, "\uFEFF");
});

Deno.test("csvRow: text that a spreadsheet would run as a formula gets a leading '", () => {
  assert.equal(csvRow(["=1+1"]), "'=1+1\r\n");
  assert.equal(csvRow(["+7 999 123-45-67"]), "'+7 999 123-45-67\r\n");
  assert.equal(csvRow(["-5"]), "'-5\r\n");
  assert.equal(csvRow(["@SUM(A1:A9)"]), "'@SUM(A1:A9)\r\n");
  assert.equal(csvRow(["\tcmd"]), "'\tcmd\r\n");
  // The guard comes first, then quoting: CR forces quotes.
  assert.equal(csvRow(["\r=x"]), `"'\r=x"\r\n`);
  assert.equal(
    csvRow(['=HYPERLINK("http://evil","click")']),
    `"'=HYPERLINK(""http://evil"",""click"")"\r\n`,
  );
  // Only a leading character counts; numbers are never changed.
  assert.equal(csvRow(["a=b", "1-2", -3]), "a=b,1-2,-3\r\n");
});
