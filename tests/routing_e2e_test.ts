/**
 * Routing end to end, through the real bot in private mode and in team mode: with two free
 * agents of different languages each client reaches the one who speaks their language, even
 * where the seed's order alone would pick the other; a returning client meets their agent
 * again; a client who picks a department reaches an agent of it, and what they wrote before
 * the pick arrives with the ticket; the sandbox's default people land with the right agent.
 */
import assert from "node:assert/strict";
import {
  type Harness,
  RU,
  settled,
  SUPPORT_TOKEN,
  textsTo,
  waitForText,
  withHarness,
} from "./support/harness.ts";
import { type ApiCall, type FakeTelegram, type FakeUser, user } from "./support/telegram.ts";
import { topicOf, waitInThread } from "./support/team.ts";
import { texts } from "../src/texts/mod.ts";
import { parseConfig } from "../src/config/mod.ts";
import { DEFAULT_PEOPLE, People } from "../tools/sandbox/people.ts";
import { SANDBOX_DEPARTMENTS } from "../tools/sandbox/main.ts";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Registers `agent` in private mode, in their own language. */
async function register(tg: FakeTelegram, agent: FakeUser): Promise<void> {
  const after = tg.calls.length;
  tg.sendText(agent, `/register_support ${SUPPORT_TOKEN}`);
  await waitForText(
    tg,
    agent.id,
    texts(agent.language_code === "en" ? "en" : "ru").registerOk,
    after,
  );
  // Registered one after the other, the later one seen later: the seed's order prefers them.
  await pause(5);
}

/** Waits for the agent (of `agents`) who gets `text`; the others got nothing of it. */
async function whoGets(h: Harness, agents: readonly FakeUser[], text: string): Promise<FakeUser> {
  const call = await h.tg.waitFor(
    () =>
      h.tg.calls.find((c) =>
        c.ok && agents.some((a) => a.id === Number(c.params.chat_id)) &&
        String(c.params.text ?? c.params.caption ?? "").includes(text)
      ),
    { message: `one of ${agents.map((a) => a.id)} getting ${JSON.stringify(text)}` },
  );
  await settled(h);
  const got = agents.find((a) => a.id === Number(call.params.chat_id))!;
  for (const other of agents.filter((a) => a !== got)) {
    assert.ok(
      !textsTo(h.tg, other.id, 0).some((t) => t.includes(text)),
      `${other.first_name} ${other.last_name} got ${text} too`,
    );
  }
  return got;
}

const ruClient = user(1201, "Иван", { language_code: "ru" });
const enClient = user(1202, "John", { language_code: "en" });

for (const layout of ["the Russian agent", "the English agent"] as const) {
  Deno.test(`private: each client reaches their language's agent (seed: ${layout})`, async () => {
    await withHarness(async (h) => {
      const ruAgent = user(layout === "the Russian agent" ? 2201 : 2202, "Агент", {
        last_name: "Русский",
        language_code: "ru",
      });
      const enAgent = user(layout === "the Russian agent" ? 2202 : 2201, "Agent", {
        last_name: "English",
        language_code: "en",
      });
      const [favoured, other] = layout === "the Russian agent"
        ? [ruAgent, enAgent]
        : [enAgent, ruAgent];
      // The seed's order prefers whom it favours: seen last (and, on a tie, the lower id).
      await register(h.tg, other);
      await register(h.tg, favoured);
      // The client of the other agent's language writes first, while both agents are free.
      const [first, second] = favoured === ruAgent ? [enClient, ruClient] : [ruClient, enClient];
      h.tg.sendText(first, `question of ${first.first_name}`);
      assert.equal(await whoGets(h, [ruAgent, enAgent], `question of ${first.first_name}`), other);
      h.tg.sendText(second, `question of ${second.first_name}`);
      assert.equal(
        await whoGets(h, [ruAgent, enAgent], `question of ${second.first_name}`),
        favoured,
      );
    });
  });
}

