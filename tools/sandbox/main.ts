/**
 * `deno task sandbox`: try the bot in a minute without Telegram. Starts the Bot API emulator
 * (`tools/emulator/`) on 127.0.0.1, the real bot (`main.ts`, unchanged, as a child process
 * with the start task's permissions) against it on a throwaway database, and the page's
 * server (`api.ts`); prints one URL. The bot's log lines are passed on to the terminal.
 * Ctrl+C stops everything and deletes the database.
 *
 * This is a separate entry point: `start` never runs it, nothing of the bot imports it, and it
 * refuses to run with a `TELEGRAM_API_URL` that points anywhere but this machine.
 *
 * Usage: `deno task sandbox [--port N] [--mode private|team] [--departments]` (port 8787 by
 * default, a free one if that is taken; mode private by default). `--mode team` makes a staff
 * forum group in the emulator (`staff.ts`) and starts the bot with `STAFF_CHAT_ID` set to it.
 * `--departments` starts it with two departments (`DEPARTMENTS`), which clients pick from and
 * agents `/join`. The desk's own
 * settings (`ASK_CONTACT=true`, `BUSINESS_HOURS=…`, …) are taken from the environment.
 *
 * @module
 */
import { CompanyAccount } from "./business.ts";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SETTINGS } from "../../src/config/mod.ts";
import { FakeTelegram } from "../emulator/mod.ts";
import { SandboxApi } from "./api.ts";
import { DEFAULT_PEOPLE, People } from "./people.ts";
import { StaffGroup } from "./staff.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The departments of `--departments`: two, named in both languages. */
export const SANDBOX_DEPARTMENTS = "billing=Оплата|Billing,tech=Техника|Tech support";

/** The port the page listens on unless `--port` says otherwise. */
export const DEFAULT_PORT = 8787;

/** Whether `url` is a Bot API root on this machine (loopback), the only kind the sandbox uses. */
export function isLocalApiUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === "http:" &&
    ["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname);
}

/**
 * Why the sandbox refuses to start in `env`, or `undefined`: a `TELEGRAM_API_URL` that is not
 * on this machine means someone expects real Telegram; the sandbox never talks to it.
 */
export function refusal(env: Record<string, string | undefined>): string | undefined {
  const url = env.TELEGRAM_API_URL?.trim();
  if (url && !isLocalApiUrl(url)) {
    return `TELEGRAM_API_URL is ${url}: the sandbox never talks to a real Telegram. ` +
      "Unset it (the sandbox runs its own on 127.0.0.1), or run the bot with `deno task start`.";
  }
  return undefined;
}

/**
 * The settings of the desk itself (the groups `desk`, `hours` and `drafts` of the settings
 * table: language, ASK_CONTACT, business hours, a language model for drafts, …) that the
 * sandbox takes from its environment, so that they can be tried; everything that says where
 * Telegram or the database is, it sets itself.
 */
export function deskSettings(env: Record<string, string | undefined>): Record<string, string> {
  const taken: Record<string, string> = {};
  for (const s of SETTINGS) {
    const value = env[s.name];
    const desk = s.group === "desk" || s.group === "hours" || s.group === "drafts";
    if (desk && value !== undefined) taken[s.name] = value;
  }
  return taken;
}

/**
 * The bot's environment from the sandbox's: everything but the bot's settings (so the proxy,
 * Deno's cache and npm's registry still work when the bot first fetches grammY), plus the
 * desk's own settings ({@link deskSettings}); the sandbox adds where Telegram and the
 * database are.
 */
export function childEnvironment(env: Record<string, string | undefined>): Record<string, string> {
  const settings = new Set(SETTINGS.map((s) => s.name));
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !settings.has(name)) kept[name] = value;
  }
  return { ...kept, ...deskSettings(env) };
}

/** The flags of the start task (permissions, memory), read from deno.json so both agree. */
export async function startFlags(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  return String(config.tasks.start).split(/\s+/).filter((w) => w.startsWith("--"));
}

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The desk modes the sandbox can run: `private` (agents answer in their own chats with the
 * bot) and `team` (a staff forum group in the emulator, `STAFF_CHAT_ID`, a topic per client).
 */
export const MODES = ["private", "team"] as const;

/** A mode of {@link MODES}. */
export type Mode = (typeof MODES)[number];

/** The mode `--mode` names (default: private); an unknown one is refused. */
export function modeArg(args: string[]): Mode {
  const i = args.indexOf("--mode");
  if (i === -1) return "private";
  const mode = args[i + 1];
  if (!MODES.includes(mode as Mode)) {
    throw new Error(`--mode must be one of ${MODES.join(", ")}, not ${mode ?? "nothing"}`);
  }
  return mode as Mode;
}

/** The staff group's title in team mode. */
export const STAFF_TITLE = "Support team";

/** The `FAQ_FILE` the bot gets: the example's when none is given, else the one given, absolute. */
export function faqFileOf(given: string | undefined): string {
  if (given === undefined) return SANDBOX_FAQ;
  return given.trim() === "" ? "" : resolve(given.trim());
}

/** The example knowledge base the sandbox starts the bot with (`FAQ_FILE`). */
export const SANDBOX_FAQ = fileURLToPath(new URL("./faq.md", import.meta.url));

/**
 * Team mode's staff group: a forum supergroup owned by the first admin, the agents its members,
 * the bot an administrator allowed to manage topics, delete and pin messages.
 */
