/**
 * `/stats` below the bot: the team's agents counted once each (available, in a dialog, away
 * add up to all of them), the chart's days counted in the desk's time zone, the chart itself
 * a real PNG (decoded here: its size, its bars' colour, its words drawn with the bundled
 * font), and the job that sends it: the text as the photo's caption, before the photo when
 * it is too long for one, and alone (the failure logged) when the chart cannot be drawn.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createLogger } from "../src/base/log.ts";
import { fromLocal } from "../src/base/time.ts";
import { Jobs, type JobStore } from "../src/outbox/mod.ts";
import {
  CHART_DAYS,
  CHART_HEIGHT,
  CHART_WIDTH,
  type ChartDay,
  chartDays,
} from "../src/reports/chart.ts";
import { renderChart } from "../src/reports/chart_png.ts";
import { teamStats } from "../src/reports/stats.ts";
import { openDatabase } from "../src/store/db.ts";
import { Store, type TicketTimes } from "../src/store/mod.ts";
import { texts } from "../src/texts/mod.ts";
import { botApi } from "../src/telegram/client.ts";
import { FakeTelegram } from "./support/telegram.ts";

const T0 = Date.UTC(2026, 11, 7, 12, 0);
const MINUTE = 60_000;
const DAY = 24 * 3600_000;

// ---- the team's counts ----

Deno.test("teamStats: every agent is in exactly one state, and the states add up", () => {
  const db = openDatabase(":memory:");
  try {
    const store = new Store(db);
    for (const id of [1, 2, 3, 4, 5, 10, 11]) {
      store.insertUser(
        { userId: id, username: null, fullName: `User ${id}`, language: "ru" },
        false,
        T0,
      );
    }
    for (const id of [1, 2, 3, 4, 5]) store.makeAgent(id, T0);
    const first = store.createTicket(10, T0);
    const second = store.createTicket(11, T0);
    // 1: waits for clients. 2: in a dialog, still taking clients (the old count had it twice:
    // available and busy). 3: in a dialog, not taking more. 4 and 5: away.
    store.setCurrentTicket(2, first);
    store.setCurrentTicket(3, second);
    for (const id of [3, 4, 5]) store.setAvailable(id, false);

    const view = teamStats(store, T0, "ru");
    assert.deepEqual(
      [view.agents, view.agentsAvailable, view.agentsBusy, view.agentsAway],
      [5, 1, 2, 2],
    );
    assert.equal(view.agentsAvailable + view.agentsBusy + view.agentsAway, view.agents);
    // The lines say the same, agent by agent.
    const byState = Object.groupBy(view.lines, (l) => l.state);
    assert.equal(byState.available?.length, 1);
    assert.equal(byState.busy?.length, 2);
    assert.equal(byState.away?.length, 2);

    const ru = texts("ru").teamStats(view).split("\n");
    assert.equal(
      ru[1],
      "В команде 5 специалистов: 1 ждёт клиентов, 2 в диалоге, 2 не принимают клиентов",
    );
    const en = texts("en").teamStats(teamStats(store, T0, "en")).split("\n");
    assert.equal(en[1], "5 agents: 1 available, 2 with a client, 2 away");
    // Nobody away: the state is left out, the rest still add up.
    for (const id of [4, 5]) store.setAvailable(id, true);
    assert.equal(
      texts("ru").teamStats(teamStats(store, T0, "ru")).split("\n")[1],
      "В команде 5 специалистов: 3 ждут клиентов, 2 в диалоге",
    );
  } finally {
    db.close();
  }
});

// ---- the chart's days ----

/** A store of ticket times, as `ticketTimes` reads them (opened since `since`). */
function timesStore(times: readonly TicketTimes[], seen: (number | null)[] = []) {
  return {
    ticketTimes(agentId: number | null, since: number): TicketTimes[] {
      seen.push(agentId);
      return times.filter((t) => t.openedAt >= since);
    },
  };
}

const ticket = (openedAt: number, responseMs: number | null): TicketTimes => ({
  openedAt,
  firstResponseAt: responseMs === null ? null : openedAt + responseMs,
  closedAt: null,
});

