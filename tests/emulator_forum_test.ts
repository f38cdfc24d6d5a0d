/**
 * Self-test of the emulator's groups and forum topics (tools/emulator/groups.ts, forum.ts,
 * team.ts), driven over real HTTP by grammY's `Api` and raw `fetch`: the chat and member
 * methods, the topic methods and their errors, `message_thread_id` on every send, pins,
 * deletes, members' messages and privacy mode, the upgrade of a basic group, and the flood
 * limit of a group.
 */

import assert from "node:assert/strict";
import { Bot, GrammyError, InputFile } from "grammy";
import type { Message, Update } from "grammy/types";
import { FakeTelegram, user } from "./support/telegram.ts";

const owner = user(7, "Olga", { username: "olga" });
const agent = user(8, "Abe");
const member = user(9, "Mia");
const client = user(42, "Ann");

function botFor(tg: FakeTelegram): Bot {
  return new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
}

async function raw(
  tg: FakeTelegram,
  method: string,
  body: Record<string, unknown>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${tg.apiRoot}/bot${tg.token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

/** Asserts that `call` is refused with `code` and exactly `description`. */
async function refused(call: Promise<unknown>, code: number, description: string): Promise<void> {
  await assert.rejects(call, (e: unknown) => {
    assert.ok(e instanceof GrammyError, String(e));
    assert.equal(e.error_code, code);
    assert.equal(e.description, description);
    return true;
  });
}

/** A forum with the owner, an agent (admin) and a member; the bot administers it. */
function team(tg: FakeTelegram, options: Parameters<FakeTelegram["createGroup"]>[0] = {}): number {
  return tg.createGroup({
    title: "Support team",
    creator: owner,
    admins: [agent],
    members: [member],
    ...options,
  });
}

/** The messages of the updates queued now (confirming them). */
async function pushedMessages(bot: Bot, offset = 0): Promise<Message[]> {
  const updates: Update[] = await bot.api.getUpdates({ offset, timeout: 0 });
  return updates.flatMap((u) => (u.message ? [u.message] : []));
}

Deno.test("createGroup: supergroup and basic group ids, getChat, chat objects, getMe", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const forum = team(tg);
  const plain = tg.createGroup({ title: "Plain", isForum: false });
  const basic = tg.createGroup({ title: "Small", basic: true });
  assert.match(String(forum), /^-100\d{10}$/);
  assert.match(String(plain), /^-100\d{10}$/);
  assert.match(String(basic), /^-4\d{8}$/);
  assert.notEqual(forum, plain);
  assert.throws(() => tg.createGroup({ id: -1001234567890, basic: true }), /not the id/);

  const chat = await bot.api.getChat(forum);
  assert.equal(chat.id, forum);
  assert.equal(chat.type, "supergroup");
  assert.equal(chat.title, "Support team");
  assert.equal(chat.is_forum, true);
  assert.equal(chat.accent_color_id, 0);
  assert.equal(chat.permissions?.can_manage_topics, false);
  assert.equal(chat.pinned_message, undefined);
  assert.equal((await bot.api.getChat(plain)).is_forum, undefined);
  const small = await bot.api.getChat(basic);
  assert.equal(small.type, "group");
  assert.equal(small.title, "Small");

  await refused(bot.api.getChat(-1009999999999), 400, "Bad Request: chat not found");
  await refused(bot.api.getChat(client.id), 400, "Bad Request: chat not found");
  tg.sendText(client, "hi");
  const privateChat = await bot.api.getChat(client.id);
  assert.equal(privateChat.type, "private");
  assert.equal(privateChat.first_name, "Ann");

  // The chat object of the bot's messages names the group as Telegram does.
  const sent = await bot.api.sendMessage(forum, "hello team");
  assert.deepEqual(sent.chat, {
    id: forum,
    type: "supergroup",
    title: "Support team",
    is_forum: true,
  });
  assert.equal(sent.message_thread_id, undefined, "the General topic has no thread");
  assert.equal(sent.is_topic_message, undefined);

  // Privacy mode is on by default, as BotFather sets it.
  assert.equal((await bot.api.getMe()).can_read_all_group_messages, false);
  tg.setPrivacyMode(false);
  assert.equal((await bot.api.getMe()).can_read_all_group_messages, true);
});

Deno.test("getChatMember and getChatAdministrators: ChatMember objects, the bot with its rights", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const forum = team(tg, { botRights: { can_promote_members: true } });
  tg.sendText(client, "I am known");

  const creator = await bot.api.getChatMember(forum, owner.id);
  assert.deepEqual(creator, {
    user: { id: 7, is_bot: false, first_name: "Olga", username: "olga" },
    status: "creator",
    is_anonymous: false,
  });
  const admin = await bot.api.getChatMember(forum, agent.id);
  assert.equal(admin.status, "administrator");
  assert.ok(admin.status === "administrator");
  assert.equal(admin.can_manage_topics, true);
  assert.equal(admin.can_delete_messages, true);
  assert.equal(admin.can_be_edited, false);
  assert.deepEqual(await bot.api.getChatMember(forum, member.id), {
    user: { id: 9, is_bot: false, first_name: "Mia" },
    status: "member",
  });
  // A user the bot knows who is not in the group has left it, as far as Telegram says.
  assert.deepEqual(await bot.api.getChatMember(forum, client.id), {
    user: { id: 42, is_bot: false, first_name: "Ann" },
    status: "left",
  });
  await refused(bot.api.getChatMember(forum, 5555), 400, "Bad Request: user not found");

  const me = await bot.api.getChatMember(forum, tg.botUser.id);
  assert.equal(me.user.id, tg.botUser.id);
  assert.equal(me.user.is_bot, true);
  assert.ok(me.status === "administrator");
  assert.equal(me.can_manage_topics, true);
  assert.equal(me.can_pin_messages, true);
  assert.equal(me.can_delete_messages, true);
  assert.equal(me.can_promote_members, true, "botRights apply");
  assert.equal(me.can_post_stories, false);
  assert.equal(me.is_anonymous, false);

  const admins = await bot.api.getChatAdministrators(forum);
  assert.deepEqual(admins.map((m) => [m.user.id, m.status]), [
    [owner.id, "creator"],
    [agent.id, "administrator"],
    [tg.botUser.id, "administrator"],
  ]);

  tg.setBotMembership(forum, "member");
  const plainBot = await bot.api.getChatMember(forum, tg.botUser.id);
  assert.equal(plainBot.status, "member");
  assert.equal((await bot.api.getChatAdministrators(forum)).length, 2);

  tg.setMember(forum, member, "administrator", { can_manage_topics: false });
  const promoted = await bot.api.getChatMember(forum, member.id);
  assert.ok(promoted.status === "administrator");
  assert.equal(promoted.can_manage_topics, false);
  tg.setMember(forum, member, "kicked");
  assert.equal((await bot.api.getChatMember(forum, member.id)).status, "kicked");

  // A basic group has no topics to manage: the right is not shown.
  const basic = tg.createGroup({ basic: true, creator: owner });
  const inBasic = await bot.api.getChatMember(basic, tg.botUser.id);
  assert.ok(inBasic.status === "administrator");
  assert.equal(inBasic.can_manage_topics, undefined);
  assert.equal(inBasic.can_pin_messages, true);

  await refused(
    bot.api.getChatAdministrators(client.id),
    400,
    "Bad Request: there are no administrators in the private chat",
  );
  await refused(bot.api.getChatAdministrators(-1001111111111), 400, "Bad Request: chat not found");
});

