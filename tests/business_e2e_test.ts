/**
 * Telegram Business end to end, through the real bot in private mode against the emulator: a
 * client who never started the bot writes to a company's account and is served: their text,
 * photo, album and edits reach the agent (signed with their name, by content: nothing can be
 * copied out of a business chat), the agent's text, photo and album go back as the account;
 * the owner writing in between is shown to the agent and never echoed; a deleted message is
 * marked; the client's messages are marked read; with the connection off the answers wait, the
 * agent told once why, and go in order when it is back; a connection the bot was never told of
 * is looked up; and across a restart it all goes on. The bot never writes to the client as
 * itself.
 */
import assert from "node:assert/strict";
import type { Clock } from "../src/base/clock.ts";
import {
  type Harness,
  registerAgent,
  RU,
  settled,
  shownText,
  textsTo,
  waitForText,
  withHarness,
} from "./support/harness.ts";
import { admin, ADMIN_ID, agent1, alice } from "./support/people.ts";
import { accountTexts, ann, neverAsTheBot, owner, waitAsAccount } from "./support/business.ts";
import { type ApiCall, user } from "./support/telegram.ts";
import { stars, ticketNumber } from "../src/texts/mod.ts";

async function serve(h: Harness, id: string): Promise<void> {
  const { tg } = h;
  let after = tg.calls.length;
  const hello = tg.sendBusinessText(id, ann, "Hello, where is my order?");
  const shown = await waitForText(tg, agent1.id, "Hello, where is my order?", after);
  assert.match(shownText(shown), /Ann/, "signed with the client's name");

  // The agent answers: it goes as the account, by content.
  after = tg.calls.length;
  const answer = tg.sendText(agent1, "We are checking it");
  const sent = await waitAsAccount(
    tg,
    ann.id,
    (c) => c.params.text === "We are checking it",
    "answer",
    after,
  );
  // The client replies to it there (once its place there is recorded): the agent gets a reply
  // to their own message.
  await settled(h);
  after = tg.calls.length;
  tg.sendBusinessText(id, ann, "Thank you", {
    replyTo: (sent.result as { message_id: number }).message_id,
  });
  const thanks = await waitForText(tg, agent1.id, "Thank you", after);
  assert.equal(
    (thanks.params.reply_parameters as { message_id: number }).message_id,
    answer.message_id,
  );

  // A reply to the client's message stays a reply to it there; an edit follows as the account.
  after = tg.calls.length;
  tg.sendReply(agent1, "About this one", (shown.result as { message_id: number }).message_id);
  const reply = await waitAsAccount(
    tg,
    ann.id,
    (c) => c.params.text === "About this one",
    "reply",
    after,
  );
  assert.equal(
    (reply.params.reply_parameters as { message_id: number }).message_id,
    hello.message_id,
  );
  after = tg.calls.length;
  tg.sendEdit(agent1, answer.message_id, { text: "We are checking it now" });
  await waitAsAccount(
    tg,
    ann.id,
    (c) => c.method === "editMessageText" && c.params.text === "We are checking it now",
    "the agent's edit",
    after,
  );
  assert.ok(accountTexts(tg, id, ann.id).includes("We are checking it now"));

  // A photo each way.
  after = tg.calls.length;
  tg.sendBusinessMedia(id, ann, "photo", { caption: "the receipt" });
  const photo = await waitForText(tg, agent1.id, "the receipt", after);
  assert.equal(photo.method, "sendPhoto");
  after = tg.calls.length;
  tg.sendMedia(agent1, "photo", { caption: "your parcel" });
  const back = await waitAsAccount(tg, ann.id, (c) => c.method === "sendPhoto", "photo", after);
  assert.equal(back.params.caption, "your parcel");

  // An album from the client arrives as one album; the agent's goes back as one.
  after = tg.calls.length;
  tg.sendBusinessAlbum(id, ann, [{ kind: "photo", caption: "two" }, { kind: "photo" }]);
  await tg.waitFor(
    (calls) =>
      calls.slice(after).find((c) =>
        c.ok && c.method === "sendMediaGroup" && Number(c.params.chat_id) === agent1.id
      ),
    { message: "the client's album at the agent" },
  );
  after = tg.calls.length;
  tg.sendAlbum(agent1, [{ kind: "photo", caption: "three" }, { kind: "photo" }]);
  const album = await waitAsAccount(
    tg,
    ann.id,
    (c) => c.method === "sendMediaGroup",
    "the agent's album",
    after,
  );
  assert.equal((album.params.media as unknown[]).length, 2);

  // The client edits their first message: the agent's copy follows.
  after = tg.calls.length;
  tg.sendBusinessEdit(id, ann.id, hello.message_id, "Hello, where is order 77?");
  await waitForText(tg, agent1.id, "order 77", after);

  // The owner writes from their app: shown to the agent, never echoed to the client.
  after = tg.calls.length;
  tg.sendBusinessText(id, owner, "It left the warehouse today", { clientId: ann.id });
  await waitForText(tg, agent1.id, "It left the warehouse today", after);
  await settled(h);
  assert.ok(
    !accountTexts(tg, id, ann.id).includes("It left the warehouse today"),
    "the owner's message echoed",
  );

  // The client deletes a message: the agent is told.
  after = tg.calls.length;
  tg.deleteBusinessMessages(id, ann.id, [hello.message_id]);
  await waitForText(tg, agent1.id, "order 77", after);
  assert.ok(tg.businessRead(id, ann.id, hello.message_id), "the client's message marked read");
}

