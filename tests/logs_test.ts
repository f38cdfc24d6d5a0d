/**
 * Logs of the real program at the default level, in JSON: one object per line, and never a
 * token, a secret or a message text, also on the failure paths (wrong secret, bad body,
 * wrong /register_support token, rejected and retried deliveries).
 */
import assert from "node:assert/strict";
import { FakeTelegram, user } from "./support/telegram.ts";
import { RU, SUPPORT_TOKEN, waitForText } from "./support/harness.ts";
import { listeningPort, spawnBot } from "./support/program.ts";
import { asUpdate, HOOK_PATH, post, SECRET, WEBHOOK_ENV } from "./support/webhook_client.ts";

const TOKEN_SECRET_PART = "AAHsecretBotToken_Value-42";
const TEXTS = [
  "мой пароль: hunter2-Qx7!",
  "карта 4111 1111 1111 1111",
  "код из смс 918273",
  "Мария Тестовая",
  "guess-token-123456",
];

Deno.test("the default log: one JSON object per line, no tokens, secrets or message texts", async () => {
  const tg = await FakeTelegram.start({ token: `987654321:${TOKEN_SECRET_PART}` });
  const dir = await Deno.makeTempDir();
  const bot = await spawnBot({
    BOT_TOKEN: tg.token,
    SUPPORT_TOKEN,
    TELEGRAM_API_URL: tg.apiRoot,
    DATABASE_PATH: `${dir}/helpdesk.db`,
    LOG_FORMAT: "json",
    ...WEBHOOK_ENV,
  }, dir);
  try {
    const url = `http://127.0.0.1:${await listeningPort(bot)}`;
    await tg.waitForCall("setWebhook", undefined, { timeoutMs: 15_000 });
    const send = async (from: ReturnType<typeof user>, text: string) => {
      const pushed = tg.sendText(from, text);
      assert.equal((await post(url, asUpdate(pushed))).status, 200);
      return pushed;
    };
    const agent = user(9001, "Agent");
    const client = user(9002, "Client");
    await send(agent, `/register_support ${TEXTS[4]}`);
    await waitForText(tg, agent.id, RU.registerWrong);
    await send(agent, `/register_support ${SUPPORT_TOKEN}`);
    await waitForText(tg, agent.id, RU.registerOk);
    assert.equal((await post(url, "{}", "wrong-secret")).status, 401);
    assert.equal((await post(url, `{"text":"${TEXTS[1]}"}`, SECRET, HOOK_PATH)).status, 400);
    await send(client, "/start");
    await waitForText(tg, client.id, RU.askName);
    await send(client, TEXTS[3]);
    tg.failNext("sendMessage", { code: 500, chatId: agent.id });
    await send(client, TEXTS[0]);
    await waitForText(tg, agent.id, TEXTS[0], 0, 10_000);
    await send(client, TEXTS[1]);
    await waitForText(tg, agent.id, TEXTS[1]);
    tg.failNext("copyMessage", {
      code: 400,
      description: "Bad Request: message to copy not found",
      chatId: client.id,
    });
    const reply = await send(agent, TEXTS[2]);
    await tg.waitForCall("copyMessage", (c) => c.params.message_id === reply.message_id);
    await waitForText(tg, agent.id, RU.notDelivered("text"));

    bot.child.kill("SIGTERM");
    assert.equal((await bot.finished()).code, 0, bot.log());
    const lines = bot.log().trim().split("\n");
    const events = new Set<string>();
    for (const line of lines) {
      const entry = JSON.parse(line);
      assert.equal(typeof entry.time, "string", line);
      assert.ok(["info", "warn", "error"].includes(entry.level), line);
      events.add(entry.event);
      for (const secret of [TOKEN_SECRET_PART, SUPPORT_TOKEN, SECRET, ...TEXTS]) {
        assert.ok(!line.includes(secret), `${JSON.stringify(secret)} logged: ${line}`);
      }
    }
    for (
      const event of [
        "http.listening",
        "bot.started",
        "webhook.unauthorized",
        "webhook.bad_request",
        "delivery.retry",
        "delivery.rejected",
        "bot.stopped",
      ]
    ) {
      assert.ok(events.has(event), `${event} in:\n${lines.join("\n")}`);
    }
  } finally {
    try {
      bot.child.kill("SIGKILL");
    } catch { /* already gone */ }
    await bot.finished();
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});
