/**
 * A client's mixed burst under Telegram's limits (issue 12): one client writes 20 messages of
 * every common shape to their agent at once (texts, texts too long to take the name in front,
 * stickers, a location, a contact, an album of 5 photos), then one short text. The fake API
 * enforces about 1 message per second per chat (burst 3), as Telegram does, an album counted
 * as a message per part (it goes on one, what follows pays for the rest). Figures: messages that appeared in the agent's chat per message of the
 * client (1.00 when nothing extra is sent), the send calls they took, how long the burst took
 * to drain against the least its calls need at that rate, and when the short text after it
 * arrived.
 *
 * @module
 */
import { FakeTelegram } from "../../tests/support/telegram.ts";
import type { ApiCall } from "../../tests/support/telegram.ts";
import {
  type Benchmark,
  clock,
  ms,
  pairUp,
  people,
  type Row,
  startBot,
  tempDatabase,
  until,
} from "./common.ts";

const PER_CHAT_PER_SECOND = 1;
const PER_CHAT_BURST = 3;
const ALBUM_PARTS = 5;

/** Methods that put messages in a chat, and how many each call put there. */
function messagesOf(call: ApiCall): number {
  switch (call.method) {
    case "sendMediaGroup":
    case "copyMessages":
      return Array.isArray(call.result) ? call.result.length : 0;
    case "sendMessage":
    case "copyMessage":
    case "forwardMessage":
      return 1;
    default:
      return call.method.startsWith("send") && call.method !== "sendChatAction" ? 1 : 0;
  }
}

/** The mixed burst of one client. */
export const mixed: Benchmark = {
  name: "mixed",
  about: "one client's 20 mixed messages (an album of 5 among them) under 1/s per chat",
  async run(): Promise<Row[]> {
    const tg = await FakeTelegram.start();
    const { dir, dbPath } = await tempDatabase();
    tg.enforceRateLimits({
      perChatPerSecond: PER_CHAT_PER_SECOND,
      perChatBurst: PER_CHAT_BURST,
      globalPerSecond: 30,
    });
    const bot = await startBot(tg, dbPath, {
      RATE_LIMIT_PER_CHAT: String(PER_CHAT_PER_SECOND),
      RATE_LIMIT_BURST: String(PER_CHAT_BURST),
      RATE_LIMIT_GLOBAL: "30",
    });
    try {
      const [agent] = people("MA", 9_100_000, 1);
      const [client] = people("MC", 9_200_000, 1);
      await pairUp(tg, [agent], [client], 60_000);
      // Let both sides' buckets fill again, as after any quiet second.
      await new Promise((resolve) => setTimeout(resolve, PER_CHAT_BURST * 1000 + 500));
      const long = (i: number) => `${i} ${"x".repeat(4090)}`;
      const burst: (() => void)[] = [
        () => tg.sendText(client, "Hello, my order did not arrive"),
        () => tg.sendText(client, long(1)),
        () => tg.sendMedia(client, "sticker"),
        () => tg.sendText(client, "Here is where I live"),
        () => tg.sendMedia(client, "location"),
        ...Array.from({ length: ALBUM_PARTS }, (_, i) => () =>
          tg.sendMedia(client, "photo", {
            ...(i === 0 ? { caption: "the parcel" } : {}),
            extra: { media_group_id: "mixed-album-1" },
          })),
        () => tg.sendMedia(client, "contact"),
        () => tg.sendText(client, "My order number is 4521"),
        () => tg.sendText(client, long(2)),
        () => tg.sendMedia(client, "sticker"),
        () => tg.sendText(client, "Can you check?"),
        () => tg.sendText(client, long(3)),
        () => tg.sendMedia(client, "sticker"),
        () => tg.sendText(client, "Thanks"),
        () => tg.sendMedia(client, "sticker"),
        () => tg.sendText(client, long(4)),
      ];
      const sent = burst.length;
      const inAlbum = ALBUM_PARTS;
      // The least number of send calls: one per message, one for the whole album.
      const leastCalls = sent - inAlbum + 1;
      const from = tg.calls.length;
      const start = clock();
      for (const write of burst) write();
      const markerAt = clock();
      tg.sendText(client, "mixed-after");
      let markerArrived = 0;
      await until(
        () => {
          const found = tg.calls.slice(from).find((c) =>
            c.ok && Number(c.params.chat_id) === agent.id &&
            String(c.params.text ?? "").endsWith("mixed-after")
          );
          if (found) markerArrived = found.at;
          return found !== undefined;
        },
        120_000,
        "the text after the burst",
        20,
      );
      const toAgent = tg.calls.slice(from).filter((c) =>
        c.ok && Number(c.params.chat_id) === agent.id && messagesOf(c) > 0 &&
        !String(c.params.text ?? "").endsWith("mixed-after")
      );
      const messages = toAgent.reduce((n, c) => n + messagesOf(c), 0);
      const drained = toAgent.length > 0 ? toAgent[toAgent.length - 1].at : start;
      // The fake stamps calls with Date.now(); clock() is wall time too, finer.
      const elapsed = drained - start;
      // Every message costs a slot, an album's parts too: the last can go once all but the
      // burst's have come back.
      const least = ((sent - PER_CHAT_BURST) / PER_CHAT_PER_SECOND) * 1000;
      const b = "mixed";
      return [
        {
          bench: b,
          figure: `messages in the agent's chat per message sent (${sent} sent)`,
          value: `${(messages / sent).toFixed(2)} (${messages})`,
          target: "1.00",
          met: messages === sent,
        },
        {
          bench: b,
          figure: `send calls for them (least: ${leastCalls})`,
          value: String(toAgent.length),
        },
        {
          bench: b,
          figure: `time to drain the burst (least at 1/s, burst 3: ${ms(least)})`,
          value: `${ms(elapsed)} (${elapsed >= least ? "+" : ""}${ms(elapsed - least)})`,
        },
        {
          bench: b,
          figure: "a short text sent right after: reached the agent after",
          value: ms(markerArrived - markerAt),
        },
      ];
    } finally {
      await bot.stop();
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
};