Deno.test("business: a client who never started the bot is served as the account", async () => {
  await withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    tg.sendText(admin, "/start");
    await settled(h);
    tg.setBusinessMode(true);
    const id = tg.connectBusiness(owner);
    await serve(h, id);

    // The connection turned off: the answer waits, the agent told once why.
    tg.changeBusiness(id, { enabled: false });
    await settled(h);
    let after = tg.calls.length;
    tg.sendText(agent1, "first while off");
    tg.sendText(agent1, "second while off");
    await waitForText(tg, agent1.id, RU.business.held("off", "Shop"), after);
    await settled(h);
    const told = tg.calls.slice(after).filter((c) =>
      Number(c.params.chat_id) === agent1.id && shownText(c).startsWith("⏸")
    );
    assert.equal(told.length, 1, "one line, not one per answer");
    assert.ok(!accountTexts(tg, id, ann.id).includes("first while off"));

    // Back on: both go, in order.
    after = tg.calls.length;
    tg.changeBusiness(id, { enabled: true });
    await waitAsAccount(tg, ann.id, (c) => c.params.text === "second while off", "released", after);
    const texts = accountTexts(tg, id, ann.id);
    assert.ok(texts.indexOf("first while off") < texts.indexOf("second while off"));
    await waitForText(tg, agent1.id, "▶️", after);
    neverAsTheBot(tg, ann.id);

    // The admin's /stats shows the account as an inbox of its own; they were told it connected.
    assert.ok(
      textsTo(tg, admin.id, 0).some((t) => t.includes(RU.business.connected("Shop", true))),
    );
    after = tg.calls.length;
    tg.sendText(admin, "/stats");
    const stats = await waitForText(tg, admin.id, RU.business.inboxes([]), after);
    assert.match(shownText(stats), /🏢 Shop: 1 обращение/);
  }, { ADMIN_IDS: String(admin.id) });
});

