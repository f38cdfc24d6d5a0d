/**
 * End-to-end, issue 12 ("one message arrives as one message"): every kind of client message
 * reaches the agent as exactly one Bot API call, signed with the client's name (in front of
 * the text or caption, or on a `👤 name` button under a copy that cannot take it); the
 * agent's replies reach the client as one message; reactions go both ways within an open
 * ticket; the receipt reaction (`RECEIPT_REACTION`); the phone number asked after the name
 * (`ASK_CONTACT`); the client card behind the name button. Albums are in
 * `fidelity_albums_e2e_test.ts`.
 *
 * Through the real bot, the fake Bot API (which keeps every copy with its content, so a test
 * sees what the other side sees) and a real SQLite file. Texts are compared through
 * `texts()` or by the names and numbers in them, never by their wording.
 */
import assert from "node:assert/strict";
import type { ApiCall, FakeTelegram, FakeUser, MediaKind } from "./support/telegram.ts";
import { agent1, agent2, alice } from "./support/people.ts";
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
import { stars, ticketNumber } from "../src/texts/mod.ts";

/** The name Alice gives the bot; her Telegram name is "Alice Smith", her username "alice". */
const NAME = "Алиса";

/** Alice, introduced as {@link NAME}, is served by agent1, everything sent. */
async function dialog(h: Harness, name = NAME): Promise<void> {
  const { tg } = h;
  await registerAgent(tg, agent1);
  await introduce(tg, alice, name);
  tg.sendText(alice, "Здравствуйте");
  await waitForText(tg, alice.id, RU.connected(ticketNumber(1)));
  await waitForText(tg, agent1.id, "Здравствуйте");
  await settled(h);
}

/** The successful calls to `chatId` from call index `after` on. */
function callsTo(tg: FakeTelegram, chatId: number, after: number): ApiCall[] {
  return tg.sentTo(chatId).filter((c) => tg.calls.indexOf(c) >= after);
}

/** The one call that reached `chatId` since `after` (asserting there was exactly one). */
function onlyCallTo(tg: FakeTelegram, chatId: number, after: number, what: string): ApiCall {
  const calls = callsTo(tg, chatId, after);
  assert.equal(
    calls.length,
    1,
    `${what}: one call to ${chatId}, got ${calls.map((c) => c.method).join(", ")}`,
  );
  return calls[0];
}

/** The message id of what a call made in its chat (a sent message or a copy). */
function madeId(call: ApiCall): number {
  return (call.result as { message_id: number }).message_id;
}

/** The inline buttons of a call, flattened. */
function buttonsOf(call: ApiCall | Record<string, unknown>): { text: string; data: string }[] {
  const params = "params" in call ? (call as ApiCall).params : call;
  const markup = params.reply_markup as
    | { inline_keyboard?: { text: string; callback_data?: string }[][] }
    | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((b) => ({
    text: b.text,
    data: b.callback_data ?? "",
  }));
}

/** Whether the agent sees `name` on a copy: in front of its text or caption, or on its button. */
function signedWith(shown: Record<string, unknown>, name: string, clientId: number): boolean {
  const text = String(shown.text ?? shown.caption ?? "");
  const inFront = text === `👤 ${name}` || text.startsWith(`👤 ${name}:\n`);
  const button = buttonsOf(shown).some((b) =>
    b.text === `👤 ${name}` && b.data === `card:${clientId}`
  );
  return inFront || button;
}

/** The content field each kind of message carries (what the copy must carry too). */
const FIELD: Record<string, string> = {
  photo: "photo",
  video: "video",
  animation: "animation",
  document: "document",
  voice: "voice",
  audio: "audio",
  sticker: "sticker",
  video_note: "video_note",
  location: "location",
  venue: "venue",
  contact: "contact",
  dice: "dice",
  poll: "poll",
};