export function staffGroup(tg: FakeTelegram, people: People): StaffGroup {
  const list = people.list();
  const owner = list.find((p) => p.role === "admin");
  if (!owner) throw new Error("team mode needs an admin to own the staff group");
  const members = list.filter((p) => p.role === "agent").map((p) => people.userOf(p));
  return new StaffGroup(tg, STAFF_TITLE, people.userOf(owner), members);
}

function portArg(args: string[]): number {
  const i = args.indexOf("--port");
  if (i === -1) return DEFAULT_PORT;
  const port = Number(args[i + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number, not ${args[i + 1]}`);
  }
  return port;
}

function listen(
  port: number,
  handler: (req: Request) => Promise<Response>,
): Deno.HttpServer<Deno.NetAddr> {
  const options = { hostname: "127.0.0.1", onListen() {} };
  try {
    return Deno.serve({ ...options, port }, handler);
  } catch (error) {
    if (!(error instanceof Deno.errors.AddrInUse) || port === 0) throw error;
    return Deno.serve({ ...options, port: 0 }, handler);
  }
}

/** Passes the child's lines to the terminal, each marked as the bot's. */
async function forward(stream: ReadableStream<Uint8Array>, to: typeof console.log): Promise<void> {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) to(`bot | ${line}`);
  }
  if (rest.trim()) to(`bot | ${rest}`);
}

async function main(): Promise<number> {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(
      "Usage: deno task sandbox [--port N] [--mode private|team] [--departments]\n" +
        "Runs the bot against a local Telegram (an emulator on 127.0.0.1) with a throwaway\n" +
        "database, and serves a page that plays the people writing to it. Ctrl+C stops it.\n" +
        "--mode team: the agents answer in the topics of a staff group (STAFF_CHAT_ID).\n" +
        "--departments: two departments (DEPARTMENTS) clients pick from; agents /join them.",
    );
    return 0;
  }
  const refused = refusal(Deno.env.toObject());
  if (refused) throw new Error(refused);
  const port = portArg(Deno.args);
  const mode = modeArg(Deno.args);

  const tg = await FakeTelegram.start({
    token: `${1_000_000 + Math.floor(Math.random() * 8e6)}:sandbox${randomHex(8)}`,
  });
  if (!isLocalApiUrl(tg.apiRoot)) throw new Error(`the emulator is not local: ${tg.apiRoot}`);
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-sandbox-" });
  const supportToken = `sandbox-${randomHex(6)}`;
  const people = new People(tg, DEFAULT_PEOPLE);
  const staff = mode === "team" ? staffGroup(tg, people) : undefined;
  // The admin's account is a company's, connected to the bot (Telegram Business).
  const owner = people.list().find((p) => p.role === "admin");
  const company = owner ? new CompanyAccount(tg, people, owner) : undefined;
  const api = new SandboxApi({
    tg,
    people,
    supportToken,
    mode,
    ...(staff ? { staff } : {}),
    ...(company ? { company } : {}),
  });
  const server = listen(port, (req) => api.handle(req));

  const admins = people.list().filter((p) => p.role === "admin").map((p) => p.id);
  const child = new Deno.Command(Deno.execPath(), {
    // --quiet: no "Download …" lines from Deno on a first run, so the page's URL stays the only
    // one printed (errors still show). The permissions are the start task's.
    args: ["run", "--quiet", ...await startFlags(), join(ROOT, "main.ts")],
    // The temporary folder: no .env of the working directory is read by the bot.
    cwd: dir,
    clearEnv: true,
    env: {
      ...childEnvironment(Deno.env.toObject()),
      NO_COLOR: "1",
      BOT_TOKEN: tg.token,
      SUPPORT_TOKEN: supportToken,
      TELEGRAM_API_URL: tg.apiRoot,
      DATABASE_PATH: join(dir, "helpdesk.db"),
      ADMIN_IDS: admins.join(","),
      ...(staff ? { STAFF_CHAT_ID: String(staff.id) } : {}),
      ...(Deno.args.includes("--departments") ? { DEPARTMENTS: SANDBOX_DEPARTMENTS } : {}),
      // The example knowledge base (ru + en), unless FAQ_FILE names another (or "" none); the
      // bot runs in the temporary folder, so a path given is made absolute here.
      FAQ_FILE: faqFileOf(Deno.env.get("FAQ_FILE")),
      // Search on, so that /search can be tried (SEARCH=false turns it off).
      SEARCH: Deno.env.get("SEARCH") ?? "true",
      POLLING_TIMEOUT_SECONDS: "10",
      LOG_LEVEL: Deno.env.get("LOG_LEVEL") ?? "info",
      LOG_FORMAT: "text",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const logs = Promise.all([
    forward(child.stdout, console.log),
    forward(child.stderr, console.error),
  ]);

  console.log(`http://127.0.0.1:${server.addr.port}/`);
  console.log("Open it in a browser. Ctrl+C stops the sandbox and deletes its database.");

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  const status = await child.status;
  await logs;
  Deno.removeSignalListener("SIGINT", stop);
  Deno.removeSignalListener("SIGTERM", stop);
  api.close();
  await server.shutdown();
  await tg.close();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  // Ctrl+C in a terminal reaches the bot too, which may then end before our own handler runs.
  if (!stopping && status.code !== 0) {
    console.error(`helpdesk-sandbox: the bot stopped by itself (exit code ${status.code})`);
    return status.code;
  }
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (error) {
    console.error(`helpdesk-sandbox: ${(error as Error).message ?? error}`);
    Deno.exit(1);
  }
}
