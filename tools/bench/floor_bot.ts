/**
 * The floor of the `floor` benchmark: the least a grammY relay bot can do, run as a program of
 * its own (`deno run … tools/bench/floor_bot.ts`) against the same fake Bot API as the real bot. It
 * long-polls with grammY's own `bot.start()` and, straight from the handler, relays a client's
 * text to their agent with `sendMessage` (signed with the client's name, as the real bot
 * does) and an agent's message to their client with `copyMessage`. No outbox, no retries, no
 * order beyond grammY's one-update-at-a-time, nothing durable: what a bot pays for relaying
 * and nothing else.
 *
 * With `FLOOR_DATABASE` set it does one thing more: before the send, one `INSERT` of the
 * message into a SQLite table of that file (`node:sqlite`, WAL, `synchronous = NORMAL` as the
 * real bot, autocommit: one transaction per message), the "forum-topics bot" of the issue.
 *
 * Pairs are fixed, no matchmaking: client `FLOOR_CLIENT_BASE + i` talks to agent
 * `FLOOR_AGENT_BASE + i`, for `i < FLOOR_PAIRS`.
 *
 * @module
 */
import { Bot } from "grammy";
import { DatabaseSync } from "node:sqlite";

const env = (name: string): string => {
  const value = Deno.env.get(name);
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const clientBase = Number(env("FLOOR_CLIENT_BASE"));
const agentBase = Number(env("FLOOR_AGENT_BASE"));
const pairs = Number(env("FLOOR_PAIRS"));
const databasePath = Deno.env.get("FLOOR_DATABASE");

let insert: ((chat: number, messageId: number, text: string) => void) | undefined;
if (databasePath !== undefined) {
  const db = new DatabaseSync(databasePath);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec(`CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL, text TEXT, created_at INTEGER NOT NULL)`);
  const statement = db.prepare(
    "INSERT INTO messages (chat_id, message_id, text, created_at) VALUES (?, ?, ?, ?)",
  );
  insert = (chat, messageId, text) => statement.run(chat, messageId, text, Date.now());
}

const bot = new Bot(env("BOT_TOKEN"), { client: { apiRoot: env("TELEGRAM_API_URL") } });

bot.on("message", async (ctx) => {
  const from = ctx.chat.id;
  const message = ctx.message;
  insert?.(from, message.message_id, message.text ?? "");
  if (from >= clientBase && from < clientBase + pairs) {
    const agent = agentBase + (from - clientBase);
    await ctx.api.sendMessage(agent, `👤 ${ctx.from.first_name}:\n${message.text ?? ""}`);
  } else if (from >= agentBase && from < agentBase + pairs) {
    await ctx.api.copyMessage(clientBase + (from - agentBase), from, message.message_id);
  }
});

Deno.addSignalListener("SIGTERM", () => bot.stop());
await bot.start({ timeout: 10, drop_pending_updates: false });
