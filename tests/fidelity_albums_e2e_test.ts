/**
 * End-to-end, issue 12: albums arrive whole. A client's album (Telegram sends one update per
 * part, sharing a `media_group_id`) reaches the agent as one `sendMediaGroup`, parts in order,
 * the client's name on the first caption; an agent's album reaches the client as one
 * `copyMessages`. An album cut by a restart of the bot still arrives as one album, and what
 * the client writes right after an album arrives after it.
 *
 * Through the real bot, the fake Bot API (which refuses albums Telegram refuses, and keeps
 * every part it sent) and a real SQLite file.
 */
import assert from "node:assert/strict";
import type { AlbumKind, ApiCall, FakeTelegram, PushedMessage } from "./support/telegram.ts";
import { agent1, alice } from "./support/people.ts";
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
import { DRAIN_INTERVAL_MS } from "../src/app.ts";
import { ticketNumber } from "../src/texts/mod.ts";

const NAME = "Алиса";

/** Alice, introduced as {@link NAME}, is served by agent1, everything sent. */
async function dialog(h: Harness): Promise<void> {
  const { tg } = h;
  await registerAgent(tg, agent1);
  await introduce(tg, alice, NAME);
  tg.sendText(alice, "Здравствуйте");
  await waitForText(tg, alice.id, RU.connected(ticketNumber(1)));
  await waitForText(tg, agent1.id, "Здравствуйте");
  await settled(h);
}

/** The successful calls to `chatId` from call index `after` on. */
function callsTo(tg: FakeTelegram, chatId: number, after: number): ApiCall[] {
  return tg.calls.slice(after).filter((c) =>
    c.ok && c.method !== "getUpdates" && Number(c.params.chat_id) === chatId
  );
}

/** The file id a part of an album carries (for a photo, its largest size). */
function fileIdOf(message: Record<string, unknown>): string {
  for (const kind of ["photo", "video", "document", "audio"]) {
    const media = message[kind];
    if (Array.isArray(media)) return (media.at(-1) as { file_id: string }).file_id;
    if (media) return (media as { file_id: string }).file_id;
  }
  throw new Error(`no media in ${JSON.stringify(message)}`);
}

interface InputMediaParam {
  type: string;
  media: string;
  caption?: string;
}

/**
 * Checks that the album `parts` reached the agent as the one call `call`: a `sendMediaGroup`
 * of the parts' files in order, each of its kind, the name in front of the first caption, the
 * others' captions as written; the agent's chat holds one album of them.
 */
function assertAlbum(tg: FakeTelegram, call: ApiCall, parts: PushedMessage[]): void {
  assert.equal(call.method, "sendMediaGroup");
  const media = call.params.media as InputMediaParam[];
  const originals = parts.map((p) => tg.messageIn(alice.id, p.message_id)!);
  assert.deepEqual(media.map((m) => m.media), originals.map(fileIdOf), "files in order");
  assert.deepEqual(
    media.map((m) => m.type),
    originals.map((o) => ["photo", "video", "document", "audio"].find((k) => o[k])),
  );
  const first = String(originals[0].caption ?? "");
  assert.equal(media[0].caption, first ? `👤 ${NAME}:\n${first}` : `👤 ${NAME}`);
  for (let i = 1; i < parts.length; i++) {
    assert.equal(media[i].caption ?? "", String(originals[i].caption ?? ""), `caption ${i}`);
  }
  const sent = call.result as { message_id: number; media_group_id?: string }[];
  assert.equal(sent.length, parts.length);
  const group = sent[0].media_group_id;
  assert.ok(group !== undefined && sent.every((m) => m.media_group_id === group), "one album");
}