Deno.test("private: nobody speaks the client's language: served at once anyway", async () => {
  await withHarness(async (h) => {
    const ruAgent = user(2211, "Агент", { language_code: "ru" });
    await register(h.tg, ruAgent);
    h.tg.sendText(enClient, "anyone there?");
    assert.equal(await whoGets(h, [ruAgent], "anyone there?"), ruAgent);
  });
});

Deno.test("private: /languages sets what an agent speaks, over their app's", async () => {
  await withHarness(async (h) => {
    const { tg } = h;
    const ruAgent = user(2221, "Агент", { language_code: "ru" });
    const enAgent = user(2222, "Agent", { language_code: "en" });
    await register(tg, ruAgent);
    await register(tg, enAgent);
    let after = tg.calls.length;
    tg.sendText(ruAgent, "/languages en ru");
    await waitForText(tg, ruAgent.id, "Вы говорите: русский, английский", after);
    // The English agent takes only Russian from now: the English client goes to the other.
    after = tg.calls.length;
    tg.sendText(enAgent, "/languages ru");
    await waitForText(tg, enAgent.id, "You speak Russian.", after);
    tg.sendText(enClient, "hello there");
    assert.equal(await whoGets(h, [ruAgent, enAgent], "hello there"), ruAgent);
    after = tg.calls.length;
    tg.sendText(enAgent, "/languages xx");
    await waitForText(tg, enAgent.id, "The bot knows: ru, en", after);
  });
});

/** Plays a client's ticket to its end: they write, someone gets it, that agent ends it. */
async function servedAndEnded(
  h: Harness,
  client: FakeUser,
  agents: readonly FakeUser[],
  text: string,
): Promise<FakeUser> {
  h.tg.sendText(client, text);
  const agent = await whoGets(h, agents, text);
  const after = h.tg.calls.length;
  h.tg.sendText(agent, "/end_chat");
  await waitForText(h.tg, client.id, RU.rateAsk, after);
  await pause(5);
  return agent;
}

for (const back of [true, false]) {
  const name = back ? "meets their agent again" : "goes by the seed's order when told to";
  Deno.test(`private: a returning client ${name}`, async () => {
    await withHarness(async (h) => {
      const agents = [
        user(2301, "Агент", { last_name: "Первый" }),
        user(2302, "Агент", { last_name: "Второй" }),
      ];
      for (const agent of agents) await register(h.tg, agent);
      const first = await servedAndEnded(h, ruClient, agents, "первый вопрос");
      // The seed's order now prefers the other: their last dialog did not just end.
      h.tg.sendText(ruClient, "второй вопрос");
      const second = await whoGets(h, agents, "второй вопрос");
      assert.equal(second === first, back);
    }, { RETURN_TO_LAST_AGENT: String(back) });
  });
}

const DEPARTMENTS = "billing=Оплата|Billing,tech=Техника|Tech support";

/** The buttons of a bot message, flattened. */
function buttonsOf(call: ApiCall): { text: string; callback_data: string }[] {
  const markup = call.params.reply_markup as
    | { inline_keyboard: { text: string; callback_data: string }[][] }
    | undefined;
  return markup?.inline_keyboard.flat() ?? [];
}

/** The client is asked for a department; they write twice more, then press `key`. */
async function picksAfterWriting(tg: FakeTelegram, client: FakeUser, key: string) {
  const after = tg.calls.length;
  tg.sendText(client, "Первое: не проходит оплата");
  const ask = await waitForText(tg, client.id, RU.routing.pickDepartment, after);
  assert.deepEqual(buttonsOf(ask).map((b) => b.text), ["Оплата", "Техника"]);
  tg.sendText(client, "Второе: карта Visa");
  tg.sendMedia(client, "photo", { caption: "Третье: скриншот" });
  await pause(100);
  const messageId = (ask.result as { message_id: number }).message_id;
  tg.sendCallbackQuery(client, `dept:${key}`, { messageId });
}

