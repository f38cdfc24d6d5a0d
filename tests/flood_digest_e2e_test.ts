/**
 * A flood hides no words (issue 22, finding 1), under the real bot: beyond
 * `CLIENT_RELAY_PER_MINUTE` a client's messages are no longer summed up as "N more are in the
 * history" but shown a minute later in a digest: texts merged into as few messages as Telegram
 * allows, each piece after its time, signed with the client's name in an agent's chat; media
 * as albums; the digest held to the same pace. Every piece reaches the agent (or the topic)
 * once, in order, a restart in the middle included.
 *
 * The minute is passed on the bot's clocks (wall and monotonic together, as time passing is),
 * not waited for.
 */
import assert from "node:assert/strict";
import type { Clock } from "../src/base/clock.ts";
import { FOLD_WINDOW_MS } from "../src/desk/pace.ts";
import {
  type Harness,
  introduce,
  registerAgent,
  RU,
  settled,
  shownText,
  waitForText,
  withHarness,
} from "./support/harness.ts";
import { agent1 } from "./support/people.ts";
import { staffGroup, topicOf, waitInThread } from "./support/team.ts";
import { type ApiCall, type FakeTelegram, user } from "./support/telegram.ts";

const ivan = user(8701, "Ivan");
const agent = user(8801, "Agent", { last_name: "Digest" });
const PACE = 5;

/** The bot's clocks, which a test moves forward as time passing (both clocks at once). */
function passingClock(): Clock & { pass(ms: number): void } {
  let ahead = 0;
  return {
    now: () => Date.now() + ahead,
    monotonic: () => performance.now() + ahead,
    pass(ms) {
      ahead += ms;
    },
  };
}

/** A window of the client's pace passes; the sender looks at once. */
function windowPasses(h: Harness, clock: ReturnType<typeof passingClock>): void {
  clock.pass(FOLD_WINDOW_MS + 1000);
  h.app.sender.wake();
}

/** Windows pass until the digest is all out (each window lets out at most the pace). */
async function digestOut(h: Harness, clock: ReturnType<typeof passingClock>): Promise<void> {
  const waiting = () =>
    (h.app.db.prepare(
      "SELECT count(*) AS n FROM deliveries WHERE status = 'pending' AND method = 'foldSummary'",
    ).get() as { n: number }).n;
  for (let windows = 0; waiting() > 0; windows++) {
    assert.ok(windows < 10, "the digest goes out within a few windows");
    windowPasses(h, clock);
    await handled(h, clock, 0);
  }
  await settled(h);
}

/** What a call shows: its text or caption, or the captions of an album's parts. */
function shown(call: ApiCall): string {
  const media = call.params.media as { caption?: string }[] | undefined;
  return media ? media.map((m) => m.caption ?? "").join("\n") : shownText(call);
}

