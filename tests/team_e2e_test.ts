/**
 * Team mode end to end: the real bot against the emulator's staff forum group. A client's
 * first message makes their topic with the card pinned; messages of every kind go both ways;
 * the first member to answer takes the ticket; notes never reach the client; closing closes
 * the topic and a returning client's new ticket reopens it; a deleted topic is made again
 * with nothing lost; the support token typed in the group is deleted; the bot restarts in
 * the middle of it all.
 */
import assert from "node:assert/strict";
import { RU, settled, waitForText } from "./support/harness.ts";
import { agent1, agent2, alice, bob } from "./support/people.ts";
import { clientWrites, threadTexts, waitInThread, withTeam } from "./support/team.ts";

Deno.test("team: the first message makes the client's topic, the card pinned first", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const after = tg.calls.length;
    const thread = await clientWrites(h, staff, alice, "Алиса", "Не проходит оплата");
    const topic = tg.topic(staff, thread)!;
    assert.equal(topic.name, "🔵 #T-000001 · Алиса");
    assert.equal(topic.createdBy, Number(tg.token.split(":")[0]));
    // The card is the topic's first message after its creation, and it is pinned.
    const messages = tg.messagesInThread(staff, thread).filter((m) => !m.forum_topic_created);
    const card = messages[0];
    assert.match(String(card.text), /Алиса \(Alice Smith\) @alice/);
    assert.deepEqual(tg.pinnedIn(staff, thread), [card.message_id]);
    assert.equal(String(messages.at(-1)?.text), "Не проходит оплата");
    // The client got one answer: the ticket is open and the team has it.
    await waitForText(tg, alice.id, RU.team.clientQueued, after);
    const answers = tg.calls.slice(after).filter((c) =>
      c.ok && c.method === "sendMessage" && c.params.chat_id === alice.id &&
      String(c.params.text).includes("#T-000001")
    );
    assert.equal(answers.length, 1);
    // One topic only, however many messages follow.
    tg.sendText(alice, "И ещё вопрос");
    await waitInThread(tg, staff, thread, "И ещё вопрос");
    assert.equal(tg.topics(staff).length, 1);
  });
});

Deno.test("team: members answer as copies, the first takes it, notes stay in the topic", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const thread = await clientWrites(h, staff, alice, "Алиса", "Здравствуйте");
    let after = tg.calls.length;
    const reply = tg.sendGroupText(staff, agent1, "Добрый день! Чем помочь?", { threadId: thread });
    assert.ok(reply.delivered);
    // The client gets a copy from the group (no member's name on it), and hears who is there.
    const copy = await tg.waitForCall(
      "copyMessage",
      (c) => c.params.chat_id === alice.id && c.params.message_id === reply.message_id,
    );
    assert.equal(copy.params.from_chat_id, staff);
    assert.equal(
      tg.messageIn(alice.id, (copy.result as { message_id: number }).message_id)?.text,
      "Добрый день! Чем помочь?",
    );
    await waitForText(tg, alice.id, RU.connected("#T-000001"), after);
    await waitInThread(tg, staff, thread, RU.team.taken("#T-000001", "Agent One"));
    await tg.waitFor(() => tg.topic(staff, thread)!.name.startsWith("🟢"), { message: "open" });
    // A note of a colleague: in the topic and the history, never at the client's.
    after = tg.calls.length;
    tg.sendGroupText(staff, agent2, "// клиент с прошлой недели, проверь счёт", {
      threadId: thread,
    });
    const also = tg.sendGroupText(staff, agent2, "Я тоже здесь", { threadId: thread });
    await tg.waitForCall(
      "copyMessage",
      (c) => c.params.chat_id === alice.id && c.params.message_id === also.message_id,
    );
    await settled(h);
    const toClient = tg.calls.slice(after).filter((c) => c.params.chat_id === alice.id);
    assert.equal(toClient.length, 1, JSON.stringify(toClient.map((c) => c.method)));
    const history = h.app.desk.store.historyPage(alice.id, 0, 1e9, 100);
    assert.ok(history.some((l) => l.text?.startsWith("// клиент") && l.internal));
    // Media both ways: the client's photo lands in the topic, the member's sticker with her.
    tg.sendMedia(alice, "photo", { caption: "скриншот" });
    await waitInThread(tg, staff, thread, "скриншот");
    after = tg.calls.length;
    const sticker = tg.sendGroupMedia(staff, agent1, "sticker", { threadId: thread });
    await tg.waitForCall(
      "copyMessage",
      (c) => c.params.chat_id === alice.id && c.params.message_id === sticker.message_id,
    );
    // A member writing to the bot privately reaches nobody: they are told where to answer.
    after = tg.calls.length;
    tg.sendText(agent1, "а это в личку");
    await waitForText(tg, agent1.id, RU.team.answerInGroup, after);
    assert.equal(tg.calls.slice(after).filter((c) => c.params.chat_id === alice.id).length, 0);
    // The client edits her message: the copy in the topic follows.
    const first = tg.messagesInThread(staff, thread).find((m) => m.text === "Здравствуйте")!;
    tg.sendEdit(alice, 3, { text: "Здравствуйте, у меня вопрос" });
    await tg.waitForCall(
      "editMessageText",
      (c) => c.params.chat_id === staff && c.params.message_id === first.message_id,
    );
  });
});