Deno.test("business: without can_reply answers wait until the client's account allows it", async () => {
  await withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    const id = tg.connectBusiness(owner, { rights: { can_read_messages: true } });
    let after = tg.calls.length;
    tg.sendBusinessText(id, ann, "Hi there");
    await waitForText(tg, agent1.id, "Hi there", after);
    after = tg.calls.length;
    tg.sendText(agent1, "Hello Ann");
    await waitForText(tg, agent1.id, RU.business.held("reply", "Shop"), after);
    after = tg.calls.length;
    tg.changeBusiness(id, { rights: { can_reply: true } });
    await waitAsAccount(tg, ann.id, (c) => c.params.text === "Hello Ann", "released", after);
    neverAsTheBot(tg, ann.id);
  }, { ADMIN_IDS: "9001" });
});

Deno.test("business: a connection the bot was never told of is looked up; a restart changes nothing", async () => {
  await withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    tg.sendText(admin, "/start");
    await settled(h);
    const id = tg.connectBusiness(owner, { announce: false });
    let after = tg.calls.length;
    tg.sendBusinessText(id, ann, "Are you open today?");
    await waitForText(tg, agent1.id, "Are you open today?", after);
    assert.ok(tg.calls.some((c) => c.method === "getBusinessConnection"));
    await settled(h);
    await h.restart();
    after = tg.calls.length;
    tg.sendText(agent1, "Until six");
    await waitAsAccount(tg, ann.id, (c) => c.params.text === "Until six", "after restart", after);
    after = tg.calls.length;
    tg.sendBusinessText(id, ann, "Thanks!");
    await waitForText(tg, agent1.id, "Thanks!", after);
    const lookups = tg.calls.filter((c) => c.method === "getBusinessConnection").length;
    assert.equal(lookups, 1, "looked up once, then stored");
    neverAsTheBot(tg, ann.id);
    // A message naming a connection Telegram does not know either: dropped, said in the log.
    tg.pushUpdate({
      business_message: {
        message_id: 1,
        date: 1,
        chat: { id: 777, type: "private", first_name: "Ghost" },
        from: { id: 777, is_bot: false, first_name: "Ghost" },
        business_connection_id: "gone",
        text: "hello?",
      },
    } as never);
    await settled(h);
    assert.ok(h.logs.some((line) => line.includes("business.unknown_connection")));
    assert.ok(!h.logs.some((line) => line.includes("update.failed")));
    // Business Mode is off in @BotFather here: at the restart the admin was told, and the log.
    assert.ok(textsTo(tg, admin.id, 0).includes(RU.business.modeOff));
    assert.ok(h.logs.some((line) => line.includes("WARN") && line.includes("business.mode_off")));
  }, { ADMIN_IDS: String(admin.id) });
});

/** A clock whose wall time a test steps; its monotonic time is the system's. */
function steppingClock(): Clock & { step(ms: number): void } {
  let skew = 0;
  return {
    now: () => Date.now() + skew,
    monotonic: () => performance.now(),
    step(ms) {
      skew += ms;
    },
  };
}

Deno.test("business: after 24 hours answers wait for the client; Telegram's refusals are judged", async () => {
  const clock = steppingClock();
  await withHarness(
    async (h) => {
      const { tg } = h;
      await registerAgent(tg, agent1);
      const id = tg.connectBusiness(owner);
      let after = tg.calls.length;
      tg.sendBusinessText(id, ann, "Is it in stock?");
      await waitForText(tg, agent1.id, "Is it in stock?", after);
      await settled(h);

      // A final 4xx of Telegram's to the account's send: the agent is told, the dialog goes on.
      tg.failNext("sendMessage", {
        code: 400,
        description: "Bad Request: chat not found",
        chatId: ann.id,
      });
      after = tg.calls.length;
      tg.sendText(agent1, "Let me look");
      await waitForText(tg, agent1.id, RU.notDelivered("text"), after);
      // A 5xx is tried again.
      tg.failNext("sendMessage", { code: 502, chatId: ann.id });
      after = tg.calls.length;
      tg.sendText(agent1, "Still looking");
      await waitAsAccount(tg, ann.id, (c) => c.params.text === "Still looking", "retried", after);

      // A day later the account may not write: the answer waits until the client writes again.
      const DAY = 24 * 3600_000;
      clock.step(DAY + 60_000);
      tg.ageBusinessChat(id, ann.id, DAY + 60_000);
      after = tg.calls.length;
      tg.sendText(agent1, "Yes, it is");
      await waitForText(tg, agent1.id, RU.business.held("window", "Shop"), after);
      await settled(h);
      assert.ok(!accountTexts(tg, id, ann.id).includes("Yes, it is"));
      after = tg.calls.length;
      tg.sendBusinessText(id, ann, "Hello again?");
      await waitAsAccount(
        tg,
        ann.id,
        (c) => c.params.text === "Yes, it is",
        "after the client",
        after,
      );
      await waitForText(tg, agent1.id, "Hello again?", after);
      neverAsTheBot(tg, ann.id);
    },
    {},
    { clock },
  );
});