Deno.test("a group the bot is not in: 403 as the Bot API server says it", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const forum = team(tg, { bot: "absent" });
  const notMember = "Forbidden: bot is not a member of the supergroup chat";
  await refused(bot.api.sendMessage(forum, "x"), 403, notMember);
  await refused(bot.api.getChat(forum), 403, notMember);
  await refused(bot.api.createForumTopic(forum, "t"), 403, notMember);

  tg.setBotMembership(forum, "kicked");
  await refused(
    bot.api.sendMessage(forum, "x"),
    403,
    "Forbidden: bot was kicked from the supergroup chat",
  );
  tg.setBotMembership(forum, "member");
  assert.equal((await bot.api.sendMessage(forum, "back")).chat.id, forum);

  // A basic group still describes itself to a bot that left, but takes nothing from it.
  const basic = tg.createGroup({ basic: true, creator: owner, bot: "absent" });
  assert.equal((await bot.api.getChat(basic)).type, "group");
  await refused(
    bot.api.sendMessage(basic, "x"),
    403,
    "Forbidden: bot is not a member of the group chat",
  );
  tg.setBotMembership(basic, "kicked");
  await refused(
    bot.api.sendMessage(basic, "x"),
    403,
    "Forbidden: bot was kicked from the group chat",
  );

  // Messages of members don't reach a bot that is not there; my_chat_member told it it left.
  tg.setBotMembership(forum, "absent");
  const written = tg.sendGroupText(forum, agent, "/take");
  assert.equal(written.delivered, false);
  assert.equal(tg.messageIn(forum, written.message_id)?.text, "/take");
  const updates = await bot.api.getUpdates();
  const changes = updates.flatMap((u) => (u.my_chat_member ? [u.my_chat_member] : []));
  assert.deepEqual(
    changes.map((c) => [c.old_chat_member.status, c.new_chat_member.status]),
    [["left", "kicked"], ["kicked", "member"], ["left", "kicked"], ["member", "left"]],
  );
  assert.ok(updates.every((u) => u.message?.message_id !== written.message_id));
});