Deno.test("every kind of client message reaches the agent as one message, with the name", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await dialog(h);
    const long = "ж".repeat(4096);
    const fullCaption = "п".repeat(1024);
    const cases: { what: string; push: () => { message_id: number }; field: string }[] = [
      { what: "text", push: () => tg.sendText(alice, "Не работает оплата"), field: "text" },
      { what: "4096-char text", push: () => tg.sendText(alice, long), field: "text" },
      {
        what: "1024-char caption",
        push: () => tg.sendMedia(alice, "photo", { caption: fullCaption }),
        field: "photo",
      },
      {
        what: "captioned photo",
        push: () => tg.sendMedia(alice, "photo", { caption: "скриншот" }),
        field: "photo",
      },
      ...Object.keys(FIELD).map((kind) => ({
        what: kind,
        push: () => tg.sendMedia(alice, kind as MediaKind),
        field: FIELD[kind],
      })),
    ];
    for (const c of cases) {
      const after = tg.calls.length;
      const sent = c.push();
      await settled(h);
      const call = onlyCallTo(tg, agent1.id, after, c.what);
      assert.ok(["sendMessage", "copyMessage"].includes(call.method), c.what);
      const shown = tg.messageIn(agent1.id, madeId(call))!;
      assert.ok(shown, `${c.what}: the agent's chat holds the copy`);
      assert.ok(signedWith(shown, NAME, alice.id), `${c.what}: signed ${JSON.stringify(shown)}`);
      const original = tg.messageIn(alice.id, sent.message_id)!;
      if (c.field === "text") {
        assert.ok(String(shown.text).endsWith(String(original.text)), c.what);
      } else {
        assert.deepEqual(shown[c.field], original[c.field], `${c.what}: the same content`);
      }
      assert.equal(callsTo(tg, alice.id, after).length, 0, `${c.what}: nothing to the client`);
    }
    // What fits carries the name in front; what cannot, on the button, content untouched.
    const at = (what: string) => {
      const index = cases.findIndex((c) => c.what === what);
      return tg.sentTo(agent1.id).slice(-cases.length)[index];
    };
    assert.equal(at("text").params.text, `👤 ${NAME}:\nНе работает оплата`);
    assert.equal(at("captioned photo").params.caption, `👤 ${NAME}:\nскриншот`);
    assert.equal(at("document").params.caption, `👤 ${NAME}`);
    for (const what of ["4096-char text", "1024-char caption", "sticker", "location", "poll"]) {
      assert.equal(at(what).method, "copyMessage", what);
      assert.equal(at(what).params.caption, undefined, `${what}: no caption forced on it`);
      assert.deepEqual(buttonsOf(at(what)), [{ text: `👤 ${NAME}`, data: `card:${alice.id}` }]);
    }
    const fullCopy = tg.messageIn(agent1.id, madeId(at("1024-char caption")))!;
    assert.equal(fullCopy.caption, fullCaption);
    assert.equal(tg.messageIn(agent1.id, madeId(at("4096-char text")))!.text, long);
  }));

Deno.test("each common kind of agent reply reaches the client as one message, unsigned", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await dialog(h);
    const replies: [string, () => { message_id: number }][] = [
      ["text", () => tg.sendText(agent1, "Проверьте почту")],
      ["photo", () => tg.sendMedia(agent1, "photo", { caption: "вот так" })],
      ["document", () => tg.sendMedia(agent1, "document", { fileName: "инструкция.pdf" })],
      ["voice", () => tg.sendMedia(agent1, "voice")],
      ["video", () => tg.sendMedia(agent1, "video")],
      ["sticker", () => tg.sendMedia(agent1, "sticker")],
      ["location", () => tg.sendMedia(agent1, "location")],
    ];
    for (const [what, push] of replies) {
      const after = tg.calls.length;
      const sent = push();
      await settled(h);
      const call = onlyCallTo(tg, alice.id, after, what);
      assert.equal(call.method, "copyMessage", what);
      assert.equal(call.params.message_id, sent.message_id);
      const shown = tg.messageIn(alice.id, madeId(call))!;
      const original = tg.messageIn(agent1.id, sent.message_id)!;
      const field = what === "text" ? "text" : what;
      assert.deepEqual(shown[field], original[field], what);
      assert.equal(shown.caption, original.caption, `${what}: the agent's caption as it was`);
      assert.deepEqual(buttonsOf(shown), [], `${what}: no name, no button`);
      assert.equal(callsTo(tg, agent1.id, after).length, 0, `${what}: nothing back to the agent`);
    }
  }));