Deno.test("private: a client picks a department, reaches its agent, loses nothing", async () => {
  await withHarness(async (h) => {
    const { tg } = h;
    const billing = user(2402, "Агент", { last_name: "Оплаты" });
    const tech = user(2401, "Агент", { last_name: "Техники" });
    await register(tg, billing);
    let after = tg.calls.length;
    tg.sendText(billing, "/join billing");
    await waitForText(tg, billing.id, RU.routing.joined("Оплата"), after);
    await pause(5);
    // The tech agent is seen last, with the lower id: the seed's order alone picks them.
    await register(tg, tech);
    after = tg.calls.length;
    tg.sendText(tech, "/join tech");
    await waitForText(tg, tech.id, RU.routing.joined("Техника"), after);
    after = tg.calls.length;
    tg.sendText(tech, "/departments");
    await waitForText(tg, tech.id, "Ваши отделы: «Техника»", after);

    after = tg.calls.length;
    await picksAfterWriting(tg, ruClient, "billing");
    await waitForText(tg, ruClient.id, RU.routing.departmentPicked("Оплата"), after);
    for (const text of ["Первое", "Второе", "Третье"]) {
      assert.equal(await whoGets(h, [billing, tech], text), billing);
    }
    // In order, and in the ticket's history.
    const got = textsTo(tg, billing.id, after).join("\n");
    assert.ok(got.indexOf("Первое") < got.indexOf("Второе"), got);
    assert.ok(got.indexOf("Второе") < got.indexOf("Третье"), got);
    const ticket = h.app.desk.store.lastTicketOfClient(ruClient.id)!;
    assert.equal(ticket.department, "billing");
    const lines = h.app.desk.store.historyPage(ruClient.id, 0, 1e9, 100).map((l) => l.text);
    assert.deepEqual(lines, [
      "Первое: не проходит оплата",
      "Второе: карта Visa",
      "Третье: скриншот",
    ]);
    // The button again: stale, nothing twice.
    after = tg.calls.length;
    tg.sendCallbackQuery(ruClient, "dept:billing", {});
    await settled(h);
    assert.equal(textsTo(tg, billing.id, after).length, 0);
  }, { DEPARTMENTS });
});

// ---- team mode ----

/** A bot in team mode on a fresh staff group of `members`, each of whom wrote in General. */
function withStaff(
  members: readonly FakeUser[],
  fn: (h: Harness, staff: number) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  let staff = 0;
  return withHarness(
    async (h) => {
      for (const member of members) {
        h.tg.sendGroupText(staff, member, `${member.first_name} here`);
        await settled(h);
        await pause(5);
      }
      await fn(h, staff);
    },
    env,
    {
      prepare: (tg) => {
        staff = tg.createGroup({ title: "Support", members: [...members] });
        return { STAFF_CHAT_ID: String(staff) };
      },
    },
  );
}

/** The member the topic of `name` offers its ticket to (by the offer line in the topic). */
async function offeredIn(h: Harness, staff: number, name: string, number: string) {
  const thread = await topicOf(h.tg, staff, name);
  const line = await h.tg.waitFor(
    () =>
      h.tg.messagesInThread(staff, thread).map((m) => String(m.text ?? "")).find((t) =>
        t.includes(`возьмёте обращение ${number}`)
      ),
    { message: `an offer of ${number} in ${name}'s topic` },
  );
  return { thread, line };
}

Deno.test("team: each client is offered to the member of their language", async () => {
  const ruMember = user(2501, "Агент", { last_name: "Русский", language_code: "ru" });
  const enMember = user(2502, "Agent", { last_name: "English", language_code: "en" });
  // The Russian member wrote last: the seed's order alone offers every ticket to them.
  await withStaff([enMember, ruMember], async (h, staff) => {
    h.tg.sendText(enClient, "need help");
    const { line } = await offeredIn(h, staff, "John", "#T-000001");
    assert.match(line, /Agent English/);
    h.tg.sendText(ruClient, "нужна помощь");
    const offered = await offeredIn(h, staff, "Иван", "#T-000002");
    assert.match(offered.line, /Агент Русский/);
  });
});

