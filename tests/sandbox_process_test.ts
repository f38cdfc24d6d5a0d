/**
 * The sandbox as a program: a separate entry point that production never reaches (`start`
 * does not name it, `main.ts` imports neither it nor the emulator), that refuses a real
 * Telegram, and that starts, prints one URL, serves the page, and stops on Ctrl+C, deleting
 * its database.
 */
import assert from "node:assert/strict";
import { taskCommand } from "./support/program.ts";

const ROOT = new URL("..", import.meta.url).pathname;

async function sandboxArgs(): Promise<string[]> {
  const words = (await taskCommand("sandbox")).split(/\s+/);
  assert.equal(words[0], "deno");
  return words.slice(1);
}

Deno.test("production never reaches the sandbox or the emulator", async () => {
  assert.doesNotMatch(await taskCommand("start"), /sandbox|emulator/);
  assert.doesNotMatch(await taskCommand("compile"), /sandbox|emulator/);
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "main.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "null",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(info.stdout));
  const local = graph.modules.map((m: { specifier: string }) => m.specifier)
    .filter((s: string) => s.startsWith("file:"));
  assert.ok(local.some((s: string) => s.endsWith("/src/app.ts")), "the graph was read");
  for (const s of local) assert.doesNotMatch(s, /\/src\/(sandbox|emulator)\//, s);
});

Deno.test("the sandbox refuses a TELEGRAM_API_URL that is not on this machine", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [...await sandboxArgs(), "--port", "0"],
    cwd: ROOT,
    env: { TELEGRAM_API_URL: "https://api.telegram.org" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr).trim();
  assert.equal(output.code, 1);
  assert.equal(stderr.split("\n").length, 1, stderr);
  assert.match(
    stderr,
    /^helpdesk-sandbox: TELEGRAM_API_URL is https:\/\/api\.telegram\.org: the sandbox never talks to a real Telegram/,
  );
  assert.equal(new TextDecoder().decode(output.stdout), "", "no URL printed");
});

Deno.test("the sandbox prints one URL, serves the page and the bot answers; Ctrl+C cleans up", async () => {
  // Its own temporary folder, so that what is left in it is the sandbox's alone.
  const tmp = await Deno.makeTempDir();
  const child = new Deno.Command(Deno.execPath(), {
    args: [...await sandboxArgs(), "--port", "0"],
    cwd: ROOT,
    env: { TMPDIR: tmp },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stdout = "";
  let stderr = "";
  const reading = Promise.all([
    (async () => {
      for await (const c of child.stdout.pipeThrough(new TextDecoderStream())) stdout += c;
    })(),
    (async () => {
      for await (const c of child.stderr.pipeThrough(new TextDecoderStream())) stderr += c;
    })(),
  ]);
  try {
    const deadline = Date.now() + 30_000;
    while (!/bot\.started/.test(stdout + stderr) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = /^http:\/\/127\.0\.0\.1:\d+\/$/m.exec(stdout)?.[0];
    assert.ok(url, stdout + stderr);
    assert.equal((stdout + stderr).match(/https?:\/\//g)?.length, 1, "exactly one URL");
    const page = await fetch(url);
    assert.match(await page.text(), /<main id="people">/);
    const state = await (await fetch(`${url}api/state`)).json();
    const anna = state.people[0].id;
    await fetch(`${url}api/people/${anna}/text`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "/start" }),
    });
    let answered = false;
    while (!answered && Date.now() < deadline) {
      const messages = await (await fetch(`${url}api/people/${anna}/messages`)).json();
      answered = messages.some((m: { out: boolean }) => !m.out);
      if (!answered) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(answered, "the real bot answered /start");
    const running = [...Deno.readDirSync(tmp)].map((e) => e.name);
    assert.equal(running.length, 1, String(running));
    assert.match(running[0], /^helpdesk-sandbox-/);
  } finally {
    child.kill("SIGINT");
  }
  const status = await child.status;
  await reading;
  assert.equal(status.code, 0, stdout + stderr);
  assert.match(stdout + stderr, /bot \| .*bot\.stopped/, "the bot's log lines are passed on");
  const left = [...Deno.readDirSync(tmp)].map((e) => e.name);
  await Deno.remove(tmp, { recursive: true });
  assert.deepEqual(left, [], "the throwaway database is deleted");
});