Deno.test("chartDays: 30 local days up to today, tickets counted and the typical response", () => {
  const zone = "Asia/Vladivostok"; // UTC+10: 23:30 UTC is the next day there
  const today = fromLocal(2026, 12, 7, 0, 0, zone);
  const now = today + 15 * 3600_000;
  const seen: (number | null)[] = [];
  const days = chartDays(
    timesStore([
      ticket(today + 3600_000, 2 * MINUTE),
      ticket(today + 2 * 3600_000, 10 * MINUTE),
      ticket(today + 3 * 3600_000, 4 * MINUTE),
      ticket(today - 1, null), // the last minute of yesterday, local time: not answered
      ticket(today - 29 * DAY, 30_000), // the first day shown
      ticket(today - 29 * DAY - 1, MINUTE), // the day before it: not shown
    ], seen),
    7,
    now,
    zone,
  );
  assert.equal(days.length, CHART_DAYS);
  assert.equal(days.at(-1)!.date, "2026-12-07");
  assert.equal(days[0].date, "2026-11-08");
  assert.deepEqual(days.at(-1), { date: "2026-12-07", tickets: 3, firstResponseMs: 4 * MINUTE });
  assert.deepEqual(days.at(-2), { date: "2026-12-06", tickets: 1, firstResponseMs: null });
  assert.deepEqual(days[0], { date: "2026-11-08", tickets: 1, firstResponseMs: 30_000 });
  assert.equal(days.reduce((sum, d) => sum + d.tickets, 0), 5);
  assert.deepEqual(seen, [7], "one read, of the agent asked for");
  // Dates run one day apart, with no day twice or left out (whatever the zone's offset).
  for (let i = 1; i < days.length; i++) {
    const step = Date.parse(days[i].date) - Date.parse(days[i - 1].date);
    assert.equal(step, DAY, days[i].date);
  }
});

// ---- the picture ----

/** A PNG read back: its header and its pixels as RGBA. */
interface Decoded {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Decodes an 8-bit RGB or RGBA PNG, not interlaced: what resvg writes. */
async function decodePng(png: Uint8Array): Promise<Decoded> {
  assert.deepEqual([...png.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let header: { width: number; height: number; type: number } | undefined;
  const data: Uint8Array[] = [];
  let ended = false;
  while (at < png.length) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(png.slice(at + 4, at + 8));
    const body = png.slice(at + 8, at + 8 + length);
    if (type === "IHDR") {
      assert.equal(at, 8, "IHDR comes first");
      header = { width: view.getUint32(at + 8), height: view.getUint32(at + 12), type: body[9] };
      assert.equal(body[8], 8, "8 bits per channel");
      assert.equal(body[12], 0, "not interlaced");
    }
    if (type === "IDAT") data.push(body);
    if (type === "IEND") ended = true;
    at += 12 + length;
  }
  assert.ok(header && ended && data.length > 0, "IHDR, IDAT and IEND");
  const channels = header.type === 6 ? 4 : header.type === 2 ? 3 : 0;
  assert.ok(channels > 0, `colour type ${header.type}`);
  const joined = new Uint8Array(data.reduce((n, d) => n + d.length, 0));
  data.reduce((offset, d) => (joined.set(d, offset), offset + d.length), 0);
  const raw = await inflate(joined);
  const stride = header.width * channels;
  assert.equal(raw.length, header.height * (stride + 1));
  const pixels = new Uint8Array(header.height * stride);
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * (stride + 1)];
    assert.ok(filter <= 4, `filter ${filter}`);
    const row = y * stride, up = row - stride, input = y * (stride + 1) + 1;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[row + x - channels] : 0;
      const b = y > 0 ? pixels[up + x] : 0;
      let add = 0;
      if (filter === 1) add = a;
      else if (filter === 2) add = b;
      else if (filter === 3) add = (a + b) >> 1;
      else if (filter === 4) {
        const c = x >= channels && y > 0 ? pixels[up + x - channels] : 0;
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        add = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[row + x] = (raw[input + x] + add) & 0xff;
    }
  }
  const rgba = new Uint8Array(header.width * header.height * 4);
  for (let i = 0; i < header.width * header.height; i++) {
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = pixels[i * channels + c];
    rgba[i * 4 + 3] = channels === 4 ? pixels[i * channels + 3] : 255;
  }
  return { width: header.width, height: header.height, rgba };
}

