/**
 * Team mode in tests: a bot on a fresh staff forum group (the agents One and Two its members),
 * and looking at what the team sees in a client's topic.
 *
 * @module
 */
import assert from "node:assert/strict";
import { startApp } from "../../src/app.ts";
import { ConfigError, parseConfig } from "../../src/config/mod.ts";
import { silentLogger } from "../../src/base/log.ts";
import { type Harness, introduce, SUPPORT_TOKEN, withHarness } from "./harness.ts";
import { agent1, agent2 } from "./people.ts";
import type { FakeTelegram, FakeUser } from "./telegram.ts";

/** The staff group of a test: a forum with the two agents as members. */
export function staffGroup(tg: FakeTelegram): number {
  return tg.createGroup({ title: "Support", members: [agent1, agent2] });
}

/** Runs `fn` with a bot in team mode on a fresh staff group. */
export function withTeam(
  fn: (h: Harness, staff: number) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  let staff = 0;
  return withHarness((h) => fn(h, staff), env, {
    prepare: (tg) => {
      staff = staffGroup(tg);
      return { STAFF_CHAT_ID: String(staff) };
    },
  });
}

/** The client's topic, waited for. */
export async function topicOf(tg: FakeTelegram, staff: number, client: string): Promise<number> {
  const topic = await tg.waitFor(
    () => tg.topics(staff).find((t) => !t.deleted && t.name.includes(client)),
    { message: `a topic for ${client}` },
  );
  return topic.threadId;
}

/** What the team reads in a topic: texts and captions, in order. */
export function threadTexts(tg: FakeTelegram, staff: number, thread: number): string[] {
  return tg.messagesInThread(staff, thread).map((m) => String(m.text ?? m.caption ?? ""));
}

/** Waits until the topic shows a message containing `part`. */
export function waitInThread(
  tg: FakeTelegram,
  staff: number,
  thread: number,
  part: string,
): Promise<unknown> {
  return tg.waitFor(() => threadTexts(tg, staff, thread).some((t) => t.includes(part)), {
    message: `${JSON.stringify(part)} in topic ${thread}: ${threadTexts(tg, staff, thread)}`,
  });
}

/** A client who introduced themselves (as `name`) and then wrote `text`; returns their topic. */
export async function clientWrites(
  h: Harness,
  staff: number,
  client: FakeUser,
  name: string,
  text: string,
): Promise<number> {
  await introduce(h.tg, client, name);
  h.tg.sendText(client, text);
  const thread = await topicOf(h.tg, staff, name);
  await waitInThread(h.tg, staff, thread, text);
  return thread;
}

/**
 * Starts a bot against `tg` with `env` added to the usual settings and returns the one-line
 * error its start threw ("started" when it started; it is stopped again).
 */
export async function startRefusal(
  tg: FakeTelegram,
  env: Record<string, string>,
): Promise<string> {
  const dir = await Deno.makeTempDir();
  try {
    const config = parseConfig({
      BOT_TOKEN: tg.token,
      SUPPORT_TOKEN,
      DATABASE_PATH: `${dir}/db.sqlite`,
      TELEGRAM_API_URL: tg.apiRoot,
      ...env,
    });
    const app = await startApp(config, silentLogger).catch((error) => error);
    if (!(app instanceof Error)) {
      await app.stop();
      return "started";
    }
    assert.ok(app instanceof ConfigError, String(app));
    assert.ok(!app.message.includes("\n"), "one line");
    return app.message;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