Deno.test("business: short notices as the company (queue place, thanks at closing), each can be off", async () => {
  const bob = user(4243, "Bob");
  for (const on of [true, false]) {
    await withHarness(async (h) => {
      const { tg } = h;
      await registerAgent(tg, agent1);
      const id = tg.connectBusiness(owner);
      // The owner writing to a client with no ticket opens none, and reaches nobody.
      const before = tg.calls.length;
      tg.sendBusinessText(id, owner, "Hi Ann, your order is ready", { clientId: ann.id });
      await settled(h);
      assert.deepEqual(textsTo(tg, agent1.id, before), []);
      assert.deepEqual(accountTexts(tg, id, ann.id), []);
      let after = tg.calls.length;
      tg.sendBusinessText(id, ann, "First question");
      await waitForText(tg, agent1.id, "First question", after);
      after = tg.calls.length;
      tg.sendBusinessText(id, bob, "Second question");
      await settled(h);
      const queued = RU.business.queuedNotice(1);
      assert.equal(accountTexts(tg, id, bob.id).includes(queued), on, "the queue place");
      tg.sendText(agent1, "/end_chat");
      await waitForText(tg, agent1.id, "Second question", after);
      await settled(h);
      assert.equal(accountTexts(tg, id, ann.id).includes(RU.business.closedNotice), on, "thanks");
      neverAsTheBot(tg, ann.id);
      neverAsTheBot(tg, bob.id);
    }, {
      BUSINESS_QUEUE_NOTICE: String(on),
      BUSINESS_CLOSING_NOTICE: String(on),
      BUSINESS_RATING: "false",
    });
  }
});

/** The callback data of the inline buttons a call carries. */
function buttonData(call: ApiCall): string[] {
  const markup = call.params.reply_markup as
    | { inline_keyboard?: { callback_data?: string }[][] }
    | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? "");
}