Deno.test("createForumTopic: the topic, its service message pushed, and Telegram's refusals", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const forum = team(tg);
  const topic = await bot.api.createForumTopic(forum, "Ann #42", { icon_color: 0xFF93B2 });
  assert.equal(topic.name, "Ann #42");
  assert.equal(topic.icon_color, 0xFF93B2);
  assert.equal(typeof topic.message_thread_id, "number");
  const [created] = await pushedMessages(bot);
  assert.equal(created.message_id, topic.message_thread_id, "a topic's id is its first message");
  assert.equal(created.message_thread_id, topic.message_thread_id);
  assert.equal(created.is_topic_message, true);
  assert.equal(created.from?.id, tg.botUser.id);
  assert.equal(created.chat.id, forum);
  assert.deepEqual(created.forum_topic_created, { name: "Ann #42", icon_color: 0xFF93B2 });
  assert.deepEqual(tg.topics(forum), [{
    threadId: topic.message_thread_id,
    name: "Ann #42",
    iconColor: 0xFF93B2,
    closed: false,
    deleted: false,
    createdBy: tg.botUser.id,
  }]);

  const plain = await bot.api.createForumTopic(forum, "Bob", {
    icon_custom_emoji_id: "5312536423851630001",
  });
  assert.equal(plain.icon_color, 0x6FB9F0, "the first documented color by default");
  assert.equal(plain.icon_custom_emoji_id, "5312536423851630001");
  assert.equal(plain.message_thread_id, topic.message_thread_id + 1);

  // Names: 1–128 characters (code points, so an emoji is one), longer ones cut, as TDLib does.
  const long = await bot.api.createForumTopic(forum, "😀".repeat(130));
  assert.equal([...long.name].length, 128);
  assert.equal((await bot.api.createForumTopic(forum, "x".repeat(128))).name.length, 128);
  await refused(bot.api.createForumTopic(forum, ""), 400, "Bad Request: title must be non-empty");
  await refused(
    bot.api.createForumTopic(forum, "   "),
    400,
    "Bad Request: title must be non-empty",
  );
  await refused(
    bot.api.createForumTopic(forum, "x", { icon_color: 0x1000000 as never }),
    400,
    "Bad Request: invalid icon color specified",
  );

  const plainGroup = tg.createGroup({ isForum: false });
  await refused(
    bot.api.createForumTopic(plainGroup, "x"),
    400,
    "Bad Request: the chat is not a forum",
  );
  const basic = tg.createGroup({ basic: true });
  await refused(bot.api.createForumTopic(basic, "x"), 400, "Bad Request: the chat is not a forum");
  tg.sendText(client, "hi");
  await refused(
    bot.api.createForumTopic(client.id, "x"),
    400,
    "Bad Request: the chat is not a forum",
  );
  await refused(
    bot.api.createForumTopic(-1002999999999, "x"),
    400,
    "Bad Request: chat not found",
  );
  tg.setForum(plainGroup, true);
  assert.equal((await bot.api.createForumTopic(plainGroup, "now it is")).name, "now it is");

  const noRights = team(tg, { botRights: { can_manage_topics: false } });
  await refused(
    bot.api.createForumTopic(noRights, "x"),
    400,
    "Bad Request: not enough rights to create a topic",
  );
  const asMember = team(tg, { bot: "member" });
  await refused(
    bot.api.createForumTopic(asMember, "x"),
    400,
    "Bad Request: not enough rights to create a topic",
  );
  assert.equal(tg.topics(noRights).length, 0);
});

Deno.test("editForumTopic, closeForumTopic, reopenForumTopic: service messages, not modified, rights", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const forum = team(tg);
  const { message_thread_id: thread } = await bot.api.createForumTopic(forum, "Ann");

  assert.equal(await bot.api.editForumTopic(forum, thread, { name: "Ann (VIP)" }), true);
  assert.equal(tg.topic(forum, thread)?.name, "Ann (VIP)");
  await refused(
    bot.api.editForumTopic(forum, thread, { name: "Ann (VIP)" }),
    400,
    "Bad Request: TOPIC_NOT_MODIFIED",
  );
  await bot.api.editForumTopic(forum, thread, { icon_custom_emoji_id: "5417915203100613993" });
  assert.equal(tg.topic(forum, thread)?.iconCustomEmojiId, "5417915203100613993");
  await refused(
    bot.api.editForumTopic(forum, thread, { icon_custom_emoji_id: "5417915203100613993" }),
    400,
    "Bad Request: TOPIC_NOT_MODIFIED",
  );
  assert.equal(await bot.api.editForumTopic(forum, thread, {}), true, "nothing to edit");

  assert.equal(await bot.api.closeForumTopic(forum, thread), true);
  assert.equal(tg.topic(forum, thread)?.closed, true);
  await refused(bot.api.closeForumTopic(forum, thread), 400, "Bad Request: TOPIC_NOT_MODIFIED");
  assert.equal(await bot.api.reopenForumTopic(forum, thread), true);
  assert.equal(tg.topic(forum, thread)?.closed, false);
  await refused(bot.api.reopenForumTopic(forum, thread), 400, "Bad Request: TOPIC_NOT_MODIFIED");

  const service = (await pushedMessages(bot)).slice(1);
  assert.deepEqual(
    service.map((m) => [
      m.message_thread_id,
      m.is_topic_message,
      m.reply_to_message?.message_id,
      m.forum_topic_edited ?? m.forum_topic_closed ?? m.forum_topic_reopened,
    ]),
    [
      [thread, true, thread, { name: "Ann (VIP)" }],
      [thread, true, thread, { icon_custom_emoji_id: "5417915203100613993" }],
      [thread, true, thread, {}],
      [thread, true, thread, {}],
    ],
  );
  assert.ok(service[2].forum_topic_closed && service[3].forum_topic_reopened);

  await refused(
    bot.api.editForumTopic(forum, 987654, { name: "x" }),
    400,
    "Bad Request: TOPIC_ID_INVALID",
  );
  const missing = await raw(tg, "closeForumTopic", { chat_id: forum });
  assert.equal(
    missing.json.description,
    "Bad Request: invalid message thread identifier specified",
  );
  await refused(
    bot.api.editForumTopic(forum, thread, { name: "  " }),
    400,
    "Bad Request: title must be non-empty",
  );

  // Without can_manage_topics the bot still manages the topics it made, not the team's.
  const theirs = tg.createTopic(forum, agent, "Agent's notes");
  assert.equal(tg.topic(forum, theirs)?.createdBy, agent.id);
  tg.setBotMembership(forum, "administrator", {
    can_manage_topics: false,
    can_delete_messages: false,
  });
  await bot.api.editForumTopic(forum, thread, { name: "Ann again" });
  await bot.api.closeForumTopic(forum, thread);
  await refused(
    bot.api.editForumTopic(forum, theirs, { name: "mine now" }),
    400,
    "Bad Request: not enough rights to edit the topic",
  );
  await refused(
    bot.api.closeForumTopic(forum, theirs),
    400,
    "Bad Request: not enough rights to close or open the topic",
  );
  await refused(
    bot.api.deleteForumTopic(forum, theirs),
    400,
    "Bad Request: not enough rights to delete the topic",
  );
  // ...and may not write into its own closed topic without the right.
  await refused(
    bot.api.sendMessage(forum, "late", { message_thread_id: thread }),
    400,
    "Bad Request: TOPIC_CLOSED",
  );
});