Deno.test("reactions both ways: added, changed and removed; not after the ticket closed", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await dialog(h);
    const question = tg.sendText(alice, "Где мой заказ?");
    await settled(h);
    const questionCopy = madeId(tg.sentTo(agent1.id).at(-1)!);
    const answer = tg.sendText(agent1, "Уже в пути");
    await settled(h);
    const answerCopy = madeId(tg.sentTo(alice.id).at(-1)!);

    // The agent reacts on the copy of the question: the client's original gets it.
    tg.sendReaction(agent1, questionCopy, "👍");
    await settled(h);
    assert.equal(tg.reactionOn(alice.id, question.message_id), "👍");
    tg.sendReaction(agent1, questionCopy, "🔥");
    await settled(h);
    assert.equal(tg.reactionOn(alice.id, question.message_id), "🔥", "changed");
    // The client reacts on the copy of the answer: the agent's original gets it.
    tg.sendReaction(alice, answerCopy, "🙏");
    await settled(h);
    assert.equal(tg.reactionOn(agent1.id, answer.message_id), "🙏");
    // Removed on one side, removed on the other.
    tg.sendReaction(agent1, questionCopy, null);
    tg.sendReaction(alice, answerCopy, null);
    await settled(h);
    assert.equal(tg.reactionOn(alice.id, question.message_id), undefined);
    assert.equal(tg.reactionOn(agent1.id, answer.message_id), undefined);
    const removals = tg.callsOf("setMessageReaction").filter((c) =>
      Array.isArray(c.params.reaction) && c.params.reaction.length === 0
    );
    assert.equal(removals.length, 2);
    assert.ok(tg.callsOf("setMessageReaction").every((c) => c.ok), "Telegram accepted them all");

    // Once the ticket is closed, reactions stay where they are put.
    let after = tg.calls.length;
    tg.sendText(agent1, "/end_chat");
    await waitForText(tg, alice.id, RU.ticketClosed(ticketNumber(1)), after);
    await settled(h);
    after = tg.calls.length;
    tg.sendReaction(agent1, questionCopy, "👍");
    tg.sendReaction(alice, answerCopy, "❤");
    await settled(h);
    assert.equal(tg.calls.slice(after).filter((c) => c.method === "setMessageReaction").length, 0);
    assert.equal(tg.reactionOn(alice.id, question.message_id), undefined);
  }));

Deno.test("RECEIPT_REACTION=👀: a client's message gets 👀 once it reached the agent", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    await introduce(tg, alice, NAME);
    const first = tg.sendText(alice, "Первый вопрос");
    await waitForText(tg, agent1.id, "Первый вопрос");
    const sticker = tg.sendMedia(alice, "sticker");
    await settled(h);
    assert.equal(tg.reactionOn(alice.id, first.message_id), "👀");
    assert.equal(tg.reactionOn(alice.id, sticker.message_id), "👀");
    // Only the client's messages: nothing on the agent's, nothing on the bot's own.
    const reply = tg.sendText(agent1, "Ответ");
    await settled(h);
    assert.equal(tg.reactionOn(agent1.id, reply.message_id), undefined);
    const targets = tg.callsOf("setMessageReaction").map((c) => [
      c.params.chat_id,
      c.params.message_id,
    ]);
    assert.deepEqual(targets, [[alice.id, first.message_id], [alice.id, sticker.message_id]]);

    // A message that failed to reach the agent gets no receipt.
    const after = tg.calls.length;
    tg.failNext("sendMessage", {
      code: 400,
      description: "Bad Request: chat not found",
      chatId: agent1.id,
    });
    const lost = tg.sendText(alice, "Потерянное");
    await settled(h);
    assert.ok(tg.calls.slice(after).some((c) => c.status === 400), "the relay was refused");
    assert.equal(tg.reactionOn(alice.id, lost.message_id), undefined);
  }, { RECEIPT_REACTION: "👀" }));

Deno.test("no RECEIPT_REACTION: no reaction call at all", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await dialog(h);
    tg.sendText(alice, "Ещё вопрос");
    tg.sendMedia(alice, "photo");
    tg.sendText(agent1, "Ответ");
    await settled(h);
    assert.ok(tg.sentTo(agent1.id).length >= 3, "messages were relayed");
    assert.equal(tg.callsOf("setMessageReaction").length, 0);
  }));

/** Plays a new client's onboarding with `ASK_CONTACT`; returns the question asking the phone. */
async function askedForPhone(tg: FakeTelegram, client: FakeUser, name: string): Promise<ApiCall> {
  let after = tg.calls.length;
  tg.sendText(client, "/start");
  await waitForText(tg, client.id, RU.askName, after);
  after = tg.calls.length;
  tg.sendText(client, name);
  return await waitForText(tg, client.id, RU.nameSavedAskContact(name), after);
}

