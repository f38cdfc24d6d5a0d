/**
 * A department's own staff group (`DEPARTMENTS="billing=Оплата|Billing@-100…"`), through the
 * real bot in team mode against the emulator: that department's tickets get their topics
 * there, offered to its members only; a message of a group is matched to its client by
 * (group, topic), never by the topic alone (both groups' first topics have the same id); each
 * group has its board; a transfer to a department of another group moves the topic (the old
 * one says where and is closed, the new one opens with its card and the history so far); the
 * mapping survives a restart; the start checks each group; private mode refuses it.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../src/config/mod.ts";
import {
  type Harness,
  RU,
  settled,
  shownText,
  SUPPORT_TOKEN,
  waitForText,
  withHarness,
} from "./support/harness.ts";
import { type ApiCall, FakeTelegram, type FakeUser, user } from "./support/telegram.ts";
import { startRefusal, threadTexts, topicOf, waitInThread } from "./support/team.ts";

const main = user(3101, "Агент", { last_name: "Общий" });
const billing = user(3102, "Агент", { last_name: "Оплаты" });
const ivan = user(1301, "Иван", { language_code: "ru" });
const olga = user(1302, "Ольга", { language_code: "ru" });

/** The groups of a test: STAFF_CHAT_ID's and billing's own. */
interface Groups {
  staff: number;
  billingGroup: number;
}

/** A bot in team mode with billing in a group of its own; each member wrote in their group. */
function withGroups(fn: (h: Harness, g: Groups) => Promise<void>): Promise<void> {
  const g: Groups = { staff: 0, billingGroup: 0 };
  return withHarness(
    async (h) => {
      h.tg.sendGroupText(g.staff, main, "на месте");
      h.tg.sendGroupText(g.billingGroup, billing, "на месте");
      await settled(h);
      await fn(h, g);
    },
    { BOARD_INTERVAL_SECONDS: "1" },
    {
      prepare: (tg) => {
        g.staff = tg.createGroup({ title: "Support", members: [main] });
        g.billingGroup = tg.createGroup({ title: "Billing", members: [billing] });
        return {
          STAFF_CHAT_ID: String(g.staff),
          DEPARTMENTS: `billing=Оплата|Billing@${g.billingGroup},tech=Техника|Tech`,
        };
      },
    },
  );
}

/** The buttons of a bot message, flattened. */
function buttonsOf(call: ApiCall): { text: string; callback_data: string }[] {
  const markup = call.params.reply_markup as
    | { inline_keyboard: { text: string; callback_data: string }[][] }
    | undefined;
  return markup?.inline_keyboard.flat() ?? [];
}

/** What `chatId` was shown from call `after` on: texts and captions, of copies too. */
function received(tg: FakeTelegram, chatId: number, after: number): string[] {
  return tg.calls.slice(after).filter((c) =>
    c.ok && c.method !== "getUpdates" && Number(c.params.chat_id) === chatId
  ).map((c) => {
    if (c.method !== "copyMessage") return shownText(c);
    const copy = tg.messageIn(chatId, (c.result as { message_id: number }).message_id);
    return String(copy?.text ?? copy?.caption ?? "");
  });
}

/** Waits until `chatId` was shown `part` (a copy of a member's message, say). */
function gets(tg: FakeTelegram, chatId: number, part: string, after: number): Promise<unknown> {
  return tg.waitFor(() => received(tg, chatId, after).some((t) => t.includes(part)), {
    message: `${chatId} shown ${JSON.stringify(part)}`,
  });
}

/** The client writes, is asked for a department and presses `key`. */
async function picks(h: Harness, client: FakeUser, text: string, key: string): Promise<void> {
  const after = h.tg.calls.length;
  h.tg.sendText(client, text);
  const ask = await waitForText(h.tg, client.id, RU.routing.pickDepartment, after);
  const messageId = (ask.result as { message_id: number }).message_id;
  h.tg.sendCallbackQuery(client, `dept:${key}`, { messageId });
  await waitForText(
    h.tg,
    client.id,
    RU.routing.departmentPicked(key === "billing" ? "Оплата" : "Техника"),
    after,
  );
}

/** Waits for the line in `group`'s topic `thread` offering `number` to someone; returns it. */
function offerIn(h: Harness, group: number, thread: number, number: string): Promise<string> {
  return h.tg.waitFor(
    () => threadTexts(h.tg, group, thread).find((t) => t.includes(`возьмёте обращение ${number}`)),
    { message: `an offer of ${number} in ${group}/${thread}` },
  );
}

