// deno-lint-ignore-file no-explicit-any -- the test reads Bot API JSON as it comes
/**
 * The sandbox page's server (`tools/sandbox/api.ts`) over real HTTP, with the emulator but no
 * bot: the test reads the updates a person's actions become with `getUpdates`, and plays the
 * bot by calling the emulator's Bot API itself. Also the people model and the sandbox's
 * refusal of a real Telegram.
 */
import assert from "node:assert/strict";
import { FakeTelegram } from "./support/telegram.ts";
import { SandboxApi } from "../tools/sandbox/api.ts";
import { DEFAULT_PEOPLE, People } from "../tools/sandbox/people.ts";
import {
  childEnvironment,
  deskSettings,
  isLocalApiUrl,
  modeArg,
  refusal,
  staffGroup,
} from "../tools/sandbox/main.ts";

const ANNA = 1001;

async function setup(mode: "private" | "team" = "private") {
  const tg = await FakeTelegram.start();
  const people = new People(tg, DEFAULT_PEOPLE);
  const staff = mode === "team" ? staffGroup(tg, people) : undefined;
  const api = new SandboxApi({
    tg,
    people,
    supportToken: "sandbox-0123456789ab",
    mode,
    ...(staff ? { staff } : {}),
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (r) => api.handle(r),
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  let offset = 0;
  const ctx = {
    tg,
    people,
    api,
    base,
    get: (path: string, headers: HeadersInit = {}) => fetch(base + path, { headers }),
    async post(path: string, body: unknown) {
      const response = await fetch(base + path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    /** What the bot would fetch now: the updates since the last call. */
    async updates(): Promise<Record<string, unknown>[]> {
      const answer = await bot("getUpdates", {
        offset,
        timeout: 0,
        allowed_updates: ["message", "edited_message", "callback_query", "message_reaction"],
      });
      const list = answer.result as { update_id: number }[];
      if (list.length) offset = list[list.length - 1].update_id + 1;
      return list as unknown as Record<string, unknown>[];
    },
    /** A Bot API call as the bot makes it. */
    bot,
    staff,
    async close() {
      api.close();
      await server.shutdown();
      await tg.close();
    },
  };
  async function bot(method: string, params: Record<string, unknown> | FormData) {
    const response = await fetch(`${tg.apiRoot}/bot${tg.token}/${method}`, {
      method: "POST",
      ...(params instanceof FormData
        ? { body: params }
        : { headers: { "content-type": "application/json" }, body: JSON.stringify(params) }),
    });
    return await response.json();
  }
  return ctx;
}

/** The next events of the stream, until `count` of the wanted type arrived. */
async function events(
  base: string,
  wanted: (e: Record<string, unknown>) => boolean,
  act: () => Promise<unknown>,
) {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/events`, { signal: controller.signal });
  assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  await act();
  let text = "";
  const timeout = setTimeout(() => controller.abort(), 5000);
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended: ${text}`);
      text += value;
      for (const line of text.split("\n")) {
        if (!line.startsWith("data: ")) continue;
        const event = JSON.parse(line.slice(6));
        if (wanted(event)) return event;
      }
    }
  } finally {
    clearTimeout(timeout);
    controller.abort();
    await reader.cancel().catch(() => {});
  }
}

Deno.test("state: the bot, the support token, private mode, five people, no faults", async () => {
  const s = await setup();
  try {
    const state = await (await s.get("/api/state")).json();
    assert.equal(state.supportToken, "sandbox-0123456789ab");
    assert.equal(state.mode, "private");
    assert.deepEqual(state.people.map((p: { role: string }) => p.role), [
      "client",
      "client",
      "agent",
      "agent",
      "admin",
    ]);
    assert.deepEqual(
      new Set(state.people.map((p: { language: string }) => p.language)),
      new Set(["ru", "en"]),
    );
    assert.deepEqual(state.faults, { flood: false, blocked: [], failing: null });
  } finally {
    await s.close();
  }
});

Deno.test("a text, a reply and an edit become the person's updates, with their language", async () => {
  const s = await setup();
  try {
    const sent = await s.post(`/api/people/${ANNA}/text`, { text: "/start" });
    assert.equal(sent.status, 200);
    let [update] = await s.updates();
    const message = update.message as Record<string, any>;
    assert.equal(message.text, "/start");
    assert.deepEqual(message.entities, [{ type: "bot_command", offset: 0, length: 6 }]);
    assert.equal(message.from.id, ANNA);
    assert.equal(message.from.language_code, "ru");
    assert.equal(message.chat.type, "private");

    await s.post(`/api/people/${ANNA}/text`, { text: "ещё", replyTo: sent.body.messageId });
    [update] = await s.updates();
    assert.equal((update.message as any).reply_to_message.message_id, sent.body.messageId);

    assert.equal(
      (await s.post(`/api/people/${ANNA}/edit`, { messageId: sent.body.messageId, text: "/help" }))
        .status,
      200,
    );
    [update] = await s.updates();
    assert.equal((update.edited_message as any).text, "/help");
    const shown = await (await s.get(`/api/people/${ANNA}/messages`)).json();
    assert.equal(shown.length, 2);
    assert.equal(shown[0].text, "/help");
    assert.equal(shown[0].edited, true);
    assert.equal(shown[0].out, true);
    assert.equal(shown[1].replyTo.id, sent.body.messageId);

    assert.equal((await s.post(`/api/people/${ANNA}/text`, { text: "  " })).status, 400);
    assert.equal(
      (await s.post(`/api/people/${ANNA}/text`, { text: "x".repeat(4097) })).status,
      400,
    );
  } finally {
    await s.close();
  }
});

Deno.test("the bot's message shows with its entities and buttons, and is announced live", async () => {
  const s = await setup();
  try {
    const event = await events(
      s.base,
      (e) => e.type === "chat" && e.person === ANNA,
      () =>
        s.bot("sendMessage", {
          chat_id: ANNA,
          text: "Обращение #T-1 открыто",
          entities: [{ type: "bold", offset: 10, length: 5 }],
          reply_markup: { inline_keyboard: [[{ text: "Закрыть", callback_data: "close:1" }]] },
        }),
    );
    assert.deepEqual(event, { type: "chat", person: ANNA });
    const [shown] = await (await s.get(`/api/people/${ANNA}/messages`)).json();
    assert.equal(shown.out, false);
    assert.equal(shown.text, "Обращение #T-1 открыто");
    assert.deepEqual(shown.entities, [{ type: "bold", offset: 10, length: 5 }]);
    assert.deepEqual(shown.buttons, [[{ text: "Закрыть", data: "close:1" }]]);

    // A button press is a callback query on that message; the bot's answer is a toast.
    assert.equal(
      (await s.post(`/api/people/${ANNA}/button`, { messageId: shown.id, data: "close:1" })).status,
      200,
    );
    const [update] = await s.updates();
    const query = update.callback_query as Record<string, any>;
    assert.equal(query.data, "close:1");
    assert.equal(query.message.message_id, shown.id);
    const toast = await events(
      s.base,
      (e) => e.type === "toast",
      () => s.bot("answerCallbackQuery", { callback_query_id: query.id, text: "Закрыто" }),
    );
    assert.deepEqual(toast, { type: "toast", person: ANNA, text: "Закрыто" });

    // An edit by the bot (buttons taken away) shows on the next read.
    await s.bot("editMessageReplyMarkup", {
      chat_id: ANNA,
      message_id: shown.id,
      reply_markup: { inline_keyboard: [] },
    });
    const [after] = await (await s.get(`/api/people/${ANNA}/messages`)).json();
    assert.deepEqual(after.buttons, []);
    // Only the buttons changed: Telegram does not call that an edit.
    assert.equal(after.edited, false);
    // A new text is one.
    await s.bot("editMessageText", {
      chat_id: ANNA,
      message_id: shown.id,
      text: "Обращение #T-1 закрыто",
    });
    const [edited] = await (await s.get(`/api/people/${ANNA}/messages`)).json();
    assert.equal(edited.text, "Обращение #T-1 закрыто");
    assert.equal(edited.edited, true);
  } finally {
    await s.close();
  }
});

Deno.test("the bot's documents open in a tab: text as text, HTML without scripts, CSV as text", async () => {
  const s = await setup();
  try {
    for (
      const [name, type, body] of [
        ["history-1001.txt", "text/plain; charset=utf-8", "История переписки: Анна"],
        [
          "history-1001.html",
          "text/html; charset=utf-8",
          "<h1>История</h1><script>alert(1)</script>",
        ],
        ["export.csv", "text/plain; charset=utf-8", "date,client,text\n2026-01-01,Анна,привет\n"],
      ]
    ) {
      const form = new FormData();
      form.append("chat_id", String(ANNA));
      form.append("document", new Blob([body]), name);
      const sent = await s.bot("sendDocument", form);
      assert.ok(sent.ok, JSON.stringify(sent));
      const shown = (await (await s.get(`/api/people/${ANNA}/messages`)).json()).at(-1);
      assert.equal(shown.media.kind, "document");
      assert.equal(shown.media.fileName, name);
      const file = await s.get(`/api/files/${encodeURIComponent(shown.media.fileId)}`);
      assert.equal(file.status, 200);
      assert.equal(file.headers.get("content-type"), type);
      assert.match(file.headers.get("content-security-policy") ?? "", /sandbox/);
      assert.equal(await file.text(), body);
    }
    assert.equal((await s.get("/api/files/nope")).status, 404);
  } finally {
    await s.close();
  }
});

Deno.test("a file from disk: an image goes as a photo, anything else as a document", async () => {
  const s = await setup();
  try {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const upload = async (blob: Blob, name: string, fields: Record<string, string> = {}) => {
      const form = new FormData();
      form.append("file", blob, name);
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      const response = await fetch(`${s.base}/api/people/${ANNA}/file`, {
        method: "POST",
        body: form,
      });
      return { status: response.status, body: await response.json() };
    };
    assert.equal(
      (await upload(new Blob([png], { type: "image/png" }), "screen.png", { caption: "вот" }))
        .status,
      200,
    );
    let [update] = await s.updates();
    let message = update.message as Record<string, any>;
    assert.ok(Array.isArray(message.photo));
    assert.equal(message.caption, "вот");
    const photo = await s.get(`/api/files/${message.photo.at(-1).file_id}`);
    assert.equal(photo.headers.get("content-type"), "image/png");
    assert.deepEqual(new Uint8Array(await photo.arrayBuffer()), png);

    await upload(new Blob(["hello"], { type: "text/plain" }), "notes.txt");
    [update] = await s.updates();
    message = update.message as Record<string, any>;
    assert.equal(message.document.file_name, "notes.txt");
    assert.equal(message.document.mime_type, "text/plain");

    await upload(new Blob([png], { type: "image/png" }), "raw.png", { asFile: "1" });
    [update] = await s.updates();
    assert.equal((update.message as any).document.file_name, "raw.png");

    // Several files at once are an album: one media_group_id, the caption on the first part.
    const form = new FormData();
    for (const name of ["a.png", "b.png", "c.png"]) {
      form.append("file", new Blob([png], { type: "image/png" }), name);
    }
    form.append("caption", "три скриншота");
    const album = await fetch(`${s.base}/api/people/${ANNA}/file`, { method: "POST", body: form });
    assert.equal((await album.json()).parts, 3);
    const parts = (await s.updates()).map((u) => u.message as Record<string, any>);
    assert.equal(parts.length, 3);
    assert.ok(
      parts.every((p) => Array.isArray(p.photo) && p.media_group_id === parts[0].media_group_id),
    );
    assert.equal(parts[0].caption, "три скриншота");
    assert.equal(parts[1].caption, undefined);
    // The page gets the album's id on each part, to draw them as one grid.
    const shown = (await (await s.get(`/api/people/${ANNA}/messages`)).json()).slice(-3);
    assert.deepEqual(
      shown.map((m: { mediaGroupId?: string }) => m.mediaGroupId),
      parts.map(() => parts[0].media_group_id),
    );
    const third = await s.get(`/api/files/${parts[2].photo.at(-1).file_id}`);
    assert.deepEqual(new Uint8Array(await third.arrayBuffer()), png);

    const none = await fetch(`${s.base}/api/people/${ANNA}/file`, {
      method: "POST",
      body: new FormData(),
    });
    assert.equal(none.status, 400);
    await none.body?.cancel();
  } finally {
    await s.close();
  }
});

Deno.test("sticker, location, contact and reactions from the menu", async () => {
  const s = await setup();
  try {
    await s.post(`/api/people/${ANNA}/sticker`, { emoji: "🔥" });
    await s.post(`/api/people/${ANNA}/location`, { latitude: 55.75, longitude: 37.62 });
    const contact = await s.post(`/api/people/${ANNA}/contact`, { phone: "+79000001001" });
    const updates = await s.updates();
    assert.equal((updates[0].message as any).sticker.emoji, "🔥");
    assert.deepEqual((updates[1].message as any).location, { latitude: 55.75, longitude: 37.62 });
    assert.equal((updates[2].message as any).contact.phone_number, "+79000001001");
    assert.equal((updates[2].message as any).contact.user_id, ANNA);

    await s.post(`/api/people/${ANNA}/reaction`, {
      messageId: contact.body.messageId,
      emoji: "👍",
    });
    const [reaction] = await s.updates();
    assert.deepEqual((reaction.message_reaction as any).new_reaction, [{
      type: "emoji",
      emoji: "👍",
    }]);
    const shown = await (await s.get(`/api/people/${ANNA}/messages`)).json();
    assert.deepEqual(shown.map((m: any) => m.media.kind), ["sticker", "location", "contact"]);
    assert.equal(shown[2].myReaction, "👍");
    await s.post(`/api/people/${ANNA}/reaction`, {
      messageId: contact.body.messageId,
      emoji: null,
    });
    const [off] = await s.updates();
    assert.deepEqual((off.message_reaction as any).new_reaction, []);

    assert.equal((await s.post(`/api/people/${ANNA}/sticker`, { emoji: "x" })).status, 400);
    assert.equal(
      (await s.post(`/api/people/${ANNA}/location`, { latitude: 91, longitude: 0 })).status,
      400,
    );
    assert.equal((await s.post(`/api/people/${ANNA}/contact`, { phone: "call me" })).status, 400);
    assert.equal(
      (await s.post(`/api/people/${ANNA}/reaction`, { messageId: 999, emoji: "👍" })).status,
      400,
    );
  } finally {
    await s.close();
  }
});

Deno.test("faults from the page: a person blocks the bot, 429 and 5xx, flood limits", async () => {
  const s = await setup();
  try {
    const send = (chat = ANNA) => s.bot("sendMessage", { chat_id: chat, text: "hi" });
    await s.post(`/api/people/${ANNA}/block`, { blocked: true });
    assert.equal((await send()).error_code, 403);
    assert.equal((await send(1002)).ok, true);
    const state = await (await s.get("/api/state")).json();
    assert.deepEqual(state.faults.blocked, [ANNA]);
    await s.post(`/api/people/${ANNA}/block`, { blocked: false });
    assert.equal((await send()).ok, true);

    const failing = await s.post("/api/faults/fail", { code: 502, count: 2 });
    assert.deepEqual(failing.body.failing, { code: 502, left: 2 });
    assert.equal((await send()).error_code, 502);
    assert.equal((await send()).error_code, 502);
    assert.equal((await send()).ok, true);
    assert.equal((await (await s.get("/api/state")).json()).faults.failing, null);

    await s.post("/api/faults/fail", { code: 429, count: 1 });
    const limited = await send();
    assert.equal(limited.error_code, 429);
    assert.equal(limited.parameters.retry_after, 3);
    assert.equal((await s.post("/api/faults/fail", { code: 403 })).status, 400);

    // Flood limits are off by default: a burst to one chat passes; switched on, it is refused.
    for (let i = 0; i < 6; i++) assert.equal((await send(1002)).ok, true);
    await s.post("/api/faults/flood", { on: true });
    const results = [];
    for (let i = 0; i < 6; i++) results.push((await send(1004)).error_code ?? 200);
    assert.ok(results.includes(429), String(results));
    await s.post("/api/faults/flood", { on: false });
    assert.equal((await send(1004)).ok, true);
  } finally {
    await s.close();
  }
});

Deno.test("people can be added; bad people and bad requests are refused", async () => {
  const s = await setup();
  try {
    const added = await s.post("/api/people", { name: "Пётр", role: "agent", language: "ru" });
    assert.equal(added.status, 201);
    assert.equal(added.body.id, 1006);
    assert.equal(
      (await s.post("/api/people", { name: " ", role: "agent", language: "ru" })).status,
      400,
    );
    assert.equal(
      (await s.post("/api/people", { name: "X", role: "boss", language: "ru" })).status,
      400,
    );
    const admin = await s.post("/api/people", { name: "X", role: "admin", language: "ru" });
    assert.equal(admin.status, 400);
    assert.match(admin.body.error, /ADMIN_IDS/);
    assert.equal(
      (await s.post("/api/people", { name: "X", role: "client", language: "de" })).status,
      400,
    );
    assert.equal((await s.post("/api/people/999/text", { text: "hi" })).status, 404);
    assert.equal((await s.post("/api/nothing", {})).status, 404);
    // Only the person's own messages can be edited.
    await s.bot("sendMessage", { chat_id: ANNA, text: "bot" });
    const [botMessage] = await (await s.get(`/api/people/${ANNA}/messages`)).json();
    assert.equal(
      (await s.post(`/api/people/${ANNA}/edit`, { messageId: botMessage.id, text: "x" })).status,
      400,
    );
  } finally {
    await s.close();
  }
});

Deno.test("the page's server answers only its own page on 127.0.0.1", async () => {
  const s = await setup();
  try {
    const page = await s.get("/");
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    const html = await page.text();
    assert.match(html, /<script src="\/app.js"/);
    assert.doesNotMatch(html, /https?:\/\//, "nothing from outside");
    assert.match(page.headers.get("content-security-policy") ?? "", /default-src 'self'/);
    for (const path of ["/app.js", "/style.css", "/favicon.svg"]) {
      const asset = await s.get(path);
      assert.equal(asset.status, 200, path);
      const text = await asset.text();
      assert.doesNotMatch(
        text.replace(/https?:\/\/(www\.w3\.org)/g, ""),
        /(src|href)=["']?https?:|url\(["']?https?:|@import/,
        path,
      );
    }
    const outside = await s.get("/../deno.json");
    assert.equal(outside.status, 404);
    await outside.body?.cancel();
    // A page of another site reaching this port by a name that resolves here (DNS rebinding).
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(s.base).port) });
    await conn.write(new TextEncoder().encode(
      "GET /api/state HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    ));
    let raw = "";
    const buffer = new Uint8Array(4096);
    for (let n; (n = await conn.read(buffer)) !== null;) {
      raw += new TextDecoder().decode(buffer.subarray(0, n));
    }
    conn.close();
    assert.match(raw, /^HTTP\/1.1 421/);
    const foreign = await fetch(`${s.base}/api/people/${ANNA}/text`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ text: "hi" }),
    });
    assert.equal(foreign.status, 403);
    await foreign.body?.cancel();
    const form = await fetch(`${s.base}/api/people/${ANNA}/text`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "text=hi",
    });
    assert.equal(form.status, 415);
    await form.body?.cancel();
    assert.equal(s.tg.pendingUpdates, 0, "nothing refused reached Telegram");
  } finally {
    await s.close();
  }
});

