/**
 * The knowledge base and search end to end, through the real bot and the emulator (private
 * mode): a question the base answers well is answered at once with two buttons; "That helped"
 * closes the ticket as self-served (no agent hears of it, /stats counts it); "I need a
 * person", the client's next message, or the hold's end (across a restart) take the question
 * and the article offered to an agent, nothing lost; an unrelated question reaches an agent
 * with no article and no offer; an agent's suggestion sends the answer as their reply;
 * `/search` finds a word from a closed ticket of another client for an admin but not for an
 * agent who never served it, and `/history T-…` follows the same rule; `/faq reload` with a
 * bad file keeps the base and says why; a bad `FAQ_FILE` stops the start in one line; and
 * without `FAQ_FILE` a question the base would answer goes to the agent as before.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Clock } from "../src/base/clock.ts";
import { startApp } from "../src/app.ts";
import { ConfigError, parseConfig } from "../src/config/mod.ts";
import { silentLogger } from "../src/base/log.ts";
import { ticketNumber } from "../src/texts/mod.ts";
import {
  EN,
  type Harness,
  registerAgent,
  RU,
  settled,
  SUPPORT_TOKEN,
  textsTo,
  waitForText,
  withHarness,
} from "./support/harness.ts";
import { type ApiCall, type FakeTelegram, type FakeUser, user } from "./support/telegram.ts";
import { DatabaseSync } from "node:sqlite";
import { agent1, agent2, alice } from "./support/people.ts";
import { clientWrites, waitInThread, withTeam } from "./support/team.ts";

const SANDBOX_FAQ = new URL("../tools/sandbox/faq.md", import.meta.url).pathname;
const ADMIN_ID = 9301;
const ENV = { FAQ_FILE: SANDBOX_FAQ, FAQ_HOLD_SECONDS: "10", ADMIN_IDS: String(ADMIN_ID) };

const agent = user(9101, "Агент", { last_name: "Первый" });
const client = user(9201, "Иван", { language_code: "ru" });
const enClient = user(9202, "John", { language_code: "en" });
const admin = user(ADMIN_ID, "Админ", { language_code: "ru" });

function buttons(call: ApiCall): { text: string; callback_data: string }[] {
  const markup = call.params.reply_markup as
    | { inline_keyboard: { text: string; callback_data: string }[][] }
    | undefined;
  return markup?.inline_keyboard.flat() ?? [];
}

function press(tg: FakeTelegram, who: FakeUser, call: ApiCall, data: string): void {
  assert.ok(
    buttons(call).some((b) => b.callback_data === data),
    `button ${data} on ${JSON.stringify(buttons(call))}`,
  );
  tg.sendCallbackQuery(who, data, {
    messageId: (call.result as { message_id: number }).message_id,
  });
}

function query<T>(h: Harness, sql: string): T[] {
  const db = new DatabaseSync(h.dbPath, { readOnly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** The client asks how to reset their password; the answer comes with its buttons. */
async function askPassword(h: Harness): Promise<ApiCall> {
  const after = h.tg.calls.length;
  const started = performance.now();
  h.tg.sendText(client, "Забыл пароль, как его сбросить?");
  const offer = await waitForText(h.tg, client.id, RU.knowledge.offer, after);
  assert.ok(performance.now() - started < 1000, "answered within a second");
  assert.match(String(offer.params.text), /страницу входа/);
  // A first message ever: the greeting a new ticket would get comes first.
  assert.ok(String(offer.params.text).startsWith(RU.greetingNew), String(offer.params.text));
  const entities = offer.params.entities as { type: string; offset: number; length: number }[];
  const link = entities.find((e) => e.type === "text_link")!;
  assert.equal(
    String(offer.params.text).slice(link.offset, link.offset + link.length),
    "страницу входа",
  );
  return offer;
}

