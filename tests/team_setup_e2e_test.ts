/**
 * Team mode's start and the desk around the topics: each refusal of the start check (one
 * readable line), a group that was upgraded followed to its new id, the board in the General
 * topic, a ticket nobody took shown as waiting, a transfer by button, a member leaving, the
 * desk's commands in the General topic, `/history` in a topic, and 30 clients at once, and 6
 * at once under a small burst, under Telegram's group limit without a single 429.
 */
import assert from "node:assert/strict";
import { RU, settled, waitForText, withHarness } from "./support/harness.ts";
import { agent1, agent2, alice, bob } from "./support/people.ts";
import { FakeTelegram, user } from "./support/telegram.ts";
import { startRefusal, threadTexts, topicOf, waitInThread, withTeam } from "./support/team.ts";

/** Starts a bot on `staff` and returns the error its start threw. */
const refusal = (tg: FakeTelegram, staff: number) =>
  startRefusal(tg, { STAFF_CHAT_ID: String(staff) });

Deno.test("team start: each thing wrong with the staff group stops the start in one line", async () => {
  const tg = await FakeTelegram.start();
  try {
    assert.match(await refusal(tg, -1009999999999), /does not show the bot this chat/);
    const plain = tg.createGroup({ isForum: false });
    assert.match(await refusal(tg, plain), /not a group with topics: turn on Topics/);
    const asMember = tg.createGroup({ bot: "member" });
    assert.match(await refusal(tg, asMember), /administrator .*manage topics, delete messages/);
    const noTopics = tg.createGroup({ botRights: { can_manage_topics: false } });
    const missing = await refusal(tg, noTopics);
    assert.match(missing, /allowed to manage topics$/);
    const without = tg.createGroup({ bot: "absent" });
    assert.match(await refusal(tg, without), /STAFF_CHAT_ID -100\d+: /);
    const good = tg.createGroup({});
    assert.equal(await refusal(tg, good), "started");
  } finally {
    await tg.close();
  }
});

Deno.test("team start: a group upgraded to a supergroup is followed to its new id", async () => {
  let old = 0;
  let upgraded = 0;
  await withHarness(
    async (h) => {
      const { tg } = h;
      assert.ok(
        h.logs.some((l) => l.includes("staff_group.migrated") && l.includes(String(upgraded))),
      );
      tg.sendText(alice, "Вопрос");
      const thread = await topicOf(tg, upgraded, alice.first_name);
      await waitInThread(tg, upgraded, thread, "Вопрос");
      assert.equal(tg.topics(old).length, 0);
    },
    {},
    {
      prepare: (tg) => {
        old = tg.createGroup({ basic: true, members: [agent1] });
        upgraded = tg.migrateGroup(old);
        tg.setForum(upgraded, true);
        return { STAFF_CHAT_ID: String(old) };
      },
    },
  );
});

Deno.test("team: the board in General is pinned once and edited in place", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    tg.sendText(alice, "Первый вопрос");
    await topicOf(tg, staff, alice.first_name);
    const board = await tg.waitForCall(
      "sendMessage",
      (c) => c.params.chat_id === staff && String(c.params.text).includes("Сводка"),
    );
    const id = (board.result as { message_id: number }).message_id;
    await tg.waitFor(() => tg.pinnedIn(staff).includes(id), { message: "the board pinned" });
    assert.match(String(board.params.text), /#T-000001 Alice/);
    tg.sendText(bob, "Второй вопрос");
    const edit = await tg.waitForCall(
      "editMessageText",
      (c) =>
        c.params.chat_id === staff && c.params.message_id === id &&
        String(c.params.text).includes("#T-000002 Bob"),
      { timeoutMs: 8000 },
    );
    assert.match(String(edit.params.text), /Ждут ответа: 2/);
    // One board: never sent again while the first one is there.
    await settled(h);
    const boards = tg.calls.filter((c) =>
      c.ok && c.method === "sendMessage" && String(c.params.text ?? "").includes("Сводка")
    );
    assert.equal(boards.length, 1);
  }, { BOARD_INTERVAL_SECONDS: "1" });
});

