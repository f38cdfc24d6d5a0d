/**
 * The sandbox's company account (tools/sandbox/business.ts) through the page's API: the admin's
 * account connected to the bot (Business Mode on), a client writing to the company instead of
 * the bot (a `business_message`), the bot's answer as the account shown on both sides, the
 * owner writing from their app and turning the connection off (the account's sends refused),
 * a client pressing the account's inline buttons, and who may read and write which chat.
 */
import assert from "node:assert/strict";
import { FakeTelegram } from "./support/telegram.ts";
import { SandboxApi } from "../tools/sandbox/api.ts";
import { CompanyAccount } from "../tools/sandbox/business.ts";
import { DEFAULT_PEOPLE, People } from "../tools/sandbox/people.ts";

const ANNA = 1001;
const JOHN = 1002;

Deno.test("sandbox: clients write to the company, the owner sees and answers, turns it off", async () => {
  const tg = await FakeTelegram.start();
  const people = new People(tg, DEFAULT_PEOPLE);
  const owner = people.list().find((p) => p.role === "admin")!;
  const agent = people.list().find((p) => p.role === "agent")!;
  const company = new CompanyAccount(tg, people, owner);
  const api = new SandboxApi({
    tg,
    people,
    supportToken: "sandbox-0123456789ab",
    mode: "private",
    company,
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (r) => api.handle(r),
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(base + path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const get = async (path: string) => {
    const response = await fetch(base + path);
    return { status: response.status, body: await response.json() };
  };
  const bot = async (method: string, params: Record<string, unknown>) => {
    const response = await fetch(`${tg.apiRoot}/bot${tg.token}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    });
    return await response.json();
  };
  try {
    const state = (await get("/api/state")).body;
    assert.deepEqual(state.business, { owner: owner.id, on: true });
    assert.equal((await bot("getMe", {})).result.can_connect_to_business, true);

    assert.equal(
      (await post("/api/business/text", { as: ANNA, text: "Hello, company" })).status,
      200,
    );
    const updates = (await bot("getUpdates", { offset: 0, timeout: 0 })).result;
    assert.ok(updates.some((u: Record<string, unknown>) => u.business_connection));
    const message = updates.find((u: Record<string, unknown>) =>
      u.business_message
    ).business_message;
    assert.equal(message.text, "Hello, company");
    assert.equal(message.business_connection_id, company.id);

    // The bot answers as the account: both sides see it, each their own on the right.
    const sent = await bot("sendMessage", {
      business_connection_id: company.id,
      chat_id: ANNA,
      text: "Hi Anna",
    });
    assert.equal(sent.ok, true);
    const asClient = (await get(`/api/business/chats/${ANNA}?as=${ANNA}`)).body;
    assert.deepEqual(asClient.map((m: { text: string; out: boolean }) => [m.text, m.out]), [
      ["Hello, company", true],
      ["Hi Anna", false],
    ]);
    const asOwner = (await get(`/api/business/chats/${ANNA}?as=${owner.id}`)).body;
    assert.deepEqual(asOwner.map((m: { out: boolean }) => m.out), [false, true]);
    // Nobody else reads it; the bot's own chat with Anna is another chat.
    assert.equal((await get(`/api/business/chats/${ANNA}?as=${JOHN}`)).status, 403);
    assert.deepEqual(people.messages(ANNA), []);

    // The owner's list, and the owner writing from their app.
    const list = (await get("/api/business")).body;
    assert.deepEqual(list.chats.map((c: { client: number }) => c.client), [ANNA]);
    assert.equal(
      (await post("/api/business/text", { as: owner.id, client: ANNA, text: "On my way" })).status,
      200,
    );
    const own = (await bot("getUpdates", { offset: updates.at(-1).update_id + 1, timeout: 0 }))
      .result[0].business_message;
    assert.equal(own.from.id, owner.id);
    assert.equal(own.chat.id, ANNA);
    assert.equal(
      (await post("/api/business/text", { as: owner.id, client: JOHN, text: "x" })).status,
      404,
    );
    assert.equal((await post("/api/business/text", { as: agent.id, text: "x" })).status, 400);

    // The account's inline buttons: the client presses one (a callback query of the business
    // message); the owner and a button the message does not carry are refused.
    const rated = await bot("sendMessage", {
      business_connection_id: company.id,
      chat_id: ANNA,
      text: "Rate us",
      reply_markup: { inline_keyboard: [[{ text: "5 ★", callback_data: "rate:1:5" }]] },
    });
    const shown = (await get(`/api/business/chats/${ANNA}?as=${ANNA}`)).body.at(-1);
    assert.deepEqual(shown.buttons.flat().map((b: { data: string }) => b.data), ["rate:1:5"]);
    const messageId = rated.result.message_id;
    const press = { as: ANNA, messageId, data: "rate:1:5" };
    assert.equal((await post("/api/business/button", press)).status, 200);
    const query = (await bot("getUpdates", { offset: 0, timeout: 0 })).result
      .find((u: Record<string, unknown>) => u.callback_query).callback_query;
    assert.equal(query.message.business_connection_id, company.id);
    assert.equal(query.data, "rate:1:5");
    assert.equal((await post("/api/business/button", { ...press, as: owner.id })).status, 400);
    assert.equal((await post("/api/business/button", { ...press, data: "x" })).status, 400);

    // Turned off: the account's sends are refused.
    assert.equal((await post("/api/business/connection", { on: false })).body.on, false);
    const refused = await bot("sendMessage", {
      business_connection_id: company.id,
      chat_id: ANNA,
      text: "while off",
    });
    assert.equal(refused.ok, false);
    assert.deepEqual((await get("/api/state")).body.business, { owner: owner.id, on: false });
  } finally {
    api.close();
    await server.shutdown();
    await tg.close();
  }
});
