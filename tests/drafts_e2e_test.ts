/**
 * Drafts from a language model, end to end: the real bot, the Bot API emulator, and a fake
 * chat completions API on 127.0.0.1 (`support/fake_llm.ts`). Drafts reach the agent (or the
 * topic) and never the client; "Send" delivers the draft as the agent's answer, once; "Drop"
 * sends nothing; a burst of client messages makes one request; a slow model, one that answers
 * 500 or garbage, or one that refuses connections never delays the relay and is logged once
 * per outage; the API key is sent and never logged; no name or id goes to the model; a
 * request cut short by a restart is made after it; team mode; nothing without `LLM_URL`.
 */
import assert from "node:assert/strict";
import {
  EN,
  type Harness,
  introduce,
  registerAgent,
  RU,
  settled,
  textsTo,
  waitForText,
  withHarness,
} from "./support/harness.ts";
import { type ApiCall, type FakeTelegram, type FakeUser, user } from "./support/telegram.ts";
import { closedUrl, FakeModel } from "./support/fake_llm.ts";
import { topicOf, waitInThread, withTeam } from "./support/team.ts";
import { agent1 } from "./support/people.ts";

const alice = user(1301, "Alice", { username: "alice_x", last_name: "Smith" });
const agent = user(2301, "Agent", { last_name: "Drafts" });
const KEY = "sk-test-secret-key-0123456789";

/** A draft's text, as shown above its buttons. */
const shown = (text: string) => RU.draftShown(text);

/** Runs `fn` with a fake model and a bot whose drafts ask it. */
async function withModel(
  fn: (h: Harness, model: FakeModel) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  const model = FakeModel.start();
  try {
    await withHarness((h) => fn(h, model), {
      LLM_URL: model.url,
      LLM_MODEL: "fake-model",
      LLM_API_KEY: KEY,
      LLM_TIMEOUT_SECONDS: "1",
      ...env,
    });
  } finally {
    await model.close();
  }
}

/** The buttons of a bot message, flattened. */
function buttons(call: ApiCall): { text: string; callback_data: string }[] {
  const markup = call.params.reply_markup as
    | { inline_keyboard: { text: string; callback_data: string }[][] }
    | undefined;
  return markup?.inline_keyboard.flat() ?? [];
}

/** Presses the button labelled `label` on the bot message `call`, in `chatId` when given. */
function press(tg: FakeTelegram, who: FakeUser, call: ApiCall, label: string, chatId?: number) {
  const button = buttons(call).find((b) => b.text === label);
  assert.ok(button, `button ${label} on ${JSON.stringify(buttons(call))}`);
  const messageId = (call.result as { message_id: number }).message_id;
  tg.sendCallbackQuery(who, button.callback_data, { messageId, chatId });
}

/** Waits for the answer to a button press after call `after`; its text. */
async function answerOf(tg: FakeTelegram, after: number): Promise<string> {
  const call = await tg.waitFor((calls) =>
    calls.slice(after).find((c) => c.ok && c.method === "answerCallbackQuery")
  );
  return String(call.params.text ?? "");
}

/** Alice in a dialog with `agent`: she wrote `first`, and it reached the agent. */
async function dialog(h: Harness, first: string): Promise<void> {
  await registerAgent(h.tg, agent);
  await introduce(h.tg, alice, "Алиса");
  h.tg.sendText(alice, first);
  await waitForText(h.tg, agent.id, first);
}

/** Lines of the log about the model. */
const modelLines = (h: Harness) => h.logs.filter((l) => /llm\./.test(l));