Deno.test("message_thread_id on every send: results, copies, albums, media, thread not found", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const forum = team(tg);
  const { message_thread_id: thread } = await bot.api.createForumTopic(forum, "Ann");
  const inTopic = { message_thread_id: thread };
  const fromAnn = tg.sendText(client, "my printer is on fire");
  const photo = tg.sendMedia(client, "photo", { caption: "see" });
  const album = tg.sendAlbum(client, [{ kind: "photo" }, { kind: "video" }]);

  const text = await bot.api.sendMessage(forum, "👤 Ann: new ticket", inTopic);
  const doc = await bot.api.sendDocument(
    forum,
    new InputFile(new TextEncoder().encode("log"), "log.txt"),
    inTopic,
  );
  const pic = await bot.api.sendPhoto(forum, "some-file-id", inTopic);
  const where = await bot.api.sendLocation(forum, 1, 2, inTopic);
  const card = await bot.api.sendContact(forum, "+1555", "Ann", inTopic);
  const forwarded = await bot.api.forwardMessage(forum, client.id, fromAnn.message_id, inTopic);
  assert.equal(forwarded.forward_origin?.type, "user");
  const sent = [text, doc, pic, where, card, forwarded];
  for (const m of sent) {
    assert.equal(m.message_thread_id, thread, JSON.stringify(m));
    assert.equal(m.is_topic_message, true);
    assert.equal(m.reply_to_message?.message_id, thread, "implicitly replies to the topic");
    assert.ok(m.reply_to_message?.forum_topic_created);
  }
  const copy = await bot.api.copyMessage(forum, client.id, photo.message_id, inTopic);
  const copies = await bot.api.copyMessages(
    forum,
    client.id,
    album.map((p) => p.message_id),
    inTopic,
  );
  const parts: Message[] = await bot.api.sendMediaGroup(forum, [
    { type: "photo", media: "p1" },
    { type: "photo", media: "p2" },
  ], inTopic);
  for (const id of [copy, ...copies].map((c) => c.message_id)) {
    const kept = tg.messageIn(forum, id);
    assert.equal(kept?.message_thread_id, thread);
    assert.equal(kept?.is_topic_message, true);
  }
  assert.equal(tg.messageIn(forum, copy.message_id)?.caption, "see");
  assert.ok(parts.every((p) => p.message_thread_id === thread && p.is_topic_message));
  assert.equal(parts[0].media_group_id, parts[1].media_group_id);

  // A forward out of the topic leaves the topic behind.
  const out = await bot.api.forwardMessage(client.id, forum, text.message_id);
  assert.equal(out.message_thread_id, undefined);
  assert.equal(out.is_topic_message, undefined);
  assert.equal(out.reply_to_message, undefined);
  assert.equal(out.text, "👤 Ann: new ticket");

  // An explicit reply in the topic keeps its target.
  const answer = await bot.api.sendMessage(forum, "on it", {
    ...inTopic,
    reply_parameters: { message_id: text.message_id },
  });
  assert.equal(answer.reply_to_message?.message_id, text.message_id);
  assert.equal(answer.reply_to_message?.reply_to_message, undefined, "one level, as documented");
  // A reply without message_thread_id goes into its target's topic.
  const inferred = await bot.api.sendMessage(forum, "still here", {
    reply_parameters: { message_id: text.message_id },
  });
  assert.equal(inferred.message_thread_id, thread);
  assert.equal(inferred.reply_to_message?.message_id, text.message_id);

  // What the team sees in the topic, in order, the creation message first.
  const seen = tg.messagesInThread(forum, thread).map((m) => m.message_id);
  assert.deepEqual(seen, [
    thread,
    ...sent.map((m) => m.message_id),
    copy.message_id,
    ...copies.map((c) => c.message_id),
    ...parts.map((p) => p.message_id),
    answer.message_id,
    inferred.message_id,
  ]);

  // A send into the General topic stays out of the thread.
  const general = await bot.api.sendMessage(forum, "to everyone");
  assert.equal(general.message_thread_id, undefined);
  assert.equal(tg.messagesInThread(forum, thread).length, seen.length);

  const notFound = "Bad Request: message thread not found";
  await refused(bot.api.sendMessage(forum, "x", { message_thread_id: 4242 }), 400, notFound);
  await refused(bot.api.sendMessage(forum, "x", { message_thread_id: 1 }), 400, notFound);
  await refused(
    bot.api.copyMessage(forum, client.id, fromAnn.message_id, { message_thread_id: 4242 }),
    400,
    notFound,
  );
  await refused(
    bot.api.sendMediaGroup(forum, [{ type: "photo", media: "a" }, { type: "photo", media: "b" }], {
      message_thread_id: 4242,
    }),
    400,
    notFound,
  );
  await refused(
    bot.api.sendChatAction(forum, "typing", { message_thread_id: 4242 }),
    400,
    notFound,
  );
  assert.equal(await bot.api.sendChatAction(forum, "typing", inTopic), true);

  // Outside a forum the parameter is ignored, as the server does.
  const plain = tg.createGroup({ isForum: false });
  const there = await bot.api.sendMessage(plain, "x", { message_thread_id: 4242 });
  assert.equal(there.message_thread_id, undefined);
});

