/**
 * Unit tests of the configuration (`parseConfig`, `loadConfig` with an env file), and of the
 * `secretsEqual`, which checks the SUPPORT_TOKEN an agent sends.
 */

import assert from "node:assert/strict";
import { ConfigError, loadConfig, parseConfig } from "../src/config/mod.ts";
import { secretsEqual } from "../src/base/secrets.ts";

const BOT_TOKEN = "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const SUPPORT_TOKEN = "s3cret-Support-Token";
const VALID = { BOT_TOKEN, SUPPORT_TOKEN };

/** Every variable `parseConfig` or `loadConfig` reads. */
const CONFIG_VARS = [
  "ENV_FILE",
  "BOT_TOKEN",
  "SUPPORT_TOKEN",
  "DATABASE_PATH",
  "TELEGRAM_API_URL",
  "ONLINE_WINDOW_MINUTES",
  "DEFAULT_LANGUAGE",
  "RATE_LIMIT_PER_CHAT",
  "RATE_LIMIT_BURST",
  "RATE_LIMIT_GLOBAL",
  "POLLING_TIMEOUT_SECONDS",
  "LOG_LEVEL",
  "LOG_FORMAT",
  "WEBHOOK_URL",
  "WEBHOOK_SECRET",
  "HOST",
  "PORT",
  "HEALTH_PORT",
];

/** The message of the ConfigError that `parseConfig(env)` throws. */
function configError(env: Record<string, string | undefined>): string {
  try {
    parseConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    assert.equal(error.name, "ConfigError");
    assert.equal(error.message.includes("\n"), false, "one line");
    return error.message;
  }
  assert.fail(`no error for ${JSON.stringify(env)}`);
}

/**
 * Runs `fn` with the config variables set to `vars` (undefined: unset) and no others from
 * the real environment, then restores the environment as it was.
 */
function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = new Map(CONFIG_VARS.map((name) => [name, Deno.env.get(name)]));
  try {
    for (const name of CONFIG_VARS) Deno.env.delete(name);
    for (const [name, value] of Object.entries(vars)) {
      if (value !== undefined) Deno.env.set(name, value);
    }
    return fn();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
}

// ---- parseConfig ----

Deno.test("parseConfig: defaults", () => {
  const config = parseConfig(VALID);
  assert.equal(config.botToken, BOT_TOKEN);
  assert.equal(config.supportToken, SUPPORT_TOKEN);
  assert.equal(config.databasePath, "./data/helpdesk.db");
  assert.equal(config.telegramApiUrl, "https://api.telegram.org");
  assert.equal(config.onlineWindowMs, 300_000);
  assert.equal(config.defaultLanguage, "ru");
  assert.equal(config.ratePerChat, 1);
  assert.equal(config.rateGlobal, 30);
  // Blank values count as unset.
  const blank = parseConfig({ ...VALID, TELEGRAM_API_URL: "  ", ONLINE_WINDOW_MINUTES: "" });
  assert.equal(blank.telegramApiUrl, "https://api.telegram.org");
  assert.equal(blank.onlineWindowMs, 300_000);
});

Deno.test("parseConfig: values given are used", () => {
  const config = parseConfig({
    ...VALID,
    DATABASE_PATH: "/var/lib/helpdesk/db.sqlite",
    TELEGRAM_API_URL: "http://localhost:8081",
    ONLINE_WINDOW_MINUTES: "10",
    DEFAULT_LANGUAGE: "en",
  });
  assert.equal(config.databasePath, "/var/lib/helpdesk/db.sqlite");
  assert.equal(config.telegramApiUrl, "http://localhost:8081");
  assert.equal(config.onlineWindowMs, 600_000);
  assert.equal(config.defaultLanguage, "en");
  assert.equal(parseConfig({ ...VALID, ONLINE_WINDOW_MINUTES: "0" }).onlineWindowMs, 0);
  assert.equal(parseConfig({ ...VALID, ONLINE_WINDOW_MINUTES: "1.5" }).onlineWindowMs, 90_000);
  // Surrounding whitespace is ignored.
  assert.equal(parseConfig({ BOT_TOKEN: ` ${BOT_TOKEN}\n`, SUPPORT_TOKEN }).botToken, BOT_TOKEN);
});