/** The reply keyboard of a call (the buttons under the input field), flattened. */
function keyboardOf(call: ApiCall): { text: string; request_contact?: boolean }[] {
  const markup = call.params.reply_markup as
    | { keyboard?: { text: string; request_contact?: boolean }[][] }
    | undefined;
  return markup?.keyboard?.flat() ?? [];
}

/** Whether a call takes the reply keyboard away. */
function removesKeyboard(call: ApiCall): boolean {
  return (call.params.reply_markup as { remove_keyboard?: boolean } | undefined)
    ?.remove_keyboard === true;
}

const PHONE = "+79161234567";

Deno.test("ASK_CONTACT: the client's own contact is kept, shown on the card and in /history", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await registerAgent(tg, agent1);
    const ask = await askedForPhone(tg, alice, NAME);
    const keyboard = keyboardOf(ask);
    assert.ok(keyboard.some((b) => b.text === RU.contactShare && b.request_contact === true));
    assert.ok(keyboard.some((b) => b.text === RU.contactSkip && !b.request_contact));
    let after = tg.calls.length;
    tg.sendContact(alice, { phone: PHONE });
    const saved = await waitForText(tg, alice.id, RU.contactSaved, after);
    assert.ok(removesKeyboard(saved));
    assert.equal(store.getUser(alice.id)?.phone, PHONE);
    await settled(h);
    assert.equal(callsTo(tg, agent1.id, after).length, 0, "the number is no question");
    assert.equal(store.ticketsOfClient(alice.id).length, 0);

    tg.sendText(alice, "Не приходит код");
    await waitForText(tg, agent1.id, "Не приходит код");
    tg.sendMedia(alice, "sticker");
    await settled(h);
    const sticker = tg.sentTo(agent1.id).at(-1)!;
    after = tg.calls.length;
    tg.sendCallbackQuery(agent1, `card:${alice.id}`, { messageId: madeId(sticker) });
    const card = await cardShown(tg, agent1, after);
    assert.ok(card.includes(PHONE), card);

    after = tg.calls.length;
    tg.sendText(agent1, "/history");
    const file = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === agent1.id, {
      after,
    });
    const text = file.files.document.text();
    assert.ok(text.includes(RU.history.phone(PHONE)), text);
    assert.ok(text.includes("Не приходит код"));
  }, { ASK_CONTACT: "true" }));

Deno.test("ASK_CONTACT: skipped, someone else's contact, or a question instead", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await registerAgent(tg, agent1);
    // Skipped with the button.
    await askedForPhone(tg, alice, NAME);
    let after = tg.calls.length;
    tg.sendText(alice, RU.contactSkip);
    const skipped = await waitForText(tg, alice.id, RU.contactSkipped, after);
    assert.ok(removesKeyboard(skipped));
    assert.equal(store.getUser(alice.id)?.phone, null);
    assert.equal(store.getUser(alice.id)?.awaitingContact, false);
    await settled(h);
    assert.equal(callsTo(tg, agent1.id, after).length, 0, "a skip is no question");

    // Someone else's contact is not taken as theirs: it is their message, and goes to the agent.
    const bob = { id: 1202, first_name: "Bob" };
    await askedForPhone(tg, bob, "Боб");
    after = tg.calls.length;
    const foreign = tg.sendContact(bob, { phone: "+15550001111", userId: 4242, firstName: "Жена" });
    const relayed = await tg.waitForCall(
      "copyMessage",
      (c) => c.params.chat_id === agent1.id && c.params.message_id === foreign.message_id,
      { after },
    );
    assert.equal(store.getUser(bob.id)?.phone, null);
    assert.equal(store.getUser(bob.id)?.awaitingContact, false);
    assert.ok(signedWith(tg.messageIn(agent1.id, madeId(relayed))!, "Боб", bob.id));
    assert.ok(!tg.calls.slice(after).some((c) => shownText(c) === RU.contactSaved));
    // The buttons go: they would stay under Bob's keyboard.
    assert.ok(removesKeyboard(await waitForText(tg, bob.id, RU.contactDropped, after)));

    // A question typed instead is relayed (to agent2, who is free), and the bot stops asking.
    await registerAgent(tg, agent2);
    const carl = { id: 1203, first_name: "Carl" };
    await askedForPhone(tg, carl, "Карл");
    after = tg.calls.length;
    tg.sendText(carl, "Как сменить тариф?");
    await waitForText(tg, agent2.id, "Как сменить тариф?", after);
    await settled(h);
    assert.equal(store.getUser(carl.id)?.phone, null);
    assert.equal(store.getUser(carl.id)?.awaitingContact, false);
    const relayedToAgent = callsTo(tg, agent2.id, after).filter((c) =>
      shownText(c).includes("Как сменить тариф?")
    );
    assert.equal(relayedToAgent.length, 1);
    assert.equal(shownText(relayedToAgent[0]), "👤 Карл:\nКак сменить тариф?");
    assert.ok(!tg.calls.slice(after).some((c) => shownText(c) === RU.contactSkipped));
    assert.ok(removesKeyboard(await waitForText(tg, carl.id, RU.contactDropped, after)));
    // "Skip" typed now is a message like any other.
    after = tg.calls.length;
    tg.sendText(carl, RU.contactSkip);
    await waitForText(tg, agent2.id, RU.contactSkip, after);
    assert.ok(!tg.calls.slice(after).some((c) => shownText(c) === RU.contactSkipped));
  }, { ASK_CONTACT: "true" }));

