/**
 * The staff group of team mode as the sandbox shows it: {@link StaffGroup} makes the forum
 * supergroup in the emulator (the admin its owner, the agents its members, the bot an
 * administrator allowed to manage topics, delete and pin messages, as the bot's start check
 * wants it), lists its topics the way Telegram's forum view does (General first, with its
 * pinned message, then the topics by their last message), shows a topic's messages to one
 * member, and writes there as a member. The emulator keeps the group's messages; this keeps
 * only what each held when last seen, to tell a real edit from a change of buttons.
 *
 * @module
 */
import type { FakeTelegram, FakeUser } from "../emulator/mod.ts";
import { ContentEdits, previewOf, showMessage, type ShownMessage } from "./people.ts";

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

/** The General topic's number on the page (the Bot API gives it no `message_thread_id`). */
export const GENERAL = 0;

/** A line of the topic list. */
export interface TopicLine {
  /** The topic's `message_thread_id`; {@link GENERAL} for General. */
  readonly threadId: number;
  /** The name; `null` for General (the page words it). */
  readonly name: string | null;
  readonly iconColor: number;
  readonly closed: boolean;
  /** The last message: who wrote it and a short line of it. */
  readonly last?: { author: string; text: string; date: number };
  /** The pinned message (General: the board). */
  readonly pinned?: string;
}

/** One topic (or General) as a member sees it. */
export interface ThreadView {
  readonly threadId: number;
  readonly name: string | null;
  readonly closed: boolean;
  /** The most recent pinned message of the topic, shown in the bar above its messages. */
  readonly pinned?: ShownMessage;
  readonly messages: ShownMessage[];
}

/** The staff group of the sandbox's team mode. */
export class StaffGroup {
  readonly id: number;
  readonly title: string;
  readonly #tg: FakeTelegram;
  readonly #edits = new ContentEdits();

  /** Makes the group: `owner` its creator, `members` its members, the bot an administrator. */
  constructor(tg: FakeTelegram, title: string, owner: FakeUser, members: FakeUser[]) {
    this.#tg = tg;
    this.title = title;
    this.id = tg.createGroup({
      title,
      creator: owner,
      members,
      bot: "administrator",
      botRights: { can_manage_topics: true, can_delete_messages: true, can_pin_messages: true },
    });
  }

  /** Adds `user` to the group (Telegram tells the bot with `chat_member`). */
  addMember(user: FakeUser): void {
    this.#tg.setMember(this.id, user, "member");
  }

  /** Notes what a message holds now, after the bot sent or edited it. */
  noteContent(messageId: number): void {
    this.#edits.note(this.id, messageId, this.#tg.messageIn(this.id, messageId));
  }

  /** The topic list: General, then the open topics by their last message, newest first. */
  topics(): TopicLine[] {
    const tg = this.#tg;
    const general = tg.messagesInGeneral(this.id);
    const board = this.#pinned(GENERAL);
    const lines: TopicLine[] = [{
      threadId: GENERAL,
      name: null,
      iconColor: 0x8e9aa5,
      closed: false,
      ...lastOf(general),
      ...(board ? { pinned: previewOf(board) } : {}),
    }];
    const topics = tg.topics(this.id).filter((t) => !t.deleted).map((t) => {
      const pinned = this.#pinned(t.threadId);
      return {
        threadId: t.threadId,
        name: t.name,
        iconColor: t.iconColor,
        closed: t.closed,
        ...lastOf(tg.messagesInThread(this.id, t.threadId)),
        ...(pinned ? { pinned: previewOf(pinned) } : {}),
      };
    });
    topics.sort((a, b) => (b.last?.date ?? 0) - (a.last?.date ?? 0) || b.threadId - a.threadId);
    return [...lines, ...topics];
  }

  /** Topic `threadId` (or General) as member `viewer` sees it; `undefined`: no such topic. */
  thread(threadId: number, viewer: number): ThreadView | undefined {
    const tg = this.#tg;
    const topic = threadId === GENERAL ? undefined : tg.topic(this.id, threadId);
    if (threadId !== GENERAL && (!topic || topic.deleted)) return undefined;
    const raw = threadId === GENERAL
      ? tg.messagesInGeneral(this.id)
      : tg.messagesInThread(this.id, threadId);
    const show = (m: Rec) =>
      showMessage(m, viewer, this.#edits.note(this.id, Number(m.message_id), m));
    const pinned = this.#pinned(threadId);
    return {
      threadId,
      name: topic?.name ?? null,
      closed: topic?.closed ?? false,
      ...(pinned ? { pinned: show(pinned) } : {}),
      messages: raw.map(show),
    };
  }

  /** The most recent pinned message of topic `threadId` (General: of no topic). */
  #pinned(threadId: number): Rec | undefined {
    const tg = this.#tg;
    const ids = threadId === GENERAL ? tg.pinnedIn(this.id) : tg.pinnedIn(this.id, threadId);
    for (const id of ids) {
      const m = tg.messageIn(this.id, id);
      if (!m) continue;
      if (threadId !== GENERAL || m.message_thread_id === undefined) return m;
    }
    return undefined;
  }
}

function lastOf(messages: Rec[]): Pick<TopicLine, "last"> {
  const last = messages.at(-1);
  if (!last) return {};
  const from = isRec(last.from) ? last.from : {};
  return {
    last: {
      author: String(from.first_name ?? ""),
      text: last.forum_topic_created
        ? ""
        : isRec(last.pinned_message)
        ? `📌 ${previewOf(last.pinned_message)}`
        : previewOf(last),
      date: Number(last.date),
    },
  };
}