Deno.test("deleteForumTopic: the topic's messages go, and sends into it answer thread not found", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const forum = team(tg);
  const { message_thread_id: thread } = await bot.api.createForumTopic(forum, "Ann");
  const first = await bot.api.sendMessage(forum, "hello", { message_thread_id: thread });
  const written = tg.sendGroupText(forum, agent, "internal note", { threadId: thread });
  await bot.api.pinChatMessage(forum, first.message_id);
  const other = await bot.api.createForumTopic(forum, "Bob");

  assert.equal(await bot.api.deleteForumTopic(forum, thread), true);
  assert.equal(tg.topic(forum, thread)?.deleted, true);
  assert.equal(tg.messageIn(forum, first.message_id), undefined);
  assert.equal(tg.messageIn(forum, written.message_id), undefined);
  assert.equal(tg.messageIn(forum, thread), undefined);
  assert.deepEqual(tg.messagesInThread(forum, thread), []);
  assert.deepEqual(tg.pinnedIn(forum), []);

  const notFound = "Bad Request: message thread not found";
  await refused(bot.api.sendMessage(forum, "x", { message_thread_id: thread }), 400, notFound);
  tg.sendText(client, "hi");
  await refused(
    bot.api.copyMessage(forum, client.id, 1, { message_thread_id: thread }),
    400,
    notFound,
  );
  await refused(bot.api.deleteForumTopic(forum, thread), 400, "Bad Request: TOPIC_ID_INVALID");
  await refused(bot.api.reopenForumTopic(forum, thread), 400, "Bad Request: TOPIC_ID_INVALID");
  assert.throws(() => tg.sendGroupText(forum, agent, "x", { threadId: thread }), /no topic/);
  // The other topic lives on.
  const still = await bot.api.sendMessage(forum, "fine", {
    message_thread_id: other.message_thread_id,
  });
  assert.equal(still.message_thread_id, other.message_thread_id);
});