Deno.test("parseConfig: the trailing slash is removed from the API URL", () => {
  for (
    const [given, expected] of [
      ["https://api.telegram.org/", "https://api.telegram.org"],
      ["http://localhost:8081//", "http://localhost:8081"],
      ["https://tg.example.com/proxy/", "https://tg.example.com/proxy"],
    ]
  ) {
    assert.equal(parseConfig({ ...VALID, TELEGRAM_API_URL: given }).telegramApiUrl, expected);
  }
});

Deno.test("parseConfig: a missing BOT_TOKEN or SUPPORT_TOKEN is named", () => {
  assert.match(configError({ SUPPORT_TOKEN }), /BOT_TOKEN/);
  assert.match(configError({ BOT_TOKEN: "   ", SUPPORT_TOKEN }), /BOT_TOKEN/);
  const noSupport = configError({ BOT_TOKEN });
  assert.match(noSupport, /SUPPORT_TOKEN/);
  assert.doesNotMatch(noSupport, /BOT_TOKEN/);
  assert.match(configError({ BOT_TOKEN, SUPPORT_TOKEN: "" }), /SUPPORT_TOKEN/);
  assert.match(configError({}), /BOT_TOKEN|SUPPORT_TOKEN/);
});

Deno.test("parseConfig: a missing token says where it goes and where to get it", () => {
  const noBot = configError({ SUPPORT_TOKEN });
  assert.match(noBot, /^BOT_TOKEN is not set: /);
  assert.match(noBot, /@BotFather/);
  assert.match(noBot, /put it in \.env\b/);
  assert.match(noBot, /copy \.env\.example/);
  const noSupport = configError({ BOT_TOKEN });
  assert.match(noSupport, /^SUPPORT_TOKEN is not set: /);
  assert.match(noSupport, /put .* in \.env\b/);
  assert.match(noSupport, /openssl rand -hex 24/);
  // ENV_FILE names another file: that is the one to put it in.
  const elsewhere = configError({ ENV_FILE: "/etc/helpdesk.env", SUPPORT_TOKEN });
  assert.match(elsewhere, /put it in \/etc\/helpdesk\.env\b/);
  assert.doesNotMatch(elsewhere, /\.env\.example/);
});

Deno.test("parseConfig: SUPPORT_TOKEN shorter than 12 characters is refused", () => {
  assert.match(configError({ BOT_TOKEN, SUPPORT_TOKEN: "elevenchars" }), /SUPPORT_TOKEN/);
  assert.equal(
    parseConfig({ BOT_TOKEN, SUPPORT_TOKEN: "twelve-chars" }).supportToken,
    "twelve-chars",
  );
});

Deno.test("parseConfig: a malformed BOT_TOKEN is refused", () => {
  for (const bad of ["123456", "123456:", ":abcdef", "abc:def", "123456:abc def", "12 34:abc"]) {
    assert.match(configError({ BOT_TOKEN: bad, SUPPORT_TOKEN }), /BOT_TOKEN/, bad);
  }
});

Deno.test("parseConfig: a bad TELEGRAM_API_URL is refused", () => {
  for (const bad of ["not a url", "api.telegram.org", "ftp://api.telegram.org", "file:///tmp/x"]) {
    assert.match(configError({ ...VALID, TELEGRAM_API_URL: bad }), /TELEGRAM_API_URL/, bad);
  }
});

Deno.test("parseConfig: DEFAULT_LANGUAGE other than ru or en is refused", () => {
  for (const bad of ["de", "EN", "russian"]) {
    assert.match(configError({ ...VALID, DEFAULT_LANGUAGE: bad }), /DEFAULT_LANGUAGE/, bad);
  }
});

Deno.test("parseConfig: ONLINE_WINDOW_MINUTES must be a non-negative number", () => {
  for (const bad of ["abc", "-1", "5min", "NaN", "Infinity"]) {
    assert.match(
      configError({ ...VALID, ONLINE_WINDOW_MINUTES: bad }),
      /ONLINE_WINDOW_MINUTES/,
      bad,
    );
  }
});