/** Waits for the card an agent's press showed (an alert, or a message when long). */
async function cardShown(tg: FakeTelegram, agent: FakeUser, after: number): Promise<string> {
  const answer = await tg.waitFor((calls) =>
    calls.slice(after).find((c) => c.ok && c.method === "answerCallbackQuery")
  );
  if (answer.params.show_alert === true) return String(answer.params.text);
  const message = await tg.waitFor((calls) =>
    calls.slice(after).find((c) =>
      c.ok && c.method === "sendMessage" && c.params.chat_id === agent.id
    )
  );
  assert.equal(answer.params.text, undefined, "a long card comes as a message, not a notice");
  return shownText(message);
}

Deno.test("the client card: name, @username, ticket, tickets so far, last rating, phone", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    await askedForPhone(tg, alice, NAME);
    tg.sendContact(alice, { phone: PHONE });
    await waitForText(tg, alice.id, RU.contactSaved);
    // A first ticket, closed and rated 5.
    tg.sendText(alice, "Первый вопрос");
    await waitForText(tg, agent1.id, "Первый вопрос");
    let after = tg.calls.length;
    tg.sendText(agent1, "/end_chat");
    const rate = await waitForText(tg, alice.id, RU.rateAsk, after);
    after = tg.calls.length;
    tg.sendCallbackQuery(alice, `rate:1:5`, { messageId: madeId(rate) });
    await waitForText(tg, alice.id, RU.rateThanks(stars(5)), after);
    after = tg.calls.length;
    tg.sendText(alice, "Спасибо!");
    await waitForText(tg, alice.id, RU.commentThanks, after);
    // A second ticket; a sticker comes with the name button.
    tg.sendText(alice, "Второй вопрос");
    await waitForText(tg, agent1.id, "Второй вопрос");
    tg.sendMedia(alice, "sticker");
    await settled(h);
    const copy = tg.sentTo(agent1.id).at(-1)!;
    assert.deepEqual(buttonsOf(copy), [{ text: `👤 ${NAME}`, data: `card:${alice.id}` }]);

    after = tg.calls.length;
    tg.sendCallbackQuery(agent1, buttonsOf(copy)[0].data, { messageId: madeId(copy) });
    const card = await cardShown(tg, agent1, after);
    const tickets = h.app.desk.store.ticketsOfClient(alice.id).length;
    assert.equal(tickets, 2);
    assert.equal(
      card,
      RU.card({
        name: NAME,
        telegramName: "Alice Smith",
        username: "alice",
        language: "ru",
        ticket: ticketNumber(2),
        tickets,
        lastRating: stars(5),
        phone: PHONE,
      }),
    );
    for (const part of [NAME, "Alice Smith", "@alice", ticketNumber(2), stars(5), PHONE]) {
      assert.ok(card.includes(part), `${part} on the card: ${card}`);
    }

    // An agent who never served her is refused, and so is the client herself.
    await registerAgent(tg, agent2);
    for (const who of [agent2, alice]) {
      after = tg.calls.length;
      tg.sendCallbackQuery(who, `card:${alice.id}`, { messageId: madeId(copy) });
      const answer = await tg.waitFor((calls) =>
        calls.slice(after).find((c) => c.method === "answerCallbackQuery")
      );
      assert.equal(answer.params.text, RU.buttonStale, who.first_name);
      await settled(h);
      assert.ok(
        !tg.calls.slice(after).some((c) => shownText(c).includes(PHONE)),
        `${who.first_name} sees no card`,
      );
    }
  }, { ASK_CONTACT: "true" }));