Deno.test("knowledge: 'That helped' closes the ticket as self-served; no agent hears of it", async () => {
  await withHarness(async (h) => {
    await registerAgent(h.tg, agent);
    const start = h.tg.calls.length;
    const offer = await askPassword(h);
    let after = h.tg.calls.length;
    press(h.tg, client, offer, "faq:1");
    await waitForText(h.tg, client.id, RU.knowledge.helped, after);
    await settled(h);
    assert.deepEqual(textsTo(h.tg, agent.id, start), []);
    const [ticket] = query<{ status: string; self_served: number }>(
      h,
      "SELECT status, self_served FROM tickets",
    );
    assert.deepEqual({ ...ticket }, { status: "closed", self_served: 1 });
    // What the client wrote is kept in the ticket's history.
    assert.equal(query(h, "SELECT id FROM messages WHERE text LIKE 'Забыл пароль%'").length, 1);
    // A second press does nothing more.
    after = h.tg.calls.length;
    press(h.tg, client, offer, "faq:0");
    await settled(h);
    assert.deepEqual(textsTo(h.tg, agent.id, after), []);
    // The admin's /stats counts it.
    after = h.tg.calls.length;
    h.tg.sendText(admin, "/stats");
    await waitForText(h.tg, admin.id, RU.knowledge.statsSelfServed(1), after);
  }, ENV);
});

Deno.test("knowledge: 'I need a person' takes the question and the article to an agent", async () => {
  await withHarness(async (h) => {
    await registerAgent(h.tg, agent);
    const start = h.tg.calls.length;
    const offer = await askPassword(h);
    await settled(h);
    assert.deepEqual(textsTo(h.tg, agent.id, start), [], "the agent waits for the client's word");
    const after = h.tg.calls.length;
    press(h.tg, client, offer, "faq:0");
    await waitForText(h.tg, agent.id, "Забыл пароль, как его сбросить?", after);
    await waitForText(h.tg, agent.id, RU.knowledge.offered("Как сбросить пароль?"), after);
    await waitForText(h.tg, client.id, RU.knowledge.toPerson, after);
  }, ENV);
});

Deno.test("knowledge: the client's next message goes on with the first, in order", async () => {
  await withHarness(async (h) => {
    await registerAgent(h.tg, agent);
    await askPassword(h);
    const after = h.tg.calls.length;
    h.tg.sendText(client, "Ссылка не приходит уже час");
    await waitForText(h.tg, agent.id, "Ссылка не приходит уже час", after);
    const seen = textsTo(h.tg, agent.id, after).join("\n");
    assert.ok(
      seen.indexOf("Забыл пароль") < seen.indexOf("Ссылка не приходит"),
      `in order: ${seen}`,
    );
  }, ENV);
});

/** A clock whose wall time a test steps. */
function steppingClock(): Clock & { step(ms: number): void } {
  let skew = 0;
  return {
    now: () => Date.now() + skew,
    monotonic: () => performance.now(),
    step(ms) {
      skew += ms;
    },
  };
}

Deno.test("knowledge: the hold ends on time, across a restart (one without FAQ_FILE)", async () => {
  const clock = steppingClock();
  await withHarness(
    async (h) => {
      await registerAgent(h.tg, agent);
      await askPassword(h);
      await settled(h);
      await h.restart({ FAQ_FILE: "" });
      const after = h.tg.calls.length;
      clock.step(11_000);
      await waitForText(h.tg, agent.id, "Забыл пароль, как его сбросить?", after, 8000);
      await waitForText(h.tg, agent.id, RU.knowledge.offered("Как сбросить пароль?"), after);
    },
    ENV,
    { clock },
  );
});

Deno.test("knowledge: an unrelated question reaches the agent with no article", async () => {
  await withHarness(async (h) => {
    await registerAgent(h.tg, agent);
    const after = h.tg.calls.length;
    h.tg.sendText(client, "Приложение вылетает при запуске");
    await waitForText(h.tg, agent.id, "Приложение вылетает при запуске", after);
    await settled(h);
    assert.ok(!textsTo(h.tg, client.id, after).some((t) => t.includes(RU.knowledge.offer)));
    assert.ok(!textsTo(h.tg, agent.id, after).some((t) => t.includes(RU.knowledge.suggestions)));
  }, ENV);
});