Deno.test("parseConfig: error messages never contain a token's value", () => {
  const weirdBot = "999:not a valid token";
  const shortSupport = "tiny-secret";
  const cases: Record<string, string | undefined>[] = [
    { BOT_TOKEN: weirdBot, SUPPORT_TOKEN },
    { BOT_TOKEN: "token-without-colon-QWERTY", SUPPORT_TOKEN },
    { BOT_TOKEN, SUPPORT_TOKEN: shortSupport },
    { ...VALID, TELEGRAM_API_URL: "ftp://x" },
    { ...VALID, TELEGRAM_API_URL: "::::" },
    { ...VALID, DEFAULT_LANGUAGE: "fr" },
    { ...VALID, ONLINE_WINDOW_MINUTES: "-5" },
    { SUPPORT_TOKEN },
    { BOT_TOKEN },
  ];
  for (const env of cases) {
    const message = configError(env);
    for (const secret of [env.BOT_TOKEN, env.SUPPORT_TOKEN]) {
      if (secret) assert.equal(message.includes(secret.trim()), false, `${message} leaks`);
    }
  }
});

// ---- webhook and HTTP server ----

const WEBHOOK = { ...VALID, WEBHOOK_URL: "https://bot.example.com/tg", WEBHOOK_SECRET: "s_-3CRET" };

Deno.test("parseConfig: long polling by default, no HTTP server unless HEALTH_PORT", () => {
  const { server } = parseConfig(VALID);
  assert.equal(server.webhookUrl, undefined);
  assert.equal(server.webhookSecret, undefined);
  // Loopback unless told otherwise: behind a proxy (the Docker image sets 0.0.0.0).
  assert.equal(server.host, "127.0.0.1");
  assert.equal(server.port, 8080);
  assert.equal(server.healthPort, undefined);
  assert.equal(parseConfig({ ...VALID, HEALTH_PORT: "8081" }).server.healthPort, 8081);
});

Deno.test("parseConfig: webhook mode with its secret, host and port", () => {
  const { server } = parseConfig({ ...WEBHOOK, HOST: "127.0.0.1", PORT: "8443" });
  assert.equal(server.webhookUrl, "https://bot.example.com/tg");
  assert.equal(server.webhookSecret, "s_-3CRET");
  assert.equal(server.host, "127.0.0.1");
  assert.equal(server.port, 8443);
  const longest = "A".repeat(256);
  assert.equal(parseConfig({ ...WEBHOOK, WEBHOOK_SECRET: longest }).server.webhookSecret, longest);
  assert.equal(parseConfig({ ...WEBHOOK, PORT: "0" }).server.port, 0, "0: any free port");
});

Deno.test("parseConfig: a webhook needs an https URL and a secret in Telegram's alphabet", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ ...VALID, WEBHOOK_URL: "https://bot.example.com/tg" }, /WEBHOOK_SECRET is not set/],
    [{ ...WEBHOOK, WEBHOOK_URL: "http://bot.example.com/tg" }, /WEBHOOK_URL must be an https/],
    [{ ...WEBHOOK, WEBHOOK_URL: "bot.example.com/tg" }, /WEBHOOK_URL is not a URL/],
    [{ ...WEBHOOK, WEBHOOK_URL: "https://bot.example.com/healthz" }, /WEBHOOK_URL .*healthz/],
    [{ ...WEBHOOK, WEBHOOK_SECRET: "has space" }, /WEBHOOK_SECRET must be/],
    [{ ...WEBHOOK, WEBHOOK_SECRET: "pässword" }, /WEBHOOK_SECRET must be/],
    [{ ...WEBHOOK, WEBHOOK_SECRET: "a=b" }, /WEBHOOK_SECRET must be/],
    [{ ...WEBHOOK, WEBHOOK_SECRET: "x".repeat(257) }, /WEBHOOK_SECRET must be/],
    [{ ...VALID, WEBHOOK_SECRET: "s_-3CRET" }, /WEBHOOK_SECRET is set but WEBHOOK_URL is not/],
  ];
  for (const [env, expected] of cases) {
    const message = configError(env);
    assert.match(message, expected);
    assert.ok(!message.includes(env.WEBHOOK_SECRET ?? "\0"), `${message} leaks the secret`);
  }
});

