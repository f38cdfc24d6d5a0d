/**
 * `DEPARTMENTS` and the other routing settings, read: the departments in their order with a
 * name per language, and every mistake one readable line that names the setting.
 */
import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../src/config/mod.ts";
import { departmentOf, parseDepartments } from "../src/rules/departments.ts";

const BASE = { BOT_TOKEN: "1:abc", SUPPORT_TOKEN: "x".repeat(12) };

Deno.test("DEPARTMENTS: keys with a name per language, in the order given", () => {
  const list = parseDepartments("billing=Оплата|Billing, tech = Техника | Tech support ,");
  assert.deepEqual(list, [
    { key: "billing", names: { ru: "Оплата", en: "Billing" }, group: null },
    { key: "tech", names: { ru: "Техника", en: "Tech support" }, group: null },
  ]);
  // One name stands for every language.
  assert.deepEqual(parseDepartments("vip=VIP"), [
    { key: "vip", names: { ru: "VIP", en: "VIP" }, group: null },
  ]);
  // A staff group of its own, after @.
  assert.deepEqual(parseDepartments("billing=Оплата|Billing @ -1001234567890"), [
    { key: "billing", names: { ru: "Оплата", en: "Billing" }, group: -1001234567890 },
  ]);
  assert.deepEqual(parseDepartments(""), []);
  assert.equal(departmentOf(list, "tech")?.names.en, "Tech support");
  assert.equal(departmentOf(list, "sales"), undefined);
  assert.equal(departmentOf(list, null), undefined);
});

Deno.test("DEPARTMENTS: a mistake stops the start with one line that says what is wrong", () => {
  const cases: [string, RegExp][] = [
    ["billing", /^DEPARTMENTS: "billing" is not key=name/],
    ["Billing=Оплата", /the key "Billing" must be/],
    ["billing=Оплата,billing=Счета", /the key "billing" is twice/],
    ["billing=Оплата|Billing|Abrechnung", /billing has 3 names; give one per language \(ru\|en\)/],
    ["billing=|Billing", /billing: every name must be 1 to 40 characters/],
    ["billing=Оплата|Billing@1001234567890", /billing: after @ comes its staff group's id/],
    ["billing=Оплата|Billing@", /billing: after @ comes its staff group's id/],
    // Private mode has no staff group.
    ["billing=Оплата|Billing@-1001234567890", /billing names a staff group .* only team mode/],
    [",", /lists no department/],
  ];
  for (const [raw, expected] of cases) {
    assert.throws(
      () => parseConfig({ ...BASE, DEPARTMENTS: raw }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.ok(!error.message.includes("\n"), "one line");
        assert.match(error.message, /^DEPARTMENTS: /);
        assert.match(error.message, expected);
        return true;
      },
      raw,
    );
  }
});

Deno.test("DEPARTMENTS: in team mode, a department may name a staff group of its own", () => {
  const team = { ...BASE, STAFF_CHAT_ID: "-1009" };
  const config = parseConfig({
    ...team,
    DEPARTMENTS: "billing=Оплата|Billing@-1001234567890,tech=Tech,main=Main@-1009",
  });
  // The staff group itself is no other group: its tickets stay there.
  assert.deepEqual(config.departments.map((d) => [d.key, d.group]), [
    ["billing", -1001234567890],
    ["tech", null],
    ["main", null],
  ]);
});

Deno.test("routing settings: defaults (no wait, back to the last agent, no departments)", () => {
  const config = parseConfig(BASE);
  assert.equal(config.languageWaitMs, 0);
  assert.equal(config.returnToLastAgent, true);
  assert.deepEqual(config.departments, []);
  const set = parseConfig({ ...BASE, LANGUAGE_WAIT_SECONDS: "30", RETURN_TO_LAST_AGENT: "no" });
  assert.equal(set.languageWaitMs, 30_000);
  assert.equal(set.returnToLastAgent, false);
  assert.throws(() => parseConfig({ ...BASE, LANGUAGE_WAIT_SECONDS: "-1" }), /LANGUAGE_WAIT/);
  assert.throws(() => parseConfig({ ...BASE, RETURN_TO_LAST_AGENT: "maybe" }), /RETURN_TO_LAST/);
});

Deno.test("DEPARTMENTS: an @ inside a name is part of the name, not a staff group", () => {
  const config = parseConfig({ ...BASE, DEPARTMENTS: "mail=Почта @ Mail|Mail @ desk" });
  assert.deepEqual(config.departments.map((d) => [d.key, d.group]), [["mail", null]]);
});
