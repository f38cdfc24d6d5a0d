/**
 * End-to-end tests of business hours (`BUSINESS_HOURS`, `TIMEZONE`, `OFFLINE_MESSAGE_*`) and of
 * the exports (`/history html`, `/export`). They prove, through the real bot, the fake Bot API
 * and the SQLite file, that outside business hours a client is told when the desk opens and
 * their ticket waits (stored, not relayed) until the desk opens and the queue is drained; that
 * the HTML history is a complete page with every user-supplied string escaped; and that the CSV
 * export holds exactly the messages of the given local days, with the right columns and the
 * formula guard, while bad arguments and non-admins are refused.
 *
 * Longer than most files: each scenario sets up its own hours or history, which is most of it.
 */
import assert from "node:assert/strict";
import {
  formatOpening,
  nextOpening,
  parseBusinessHours,
  WEEKDAYS,
} from "../src/rules/business_hours.ts";
import { parseConfig } from "../src/config/mod.ts";
import { CommitBoundary } from "../src/boundary.ts";
import { COMMANDS } from "../src/desk/commands.ts";
import { Desk } from "../src/desk/mod.ts";
import { CSV_COLUMNS } from "../src/reports/history.ts";
import { ticketNumber } from "../src/texts/mod.ts";
import { type FakeUser, user } from "./support/telegram.ts";
import { admin, ADMIN_ID, agent1, agent2, alice, bob, carol } from "./support/people.ts";
import {
  ask,
  EN,
  registerAgent,
  RU,
  settled,
  shownText,
  SUPPORT_TOKEN,
  textsTo,
  waitForText,
  withHarness,
} from "./support/harness.ts";

/** Always open, whatever the day and time. */
const ALWAYS = "Mon-Sun 00:00-24:00";
const TOKYO = "Asia/Tokyo";

/**
 * A schedule that is closed now in Tokyo (no clock changes there): one hour, 09:00-10:00, on
 * the weekday three days ahead; and the instant it opens (09:00 in Tokyo is 00:00 UTC).
 */
function closedNow(): { spec: string; opens: number } {
  const now = Date.now();
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: TOKYO,
      weekday: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
    }).formatToParts(now).map((p) => [p.type, p.value]),
  );
  const day = WEEKDAYS[(WEEKDAYS.indexOf(parts.weekday) + 3) % 7];
  const opens = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) + 3);
  return { spec: `${day} 09:00-10:00`, opens };
}

