/**
 * Drafts from a language model, part by part: what the model is sent (the prompt, the
 * articles, the conversation bounded and merged, no names), how its answer is read (a draft,
 * or garbage), the buttons' data, the settings (a bad `LLM_URL`, one without `LLM_MODEL`, a
 * prompt file; the key never echoed), the requests' rows (a burst asks once), and the
 * drafter on a real database against the fake API: the articles of a finder go into the
 * prompt, a finder that throws gives none, a spent request is given up.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CommitBoundary } from "../src/boundary.ts";
import { ConfigError, parseConfig } from "../src/config/mod.ts";
import { silentLogger } from "../src/base/log.ts";
import { Drafter, MAX_TRIES } from "../src/llm/mod.ts";
import { packButton, parseButton } from "../src/rules/button_data.ts";
import {
  DEFAULT_PROMPT,
  DRAFT_CHARS,
  DRAFT_MAX_TEXT,
  draftMessages,
  draftOf,
  latestQuestion,
} from "../src/rules/drafts.ts";
import { openDatabase } from "../src/store/db.ts";
import { Store } from "../src/store/mod.ts";
import { FakeModel } from "./support/fake_llm.ts";

const BASE = { BOT_TOKEN: "1:abc", SUPPORT_TOKEN: "x".repeat(12) };

Deno.test("prompt: the system prompt with the articles, then the conversation, oldest first", () => {
  const lines = [
    { role: "client", kind: "text", text: "и ещё вопрос" },
    { role: "client", kind: "photo", text: "скриншот ошибки" },
    { role: "agent", kind: "text", text: "Что случилось?" },
    { role: "client", kind: "document", text: null },
    { role: "client", kind: "text", text: "Здравствуйте" },
  ] as const;
  const messages = draftMessages("PROMPT", lines, [
    { question: "Как сбросить пароль?", answer: "Нажмите «Забыли пароль».", score: 3 },
  ]);
  assert.equal(messages[0].role, "system");
  assert.ok(messages[0].content.startsWith("PROMPT"));
  assert.match(messages[0].content, /Как сбросить пароль\?\nНажмите «Забыли пароль»\./);
  assert.deepEqual(messages.slice(1), [
    { role: "user", content: "Здравствуйте\n[document]" },
    { role: "assistant", content: "Что случилось?" },
    { role: "user", content: "[photo] скриншот ошибки\nи ещё вопрос" },
  ]);
  assert.equal(draftMessages("P", lines, [])[0].content, "P");
  assert.equal(latestQuestion(lines), "скриншот ошибки\nи ещё вопрос");
});

Deno.test("prompt: the conversation is bounded, the newest kept", () => {
  const long = "б".repeat(3000);
  const lines = Array.from({ length: 40 }, (_, i) => ({
    role: i % 2 === 0 ? "client" as const : "agent" as const,
    kind: "text",
    text: i === 0 ? "последний" : long,
  }));
  const messages = draftMessages(DEFAULT_PROMPT, lines, []);
  const sent = messages.slice(1).map((m) => m.content).join("");
  assert.ok(sent.length <= DRAFT_CHARS + 10, `${sent.length}`);
  assert.equal(messages.at(-1)!.content, "последний");
  assert.ok(messages[1].content.startsWith("…"));
});

Deno.test("answer: the first choice's text, trimmed and cut; garbage is none", () => {
  const answer = (content: unknown) => ({ choices: [{ message: { role: "assistant", content } }] });
  assert.equal(draftOf(answer("  Здравствуйте!  ")), "Здравствуйте!");
  assert.equal(draftOf(answer("<think>hm</think>\nГотово")), "Готово");
  assert.equal(draftOf(answer("x".repeat(5000)))!.length, DRAFT_MAX_TEXT);
  for (
    const garbage of [null, "text", {}, { choices: [] }, answer(null), answer("  "), answer(5)]
  ) {
    assert.equal(draftOf(garbage), undefined, JSON.stringify(garbage));
  }
});

Deno.test("buttons: Send and Drop of a draft, packed and read back; forged ones are not", () => {
  for (const send of [true, false]) {
    const data = { action: "draft", draftId: 42, send } as const;
    assert.deepEqual(parseButton(packButton(data)), data);
  }
  assert.equal(packButton({ action: "draft", draftId: 7, send: true }), "draft:7:send");
  for (
    const forged of ["draft:0:send", "draft:x:send", "draft:7:post", "draft:7", "draft:7:send:1"]
  ) {
    assert.equal(parseButton(forged), undefined, forged);
  }
});

Deno.test("settings: drafts off by default; a bad LLM_URL or one without LLM_MODEL stops", async () => {
  assert.equal(parseConfig(BASE).llm, null);
  const llm = parseConfig({
    ...BASE,
    LLM_URL: "http://127.0.0.1:11434/v1/",
    LLM_MODEL: "qwen2.5:7b",
    LLM_API_KEY: "sk-secret",
  }).llm!;
  assert.deepEqual(llm, {
    url: "http://127.0.0.1:11434/v1",
    model: "qwen2.5:7b",
    apiKey: "sk-secret",
    prompt: undefined,
    timeoutMs: 20_000,
  });
  const fails = (env: Record<string, string>, pattern: RegExp) =>
    assert.throws(() => parseConfig({ ...BASE, ...env }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, pattern);
      assert.ok(!e.message.includes("sk-secret") && !e.message.includes("\n"), e.message);
      return true;
    });
  fails({ LLM_URL: "not a url", LLM_MODEL: "m", LLM_API_KEY: "sk-secret" }, /LLM_URL is not a URL/);
  fails({ LLM_URL: "ftp://sk-secret@x/v1", LLM_MODEL: "m" }, /http/);
  fails({ LLM_URL: "http://x/v1/chat/completions", LLM_MODEL: "m" }, /without \/chat\/completions/);
  fails({ LLM_URL: "http://x/v1", LLM_API_KEY: "sk-secret" }, /LLM_MODEL is not set/);
  fails({ LLM_MODEL: "m" }, /LLM_URL is not set/);
  fails({ LLM_URL: "http://x/v1", LLM_MODEL: "m", LLM_TIMEOUT_SECONDS: "0" }, /LLM_TIMEOUT/);
  fails({ LLM_URL: "http://x/v1", LLM_MODEL: "m", LLM_PROMPT_FILE: "/nonexistent/p" }, /PROMPT/);
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "prompt.txt");
    await Deno.writeTextFile(file, "  Отвечай кратко.\n");
    const config = parseConfig({
      ...BASE,
      LLM_URL: "https://x/v1",
      LLM_MODEL: "m",
      LLM_PROMPT_FILE: file,
    });
    assert.equal(config.llm!.prompt, "Отвечай кратко.");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A database with a client's ticket, in a fresh folder. */
