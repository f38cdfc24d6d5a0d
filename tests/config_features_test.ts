/**
 * Unit tests of the help-desk settings in `parseConfig`: `ADMIN_IDS`, `TIMEZONE`,
 * `BUSINESS_HOURS` and `OFFLINE_MESSAGE_RU` / `OFFLINE_MESSAGE_EN`. They prove that good values
 * are taken as documented, that the defaults are "no admins, always open, UTC", and that every
 * bad value stops the start with one readable line naming the setting.
 */

import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../src/config/mod.ts";

const BOT_TOKEN = "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const SUPPORT_TOKEN = "s3cret-Support-Token";
const VALID = { BOT_TOKEN, SUPPORT_TOKEN };

/** The message of the ConfigError that `parseConfig(env)` throws. */
function configError(env: Record<string, string | undefined>): string {
  try {
    parseConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    assert.equal(error.name, "ConfigError");
    assert.equal(error.message.includes("\n"), false, "one line");
    return error.message;
  }
  assert.fail(`no error for ${JSON.stringify(env)}`);
}

Deno.test("parseConfig: help-desk defaults are no admins, always open, UTC, built-in offline text", () => {
  const config = parseConfig(VALID);
  assert.deepEqual([...config.adminIds], []);
  assert.equal(config.businessHours, null);
  assert.equal(config.timeZone, "UTC");
  assert.deepEqual(config.offlineMessage, {});
  // Blank values count as unset.
  const blank = parseConfig({
    ...VALID,
    ADMIN_IDS: "  ",
    TIMEZONE: " ",
    BUSINESS_HOURS: "",
    OFFLINE_MESSAGE_RU: "   ",
    OFFLINE_MESSAGE_EN: "",
  });
  assert.deepEqual([...blank.adminIds], []);
  assert.equal(blank.businessHours, null);
  assert.equal(blank.timeZone, "UTC");
  assert.deepEqual(blank.offlineMessage, {});
});

Deno.test("parseConfig: ADMIN_IDS takes ids separated by commas and/or spaces", () => {
  const ids = (raw: string) => [...parseConfig({ ...VALID, ADMIN_IDS: raw }).adminIds].sort();
  assert.deepEqual(ids("9001"), [9001]);
  assert.deepEqual(ids("1,2,3"), [1, 2, 3]);
  assert.deepEqual(ids(" 1, 2 ,3 "), [1, 2, 3]);
  assert.deepEqual(ids("1 2\t3"), [1, 2, 3]);
  assert.deepEqual(ids("1,,2, ,3,"), [1, 2, 3]);
  assert.deepEqual(ids("5,5, 5"), [5]);
  // Telegram ids go beyond 32 bits.
  assert.deepEqual(ids("7123456789, 42"), [42, 7123456789]);
  const config = parseConfig({ ...VALID, ADMIN_IDS: "100, 200" });
  assert.equal(config.adminIds.has(100), true);
  assert.equal(config.adminIds.has(200), true);
  assert.equal(config.adminIds.has(300), false);
});

Deno.test("parseConfig: a bad ADMIN_IDS entry is refused in one line naming ADMIN_IDS and the entry", () => {
  for (
    const [raw, bad] of [
      ["abc", "abc"],
      ["-5", "-5"],
      ["1.5", "1.5"],
      ["0", "0"],
      ["1, 2, x3", "x3"],
      ["@admin", "@admin"],
      ["99999999999999999999", "99999999999999999999"],
    ]
  ) {
    const message = configError({ ...VALID, ADMIN_IDS: raw });
    assert.match(message, /^ADMIN_IDS /, message);
    assert.ok(message.endsWith(bad), `${raw}: ${message}`);
  }
});

Deno.test("parseConfig: TIMEZONE takes IANA names and refuses unknown ones, naming TIMEZONE", () => {
  for (const zone of ["Europe/Moscow", "Asia/Tokyo", "America/New_York", "UTC"]) {
    assert.equal(parseConfig({ ...VALID, TIMEZONE: zone }).timeZone, zone);
  }
  assert.equal(parseConfig({ ...VALID, TIMEZONE: " Europe/Berlin " }).timeZone, "Europe/Berlin");
  for (const zone of ["Mars/Olympus_Mons", "Europe/Atlantis", "Moscow", "GMT+25"]) {
    const message = configError({ ...VALID, TIMEZONE: zone });
    assert.match(message, /^TIMEZONE /, message);
    assert.ok(message.includes(zone), message);
  }
});