Deno.test("the sandbox refuses a real-looking TELEGRAM_API_URL and takes only loopback ones", () => {
  assert.ok(isLocalApiUrl("http://127.0.0.1:4321"));
  assert.ok(isLocalApiUrl("http://localhost:4321"));
  assert.ok(!isLocalApiUrl("https://api.telegram.org"));
  assert.ok(!isLocalApiUrl("http://10.0.0.5:8081"));
  assert.ok(!isLocalApiUrl("https://127.0.0.1"));
  assert.equal(refusal({}), undefined);
  assert.equal(refusal({ TELEGRAM_API_URL: "http://127.0.0.1:8081" }), undefined);
  assert.match(
    refusal({ TELEGRAM_API_URL: "https://api.telegram.org" })!,
    /never talks to a real Telegram/,
  );
});

Deno.test("the bot's reply keyboard is shown under the text field and goes once used", async () => {
  const s = await setup();
  try {
    assert.equal(await (await s.get(`/api/people/${ANNA}/keyboard`)).json(), null);
    await s.bot("sendMessage", {
      chat_id: ANNA,
      text: "Поделитесь номером?",
      reply_markup: {
        keyboard: [[{ text: "Поделиться номером", request_contact: true }], [{
          text: "Пропустить",
        }]],
        one_time_keyboard: true,
      },
    });
    const keyboard = await (await s.get(`/api/people/${ANNA}/keyboard`)).json();
    assert.deepEqual(keyboard, {
      rows: [[{ text: "Поделиться номером", requestContact: true }], [{ text: "Пропустить" }]],
      oneTime: true,
    });
    await s.post(`/api/people/${ANNA}/contact`, { phone: "+79000001001", keyboard: true });
    assert.equal(await (await s.get(`/api/people/${ANNA}/keyboard`)).json(), null);

    await s.bot("sendMessage", {
      chat_id: ANNA,
      text: "Меню",
      reply_markup: { keyboard: [[{ text: "Да" }]] },
    });
    await s.post(`/api/people/${ANNA}/text`, { text: "Да", keyboard: true });
    assert.notEqual(await (await s.get(`/api/people/${ANNA}/keyboard`)).json(), null, "kept");
    await s.bot("sendMessage", {
      chat_id: ANNA,
      text: "Готово",
      reply_markup: { remove_keyboard: true },
    });
    assert.equal(await (await s.get(`/api/people/${ANNA}/keyboard`)).json(), null);
  } finally {
    await s.close();
  }
});

