/**
 * End-to-end: clients and agents talk through the real bot, over real HTTP, to the fake
 * Bot API server, with a real SQLite file.
 *
 * Longer than most files: one scenario per user flow, each readable on its own from start to
 * end; cut further, a flow's steps would be spread over files.
 */
import assert from "node:assert/strict";
import { user } from "./support/telegram.ts";
import { agent1, agent2, alice, bob, carol } from "./support/people.ts";
import {
  EN,
  introduce,
  registerAgent,
  RU,
  settled,
  shownText,
  SUPPORT_TOKEN,
  waitForText,
  withHarness,
} from "./support/harness.ts";

Deno.test("/start asks a new user's name once and saves it", () =>
  withHarness(async ({ tg, app }) => {
    tg.sendText(alice, "/start");
    await waitForText(tg, alice.id, RU.askName);
    let after = tg.calls.length;
    tg.sendText(alice, "Алиса");
    await waitForText(tg, alice.id, RU.nameSaved("Алиса"), after);
    assert.equal(app.desk.store.getUser(alice.id)?.name, "Алиса");
    // A second /start greets by name and does not ask again.
    after = tg.calls.length;
    tg.sendText(alice, "/start");
    await waitForText(tg, alice.id, RU.greetingBack("Алиса"), after);
    await settled({ tg, app } as never);
    assert.ok(!tg.calls.slice(after).some((c) => shownText(c).includes(RU.askName)));
  }));

Deno.test("English users are answered in English", () =>
  withHarness(async ({ tg }) => {
    tg.sendText(carol, "/start");
    await waitForText(tg, carol.id, EN.askName);
  }));

Deno.test("a user who ignores the name question is served under the Telegram name", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    tg.sendText(alice, "/start");
    await waitForText(tg, alice.id, RU.askName);
    tg.sendText(alice, "Здравствуйте, у меня не работает вход в личный кабинет, что делать?");
    const relayed = await waitForText(tg, agent1.id, "не работает вход");
    assert.ok(shownText(relayed).startsWith("👤 Alice Smith:\n"));
    await waitForText(tg, alice.id, RU.connected("#T-000001"));
    assert.equal(h.app.desk.store.getUser(alice.id)?.awaitingName, false);
  }));

Deno.test("register: missing, wrong, repeated wrong (locked), right", () =>
  withHarness(async (h) => {
    const { tg } = h;
    tg.sendText(bob, "/register_support");
    await waitForText(tg, bob.id, RU.registerMissing);
    const wrong = tg.sendText(bob, "/register_support not-the-token");
    await waitForText(tg, bob.id, RU.registerWrong);
    // The message holding the token is deleted, right or wrong.
    await tg.waitForCall("deleteMessage", (c) => c.params.message_id === wrong.message_id);
    for (let i = 0; i < 3; i++) tg.sendText(bob, `/register_support wrong-${i}`);
    await settled(h);
    let after = tg.calls.length;
    tg.sendText(bob, "/register_support wrong-last");
    await waitForText(tg, bob.id, RU.registerLocked(15), after);
    // Locked: even the right token is refused now, and is still deleted.
    after = tg.calls.length;
    const right = tg.sendText(bob, `/register_support ${SUPPORT_TOKEN}`);
    await waitForText(tg, bob.id, RU.registerLocked(15), after);
    await tg.waitForCall("deleteMessage", (c) => c.params.message_id === right.message_id);
    assert.equal(h.app.desk.store.getUser(bob.id)?.isAgent, false);
    // The secret is never echoed back.
    assert.ok(
      !tg.calls.some((c) =>
        c.method !== "getUpdates" && JSON.stringify(c.params).includes(SUPPORT_TOKEN)
      ),
    );

    after = tg.calls.length;
    tg.sendText(agent1, `/register_support ${SUPPORT_TOKEN}`);
    await waitForText(tg, agent1.id, RU.registerOk, after);
    const agent = h.app.desk.store.getUser(agent1.id)!;
    assert.equal(agent.isAgent, true);
    assert.equal(agent.isAvailable, true);
    assert.ok(agent.lastOnline !== null && Date.now() - agent.lastOnline < 5000);
    const menu = await tg.waitForCall(
      "setMyCommands",
      (c) => (c.params.scope as { chat_id?: number } | undefined)?.chat_id === agent1.id,
    );
    const commands = (menu.params.commands as { command: string }[]).map((c) => c.command);
    assert.deepEqual(commands, [
      "available",
      "end_chat",
      "transfer",
      "canned",
      "history",
      "search",
      "languages",
      "departments",
      "stats",
      "help",
    ]);
    after = tg.calls.length;
    tg.sendText(agent1, `/register_support ${SUPPORT_TOKEN}`);
    await waitForText(tg, agent1.id, RU.registerAlready, after);
  }));