Deno.test("pins per chat and per topic, getChat's pinned_message, unpins and their rights", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const forum = team(tg);
  const { message_thread_id: thread } = await bot.api.createForumTopic(forum, "Ann");
  const card = await bot.api.sendMessage(forum, "ticket card", { message_thread_id: thread });
  const note = await bot.api.sendMessage(forum, "rules for everyone");

  assert.equal(await bot.api.pinChatMessage(forum, card.message_id), true);
  await bot.api.pinChatMessage(forum, note.message_id, { disable_notification: true });
  assert.deepEqual(tg.pinnedIn(forum), [note.message_id, card.message_id]);
  assert.deepEqual(tg.pinnedIn(forum, thread), [card.message_id]);
  assert.equal((await bot.api.getChat(forum)).pinned_message?.message_id, note.message_id);
  // The pin is told in the topic, as a service message.
  const pinService = tg.messagesInThread(forum, thread).at(-1) as Record<string, unknown>;
  assert.equal((pinService.pinned_message as Message).message_id, card.message_id);
  assert.equal((pinService.pinned_message as Message).reply_to_message, undefined);

  await refused(
    bot.api.pinChatMessage(forum, 999_999),
    400,
    "Bad Request: message to pin not found",
  );
  assert.equal(await bot.api.unpinChatMessage(forum), true, "the most recent one");
  assert.deepEqual(tg.pinnedIn(forum), [card.message_id]);
  assert.equal(await bot.api.unpinAllForumTopicMessages(forum, thread), true);
  assert.deepEqual(tg.pinnedIn(forum), []);
  await refused(bot.api.unpinChatMessage(forum), 400, "Bad Request: message to unpin not found");
  await bot.api.pinChatMessage(forum, card.message_id);
  await bot.api.unpinChatMessage(forum, card.message_id);
  assert.deepEqual(tg.pinnedIn(forum, thread), []);
  await bot.api.pinChatMessage(forum, card.message_id);
  assert.equal(await bot.api.unpinAllChatMessages(forum), true);
  assert.deepEqual(tg.pinnedIn(forum), []);

  const rights = "Bad Request: not enough rights to manage pinned messages in the chat";
  tg.setBotMembership(forum, "administrator", { can_pin_messages: false });
  await refused(bot.api.pinChatMessage(forum, card.message_id), 400, rights);
  await refused(bot.api.unpinAllForumTopicMessages(forum, thread), 400, rights);
  tg.setBotMembership(forum, "member");
  await refused(bot.api.pinChatMessage(forum, card.message_id), 400, rights);

  // A private chat: the bot pins freely.
  const fromAnn = tg.sendText(client, "pin me");
  await bot.api.pinChatMessage(client.id, fromAnn.message_id);
  assert.deepEqual(tg.pinnedIn(client.id), [fromAnn.message_id]);
});

Deno.test("deleteMessage in a group: own messages, others' with can_delete_messages", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const forum = team(tg, { botRights: { can_delete_messages: false } });
  const mine = await bot.api.sendMessage(forum, "oops");
  const theirs = tg.sendGroupText(forum, agent, "spam");
  assert.equal(await bot.api.deleteMessage(forum, mine.message_id), true);
  assert.equal(tg.messageIn(forum, mine.message_id), undefined);
  await refused(
    bot.api.deleteMessage(forum, mine.message_id),
    400,
    "Bad Request: message to delete not found",
  );
  await refused(
    bot.api.deleteMessage(forum, theirs.message_id),
    400,
    "Bad Request: message can't be deleted",
  );
  assert.equal(tg.messageIn(forum, theirs.message_id)?.text, "spam");
  tg.setBotMembership(forum, "administrator");
  assert.equal(await bot.api.deleteMessage(forum, theirs.message_id), true);
  assert.equal(tg.messageIn(forum, theirs.message_id), undefined);
});

Deno.test("members write: topics, replies, commands, media and albums, as Telegram delivers them", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const forum = team(tg);
  const { message_thread_id: thread } = await bot.api.createForumTopic(forum, "Ann");
  const card = await bot.api.sendMessage(forum, "card", { message_thread_id: thread });

  const take = tg.sendGroupText(forum, agent, "/take@test_desk_bot", { threadId: thread });
  assert.equal(take.delivered, true);
  assert.deepEqual(take.message.entities, [{ type: "bot_command", offset: 0, length: 19 }]);
  assert.equal(take.message.message_thread_id, thread);
  assert.equal(take.message.is_topic_message, true);
  assert.equal(take.message.reply_to_message?.message_id, thread);
  assert.equal(take.message.chat.id, forum);
  assert.equal(take.message.from?.id, agent.id);
  // Message ids of a group are one sequence, whoever writes.
  assert.equal(take.message_id, card.message_id + 1);

  const reply = tg.sendGroupText(forum, agent, "answer to the client", {
    replyTo: card.message_id,
  });
  assert.equal(reply.message.reply_to_message?.message_id, card.message_id);
  assert.equal(reply.message.reply_to_message?.reply_to_message, undefined);
  assert.equal(reply.message.message_thread_id, thread, "a reply goes to its target's topic");

  const general = tg.sendGroupText(forum, member, "lunch?");
  assert.equal(general.message.message_thread_id, undefined);
  assert.equal(general.message.is_topic_message, undefined);
  assert.equal(general.message.reply_to_message, undefined);

  const doc = tg.sendGroupMedia(forum, agent, "document", {
    threadId: thread,
    fileName: "invoice.pdf",
    caption: "/send",
  });
  assert.equal(doc.message.document?.file_name, "invoice.pdf");
  assert.deepEqual(doc.message.caption_entities, [{ type: "bot_command", offset: 0, length: 5 }]);
  const album = tg.sendGroupAlbum(forum, agent, [{ kind: "photo", caption: "a" }, {
    kind: "photo",
  }], { threadId: thread });
  assert.equal(album[0].message.media_group_id, album[1].message.media_group_id);
  assert.ok(album.every((p) => p.message.message_thread_id === thread));
  assert.equal(album[1].message_id, album[0].message_id + 1);

  const got = await pushedMessages(bot);
  assert.deepEqual(
    got.map((m) => m.message_id),
    [thread, take, reply, general, doc, ...album].map((m) =>
      typeof m === "number" ? m : m.message_id
    ),
    "the bot (an administrator) gets everything",
  );
  assert.deepEqual(
    tg.messagesInThread(forum, thread).map((m) => m.message_id),
    [thread, card.message_id, take.message_id, reply.message_id, doc.message_id].concat(
      album.map((p) => p.message_id),
    ),
  );
  assert.throws(() => tg.sendGroupText(forum, client, "hi"), /not a member/);
  // A button on the bot's card in the topic, pressed by an agent.
  const press = tg.sendCallbackQuery(agent, "take:1", {
    messageId: card.message_id,
    chatId: forum,
  });
  const [query] = (await bot.api.getUpdates({ offset: press.update_id }))
    .flatMap((u) => (u.callback_query ? [u.callback_query] : []));
  assert.equal(query.from.id, agent.id);
  assert.equal(query.message?.chat.id, forum);
  assert.equal((query.message as Message).message_thread_id, thread);
});