Deno.test("private: the draft reaches the agent, never the client; Send delivers it once", async () => {
  await withModel(async (h, model) => {
    const { tg } = h;
    model.behaviour = { kind: "answer", text: () => "Сбросьте пароль в настройках профиля." };
    const before = tg.calls.length;
    await dialog(h, "Не могу войти, забыл пароль");
    const draft = await waitForText(tg, agent.id, shown("Сбросьте пароль в настройках профиля."));
    assert.deepEqual(buttons(draft).map((b) => b.text), [RU.draftSend, RU.draftDrop]);
    await settled(h);
    // The client saw nothing of the model.
    assert.ok(!textsTo(tg, alice.id, before).some((t) => t.includes("Сбросьте пароль")));
    // What the model got: the client's text, with the key; no name, username or id.
    assert.equal(model.requests.length, 1);
    const request = model.requests[0];
    assert.equal(request.path, "/v1/chat/completions");
    assert.equal(request.headers.get("authorization"), `Bearer ${KEY}`);
    assert.equal(request.body.model, "fake-model");
    assert.equal(request.body.messages[0].role, "system");
    assert.deepEqual(request.body.messages.slice(1), [
      { role: "user", content: "Не могу войти, забыл пароль" },
    ]);
    for (const secret of ["Алиса", "Alice", "alice_x", "Smith", String(alice.id)]) {
      assert.ok(!model.allContent().includes(secret), `${secret} sent to the model`);
    }
    // Nobody but the ticket's agent may press: not the client, not another agent.
    const data = buttons(draft).find((b) => b.text === RU.draftSend)!.callback_data;
    const other = user(2302, "Agent", { last_name: "Other" });
    await registerAgent(tg, other);
    for (const who of [alice, other]) {
      const at = tg.calls.length;
      tg.sendCallbackQuery(who, data, { messageId: 1 });
      assert.equal(await answerOf(tg, at), RU.buttonStale);
    }
    // Send: the client gets the draft as the agent's answer; the agent sees it went.
    let after = tg.calls.length;
    press(tg, agent, draft, RU.draftSend);
    assert.equal(await answerOf(tg, after), RU.draftSent);
    await waitForText(tg, alice.id, "Сбросьте пароль в настройках профиля.", after);
    await waitForText(tg, agent.id, RU.draftSent, after);
    const dropped = await tg.waitFor((calls) =>
      calls.slice(after).find((c) => c.ok && c.method === "editMessageReplyMarkup")
    );
    assert.equal(Number(dropped.params.chat_id), agent.id);
    // A second press sends nothing more.
    after = tg.calls.length;
    press(tg, agent, draft, RU.draftSend);
    assert.equal(await answerOf(tg, after), RU.draftDone);
    await settled(h);
    assert.deepEqual(textsTo(tg, alice.id, after), []);
    // The key is in no log line.
    assert.ok(!h.logs.some((l) => l.includes(KEY)));
    assert.deepEqual(modelLines(h), []);
  });
});

Deno.test("private: Drop sends nothing; a closed ticket's draft and an older one say so", async () => {
  await withModel(async (h, model) => {
    const { tg } = h;
    let n = 0;
    model.behaviour = { kind: "answer", text: () => `Черновик номер ${++n}` };
    await dialog(h, "Первый вопрос");
    const first = await waitForText(tg, agent.id, shown("Черновик номер 1"));
    let after = tg.calls.length;
    press(tg, agent, first, RU.draftDrop);
    assert.equal(await answerOf(tg, after), RU.draftDropped);
    // The client writes again: a second draft; the first's buttons are gone for good.
    tg.sendText(alice, "Второй вопрос");
    const second = await waitForText(tg, agent.id, shown("Черновик номер 2"), after);
    tg.sendText(alice, "Третий вопрос");
    const third = await waitForText(tg, agent.id, shown("Черновик номер 3"), after);
    after = tg.calls.length;
    press(tg, agent, second, RU.draftSend);
    assert.equal(await answerOf(tg, after), RU.draftNewer);
    // The ticket closes: its last draft sends nothing.
    tg.sendText(agent, "/end_chat");
    await waitForText(tg, alice.id, RU.rateAsk, after);
    after = tg.calls.length;
    press(tg, agent, third, RU.draftSend);
    assert.equal(await answerOf(tg, after), RU.draftClosed);
    await settled(h);
    assert.ok(!textsTo(tg, alice.id, 0).some((t) => t.includes("Черновик номер")));
  });
});

Deno.test("private: five messages in a row make one request, for all of them", async () => {
  await withModel(async (h, model) => {
    const { tg } = h;
    await dialog(h, "раз");
    await waitForText(tg, agent.id, shown("Здравствуйте! Это черновик."));
    const asked = model.requests.length;
    for (const word of ["два", "три", "четыре", "пять", "шесть"]) tg.sendText(alice, word);
    await waitForText(tg, agent.id, "шесть");
    await h.app.drafter!.idle();
    await settled(h);
    assert.equal(model.requests.length, asked + 1);
    const last = model.requests.at(-1)!.body.messages.at(-1)!;
    assert.equal(last.role, "user");
    // No answer in between: the client's lines are one turn.
    assert.equal(last.content, "раз\nдва\nтри\nчетыре\nпять\nшесть");
  });
});

/** The client's message reaches the agent within `ms` of being sent. */
async function relayedWithin(h: Harness, text: string, ms: number): Promise<void> {
  const started = performance.now();
  h.tg.sendText(alice, text);
  await waitForText(h.tg, agent.id, text, 0, ms);
  const took = performance.now() - started;
  assert.ok(took < ms, `relayed in ${took} ms`);
}