Deno.test("team: a ticket nobody took in time shows as waiting, in its title and on the board", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    tg.sendText(alice, "Ау?");
    const thread = await topicOf(tg, staff, alice.first_name);
    await tg.waitFor(() => tg.topic(staff, thread)!.name.startsWith("🟡 #T-000001"), {
      message: "the title shows it waits",
    });
    // The board lists it as waiting too (🟡: longer than the team's limit), sent or edited.
    await tg.waitFor(
      (calls) =>
        calls.some((c) =>
          c.ok && c.params.chat_id === staff &&
          (c.method === "sendMessage" || c.method === "editMessageText") &&
          String(c.params.text).includes("🟡 #T-000001")
        ),
      { timeoutMs: 8000, message: "the board shows it waiting" },
    );
    // The first answer takes it: the title turns open.
    tg.sendGroupText(staff, agent1, "Здесь!", { threadId: thread });
    await tg.waitFor(() => tg.topic(staff, thread)!.name.startsWith("🟢"), { message: "open" });
  }, { TEAM_WAIT_MINUTES: "0.01", BOARD_INTERVAL_SECONDS: "1" });
});

Deno.test("team: a transfer by button; a member who leaves hands their tickets back", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    tg.sendText(alice, "Нужна помощь");
    const thread = await topicOf(tg, staff, alice.first_name);
    tg.sendGroupText(staff, agent1, "Смотрю", { threadId: thread });
    await waitInThread(tg, staff, thread, RU.team.taken("#T-000001", "Agent One"));
    // agent2 is known to the desk once they wrote in the group.
    tg.sendGroupText(staff, agent2, "/available", { threadId: thread });
    await waitInThread(tg, staff, thread, RU.availableOff);
    tg.sendGroupText(staff, agent2, "/available", { threadId: thread });
    await waitInThread(tg, staff, thread, RU.availableOn);
    tg.sendGroupText(staff, agent1, "/transfer", { threadId: thread });
    const offer = await tg.waitForCall(
      "sendMessage",
      (c) => c.params.chat_id === staff && String(c.params.text).includes("Кому передать"),
    );
    const markup = offer.params.reply_markup as {
      inline_keyboard: { text: string; callback_data: string }[][];
    };
    const button = markup.inline_keyboard.flat().find((b) => b.text === "Agent Two")!;
    const offerId = (offer.result as { message_id: number }).message_id;
    tg.sendCallbackQuery(agent1, button.callback_data, { messageId: offerId, chatId: staff });
    await waitInThread(tg, staff, thread, "теперь его ведёт Agent Two");
    assert.equal(h.app.desk.store.getTicket(1)!.agentId, agent2.id);
    // agent2 leaves the group: the ticket waits again, and General says so.
    tg.setMember(staff, agent2, "left");
    await tg.waitFor(() => h.app.desk.store.getTicket(1)!.status === "queued", {
      message: "the ticket back in the queue",
    });
    assert.equal(h.app.desk.store.getUser(agent2.id)!.isAgent, false);
  });
});

Deno.test("team: /stats and /queue in General, /history in a topic", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    tg.sendText(alice, "Вопрос для истории");
    const thread = await topicOf(tg, staff, alice.first_name);
    tg.sendGroupText(staff, agent1, "/queue");
    await tg.waitForCall(
      "sendMessage",
      (c) =>
        c.params.chat_id === staff && c.params.message_thread_id === undefined &&
        String(c.params.text).includes("#T-000001"),
    );
    tg.sendGroupText(staff, agent1, "/history", { threadId: thread });
    const file = await tg.waitForCall(
      "sendDocument",
      (c) => c.params.chat_id === staff && c.params.message_thread_id === thread,
    );
    const text = new TextDecoder().decode(file.files.document.bytes);
    assert.match(text, /Вопрос для истории/);
    // A note is in the history, marked.
    tg.sendGroupText(staff, agent1, "// внутреннее", { threadId: thread });
    await settled(h);
    tg.sendGroupText(staff, agent1, "/history", { threadId: thread });
    const second = await tg.waitForCall(
      "sendDocument",
      (c) => c.params.chat_id === staff && c !== file,
    );
    assert.match(
      new TextDecoder().decode(second.files.document.bytes),
      /заметка для команды\): \/\/ внутреннее/,
    );
  });
});