Deno.test("parseConfig: BUSINESS_HOURS is parsed into weekly periods", () => {
  const config = parseConfig({
    ...VALID,
    BUSINESS_HOURS: "Mon-Fri 09:00-18:00, Sat 10:00-14:00",
    TIMEZONE: "Europe/Moscow",
  });
  assert.deepEqual(config.businessHours?.periods, [
    ...[0, 1, 2, 3, 4].map((day) => ({ day, start: 540, end: 1080 })),
    { day: 5, start: 600, end: 840 },
  ]);
  assert.equal(config.timeZone, "Europe/Moscow");
  const night = parseConfig({ ...VALID, BUSINESS_HOURS: "sun 22:00-24:00; mon 00:00-06:00" });
  assert.deepEqual(night.businessHours?.periods, [
    { day: 6, start: 1320, end: 1440 },
    { day: 0, start: 0, end: 360 },
  ]);
});

Deno.test("parseConfig: a bad BUSINESS_HOURS is refused in one line starting with BUSINESS_HOURS:", () => {
  for (
    const [spec, detail] of [
      ["Mox-Fri 09:00-18:00", /unknown day "Mox"/],
      ["Mon-Fri 18:00-09:00", /not after start/],
      ["Mon 25:00-26:00", /bad time "25:00"/],
      ["Mon-Fri", /no hours/],
      ["09:00-18:00", /no days/],
      ["Mon 09:00-18:00,", /empty group/],
      ["Mon 9-18", /bad time/],
      ["Mon 09:00 18:00", /bad hours/],
    ] as const
  ) {
    const message = configError({ ...VALID, BUSINESS_HOURS: spec });
    assert.ok(message.startsWith("BUSINESS_HOURS: "), message);
    assert.match(message, detail);
  }
});

Deno.test("parseConfig: OFFLINE_MESSAGE_RU and _EN are taken, with \\n turned into line breaks", () => {
  const config = parseConfig({
    ...VALID,
    OFFLINE_MESSAGE_RU: "Мы не работаем.\\nОткроемся {opens}.",
    OFFLINE_MESSAGE_EN: "  Closed.\\n\\nBack {opens}  ",
  });
  assert.deepEqual(config.offlineMessage, {
    ru: "Мы не работаем.\nОткроемся {opens}.",
    en: "Closed.\n\nBack {opens}",
  });
  const onlyEn = parseConfig({ ...VALID, OFFLINE_MESSAGE_EN: "Closed until {opens}" });
  assert.deepEqual(onlyEn.offlineMessage, { en: "Closed until {opens}" });
  // A real line break (from a .env file with quotes) stays one.
  assert.equal(
    parseConfig({ ...VALID, OFFLINE_MESSAGE_RU: "а\nб" }).offlineMessage.ru,
    "а\nб",
  );
});

Deno.test({
  name: "ADMIN_IDS refuses 1e3, 0x10, 0b11 and +5 (digits only)",
  fn: () => {
    for (const raw of ["1e3", "0x10", "0b11", "+5"]) {
      const message = configError({ ...VALID, ADMIN_IDS: `9001, ${raw}` });
      assert.match(message, /^ADMIN_IDS /, message);
      assert.ok(message.endsWith(raw), message);
    }
  },
});

Deno.test("parseConfig: RECEIPT_REACTION is off or one of Telegram's reactions; ASK_CONTACT a flag", () => {
  const defaults = parseConfig(VALID);
  assert.equal(defaults.receiptReaction, null);
  assert.equal(defaults.askContact, false);
  assert.equal(parseConfig({ ...VALID, RECEIPT_REACTION: "👀" }).receiptReaction, "👀");
  assert.equal(parseConfig({ ...VALID, RECEIPT_REACTION: "OFF" }).receiptReaction, null);
  for (const [raw, want] of [["true", true], ["1", true], ["yes", true], ["no", false]] as const) {
    assert.equal(parseConfig({ ...VALID, ASK_CONTACT: raw }).askContact, want, raw);
  }
  // Telegram refuses any other emoji as a reaction: refused at start, not at the first send.
  for (const bad of ["🦖", "x", "👀👀"]) {
    const message = configError({ ...VALID, RECEIPT_REACTION: bad });
    assert.match(message, /^RECEIPT_REACTION must be off or one of Telegram's reactions/);
  }
  assert.match(
    configError({ ...VALID, ASK_CONTACT: "maybe" }),
    /^ASK_CONTACT must be true or false/,
  );
});
