/**
 * The sender finding its work: after a commit it serves the lanes the commit wrote, without
 * scanning the outbox, in order per chat, however few its slots; what it did not see written
 * (another `Store` on the database) it finds when woken.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Api } from "grammy";
import { CommitBoundary } from "../src/boundary.ts";
import { parseConfig } from "../src/config/mod.ts";
import { COMMANDS } from "../src/desk/commands.ts";
import { Desk } from "../src/desk/mod.ts";
import { createLogger, type Logger, silentLogger } from "../src/base/log.ts";
import { sleep } from "../src/base/wait.ts";
import { sendText } from "../src/outbox/builders.ts";
import { placeOf } from "../src/outbox/lanes.ts";
import { Sender } from "../src/outbox/sender.ts";
import { openDatabase } from "../src/store/db.ts";
import { Store } from "../src/store/mod.ts";

/**
 * A Bot API whose every call succeeds at once; the texts it got, per chat. `onCall` runs as
 * each call is made (before its answer).
 */
function recordingApi(onCall: (chat: number, text: string) => Promise<void> | void = () => {}) {
  const got = new Map<number, string[]>();
  let next = 1;
  const raw = new Proxy({}, {
    get: () => async (params: { chat_id: number; text: string }) => {
      got.set(params.chat_id, [...(got.get(params.chat_id) ?? []), params.text]);
      await onCall(params.chat_id, params.text);
      return { message_id: next++ };
    },
  });
  return { api: { raw } as unknown as Api, got, count: () => next - 1 };
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !predicate(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.ok(predicate(), what);
}

function setUp(
  concurrency: number,
  recordDelayMs?: number,
  options: {
    backlogWarning?: number;
    log?: Logger;
    onCall?: (chat: number, text: string) => Promise<void> | void;
  } = {},
) {
  const db = openDatabase(":memory:");
  const config = parseConfig({ BOT_TOKEN: "1:x", SUPPORT_TOKEN: "a-long-enough-token" });
  const store = new Store(db);
  let scans = 0;
  let counts = 0;
  let heads = 0;
  /** Whether each read of a lane's head was made inside a transaction. */
  const headsInTransaction: boolean[] = [];
  const counting = Object.assign(Object.create(store), {
    headOfLane(...args: Parameters<Store["headOfLane"]>) {
      heads++;
      headsInTransaction.push(db.isTransaction);
      return store.headOfLane(...args);
    },
    chatsDue(...args: Parameters<Store["chatsDue"]>) {
      scans++;
      return store.chatsDue(...args);
    },
    pendingCount() {
      counts++;
      return store.pendingCount();
    },
  }) as Store;
  let commits = 0;
  const boundary = new CommitBoundary(store, {
    onCommit: () => sender.committed(),
    onCommitting: () => sender.committing(),
    onWritten: () => commits++,
  });
  const desk = new Desk(store, boundary, config, COMMANDS);
  const { api, got, count } = recordingApi((chat, text) => options.onCall?.(chat, text));
  const jobs = { run: () => Promise.reject(new Error("no jobs here")) };
  const sender = new Sender(
    { api, store: counting, boundary, outcomes: desk, jobs },
    {
      ratePerChat: 1000,
      rateBurst: 1000,
      rateGlobal: 10000,
      concurrency,
      recordDelayMs,
      backlogWarning: options.backlogWarning,
    },
    options.log ?? silentLogger,
  );
  const write = (chat: number, text: string, via = store) =>
    via.insertDelivery(chat, sendText(chat, text), null, Date.now(), placeOf("sendMessage", null));
  const status = (id: number) =>
    (db.prepare("SELECT status FROM deliveries WHERE id = ?").get(id) as { status: string }).status;
  return {
    db,
    store,
    boundary,
    sender,
    got,
    count,
    write,
    status,
    scans: () => scans,
    counts: () => counts,
    heads: () => heads,
    headsInTransaction,
    commits: () => commits,
  };
}

/**
 * `n` commits of one delivery each to chat 1, each sent before the next is written (everyday
 * load, sped up).
 */
async function oneByOne(t: ReturnType<typeof setUp>, n: number): Promise<void> {
  const before = t.count();
  for (let i = 0; i < n; i++) {
    t.boundary.event(null, () => t.write(1, `one-${i}`));
    await until(() => t.count() === before + i + 1, `message ${i} sent`);
  }
}

Deno.test("the sender serves what a commit wrote without scanning the outbox, in order, beyond its slots", async () => {
  const t = setUp(1);
  try {
    t.sender.start();
    await until(() => t.scans() > 0, "the start looks through the outbox");
    const scansAtStart = t.scans();
    // One commit, three chats, one slot: the lanes it could not serve at once wait their turn.
    t.boundary.event(null, () => {
      for (let i = 0; i < 3; i++) {
        for (const chat of [1, 2, 3]) t.write(chat, `${chat}-${i}`);
      }
    });
    await until(() => t.count() === 9, "all nine sent");
    for (const chat of [1, 2, 3]) {
      assert.deepEqual(t.got.get(chat), [0, 1, 2].map((i) => `${chat}-${i}`));
    }
    // A batch of updates, as polling commits it, then a second one to a chat just served.
    t.boundary.begin();
    t.boundary.event(1, () => t.write(4, "4-0"));
    t.boundary.event(2, () => t.write(1, "1-3"));
    t.boundary.commit();
    await until(() => t.count() === 11, "the batch sent");
    assert.deepEqual(t.got.get(4), ["4-0"]);
    assert.deepEqual(t.got.get(1)?.at(-1), "1-3");
    assert.equal(t.scans(), scansAtStart, "no look after a commit scanned the outbox");
  } finally {
    await t.sender.stop();
    t.db.close();
  }
});

Deno.test("a batch's lane is read inside its transaction, once; read again after another commit or a failed one", async () => {
  const t = setUp(4);
  try {
    t.sender.start();
    await until(() => t.scans() > 0, "the start looks through the outbox");
    const before = t.headsInTransaction.length;
    t.boundary.begin();
    t.boundary.event(1, () => t.write(5, "5-0"));
    t.boundary.commit();
    await until(() => t.count() === 1, "the batch's delivery sent");
    assert.deepEqual(t.headsInTransaction.slice(before), [true], "one read, before the commit");
    // A delivery cancelled by a commit between the batch's and its worker's start (the same
    // turn of the event loop) is not sent: the head read before is no longer good.
    t.boundary.begin();
    t.boundary.event(2, () => t.write(6, "6-0"));
    t.boundary.commit();
    t.boundary.event(null, (now) => t.store.cancelPendingTo(6, "gone", now));
    await sleep(100);
    assert.equal(t.got.get(6), undefined, "the cancelled delivery was not sent");
    assert.equal(t.count(), 1);
    // A batch whose commit failed (a deferred foreign key): what it read is dropped, even when
    // the next commit brings the count to what it would have been.
    t.boundary.begin();
    t.boundary.event(4, (now) => {
      t.db.exec("PRAGMA defer_foreign_keys = ON");
      t.store.insertDelivery(
        9,
        sendText(9, "rolled back"),
        999_999,
        now,
        placeOf("sendMessage", null),
      );
    });
    assert.throws(() => t.boundary.commit(), /FOREIGN KEY/);
    t.boundary.event(null, () => {});
    await sleep(100);
    assert.equal(t.got.get(9), undefined, "nothing of the undone batch was sent");
    assert.equal(t.count(), 1);
  } finally {
    await t.sender.stop();
    t.db.close();
  }
});

Deno.test("what the sender did not see written (another Store) it sends when woken", async () => {
  const t = setUp(4);
  try {
    t.sender.start();
    const other = new Store(t.db);
    t.db.exec("BEGIN IMMEDIATE");
    t.write(7, "from elsewhere", other);
    t.db.exec("COMMIT");
    t.sender.wake();
    await until(() => t.count() === 1, "the delivery written elsewhere sent");
    assert.deepEqual(t.got.get(7), ["from elsewhere"]);
  } finally {
    await t.sender.stop();
    t.db.close();
  }
});

Deno.test("a lane found with nothing behind its delivery is not read again; one written meanwhile is", async () => {
  let other: (() => void) | undefined;
  const t = setUp(4, undefined, {
    onCall: (_chat, text) => text === "first" ? other?.() : undefined,
  });
  try {
    t.sender.start();
    await until(() => t.scans() > 0, "the start looks through the outbox");
    const headsBefore = t.heads();
    await oneByOne(t, 20);
    // One look per delivery: the mark says nothing waits behind it.
    assert.equal(t.heads() - headsBefore, 20);
    // Written while the lane's only delivery is in flight, by this Store: the written lanes
    // say so.
    other = () => t.boundary.event(null, () => t.write(7, "behind, this store"));
    t.boundary.event(null, () => t.write(7, "first"));
    await until(() => (t.got.get(7) ?? []).length === 2, "the one written behind it sent");
    // By another Store: the sender is woken, and its scan (before the answer) skips the busy
    // lane.
    other = async () => {
      t.write(8, "behind, elsewhere", new Store(t.db));
      const scans = t.scans();
      t.sender.wake();
      await until(() => t.scans() > scans, "the scan");
    };
    t.boundary.event(null, () => t.write(8, "first"));
    await until(() => (t.got.get(8) ?? []).length === 2, "the one written elsewhere sent");
    other = undefined;
  } finally {
    await t.sender.stop();
    t.db.close();
  }
});

Deno.test("a send's mark joins the next batch of updates: one commit; undone with it, written again; never sent twice", async () => {
  // No timer within the test: the marks are written with a batch, or at the stop.
  const t = setUp(4, 60_000);
  try {
    t.sender.start();
    let first = 0;
    t.boundary.event(null, () => first = t.write(1, "first"));
    await until(() => t.count() === 1, "the first sent");
    assert.equal(t.status(first), "pending", "its mark waits for a batch");
    const commits = t.commits();

    // A batch undone (a fault met it): the mark written in it is undone too, and kept.
    let second = 0;
    t.boundary.begin();
    t.boundary.event(1, () => second = t.write(2, "second"));
    t.boundary.abort();
    assert.equal(t.status(first), "pending");
    t.sender.wake();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(t.count(), 1, "the first is not sent again, the undone second not at all");

    // The next batch: the first's mark and the update's own writes in one commit.
    t.boundary.begin();
    t.boundary.event(1, () => second = t.write(2, "second"));
    t.boundary.commit();
    assert.equal(t.commits(), commits + 1, "one commit for the batch and the mark");
    assert.equal(t.status(first), "sent");
    await until(() => t.count() === 2, "the second sent");
    assert.equal(t.status(second), "pending");
  } finally {
    await t.sender.stop();
  }
  // The stop writes what still waited.
  assert.deepEqual([...t.got.values()].flat(), ["first", "second"]);
  assert.equal(
    (t.db.prepare("SELECT count(*) AS n FROM deliveries WHERE status = 'sent'").get() as {
      n: number;
    }).n,
    2,
  );
  t.db.close();
});

Deno.test("a send with another of its chat behind it has its mark written at once, not with a batch", async () => {
  // No batch comes and no timer fires within the test: only the hurry writes the marks.
  const t = setUp(4, 60_000);
  try {
    t.sender.start();
    let first = 0;
    t.boundary.event(null, () => {
      first = t.write(1, "card");
      t.write(1, "copy");
    });
    await until(() => t.count() === 2, "both sent, the second after the first's mark");
    assert.equal(t.status(first), "sent");
    assert.deepEqual(t.got.get(1), ["card", "copy"]);
  } finally {
    await t.sender.stop();
    t.db.close();
  }
});

Deno.test("a send whose chat was written another delivery meanwhile has its mark written at once", async () => {
  // No batch comes and no timer fires within the test: the deliveries written behind a send
  // would wait a minute for its mark unless the commit that wrote them hurries it.
  let behind: (() => void) | undefined;
  const t = setUp(4, 60_000, {
    onCall: (_chat, text) => text === "first" ? behind?.() : undefined,
  });
  const sent = (chat: number) => t.got.get(chat) ?? [];
  try {
    t.sender.start();
    // Written while the send is in flight: by an event of its own, then by a batch of updates.
    behind = () => t.boundary.event(null, () => t.write(1, "behind, alone"));
    t.boundary.event(null, () => t.write(1, "first"));
    await until(() => sent(1).length === 2, "the one written by an event sent");
    behind = () => {
      t.boundary.begin();
      t.boundary.event(101, () => t.write(2, "behind, in a batch"));
      t.boundary.commit();
    };
    t.boundary.event(null, () => t.write(2, "first"));
    await until(() => sent(2).length === 2, "the one written by a batch sent");
    // Written once the send was answered, its mark waiting for a batch (the marks waiting
    // before are written first by a batch: two waiting would be written at once anyway).
    behind = undefined;
    await new Promise((resolve) => setTimeout(resolve, 20));
    t.boundary.begin();
    t.boundary.event(102, () => {});
    t.boundary.commit();
    let first = 0;
    t.boundary.event(null, () => first = t.write(3, "first"));
    await until(() => sent(3).length === 1, "the first sent");
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(t.status(first), "pending", "its mark waits for a batch");
    t.boundary.event(null, () => t.write(3, "after its answer"));
    await until(() => sent(3).length === 2, "the one written after the answer sent");
    assert.equal(t.status(first), "sent");
    assert.deepEqual(
      [sent(1), sent(2), sent(3)],
      [["first", "behind, alone"], ["first", "behind, in a batch"], ["first", "after its answer"]],
    );
  } finally {
    await t.sender.stop();
    t.db.close();
  }
});

Deno.test("a backlog is warned of at once, and counted not at each look but once a second", async () => {
  const lines: string[] = [];
  const t = setUp(1, undefined, {
    backlogWarning: 50,
    log: createLogger("warn", "text", (line) => lines.push(line)),
  });
  try {
    t.sender.start();
    await until(() => t.counts() > 0, "the start counts the outbox");
    const countsAtStart = t.counts();
    const start = performance.now();
    await oneByOne(t, 100);
    const seconds = Math.ceil((performance.now() - start) / 1000);
    // Once a second, and once more each time 50 more were written (the warning's threshold
    // could have been passed): not at each of the 100 looks.
    assert.ok(
      t.counts() - countsAtStart <= seconds + 1 + 100 / 50,
      `counted ${t.counts() - countsAtStart} times for 100 sends in ${seconds} s`,
    );
    // A backlog past the threshold (not a second after the last count): one commit of 80,
    // with a single slot.
    t.boundary.event(null, () => {
      for (let i = 0; i < 80; i++) t.write(2 + (i % 40), `many-${i}`);
    });
    await until(() => lines.some((l) => l.includes("outbox.backlog")), "the backlog warned of");
    await until(() => t.count() === 180, "all sent");
    assert.equal(lines.filter((l) => l.includes("outbox.backlog")).length, 1);
  } finally {
    await t.sender.stop();
    t.db.close();
  }
});
