/**
 * The table of commands (`src/desk/commands.ts`) and what comes from it: names Telegram accepts,
 * every menu command described in both languages and named in its menu's help, the menus in
 * the table's order, the role guard; and the typed button data (`src/rules/button_data.ts`).
 */
import assert from "node:assert/strict";
import { type ButtonData, packButton, parseButton } from "../src/rules/button_data.ts";
import { COMMANDS } from "../src/desk/commands.ts";
import { STAFF_COMMANDS, staffMenu } from "../src/desk/mod.ts";
import { defaultMenus, menuCommands, userMenu } from "../src/desk/menus.ts";
import { mayRun } from "../src/desk/roles.ts";
import type { User } from "../src/store/mod.ts";
import { LANGUAGES, texts } from "../src/texts/mod.ts";

Deno.test("commands: names Telegram accepts, each once", () => {
  const names = COMMANDS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
  // setMyCommands: 1-32 characters, lowercase letters, digits and underscores.
  for (const name of names) assert.match(name, /^[a-z0-9_]{1,32}$/);
});

Deno.test("commands: every menu command has its menu line and its help in both languages", () => {
  for (const language of LANGUAGES) {
    const t = texts(language);
    const help = { client: t.clientHelp, agent: t.agentHelp, admin: t.adminHelp } as const;
    const lines: Readonly<Record<string, string>> = t.commands;
    for (const command of COMMANDS) {
      if (command.menus.length === 0) continue;
      const line = lines[command.name];
      assert.ok(typeof line === "string" && line.trim().length > 0, `${language}: ${command.name}`);
      // Telegram's limit on a command's description.
      assert.ok(line.length <= 256, `${language}: ${command.name} is too long`);
      for (const menu of command.menus) {
        const text = help[menu];
        assert.ok(
          new RegExp(`/${command.name}\\b`).test(text),
          `${language}: the ${menu} help does not name /${command.name}`,
        );
      }
    }
  }
});

Deno.test("menus: in the table's order; an agent who is an admin gets both, each once", () => {
  const names = (menu: readonly { command: string }[]) => menu.map((c) => c.command);
  // /help is in every menu, last.
  assert.deepEqual(names(menuCommands(COMMANDS, ["client"], "ru")), ["start", "close", "help"]);
  assert.deepEqual(
    names(menuCommands(COMMANDS, ["agent"], "en")),
    [
      "available",
      "end_chat",
      "transfer",
      "canned",
      "history",
      "search",
      "languages",
      "departments",
      "stats",
      "help",
    ],
  );
  assert.deepEqual(
    names(menuCommands(COMMANDS, ["admin"], "en")),
    ["search", "agents", "queue", "stats", "revoke", "ban", "unban", "export", "faq", "help"],
  );
  const both = names(menuCommands(COMMANDS, ["agent", "admin"], "ru"));
  assert.equal(both.filter((n) => n === "stats").length, 1);
  assert.equal(both.filter((n) => n === "help").length, 1);
  assert.deepEqual(both.slice(0, 10), names(menuCommands(COMMANDS, ["agent"], "ru")));
  // Neither role: the user's own menu is removed, so the default one shows.
  const client = { userId: 7, language: "ru", isAgent: false } as const;
  assert.equal(userMenu(COMMANDS, client, false).method, "deleteMyCommands");
  assert.equal(userMenu(COMMANDS, { ...client, isAgent: true }, false).method, "setMyCommands");
});

Deno.test("menus: the default menu is in the default language, the others have their code", () => {
  for (const defaultLanguage of LANGUAGES) {
    const menus = defaultMenus(COMMANDS, defaultLanguage);
    assert.equal(menus.length, LANGUAGES.length);
    const plain = menus.filter((m) => m.language_code === undefined);
    assert.equal(plain.length, 1);
    assert.equal(plain[0].commands[0].description, texts(defaultLanguage).commands.start);
    for (const menu of menus.filter((m) => m.language_code !== undefined)) {
      assert.notEqual(menu.language_code, defaultLanguage);
      assert.equal(menu.commands[0].description, texts(menu.language_code!).commands.start);
    }
  }
});

Deno.test("the staff group's commands: a menu line and a line in the group's help each", () => {
  for (const language of LANGUAGES) {
    const t = texts(language);
    const menu = staffMenu(language);
    assert.deepEqual(menu.map((c) => c.command), [...STAFF_COMMANDS]);
    for (const { command, description } of menu) {
      assert.match(command, /^[a-z0-9_]{1,32}$/);
      assert.ok(description.length > 0 && description.length <= 256, `${language}: ${command}`);
      assert.match(t.team.help("//"), new RegExp(`/${command}\\b`), `${language}: /${command}`);
    }
  }
});

Deno.test("the role guard: who may run what", () => {
  const user = (isAgent: boolean) => ({ isAgent }) as User;
  for (const [agent, admin] of [[false, false], [true, false], [false, true], [true, true]]) {
    assert.equal(mayRun("anyone", user(agent), admin), true);
    assert.equal(mayRun("agent", user(agent), admin), agent);
    assert.equal(mayRun("admin", user(agent), admin), admin);
    assert.equal(mayRun("staff", user(agent), admin), agent || admin);
  }
});

Deno.test("button data: packed as before, read back, anything else refused", () => {
  const cases: [ButtonData, string][] = [
    [{ action: "close", ticketId: 12 }, "close:12"],
    [{ action: "rate", ticketId: 12, rating: 5 }, "rate:12:5"],
    [{ action: "skip", ticketId: 3 }, "skip:3"],
    [{ action: "transfer", ticketId: 1, to: 4242 }, "transfer:1:4242"],
    [{ action: "transfer", ticketId: 1, to: "queue" }, "transfer:1:queue"],
    [{ action: "canned", cannedId: 9 }, "canned:9"],
  ];
  for (const [data, packed] of cases) {
    assert.equal(packButton(data), packed);
    assert.deepEqual(parseButton(packed), data);
    assert.ok(new TextEncoder().encode(packed).length <= 64);
  }
  for (
    const forged of [
      "",
      "close",
      "close:",
      "close:-1",
      "close:0",
      "close:1.5",
      "close:1e3",
      "close:1:2",
      "rate:1:0",
      "rate:1:6",
      "rate:1:NaN",
      "rate:1",
      "skip:x",
      "transfer:1",
      "transfer:1:nobody",
      "transfer:1:queue:2",
      "canned:abc",
      "open:1",
      "close:99999999999999999999",
    ]
  ) {
    assert.equal(parseButton(forged), undefined, forged);
  }
});