Deno.test("the sandbox passes on the desk's own settings only", () => {
  assert.deepEqual(
    deskSettings({
      ASK_CONTACT: "true",
      BUSINESS_HOURS: "Mon-Fri 09:00-18:00",
      BOT_TOKEN: "1:real",
      DATABASE_PATH: "/var/lib/helpdesk.db",
      TELEGRAM_API_URL: "http://127.0.0.1:1",
      ADMIN_IDS: "1",
    }),
    { ASK_CONTACT: "true", BUSINESS_HOURS: "Mon-Fri 09:00-18:00" },
  );
  // The rest of the environment (proxy, Deno's cache) is kept; no other setting of the bot is.
  assert.deepEqual(
    childEnvironment({
      HTTPS_PROXY: "http://proxy:3128",
      DENO_DIR: "/cache",
      ASK_CONTACT: "true",
      BOT_TOKEN: "1:real",
      ENV_FILE: "/etc/helpdesk.env",
      WEBHOOK_URL: "https://bot.example.com/hook",
    }),
    { HTTPS_PROXY: "http://proxy:3128", DENO_DIR: "/cache", ASK_CONTACT: "true" },
  );
});

Deno.test("--mode: private (the default) or team; anything else is refused", () => {
  assert.equal(modeArg([]), "private");
  assert.equal(modeArg(["--mode", "private"]), "private");
  assert.equal(modeArg(["--port", "0", "--mode", "team"]), "team");
  assert.throws(
    () => modeArg(["--mode", "x"]),
    /^Error: --mode must be one of private, team, not x$/,
  );
  assert.throws(() => modeArg(["--mode"]), /--mode must be one of private, team, not nothing/);
});

