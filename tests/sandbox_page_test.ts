/**
 * The sandbox page's rendering of Telegram's entities (`tools/sandbox/page/entities.js`), the
 * one place where the bot's and the users' text becomes HTML: everything escaped, nesting
 * kept, offsets in UTF-16 units (emoji count two), links only of safe schemes.
 */
import assert from "node:assert/strict";
import { escapeHtml, renderEntities, safeUrl } from "../tools/sandbox/page/entities.js";

Deno.test("text without entities is escaped, nothing else", () => {
  assert.equal(
    renderEntities(`<b>"x" & 'y'</b>`),
    "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;",
  );
  assert.equal(escapeHtml("<img onerror=x>"), "&lt;img onerror=x&gt;");
});

Deno.test("bold, italic, code and nested entities, offsets in UTF-16 units", () => {
  // 👤 is two UTF-16 units: "Анна" starts at 3.
  const text = "👤 Анна:\nпривет <мир>";
  assert.equal(
    renderEntities(text, [{ type: "bold", offset: 3, length: 4 }]),
    "👤 <b>Анна</b>:\nпривет &lt;мир&gt;",
  );
  assert.equal(
    renderEntities("abc def", [
      { type: "bold", offset: 0, length: 7 },
      { type: "italic", offset: 4, length: 3 },
    ]),
    "<b>abc </b><b><i>def</i></b>",
  );
  assert.equal(
    renderEntities("x = 1", [{ type: "code", offset: 0, length: 5 }]),
    "<code>x = 1</code>",
  );
  assert.equal(
    renderEntities("secret", [{ type: "spoiler", offset: 0, length: 6 }]),
    '<span class="spoiler">secret</span>',
  );
});

Deno.test("links: safe schemes only, attributes escaped", () => {
  assert.equal(
    renderEntities("site", [{
      type: "text_link",
      offset: 0,
      length: 4,
      url: 'https://example.com/?a=1&b="2"',
    }]),
    '<a href="https://example.com/?a=1&amp;b=%222%22" target="_blank" rel="noopener">site</a>',
  );
  assert.equal(
    renderEntities("click", [{
      type: "text_link",
      offset: 0,
      length: 5,
      url: "javascript:alert(1)",
    }]),
    "click",
  );
  assert.equal(
    renderEntities("see example.com", [{ type: "url", offset: 4, length: 11 }]),
    'see <a href="https://example.com/" target="_blank" rel="noopener">example.com</a>',
  );
  assert.equal(safeUrl("data:text/html,<script>"), null);
  assert.equal(safeUrl("tg://resolve?domain=x"), "tg://resolve?domain=x");
});

Deno.test("entities past the end or unknown types do no harm", () => {
  assert.equal(renderEntities("ab", [{ type: "bold", offset: 1, length: 10 }]), "a<b>b</b>");
  assert.equal(renderEntities("ab<", [{ type: "custom_emoji", offset: 0, length: 3 }]), "ab&lt;");
});