Deno.test("client albums of 2 and of 10 parts reach the agent as one sendMediaGroup each", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await dialog(h);
    const after = tg.calls.length;
    const kinds: AlbumKind[] = ["photo", "video"];
    const albums = [2, 10].map((size) =>
      tg.sendAlbum(
        alice,
        Array.from({ length: size }, (_, i) => ({
          kind: kinds[i % 2],
          ...(i === 0 ? { caption: `альбом из ${size}` } : i === 3 ? { caption: "четвёртое" } : {}),
        })),
      )
    );
    // Documents go as an album of documents, audio as an album of audio.
    for (const kind of ["document", "audio"] as const) {
      albums.push(tg.sendAlbum(alice, [{ kind }, { kind, caption: "второй" }, { kind }]));
    }
    await settled(h);
    const calls = callsTo(tg, agent1.id, after);
    assert.deepEqual(calls.map((c) => c.method), albums.map(() => "sendMediaGroup"));
    albums.forEach((parts, i) => assertAlbum(tg, calls[i], parts));
    assert.equal(callsTo(tg, alice.id, after).length, 0, "nothing to the client");
    // The history counts each album once.
    const asked = tg.calls.length;
    tg.sendText(agent1, "/history");
    const file = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === agent1.id, {
      after: asked,
    });
    const lines = file.files.document.text().split("\n").filter((l) => l.startsWith("["));
    assert.equal(lines.length, 1 + 4, `the greeting and four albums: ${lines.join("\n")}`);
    assert.ok(lines[1].includes("альбом из 2"));
    assert.ok(lines[2].includes("альбом из 10"));
  }));

Deno.test("an agent's album reaches the client as one copyMessages, in order", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await dialog(h);
    const after = tg.calls.length;
    const parts = tg.sendAlbum(agent1, [
      { kind: "photo", caption: "шаг 1" },
      { kind: "photo", caption: "шаг 2" },
      { kind: "video" },
    ]);
    await settled(h);
    const calls = callsTo(tg, alice.id, after);
    assert.deepEqual(calls.map((c) => c.method), ["copyMessages"]);
    assert.equal(calls[0].params.from_chat_id, agent1.id);
    assert.deepEqual(calls[0].params.message_ids, parts.map((p) => p.message_id));
    const copies = (calls[0].result as { message_id: number }[]).map((c) =>
      tg.messageIn(alice.id, c.message_id)!
    );
    assert.deepEqual(copies.map((c) => c.caption ?? ""), ["шаг 1", "шаг 2", ""], "unsigned");
    assert.deepEqual(
      copies.map(fileIdOf),
      parts.map((p) => fileIdOf(tg.messageIn(agent1.id, p.message_id)!)),
    );
    assert.ok(copies.every((c) => c.media_group_id === copies[0].media_group_id));
    assert.equal(callsTo(tg, agent1.id, after).length, 0);
    // The copies are known: a reply of the client to one of them is a reply on the agent's side.
    const store = h.app.desk.store;
    assert.deepEqual(
      parts.map((p) => store.ownMessage(agent1.id, p.message_id)?.copyMessageId),
      (calls[0].result as { message_id: number }[]).map((c) => c.message_id),
    );
  }));

Deno.test("an album cut by a restart of the bot still arrives whole, as one album", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await dialog(h);
    const after = tg.calls.length;
    const firstHalf = tg.sendAlbum(alice, [
      { kind: "photo", caption: "до перезапуска" },
      { kind: "photo" },
    ]);
    const group = firstHalf[0].message.media_group_id!;
    // The bot has taken both parts (saved, the album waiting for more), then goes down.
    await tg.waitFor(() => store.albumParts(1, group).length === 2, { message: "parts saved" });
    await h.restart();
    const secondHalf = tg.sendAlbum(alice, [{ kind: "video" }, { kind: "photo" }], {
      media_group_id: group,
    });
    const ids = [...firstHalf, ...secondHalf].map((p) => p.message_id);
    assert.deepEqual(ids, ids.map((_, i) => ids[0] + i), "one album, consecutive ids");
    await settled(h);
    const calls = callsTo(tg, agent1.id, after);
    assert.deepEqual(calls.map((c) => c.method), ["sendMediaGroup"]);
    assertAlbum(tg, calls[0], [...firstHalf, ...secondHalf]);
  }));

Deno.test("an album whose last parts never come goes after a restart as it is", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await dialog(h);
    const after = tg.calls.length;
    const parts = tg.sendAlbum(alice, [{ kind: "photo", caption: "два" }, { kind: "video" }]);
    const group = parts[0].message.media_group_id!;
    await tg.waitFor(() => store.albumParts(1, group).length === 2, { message: "parts saved" });
    await h.restart();
    await settled(h);
    const calls = callsTo(tg, agent1.id, after);
    assert.deepEqual(calls.map((c) => c.method), ["sendMediaGroup"]);
    assertAlbum(tg, calls[0], parts);
  }));