Deno.test("relay both ways: text signed with the client's name, agent's reply copied", () =>
  withHarness(async ({ tg }) => {
    await registerAgent(tg, agent1);
    await introduce(tg, alice, "Алиса");
    tg.sendText(alice, "Не приходит письмо");
    await waitForText(tg, agent1.id, RU.agentNewClient("Алиса", "#T-000001", 0, null));
    const relayed = await waitForText(tg, agent1.id, "Не приходит письмо");
    assert.equal(relayed.method, "sendMessage");
    assert.equal(relayed.params.text, "👤 Алиса:\nНе приходит письмо");
    await waitForText(tg, alice.id, RU.connected("#T-000001"));

    const reply = tg.sendText(agent1, "Проверьте папку «Спам»");
    const copy = await tg.waitForCall("copyMessage", (c) => c.params.chat_id === alice.id);
    assert.equal(copy.params.from_chat_id, agent1.id);
    assert.equal(copy.params.message_id, reply.message_id);
    // The copy carries no caption or signature: the agent stays anonymous.
    assert.equal(copy.params.caption, undefined);
  }));

Deno.test("relay of photo, document, voice, sticker and location, both ways", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    tg.sendText(bob, "Привет");
    await waitForText(tg, bob.id, RU.connected("#T-000001"));
    const photo = tg.sendMedia(bob, "photo", { caption: "скриншот ошибки" });
    const doc = tg.sendMedia(bob, "document");
    const voice = tg.sendMedia(bob, "voice");
    const sticker = tg.sendMedia(bob, "sticker");
    const location = tg.sendMedia(bob, "location");
    await settled(h);
    const copies = tg.callsOf("copyMessage").filter((c) => c.params.chat_id === agent1.id);
    const byId = (id: number) => copies.find((c) => c.params.message_id === id);
    assert.equal(byId(photo.message_id)?.params.caption, "👤 Bob:\nскриншот ошибки");
    assert.equal(byId(doc.message_id)?.params.caption, "👤 Bob");
    assert.equal(byId(voice.message_id)?.params.caption, "👤 Bob");
    // No caption on stickers and locations: the name is on a button under the copy itself,
    // and nothing else is sent for them.
    for (const m of [sticker, location]) {
      const copy = byId(m.message_id)!;
      assert.equal(copy.params.caption, undefined);
      assert.deepEqual(copy.params.reply_markup, {
        inline_keyboard: [[{ text: "👤 Bob", callback_data: `card:${bob.id}` }]],
      });
    }
    // One message in the agent's chat per message of the client (the first opened the ticket).
    const relayed = tg.sentTo(agent1.id).filter((c) =>
      c.method === "copyMessage" || String(c.params.text ?? "").startsWith("👤")
    );
    assert.equal(relayed.length, 6);
    // Every kind is saved.
    const kinds = (h.app.db.prepare(
      "SELECT kind FROM messages WHERE client_id = ? ORDER BY id",
    ).all(bob.id) as { kind: string }[]).map((r) => r.kind);
    assert.deepEqual(kinds, ["text", "photo", "document", "voice", "sticker", "location"]);

    const agentPhoto = tg.sendMedia(agent1, "photo", { caption: "вот так" });
    const agentVoice = tg.sendMedia(agent1, "voice");
    await settled(h);
    const toBob = tg.callsOf("copyMessage").filter((c) => c.params.chat_id === bob.id);
    assert.deepEqual(
      toBob.map((c) => c.params.message_id),
      [agentPhoto.message_id, agentVoice.message_id],
    );
  }));

