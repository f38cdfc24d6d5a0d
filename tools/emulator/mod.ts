/**
 * The Telegram Bot API emulator: a Bot API server on `127.0.0.1` that behaves as Telegram
 * documents. It is part of the product, used by `deno task sandbox` (try the bot without
 * Telegram) and by the tests and benchmarks (through `tests/support/telegram.ts`); one emulator,
 * one behaviour. Nothing in `start` imports it.
 *
 * It listens on `127.0.0.1` with a random port, speaks the Bot API over real HTTP (JSON,
 * multipart/form-data, urlencoded forms and GET query strings), records every call, lets the
 * test play the users by pushing updates that the bot fetches with `getUpdates`, and can inject
 * faults (blocked chats, error replies, dropped connections, delays, rate limits).
 *
 * ```ts
 * const tg = await FakeTelegram.start();
 * const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
 * tg.sendText(user(42, "Ann"), "/start");
 * const call = await tg.waitForCall("sendMessage", (c) => c.params.chat_id === 42);
 * await tg.close();
 * ```
 *
 * Where the parts live: `server.ts` (the {@link FakeTelegram} class; notes on fidelity),
 * `calls.ts` (the recorded calls, waiting for them), `requests.ts` (the wire format),
 * `objects.ts` (users, chats, messages), `files.ts`, `updates.ts` (the queue `getUpdates`
 * serves), `methods.ts` (the Bot API methods), `commands.ts` (the menus of commands per scope
 * and language, and which one a user sees: `FakeTelegram.commandMenu`) and `faults.ts`
 * (injected failures and flood limits). Groups and forum topics: `groups.ts` (group chats, members, rights, upgrades,
 * `getChat`/`getChatMember`/`getChatAdministrators`), `forum.ts` (topics, pins, the
 * `message_thread_id` of sends), `team.ts` (both tied to the updates; privacy mode) and
 * `team_side.ts` (the test's methods for them on `FakeTelegram`).
 *
 * ```ts
 * const desk = tg.createGroup({ creator: owner, admins: [agent] }); // a forum, the bot admin
 * const { message_thread_id } = await bot.api.createForumTopic(desk, "Ann #42");
 * tg.sendGroupText(desk, agent, "/take", { threadId: message_thread_id });
 * tg.messagesInThread(desk, message_thread_id); // what the team sees in the topic
 * ```
 *
 * Exports: {@link FakeTelegram} and its options; the users ({@link user}, {@link userObject},
 * {@link FakeUser}); what the test pushes and gets back ({@link PushedMessage},
 * {@link PushedGroupMessage}, {@link GroupMessageOptions}, {@link CallbackQueryOptions},
 * {@link SendMediaOptions}); groups ({@link GroupOptions}, {@link MemberStatus},
 * {@link BotMembership}, {@link AdminRights}, {@link DEFAULT_ADMIN_RIGHTS}) and topics
 * ({@link TopicInfo}, {@link TOPIC_COLORS}, {@link MAX_TOPIC_NAME}); the record of calls
 * ({@link ApiCall} and the wait options) and faults ({@link FakeApiError}, {@link FailOptions},
 * {@link RateLimitOptions}).
 *
 * @module
 */

export type { MenuCommand, MenuViewer } from "./commands.ts";
export type { FailOptions, RateLimitOptions } from "./faults.ts";
export { MAX_TOPIC_NAME, TOPIC_COLORS, type TopicInfo } from "./forum.ts";
export {
  type AdminRights,
  type BotMembership,
  DEFAULT_ADMIN_RIGHTS,
  type GroupOptions,
  type MemberStatus,
} from "./groups.ts";
export type { GroupMessageOptions, PushedGroupMessage } from "./team.ts";
export type { AlbumKind, MediaKind, SendMediaOptions } from "./files.ts";
export type { MethodHandler } from "./methods.ts";
export {
  type CallbackQueryOptions,
  type FakeUser,
  type PushedMessage,
  user,
  userObject,
} from "./objects.ts";
export { type ApiReply, FakeApiError, type RecordedFile } from "./requests.ts";
export type { ApiCall, WaitForCallOptions, WaitOptions } from "./calls.ts";
export { FakeTelegram, type FakeTelegramOptions, type PushedBusinessMessage } from "./server.ts";
export { BUSINESS_WINDOW_MS, type BusinessRights, type ConnectOptions } from "./business.ts";
