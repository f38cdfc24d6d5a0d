// Telegram's message entities as HTML, for the sandbox page (and its unit test): every piece
// of text escaped, links only of safe schemes, offsets counted in UTF-16 units as Telegram and
// JavaScript both count them.

export function escapeHtml(text) {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

export function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return ["http:", "https:", "tg:", "mailto:"].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

function wrap(entity, inner, text) {
  const part = text.slice(entity.offset, entity.offset + entity.length);
  switch (entity.type) {
    case "bold":
      return `<b>${inner}</b>`;
    case "italic":
      return `<i>${inner}</i>`;
    case "underline":
      return `<u>${inner}</u>`;
    case "strikethrough":
      return `<s>${inner}</s>`;
    case "code":
      return `<code>${inner}</code>`;
    case "pre":
      return `<pre>${inner}</pre>`;
    case "spoiler":
      return `<span class="spoiler">${inner}</span>`;
    case "blockquote":
    case "expandable_blockquote":
      return `<blockquote>${inner}</blockquote>`;
    case "text_link": {
      const url = safeUrl(entity.url);
      return url
        ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener">${inner}</a>`
        : inner;
    }
    case "url": {
      const url = safeUrl(/^[a-z]+:/i.test(part) ? part : `https://${part}`);
      return url
        ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener">${inner}</a>`
        : inner;
    }
    case "email":
      return `<a href="mailto:${escapeHtml(part)}">${inner}</a>`;
    case "mention":
    case "hashtag":
    case "bot_command":
    case "text_mention":
      return `<a class="mention">${inner}</a>`;
    default:
      return inner;
  }
}

/** The text with Telegram's entities (offsets in UTF-16 units, as JavaScript strings count). */
export function renderEntities(text, entities = []) {
  const cuts = new Set([0, text.length]);
  for (const e of entities) {
    cuts.add(Math.max(0, Math.min(text.length, e.offset)));
    cuts.add(Math.max(0, Math.min(text.length, e.offset + e.length)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const ordered = [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
  let html = "";
  for (let i = 0; i < points.length - 1; i++) {
    const [from, to] = [points[i], points[i + 1]];
    let inner = escapeHtml(text.slice(from, to));
    const covering = ordered.filter((e) => e.offset <= from && e.offset + e.length >= to);
    for (const e of covering.reverse()) inner = wrap(e, inner, text);
    html += inner;
  }
  return html;
}