Deno.test("a 4096-character text and HTML-looking text arrive unchanged", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    const html = `<b>bold?</b> & <a href="x">link</a> &amp; *md* _x_ \`code\``;
    tg.sendText(alice, html);
    const relayed = await waitForText(tg, agent1.id, "<b>bold?</b>");
    assert.equal(relayed.params.text, `👤 Alice Smith:\n${html}`);
    assert.equal(relayed.params.parse_mode, undefined);

    const long = "Я".repeat(4000) + "😀".repeat(48);
    assert.equal(long.length, 4096);
    const sent = tg.sendText(alice, long);
    const copy = await tg.waitForCall(
      "copyMessage",
      (c) => c.params.message_id === sent.message_id,
    );
    // Too long to sign in place: the copy carries the text whole, the name on its button.
    assert.equal(copy.params.chat_id, agent1.id);
    assert.deepEqual(copy.params.reply_markup, {
      inline_keyboard: [[{ text: "👤 Alice Smith", callback_data: `card:${alice.id}` }]],
    });
    const toAgent = tg.sentTo(agent1.id);
    assert.equal(toAgent[toAgent.indexOf(copy) - 1], relayed, "no message between the two");
    const stored = h.app.db.prepare("SELECT text FROM messages WHERE chat_message_id = ?")
      .get(sent.message_id) as { text: string };
    assert.equal(stored.text, long);

    const reply = tg.sendText(agent1, html);
    const back = await tg.waitForCall(
      "copyMessage",
      (c) => c.params.from_chat_id === agent1.id && c.params.message_id === reply.message_id,
    );
    assert.equal(back.params.chat_id, alice.id);
  }));

Deno.test("nobody free: queue with places, backlog on assignment, next client after end_chat", () =>
  withHarness(async (h) => {
    const { tg } = h;
    tg.sendText(alice, "Первый вопрос");
    await waitForText(tg, alice.id, RU.queued(1));
    tg.sendText(bob, "Вопрос Боба");
    await waitForText(tg, bob.id, RU.queued(2));
    tg.sendText(alice, "Ещё деталь");
    // /start while waiting tells the place again.
    tg.sendText(bob, "/start");
    await waitForText(tg, bob.id, RU.stillQueued(2));
    await settled(h);
    assert.equal(h.app.desk.store.queueLength(), 2);

    await registerAgent(tg, agent1);
    await waitForText(tg, agent1.id, RU.agentNewClient("Alice Smith", "#T-000001", 1, null));
    await waitForText(tg, agent1.id, "Первый вопрос");
    await waitForText(tg, agent1.id, "Ещё деталь");
    await waitForText(tg, alice.id, RU.connected("#T-000001"));
    const texts = tg.sentTo(agent1.id).map(shownText);
    assert.ok(
      texts.indexOf("👤 Alice Smith:\nПервый вопрос") <
        texts.indexOf("👤 Alice Smith:\nЕщё деталь"),
    );

    // Bob is now first in the queue; ending Alice's ticket hands Bob over at once.
    const after = tg.calls.length;
    tg.sendText(agent1, "/end_chat");
    await waitForText(tg, alice.id, RU.ticketClosed("#T-000001"), after);
    await waitForText(tg, agent1.id, RU.endChatDone("Alice Smith", "#T-000001"), after);
    await waitForText(tg, agent1.id, RU.agentNewClient("Bob", "#T-000002", 0, null), after);
    await waitForText(tg, agent1.id, "Вопрос Боба", after);
    await waitForText(tg, bob.id, RU.connected("#T-000002"), after);
    assert.equal(h.app.desk.store.queueLength(), 0);
  }));