Deno.test("knowledge: a suggestion pressed sends the answer to the client as the agent's", async () => {
  await withHarness(async (h) => {
    await registerAgent(h.tg, agent);
    let after = h.tg.calls.length;
    h.tg.sendText(enClient, "Where is my order?");
    const suggested = await waitForText(h.tg, agent.id, RU.knowledge.suggestions, after);
    assert.ok(!textsTo(h.tg, enClient.id, after).some((t) => t.includes(EN.knowledge.offer)));
    const cancel = buttons(suggested).find((b) => b.text === "How do I cancel an order?");
    assert.ok(cancel, JSON.stringify(buttons(suggested)));
    after = h.tg.calls.length;
    press(h.tg, agent, suggested, cancel.callback_data);
    await waitForText(h.tg, enClient.id, "An order that has not shipped yet", after);
    await waitForText(
      h.tg,
      agent.id,
      "Клиенту отправлен ответ из базы знаний «How do I cancel",
      after,
    );
    await settled(h);
    const sent = query<{ sender_id: number; sender_role: string }>(
      h,
      "SELECT sender_id, sender_role FROM messages WHERE text LIKE 'An order that has not%'",
    );
    assert.deepEqual(sent.map((m) => ({ ...m })), [{ sender_id: agent.id, sender_role: "agent" }]);
  }, ENV);
});

Deno.test("search: off by default; turned on, it finds a word from another client's closed ticket, for those who may see it", async () => {
  await withHarness(async (h) => {
    const other = user(9102, "Агент", { last_name: "Второй" });
    await registerAgent(h.tg, agent);
    let after = h.tg.calls.length;
    h.tg.sendText(client, "Посылка пришла помятой, коробка разорвана");
    await waitForText(h.tg, agent.id, "Посылка пришла помятой", after);
    after = h.tg.calls.length;
    h.tg.sendText(agent, "/end_chat");
    await waitForText(h.tg, client.id, RU.ticketClosed(ticketNumber(1)).slice(0, 20), after);
    await registerAgent(h.tg, other);
    await settled(h);
    // Off by default: said so, nothing indexed.
    after = h.tg.calls.length;
    h.tg.sendText(admin, "/search коробка");
    await waitForText(h.tg, admin.id, RU.knowledge.searchOff, after);
    const indexed = () =>
      Number(h.app.db.prepare("SELECT count(*) AS n FROM message_index_docsize").get()!.n);
    assert.equal(indexed(), 0);
    // Turned on: what was stored before is indexed at the start.
    await h.restart({ SEARCH: "true" });
    assert.ok(indexed() > 0, "the messages stored before were indexed");
    // The admin finds it by another form of the word.
    after = h.tg.calls.length;
    h.tg.sendText(admin, "/search помятую коробку");
    const found = await waitForText(h.tg, admin.id, ticketNumber(1), after);
    assert.match(String(found.params.text), /Иван/);
    assert.match(String(found.params.text), /помятой/);
    // The agent who served it too; the other agent never did.
    after = h.tg.calls.length;
    h.tg.sendText(agent, "/search коробка");
    await waitForText(h.tg, agent.id, ticketNumber(1), after);
    after = h.tg.calls.length;
    h.tg.sendText(other, "/search коробка");
    await waitForText(h.tg, other.id, RU.knowledge.searchNone("коробка"), after);
    after = h.tg.calls.length;
    h.tg.sendText(other, "/history T-000001");
    await waitForText(h.tg, other.id, RU.knowledge.historyNoTicket(ticketNumber(1)), after);
    // The admin opens it from the result.
    after = h.tg.calls.length;
    h.tg.sendText(admin, "/history T-000001");
    await h.tg.waitFor(
      (calls) =>
        calls.slice(after).find((c) =>
          c.ok && c.method === "sendDocument" && Number(c.params.chat_id) === ADMIN_ID
        ),
      { message: "the history file to the admin" },
    );
    // A client cannot search.
    after = h.tg.calls.length;
    h.tg.sendText(enClient, "/search коробка");
    await waitForText(h.tg, enClient.id, EN.agentOnly, after);
    // Turned off again: the triggers and the index go; messages are stored as before.
    await h.restart({ SEARCH: "false" });
    assert.equal(indexed(), 0);
    after = h.tg.calls.length;
    h.tg.sendText(admin, "/search коробка");
    await waitForText(h.tg, admin.id, RU.knowledge.searchOff, after);
  }, { ADMIN_IDS: String(ADMIN_ID) });
});