async function withTicket(
  fn: (store: Store, boundary: CommitBoundary, ticketId: number) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-drafts-test-" });
  const db = openDatabase(join(dir, "helpdesk.db"));
  try {
    const store = new Store(db);
    const boundary = new CommitBoundary(store);
    const now = Date.now();
    store.insertUser(
      { userId: 1, username: "ann", fullName: "Ann Lee", language: "en" },
      false,
      now,
    );
    const ticketId = store.createTicket(1, now);
    store.insertMessage(
      {
        ticketId,
        clientId: 1,
        agentId: null,
        senderId: 1,
        senderRole: "client",
        kind: "text",
        text: "How do I reset my password?",
        entities: null,
        fileId: null,
        chatMessageId: 5,
        replyToId: null,
        signedInline: null,
        mediaGroupId: null,
        createdAt: now,
      } as Parameters<Store["insertMessage"]>[0],
    );
    await fn(store, boundary, ticketId);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("store: a burst of messages asks once; each new one pushes the request back", async () => {
  await withTicket(async (store, _boundary, ticketId) => {
    store.requestDraft(ticketId, 1000, 0);
    store.requestDraft(ticketId, 2000, 500);
    assert.equal(store.pendingDraftCount(), 1);
    assert.deepEqual(store.dueDrafts(1500, 10), []);
    const [due] = store.dueDrafts(2000, 10);
    assert.equal(due.asks, 2);
    assert.ok(store.takeDraft(due.id));
    assert.ok(store.showDraft(due.id, "draft", 2100));
    // Shown: the next message asks for a new one.
    store.requestDraft(ticketId, 3000, 2500);
    assert.equal(store.pendingDraftCount(), 1);
    assert.equal(store.dueDrafts(3000, 10)[0].asks, 1);
    await Promise.resolve();
  });
});

/** The outcomes a drafter reported, ending the request in `store` as the desk does. */
function recorder(store: Store) {
  const seen: string[] = [];
  return {
    seen,
    draftReady(id: number, asks: number, text: string) {
      seen.push(`ready ${id} ${asks} ${text}`);
      store.showDraft(id, text, 0);
    },
    draftFailed(id: number, asks: number, why: "failed" | "stale") {
      seen.push(`${why} ${id} ${asks}`);
      store.endDraft(id, "pending", why, 0);
    },
  };
}

Deno.test("drafter: a finder's articles go into the prompt; one that throws gives none", async () => {
  const model = FakeModel.start();
  try {
    for (const finder of ["articles", "throws"] as const) {
      await withTicket(async (store, boundary, ticketId) => {
        const outcomes = recorder(store);
        const asked: string[] = [];
        const drafter = new Drafter({
          store,
          boundary,
          outcomes,
          llm: { url: model.url, model: "m", apiKey: undefined, prompt: "P", timeoutMs: 5000 },
          log: silentLogger,
          articles: (text, limit) => {
            asked.push(`${text}/${limit}`);
            if (finder === "throws") throw new Error("index broken");
            return [{ question: "Reset a password", answer: "Use «Forgot password».", score: 9 }];
          },
        });
        model.behaviour = {
          kind: "answer",
          text: () => "Use «Forgot password» on the login page.",
        };
        const before = model.requests.length;
        store.requestDraft(ticketId, 0, 0);
        drafter.start();
        await drafter.idle();
        await drafter.stop();
        assert.deepEqual(asked, ["How do I reset my password?/3"]);
        assert.deepEqual(outcomes.seen, ["ready 1 1 Use «Forgot password» on the login page."]);
        const system = model.requests[before].body.messages[0].content;
        assert.equal(system.includes("Use «Forgot password»."), finder === "articles");
        assert.ok(system.startsWith("P"));
        assert.equal(model.requests[before].headers.get("authorization"), null);
      });
    }
  } finally {
    await model.close();
  }
});

Deno.test("drafter: a request taken too often (stops mid-way) is given up, unasked", async () => {
  const model = FakeModel.start();
  try {
    await withTicket(async (store, boundary, ticketId) => {
      store.requestDraft(ticketId, 0, 0);
      const [request] = store.dueDrafts(0, 1);
      for (let i = 0; i < MAX_TRIES; i++) store.takeDraft(request.id);
      const outcomes = recorder(store);
      const drafter = new Drafter({
        store,
        boundary,
        outcomes,
        llm: { url: model.url, model: "m", apiKey: undefined, prompt: undefined, timeoutMs: 5000 },
        log: silentLogger,
      });
      drafter.start();
      await drafter.idle();
      await drafter.stop();
      assert.deepEqual(outcomes.seen, [`failed ${request.id} 1`]);
      assert.equal(model.requests.length, 0);
    });
  } finally {
    await model.close();
  }
});