/** How many pixels of `image` in the columns [`fromX`, `toX`) are close to `rgb`. */
function pixelsLike(image: Decoded, rgb: readonly number[], fromX = 0, toX = image.width) {
  let n = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = fromX; x < toX; x++) {
      const i = (y * image.width + x) * 4;
      if (rgb.every((v, c) => Math.abs(image.rgba[i + c] - v) <= 8)) n++;
    }
  }
  return n;
}

const BAR = [0x3b, 0x82, 0xc4];
const LINE = [0xe0, 0x7b, 0x00];
const INK = [0x22, 0x22, 0x22];

/** 30 days, empty but for `last`: the tickets and the typical response of today. */
function daysWith(last: { tickets: number; firstResponseMs: number | null }): ChartDay[] {
  return Array.from({ length: CHART_DAYS }, (_, i) => ({
    date: new Date(Date.UTC(2026, 10, 8 + i)).toISOString().slice(0, 10),
    ...(i === CHART_DAYS - 1 ? last : { tickets: 0, firstResponseMs: null }),
  }));
}

Deno.test("renderChart: a real PNG, its bars where the tickets are, its words drawn", async () => {
  const busy = daysWith({ tickets: 12, firstResponseMs: 3 * MINUTE });
  busy[CHART_DAYS - 2] = { ...busy[CHART_DAYS - 2], tickets: 5, firstResponseMs: 8 * MINUTE };
  const quiet = daysWith({ tickets: 0, firstResponseMs: null });
  const [ru, en, empty] = await Promise.all([
    renderChart(busy, "ru"),
    renderChart(busy, "en"),
    renderChart(quiet, "ru"),
  ]);
  for (const png of [ru, en, empty]) {
    // IHDR at byte 8: length 13, then the width and the height.
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    assert.equal(new TextDecoder().decode(png.slice(12, 16)), "IHDR");
    assert.deepEqual([view.getUint32(16), view.getUint32(20)], [CHART_WIDTH, CHART_HEIGHT]);
    assert.ok(png.length > 10_000, `${png.length} bytes: more than a blank picture`);
    assert.ok(png.length < 1_000_000, `${png.length} bytes: small enough to send`);
  }
  assert.notDeepEqual(ru, empty, "other figures, another picture");
  assert.notDeepEqual(ru, en, "other words, another picture: the text is drawn");

  const [a, b] = await Promise.all([decodePng(ru), decodePng(empty)]);
  assert.deepEqual([a.width, a.height], [CHART_WIDTH, CHART_HEIGHT]);
  // The bars: only the last two days have tickets, so every bar pixel is at the right edge.
  const barPixels = pixelsLike(a, BAR);
  assert.ok(barPixels > 500, `${barPixels} pixels of the bars' colour`);
  assert.equal(pixelsLike(a, BAR, 0, CHART_WIDTH - 80), 0, "no bar for the days without tickets");
  assert.equal(pixelsLike(b, BAR), 0, "no tickets, no bars");
  // The line of first responses, drawn only where there are some.
  assert.ok(pixelsLike(a, LINE) > 50);
  assert.equal(pixelsLike(b, LINE), 0);
  // The title and headings, in the text's colour: the font was there to draw them.
  assert.ok(pixelsLike(a, INK) > 1_000, "the words are drawn");
});

Deno.test("renderChart: the same figures give the same picture; more than 30 days is refused", async () => {
  const days = daysWith({ tickets: 3, firstResponseMs: 90_000 });
  const first = await renderChart(days, "en");
  const copy = first.slice();
  first.fill(0); // what a caller does with its picture does not reach the next caller's
  assert.deepEqual(await renderChart(days, "en"), copy);
  await assert.rejects(() => renderChart([...days, ...days], "en"), RangeError);
});