Deno.test("team: 30 clients at once under the group limit: all in their topics, no 429", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    // Telegram's limit, 60 times faster (the bot paced to match), so the test takes seconds.
    tg.enforceRateLimits({
      perGroupPerMinute: 1200,
      perGroupBurst: 20,
      perChatPerSecond: 1000,
      perChatBurst: 1000,
      globalPerSecond: 100_000,
    });
    const clients = Array.from({ length: 30 }, (_, i) => user(5000 + i, `Client${i}`));
    for (const c of clients) tg.sendText(c, `Вопрос от ${c.first_name}`);
    await tg.waitFor(() => tg.topics(staff).length === 30, {
      timeoutMs: 30_000,
      message: "30 topics",
    });
    await settled(h);
    for (const topic of tg.topics(staff)) {
      const name = topic.name.split(" · ")[1];
      assert.ok(threadTexts(tg, staff, topic.threadId).includes(`Вопрос от ${name}`), name);
    }
    assert.equal(tg.rateLimited, 0);
    assert.equal(h.app.sender.rateLimited, 0);
  }, { RATE_LIMIT_GROUP_PER_MINUTE: "1200", RATE_LIMIT_GROUP_BURST: "3" });
});

Deno.test("team: 6 clients at once under Telegram's group limit, small burst: topics, cards, the board, no 429", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    // Telegram's 20 a minute in a group with a small burst, 15 times faster. The bot is paced
    // to match, its burst one below (a post's way to Telegram takes a moment: two may arrive
    // closer than they left). A topic's creation, its card, the question in it and the board's
    // post are each a message in the group.
    tg.enforceRateLimits({
      perGroupPerMinute: 300,
      perGroupBurst: 3,
      perChatPerSecond: 1000,
      perChatBurst: 1000,
      globalPerSecond: 100_000,
    });
    const clients = Array.from({ length: 6 }, (_, i) => user(5100 + i, `Client${i}`));
    for (const c of clients) tg.sendText(c, `Вопрос от ${c.first_name}`);
    await tg.waitFor(() => tg.topics(staff).length === clients.length, {
      timeoutMs: 30_000,
      message: `${clients.length} topics`,
    });
    const board = await tg.waitForCall(
      "sendMessage",
      (c) => c.ok && c.params.chat_id === staff && String(c.params.text).includes("Сводка"),
      { timeoutMs: 30_000 },
    );
    await settled(h);
    for (const c of clients) {
      const thread = await topicOf(tg, staff, c.first_name);
      assert.ok(threadTexts(tg, staff, thread).includes(`Вопрос от ${c.first_name}`), c.first_name);
      // The card: the topic's first message, pinned there.
      assert.equal(tg.pinnedIn(staff, thread).length, 1, `the card of ${c.first_name}`);
    }
    assert.ok(tg.pinnedIn(staff).includes((board.result as { message_id: number }).message_id));
    assert.equal(tg.rateLimited, 0);
    assert.equal(h.app.sender.rateLimited, 0);
    assert.deepEqual(
      h.logs.filter((l) => / (topic\.card_failed|delivery\.rate_limited) /.test(l)),
      [],
    );
  }, {
    RATE_LIMIT_GROUP_PER_MINUTE: "300",
    RATE_LIMIT_GROUP_BURST: "2",
    BOARD_INTERVAL_SECONDS: "1",
  });
});