Deno.test("parseConfig: PORT and HEALTH_PORT must be port numbers", () => {
  for (const bad of ["http", "-1", "65536", "80.5", "8080a", "1e3", "999999"]) {
    assert.match(configError({ ...VALID, PORT: bad }), /^PORT must be a port number/, bad);
    assert.match(configError({ ...VALID, HEALTH_PORT: bad }), /^HEALTH_PORT must be/, bad);
  }
});

// ---- loadConfig ----

Deno.test("loadConfig: reads ENV_FILE; a variable set in the environment wins", async () => {
  const path = await Deno.makeTempFile({ prefix: "helpdesk-env-", suffix: ".env" });
  try {
    await Deno.writeTextFile(
      path,
      [
        "# a comment",
        "BOT_TOKEN=4242:file-Token_value",
        'SUPPORT_TOKEN="support-from-file"',
        "DEFAULT_LANGUAGE=en",
        "ONLINE_WINDOW_MINUTES=2",
        "TELEGRAM_API_URL=http://localhost:9000/",
        "DATABASE_PATH=/tmp/from-file.db",
        "",
      ].join("\n"),
    );
    const fromFile = withEnv({ ENV_FILE: path }, () => loadConfig());
    assert.equal(fromFile.botToken, "4242:file-Token_value");
    assert.equal(fromFile.supportToken, "support-from-file");
    assert.equal(fromFile.defaultLanguage, "en");
    assert.equal(fromFile.onlineWindowMs, 120_000);
    assert.equal(fromFile.telegramApiUrl, "http://localhost:9000");
    assert.equal(fromFile.databasePath, "/tmp/from-file.db");

    const mixed = withEnv(
      { ENV_FILE: path, SUPPORT_TOKEN: "support-from-environment", DEFAULT_LANGUAGE: "ru" },
      () => loadConfig(),
    );
    assert.equal(mixed.supportToken, "support-from-environment");
    assert.equal(mixed.defaultLanguage, "ru");
    assert.equal(mixed.botToken, "4242:file-Token_value");
    assert.equal(mixed.onlineWindowMs, 120_000);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("loadConfig: ENV_FILE pointing at a missing file is a ConfigError", async () => {
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-env-" });
  try {
    const missing = `${dir}/no-such.env`;
    const before = Deno.env.get("BOT_TOKEN");
    assert.throws(
      () => withEnv({ ENV_FILE: missing, ...VALID }, () => loadConfig()),
      (error: unknown) => error instanceof ConfigError && error.message.includes(missing),
    );
    // The environment is restored afterwards.
    assert.equal(Deno.env.get("BOT_TOKEN"), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---- secretsEqual (src/base/secrets.ts) ----

Deno.test("secretsEqual: only the identical secret matches", () => {
  const secret = "correct-horse-battery";
  assert.equal(secretsEqual("correct-horse-battery", secret), true);
  assert.equal(secretsEqual("correct-horse-batterx", secret), false, "same length, last differs");
  assert.equal(secretsEqual("Correct-horse-battery", secret), false, "same length, first differs");
  assert.equal(secretsEqual("correct-horse", secret), false, "prefix");
  assert.equal(secretsEqual("correct-horse-battery-staple", secret), false, "longer");
  assert.equal(secretsEqual("", secret), false, "empty");
  // A shorter guess is zero-padded inside; a secret ending in NUL must still not match it.
  assert.equal(secretsEqual("token", "token\0"), false);
  assert.equal(secretsEqual("token\0", "token"), false);
});

Deno.test("secretsEqual: non-ASCII secrets", () => {
  assert.equal(secretsEqual("пароль-ключ-秘密", "пароль-ключ-秘密"), true);
  assert.equal(secretsEqual("пароль-ключ-秘密", "пароль-клюю-秘密"), false);
  // Same number of UTF-16 units, different bytes.
  assert.equal(secretsEqual("ключ", "klyu"), false);
  assert.equal(secretsEqual("klyu", "ключ"), false);
  assert.equal(secretsEqual("é", "e\u0301"), false, "no Unicode normalisation");
});
