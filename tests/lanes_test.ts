/**
 * Where a delivery goes in its chat's outbox (`src/outbox/lanes.ts`), directly: messages in
 * order, the calls that are not messages beside them, a flood's summary later, and files (a
 * history, an export) in a lane of their own, so that a file that keeps failing holds back no
 * message (issue 22).
 */
import assert from "node:assert/strict";
import { LANE, placeOf, postsMessage, PRIORITY } from "../src/outbox/lanes.ts";

Deno.test("placeOf: files in a lane of their own, beside the messages, the calls and what goes later", () => {
  assert.equal(placeOf("sendHistory", null).lane, LANE.files);
  assert.equal(placeOf("sendExport", null).lane, LANE.files);
  for (const method of ["sendMessage", "copyMessage", "sendAlbum", "editCopy"]) {
    assert.equal(placeOf(method, null).lane, LANE.messages, method);
  }
  assert.equal(placeOf("foldSummary", null).lane, LANE.later);
  assert.equal(placeOf("setMyCommands", null).lane, LANE.calls);
  assert.equal(placeOf("syncBoard", null).lane, LANE.calls);
  const lanes = new Set(Object.values(LANE));
  assert.equal(lanes.size, Object.keys(LANE).length, "no two lanes share a number");
});

Deno.test("placeOf: a file is still a message to the flood limits, and a notice to its lane", () => {
  assert.ok(postsMessage("sendHistory") && postsMessage("sendExport"));
  assert.equal(placeOf("sendHistory", null).priority, PRIORITY.notice);
  assert.equal(placeOf("copyMessage", 12).priority, PRIORITY.relayed);
});

Deno.test("postsMessage: what a business chat gets by content is a message too, paced and held in order", () => {
  for (const method of ["sendPhoto", "sendSticker", "sendLocation", "sendVenue", "sendContact"]) {
    assert.ok(postsMessage(method), method);
    assert.equal(placeOf(method, 12).lane, LANE.messages, method);
  }
});