Deno.test("team: closing closes the topic; the client's next ticket reopens the same one", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const thread = await clientWrites(h, staff, alice, "Алиса", "Вопрос");
    tg.sendGroupText(staff, agent1, "Ответ", { threadId: thread });
    await waitInThread(tg, staff, thread, RU.team.taken("#T-000001", "Agent One"));
    let after = tg.calls.length;
    tg.sendGroupText(staff, agent1, "/end_chat", { threadId: thread });
    await waitForText(tg, alice.id, RU.ticketClosed("#T-000001"), after);
    await tg.waitFor(() => tg.topic(staff, thread)!.closed, { message: "the topic closed" });
    assert.ok(tg.topic(staff, thread)!.name.startsWith("✅ #T-000001"));
    after = tg.calls.length;
    tg.sendText(alice, "Снова я");
    await waitInThread(tg, staff, thread, "Снова я");
    await waitInThread(tg, staff, thread, RU.team.newTicket("#T-000002", "#T-000001"));
    await tg.waitFor(
      () => !tg.topic(staff, thread)!.closed && tg.topic(staff, thread)!.name.includes("#T-000002"),
      { message: "reopened with the new number" },
    );
    assert.equal(tg.topics(staff).length, 1);
  });
});

Deno.test("team: a deleted topic is made again with its card; the message is not lost", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const thread = await clientWrites(h, staff, alice, "Алиса", "Первое");
    // Someone deletes the topic (an admin, by mistake).
    const res = await fetch(`${tg.apiRoot}/bot${tg.token}/deleteForumTopic`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: staff, message_thread_id: thread }),
    });
    assert.equal((await res.json()).ok, true);
    tg.sendText(alice, "Второе");
    const again = await tg.waitFor(
      () => tg.topics(staff).find((t) => !t.deleted && t.threadId !== thread),
      { message: "a new topic" },
    );
    await waitInThread(tg, staff, again.threadId, "Второе");
    const texts = threadTexts(tg, staff, again.threadId);
    assert.match(texts.find((t) => t.includes("Алиса"))!, /Алиса/);
    assert.equal(tg.pinnedIn(staff, again.threadId).length, 1);
    // A member's answer in the new topic reaches the client.
    tg.sendGroupText(staff, agent1, "Мы здесь", { threadId: again.threadId });
    await tg.waitForCall("copyMessage", (c) => c.params.chat_id === alice.id);
  });
});

Deno.test("team: two members serve two clients at once; /take takes over", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const a = await clientWrites(h, staff, alice, "Алиса", "Вопрос Алисы");
    const b = await clientWrites(h, staff, bob, "Боб", "Вопрос Боба");
    tg.sendGroupText(staff, agent1, "Алисе", { threadId: a });
    tg.sendGroupText(staff, agent2, "Бобу", { threadId: b });
    const toAlice = await tg.waitForCall("copyMessage", (c) => c.params.chat_id === alice.id);
    const toBob = await tg.waitForCall("copyMessage", (c) => c.params.chat_id === bob.id);
    assert.equal(
      tg.messageIn(alice.id, (toAlice.result as { message_id: number }).message_id)?.text,
      "Алисе",
    );
    assert.equal(
      tg.messageIn(bob.id, (toBob.result as { message_id: number }).message_id)?.text,
      "Бобу",
    );
    tg.sendGroupText(staff, agent2, "/take", { threadId: a });
    await waitInThread(tg, staff, a, RU.team.takenOver("#T-000001", "Agent Two", "Agent One"));
    const ticket = h.app.desk.store.getTicket(1)!;
    assert.equal(ticket.agentId, agent2.id);
  });
});