Deno.test("/available toggles both ways; turning it on takes the waiting client", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    let after = tg.calls.length;
    tg.sendText(agent1, "/available");
    await waitForText(tg, agent1.id, RU.availableOff, after);
    assert.equal(h.app.desk.store.getUser(agent1.id)?.isAvailable, false);
    tg.sendText(bob, "Есть кто?");
    await waitForText(tg, bob.id, RU.queued(1));
    after = tg.calls.length;
    tg.sendText(agent1, "/available");
    await waitForText(tg, agent1.id, RU.availableOn, after);
    await waitForText(tg, agent1.id, "Есть кто?", after);
    await waitForText(tg, bob.id, RU.connected("#T-000001"), after);
    // Going unavailable in a dialog keeps the dialog and says so.
    after = tg.calls.length;
    tg.sendText(agent1, "/available");
    await waitForText(tg, agent1.id, RU.availableOffInDialog, after);
    tg.sendText(bob, "Всё ещё тут");
    await waitForText(tg, agent1.id, "Всё ещё тут", after);
  }));

Deno.test("the best agent is picked: whose dialog ended longest ago, then seen most recently", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    await registerAgent(tg, agent2);
    // Neither had a dialog: agent2 registered later, so was seen most recently, and takes Alice.
    tg.sendText(alice, "a");
    await waitForText(tg, agent2.id, "👤 Alice Smith:\na");
    // agent2 is busy: agent1 takes Bob.
    tg.sendText(bob, "b");
    await waitForText(tg, agent1.id, "👤 Bob:\nb");
    tg.sendText(agent1, "/end_chat");
    await waitForText(tg, agent1.id, RU.endChatDone("Bob", "#T-000002"));
    await new Promise((resolve) => setTimeout(resolve, 5));
    tg.sendText(agent2, "/end_chat");
    await waitForText(tg, agent2.id, RU.endChatDone("Alice Smith", "#T-000001"));
    // agent1's dialog ended longer ago, though agent2 was seen later: agent1 takes Carol.
    tg.sendText(carol, "c");
    await waitForText(tg, agent1.id, "👤 Carol:\nc");
    await settled(h);
    assert.equal(h.app.desk.store.getUser(agent2.id)?.currentTicketId, null);
  }));

Deno.test("end_chat and history without a dialog; agent commands and unknown commands", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    tg.sendText(agent1, "/end_chat");
    await waitForText(tg, agent1.id, RU.noDialog);
    let after = tg.calls.length;
    tg.sendText(agent1, "/history");
    await waitForText(tg, agent1.id, RU.noDialog, after);
    tg.sendText(agent1, "просто текст");
    await waitForText(tg, agent1.id, RU.agentNoDialog(0));
    for (const command of ["/available", "/end_chat", "/history", "/stats"]) {
      after = tg.calls.length;
      tg.sendText(alice, command);
      await waitForText(tg, alice.id, RU.agentOnly, after);
    }
    after = tg.calls.length;
    tg.sendText(alice, "/frobnicate now");
    await waitForText(tg, alice.id, RU.unknownCommand, after);
    after = tg.calls.length;
    // An agent's unknown command gets the agent's help, not the client's text.
    tg.sendText(agent1, "/frobnicate");
    await waitForText(tg, agent1.id, `${RU.unknownCommandStaff}\n\n${RU.agentHelp}`, after);
    await settled(h);
    // None of it opened a ticket or reached an agent.
    assert.equal(h.app.desk.store.ticketsOfClient(alice.id).length, 0);
  }));

Deno.test("/history sends a UTF-8 file with every message of the client's tickets", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    await introduce(tg, alice, "Алиса");
    tg.sendText(alice, "Первый тикет");
    await waitForText(tg, agent1.id, "Первый тикет");
    tg.sendText(agent1, "Ответ на первый");
    await settled(h);
    tg.sendText(agent1, "/end_chat");
    await waitForText(tg, alice.id, RU.ticketClosed("#T-000001"));
    tg.sendText(alice, "Второй тикет 😀 <b>");
    await waitForText(tg, agent1.id, "Второй тикет");
    tg.sendMedia(alice, "photo", { caption: "подпись" });
    tg.sendMedia(alice, "sticker");
    await settled(h);
    tg.sendText(agent1, "/history");
    const call = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === agent1.id);
    const file = call.files.document;
    assert.ok(file, "a document was uploaded");
    assert.match(file.filename, /\.txt$/);
    const text = file.text();
    const lines = text.split("\n");
    assert.equal(lines[0], RU.history.title("Алиса"));
    assert.match(text, /Обращение #T-000001 от \d{4}-.* — закрыто/);
    assert.match(text, /Обращение #T-000002 от \d{4}-.* — открыто/);
    const bodyLines = lines.filter((l) => l.startsWith("["));
    assert.equal(bodyLines.length, 5);
    assert.match(bodyLines[0], /^\[\d{4}-\d\d-\d\d \d\d:\d\d UTC\] Алиса: Первый тикет$/);
    assert.match(bodyLines[1], /\] Agent One: Ответ на первый$/);
    assert.match(bodyLines[2], /\] Алиса: Второй тикет 😀 <b>$/);
    assert.match(bodyLines[3], /\] Алиса: \[фото\] подпись$/);
    assert.match(bodyLines[4], /\] Алиса: \[стикер\]$/);
    assert.ok(shownText(call).includes("Алиса"));
  }));

