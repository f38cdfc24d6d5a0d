/**
 * The help-desk bot: reads the configuration, runs the bot with long polling, and stops
 * cleanly on SIGINT or SIGTERM. Any configuration problem is one line on stderr.
 *
 * @module
 */
import { type App, startApp } from "./src/app.ts";
import { ConfigError, loadConfig } from "./src/config.ts";
import { createLogger } from "./src/log.ts";
import { VERSION } from "./src/version.ts";

const USAGE = `helpdesk-bot ${VERSION}: a Telegram help-desk bot.

Usage: helpdesk-bot [--help | --version]

Configuration comes from the environment (and ./.env when present):
  BOT_TOKEN              bot token from @BotFather (required)
  SUPPORT_TOKEN          secret for /register_support, 12+ characters (required)
  DATABASE_PATH          SQLite file (default ./data/helpdesk.db)
  TELEGRAM_API_URL       Bot API root (default https://api.telegram.org)
  ONLINE_WINDOW_MINUTES  an agent seen within this counts as online (default 5)
  DEFAULT_LANGUAGE       ru or en (default ru)
  RATE_LIMIT_PER_CHAT, RATE_LIMIT_BURST, RATE_LIMIT_GLOBAL  sending rates (1, 3, 30)
  LOG_LEVEL, LOG_FORMAT  debug|info|warn|error, text|json (info, text)`;

async function main(): Promise<number> {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (Deno.args.includes("--version")) {
    console.log(VERSION);
    return 0;
  }
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
  const app = running.app = await startApp(config, log);
  // Polling ends on a signal (resolves) or on a fatal error such as a revoked token (throws).
  try {
    await app.done;
  } finally {
    await app.stop();
  }
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (error) {
    const message = error instanceof ConfigError
      ? error.message
      : error instanceof Error
      ? error.message
      : String(error);
    console.error(`helpdesk-bot: ${message}`);
    Deno.exit(1);
  }
}
