/**
 * The help-desk bot: reads the configuration, runs the bot (long polling or webhook), and
 * stops cleanly on SIGINT or SIGTERM. Subcommands: `backup <file>` and `healthcheck`. Any
 * problem at start is one line on stderr and exit code 1.
 *
 * @module
 */
import { type App, startApp } from "./src/app.ts";
import { backupDatabase } from "./src/store/backup.ts";
import {
  ConfigError,
  databasePathOf,
  HEALTH_PATH,
  loadConfig,
  loadEnv,
  parseServerConfig,
  settingsHelp,
} from "./src/config/mod.ts";
import { GrammyError } from "grammy";
import { createLogger } from "./src/base/log.ts";
import { fatalMessage } from "./src/telegram/reach.ts";
import { VERSION } from "./src/base/version.ts";

const USAGE = `helpdesk-bot ${VERSION}: a Telegram help-desk bot.

Usage: helpdesk-bot                  run the bot
       helpdesk-bot backup <file>    write a consistent copy of the live database to <file>
       helpdesk-bot healthcheck      exit 0 if the running bot's /healthz answers 200, else 1
       helpdesk-bot --help | --version

Configuration comes from the environment (and ./.env, or the file named by ENV_FILE):
${settingsHelp()}`;

async function main(): Promise<number> {
  const [command, ...rest] = Deno.args;
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (Deno.args.includes("--version")) {
    console.log(VERSION);
    return 0;
  }
  if (command === "backup") return await backup(rest);
  if (command === "healthcheck") return await healthcheck();
  if (command !== undefined) throw new Error(`unknown command ${command}; see --help`);
  const config = loadConfig();
  const log = createLogger(config.logLevel, config.logFormat);
  const running: { app?: App } = {};
  const stop = () => {
    log.info("bot.stopping");
    // Still connecting to Telegram: nothing has been handled or sent yet.
    if (running.app === undefined) Deno.exit(0);
    running.app.stop();
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  // SIGHUP reads the knowledge base (FAQ_FILE) again; a bad file keeps the one in use. (Before
  // the start, nothing: the start reads it.)
  if (Deno.build.os !== "windows") {
    Deno.addSignalListener("SIGHUP", () => running.app?.reloadFaq());
  }
  const app = running.app = await startApp(config, log);
  // Polling ends on a signal (resolves) or on a fatal error such as a revoked token (throws).
  try {
    await app.done;
  } finally {
    await app.stop();
  }
  return 0;
}

/** `backup <file>`: a consistent copy of the live database (SQLite's backup API). */
async function backup(args: string[]): Promise<number> {
  if (args.length !== 1) throw new Error("usage: helpdesk-bot backup <file>");
  const source = databasePathOf(loadEnv());
  const size = await backupDatabase(source, args[0]);
  console.log(`backup of ${source} written to ${args[0]} (${size} bytes)`);
  return 0;
}

/**
 * `healthcheck`: asks the running bot's `/healthz` (on PORT in webhook mode, on HEALTH_PORT
 * in polling mode) through the loopback interface. For Docker's HEALTHCHECK, which has no
 * curl in a distroless image.
 */
async function healthcheck(): Promise<number> {
  const server = parseServerConfig(loadEnv());
  const port = server.webhookUrl !== undefined ? server.port : server.healthPort;
  if (port === undefined) {
    throw new ConfigError("HEALTH_PORT is not set (in polling mode /healthz is served on it)");
  }
  const wildcard = ["0.0.0.0", "::", ""].includes(server.host);
  const host = wildcard
    ? "127.0.0.1"
    : server.host.includes(":")
    ? `[${server.host}]`
    : server.host;
  let response: Response;
  try {
    response = await fetch(`http://${host}:${port}${HEALTH_PATH}`, {
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    throw new Error(`health check failed: ${(error as Error).message}`);
  }
  const body = (await response.text()).trim();
  if (!response.ok) throw new Error(`health check failed: ${response.status} ${body}`);
  console.log(body);
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (error) {
    const message = error instanceof ConfigError
      ? error.message
      : error instanceof GrammyError
      ? fatalMessage(error)
      : error instanceof Error
      ? error.message
      : String(error);
    console.error(`helpdesk-bot: ${message}`);
    Deno.exit(1);
  }
}