Deno.test("/stats shows the agent's figures", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    for (const [i, client] of [alice, bob].entries()) {
      tg.sendText(client, `вопрос от ${client.first_name}`);
      await waitForText(tg, agent1.id, `вопрос от ${client.first_name}`);
      tg.sendText(client, "ещё один вопрос?");
      tg.sendText(agent1, "ответ");
      await settled(h);
      tg.sendText(agent1, "/end_chat");
      await waitForText(tg, client.id, RU.ticketClosed(`#T-00000${i + 1}`));
    }
    tg.sendText(alice, "снова я");
    await waitForText(tg, agent1.id, "снова я");
    tg.sendText(carol, "в очередь");
    await waitForText(tg, carol.id, EN.queued(1));
    const after = tg.calls.length;
    tg.sendText(agent1, "/stats");
    const stats = await waitForText(tg, agent1.id, "Ваша статистика", after);
    // The emulator got the chart as Telegram would: a photo uploaded with sendPhoto, a PNG,
    // the text its caption.
    assert.equal(stats.method, "sendPhoto");
    const png = stats.files.photo.bytes;
    assert.deepEqual([...png.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(png.length > 10_000, `${png.length} bytes`);
    const text = shownText(stats);
    assert.ok(text.length <= 1024, "a caption");
    assert.match(text, /\nОбращения: сегодня 3, за 7 дней 3, всего 3 \(от 2 клиентов\)\n/);
    assert.match(text, /\nСообщения: отправлено 2, получено 5\n/);
    assert.match(text, /\nЗа 30 дней: 3 обращения\n/);
    // The recent dialogs, newest first: Alice's goes on, Bob's lasted less than a minute.
    const recent = text.split("\n").filter((l) => /^• (Alice Smith|Bob), /.test(l));
    assert.equal(recent.length, 3, text);
    assert.ok(recent[0].startsWith("• Alice Smith") && recent[0].endsWith("ещё идёт"), recent[0]);
    assert.match(recent[1], /^• Bob, .* — меньше минуты$/);
    assert.ok(!/\b0 минут/.test(text), text);
    assert.ok(text.includes("\nСейчас в диалоге: Alice Smith\n"), "in a dialog");
    assert.ok(text.includes("\nВ очереди: 1 клиент\n"), text);
    // The message itself, as the emulator keeps it: a photo with the caption.
    const sent = (await tg.waitForCall("sendPhoto", () => true, { after })).result as {
      photo?: unknown[];
      caption?: string;
    };
    assert.ok(Array.isArray(sent.photo) && sent.photo.length > 0, JSON.stringify(sent));
    assert.equal(sent.caption, text);
  }));

Deno.test("a restart in the middle of a dialog, a queue and a name question loses nothing", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    tg.sendText(alice, "до перезапуска");
    await waitForText(tg, agent1.id, "до перезапуска");
    tg.sendText(bob, "жду в очереди");
    await waitForText(tg, bob.id, RU.queued(1));
    tg.sendText(carol, "/start");
    await waitForText(tg, carol.id, EN.askName);
    await settled(h);
    await h.restart();
    tg.sendText(alice, "после перезапуска");
    await waitForText(tg, agent1.id, "👤 Alice Smith:\nпосле перезапуска");
    const reply = tg.sendText(agent1, "ответ после перезапуска");
    await tg.waitForCall("copyMessage", (c) => c.params.message_id === reply.message_id);
    tg.sendText(carol, "Caroline");
    await waitForText(tg, carol.id, EN.nameSaved("Caroline"));
    tg.sendText(agent1, "/end_chat");
    await waitForText(tg, agent1.id, "жду в очереди");
    assert.equal(h.app.desk.store.getUser(alice.id)?.name, null);
  }));