Deno.test("privacy mode: what a bot that is not an administrator gets", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const forum = team(tg, { bot: "member" });
  const mine = await bot.api.sendMessage(forum, "I am the bot");

  const chatter = tg.sendGroupText(forum, agent, "just talking");
  const command = tg.sendGroupText(forum, agent, "/take");
  const addressed = tg.sendGroupText(forum, agent, "/take@test_desk_bot");
  const other = tg.sendGroupText(forum, agent, "/take@other_bot");
  const reply = tg.sendGroupText(forum, agent, "yes, bot", { replyTo: mine.message_id });
  const replyToHuman = tg.sendGroupText(forum, member, "yes, Abe", {
    replyTo: chatter.message_id,
  });
  const photo = tg.sendGroupMedia(forum, agent, "photo");
  assert.deepEqual(
    [chatter, command, addressed, other, reply, replyToHuman, photo].map((m) => m.delivered),
    [false, true, true, false, true, false, false],
  );
  assert.equal(chatter.update_id, undefined);
  assert.equal(tg.messageIn(forum, chatter.message_id)?.text, "just talking", "kept anyway");
  assert.deepEqual(
    (await pushedMessages(bot)).map((m) => m.text),
    ["/take", "/take@test_desk_bot", "yes, bot"],
  );

  // In a topic the bot made, a member's message implicitly replies to the bot's creation
  // message: that is no reply to the bot.
  tg.setBotMembership(forum, "administrator");
  const { message_thread_id: thread } = await bot.api.createForumTopic(forum, "Ann");
  tg.setBotMembership(forum, "member");
  const inTopic = tg.sendGroupText(forum, agent, "about Ann", { threadId: thread });
  assert.equal(inTopic.message.reply_to_message?.message_id, thread);
  assert.equal(inTopic.delivered, false);
  await bot.api.closeForumTopic(forum, thread);
  assert.throws(() => tg.sendGroupText(forum, member, "late", { threadId: thread }), /closed/);
  assert.equal(tg.sendGroupText(forum, agent, "staff may", { threadId: thread }).delivered, false);

  // An edit reaches the bot as the message would.
  await bot.api.reopenForumTopic(forum, thread);
  const card = await bot.api.sendMessage(forum, "card", { message_thread_id: thread });
  const answerToBot = tg.sendGroupText(forum, agent, "draft", { replyTo: card.message_id });
  assert.equal(answerToBot.delivered, true, "an explicit reply to the bot in a topic");
  assert.equal(
    typeof tg.sendGroupEdit(forum, agent, answerToBot.message_id, { text: "final" }),
    "number",
  );
  assert.equal(tg.messageIn(forum, answerToBot.message_id)?.text, "final");
  assert.equal(tg.sendGroupEdit(forum, agent, inTopic.message_id, { text: "edited" }), undefined);
  assert.equal(tg.messageIn(forum, inTopic.message_id)?.text, "edited");
  assert.throws(() => tg.sendGroupEdit(forum, member, answerToBot.message_id, { text: "x" }));

  // Service messages always come through.
  tg.setMember(forum, member, "left");
  const left = await pushedMessages(bot, 4);
  assert.equal(left.at(-1)?.left_chat_member?.id, member.id);
  assert.ok(left.every((m) => m.text !== "about Ann" && m.text !== "staff may"));
  assert.ok(left.some((m) => m.text === "draft"));

  tg.setPrivacyMode(false);
  assert.equal(tg.sendGroupText(forum, agent, "now I hear you").delivered, true);
  tg.setPrivacyMode(true);
  tg.setBotMembership(forum, "administrator");
  assert.equal(tg.sendGroupText(forum, agent, "admins hear everything").delivered, true);
});

