/**
 * Self-test of the emulator's menus of commands (tools/emulator/commands.ts) over real HTTP:
 * `setMyCommands` / `getMyCommands` / `deleteMyCommands` keep one list per scope and language
 * however the scope is written, refuse what the Bot API refuses, and `commandMenu` picks the
 * list a user sees by the documented precedence of scopes and the language fallback.
 */

import assert from "node:assert/strict";
import { FakeTelegram, user } from "./support/telegram.ts";

const ru = user(42, "Аня", { language_code: "ru" });
const en = user(43, "Ann", { language_code: "en" });
const de = user(44, "Anke", { language_code: "de" });

async function call(tg: FakeTelegram, method: string, body: Record<string, unknown>) {
  const res = await fetch(`${tg.apiRoot}/bot${tg.token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return await res.json();
}

const list = (...names: string[]) => names.map((command) => ({ command, description: command }));
const names = (menu: { command: string }[]) => menu.map((c) => c.command);

Deno.test("menus: a list per scope and language, the scope written either way", async () => {
  await using tg = await FakeTelegram.start();
  assert.equal((await call(tg, "setMyCommands", { commands: list("start") })).ok, true);
  await call(tg, "setMyCommands", { commands: list("start_ru"), language_code: "ru" });
  await call(tg, "setMyCommands", {
    commands: list("agent"),
    scope: { type: "chat", chat_id: 42 },
  });
  // The same scope with its keys in another order and the id as a string.
  const got = await call(tg, "getMyCommands", { scope: { chat_id: "42", type: "chat" } });
  assert.deepEqual(names(got.result), ["agent"]);
  assert.deepEqual(names((await call(tg, "getMyCommands", {})).result), ["start"]);
  assert.deepEqual(
    names((await call(tg, "getMyCommands", { language_code: "ru" })).result),
    ["start_ru"],
  );
  // Exactly that scope and language: no fallback in getMyCommands.
  assert.deepEqual((await call(tg, "getMyCommands", { language_code: "de" })).result, []);
  await call(tg, "deleteMyCommands", { scope: { type: "chat", chat_id: 42 } });
  assert.deepEqual(
    (await call(tg, "getMyCommands", { scope: { type: "chat", chat_id: 42 } })).result,
    [],
  );
});

Deno.test("menus: what the Bot API refuses is refused", async () => {
  await using tg = await FakeTelegram.start();
  const bad = [
    { commands: [{ command: "Start", description: "x" }] },
    { commands: [{ command: "start", description: "" }] },
    { commands: list("a"), language_code: "rus" },
    { commands: list("a"), scope: { type: "everyone" } },
    { commands: Array.from({ length: 101 }, (_, i) => ({ command: `c${i}`, description: "x" })) },
  ];
  for (const body of bad) {
    const answer = await call(tg, "setMyCommands", body);
    assert.equal(answer.ok, false, JSON.stringify(body));
    assert.equal(answer.error_code, 400);
    assert.match(answer.description, /^Bad Request: /);
  }
  assert.deepEqual((await call(tg, "getMyCommands", {})).result, []);
});

Deno.test("menus: the list a user sees, by scope precedence and language fallback", async () => {
  await using tg = await FakeTelegram.start();
  assert.deepEqual(tg.commandMenu(42, ru), [], "nothing set: no menu");
  await call(tg, "setMyCommands", { commands: list("default") });
  await call(tg, "setMyCommands", { commands: list("default_en"), language_code: "en" });
  assert.deepEqual(names(tg.commandMenu(42, ru)), ["default"]);
  assert.deepEqual(names(tg.commandMenu(43, en)), ["default_en"]);
  assert.deepEqual(names(tg.commandMenu(44, de)), ["default"], "no German list: the plain one");
  // All private chats comes before the default, in every language.
  await call(tg, "setMyCommands", {
    commands: list("private"),
    scope: { type: "all_private_chats" },
  });
  assert.deepEqual(names(tg.commandMenu(43, en)), ["private"]);
  // One user's chat comes first; its language list before its plain one.
  await call(tg, "setMyCommands", { commands: list("mine"), scope: { type: "chat", chat_id: 42 } });
  await call(tg, "setMyCommands", {
    commands: list("mine_ru"),
    scope: { type: "chat", chat_id: 42 },
    language_code: "ru",
  });
  assert.deepEqual(names(tg.commandMenu(42, ru)), ["mine_ru"]);
  assert.deepEqual(names(tg.commandMenu(42, { ...ru, language_code: "en" })), ["mine"]);
  assert.deepEqual(names(tg.commandMenu(43, en)), ["private"], "others keep theirs");
  // An empty list removes that scope's list: the next one shows again.
  await call(tg, "setMyCommands", { commands: [], scope: { type: "chat", chat_id: 42 } });
  await call(tg, "deleteMyCommands", { scope: { type: "chat", chat_id: 42 }, language_code: "ru" });
  assert.deepEqual(names(tg.commandMenu(42, ru)), ["private"]);
});

Deno.test("menus in a group: member, chat, administrators, all groups, default", async () => {
  await using tg = await FakeTelegram.start();
  const boss = user(7, "Olga");
  const group = tg.createGroup({ creator: boss, members: [en] });
  await call(tg, "setMyCommands", { commands: list("default") });
  await call(tg, "setMyCommands", {
    commands: list("private"),
    scope: { type: "all_private_chats" },
  });
  assert.deepEqual(names(tg.commandMenu(group, en)), ["default"], "private lists not in groups");
  await call(tg, "setMyCommands", { commands: list("groups"), scope: { type: "all_group_chats" } });
  await call(tg, "setMyCommands", {
    commands: list("admins"),
    scope: { type: "all_chat_administrators" },
  });
  assert.deepEqual(names(tg.commandMenu(group, en)), ["groups"]);
  assert.deepEqual(names(tg.commandMenu(group, boss)), ["admins"], "the owner is an admin");
  await call(tg, "setMyCommands", {
    commands: list("here"),
    scope: { type: "chat", chat_id: group },
  });
  assert.deepEqual(names(tg.commandMenu(group, boss)), ["here"]);
  await call(tg, "setMyCommands", {
    commands: list("just_you"),
    scope: { type: "chat_member", chat_id: group, user_id: en.id },
  });
  assert.deepEqual(names(tg.commandMenu(group, en)), ["just_you"]);
  assert.deepEqual(names(tg.commandMenu(group, boss)), ["here"]);
});