/** Decodes UTF-8 keeping a byte order mark (`TextDecoder` drops it by default). */
function withBom(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

/** Parses RFC 4180 CSV (CRLF line ends, quoted fields with doubled quotes) into rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  assert.equal(field + row.join(""), "", "the file ends with CRLF");
  return rows;
}

// ---- business hours ----

Deno.test("outside business hours: offline reply with the opening, ticket waits, nothing relayed; the queue is given out when the desk opens", () => {
  const closed = closedNow();
  const opensRu = formatOpening(closed.opens, TOKYO, "ru");
  // The desk's own computation agrees with the instant worked out by hand.
  assert.equal(nextOpening(parseBusinessHours(closed.spec), TOKYO, Date.now()), closed.opens);
  // The zone as people name it, not its IANA id.
  assert.ok(opensRu.endsWith("09:00 по токийскому времени"), opensRu);
  return withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    await settled(h);
    const after = tg.calls.length;
    tg.sendText(alice, "Вопрос ночью");
    // One answer: the greeting, the ticket's number, then when the desk opens.
    const offline = await waitForText(tg, alice.id, RU.offline(opensRu), after);
    assert.equal(
      shownText(offline),
      `${RU.greetingNew} ${RU.ticketOpened(ticketNumber(1))}\n\n${RU.offline(opensRu)}`,
    );
    assert.deepEqual(
      (offline.params.reply_markup as { inline_keyboard: unknown }).inline_keyboard,
      [[{ text: RU.closeButton, callback_data: "close:1" }]],
    );
    tg.sendText(alice, "Ещё одна деталь");
    tg.sendMedia(alice, "photo", { caption: "скриншот" });
    await settled(h);
    // The drain does nothing while the desk is closed.
    h.app.desk.drainQueue();
    await settled(h);
    assert.deepEqual(textsTo(tg, alice.id, after), [shownText(offline)], "one answer, once");
    assert.deepEqual(textsTo(tg, agent1.id, after), [], "nothing reached the free agent");
    const store = h.app.desk.store;
    const ticket = store.getTicket(1)!;
    assert.equal(ticket.status, "queued");
    assert.equal(ticket.agentId, null);
    assert.equal(store.getUser(agent1.id)?.isAvailable, true);
    assert.equal(store.getUser(agent1.id)?.currentTicketId, null);
    const stored = h.app.db.prepare(
      "SELECT kind, text FROM messages WHERE ticket_id = 1 ORDER BY id",
    ).all() as { kind: string; text: string }[];
    assert.deepEqual(stored.map((m) => [m.kind, m.text]), [
      ["text", "Вопрос ночью"],
      ["text", "Ещё одна деталь"],
      ["photo", "скриншот"],
    ]);

    // The same desk with its clock moved: a minute before opening the drain still waits; at
    // the opening it gives the ticket, with everything written, to the free agent.
    const config = parseConfig({
      BOT_TOKEN: tg.token,
      SUPPORT_TOKEN,
      BUSINESS_HOURS: closed.spec,
      TIMEZONE: TOKYO,
    });
    let clock = closed.opens - 60_000;
    const boundary = new CommitBoundary(store, {
      now: () => clock,
      onCommit: () => h.app.sender.wake(),
    });
    const later = new Desk(store, boundary, config, COMMANDS);
    later.drainQueue();
    await settled(h);
    assert.equal(store.getTicket(1)?.status, "queued");
    assert.deepEqual(textsTo(tg, agent1.id, after), []);
    clock = closed.opens;
    const opened = tg.calls.length;
    later.drainQueue();
    await waitForText(
      tg,
      agent1.id,
      RU.agentNewClient("Alice Smith", ticketNumber(1), 2, null),
      opened,
    );
    await waitForText(tg, agent1.id, "👤 Alice Smith:\nВопрос ночью", opened);
    await waitForText(tg, agent1.id, "👤 Alice Smith:\nЕщё одна деталь", opened);
    await waitForText(tg, agent1.id, "👤 Alice Smith:\nскриншот", opened);
    await waitForText(tg, alice.id, RU.connected(ticketNumber(1)), opened);
    assert.equal(store.getTicket(1)?.status, "open");
    assert.equal(store.getTicket(1)?.agentId, agent1.id);
  }, { BUSINESS_HOURS: closed.spec, TIMEZONE: TOKYO });
});

Deno.test("a bot started within business hours gives out the tickets that waited while closed", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    await ask(tg, bob, "Ночной вопрос", "Сейчас мы не работаем");
    await settled(h);
    assert.equal(h.app.desk.store.getTicket(1)?.status, "queued");
    const opened = tg.calls.length;
    await h.restart({ BUSINESS_HOURS: ALWAYS, TIMEZONE: TOKYO });
    await waitForText(tg, agent1.id, RU.agentNewClient("Bob", ticketNumber(1), 0, null), opened);
    await waitForText(tg, agent1.id, "👤 Bob:\nНочной вопрос", opened);
    await waitForText(tg, bob.id, RU.connected(ticketNumber(1)), opened);
    assert.equal(h.app.desk.store.getTicket(1)?.agentId, agent1.id);
  }, { BUSINESS_HOURS: closedNow().spec, TIMEZONE: TOKYO }));

Deno.test("OFFLINE_MESSAGE_RU replaces the Russian offline text; English keeps the built-in one", () => {
  const closed = closedNow();
  const opensRu = formatOpening(closed.opens, TOKYO, "ru");
  const opensEn = formatOpening(closed.opens, TOKYO, "en");
  return withHarness(async (h) => {
    const { tg } = h;
    const custom = await ask(tg, alice, "Привет", "Мы закрыты.");
    assert.ok(
      shownText(custom).endsWith(`\n\nМы закрыты.\nОткроемся: ${opensRu}. Повторю: ${opensRu}`),
      shownText(custom),
    );
    assert.deepEqual(
      (custom.params.reply_markup as { inline_keyboard: unknown }).inline_keyboard,
      [[{ text: RU.closeButton, callback_data: "close:1" }]],
    );
    const english = await ask(tg, carol, "Hello", EN.offline(opensEn));
    assert.ok(shownText(english).endsWith(`\n\n${EN.offline(opensEn)}`), shownText(english));
    assert.ok(opensEn.endsWith("09:00 Japan time"), opensEn);
    await settled(h);
    assert.equal(h.app.desk.store.queueLength(), 2);
  }, {
    BUSINESS_HOURS: closed.spec,
    TIMEZONE: TOKYO,
    OFFLINE_MESSAGE_RU: "Мы закрыты.\\nОткроемся: {opens}. Повторю: {opens}",
  });
});

Deno.test("within business hours the desk works as usual, and drainQueue gives waiting tickets to free agents", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await registerAgent(tg, agent1);
    let after = tg.calls.length;
    tg.sendText(alice, "Днём");
    await waitForText(tg, agent1.id, "👤 Alice Smith:\nДнём", after);
    await waitForText(tg, alice.id, RU.connected(ticketNumber(1)), after);
    await settled(h);
    assert.deepEqual(textsTo(tg, alice.id, after), [
      `${RU.greetingNew} ${RU.connected(ticketNumber(1))}`,
    ]);

    await registerAgent(tg, agent2);
    await ask(tg, agent2, "/available", RU.availableOff);
    await ask(tg, bob, "Вопрос Боба", RU.queued(1));
    // agent2 becomes free without an event (as after a restart): only the drain notices.
    store.db.prepare("UPDATE users SET is_available = 1 WHERE user_id = ?").run(agent2.id);
    await settled(h);
    assert.equal(store.getTicket(2)?.status, "queued");
    after = tg.calls.length;
    h.app.desk.drainQueue();
    await waitForText(tg, agent2.id, RU.agentNewClient("Bob", ticketNumber(2), 0, null), after);
    await waitForText(tg, agent2.id, "👤 Bob:\nВопрос Боба", after);
    await waitForText(tg, bob.id, RU.connected(ticketNumber(2)), after);
    assert.equal(store.getTicket(2)?.agentId, agent2.id);
    assert.equal(store.queueLength(), 0);
  }, { BUSINESS_HOURS: ALWAYS, TIMEZONE: "Europe/Berlin" }));

// ---- /history html ----

Deno.test("/history html: a complete page with names and texts escaped; pdf refused; txt still works", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const evil = user(1066, "<script>alert(1)</script>", {
      last_name: "<img src=x onerror=alert(1)>",
    });
    const name = "<script>alert(1)</script> <img src=x onerror=alert(1)>";
    const text = `Текст <script>alert(2)</script> & <img src=x onerror=alert(2)> "q" 'a'`;
    await registerAgent(tg, agent1);
    const first = tg.sendText(evil, text);
    await waitForText(tg, agent1.id, "alert(2)");
    tg.sendText(agent1, "Ответ специалиста");
    await settled(h);
    tg.sendEdit(evil, first.message_id, { text: "Исправлено <b onmouseover=alert(3)>x</b>" });
    await settled(h);

    let after = tg.calls.length;
    tg.sendText(agent1, "/history html");
    const call = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === agent1.id, {
      after,
    });
    assert.equal(call.params.caption, RU.historyCaption(name));
    assert.equal(call.params.parse_mode, undefined);
    const file = call.files.document;
    assert.equal(file.filename, `history-${evil.id}.html`);
    const page = file.text();
    assert.ok(page.startsWith("<!DOCTYPE html>\n"), page.slice(0, 100));
    assert.ok(page.trimEnd().endsWith("</html>"), page.slice(-100));
    assert.equal(page.match(/<html\b/g)?.length, 1);
    assert.match(page, /<meta charset="utf-8">/);
    // The heading as the history file words it, the client's name escaped within it.
    const title = RU.history.title(name).replaceAll("&", "&amp;").replaceAll("<", "&lt;")
      .replaceAll(">", "&gt;");
    assert.ok(title.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert.ok(page.includes(`<title>${title}</title>`));
    assert.ok(page.includes(`<h1>${title}</h1>`));
    assert.ok(
      page.includes(
        "Текст &lt;script&gt;alert(2)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt; " +
          "&quot;q&quot; &#39;a&#39;",
      ),
    );
    assert.ok(page.includes("Исправлено &lt;b onmouseover=alert(3)&gt;x&lt;/b&gt;"));
    assert.ok(page.includes("Ответ специалиста"));
    assert.match(page, /Обращение #T-000001 от .* — открыто/);
    // No markup from users: no script, img or b element anywhere.
    assert.doesNotMatch(page, /<(script|img|b)[\s>]/i);
    assert.doesNotMatch(page, /alert\(\d\)<\/script>/);

    await ask(tg, agent1, "/history pdf", RU.historyUsage);
    after = tg.calls.length;
    tg.sendText(agent1, "/history");
    const txt = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === agent1.id, {
      after,
    });
    assert.equal(txt.files.document.filename, `history-${evil.id}.txt`);
    const lines = txt.files.document.text().split("\n");
    assert.equal(lines[0], RU.history.title(name));
    assert.ok(lines.some((l) => l.endsWith(`] ${name}: ${text}`)), lines.join("\n"));
    assert.ok(
      lines.some((l) => /^ {4}✎ изменено .*: Исправлено <b onmouseover=alert\(3\)>x<\/b>$/.test(l)),
      lines.join("\n"),
    );
    assert.equal(tg.callsOf("sendDocument").length, 2, "no document for /history pdf");
  }));

// ---- /export ----

Deno.test("/export: a CSV of exactly the messages of those local days, right columns, formula guard", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    const write = async (from: FakeUser, text: string) => {
      tg.sendText(from, text);
      await settled(h);
    };
    await write(alice, "До диапазона");
    await write(alice, "=SUM(A1:A2)");
    await write(agent1, 'Ответ "в кавычках"');
    tg.sendMedia(alice, "photo", { caption: "@фото" });
    await settled(h);
    const draft = tg.sendText(alice, "черновик");
    await settled(h);
    tg.sendEdit(alice, draft.message_id, { text: "-1, и строка\nвторая" });
    await write(bob, "Вопрос Боба");
    await write(alice, "После диапазона");

    // Place each message on its day: the range is 2026-03-10 … 2026-03-11 in Tokyo (UTC+9).
    const db = h.app.db;
    const idOf = (text: string) =>
      (db.prepare("SELECT id FROM messages WHERE text = ?").get(text) as { id: number }).id;
    const at = (text: string, iso: string) =>
      db.prepare("UPDATE messages SET created_at = ? WHERE id = ?").run(
        Date.parse(iso),
        idOf(text),
      );
    at("До диапазона", "2026-03-09T14:59:59Z"); // 03-09 23:59:59 in Tokyo: out
    at("=SUM(A1:A2)", "2026-03-09T15:00:00Z"); // 03-10 00:00 in Tokyo: in, though 03-09 in UTC
    at('Ответ "в кавычках"', "2026-03-10T03:00:00Z");
    at("@фото", "2026-03-10T05:00:00Z");
    at("Вопрос Боба", "2026-03-10T06:00:00Z");
    at("-1, и строка\nвторая", "2026-03-11T14:59:00Z"); // 03-11 23:59 in Tokyo: in
    at("После диапазона", "2026-03-11T15:00:00Z"); // 03-12 00:00 in Tokyo: out

    // Bob shared his number (ASK_CONTACT): a column of its own, guarded like any text.
    h.app.desk.store.setPhone(bob.id, "+7 900 123-45-67");

    const after = tg.calls.length;
    tg.sendText(admin, "/export 2026-03-10 2026-03-11");
    const call = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === ADMIN_ID, {
      after,
    });
    assert.equal(call.params.caption, RU.exportCaption("2026-03-10", "2026-03-11"));
    const file = call.files.document;
    assert.equal(file.filename, "messages-2026-03-10-2026-03-11.csv");
    const csv = withBom(file.bytes);
    assert.ok(csv.startsWith("\uFEFF"), "UTF-8 BOM");
    assert.ok(csv.includes('"Ответ ""в кавычках"""'), "quotes doubled inside a quoted field");
    const rows = parseCsv(csv.slice(1));
    // One language in the whole file, the admin's: the headings, who wrote, the kinds.
    assert.deepEqual(rows[0], CSV_COLUMNS.map((c) => RU.history.columns[c]));
    assert.deepEqual(rows[0], [
      "id сообщения",
      "обращение",
      "время",
      "id клиента",
      "клиент",
      "телефон клиента",
      "кто написал",
      "id отправителя",
      "отправитель",
      "тип",
      "текст",
      "отдел",
      "куда написал клиент",
    ]);
    const client = (shown: string, stored: string, time: string, kind = "сообщение") => [
      String(idOf(stored)),
      ticketNumber(1),
      time,
      String(alice.id),
      "Alice Smith",
      "",
      RU.history.client,
      String(alice.id),
      "Alice Smith",
      kind,
      shown,
      "",
      RU.history.botInbox,
    ];
    assert.deepEqual(rows.slice(1), [
      client("'=SUM(A1:A2)", "=SUM(A1:A2)", "2026-03-10 00:00 Asia/Tokyo"),
      [
        String(idOf('Ответ "в кавычках"')),
        ticketNumber(1),
        "2026-03-10 12:00 Asia/Tokyo",
        String(alice.id),
        "Alice Smith",
        "",
        RU.history.agent,
        String(agent1.id),
        "Agent One",
        "сообщение",
        'Ответ "в кавычках"',
        "",
        RU.history.botInbox,
      ],
      client("'@фото", "@фото", "2026-03-10 14:00 Asia/Tokyo", "фото"),
      [
        String(idOf("Вопрос Боба")),
        ticketNumber(2),
        "2026-03-10 15:00 Asia/Tokyo",
        String(bob.id),
        "Bob",
        "'+7 900 123-45-67",
        RU.history.client,
        String(bob.id),
        "Bob",
        "сообщение",
        "Вопрос Боба",
        "",
        RU.history.botInbox,
      ],
      client("'-1, и строка\nвторая", "-1, и строка\nвторая", "2026-03-11 23:59 Asia/Tokyo"),
    ]);
    assert.ok(!csv.includes("диапазона"), "messages outside the range are left out");
    assert.ok(!csv.includes("черновик"), "an edited message appears in its latest version");
  }, { ADMIN_IDS: String(ADMIN_ID), TIMEZONE: TOKYO }));

Deno.test("/export: bad arguments get the usage, non-admins adminOnly; a whole 366-day range is taken", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    for (
      const args of [
        "",
        "2026-03-10",
        "2026-13-01 2026-11-30",
        "2026-02-30 2026-03-01",
        "2026-11-30 2026-11-01",
        "2026-01-01 2026-01-02 2026-01-03",
        "2026-1-1 2026-1-2",
        "2026-03-10 2026-99-99",
        "2025-01-01 2026-01-03",
      ]
    ) {
      const answer = await ask(tg, admin, `/export ${args}`.trim(), RU.exportUsage);
      assert.equal(shownText(answer), RU.exportUsage);
    }
    await ask(tg, alice, "/export 2026-03-10 2026-03-11", RU.adminOnly);
    await ask(tg, agent1, "/export 2026-03-10 2026-03-11", RU.adminOnly);
    await settled(h);
    assert.equal(tg.callsOf("sendDocument").length, 0);

    // One day, and a leap year's 366 days, are fine (header only: no messages then).
    for (const [from, to] of [["2026-03-10", "2026-03-10"], ["2024-01-01", "2024-12-31"]]) {
      const after = tg.calls.length;
      tg.sendText(admin, `/export ${from} ${to}`);
      const call = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === ADMIN_ID, {
        after,
      });
      assert.equal(call.files.document.filename, `messages-${from}-${to}.csv`);
      assert.deepEqual(parseCsv(withBom(call.files.document.bytes).slice(1)), [
        CSV_COLUMNS.map((c) => RU.history.columns[c]),
      ]);
    }
  }, { ADMIN_IDS: String(ADMIN_ID), TIMEZONE: "Europe/Berlin" }));

Deno.test({
  name: "/export with a second argument that is not a date is answered with the usage",
  fn: () =>
    withHarness(async (h) => {
      const { tg } = h;
      for (const args of ["yesterday today", "2026-03-10 2026-03-1x", "2026-03-10 x"]) {
        await ask(tg, admin, `/export ${args}`, RU.exportUsage);
      }
      await settled(h);
      assert.ok(!h.logs.some((line) => line.includes("update.failed")), h.logs.join("\n"));
    }, { ADMIN_IDS: String(ADMIN_ID) }),
});

Deno.test({
  name: "/export refuses a 367-day range (the limit is 366 days, both ends included)",
  fn: () =>
    withHarness(async (h) => {
      const { tg } = h;
      // 2026-01-01 … 2027-01-02 is 365 + 2 = 367 days.
      await ask(tg, admin, "/export 2026-01-01 2027-01-02", RU.exportUsage);
      await settled(h);
      assert.equal(tg.callsOf("sendDocument").length, 0);
    }, { ADMIN_IDS: String(ADMIN_ID) }),
});