Deno.test("business: the rating is asked as the account, a press rates, the comment follows", async () => {
  for (const on of [true, false]) {
    await withHarness(async (h) => {
      const { tg } = h;
      await registerAgent(tg, agent1);
      const id = tg.connectBusiness(owner);
      let after = tg.calls.length;
      tg.sendBusinessText(id, ann, "Where is my order?");
      await waitForText(tg, agent1.id, "Where is my order?", after);
      tg.sendText(agent1, "It ships today");
      await waitAsAccount(tg, ann.id, (c) => c.params.text === "It ships today", "answer", after);
      after = tg.calls.length;
      tg.sendText(agent1, "/end_chat");
      const closing = await waitAsAccount(
        tg,
        ann.id,
        (c) => String(c.params.text).startsWith(RU.business.closedNotice),
        "the closing",
        after,
      );
      if (!on) {
        // Turned off: the thanks alone, no question, no buttons.
        assert.equal(closing.params.text, RU.business.closedNotice);
        assert.deepEqual(buttonData(closing), []);
        await settled(h);
        neverAsTheBot(tg, ann.id);
        return;
      }
      assert.equal(closing.params.text, `${RU.business.closedNotice}\n\n${RU.rateAsk}`);
      const data = buttonData(closing);
      assert.equal(data.length, 5, "the 1–5 buttons, as in the bot's chat");
      // The client presses 4 under the account's message: a callback query from a business
      // message, answered as any; the buttons go (edited as the account); the agent is told.
      after = tg.calls.length;
      const messageId = (closing.result as { message_id: number }).message_id;
      const press = tg.pressBusinessButton(id, ann, messageId, data[3]);
      await tg.waitFor(
        (calls) =>
          calls.slice(after).find((c) =>
            c.ok && c.method === "answerCallbackQuery" &&
            c.params.callback_query_id === press.callback_query_id
          ),
        { message: "the press answered" },
      );
      await waitAsAccount(
        tg,
        ann.id,
        (c) => c.method === "editMessageReplyMarkup" && c.params.message_id === messageId,
        "the buttons taken away",
        after,
      );
      await waitAsAccount(tg, ann.id, (c) => c.params.text === RU.rateThanks(stars(4)), "thanks");
      await waitForText(tg, agent1.id, RU.agentRated("Ann", ticketNumber(1), stars(4)), after);
      // The next text is the comment: the agent gets it, the client is thanked as the account,
      // and no ticket opens.
      after = tg.calls.length;
      tg.sendBusinessText(id, ann, "Fast and polite");
      await waitForText(
        tg,
        agent1.id,
        RU.agentComment("Ann", ticketNumber(1), "Fast and polite"),
        after,
      );
      await waitAsAccount(tg, ann.id, (c) => c.params.text === RU.commentThanks, "comment");
      await settled(h);
      assert.equal(h.app.desk.store.getTicket(1)?.rating, 4);
      assert.equal(h.app.desk.store.getTicket(2), undefined, "a comment opens no ticket");
      // The buttons are gone from the account's message: nothing to press again.
      assert.throws(() => tg.pressBusinessButton(id, ann, messageId, data[0]), /no button/);
      neverAsTheBot(tg, ann.id);
    }, { BUSINESS_RATING: String(on) });
  }
});

Deno.test("business: with a knowledge base, a question it answers still goes straight to a person", async () => {
  await withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    const id = tg.connectBusiness(owner);
    const after = tg.calls.length;
    // The example base answers this one well (tests/knowledge_e2e_test.ts offers it to a
    // client of the bot); the account has no bot's buttons to offer it with.
    tg.sendBusinessText(id, ann, "Как сбросить пароль?");
    await waitForText(tg, agent1.id, "Как сбросить пароль?", after);
    await settled(h);
    neverAsTheBot(tg, ann.id);
  }, { FAQ_FILE: new URL("../tools/sandbox/faq.md", import.meta.url).pathname });
});

Deno.test("business: with departments the account asks which one; what the client wrote first is kept", async () => {
  await withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    const id = tg.connectBusiness(owner);
    let after = tg.calls.length;
    const first = tg.sendBusinessText(id, ann, "My parcel is late");
    const ask = await waitAsAccount(
      tg,
      ann.id,
      (c) => c.params.text === RU.routing.pickDepartment,
      "the pick, as the account",
      after,
    );
    assert.deepEqual(buttonData(ask).length, 2, "a button per department");
    tg.sendBusinessText(id, ann, "Order 42");
    await settled(h);
    assert.deepEqual(textsTo(tg, agent1.id, after), [], "nothing reaches staff before the pick");
    // The pick: both messages reach the agent in order, in the department picked, and the
    // agent's answer goes back as the account.
    after = tg.calls.length;
    const messageId = (ask.result as { message_id: number }).message_id;
    tg.pressBusinessButton(id, ann, messageId, buttonData(ask)[1]);
    await waitForText(tg, agent1.id, "Order 42", after);
    const shown = textsTo(tg, agent1.id, after).filter((t) => /My parcel|Order 42/.test(t));
    assert.equal(shown.length, 2);
    assert.match(shown[0], /My parcel is late/);
    await waitAsAccount(
      tg,
      ann.id,
      (c) => c.method === "editMessageReplyMarkup" && c.params.message_id === messageId,
      "the pick's buttons taken away",
      after,
    );
    const ticket = h.app.desk.store.getTicket(1);
    assert.equal(ticket?.department, "tech");
    after = tg.calls.length;
    tg.sendText(agent1, "Checking order 42");
    await waitAsAccount(tg, ann.id, (c) => c.params.text === "Checking order 42", "answer", after);
    // The first message is placed in the business chat: its edit reaches the agent's copy.
    after = tg.calls.length;
    tg.sendBusinessEdit(id, ann.id, first.message_id, "My parcel is very late");
    await waitForText(tg, agent1.id, "My parcel is very late", after);
    neverAsTheBot(tg, ann.id);
  }, { DEPARTMENTS: "billing=Оплата|Billing,tech=Техника|Tech support" });
});

