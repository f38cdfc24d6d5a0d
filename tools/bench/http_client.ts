/**
 * `deno run -A tools/bench/http_client.ts [calls] [groups]`: the process CPU time of one Bot
 * API call, per HTTP client. A POST of a small JSON body to a local HTTP/1.1 server
 * (`Deno.serve`, run as a CHILD process so that its CPU is not counted), the calls 5 ms
 * apart on a keep-alive connection, the answer's JSON read:
 *
 * - `fetch`: Deno's `fetch`;
 * - `grammY + fetch`: grammY's `Api` over `telegramFetchOver(fetch)` (the client before);
 * - `httpFetch`: the hand-written client of `src/telegram/http.ts`, called directly;
 * - `grammY + httpFetch`: grammY's `Api` over `telegramFetch` (the client now).
 *
 * CPU is `process.cpuUsage()` (getrusage of the whole process, every thread) over the calls;
 * the modes take turns block by block (50 calls each, in a rotated order), and each mode's
 * figure is the median of its groups; the 5 ms timer alone is measured the same way and
 * subtracted in a column of its own. The machine is shared: read it beside the load.
 *
 * @module
 */
import process from "node:process";
import { Api } from "grammy";
import { httpFetch } from "../../src/telegram/http.ts";
import { telegramFetch, telegramFetchOver } from "../../src/telegram/client.ts";
import type { ApiClientOptions } from "grammy";

const ANSWER = JSON.stringify({
  ok: true,
  result: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "hi" },
});

if (Deno.args[0] === "serve") {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(port) },
    async (request) => {
      await request.text();
      return new Response(ANSWER, { headers: { "content-type": "application/json" } });
    },
  );
  await server.finished;
  Deno.exit(0);
}

const calls = Number(Deno.args[0] ?? 600);
const rounds = Number(Deno.args[1] ?? 3);

const child = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", new URL(import.meta.url).pathname, "serve"],
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
let line = "";
while (!line.includes("\n")) line += (await reader.read()).value ?? "";
const port = Number(line.trim());
const root = `http://127.0.0.1:${port}`;
const url = `${root}/bot1:token/sendMessage`;
const body = JSON.stringify({ chat_id: 1, text: "hi there" });
const headers = { "content-type": "application/json", connection: "keep-alive" };

const api = (fetch: unknown) =>
  new Api("1:token", {
    apiRoot: root,
    timeoutSeconds: 30,
    fetch: fetch as ApiClientOptions["fetch"],
  });
const overFetch = api(telegramFetchOver(fetch));
const overHand = api(telegramFetch);

const modes: [string, () => Promise<unknown>][] = [
  ["fetch", async () => (await fetch(url, { method: "POST", headers, body })).json()],
  ["grammY + fetch", () => overFetch.sendMessage(1, "hi there")],
  ["httpFetch", async () => (await httpFetch(url, { method: "POST", headers, body })).json()],
  ["grammY + httpFetch", () => overHand.sendMessage(1, "hi there")],
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// Fine interleaving: blocks of BLOCK calls, the modes taking turns block by block in a rotated
// order, so that a busy moment of the machine falls on every mode alike. A round is one block
// of each mode; a figure per mode is the median over groups of rounds.
const BLOCK = 50;
const GROUPS = rounds;
const blocksPerGroup = Math.max(1, Math.round(calls / BLOCK));
const results = new Map<string, number[]>(modes.map(([name]) => [name, []]));
const idleRuns: number[] = [];
const all: [string, () => Promise<unknown>][] = [...modes, [
  "(5 ms timer alone)",
  () => Promise.resolve(),
]];
console.log(
  `load: ${Deno.loadavg().map((n) => n.toFixed(2)).join(" ")}; ` +
    `${GROUPS} groups of ${blocksPerGroup} blocks of ${BLOCK} calls per mode`,
);
for (const [, call] of modes) for (let w = 0; w < 50; w++) await call(); // warm-up
for (let group = 0; group < GROUPS; group++) {
  const spent = new Map<string, number>(all.map(([name]) => [name, 0]));
  for (let block = 0; block < blocksPerGroup; block++) {
    for (let i = 0; i < all.length; i++) {
      const [name, call] = all[(i + block) % all.length];
      const start = cpuMs();
      for (let n = 0; n < BLOCK; n++) {
        await call();
        await sleep(5);
      }
      spent.set(name, spent.get(name)! + cpuMs() - start);
    }
  }
  const per = (name: string) => spent.get(name)! / (blocksPerGroup * BLOCK);
  for (const [name] of modes) results.get(name)!.push(per(name));
  idleRuns.push(per("(5 ms timer alone)"));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const idle = median(idleRuns);
console.log("\n| client | CPU ms/call (median) | minus the 5 ms timer | runs |");
console.log("| --- | --- | --- | --- |");
for (const [name, runs] of results) {
  const m = median(runs);
  console.log(
    `| ${name} | ${m.toFixed(3)} | ${(m - idle).toFixed(3)} | ${
      runs.map((r) => r.toFixed(3)).join(" ")
    } |`,
  );
}
console.log(
  `| (5 ms timer alone) | ${idle.toFixed(3)} | | ${idleRuns.map((r) => r.toFixed(3)).join(" ")} |`,
);
console.log(`load: ${Deno.loadavg().map((n) => n.toFixed(2)).join(" ")}`);
child.kill();
await child.status;
Deno.exit(0);
