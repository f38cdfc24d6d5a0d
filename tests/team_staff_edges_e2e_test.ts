/**
 * Team mode at the edges of the staff group (issue 22, findings 3 to 6), the real bot against
 * the emulator's forum: an album whose note caption is on a later part stays in the group
 * whole; an answer from an anonymous admin or posted as a channel is said at once to have gone
 * nowhere; a linked channel's automatic forward makes no one a member; an answer edited into a
 * note leaves the client's copy as it was and the topic is told.
 */
import assert from "node:assert/strict";
import { RU, settled } from "./support/harness.ts";
import type { Harness } from "./support/harness.ts";
import { agent1, agent2, alice, bob } from "./support/people.ts";
import { clientWrites, waitInThread, withTeam } from "./support/team.ts";

/** The calls made to `chatId` since `after`. */
function callsTo(h: Harness, chatId: number, after: number) {
  return h.tg.calls.slice(after).filter((c) => c.params.chat_id === chatId);
}

/** Telegram's fake senders of messages posted on behalf of a chat (Bot API: `Message.from`). */
const ANONYMOUS_ADMIN = {
  id: 1087968824,
  is_bot: true,
  first_name: "Group",
  username: "GroupAnonymousBot",
};
const CHANNEL_BOT = { id: 136817688, is_bot: true, first_name: "Channel", username: "Channel_Bot" };
const TELEGRAM = { id: 777000, is_bot: false, first_name: "Telegram" };
const CHANNEL = { id: -1001777000001, type: "channel" as const, title: "Our news" };

Deno.test("team: an album whose note caption is on its last part never reaches the client", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const thread = await clientWrites(h, staff, alice, "Алиса", "Вопрос");
    tg.sendGroupText(staff, agent1, "Ответ", { threadId: thread });
    await waitInThread(tg, staff, thread, RU.team.taken("#T-000001", "Agent One"));
    await settled(h);
    const after = tg.calls.length;
    tg.sendGroupAlbum(staff, agent2, [{ kind: "photo" }, { kind: "photo" }, {
      kind: "photo",
      caption: "// скриншоты для своих",
    }], { threadId: thread });
    // Past the album's collecting moment, and all its sends done.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await settled(h);
    assert.deepEqual(callsTo(h, alice.id, after).map((c) => c.method), []);
    const history = h.app.desk.store.historyPage(alice.id, 0, 1e9, 100);
    const parts = history.filter((l) => l.kind === "photo");
    assert.equal(parts.length, 3);
    assert.ok(parts.every((l) => l.internal), "every part is kept as a note");
  });
});

Deno.test("team: an answer from an anonymous admin or posted as a channel is said to have gone nowhere", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const thread = await clientWrites(h, staff, alice, "Алиса", "Здравствуйте");
    const group = {
      id: staff,
      type: "supergroup" as const,
      title: "Support",
      is_forum: true as const,
    };
    let after = tg.calls.length;
    tg.sendGroupText(staff, agent1, "Ответ анонимно", {
      threadId: thread,
      extra: { from: ANONYMOUS_ADMIN, sender_chat: group },
    });
    await waitInThread(tg, staff, thread, RU.team.anonymousNotSent);
    after = tg.calls.length;
    tg.sendGroupText(staff, agent1, "Ответ от канала", {
      threadId: thread,
      extra: { from: CHANNEL_BOT, sender_chat: CHANNEL },
    });
    await tg.waitFor(
      () =>
        tg.calls.slice(after).some((c) =>
          c.method === "sendMessage" && c.params.chat_id === staff &&
          c.params.text === RU.team.anonymousNotSent
        ),
      { message: "the channel's post told in the topic" },
    );
    await settled(h);
    assert.equal(callsTo(h, alice.id, after).length, 0, "nothing reached the client");
    const store = h.app.desk.store;
    assert.equal(store.getUser(ANONYMOUS_ADMIN.id), undefined);
    assert.equal(store.getUser(CHANNEL_BOT.id), undefined);
    // The ticket is still nobody's: the next real answer takes it.
    assert.equal(store.getTicket(1)?.status, "queued");
  });
});