Deno.test("messages without text and updates the bot does not handle do no harm", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    tg.sendMedia(alice, "contact");
    await tg.waitForCall(
      "copyMessage",
      (c) => c.params.chat_id === agent1.id && JSON.stringify(c.params).includes("👤 Alice Smith"),
    );
    await settled(h);
    const before = tg.calls.filter((c) => c.method !== "getUpdates").length;
    tg.pushRaw({
      edited_message: {
        message_id: 1,
        date: 1,
        chat: { id: alice.id, type: "private" },
        from: alice,
        text: "edit",
      },
    });
    tg.pushRaw({
      message: {
        message_id: 50,
        date: 1,
        chat: { id: -100, type: "group", title: "g" },
        from: alice,
        text: "in a group",
      },
    });
    tg.pushRaw({
      channel_post: {
        message_id: 2,
        date: 1,
        chat: { id: -200, type: "channel", title: "c" },
        text: "post",
      },
    });
    tg.pushRaw({
      message_reaction: {
        chat: { id: alice.id, type: "private" },
        message_id: 1,
        date: 1,
        old_reaction: [],
        new_reaction: [],
      },
    });
    tg.pushRaw({ something_new: { x: 1 } });
    tg.pushRaw({ message: { message_id: 51, date: 1, chat: { id: alice.id, type: "private" } } });
    await settled(h);
    assert.equal(tg.calls.filter((c) => c.method !== "getUpdates").length, before);
    // The bot still answers.
    tg.sendText(alice, "ещё тут");
    await waitForText(tg, agent1.id, "ещё тут");
  }));

Deno.test("a language the bot does not speak falls back to DEFAULT_LANGUAGE", async () => {
  const german = user(1100, "Hans", { language_code: "de" });
  await withHarness(async ({ tg }) => {
    tg.sendText(german, "/start");
    await waitForText(tg, german.id, RU.askName);
  });
  await withHarness(async ({ tg }) => {
    tg.sendText(german, "/start");
    await waitForText(tg, german.id, EN.askName);
    // A Russian user still gets Russian.
    tg.sendText(user(1101, "Иван", { language_code: "ru" }), "/start");
    await waitForText(tg, 1101, RU.askName);
  }, { DEFAULT_LANGUAGE: "en" });
});

Deno.test("the command menu: clients see /start in both languages", () =>
  withHarness(async ({ tg }) => {
    await tg.waitForCall("deleteWebhook");
    const menus = tg.callsOf("setMyCommands").filter((c) => c.params.scope === undefined);
    assert.equal(menus.length, 2);
    for (const menu of menus) {
      const commands = menu.params.commands as { command: string; description: string }[];
      assert.deepEqual(commands.map((c) => c.command), ["start", "close", "help"]);
    }
    assert.deepEqual(menus.map((m) => m.params.language_code ?? "default").sort(), [
      "default",
      "en",
    ]);
  }));

Deno.test("the command menu follows DEFAULT_LANGUAGE: the default menu is English, Russian has its code", () =>
  withHarness(async ({ tg }) => {
    await tg.waitForCall("deleteWebhook");
    const menus = tg.callsOf("setMyCommands").filter((c) => c.params.scope === undefined);
    const described = (code: string | undefined) => {
      const menu = menus.find((m) => m.params.language_code === code);
      assert.ok(menu, `no default-scope menu for ${code ?? "every language"}`);
      return (menu.params.commands as { description: string }[]).map((c) => c.description);
    };
    assert.deepEqual(described(undefined), [
      EN.commands.start,
      EN.commands.close,
      EN.commands.help,
    ]);
    assert.deepEqual(described("ru"), [RU.commands.start, RU.commands.close, RU.commands.help]);
    assert.equal(menus.length, 2);
  }, { DEFAULT_LANGUAGE: "en" }));
