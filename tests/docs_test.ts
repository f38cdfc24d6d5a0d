/**
 * The documentation stays readable and whole: no line of `README.md` or `docs/*.md` is longer
 * than {@link MAX_LINE} characters (tables included: a table a reader must scroll sideways is
 * not read), and every relative link in them (a page, an image, a heading in a page) points at
 * something that exists.
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const MAX_LINE = 120;

/** `README.md` and every Markdown file of `docs/`. */
async function documents(): Promise<string[]> {
  const files = [join(ROOT, "README.md")];
  for await (const entry of Deno.readDir(join(ROOT, "docs"))) {
    if (entry.isFile && entry.name.endsWith(".md")) files.push(join(ROOT, "docs", entry.name));
  }
  return files.toSorted();
}

/** Lines longer than {@link MAX_LINE} characters (counted as a reader sees them). */
function longLines(text: string): string[] {
  return text.split("\n").flatMap((line, i) => {
    const length = [...line].length;
    return length > MAX_LINE ? [`line ${i + 1}: ${length} characters`] : [];
  });
}

/** The text outside fenced code blocks. */
function withoutFences(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
}

/** The text outside fenced code blocks, code spans blanked (a link there is no link). */
function prose(text: string): string {
  return withoutFences(text).replace(/`[^`\n]*`/g, "code");
}

/** Link targets: inline links and images, `[text](target)`, and references, `[x]: target`. */
function linkTargets(text: string): string[] {
  const body = prose(text);
  const inline = [...body.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)];
  const references = [...body.matchAll(/^\s*\[[^\]]+\]:\s*<?([^\s>]+)>?/gm)];
  return [...inline, ...references].map((m) => m[1]);
}

/** The anchors GitHub gives a page's headings (`## Try it` → `#try-it`). */
function anchors(text: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of withoutFences(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const heading = m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const slug = heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const times = seen.get(slug) ?? 0;
    seen.set(slug, times + 1);
    found.add(times === 0 ? slug : `${slug}-${times}`);
  }
  return found;
}

/** Relative links of `file` (whose text is `text`) that lead nowhere. */
async function brokenLinks(file: string, text: string): Promise<string[]> {
  const broken: string[] = [];
  for (const target of linkTargets(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …: not relative
    const [path, anchor] = target.split("#", 2);
    const destination = path === "" ? file : join(dirname(file), decodeURIComponent(path));
    let destinationText: string | undefined = path === "" ? text : undefined;
    if (path !== "") {
      try {
        const info = await Deno.stat(destination);
        if (info.isFile && destination.endsWith(".md")) {
          destinationText = await Deno.readTextFile(destination);
        }
      } catch {
        broken.push(`${target}: no such file`);
        continue;
      }
    }
    if (anchor && destinationText !== undefined && !anchors(destinationText).has(anchor)) {
      broken.push(`${target}: no heading #${anchor} in ${relative(ROOT, destination)}`);
    }
  }
  return broken;
}

Deno.test("no line of the README or docs/ is longer than 120 characters", async () => {
  const problems: string[] = [];
  for (const file of await documents()) {
    for (const line of longLines(await Deno.readTextFile(file))) {
      problems.push(`${relative(ROOT, file)} ${line}`);
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("every relative link in the README and docs/ points at a file (and heading) that exists", async () => {
  const problems: string[] = [];
  let links = 0;
  for (const file of await documents()) {
    const text = await Deno.readTextFile(file);
    links += linkTargets(text).length;
    for (const broken of await brokenLinks(file, text)) {
      problems.push(`${relative(ROOT, file)}: ${broken}`);
    }
  }
  assert.ok(links > 10, `only ${links} links found: the link reader is broken`);
  assert.deepEqual(problems, []);
});

Deno.test("the checks themselves catch a long line, a missing file and a missing heading", async () => {
  assert.deepEqual(longLines("short\n" + "x".repeat(121)), ["line 2: 121 characters"]);
  assert.deepEqual(longLines("é".repeat(120)), [], "characters, not bytes");
  const file = join(ROOT, "README.md");
  const text = [
    "# Title",
    "[ok](tests/docs_test.ts) ![ok](docs/sandbox.png) [web](https://example.com) [here](#title)",
    "[gone](docs/nothing.md) [nowhere](README.md#no-such-heading) [nor](#nor-here)",
    "```",
    "[in code](docs/not-checked.md)",
    "```",
    "[ref]: docs/missing.md",
  ].join("\n");
  assert.deepEqual(await brokenLinks(file, text), [
    "docs/nothing.md: no such file",
    "README.md#no-such-heading: no heading #no-such-heading in README.md",
    "#nor-here: no heading #nor-here in README.md",
    "docs/missing.md: no such file",
  ]);
});

Deno.test("docs/tests.md names every test file", async () => {
  const listed = await Deno.readTextFile(join(ROOT, "docs", "tests.md"));
  const missing: string[] = [];
  for await (const entry of Deno.readDir(join(ROOT, "tests"))) {
    if (entry.isFile && entry.name.endsWith("_test.ts") && !listed.includes(entry.name)) {
      missing.push(entry.name);
    }
  }
  assert.deepEqual(missing.toSorted(), [], "add them to docs/tests.md");
});