for (
  const [name, setUp] of [
    [
      "slow (past the timeout)",
      (m: FakeModel) => m.behaviour = { kind: "slow", ms: 5000, text: "x" },
    ],
    ["answering 500", (m: FakeModel) => m.behaviour = { kind: "status", status: 500 }],
    ["answering garbage", (m: FakeModel) => m.behaviour = { kind: "garbage" }],
  ] as const
) {
  Deno.test(`private: a model ${name} never delays the relay, logged once per outage`, async () => {
    await withModel(async (h, model) => {
      setUp(model);
      await dialog(h, "первое");
      // The first message's request is made (a slow one still in flight): the next message
      // is relayed at once all the same.
      await h.tg.waitFor(() => model.requests.length >= 1 || undefined, { message: "asked" });
      await relayedWithin(h, "второе", 800);
      await h.app.drafter!.idle();
      // The second message's request failed too; the third still goes at once.
      await relayedWithin(h, "третье", 800);
      await h.app.drafter!.idle();
      await settled(h);
      assert.ok(model.requests.length >= 2, `${model.requests.length} requests`);
      assert.equal(modelLines(h).filter((l) => l.includes("llm.unavailable")).length, 1);
      assert.ok(!h.logs.some((l) => l.includes(KEY)));
      // No draft reached anyone.
      assert.ok(!textsTo(h.tg, agent.id, 0).some((t) => t.includes("🤖")));
      // The model is back: one line says so, and the draft comes.
      model.behaviour = { kind: "answer", text: () => "Снова работаю" };
      h.tg.sendText(alice, "четвёртое");
      await waitForText(h.tg, agent.id, shown("Снова работаю"));
      assert.equal(modelLines(h).filter((l) => l.includes("llm.recovered")).length, 1);
      assert.equal(modelLines(h).length, 2);
    });
  });
}

Deno.test("private: a model that refuses connections never delays the relay", async () => {
  await withHarness(async (h) => {
    await dialog(h, "первое");
    await relayedWithin(h, "второе", 800);
    await h.app.drafter!.idle();
    await relayedWithin(h, "третье", 800);
    await h.app.drafter!.idle();
    const lines = modelLines(h);
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(lines[0], /llm\.unavailable.*problem=unreachable/);
    assert.ok(!lines[0].includes(KEY));
  }, { LLM_URL: closedUrl(), LLM_MODEL: "m", LLM_API_KEY: KEY });
});

Deno.test("private: a request cut short by a stop is made after the restart", async () => {
  await withModel(async (h, model) => {
    const { tg } = h;
    model.behaviour = { kind: "slow", ms: 30_000, text: "поздно" };
    await dialog(h, "Вопрос перед перезапуском");
    await tg.waitFor(() => model.requests.length === 1 || undefined, {
      message: "the model asked",
    });
    // The request in flight sleeps on; the next one is answered.
    model.behaviour = { kind: "answer", text: () => "После перезапуска" };
    await h.restart();
    // The stop aborted it: no outage was logged, and the request was still pending.
    assert.deepEqual(modelLines(h), []);
    await waitForText(tg, agent.id, shown("После перезапуска"));
    assert.equal(model.requests.length, 2);
  }, { LLM_TIMEOUT_SECONDS: "60" });
});

Deno.test("team: the draft goes to the topic; a member's Send answers the client", async () => {
  const model = FakeModel.start();
  model.behaviour = { kind: "answer", text: () => "Ответ из черновика" };
  try {
    await withTeam(async (h, staff) => {
      const { tg } = h;
      await introduce(tg, alice, "Алиса");
      const before = tg.calls.length;
      tg.sendText(alice, "Вопрос в группу");
      const thread = await topicOf(tg, staff, "Алиса");
      await waitInThread(tg, staff, thread, RU.draftShown("Ответ из черновика"));
      const draft = tg.calls.find((c) =>
        c.ok && Number(c.params.chat_id) === staff &&
        String(c.params.text ?? "").includes("Ответ из черновика")
      )!;
      assert.equal(Number(draft.params.message_thread_id), thread);
      await settled(h);
      assert.ok(!textsTo(tg, alice.id, before).some((t) => t.includes("Ответ из черновика")));
      const after = tg.calls.length;
      press(tg, agent1, draft, RU.draftSend, staff);
      assert.equal(await answerOf(tg, after), RU.draftSent);
      await waitForText(tg, alice.id, "Ответ из черновика", after);
      await waitInThread(tg, staff, thread, RU.draftSent);
    }, { LLM_URL: model.url, LLM_MODEL: "fake-model" });
  } finally {
    await model.close();
  }
});

Deno.test("without LLM_URL: no drafter, no request row, nothing but the relay", async () => {
  await withHarness(async (h) => {
    assert.equal(h.app.drafter, undefined);
    await dialog(h, "Обычный вопрос");
    await settled(h);
    const rows = h.app.db.prepare("SELECT count(*) AS n FROM drafts").get() as { n: number };
    assert.equal(rows.n, 0);
    assert.ok(!textsTo(h.tg, agent.id, 0).some((t) => t.includes("🤖")));
    assert.equal(EN.draftSend.length > 0, true);
  });
});