Deno.test("team: a returning client is offered to the member who served them", async () => {
  const one = user(2511, "Агент", { last_name: "Первый" });
  const two = user(2512, "Агент", { last_name: "Второй" });
  await withStaff([one, two], async (h, staff) => {
    const { tg } = h;
    tg.sendText(ruClient, "первый вопрос");
    const { thread } = await offeredIn(h, staff, "Иван", "#T-000001");
    // The member the seed's order does not offer it to answers, and closes it.
    tg.sendGroupText(staff, one, "Здравствуйте!", { threadId: thread });
    await waitInThread(tg, staff, thread, RU.team.taken("#T-000001", "Агент Первый"));
    tg.sendGroupText(staff, one, "/close", { threadId: thread });
    await waitInThread(tg, staff, thread, "#T-000001 закрыто");
    await pause(5);
    tg.sendText(ruClient, "второй вопрос");
    const { line } = await offeredIn(h, staff, "Иван", "#T-000002");
    assert.match(line, /Агент Первый/);
  });
});

Deno.test("team: a client picks a department: offered to its member, nothing lost", async () => {
  const tech = user(2521, "Агент", { last_name: "Техники" });
  const billing = user(2522, "Агент", { last_name: "Оплаты" });
  await withStaff([billing, tech], async (h, staff) => {
    const { tg } = h;
    tg.sendGroupText(staff, billing, "/join billing");
    tg.sendGroupText(staff, tech, "/join tech");
    await settled(h);
    assert.deepEqual(h.app.desk.store.getUser(billing.id)?.departments, ["billing"]);
    assert.deepEqual(h.app.desk.store.getUser(tech.id)?.departments, ["tech"]);
    await picksAfterWriting(tg, ruClient, "billing");
    const { thread, line } = await offeredIn(h, staff, "Иван", "#T-000001");
    assert.match(line, /Агент Оплаты/);
    for (const text of ["Первое", "Второе", "Третье"]) await waitInThread(tg, staff, thread, text);
    // The department in the topic's title and on its card.
    assert.equal(tg.topic(staff, thread)!.name, "🔵 #T-000001 · Оплата · Иван");
    await waitInThread(tg, staff, thread, "Отдел: Оплата");
    // /transfer in the topic offers the other department; the ticket goes there.
    let after = tg.calls.length;
    tg.sendGroupText(staff, billing, "/transfer", { threadId: thread });
    const choose = await tg.waitFor(
      () =>
        tg.calls.slice(after).find((c) =>
          c.ok && c.params.chat_id === staff &&
          buttonsOf(c).some((b) => b.callback_data === "move:1:tech")
        ),
      { message: "the transfer buttons" },
    );
    after = tg.calls.length;
    tg.sendCallbackQuery(billing, "move:1:tech", {
      chatId: staff,
      messageId: (choose.result as { message_id: number }).message_id,
    });
    await waitInThread(tg, staff, thread, RU.routing.movedToDepartment("#T-000001", "Техника"));
    await waitForText(
      tg,
      ruClient.id,
      RU.routing.clientMovedToDepartment("#T-000001", "Техника"),
      after,
    );
    await tg.waitFor(() => tg.topic(staff, thread)!.name === "🔵 #T-000001 · Техника · Иван", {
      message: "retitled",
    });
    await waitInThread(tg, staff, thread, "Агент Техники, возьмёте обращение #T-000001?");
  }, { DEPARTMENTS });
});