Deno.test("department group: its tickets' topics there, its members serve them, (group, topic) kept apart", async () => {
  await withGroups(async (h, { staff, billingGroup }) => {
    const { tg } = h;
    // Billing's member is in billing from writing in its group; the main member in none.
    assert.deepEqual(h.app.desk.store.getUser(billing.id)?.departments, ["billing"]);
    assert.deepEqual(h.app.desk.store.getUser(main.id)?.departments, []);

    await picks(h, ivan, "Вопрос по технике", "tech");
    const techThread = await topicOf(tg, staff, "Иван");
    assert.match(await offerIn(h, staff, techThread, "#T-000001"), /Агент Общий/);
    await waitInThread(tg, staff, techThread, "Вопрос по технике");

    // Billing's ticket: its topic in billing's group, offered to its member, though the main
    // member (in no department) is free and was seen first by the seed's order.
    await picks(h, olga, "Вопрос по оплате", "billing");
    const billingThread = await topicOf(tg, billingGroup, "Ольга");
    assert.match(await offerIn(h, billingGroup, billingThread, "#T-000002"), /Агент Оплаты/);
    await waitInThread(tg, billingGroup, billingThread, "Вопрос по оплате");
    assert.ok(
      !tg.topics(staff).some((t) => t.name.includes("Ольга")),
      "no topic in the main group",
    );
    assert.ok(!threadTexts(tg, billingGroup, billingThread).some((t) => t.includes("технике")));
    // Both groups' first topics have the same id: only the group tells them apart.
    assert.equal(billingThread, techThread);

    let after = tg.calls.length;
    tg.sendGroupText(billingGroup, billing, "Счёт пришлём сегодня", { threadId: billingThread });
    await gets(tg, olga.id, "Счёт пришлём сегодня", after);
    tg.sendGroupText(staff, main, "Перезагрузите роутер", { threadId: techThread });
    await gets(tg, ivan.id, "Перезагрузите роутер", after);
    await settled(h);
    assert.ok(!received(tg, ivan.id, after).some((t) => t.includes("Счёт")));
    assert.ok(!received(tg, olga.id, after).some((t) => t.includes("роутер")));
    const olgaTicket = h.app.desk.store.lastTicketOfClient(olga.id)!;
    assert.equal(olgaTicket.agentId, billing.id);

    // Each group has its board, with its own tickets.
    const boardOf = (chat: number) =>
      tg.waitFor(
        (calls) =>
          calls.findLast((c) =>
            c.ok && c.params.chat_id === chat && String(c.params.text ?? "").includes("Сводка")
          ),
        { timeoutMs: 8000, message: `the board of ${chat}` },
      );
    await tg.waitFor(
      (calls) =>
        calls.some((c) =>
          c.ok && c.params.chat_id === billingGroup &&
          /Сводка[\s\S]*В работе: 1/.test(String(c.params.text))
        ),
      { timeoutMs: 8000, message: "billing's board shows its open ticket" },
    );
    const billingBoard = String((await boardOf(billingGroup)).params.text);
    assert.match(billingBoard, /#T-000002 Ольга/);
    assert.doesNotMatch(billingBoard, /Иван/);
    const mainBoard = String((await boardOf(staff)).params.text);
    assert.doesNotMatch(mainBoard, /Ольга/);

    // /join of a department with its own group: its group decides.
    after = tg.calls.length;
    tg.sendGroupText(staff, main, "/join billing");
    await tg.waitFor(
      () =>
        tg.calls.slice(after).some((c) =>
          c.ok && c.params.chat_id === staff &&
          String(c.params.text).includes(RU.routing.ownGroup("Оплата"))
        ),
      { message: "the /join refusal" },
    );
    assert.deepEqual(h.app.desk.store.getUser(main.id)?.departments, []);

    // After a restart, the same (group, topic) still reaches the same client.
    await h.restart();
    after = tg.calls.length;
    tg.sendGroupText(billingGroup, billing, "Оплата прошла", { threadId: billingThread });
    await gets(tg, olga.id, "Оплата прошла", after);
    tg.sendText(ivan, "А ещё вопрос");
    await waitInThread(tg, staff, techThread, "А ещё вопрос");
    await settled(h);
    assert.ok(!threadTexts(tg, billingGroup, billingThread).some((t) => t.includes("А ещё")));
  });
});

Deno.test("department group: a transfer there moves the topic, with the history so far", async () => {
  await withGroups(async (h, { staff, billingGroup }) => {
    const { tg } = h;
    await picks(h, ivan, "Кажется, это про оплату", "tech");
    const old = await topicOf(tg, staff, "Иван");
    tg.sendGroupText(staff, main, "Сейчас посмотрю", { threadId: old });
    await waitInThread(tg, staff, old, RU.team.taken("#T-000001", "Агент Общий"));
    let after = tg.calls.length;
    tg.sendGroupText(staff, main, "/transfer", { threadId: old });
    const choose = await tg.waitFor(
      () =>
        tg.calls.slice(after).find((c) =>
          c.ok && c.params.chat_id === staff &&
          buttonsOf(c).some((b) => b.callback_data === "move:1:billing")
        ),
      { message: "the transfer buttons" },
    );
    after = tg.calls.length;
    tg.sendCallbackQuery(main, "move:1:billing", {
      chatId: staff,
      messageId: (choose.result as { message_id: number }).message_id,
    });
    // The old topic says where it went, and is closed.
    await waitInThread(tg, staff, old, RU.routing.movedToGroup("#T-000001", "Оплата"));
    await tg.waitFor(() => tg.topic(staff, old)!.closed === true, {
      message: "the old topic closed",
    });
    // The client is told; a topic opens in billing's group with the card, the history file,
    // and the offer to billing's member.
    await waitForText(
      tg,
      ivan.id,
      RU.routing.clientMovedToDepartment("#T-000001", "Оплата"),
      after,
    );
    const moved = await topicOf(tg, billingGroup, "Иван");
    assert.match(await offerIn(h, billingGroup, moved, "#T-000001"), /Агент Оплаты/);
    await waitInThread(tg, billingGroup, moved, "Отдел: Оплата");
    const file = await tg.waitForCall(
      "sendDocument",
      (c) => c.params.chat_id === billingGroup && c.params.message_thread_id === moved,
    );
    const text = new TextDecoder().decode(file.files.document.bytes);
    assert.match(text, /Кажется, это про оплату/);
    assert.match(text, /Сейчас посмотрю/);
    // The client's next message lands in the new topic, not the old one.
    tg.sendText(ivan, "Спасибо, жду");
    await waitInThread(tg, billingGroup, moved, "Спасибо, жду");
    assert.equal(h.app.desk.store.lastTicketOfClient(ivan.id)?.agentId, null);
    await settled(h);
    assert.ok(!threadTexts(tg, staff, old).some((t) => t.includes("Спасибо, жду")));
    // Billing's member answers there and takes it.
    after = tg.calls.length;
    tg.sendGroupText(billingGroup, billing, "Вижу платёж", { threadId: moved });
    await gets(tg, ivan.id, "Вижу платёж", after);
    assert.equal(h.app.desk.store.lastTicketOfClient(ivan.id)?.agentId, billing.id);
  });
});

Deno.test("department group: joining it makes an agent of it; leaving it, of it no more", async () => {
  await withGroups(async (h, { staff, billingGroup }) => {
    const { tg } = h;
    const store = h.app.desk.store;
    // The main member joins billing's group: an agent of billing from now, before writing.
    tg.setMember(billingGroup, main, "member");
    await settled(h);
    assert.deepEqual(store.getUser(main.id)?.departments, ["billing"]);
    // Billing's member, with Olga's ticket, leaves billing's group: Olga's ticket waits again,
    // they are no longer in billing, but still an agent (of the main group, where they are).
    await picks(h, olga, "Вопрос по оплате", "billing");
    const thread = await topicOf(tg, billingGroup, "Ольга");
    tg.sendGroupText(billingGroup, billing, "Смотрю", { threadId: thread });
    await waitInThread(tg, billingGroup, thread, RU.team.taken("#T-000001", "Агент Оплаты"));
    tg.setMember(billingGroup, billing, "left");
    // Billing's General says so (not the main group's).
    await tg.waitFor(
      (calls) =>
        calls.some((c) =>
          c.ok && c.params.chat_id === billingGroup && c.params.message_thread_id === undefined &&
          String(c.params.text ?? "").includes(RU.team.memberLeft("Агент Оплаты", 1))
        ),
      { message: "billing's General says who left" },
    );
    assert.deepEqual(store.getUser(billing.id)?.departments, []);
    assert.equal(store.getUser(billing.id)?.isAgent, true);
    assert.equal(store.lastTicketOfClient(olga.id)?.status, "queued");
    await settled(h);
    assert.ok(
      !tg.calls.some((c) =>
        c.params.chat_id === staff && String(c.params.text ?? "").includes("больше не в группе")
      ),
    );
  });
});

/** Starts a bot with these departments and returns the error its start threw ("started"). */
const refusal = startRefusal;

Deno.test("department group: the start checks it as the staff group, and follows its upgrade", async () => {
  const tg = await FakeTelegram.start();
  try {
    const staff = tg.createGroup({});
    const env = (group: number) => ({
      STAFF_CHAT_ID: String(staff),
      DEPARTMENTS: `billing=Оплата|Billing@${group},tech=Техника`,
    });
    const asMember = tg.createGroup({ bot: "member" });
    assert.match(
      await refusal(tg, env(asMember)),
      new RegExp(`^DEPARTMENTS billing ${asMember}: make the bot an administrator`),
    );
    const plain = tg.createGroup({ isForum: false });
    assert.match(
      await refusal(tg, env(plain)),
      /^DEPARTMENTS billing -100\d+ is not a group with topics/,
    );
    assert.match(await refusal(tg, env(-1009999999999)), /does not show the bot this chat/);
    assert.equal(await refusal(tg, env(tg.createGroup({}))), "started");
    const old = tg.createGroup({ basic: true });
    const upgraded = tg.migrateGroup(old);
    tg.setForum(upgraded, true);
    assert.equal(await refusal(tg, env(old)), "started");
  } finally {
    await tg.close();
  }
  // Private mode has no staff group: one line says so.
  assert.throws(
    () =>
      parseConfig({
        BOT_TOKEN: "1:a",
        SUPPORT_TOKEN,
        DEPARTMENTS: "billing=Оплата@-1001234567890",
      }),
    /DEPARTMENTS: billing names a staff group .* only team mode has/,
  );
});
