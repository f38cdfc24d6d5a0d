/**
 * Cold start: from spawning the real program to its first `getUpdates` reaching the fake
 * API (connecting, migrations, `getMe`, `setMyCommands`, `deleteWebhook` on the way), and
 * the idle RSS afterwards. Five starts, each on a fresh database file.
 *
 * @module
 */
import { FakeTelegram } from "../../tests/support/telegram.ts";
import {
  type Benchmark,
  clock,
  mib,
  ms,
  percentile,
  procStats,
  type Row,
  sleep,
  startBot,
  tempDatabase,
  until,
} from "./common.ts";

/** How many starts are measured. */
const RUNS = 5;

/** Cold start time and idle memory. */
export const cold: Benchmark = {
  name: "cold",
  about: `${RUNS} starts of the real program on a fresh database`,
  async run(): Promise<Row[]> {
    const tg = await FakeTelegram.start();
    let firstPoll: number | undefined;
    // A long poll that ends after a second with nothing: the bot idles as it would.
    tg.handle("getUpdates", async () => {
      firstPoll ??= clock();
      await sleep(1000);
      return [];
    });
    const times: number[] = [];
    const idle: number[] = [];
    const peak: number[] = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        const { dir, dbPath } = await tempDatabase();
        firstPoll = undefined;
        const bot = await startBot(tg, dbPath, { LOG_LEVEL: "info" });
        try {
          await until(() => firstPoll !== undefined, 30_000, "the first getUpdates");
          times.push(firstPoll! - bot.spawnedAt);
          await sleep(3000);
          const stats = procStats(bot.pid);
          idle.push(stats.rssKb);
          peak.push(stats.hwmKb);
        } finally {
          await bot.stop();
          await Deno.remove(dir, { recursive: true });
        }
      }
    } finally {
      await tg.close();
    }
    const median = percentile(times, 50);
    const b = "cold";
    return [
      {
        bench: b,
        figure: `start to first getUpdates, median of ${RUNS}`,
        value: ms(median),
        target: "< 500 ms",
        met: median < 500,
      },
      {
        bench: b,
        figure: "start to first getUpdates, min / max",
        value: `${ms(Math.min(...times))} / ${ms(Math.max(...times))}`,
      },
      { bench: b, figure: "idle RSS 3 s after, median", value: mib(percentile(idle, 50)) },
      {
        bench: b,
        figure: "peak RSS during start (VmHWM), median",
        value: mib(percentile(peak, 50)),
      },
    ];
  },
};