/** The numbers of the pieces (`piece N`) in `texts`, in the order they show. */
function pieces(texts: readonly string[]): number[] {
  return texts.flatMap((t) => [...t.matchAll(/piece (\d+)/g)].map((m) => Number(m[1])));
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** The messages the bot posted into `chatId` after call `after` (an album: one per part). */
function postedTo(tg: FakeTelegram, chatId: number, after: number): ApiCall[] {
  return tg.calls.slice(after).filter((c) =>
    c.ok && Number(c.params.chat_id) === chatId &&
    ["sendMessage", "copyMessage", "sendMediaGroup"].includes(c.method)
  );
}

/** Waits until all `count` messages of the client are stored and nothing due is left. */
async function handled(h: Harness, clock: Clock, count: number): Promise<void> {
  const db = h.app.db;
  await h.tg.waitFor(() => {
    const stored = db.prepare("SELECT count(*) AS n FROM messages WHERE sender_id = ?")
      .get(ivan.id) as { n: number };
    const due = db.prepare(
      "SELECT count(*) AS n FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ?",
    ).get(clock.now()) as { n: number };
    return stored.n >= count && due.n === 0;
  }, { message: `${count} messages handled`, timeoutMs: 15_000 });
}

async function inDialog(h: Harness): Promise<number> {
  await registerAgent(h.tg, agent);
  await introduce(h.tg, ivan, "Иван");
  return h.tg.calls.length;
}

Deno.test("a client pastes 30 pieces beyond the pace: the agent reads every one, in order, in few messages", () => {
  const clock = passingClock();
  return withHarness(
    async (h) => {
      const after = await inDialog(h);
      for (const n of oneToN(30)) h.tg.sendText(ivan, `piece ${n}`);
      await handled(h, clock, 30);
      // Within the minute: no more than the pace (and the message that opened the ticket).
      const relayed = postedTo(h.tg, agent.id, after).filter((c) => pieces([shownText(c)]).length);
      assert.ok(relayed.length <= PACE + 1, `${relayed.length} relayed within the minute`);
      windowPasses(h, clock);
      await settled(h);
      const shown = postedTo(h.tg, agent.id, after).map(shownText)
        .filter((t) => pieces([t]).length > 0);
      assert.deepEqual(pieces(shown), oneToN(30), "every piece once, in order");
      // The rest came as one digest: signed, each piece on its line after its time.
      assert.equal(shown.length, relayed.length + 1, "the folded pieces in one message");
      const [header, ...lines] = shown.at(-1)!.split("\n");
      assert.equal(header, "👤 Иван:");
      for (const line of lines) assert.match(line, /^\[\d\d:\d\d\] piece \d+$/);
      assert.ok(!postedTo(h.tg, agent.id, after).some((c) => shownText(c).includes("/history")));
    },
    { CLIENT_RELAY_PER_MINUTE: String(PACE) },
    { clock },
  );
});

Deno.test("a long paste: the digest keeps the pace, and a restart in its middle loses and doubles nothing", () => {
  const clock = passingClock();
  return withHarness(
    async (h) => {
      const after = await inDialog(h);
      // About 25 KB folded: 4 pieces a message, so more parts than the pace lets out at once.
      const filler = "x".repeat(900);
      for (const n of oneToN(30)) h.tg.sendText(ivan, `piece ${n} ${filler}`);
      await handled(h, clock, 30);
      const relayed = postedTo(h.tg, agent.id, after).filter((c) => pieces([shownText(c)]).length)
        .length;
      assert.ok(relayed <= PACE + 1, `${relayed} relayed within the minute`);
      windowPasses(h, clock);
      // The first part of the digest is out: the bot restarts in the middle of it.
      const firstFolded = relayed + 1;
      await waitForText(h.tg, agent.id, `piece ${firstFolded} `, after, 15_000);
      await h.restart();
      await handled(h, clock, 30);
      const inWindow = postedTo(h.tg, agent.id, after).filter((c) => pieces([shownText(c)]).length)
        .length - relayed;
      assert.ok(inWindow >= 1 && inWindow <= PACE, `${inWindow} digest messages in one window`);
      await digestOut(h, clock);
      const texts = postedTo(h.tg, agent.id, after).map(shownText);
      assert.deepEqual(pieces(texts), oneToN(30), "every piece once, in order");
      for (const text of texts) assert.ok(text.length <= 4096);
    },
    { CLIENT_RELAY_PER_MINUTE: String(PACE) },
    { clock },
  );
});

Deno.test("media beyond the pace: photos as one album, a sticker on its own, all in order", () => {
  const clock = passingClock();
  return withHarness(
    async (h) => {
      const { tg } = h;
      const after = await inDialog(h);
      for (const n of oneToN(3)) tg.sendText(ivan, `piece ${n}`);
      tg.sendMedia(ivan, "photo", { caption: "piece 4" });
      tg.sendMedia(ivan, "photo");
      tg.sendMedia(ivan, "photo", { caption: "piece 5" });
      tg.sendMedia(ivan, "sticker");
      tg.sendText(ivan, "piece 6");
      await handled(h, clock, 8);
      await digestOut(h, clock);
      const posted = postedTo(tg, agent.id, after);
      assert.deepEqual(pieces(posted.map(shown)), oneToN(6));
      const album = posted.find((c) => c.method === "sendMediaGroup");
      assert.ok(album, "the photos came as an album");
      const media = album.params.media as { type: string; caption?: string }[];
      assert.deepEqual(media.map((m) => m.type), ["photo", "photo", "photo"]);
      assert.match(media[0].caption ?? "", /^👤 Иван:\n\[\d\d:\d\d\] piece 4$/);
      assert.match(media[1].caption ?? "", /^\[\d\d:\d\d\]$/);
      // The sticker is shown too, after the album and before the last text.
      const methods = posted.slice(posted.indexOf(album)).map((c) => c.method);
      assert.deepEqual(methods, ["sendMediaGroup", "copyMessage", "sendMessage"]);
    },
    { CLIENT_RELAY_PER_MINUTE: "2" },
    { clock },
  );
});

Deno.test("team mode: a client's 30 pieces beyond the pace all reach their topic, in order", () => {
  const clock = passingClock();
  let staff = 0;
  return withHarness(
    async (h) => {
      const { tg } = h;
      await introduce(tg, ivan, "Иван");
      for (const n of oneToN(30)) tg.sendText(ivan, `piece ${n}`);
      const thread = await topicOf(tg, staff, "Иван");
      await waitInThread(tg, staff, thread, "piece 5");
      await handled(h, clock, 30);
      const before = tg.messagesInThread(staff, thread).length;
      windowPasses(h, clock);
      await settled(h);
      const inTopic = tg.messagesInThread(staff, thread).map((m) => String(m.text ?? ""));
      assert.deepEqual(pieces(inTopic), oneToN(30), "every piece once, in order");
      const carrying = inTopic.filter((t) => pieces([t]).length > 0);
      assert.ok(carrying.length <= PACE + 1, `${carrying.length} messages carry the pieces`);
      assert.equal(inTopic.length, before + 1, "the digest is one message");
      // The topic is the client's own: no name in front, each piece after its time.
      for (const line of inTopic.at(-1)!.split("\n")) {
        assert.match(line, /^\[\d\d:\d\d\] piece \d+$/);
      }
    },
    { CLIENT_RELAY_PER_MINUTE: String(PACE) },
    {
      clock,
      prepare: (tg) => {
        staff = staffGroup(tg);
        return { STAFF_CHAT_ID: String(staff) };
      },
    },
  );
});

Deno.test("a piece edited after the digest showed it: the digest's message is edited whole", () => {
  const clock = passingClock();
  return withHarness(
    async (h) => {
      const { tg } = h;
      const after = await inDialog(h);
      const sent = oneToN(6).map((n) => tg.sendText(ivan, `piece ${n}`));
      await handled(h, clock, 6);
      await digestOut(h, clock);
      const digest = postedTo(tg, agent.id, after).at(-1)!;
      assert.deepEqual(pieces([shownText(digest)]), [4, 5, 6]);
      const edits = tg.calls.length;
      tg.sendEdit(ivan, sent[4].message_id, { text: "piece 5, corrected" });
      const edit = await tg.waitFor(
        () => tg.calls.slice(edits).find((c) => c.method === "editMessageText" && c.ok),
        { message: "the digest edited" },
      );
      const text = String(edit.params.text);
      assert.equal(text.split("\n")[0], "👤 Иван:");
      assert.deepEqual(pieces([text]), [4, 5, 6]);
      assert.match(text, /\] piece 5, corrected\n/);
    },
    { CLIENT_RELAY_PER_MINUTE: "2" },
    { clock },
  );
});