Deno.test("a message written right after an album arrives after the album", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await dialog(h);
    const after = tg.calls.length;
    const parts = tg.sendAlbum(alice, [{ kind: "photo", caption: "фото" }, { kind: "photo" }]);
    tg.sendText(alice, "Это скриншоты ошибки");
    tg.sendMedia(alice, "sticker");
    await settled(h);
    const calls = callsTo(tg, agent1.id, after);
    assert.deepEqual(calls.map((c) => c.method), ["sendMediaGroup", "sendMessage", "copyMessage"]);
    assertAlbum(tg, calls[0], parts);
    assert.equal(shownText(calls[1]), `👤 ${NAME}:\nЭто скриншоты ошибки`);
    // In the agent's chat too: the album's messages come before the text's.
    const albumIds = (calls[0].result as { message_id: number }[]).map((m) => m.message_id);
    const textId = (calls[1].result as { message_id: number }).message_id;
    assert.ok(albumIds.every((id) => id < textId));
  }));

Deno.test("RECEIPT_REACTION: every part of an album gets the receipt once the album went", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await dialog(h);
    const parts = tg.sendAlbum(alice, [{ kind: "photo" }, { kind: "photo" }, { kind: "video" }]);
    await settled(h);
    assert.equal(tg.callsOf("sendMediaGroup").length, 1);
    assert.deepEqual(parts.map((p) => tg.reactionOn(alice.id, p.message_id)), ["👀", "👀", "👀"]);
    const album = tg.callsOf("sendMediaGroup")[0];
    const firstReceipt = tg.calls.findIndex((c) =>
      c.method === "setMessageReaction" &&
      c.params.message_id === parts[0].message_id
    );
    assert.ok(firstReceipt > tg.calls.indexOf(album), "after the album was sent");
  }, { RECEIPT_REACTION: "👀" }));

// The album delivery is written with a due time a moment ahead (`relayAlbum`); the sender must
// wake for it by itself. Had it to wait for the next commit of something else, the album (and
// what follows in its lane) would wait for the queue drain, every 30 s. The bounds are a third
// of that: this tells a missed wake-up from a working one, it does not measure speed.
Deno.test({
  name: "an album goes a moment after its last part, and what follows goes right after it",
  fn: () =>
    withHarness(async (h) => {
      const { tg } = h;
      await dialog(h);
      const after = tg.calls.length;
      const parts = tg.sendAlbum(alice, [{ kind: "photo" }, { kind: "photo" }]);
      const pushed = Date.now();
      tg.sendText(alice, "сразу после альбома");
      const text = await waitForText(tg, agent1.id, "сразу после альбома", after, 30_000);
      const album = tg.calls.find((c, i) => i >= after && c.method === "sendMediaGroup")!;
      assertAlbum(tg, album, parts);
      assert.ok(album.at - pushed < DRAIN_INTERVAL_MS / 3, `album after ${album.at - pushed} ms`);
      assert.ok(text.at >= album.at, "the text after the album");
      assert.ok(text.at - pushed < DRAIN_INTERVAL_MS / 3, `the text after ${text.at - pushed} ms`);
    }),
});

Deno.test("an album Telegram refuses for good: the client is told, in reply to its first part", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await dialog(h);
    const after = tg.calls.length;
    tg.failNext("sendMediaGroup", {
      code: 400,
      description: "Bad Request: wrong file identifier/HTTP URL specified",
      chatId: agent1.id,
    });
    const parts = tg.sendAlbum(alice, [{ kind: "photo" }, { kind: "photo" }]);
    const told = await waitForText(tg, alice.id, RU.notDelivered("album"), after);
    assert.equal(
      (told.params.reply_parameters as { message_id: number }).message_id,
      parts[0].message_id,
    );
    // The dialog goes on, and the parts stay in the history.
    tg.sendText(alice, "Попробую иначе");
    await waitForText(tg, agent1.id, "Попробую иначе", after);
    assert.equal(h.app.desk.store.clientMessagesOfTicket(1).length, 4);
  }));