Deno.test("team: a linked channel's automatic forward makes no one a member or an agent", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    // A member says hello in General: a member, free for offers.
    tg.sendGroupText(staff, agent1, "Всем привет");
    // The channel's post, forwarded into the group by Telegram itself (General topic).
    tg.sendGroupText(staff, agent1, "Новости недели", {
      extra: {
        from: TELEGRAM,
        sender_chat: CHANNEL,
        is_automatic_forward: true,
        forward_origin: { type: "channel", chat: CHANNEL, message_id: 5, date: 1 },
      },
    });
    await settled(h);
    const store = h.app.desk.store;
    assert.equal(store.getUser(TELEGRAM.id), undefined, "Telegram is not an agent");
    // A new ticket is offered to a real member, never to "Telegram".
    const thread = await clientWrites(h, staff, bob, "Борис", "Помогите");
    await tg.waitFor(() => store.offeredTo(1) !== null, { message: "the ticket offered" });
    await settled(h);
    assert.equal(store.offeredTo(1), agent1.id);
    const texts = tg.messagesInThread(staff, thread).map((m) => String(m.text ?? ""));
    assert.ok(!texts.some((t) => t.includes("Telegram")), texts.join("\n"));
  });
});

Deno.test("team: an answer edited into a note keeps the client's copy as it was", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const thread = await clientWrites(h, staff, alice, "Алиса", "Вопрос");
    const answer = tg.sendGroupText(staff, agent1, "Проверю и вернусь", { threadId: thread });
    const copy = await tg.waitForCall(
      "copyMessage",
      (c) => c.ok && c.params.chat_id === alice.id && c.params.message_id === answer.message_id,
    );
    await settled(h);
    const after = tg.calls.length;
    tg.sendGroupEdit(staff, agent1, answer.message_id, { text: "// клиент грубит, осторожно" });
    await waitInThread(tg, staff, thread, RU.team.editIntoNote("//"));
    await settled(h);
    assert.deepEqual(callsTo(h, alice.id, after).map((c) => c.method), []);
    const copyId = (copy.result as { message_id: number }).message_id;
    assert.equal(tg.messageIn(alice.id, copyId)?.text, "Проверю и вернусь");
  });
});

Deno.test("team: an answer in a topic the bot made but never recorded still reaches the client", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const thread = await clientWrites(h, staff, alice, "Алиса", "Вопрос");
    await settled(h);
    // The bot made a second topic for the ticket and was stopped before it could record it
    // (as after a SIGKILL right after Telegram answered): made here by the bot's own token.
    const title = tg.topic(staff, thread)!.name;
    const made = await fetch(`${tg.apiRoot}/bot${tg.token}/createForumTopic`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: staff, name: title }),
    }).then((r) => r.json());
    assert.equal(made.ok, true);
    const orphan: number = made.result.message_thread_id;
    assert.notEqual(orphan, thread);
    const after = tg.calls.length;
    const answer = tg.sendGroupText(staff, agent1, "Ответ из второй темы", { threadId: orphan });
    const copy = await tg.waitForCall(
      "copyMessage",
      (c) => c.ok && c.params.chat_id === alice.id && c.params.message_id === answer.message_id,
      { after, message: "the answer copied to the client" },
    );
    const copyId = (copy.result as { message_id: number }).message_id;
    assert.equal(tg.messageIn(alice.id, copyId)?.text, "Ответ из второй темы");
    // The recorded topic stays the client's.
    assert.equal(h.app.desk.store.topicOf(alice.id), thread);
  });
});

Deno.test("team: bringing a topic in line calls nothing that would change nothing", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const thread = await clientWrites(h, staff, alice, "Алиса", "Вопрос");
    tg.sendGroupText(staff, agent1, "Ответ", { threadId: thread });
    await waitInThread(tg, staff, thread, RU.team.taken("#T-000001", "Agent One"));
    tg.sendText(alice, "Ещё вопрос");
    await waitInThread(tg, staff, thread, "Ещё вопрос");
    await settled(h);
    const topicCalls = tg.calls.filter((c) =>
      ["editForumTopic", "closeForumTopic", "reopenForumTopic"].includes(c.method)
    );
    assert.ok(topicCalls.length > 0, "the topic was brought in line at least once");
    const wasted = topicCalls.filter((c) => !c.ok).map((c) => `${c.method}: ${c.status}`);
    assert.deepEqual(wasted, [], "no TOPIC_NOT_MODIFIED");
  });
});
