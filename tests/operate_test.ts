/**
 * The program as an operator runs it: allowed to read and write only its data folder (what
 * the single binary needs: nothing is read from the source tree at run time), the
 * `healthcheck` and `backup` subcommands, `--help`, the tasks' permissions, and a port
 * already in use.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { VERSION } from "../src/base/version.ts";
import { FakeTelegram, user } from "./support/telegram.ts";
import { RU, SUPPORT_TOKEN, waitForText } from "./support/harness.ts";
import {
  listeningPort,
  runMain,
  spawnBot,
  startFlags,
  taskCommand,
  taskFlags,
} from "./support/program.ts";

Deno.test("with reads allowed only in its data folder: a full relay, /healthz, healthcheck, backup", async () => {
  const tg = await FakeTelegram.start();
  const data = await Deno.makeTempDir({ prefix: "helpdesk-data-" });
  // The working directory is outside the data folder, so its .env cannot be read: it
  // counts as absent (were it read, LOG_FORMAT=json would change the log).
  const cwd = await Deno.makeTempDir({ prefix: "helpdesk-cwd-" });
  await Deno.writeTextFile(join(cwd, ".env"), "LOG_FORMAT=json\n");
  const read = `--allow-read=${data}`;
  const write = `--allow-write=${data}`;
  const env = {
    BOT_TOKEN: tg.token,
    SUPPORT_TOKEN,
    TELEGRAM_API_URL: tg.apiRoot,
    DATABASE_PATH: join(data, "helpdesk.db"),
    HOST: "127.0.0.1",
    HEALTH_PORT: "0",
    POLLING_TIMEOUT_SECONDS: "5",
  };
  const bot = await spawnBot(env, cwd, [read, write, "--allow-net", "--allow-env"]);
  try {
    const port = await listeningPort(bot);
    await tg.waitForCall("deleteWebhook", undefined, { timeoutMs: 15_000 });
    const agent = user(8001, "Agent");
    const client = user(8002, "Client");
    tg.sendText(agent, `/register_support ${SUPPORT_TOKEN}`);
    await waitForText(tg, agent.id, RU.registerOk);
    tg.sendText(client, "не могу войти");
    await waitForText(tg, agent.id, "👤 Client:\nне могу войти");
    const reply = tg.sendText(agent, "сейчас помогу");
    await tg.waitForCall(
      "copyMessage",
      (c) => c.params.chat_id === client.id && c.params.message_id === reply.message_id,
    );

    // The healthcheck subcommand (Docker's HEALTHCHECK) asks the running bot.
    const healthEnv = { ...env, HEALTH_PORT: String(port) };
    const health = await runMain(
      ["healthcheck"],
      ["--allow-net", "--allow-env", read],
      healthEnv,
      cwd,
    );
    assert.equal(health.code, 0, health.stderr);
    const body = JSON.parse(health.stdout);
    assert.equal(body.status, "ok");
    assert.equal(body.mode, "polling");
    assert.equal(typeof body.last_update_at, "string");

    // The backup subcommand, with the same narrow permissions, while the bot runs.
    const copy = join(data, "backup.db");
    const backup = await runMain(["backup", copy], ["--allow-env", read, write], env, cwd);
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /backup of .* written to .*backup\.db \(\d+ bytes\)/);

    // A moment of running (checkpoints follow the writes): nothing may be read outside the
    // data folder.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    bot.child.kill("SIGTERM");
    const status = await bot.finished();
    const log = bot.log();
    assert.equal(status.code, 0, log);
    assert.doesNotMatch(log, /NotCapable|Requires (read|write) access|Uncaught/);
    assert.ok(!log.trimStart().startsWith("{"), "the .env in the working directory was not read");

    // Nobody answers any more: the healthcheck fails with one line.
    const down = await runMain(
      ["healthcheck"],
      ["--allow-net", "--allow-env", read],
      healthEnv,
      cwd,
    );
    assert.equal(down.code, 1);
    assert.match(down.stderr, /^helpdesk-bot: health check failed/);
    assert.equal(down.stderr.split("\n").length, 1, down.stderr);
  } finally {
    try {
      bot.child.kill("SIGKILL");
    } catch { /* already gone */ }
    await bot.finished();
    await tg.close();
    await Deno.remove(data, { recursive: true });
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("healthcheck without a port to ask, and an unknown command: one line, exit 1", async () => {
  const cwd = await Deno.makeTempDir();
  try {
    const flags = ["--allow-net", "--allow-env", `--allow-read=${cwd}`];
    const noPort = await runMain(["healthcheck"], flags, {}, cwd);
    assert.equal(noPort.code, 1);
    assert.equal(
      noPort.stderr,
      "helpdesk-bot: HEALTH_PORT is not set (in polling mode /healthz is served on it)",
    );
    const unknown = await runMain(["restore"], flags, {}, cwd);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, "helpdesk-bot: unknown command restore; see --help");
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("--help names the subcommands and settings; --version prints the version", async () => {
  const cwd = await Deno.makeTempDir();
  try {
    const help = await runMain(["--help"], [], {}, cwd);
    assert.equal(help.code, 0);
    for (
      const word of [
        "backup <file>",
        "healthcheck",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
        "HEALTH_PORT",
        "PORT",
      ]
    ) {
      assert.ok(help.stdout.includes(word), word);
    }
    const version = await runMain(["--version"], [], {}, cwd);
    assert.equal(version.stdout, VERSION);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("the compile task has the start task's permissions and memory flags; backup needs no network", async () => {
  const compiled = (await taskFlags("compile")).filter((flag) => flag !== "--output");
  assert.deepEqual(compiled.toSorted(), (await startFlags()).toSorted());
  assert.match(
    await taskCommand("compile"),
    /^deno compile .*--output dist\/helpdesk-bot main\.ts$/,
  );
  assert.deepEqual((await taskFlags("backup")).toSorted(), [
    "--allow-env",
    "--allow-read",
    "--allow-write",
  ]);
  assert.match(await taskCommand("backup"), /main\.ts backup$/);
});

Deno.test("a port already in use stops the program with one line", async () => {
  const tg = await FakeTelegram.start();
  const cwd = await Deno.makeTempDir();
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const bot = await spawnBot({
      BOT_TOKEN: tg.token,
      SUPPORT_TOKEN,
      TELEGRAM_API_URL: tg.apiRoot,
      HOST: "127.0.0.1",
      HEALTH_PORT: String(taken.addr.port),
    }, cwd);
    const status = await bot.finished();
    const stderr = bot.log().trim();
    assert.equal(status.code, 1, stderr);
    assert.equal(stderr.split("\n").length, 1, stderr);
    assert.match(stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${taken.addr.port}`));
  } finally {
    taken.close();
    await tg.close();
    await Deno.remove(cwd, { recursive: true });
  }
});
