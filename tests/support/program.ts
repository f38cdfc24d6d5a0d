/**
 * The real program, `main.ts`, as a child process: the bot started as `deno task start` would
 * start it ({@link spawnBot}), one-shot subcommands (`backup`, `healthcheck`, `--help`) with
 * chosen permission flags, the permission flags and command line of a `deno.json` task, and
 * reading the port the bot's HTTP server bound from its log.
 *
 * @module
 */
import { join } from "node:path";
import type { FakeTelegram } from "./telegram.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

/**
 * The flags of the `deno.json` task `name` (`--allow-*`, `--v8-flags=…`, …), of this checkout
 * or of the one at `root`.
 */
export async function taskFlags(name: string, root = ROOT): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
  const task: string = config.tasks[name];
  return task.split(/\s+/).filter((word) => word.startsWith("--"));
}

/** The whole command line of the `deno.json` task `name`. */
export async function taskCommand(name: string): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  return config.tasks[name];
}

/** The flags of `deno task start` (of this checkout, or `root`), read so tests follow them. */
export function startFlags(root?: string): Promise<string[]> {
  return taskFlags("start", root);
}

/** The real program running as a child process, with its stderr collected. */
export interface BotProcess {
  readonly child: Deno.ChildProcess;
  /** Everything the program wrote to stderr so far. */
  log(): string;
  /** Waits for the process to end (after a signal) and its output to be read. */
  finished(): Promise<Deno.CommandStatus>;
}

/**
 * Starts `main.ts` as `deno task start` would (same permission flags, or `flags` when given),
 * with only `env` (plus PATH and HOME) in its environment; with `openFiles`, under that limit
 * on open files (`ulimit -n` in a shell that then becomes the program, so the child's pid is
 * the program's). `program` runs another file instead of `main.ts` (the benchmarks run
 * another checkout's, or a bot of their own).
 */
export async function spawnBot(
  env: Record<string, string>,
  cwd: string,
  flags?: string[],
  openFiles?: number,
  program: string = join(ROOT, "main.ts"),
): Promise<BotProcess> {
  const args = ["run", ...(flags ?? await startFlags()), program];
  const [command, commandArgs] = openFiles === undefined
    ? [Deno.execPath(), args]
    : ["bash", ["-c", `ulimit -n ${openFiles} && exec "$0" "$@"`, Deno.execPath(), ...args]];
  const child = new Deno.Command(command, {
    args: commandArgs,
    cwd,
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let text = "";
  const reading = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) text += chunk;
  })();
  return {
    child,
    log: () => text,
    async finished() {
      const status = await child.status;
      await reading;
      return status;
    },
  };
}

/** What a one-shot run of the program printed, and its exit code. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `main.ts <args>` with `flags`, only `env` (plus PATH and HOME), in `cwd`. */
export async function runMain(
  args: string[],
  flags: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<RunResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...flags, join(ROOT, "main.ts"), ...args],
    cwd,
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "", ...env },
    clearEnv: true,
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout).trim(),
    stderr: decoder.decode(output.stderr).trim(),
  };
}

/** Waits until the bot logs `http.listening` (text or JSON) and returns the port it bound. */
export async function listeningPort(bot: BotProcess, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /http\.listening.*?port"?[=:](\d+)/.exec(bot.log());
    if (match) return Number(match[1]);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no http.listening in the log:\n${bot.log()}`);
}

/**
 * Starts the real program against `tg` and waits until it polls (its `deleteWebhook` comes
 * first), so that what a test pushes next is taken by this run.
 */
export async function spawnPolling(
  tg: Pick<FakeTelegram, "calls" | "waitForCall">,
  env: Record<string, string>,
  cwd: string,
): Promise<BotProcess> {
  const after = tg.calls.length;
  const bot = await spawnBot(env, cwd);
  await tg.waitForCall("deleteWebhook", undefined, { after, timeoutMs: 20_000 });
  return bot;
}