Deno.test("faq: admins list and reload it; a bad reload keeps the base and says why", async () => {
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-faq-test-" });
  const file = join(dir, "faq.md");
  Deno.writeTextFileSync(file, "## Как сбросить пароль?\nНажмите «Забыли пароль?».\n");
  try {
    await withHarness(async (h) => {
      let after = h.tg.calls.length;
      h.tg.sendText(admin, "/faq");
      await waitForText(h.tg, admin.id, RU.knowledge.faqList(["Как сбросить пароль?"], 1), after);
      Deno.writeTextFileSync(file, "## Без ответа\n\n## Как сбросить пароль?\nТак.\n");
      after = h.tg.calls.length;
      h.tg.sendText(admin, "/faq reload");
      const refused = await waitForText(h.tg, admin.id, "line 1", after);
      assert.match(String(refused.params.text), /Без ответа/);
      assert.equal(query(h, "SELECT id FROM faq_articles").length, 1);
      Deno.writeTextFileSync(file, "## Один?\nДа.\n\n## Два?\nДа.\n");
      after = h.tg.calls.length;
      h.app.reloadFaq(); // as SIGHUP does
      h.tg.sendText(admin, "/faq");
      await waitForText(h.tg, admin.id, RU.knowledge.faqList(["Один?", "Два?"], 2), after);
      // Long questions: as many as one message holds, the rest counted.
      const long = (i: number) => `${i}. ${"очень длинный вопрос ".repeat(13)}?`;
      Deno.writeTextFileSync(
        file,
        Array.from({ length: 30 }, (_, i) => `## ${long(i)}\nДа.\n`).join("\n"),
      );
      after = h.tg.calls.length;
      h.tg.sendText(admin, "/faq reload");
      await waitForText(h.tg, admin.id, RU.knowledge.faqReloaded(30), after);
      after = h.tg.calls.length;
      h.tg.sendText(admin, "/faq");
      const list = await waitForText(h.tg, admin.id, "База знаний: 30 статей", after);
      assert.ok(String(list.params.text).length <= 4096);
      assert.match(String(list.params.text), /… и ещё \d+/);
      // An agent is not an admin.
      await registerAgent(h.tg, agent);
      after = h.tg.calls.length;
      h.tg.sendText(agent, "/faq reload");
      await waitForText(h.tg, agent.id, RU.adminOnly, after);
    }, { ...ENV, FAQ_FILE: file });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("faq: a bad FAQ_FILE stops the start with one line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-faq-test-" });
  try {
    const config = (faq: string) =>
      parseConfig({
        BOT_TOKEN: "1:x",
        SUPPORT_TOKEN,
        DATABASE_PATH: join(dir, "db.sqlite"),
        TELEGRAM_API_URL: "http://127.0.0.1:9",
        FAQ_FILE: faq,
      });
    await assert.rejects(
      () => startApp(config(join(dir, "missing.md")), silentLogger),
      (e) => e instanceof ConfigError && /^FAQ_FILE .*missing\.md: no such file$/.test(e.message),
    );
    Deno.writeTextFileSync(join(dir, "bad.md"), "no headings here\n");
    await assert.rejects(
      () => startApp(config(join(dir, "bad.md")), silentLogger),
      (e) => e instanceof ConfigError && /bad\.md: no questions/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("knowledge: without FAQ_FILE, a question the base would answer goes to the agent", async () => {
  await withHarness(async (h) => {
    await registerAgent(h.tg, agent);
    const after = h.tg.calls.length;
    h.tg.sendText(client, "Забыл пароль, как его сбросить?");
    await waitForText(h.tg, agent.id, "Забыл пароль, как его сбросить?", after);
    await settled(h);
    assert.ok(!textsTo(h.tg, client.id, after).some((t) => t.includes(RU.knowledge.offer)));
    assert.ok(!textsTo(h.tg, agent.id, after).some((t) => t.includes(RU.knowledge.suggestions)));
  });
});

Deno.test("team: suggestions in the topic; a press answers; every member searches all, also in the group", async () => {
  await withTeam(async (h, staff) => {
    const { tg } = h;
    const thread = await clientWrites(h, staff, alice, "Алиса", "Где мой заказ?");
    await waitInThread(tg, staff, thread, RU.knowledge.suggestions);
    const suggested = tg.messagesInThread(staff, thread).find((m) =>
      String(m.text ?? "").includes(RU.knowledge.suggestions)
    )!;
    const markup = suggested.reply_markup as {
      inline_keyboard: { text: string; callback_data: string }[][];
    };
    const cancel = markup.inline_keyboard.flat().find((b) => b.text === "Как отменить заказ?");
    assert.ok(cancel, JSON.stringify(markup));
    let after = tg.calls.length;
    tg.sendCallbackQuery(agent1, cancel.callback_data, {
      messageId: Number(suggested.message_id),
      chatId: staff,
    });
    await waitForText(tg, alice.id, "Заказ, который ещё не отправлен", after);
    await waitInThread(tg, staff, thread, "Клиенту отправлен ответ из базы знаний «Как отменить");
    // The member who pressed took the ticket; another member finds it by search all the same.
    tg.sendGroupText(staff, agent2, "// посмотрю историю", { threadId: thread });
    await settled(h);
    after = tg.calls.length;
    tg.sendText(agent2, "/search отменяется");
    await waitForText(tg, agent2.id, "#T-000001", after);
    // In the group's General topic too, and the history opens from the result there.
    tg.sendGroupText(staff, agent2, "/search отменяется");
    await tg.waitForCall(
      "sendMessage",
      (c) =>
        c.params.chat_id === staff && c.params.message_thread_id === undefined &&
        String(c.params.text).includes("#T-000001 · Алиса"),
    );
    tg.sendGroupText(staff, agent2, "/history T-000001");
    const file = await tg.waitForCall(
      "sendDocument",
      (c) => c.params.chat_id === staff && c.params.message_thread_id === undefined,
    );
    assert.match(new TextDecoder().decode(file.files.document.bytes), /Где мой заказ\?/);
  }, { FAQ_FILE: SANDBOX_FAQ, SEARCH: "true" });
});

Deno.test("knowledge with departments: a person after the pick, nothing lost", async () => {
  await withHarness(async (h) => {
    await registerAgent(h.tg, agent);
    const offer = await askPassword(h);
    let after = h.tg.calls.length;
    press(h.tg, client, offer, "faq:0");
    const pick = await waitForText(h.tg, client.id, RU.routing.pickDepartment, after);
    assert.match(String(pick.params.text), new RegExp(RU.knowledge.toPerson));
    after = h.tg.calls.length;
    press(h.tg, client, pick, "dept:tech");
    await waitForText(h.tg, agent.id, "Забыл пароль, как его сбросить?", after);
    await waitForText(h.tg, agent.id, RU.knowledge.offered("Как сбросить пароль?"), after);
  }, { ...ENV, DEPARTMENTS: "billing=Оплата|Billing,tech=Техника|Tech support" });
});

Deno.test("suggestions: a ticket taken from the queue, or opened in a department, gets them", async () => {
  await withHarness(async (h) => {
    // Nobody is there: the ticket waits; the agent who comes takes it with its suggestions.
    let after = h.tg.calls.length;
    h.tg.sendText(client, "Где мой заказ?");
    const pick = await waitForText(h.tg, client.id, RU.routing.pickDepartment, after);
    press(h.tg, client, pick, "dept:billing");
    await settled(h);
    after = h.tg.calls.length;
    await registerAgent(h.tg, agent);
    const suggested = await waitForText(h.tg, agent.id, RU.knowledge.suggestions, after);
    assert.ok(buttons(suggested).some((b) => b.text === "Как отменить заказ?"));
    assert.equal(
      textsTo(h.tg, agent.id, after).filter((t) => t === RU.knowledge.suggestions).length,
      1,
    );
  }, { ...ENV, DEPARTMENTS: "billing=Оплата|Billing,tech=Техника|Tech support" });
});

Deno.test("suggestions: a department picked while an agent is free", async () => {
  await withHarness(async (h) => {
    await registerAgent(h.tg, agent);
    let after = h.tg.calls.length;
    h.tg.sendText(client, "Где мой заказ?");
    const pick = await waitForText(h.tg, client.id, RU.routing.pickDepartment, after);
    after = h.tg.calls.length;
    press(h.tg, client, pick, "dept:billing");
    await waitForText(h.tg, agent.id, RU.knowledge.suggestions, after);
    await settled(h);
    assert.equal(
      textsTo(h.tg, agent.id, after).filter((t) => t === RU.knowledge.suggestions).length,
      1,
    );
  }, { ...ENV, DEPARTMENTS: "billing=Оплата|Billing,tech=Техника|Tech support" });
});