Deno.test("team: the support token typed in the group is deleted and never relayed", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const thread = await clientWrites(h, staff, alice, "Алиса", "Привет");
    const after = tg.calls.length;
    const leak = tg.sendGroupText(staff, agent1, "пароль test-support-token-42", {
      threadId: thread,
    });
    await tg.waitForCall(
      "deleteMessage",
      (c) => c.params.chat_id === staff && c.params.message_id === leak.message_id,
    );
    await settled(h);
    assert.equal(tg.calls.slice(after).filter((c) => c.params.chat_id === alice.id).length, 0);
    const stored = h.app.desk.store.messageInChat(staff, leak.message_id);
    assert.equal(stored, undefined);
  });
});

Deno.test("team: a restart in the middle loses nothing", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const thread = await clientWrites(h, staff, alice, "Алиса", "До перезапуска");
    await h.app.stop();
    tg.sendText(alice, "Пока бота не было");
    tg.sendGroupText(staff, agent1, "Ответ, пока бота не было", { threadId: thread });
    await h.restart();
    await waitInThread(tg, staff, thread, "Пока бота не было");
    await tg.waitFor(
      () =>
        tg.calls.some((c) => c.ok && c.method === "copyMessage" && c.params.chat_id === alice.id),
      { message: "the answer reached the client" },
    );
    assert.equal(tg.topics(staff).filter((t) => !t.deleted).length, 1);
  });
});

Deno.test("team: albums go whole both ways; reactions follow on the other side", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const thread = await clientWrites(h, staff, alice, "Алиса", "Смотрите фото");
    // The client's album: one copyMessages into her topic, three parts in order.
    tg.sendAlbum(alice, [{ kind: "photo", caption: "раз" }, { kind: "photo" }, {
      kind: "video",
      caption: "три",
    }]);
    const copied = await tg.waitForCall(
      "copyMessages",
      (c) => c.params.chat_id === staff && c.params.message_thread_id === thread,
      { timeoutMs: 8000 },
    );
    assert.equal((copied.params.message_ids as number[]).length, 3);
    await waitInThread(tg, staff, thread, "три");
    // A member's album: copied whole into the client's chat.
    const parts = tg.sendGroupAlbum(staff, agent1, [{ kind: "photo", caption: "ответ" }, {
      kind: "photo",
    }], { threadId: thread });
    const back = await tg.waitForCall(
      "copyMessages",
      (c) => c.params.chat_id === alice.id && c.params.from_chat_id === staff,
      { timeoutMs: 8000 },
    );
    assert.deepEqual(back.params.message_ids, parts.map((p) => p.message_id));
    // An album sent as a note (the caption of its first part) stays in the group, all of it.
    const after = tg.calls.length;
    tg.sendGroupAlbum(staff, agent2, [{ kind: "photo", caption: "// для своих" }, {
      kind: "photo",
    }, { kind: "photo" }], { threadId: thread });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await settled(h);
    assert.equal(tg.calls.slice(after).filter((c) => c.params.chat_id === alice.id).length, 0);
    // The client reacts to her first message: its copy in the topic gets the reaction.
    const copy = tg.messagesInThread(staff, thread).find((m) => m.text === "Смотрите фото")!;
    tg.sendReaction(alice, 3, "👍");
    await tg.waitForCall(
      "setMessageReaction",
      (c) => c.params.chat_id === staff && c.params.message_id === copy.message_id,
    );
    // A member reacts in the topic to that copy: the client's original gets it.
    tg.pushUpdate({
      message_reaction: {
        chat: { id: staff, type: "supergroup", title: "Support", is_forum: true },
        message_id: copy.message_id as number,
        user: { id: agent1.id, is_bot: false, first_name: agent1.first_name },
        date: Math.floor(Date.now() / 1000),
        old_reaction: [],
        new_reaction: [{ type: "emoji", emoji: "🔥" }],
      },
    });
    await tg.waitFor(() => tg.reactionOn(alice.id, 3) === "🔥", { message: "🔥 on the original" });
  });
});