Deno.test("the menu of commands a person sees: their chat's, else the default, in their language", async () => {
  const s = await setup();
  try {
    const menu = async (id: number) => await (await s.get(`/api/people/${id}/commands`)).json();
    assert.deepEqual(await menu(ANNA), [], "no menu set yet");
    await s.bot("setMyCommands", { commands: [{ command: "start", description: "Начать" }] });
    await s.bot("setMyCommands", {
      commands: [{ command: "start", description: "Start" }],
      language_code: "en",
    });
    await s.bot("setMyCommands", {
      commands: [{ command: "agents", description: "Список агентов" }],
      scope: { type: "chat", chat_id: 1005 },
    });
    assert.deepEqual(await menu(ANNA), [{ command: "start", description: "Начать" }]);
    assert.deepEqual(await menu(1002), [{ command: "start", description: "Start" }], "John: en");
    assert.deepEqual(await menu(1005), [{ command: "agents", description: "Список агентов" }]);
    assert.equal((await s.get("/api/people/999/commands")).status, 404);
    const staff = await s.get(`/api/people/${ANNA}/commands?in=staff`);
    assert.equal(staff.status, 404, "no staff group in private mode");
    await staff.body?.cancel();
  } finally {
    await s.close();
  }
});

Deno.test("team mode: the staff group, its topics, a member writing and pressing there", async () => {
  const s = await setup("team");
  const MARIA = 1003;
  const OLGA = 1005;
  try {
    const state = await (await s.get("/api/state")).json();
    assert.equal(state.mode, "team");
    const staff = state.staff.id;
    assert.equal(staff, s.staff!.id);
    assert.deepEqual(state.staff.members, [1003, 1004, OLGA], "the agents and the admin");
    // What the bot's start check asks: a forum, the bot an administrator with the rights.
    const chat = await s.bot("getChat", { chat_id: staff });
    assert.equal(chat.result.is_forum, true);
    const me = await s.bot("getChatMember", { chat_id: staff, user_id: s.tg.botUser.id });
    assert.equal(me.result.status, "administrator");
    for (const right of ["can_manage_topics", "can_delete_messages", "can_pin_messages"]) {
      assert.equal(me.result[right], true, right);
    }
    // The bot pins a board in General and opens a topic with a card and a button in it.
    const board = await s.bot("sendMessage", { chat_id: staff, text: "Очередь: 1" });
    await s.bot("pinChatMessage", { chat_id: staff, message_id: board.result.message_id });
    const topic = await s.bot("createForumTopic", { chat_id: staff, name: "🔵 #T-000001 · Анна" });
    const thread = topic.result.message_thread_id;
    const card = await events(s.base, (e) => e.type === "staff", () =>
      s.bot("sendMessage", {
        chat_id: staff,
        message_thread_id: thread,
        text: "Анна: не проходит оплата",
        reply_markup: { inline_keyboard: [[{ text: "Взять", callback_data: "take:1" }]] },
      }));
    assert.deepEqual(card, { type: "staff" });

    const topics = await (await s.get("/api/staff/topics")).json();
    assert.deepEqual(topics.map((t: { threadId: number }) => t.threadId), [0, thread]);
    assert.equal(topics[0].name, null, "General, worded by the page");
    assert.equal(topics[0].pinned, "Очередь: 1", "the board pinned in General");
    assert.equal(topics[1].name, "🔵 #T-000001 · Анна");
    assert.equal(topics[1].last.text, "Анна: не проходит оплата");
    const general = await (await s.get(`/api/staff/threads/0?as=${MARIA}`)).json();
    assert.equal(general.pinned.text, "Очередь: 1");
    assert.ok(general.messages.some((m: any) => m.service?.kind === "pinned"));

    // Maria answers in the topic as herself; the bot gets it there.
    const answer = await s.post("/api/staff/text", { as: MARIA, thread, text: "Сейчас посмотрю" });
    assert.equal(answer.status, 200);
    const updates = await s.updates();
    const message = updates.map((u) => u.message as any).find((m) => m?.text === "Сейчас посмотрю");
    assert.equal(message.from.id, MARIA);
    assert.equal(message.chat.id, staff);
    assert.equal(message.message_thread_id, thread);
    const view = await (await s.get(`/api/staff/threads/${thread}?as=${MARIA}`)).json();
    const texts = view.messages.map((m: any) => [m.out, m.author?.name, m.text ?? m.service?.kind]);
    assert.deepEqual(texts, [
      [false, s.tg.botUser.first_name, "topic_created"],
      [false, s.tg.botUser.first_name, "Анна: не проходит оплата"],
      [true, "Мария", "Сейчас посмотрю"],
    ]);
    // Olga sees Maria's message as someone else's.
    const olga = await (await s.get(`/api/staff/threads/${thread}?as=${OLGA}`)).json();
    assert.equal(olga.messages.at(-1).out, false);

    // A button in the topic is a callback query from the group.
    const cardId = view.messages[1].id;
    await s.post("/api/staff/button", { as: MARIA, messageId: cardId, data: "take:1" });
    const [pressed] = await s.updates();
    assert.equal((pressed.callback_query as any).message.chat.id, staff);
    assert.equal((pressed.callback_query as any).from.id, MARIA);

    // Clients are not in the group; nor is a topic that does not exist.
    assert.equal((await s.post("/api/staff/text", { as: ANNA, thread, text: "x" })).status, 400);
    assert.equal(
      (await s.post("/api/staff/text", { as: MARIA, thread: 999, text: "x" })).status,
      400,
    );
    assert.equal((await s.get(`/api/staff/threads/999?as=${MARIA}`)).status, 404);
    // The menu in the group is chosen for the group (the default list here).
    await s.bot("setMyCommands", { commands: [{ command: "help", description: "Помощь" }] });
    const menu = await (await s.get(`/api/people/${MARIA}/commands?in=staff`)).json();
    assert.deepEqual(menu, [{ command: "help", description: "Помощь" }]);
    // A new agent joins the group; the bot hears of it (the service message; `chat_member`
    // too, when the bot asks for it).
    const tim = await s.post("/api/people", { name: "Tim", role: "agent", language: "en" });
    const joined = (await s.updates()).map((u) => u.message as any);
    assert.ok(joined.some((m) => m?.new_chat_members?.[0].id === tim.body.id));
    assert.ok((await (await s.get("/api/state")).json()).staff.members.includes(tim.body.id));
  } finally {
    await s.close();
  }
});

Deno.test("private mode has no staff group", async () => {
  const s = await setup();
  try {
    const response = await s.get("/api/staff/topics");
    assert.equal(response.status, 404);
    assert.match((await response.json()).error, /private mode/);
    assert.equal((await (await s.get("/api/state")).json()).staff, undefined);
  } finally {
    await s.close();
  }
});