Deno.test("sandbox: its default people land with the agent of their language", async () => {
  await withHarness(async (h) => {
    const people = new People(h.tg, DEFAULT_PEOPLE);
    const of = (role: string, language: string) =>
      people.userOf(people.list().find((p) => p.role === role && p.language === language)!);
    const [anna, john] = [of("client", "ru"), of("client", "en")];
    const [maria, tom] = [of("agent", "ru"), of("agent", "en")];
    // Tom registers last: the seed's order alone would give Анна to him.
    await register(h.tg, maria);
    await register(h.tg, tom);
    h.tg.sendText(anna, "Здравствуйте, вопрос по счёту");
    assert.equal(await whoGets(h, [maria, tom], "вопрос по счёту"), maria);
    h.tg.sendText(john, "Hi, a question about my bill");
    assert.equal(await whoGets(h, [maria, tom], "question about my bill"), tom);
  });
  // --departments: two departments, named in both languages.
  assert.deepEqual(
    parseConfig({ BOT_TOKEN: "1:a", SUPPORT_TOKEN, DEPARTMENTS: SANDBOX_DEPARTMENTS })
      .departments.map((d) => d.names.en),
    ["Billing", "Tech support"],
  );
});

Deno.test("private: a department's ticket waits for its own agents; /queue, /stats", async () => {
  const admin = user(9001, "Boss");
  await withHarness(async (h) => {
    const { tg } = h;
    const billing = user(2601, "Агент", { last_name: "Оплаты" });
    await register(tg, billing);
    let after = tg.calls.length;
    tg.sendText(billing, "/join billing");
    await waitForText(tg, billing.id, RU.routing.joined("Оплата"), after);
    after = tg.calls.length;
    await picksAfterWriting(tg, ruClient, "tech");
    // The billing agent is free but of another department: the client waits in the queue.
    await waitForText(tg, ruClient.id, RU.queued(1), after);
    await settled(h);
    assert.ok(!textsTo(tg, billing.id, after).some((t) => t.includes("Первое")));
    after = tg.calls.length;
    tg.sendText(admin, "/queue");
    await waitForText(tg, admin.id, "#T-000001, Иван («Техника»)", after);
    after = tg.calls.length;
    tg.sendText(admin, "/stats");
    await waitForText(tg, admin.id, "Техника: в очереди — 1, специалистов — 0", after);
    after = tg.calls.length;
    tg.sendText(billing, "/stats");
    await waitForText(tg, billing.id, "Языки: русский. Отделы: Оплата.", after);
    // Joining tech by its button: the agent is free, and takes the ticket when the queue drains.
    after = tg.calls.length;
    tg.sendText(billing, "/departments");
    const list = await waitForText(tg, billing.id, "Ваши отделы: «Оплата»", after);
    assert.deepEqual(buttonsOf(list).map((b) => b.text), ["✅ Оплата", "Техника"]);
    tg.sendCallbackQuery(billing, "member:tech", {
      messageId: (list.result as { message_id: number }).message_id,
    });
    await tg.waitForCall("editMessageText", (c) => c.params.chat_id === billing.id);
    await waitForText(tg, billing.id, "Первое", after, 10_000);
  }, { DEPARTMENTS, ADMIN_IDS: "9001" });
});

Deno.test("private: LANGUAGE_WAIT_SECONDS: a client waits for a speaker, then not", async () => {
  await withHarness(async (h) => {
    const { tg } = h;
    const EN = texts("en");
    const ruAgent = user(2701, "Агент", { language_code: "ru" });
    const enAgent = user(2702, "Agent", { language_code: "en" });
    await register(tg, ruAgent);
    // Only a Russian agent is free: the English client waits, and the English agent, once
    // registered, takes them.
    let after = tg.calls.length;
    tg.sendText(enClient, "waiting for English");
    await waitForText(tg, enClient.id, EN.queued(1), after);
    await settled(h);
    assert.ok(!textsTo(tg, ruAgent.id, after).some((t) => t.includes("waiting for English")));
    await register(tg, enAgent);
    await waitForText(tg, enAgent.id, "waiting for English", after);
    // Another English client while the English agent is busy: they wait, until the wait is
    // over; then the Russian agent takes them (their next message finds them one).
    const other = user(1203, "Mary", { language_code: "en" });
    after = tg.calls.length;
    tg.sendText(other, "me too");
    await waitForText(tg, other.id, EN.queued(1), after);
    await pause(1200);
    tg.sendText(other, "still here");
    await waitForText(tg, ruAgent.id, "me too", after);
    await waitForText(tg, ruAgent.id, "still here", after);
  }, { LANGUAGE_WAIT_SECONDS: "1" });
});