// ---- the job ----

async function withJobs(
  store: JobStore,
  fn: (tg: FakeTelegram, jobs: Jobs, logs: string[]) => Promise<void>,
) {
  const tg = await FakeTelegram.start();
  const logs: string[] = [];
  try {
    const api = botApi(tg.token, tg.apiRoot, 10);
    const log = createLogger("debug", "text", (line) => logs.push(line));
    const jobs = new Jobs(
      { calls: api, history: api, export: api },
      store,
      "UTC",
      "ru",
      undefined,
      log,
    );
    await fn(tg, jobs, logs);
  } finally {
    await tg.close();
  }
}

const CHAT = 501;
const someTimes = [ticket(T0 - 3600_000, 2 * MINUTE), ticket(T0 - DAY, 5 * MINUTE)];

/** The store a job reads; only the ticket times matter here (the reader's language: none). */
function jobStore(ticketTimes: JobStore["ticketTimes"]): JobStore {
  return { getUser: () => undefined, ticketTimes } as unknown as JobStore;
}

Deno.test("sendStatsChart: one photo, the text its caption", async () => {
  const seen: (number | null)[] = [];
  await withJobs(jobStore(timesStore(someTimes, seen).ticketTimes), async (tg, jobs) => {
    const text = "Ваша статистика\nЗа 30 дней: 2 обращения";
    await jobs.run({
      method: "sendStatsChart",
      params: { chat_id: CHAT, agent_id: 9, now: T0, text },
    });
    const photos = tg.callsOf("sendPhoto");
    assert.equal(photos.length, 1);
    assert.equal(tg.callsOf("sendMessage").length, 0);
    assert.equal(Number(photos[0].params.chat_id), CHAT);
    assert.equal(photos[0].params.caption, text);
    const file = photos[0].files.photo;
    assert.equal(file.filename, "stats.png");
    assert.deepEqual([...file.bytes.slice(1, 4)], [0x50, 0x4e, 0x47]);
    assert.deepEqual(seen, [9], "the chart of the agent asked for");
  });
});

Deno.test("sendStatsChart: a text too long for a caption goes first, the photo right after", async () => {
  await withJobs(jobStore(timesStore(someTimes).ticketTimes), async (tg, jobs) => {
    const text = "Статистика команды\n" + "• Борис (ждёт клиентов): 21 обращение\n".repeat(40);
    assert.ok(text.length > 1024);
    await jobs.run({
      method: "sendStatsChart",
      params: { chat_id: CHAT, agent_id: null, now: T0, text: text.trim() },
    });
    const sent = tg.calls.filter((c) => c.method === "sendMessage" || c.method === "sendPhoto");
    assert.deepEqual(sent.map((c) => c.method), ["sendMessage", "sendPhoto"]);
    assert.equal(sent[0].params.text, text.trim());
    assert.equal(sent[1].params.caption, undefined);
    assert.ok(sent[1].files.photo.bytes.length > 10_000);
  });
});

Deno.test("sendStatsChart: a chart that cannot be drawn leaves the text, and is logged", async () => {
  const broken = () => {
    throw new Error("disk I/O error");
  };
  await withJobs(jobStore(broken), async (tg, jobs, logs) => {
    const text = "Ваша статистика";
    await jobs.run({
      method: "sendStatsChart",
      params: { chat_id: CHAT, agent_id: 9, now: T0, text },
    });
    assert.equal(tg.callsOf("sendPhoto").length, 0);
    const messages = tg.callsOf("sendMessage");
    assert.equal(messages.length, 1);
    assert.equal(messages[0].params.text, text);
    const failed = logs.filter((l) => l.includes("stats.chart_failed"));
    assert.equal(failed.length, 1, logs.join("\n"));
    assert.match(failed[0], /ERROR/);
    assert.match(failed[0], /disk I\/O error/);
  });
});
