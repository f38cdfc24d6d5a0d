/**
 * Finished deliveries are forgotten after a while, in batches: old sent, failed and cancelled
 * ones go; pending ones and recent ones stay.
 */
import assert from "node:assert/strict";
import type { Api } from "grammy";
import { parseConfig } from "../src/config/mod.ts";
import { openDatabase } from "../src/store/db.ts";
import { CommitBoundary } from "../src/boundary.ts";
import { COMMANDS } from "../src/desk/commands.ts";
import { Desk } from "../src/desk/mod.ts";
import { silentLogger } from "../src/base/log.ts";
import { sendText } from "../src/outbox/builders.ts";
import { Sender } from "../src/outbox/sender.ts";
import { Store } from "../src/store/mod.ts";

const DAY = 24 * 3600_000;
const NOW = 1_700_000_000_000;

Deno.test("Sender.prune forgets old finished deliveries, batch by batch, and keeps the rest", async () => {
  const db = openDatabase(":memory:");
  const config = parseConfig({ BOT_TOKEN: "1:x", SUPPORT_TOKEN: "a-long-enough-token" });
  const store = new Store(db);
  const boundary = new CommitBoundary(store, { now: () => NOW });
  const desk = new Desk(store, boundary, config, COMMANDS);
  const jobs = { run: () => Promise.reject(new Error("no jobs here")) };
  const parts = { api: {} as Api, store, boundary, outcomes: desk, jobs };
  const sender = new Sender(parts, config, silentLogger);
  const kept = new Set<number>();
  const add = (ageDays: number, status: "pending" | "sent" | "failed" | "cancelled") => {
    const at = NOW - ageDays * DAY;
    // Cancelled ones go to chat 2: cancelling takes every pending delivery of a chat.
    const chat = status === "cancelled" ? 2 : 1;
    const id = store.insertDelivery(chat, sendText(chat, "x"), null, at, { lane: 0, priority: 0 });
    if (status === "sent" || status === "failed") store.markDelivery(id, status, null, at + 1000);
    if (status === "cancelled") store.cancelPendingTo(2, "gone", at + 1000);
    return id;
  };
  // Oldest first, as ids grow with time: 25 old finished ones, an old pending one among them.
  for (let i = 0; i < 25; i++) {
    const id = add(30 - i * 0.1, (["sent", "failed", "cancelled"] as const)[i % 3]);
    if (i === 12) kept.add(add(29, "pending"));
    assert.ok(id > 0);
  }
  for (let i = 0; i < 5; i++) kept.add(add(1, "sent"));
  kept.add(add(0, "pending"));
  await sender.prune(7 * DAY, NOW, 4);
  const left = db.prepare("SELECT id FROM deliveries ORDER BY id").all().map((r) => Number(r.id));
  assert.deepEqual(left, [...kept].sort((a, b) => a - b));
  db.close();
});