Deno.test("private: a client's place in the queue counts the tickets of their department", async () => {
  await withHarness(async (h) => {
    const { tg } = h;
    // Nobody to serve anyone: both wait. Ivan waits first, for tech.
    let after = tg.calls.length;
    await picksAfterWriting(tg, ruClient, "tech");
    await waitForText(tg, ruClient.id, RU.queued(1), after);
    // Another client then picks billing: no billing ticket is ahead of hers, so she is first.
    const other = user(1203, "Мария", { language_code: "ru" });
    after = tg.calls.length;
    await picksAfterWriting(tg, other, "billing");
    await waitForText(tg, other.id, RU.queued(1), after);
    // A third, for tech again, is second: behind Ivan.
    const third = user(1204, "Пётр", { language_code: "ru" });
    after = tg.calls.length;
    await picksAfterWriting(tg, third, "tech");
    await waitForText(tg, third.id, RU.queued(2), after);
  }, { DEPARTMENTS });
});

Deno.test("private: /export carries each ticket's department, by name", async () => {
  const admin = user(9001, "Boss");
  await withHarness(async (h) => {
    const { tg } = h;
    const billing = user(2801, "Агент", { last_name: "Оплаты" });
    await register(tg, billing);
    let after = tg.calls.length;
    tg.sendText(billing, "/join billing");
    await waitForText(tg, billing.id, RU.routing.joined("Оплата"), after);
    await picksAfterWriting(tg, ruClient, "billing");
    await waitForText(tg, billing.id, "Третье", after);
    tg.sendText(billing, "Ответ из оплаты");
    await settled(h);
    const today = new Date().toISOString().slice(0, 10);
    after = tg.calls.length;
    tg.sendText(admin, `/export ${today} ${today}`);
    const call = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === admin.id, {
      after,
    });
    const lines = new TextDecoder().decode(call.files.document.bytes).replace(/^\uFEFF/, "")
      .split("\r\n").filter(Boolean);
    assert.ok(lines[0].endsWith(",отдел,куда написал клиент"), lines[0]);
    const rows = lines.slice(1);
    assert.equal(rows.length, 4, rows.join("\n"));
    for (const row of rows) assert.ok(row.endsWith(",Оплата,бот"), row);
  }, { DEPARTMENTS, ADMIN_IDS: "9001", TIMEZONE: "UTC" });
});

Deno.test("team: the board shows each department's waiting tickets and its members", async () => {
  const tech = user(2821, "Агент", { last_name: "Техники" });
  const billing = user(2822, "Агент", { last_name: "Оплаты" });
  const both = user(2823, "Агент", { last_name: "Всех" });
  await withStaff([billing, tech, both], async (h, staff) => {
    const { tg } = h;
    tg.sendGroupText(staff, billing, "/join billing");
    tg.sendGroupText(staff, tech, "/join tech");
    await settled(h);
    await picksAfterWriting(tg, ruClient, "tech");
    await offeredIn(h, staff, "Иван", "#T-000001");
    const board = await tg.waitFor(
      (calls) =>
        calls.findLast((c) =>
          c.ok && c.params.chat_id === staff &&
          (c.method === "sendMessage" || c.method === "editMessageText") &&
          String(c.params.text).includes("#T-000001 Иван")
        ),
      { timeoutMs: 8000, message: "the board with the ticket" },
    );
    const text = String(board.params.text);
    assert.match(text, /🔵 #T-000001 Иван \(Техника\) — /);
    assert.ok(
      text.includes(
        [
          "По отделам:",
          "  Оплата: ждут ответа — 0 · специалисты: Агент Оплаты",
          "  Техника: ждут ответа — 1 · специалисты: Агент Техники",
          "  без отдела: ждут ответа — 0 · специалисты: Агент Всех",
        ].join("\n"),
      ),
      text,
    );
  }, { DEPARTMENTS, BOARD_INTERVAL_SECONDS: "1" });
});
