/**
 * One source of truth for the settings: the table `SETTINGS` in `src/config/settings.ts`. `--help` is
 * made from it; the configuration table (`docs/configuration.md`) and `.env.example` must list every setting
 * with the same default, and nothing that is not one. The code reads its defaults from the
 * table, and reads no variable the table does not list.
 */
import assert from "node:assert/strict";
import { defaultOf, parseConfig, SETTINGS, settingsHelp } from "../src/config/mod.ts";

const ROOT = new URL("..", import.meta.url);
const NAMES = SETTINGS.map((s) => s.name);

/** The rows of the configuration table (`docs/configuration.md`): variable → its default cell. */
async function readmeTable(): Promise<Map<string, string>> {
  const body = await Deno.readTextFile(new URL("docs/configuration.md", ROOT));
  const rows = new Map<string, string>();
  for (const line of body.split("\n")) {
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0] ?? "");
    if (!name) continue;
    assert.ok(!rows.has(name[1]), `${name[1]} twice in docs/configuration.md`);
    rows.set(name[1], cells[1]);
  }
  return rows;
}

/** `NAME=value` lines of `.env.example`, commented out or not. */
async function envExample(): Promise<Map<string, string>> {
  const text = await Deno.readTextFile(new URL(".env.example", ROOT));
  const entries = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) entries.set(match[1], match[2]);
  }
  return entries;
}

Deno.test("the configuration table lists every setting with its default, and nothing else", async () => {
  const rows = await readmeTable();
  assert.deepEqual([...rows.keys()].toSorted(), NAMES.toSorted());
  for (const s of SETTINGS) {
    const expected = s.default !== undefined ? `\`${s.default}\`` : `(${s.unset})`;
    assert.equal(rows.get(s.name), expected, s.name);
  }
});

Deno.test(".env.example lists every setting with its default, and nothing else", async () => {
  const entries = await envExample();
  assert.deepEqual([...entries.keys()].toSorted(), NAMES.toSorted());
  for (const s of SETTINGS) {
    const value = entries.get(s.name)!;
    if (s.default !== undefined) assert.equal(value, s.default, s.name);
    else assert.ok(value === "" || value === s.example, `${s.name}=${value}`);
  }
});

Deno.test("--help names every setting and its default", () => {
  const help = settingsHelp();
  for (const s of SETTINGS) {
    const line = help.split("\n").find((l) => l.trimStart().startsWith(`${s.name} `));
    assert.ok(line, s.name);
    assert.ok(
      line.includes(s.default !== undefined ? `default ${s.default}` : `(${s.unset})`),
      line,
    );
  }
});

Deno.test("every setting has a help line, a group, and either a default or what unset means", () => {
  assert.equal(new Set(NAMES).size, NAMES.length, "no name twice");
  for (const s of SETTINGS) {
    assert.ok(s.help.length > 5, s.name);
    assert.ok((s.default === undefined) !== (s.unset === undefined), s.name);
  }
  assert.throws(() => defaultOf("NOT_A_SETTING"));
});

Deno.test("the configuration's defaults are the table's", () => {
  const config = parseConfig({ BOT_TOKEN: "1:abc", SUPPORT_TOKEN: "x".repeat(12) });
  assert.equal(config.databasePath, defaultOf("DATABASE_PATH"));
  assert.equal(config.telegramApiUrl, defaultOf("TELEGRAM_API_URL"));
  assert.equal(config.defaultLanguage, defaultOf("DEFAULT_LANGUAGE"));
  assert.equal(config.onlineWindowMs, Number(defaultOf("ONLINE_WINDOW_MINUTES")) * 60_000);
  assert.equal(config.ratePerChat, Number(defaultOf("RATE_LIMIT_PER_CHAT")));
  assert.equal(config.rateBurst, Number(defaultOf("RATE_LIMIT_BURST")));
  assert.equal(config.rateGlobal, Number(defaultOf("RATE_LIMIT_GLOBAL")));
  assert.equal(config.backlogWarning, Number(defaultOf("OUTBOX_BACKLOG_WARNING")));
  assert.equal(config.pollingTimeoutSeconds, Number(defaultOf("POLLING_TIMEOUT_SECONDS")));
  assert.equal(config.deliveryGiveUpMs, Number(defaultOf("DELIVERY_GIVE_UP_MINUTES")) * 60_000);
  assert.equal(config.clientRelayPerMinute, Number(defaultOf("CLIENT_RELAY_PER_MINUTE")));
  assert.equal(config.receiptReaction, null);
  assert.equal(config.askContact, defaultOf("ASK_CONTACT") === "true");
  assert.equal(config.logLevel, defaultOf("LOG_LEVEL"));
  assert.equal(config.logFormat, defaultOf("LOG_FORMAT"));
  assert.equal(config.timeZone, defaultOf("TIMEZONE"));
  assert.equal(config.server.host, defaultOf("HOST"));
  assert.equal(config.server.port, Number(defaultOf("PORT")));
  // Drafts are off without LLM_URL; with it, the timeout is the table's.
  assert.equal(config.llm, null);
  const llm = parseConfig({
    BOT_TOKEN: "1:abc",
    SUPPORT_TOKEN: "x".repeat(12),
    LLM_URL: "http://127.0.0.1:11434/v1",
    LLM_MODEL: "m",
  }).llm;
  assert.equal(llm?.timeoutMs, Number(defaultOf("LLM_TIMEOUT_SECONDS")) * 1000);
});

Deno.test("the code reads no environment variable the table does not list", async () => {
  const read = new Set<string>();
  for await (const path of sourcesUnder(new URL("src/", ROOT))) {
    const text = await Deno.readTextFile(path);
    for (
      const m of text.matchAll(/(?:optional|required|number|flag|portOf)\(env, "([A-Z0-9_]+)"/g)
    ) {
      read.add(m[1]);
    }
    for (const m of text.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)) read.add(m[1]);
  }
  for (const name of read) assert.ok(NAMES.includes(name), `${name} is read but not in SETTINGS`);
});

/** Every `.ts` file under `dir`, in its folders too. */
async function* sourcesUnder(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) yield* sourcesUnder(new URL(`${entry.name}/`, dir));
    else if (entry.name.endsWith(".ts")) yield new URL(entry.name, dir);
  }
}