Deno.test("business: the export names each ticket's inbox; the history marks the account's chat", async () => {
  await withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    const id = tg.connectBusiness(owner);
    // Ann writes to the account, Alice to the bot; the agent answers both.
    let after = tg.calls.length;
    tg.sendBusinessText(id, ann, "Via the account");
    await waitForText(tg, agent1.id, "Via the account", after);
    tg.sendText(agent1, "Answer to Ann");
    await waitAsAccount(tg, ann.id, (c) => c.params.text === "Answer to Ann", "answer", after);
    tg.sendText(agent1, "/end_chat");
    after = tg.calls.length;
    tg.sendText(alice, "Via the bot");
    await waitForText(tg, agent1.id, "Via the bot", after);
    await settled(h);

    after = tg.calls.length;
    const day = new Date().toISOString().slice(0, 10);
    tg.sendText(admin, `/export ${day} ${day}`);
    const csv = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === ADMIN_ID, {
      after,
    });
    const lines = csv.files.document.text().replace(/^\uFEFF/, "").split("\r\n");
    assert.ok(lines[0].endsWith(`,${RU.history.columns.inbox}`), lines[0]);
    const row = (text: string) => lines.find((l) => l.includes(`,${text},`)) ?? "";
    assert.ok(row("Via the account").endsWith(",Shop"), row("Via the account"));
    assert.ok(row("Answer to Ann").endsWith(",Shop"), row("Answer to Ann"));
    assert.ok(row("Via the bot").endsWith(`,${RU.history.botInbox}`), row("Via the bot"));

    // Ann's history: her message and the answer are marked as the account's chat.
    after = tg.calls.length;
    tg.sendText(agent1, `/history ${ticketNumber(1)}`);
    const file = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === agent1.id, {
      after,
    });
    const text = file.files.document.text();
    const mark = RU.history.viaAccount("Shop");
    assert.match(text, new RegExp(`\\] Ann \\(${mark}\\): Via the account\n`), text);
    assert.match(text, new RegExp(`\\] Agent One \\(${mark}\\): Answer to Ann\n`), text);
  }, { ADMIN_IDS: String(ADMIN_ID) });
});