Deno.test("setMember: chat_member updates only when allowed, and the service messages", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const forum = team(tg);
  tg.setMember(forum, member, "left");
  const first = await bot.api.getUpdates();
  assert.equal(first.some((u) => u.chat_member), false, "not delivered unless allowed");
  const leftMessage = first.find((u) => u.message)?.message;
  assert.equal(leftMessage?.left_chat_member?.id, member.id);
  assert.equal(leftMessage?.from?.id, member.id);
  assert.equal(leftMessage?.chat.id, forum);

  await bot.api.getUpdates({
    offset: first.at(-1)!.update_id + 1,
    allowed_updates: ["message", "chat_member"],
  });
  tg.setMember(forum, member, "member");
  tg.setMember(forum, member, "kicked");
  const next = await bot.api.getUpdates({ offset: first.at(-1)!.update_id + 1 });
  const changes = next.flatMap((u) => (u.chat_member ? [u.chat_member] : []));
  assert.deepEqual(
    changes.map((c) => [c.old_chat_member.status, c.new_chat_member.status, c.from.id]),
    [["left", "member", member.id], ["member", "kicked", owner.id]],
  );
  const service = next.flatMap((u) => (u.message ? [u.message] : []));
  assert.equal(service[0].new_chat_members?.[0].id, member.id);
  assert.equal(service[1].left_chat_member?.id, member.id);
  assert.equal(service[1].from?.id, owner.id, "the owner kicked them");
  assert.equal((await bot.api.getChatMember(forum, member.id)).status, "kicked");
});

Deno.test("migrateGroup: the old id answers with migrate_to_chat_id, the new one works", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const basic = tg.createGroup({ basic: true, title: "Desk", creator: owner, members: [agent] });
  await bot.api.sendMessage(basic, "before");
  const upgraded = tg.migrateGroup(basic);
  assert.match(String(upgraded), /^-100\d{10}$/);

  const got = await pushedMessages(bot);
  assert.equal(got.length, 2);
  assert.equal(got[0].chat.id, basic);
  assert.equal(got[0].migrate_to_chat_id, upgraded);
  assert.equal(got[1].chat.id, upgraded);
  assert.equal(got[1].chat.type, "supergroup");
  assert.equal(got[1].migrate_from_chat_id, basic);

  await assert.rejects(bot.api.sendMessage(basic, "after"), (e: unknown) => {
    assert.ok(e instanceof GrammyError);
    assert.equal(e.error_code, 400);
    assert.equal(e.description, "Bad Request: group chat was upgraded to a supergroup chat");
    assert.deepEqual(e.parameters, { migrate_to_chat_id: upgraded });
    return true;
  });
  const rawCopy = await raw(tg, "copyMessage", { chat_id: basic, from_chat_id: 1, message_id: 1 });
  assert.deepEqual(rawCopy.json.parameters, { migrate_to_chat_id: upgraded });
  await refused(
    bot.api.getChatAdministrators(basic),
    400,
    "Bad Request: group chat was upgraded to a supergroup chat",
  );

  const chat = await bot.api.getChat(upgraded);
  assert.equal(chat.title, "Desk");
  assert.equal(chat.is_forum, undefined, "an upgraded group has no topics yet");
  assert.equal((await bot.api.getChatMember(upgraded, agent.id)).status, "member");
  assert.equal((await bot.api.getChatMember(upgraded, owner.id)).status, "creator");
  assert.equal((await bot.api.sendMessage(upgraded, "after")).chat.id, upgraded);
  assert.throws(() => tg.migrateGroup(upgraded), /supergroup already/);
});

Deno.test("flood limits: about 20 messages a minute per group, topics counted; private chats apart", async () => {
  await using tg = await FakeTelegram.start();
  const bot = botFor(tg);
  const forum = team(tg);
  tg.enforceRateLimits();
  const outcomes: (number | string)[] = [];
  for (let i = 0; i < 25; i++) {
    try {
      await bot.api.sendMessage(forum, `m${i}`);
      outcomes.push("ok");
    } catch (e) {
      assert.ok(e instanceof GrammyError);
      assert.equal(e.error_code, 429);
      assert.match(e.description, /^Too Many Requests: retry after \d+$/);
      outcomes.push(e.parameters.retry_after ?? "none");
    }
  }
  assert.deepEqual(outcomes.slice(0, 20), Array(20).fill("ok"));
  // A token comes back every 3 s (20 a minute).
  assert.deepEqual(outcomes.slice(20), Array(5).fill(3));
  assert.equal(tg.rateLimited, 5);
  // A private chat has its own bucket.
  assert.equal((await bot.api.sendMessage(client.id, "still fine")).chat.id, client.id);

  // createForumTopic is a message too, and an album counts its parts.
  const other = team(tg, { title: "Other team" });
  tg.enforceRateLimits({ perGroupBurst: 3, perGroupPerMinute: 60 });
  await bot.api.createForumTopic(other, "t1");
  await bot.api.sendMediaGroup(other, [{ type: "photo", media: "a" }, {
    type: "photo",
    media: "b",
  }]);
  await assert.rejects(bot.api.createForumTopic(other, "t2"), (e: unknown) => {
    assert.ok(e instanceof GrammyError);
    assert.equal(e.error_code, 429);
    assert.equal(e.parameters.retry_after, 1);
    return true;
  });
  assert.equal(tg.topics(other).length, 1);
  // Private chats keep the per-chat limits (burst 3).
  for (let i = 0; i < 3; i++) await bot.api.sendMessage(client.id, `p${i}`);
  await assert.rejects(bot.api.sendMessage(client.id, "p3"), GrammyError);
});