Deno.test("team: a new ticket is offered to the free member; ratings and saved replies work", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    // agent1 says hello in General: from then on a member the desk can offer tickets to.
    tg.sendGroupText(staff, agent1, "Всем привет");
    await settled(h);
    tg.sendText(alice, "Есть кто?");
    const thread = await topicOf(tg, staff, alice.first_name);
    await waitInThread(tg, staff, thread, RU.team.offered("#T-000001", "Agent One"));
    // A saved reply, kept and sent from the topic: the first answer, so it takes the ticket.
    tg.sendGroupText(staff, agent1, "/canned add hello Здравствуйте! Чем помочь?", {
      threadId: thread,
    });
    await waitInThread(tg, staff, thread, RU.cannedSaved("hello"));
    tg.sendGroupText(staff, agent1, "/canned", { threadId: thread });
    const list = await tg.waitForCall(
      "sendMessage",
      (c) =>
        c.params.chat_id === staff && c.params.message_thread_id === thread &&
        c.params.reply_markup !== undefined && String(c.params.text) === RU.cannedList,
    );
    const markup = list.params.reply_markup as { inline_keyboard: { callback_data: string }[][] };
    const listId = (list.result as { message_id: number }).message_id;
    tg.sendCallbackQuery(agent1, markup.inline_keyboard[0][0].callback_data, {
      messageId: listId,
      chatId: staff,
    });
    await waitForText(tg, alice.id, "Здравствуйте! Чем помочь?");
    assert.equal(h.app.desk.store.getTicket(1)!.agentId, agent1.id);
    // Closed and rated: the rating shows in the topic.
    tg.sendGroupText(staff, agent1, "/close", { threadId: thread });
    const ask = await waitForText(tg, alice.id, RU.rateAsk);
    tg.sendCallbackQuery(alice, "rate:1:5", {
      messageId: (ask.result as { message_id: number }).message_id,
    });
    await waitInThread(tg, staff, thread, RU.agentRated("Alice Smith", "#T-000001", "★★★★★"));
    // The card pinned in the topic now shows the rating.
    const [pinned] = tg.pinnedIn(staff, thread);
    await tg.waitFor(() => String(tg.messageIn(staff, pinned)?.text ?? "").includes("★★★★★"), {
      message: "the pinned card brought up to date",
    });
  });
});

Deno.test("team: outside business hours the client is told when the desk opens; nobody is offered it", async () => {
  const hour = new Date().getUTCHours();
  const hours = hour < 12 ? "Mon-Sun 13:00-14:00" : "Mon-Sun 01:00-02:00";
  await withTeam(async (h, staff) => {
    const { tg } = h;
    tg.sendGroupText(staff, agent1, "Я на месте");
    await settled(h);
    tg.sendText(alice, "Вы работаете?");
    const thread = await topicOf(tg, staff, alice.first_name);
    await waitInThread(tg, staff, thread, "Вы работаете?");
    const answer = await waitForText(tg, alice.id, "#T-000001");
    assert.match(String(answer.params.text), /(13|01):00/);
    await settled(h);
    assert.ok(!threadTexts(tg, staff, thread).some((t) => t.includes("возьмёте")));
  }, { BUSINESS_HOURS: hours, TIMEZONE: "UTC" });
});

Deno.test("team: a staff group that throws the bot out holds the team's messages, never drops them", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    tg.sendText(alice, "Первое");
    const thread = await topicOf(tg, staff, alice.first_name);
    await waitInThread(tg, staff, thread, "Первое");
    tg.setBotMembership(staff, "kicked");
    tg.sendText(alice, "Пока бота нет в группе");
    await tg.waitFor(() => h.logs.some((l) => l.includes("staff_group.unreachable")), {
      message: "the refusal logged",
    });
    const waiting = h.app.db.prepare(
      "SELECT status FROM deliveries WHERE chat_id = ? AND method = 'copyMessage' ORDER BY id DESC LIMIT 1",
    ).get(staff) as { status: string };
    assert.equal(waiting.status, "pending");
    // The client was not told anything failed, and her ticket is still open.
    assert.equal(h.app.desk.store.getTicket(1)!.status, "queued");
  });
});

Deno.test("team: someone who joins the group is a member at once, offered the next ticket", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const newcomer = user(2999, "Nina", { username: "nina_support" });
    tg.setMember(staff, newcomer, "member");
    await tg.waitFor(() => h.app.desk.store.getUser(newcomer.id)?.isAgent === true, {
      message: "the newcomer is an agent",
    });
    tg.sendText(alice, "Здравствуйте");
    const thread = await topicOf(tg, staff, alice.first_name);
    await waitInThread(tg, staff, thread, RU.team.offered("#T-000001", "@nina_support"));
  });
});
