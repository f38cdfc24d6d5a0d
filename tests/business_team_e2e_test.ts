/**
 * Telegram Business end to end in team mode: a client who never started the bot writes to a
 * company's account; their topic's title and card say which account; their text and photo
 * reach the topic by content, a member's text, photo and album go back as the account; the
 * owner's message is shown in the topic; closing says nothing to the client as the bot, the
 * account asks for the rating and the client's press reaches the topic. The bot never writes
 * to them as itself.
 */
import assert from "node:assert/strict";
import { RU, settled } from "./support/harness.ts";
import { agent1 } from "./support/people.ts";
import { topicOf, waitInThread, withTeam } from "./support/team.ts";
import { accountTexts, ann, neverAsTheBot, owner, waitAsAccount } from "./support/business.ts";
import { stars, ticketNumber } from "../src/texts/mod.ts";

Deno.test("business in team mode: the topic says which account, answers go as the account", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const id = tg.connectBusiness(owner);
    tg.sendBusinessText(id, ann, "Do you ship abroad?");
    const thread = await topicOf(tg, staff, "Ann");
    await waitInThread(tg, staff, thread, "Do you ship abroad?");
    const topic = tg.topic(staff, thread)!;
    assert.match(topic.name, /🏢 Shop · Ann$/);
    await waitInThread(tg, staff, thread, RU.business.cardAccount("Shop"));
    // The board: the account is an inbox of its own.
    await tg.waitFor(
      () => tg.messagesInGeneral(staff).some((m) => String(m.text).includes("🏢 Shop")),
      { message: "the account on the board" },
    );

    // A member answers in the topic: the client gets it from the account.
    let after = tg.calls.length;
    const answer = tg.sendGroupText(staff, agent1, "Yes, everywhere", { threadId: thread });
    await waitAsAccount(tg, ann.id, (c) => c.params.text === "Yes, everywhere", "answer", after);
    // The member edits it: the client's message follows, as the account.
    after = tg.calls.length;
    tg.sendGroupEdit(staff, agent1, answer.message_id, { text: "Yes, everywhere in Europe" });
    await waitAsAccount(
      tg,
      ann.id,
      (c) => c.method === "editMessageText" && c.params.text === "Yes, everywhere in Europe",
      "the member's edit",
      after,
    );

    // Turned off: a member's answer waits; edited into a note meanwhile, it never goes.
    tg.changeBusiness(id, { enabled: false });
    await settled(h);
    after = tg.calls.length;
    const waiting = tg.sendGroupText(staff, agent1, "Price is 10", { threadId: thread });
    await waitInThread(tg, staff, thread, "⏸");
    tg.sendGroupEdit(staff, agent1, waiting.message_id, { text: "// Price is 10, check first" });
    await settled(h);
    tg.changeBusiness(id, { enabled: true });
    await settled(h);
    assert.ok(!accountTexts(tg, id, ann.id).some((t) => String(t).includes("Price is 10")));

    // A photo each way.
    after = tg.calls.length;
    tg.sendBusinessMedia(id, ann, "photo", { caption: "this one" });
    await waitInThread(tg, staff, thread, "this one");
    after = tg.calls.length;
    tg.sendGroupMedia(staff, agent1, "photo", { threadId: thread, caption: "in stock" });
    await waitAsAccount(tg, ann.id, (c) => c.method === "sendPhoto", "photo", after);

    // The client's album reaches the topic as one album; their edit follows there.
    after = tg.calls.length;
    tg.sendBusinessAlbum(id, ann, [{ kind: "photo", caption: "both" }, { kind: "photo" }]);
    await tg.waitFor(
      (calls) =>
        calls.slice(after).find((c) =>
          c.ok && c.method === "sendMediaGroup" && c.params.chat_id === staff &&
          (c.params.media as unknown[]).length === 2
        ),
      { message: "the client's album in the topic" },
    );
    const question = tg.businessMessagesIn(id, ann.id)[0].message_id as number;
    tg.sendBusinessEdit(id, ann.id, question, "Do you ship to Norway?");
    await waitInThread(tg, staff, thread, "Do you ship to Norway?");

    // A member's album goes back as one album.
    after = tg.calls.length;
    tg.sendGroupAlbum(staff, agent1, [{ kind: "photo", caption: "a" }, { kind: "photo" }], {
      threadId: thread,
    });
    const album = await waitAsAccount(
      tg,
      ann.id,
      (c) => c.method === "sendMediaGroup",
      "album",
      after,
    );
    assert.equal((album.params.media as unknown[]).length, 2);

    // The owner writes from their app: the topic sees it, the client gets no echo.
    tg.sendBusinessText(id, owner, "Shipping is free this week", { clientId: ann.id });
    await waitInThread(tg, staff, thread, "Shipping is free this week");

    // Closed by the member: nothing said to the client as the bot; the account asks for the
    // rating, and the client's press reaches the topic.
    const before = tg.calls.length;
    tg.sendGroupText(staff, agent1, "/close", { threadId: thread });
    const closing = await waitAsAccount(
      tg,
      ann.id,
      (c) => c.params.text === `${RU.business.closedNotice}\n\n${RU.rateAsk}`,
      "the rating asked as the account",
      before,
    );
    const markup = closing.params.reply_markup as {
      inline_keyboard: { callback_data: string }[][];
    };
    const message = (closing.result as { message_id: number }).message_id;
    tg.pressBusinessButton(id, ann, message, markup.inline_keyboard[0][4].callback_data);
    await waitInThread(tg, staff, thread, RU.agentRated("Ann", ticketNumber(1), stars(5)));
    await settled(h);
    assert.ok(!accountTexts(tg, id, ann.id).includes("Shipping is free this week"));
    neverAsTheBot(tg, ann.id);
  });
});