Deno.test("business: a location, venue, contact, poll and dice reach the agent by what they hold, and back", async () => {
  await withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    const id = tg.connectBusiness(owner);
    let after = tg.calls.length;
    tg.sendBusinessText(id, ann, "Where is your shop?");
    await waitForText(tg, agent1.id, "Where is your shop?", after);
    after = tg.calls.length;
    const sent = (method: string) =>
      tg.waitFor(
        (calls) =>
          calls.slice(after).find((c) =>
            c.ok && c.method === method && Number(c.params.chat_id) === agent1.id
          ),
        { message: `${method} to the agent` },
      );
    tg.sendBusinessFields(id, ann, { location: { latitude: 55.75, longitude: 37.62 } });
    const location = await sent("sendLocation");
    assert.deepEqual([location.params.latitude, location.params.longitude], [55.75, 37.62]);
    assert.ok(location.params.reply_markup, "signed by the name button");
    tg.sendBusinessFields(id, ann, {
      venue: {
        location: { latitude: 59.93, longitude: 30.36 },
        title: "Shop",
        address: "Nevsky 1",
      },
    });
    const venue = await sent("sendVenue");
    assert.deepEqual([venue.params.title, venue.params.address], ["Shop", "Nevsky 1"]);
    tg.sendBusinessFields(id, ann, {
      contact: { phone_number: "+79990001122", first_name: "Ann", last_name: "Lee" },
    });
    const contact = await sent("sendContact");
    assert.deepEqual(
      [contact.params.phone_number, contact.params.first_name, contact.params.last_name],
      ["+79990001122", "Ann", "Lee"],
    );
    tg.sendBusinessFields(id, ann, {
      poll: { id: "p1", question: "Which day?", options: [{ text: "Mon" }, { text: "Tue" }] },
    });
    await waitForText(tg, agent1.id, "📊 Which day?\n• Mon\n• Tue", after);
    tg.sendBusinessFields(id, ann, { dice: { emoji: "🎲", value: 4 } });
    await waitForText(tg, agent1.id, "🎲 4", after);
    // And back: the agent's location and contact go as the account, by what they hold.
    after = tg.calls.length;
    tg.sendFields(agent1, { location: { latitude: 59.93, longitude: 30.36 } });
    const pin = await waitAsAccount(tg, ann.id, (c) => c.method === "sendLocation", "pin", after);
    assert.deepEqual([pin.params.latitude, pin.params.longitude], [59.93, 30.36]);
    tg.sendFields(agent1, { contact: { phone_number: "+78120000000", first_name: "Shop" } });
    const card = await waitAsAccount(tg, ann.id, (c) => c.method === "sendContact", "card", after);
    assert.equal(card.params.phone_number, "+78120000000");
    neverAsTheBot(tg, ann.id);
  });
});

Deno.test("business: a saved reply reaches the client as the account, not as the bot", async () => {
  await withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    const id = tg.connectBusiness(owner);
    let after = tg.calls.length;
    tg.sendBusinessText(id, ann, "Are you open on Sunday?");
    await waitForText(tg, agent1.id, "Are you open on Sunday?", after);
    tg.sendText(agent1, "/canned add hours We are open every day from 10 to 20.");
    await waitForText(tg, agent1.id, RU.cannedSaved("hours"), after);
    const reply = h.app.desk.store.cannedOf(agent1.id).find((r) => r.name === "hours")!;
    after = tg.calls.length;
    tg.sendCallbackQuery(agent1, `canned:${reply.id}`, { messageId: 1 });
    await waitAsAccount(
      tg,
      ann.id,
      (c) => c.params.text === "We are open every day from 10 to 20.",
      "the saved reply",
      after,
    );
    await settled(h);
    neverAsTheBot(tg, ann.id);
  });
});

Deno.test("business: a message the bot sent as the account, handed back by Telegram, is not the owner's", async () => {
  await withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    const id = tg.connectBusiness(owner);
    let after = tg.calls.length;
    tg.sendBusinessText(id, ann, "Is my parcel on its way?");
    await waitForText(tg, agent1.id, "Is my parcel on its way?", after);
    after = tg.calls.length;
    // As Telegram would show the bot's own answer: from the owner, sent by the business bot.
    tg.sendBusinessFields(id, owner, { text: "Echo of the bot", sender_business_bot: tg.botUser }, {
      clientId: ann.id,
    });
    tg.sendBusinessText(id, owner, "The owner himself", { clientId: ann.id });
    await waitForText(tg, agent1.id, "The owner himself", after);
    await settled(h);
    assert.ok(!textsTo(tg, agent1.id, after).some((t) => String(t).includes("Echo of the bot")));
  });
});