Deno.test("team mode: a ticket closed in the middle of a flood shows its rest before the close", () => {
  const clock = passingClock();
  let staff = 0;
  return withHarness(
    async (h) => {
      const { tg } = h;
      await introduce(tg, ivan, "Иван");
      tg.sendText(ivan, "piece 1");
      const thread = await topicOf(tg, staff, "Иван");
      tg.sendGroupText(staff, agent1, "Ответ", { threadId: thread });
      await waitInThread(tg, staff, thread, RU.team.taken("#T-000001", "Agent One"));
      for (const n of oneToN(12).slice(1)) tg.sendText(ivan, `piece ${n}`);
      await handled(h, clock, 12);
      tg.sendGroupText(staff, agent1, "/end_chat", { threadId: thread });
      const closed = RU.team.closed("#T-000001", "Agent One");
      await waitInThread(tg, staff, thread, closed);
      await settled(h);
      const inTopic = tg.messagesInThread(staff, thread).map((m) => String(m.text ?? ""));
      assert.deepEqual(pieces(inTopic), oneToN(12), "every piece once, in order");
      const closedAt = inTopic.indexOf(closed);
      assert.deepEqual(pieces(inTopic.slice(closedAt)), [], "all of it before the close");
    },
    { CLIENT_RELAY_PER_MINUTE: String(PACE) },
    {
      clock,
      prepare: (tg) => {
        staff = staffGroup(tg);
        return { STAFF_CHAT_ID: String(staff) };
      },
    },
  );
});
