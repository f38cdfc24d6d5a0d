/**
 * The sandbox in a real browser: `deno task sandbox` as a user starts it (the real bot, the
 * emulator, the page), and a headless Chromium driven over the DevTools protocol
 * (`support/browser.ts`) plays an agent and a client on the page, typing and clicking as people
 * do: onboarding both, a text and a photo each way, an album, a reaction, a reply, an edit and a sticker
 * from the menus, `/history` downloaded, the chat closed and a rating button pressed. It ends with a screenshot (the README's `docs/sandbox.png` when
 * `SANDBOX_SCREENSHOT` names it).
 *
 * Without a Chromium (`CHROMIUM_PATH`, `/usr/bin/chromium`, …) the test is skipped and says so;
 * `.ci/run` installs Debian's `chromium` so CI always runs it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Browser, findChromium } from "./support/browser.ts";
import { taskCommand } from "./support/program.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const CHROMIUM = findChromium();
if (!CHROMIUM) {
  console.log(
    "sandbox_browser_test: SKIPPED, no Chromium found (set CHROMIUM_PATH, or install " +
      "Debian's chromium: apt-get install -y --no-install-recommends chromium)",
  );
}

const CLIENT = 1001; // Анна, Russian
const AGENT = 1003; // Мария, Russian
const ENGLISH_CLIENT = 1002; // John
const ADMIN = 1005; // Ольга, in ADMIN_IDS

/** The sandbox as `deno task sandbox --port 0 …args` starts it, and the URL it printed. */
async function startSandbox(args: string[] = []) {
  const words = (await taskCommand("sandbox")).split(/\s+/);
  assert.equal(words[0], "deno");
  const child = new Deno.Command(Deno.execPath(), {
    args: [...words.slice(1), "--port", "0", ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const urls: string[] = [];
  let found: (url: string) => void;
  const first = new Promise<string>((resolve) => (found = resolve));
  const read = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      output += chunk;
      for (const m of chunk.matchAll(/https?:\/\/\S+/g)) {
        urls.push(m[0]);
        found(m[0]);
      }
    }
  };
  const reading = Promise.all([read(child.stdout), read(child.stderr)]);
  const url = await Promise.race([
    first,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 30_000)
    ),
  ]);
  // The page answers at once; the bot behind it may still be starting (a fresh checkout
  // compiles it first, which under a parallel test run takes a while): wait for it to poll.
  const deadline = Date.now() + 90_000;
  while (!output.includes("bot.started")) {
    if (Date.now() > deadline) throw new Error(`the sandbox's bot never started:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, url, urls, output: () => output, reading };
}

const panel = (person: number, inner = "") => `section[data-person="${person}"] ${inner}`;

/** JavaScript: the texts of the elements at `selector`. */
const texts = (selector: string) =>
  `[...document.querySelectorAll('${selector}')].map((e) => e.textContent.trim())`;

/** JavaScript: the texts of the bot's messages in a person's panel. */
const botTexts = (person: number) =>
  `[...document.querySelectorAll('${
    panel(person, ".msg:not(.out) .text")
  }')].map((e) => e.textContent)`;

Deno.test({
  name:
    "the sandbox page in Chromium: onboarding, text and photo both ways, menus, a 502, /history, a rating",
  ignore: CHROMIUM === undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const sandbox = await startSandbox();
    const browser = await Browser.launch(CHROMIUM!, 1600, 960);
    const photo = await Deno.makeTempFile({ suffix: ".png" });
    try {
      await browser.goto(sandbox.url);
      await browser.waitFor(`document.querySelectorAll("section.phone").length === 5`, "5 panels");
      // Each panel speaks its person's Telegram language.
      assert.equal(
        await browser.evaluate(`document.querySelector('${panel(CLIENT, ".input")}').placeholder`),
        "Сообщение",
      );
      assert.equal(
        await browser.evaluate(
          `document.querySelector('${panel(ENGLISH_CLIENT, ".input")}').placeholder`,
        ),
        "Message",
      );

      // 30 s: under the whole suite in parallel, the page's first answer once took over 15.
      const waitBot = (person: number, pattern: RegExp, what: string) =>
        browser.waitFor<string>(
          `${botTexts(person)}.find((t) => ${pattern}.test(t))`,
          `${what}; the bot said: ${pattern}`,
          30_000,
        );

      // The agent registers by typing the token the page shows.
      const token = await browser.evaluate<string>(`document.querySelector("#token").textContent`);
      assert.match(token, /^sandbox-[0-9a-f]{12}$/);
      // A new chat with the bot shows START (Telegram's), which sends /start.
      await browser.click(panel(AGENT, ".start"));
      await waitBot(AGENT, /Как к вам обращаться/, "the bot's welcome to the agent");
      await browser.type(panel(AGENT, ".input"), `/register_support ${token}`);
      await waitBot(AGENT, /специалист поддержки/, "the agent registered");
      // The message carrying the token was deleted by the bot, so the page shows it no more.
      await browser.waitFor(
        `![...document.querySelectorAll('${
          panel(AGENT, ".msg.out .text")
        }')].some((e) => e.textContent.includes(${JSON.stringify(token)}))`,
        "the token message deleted",
      );

      // The client starts, gives a name, and writes.
      await browser.click(panel(CLIENT, ".start"));
      await waitBot(CLIENT, /Как к вам обращаться/, "the name question");
      await browser.type(panel(CLIENT, ".input"), "Анна");
      await waitBot(CLIENT, /Приятно познакомиться, Анна/, "the greeting by name");
      await browser.type(panel(CLIENT, ".input"), "Не проходит оплата картой");
      await waitBot(AGENT, /Анна:\nНе проходит оплата картой/, "the client's text at the agent");
      await browser.type(panel(AGENT, ".input"), "Сейчас проверю, минуту");
      await waitBot(CLIENT, /^Сейчас проверю, минуту$/, "the agent's text at the client");

      // A photo each way, chosen from disk, shown from the file Telegram holds.
      // The photo is drawn by the page's canvas: a screenshot of an error, as a client sends.
      const drawn = await browser.evaluate<string>(`(() => {
        const canvas = document.createElement("canvas");
        canvas.width = 480;
        canvas.height = 300;
        const g = canvas.getContext("2d");
        const sky = g.createLinearGradient(0, 0, 480, 300);
        sky.addColorStop(0, "#2aabee");
        sky.addColorStop(1, "#7bc862");
        g.fillStyle = sky;
        g.fillRect(0, 0, 480, 300);
        g.fillStyle = "#fff";
        g.fillRect(60, 70, 360, 160);
        g.fillStyle = "#e53935";
        g.font = "bold 30px sans-serif";
        g.fillText("Ошибка оплаты", 120, 140);
        g.fillStyle = "#44525f";
        g.font = "20px sans-serif";
        g.fillText("Код 402 · карта отклонена", 110, 185);
        return canvas.toDataURL("image/png").split(",")[1];
      })()`);
      await Deno.writeFile(photo, Uint8Array.from(atob(drawn), (c) => c.charCodeAt(0)));
      const loadedPhotos = (person: number, incoming: boolean) =>
        `[...document.querySelectorAll('${
          panel(person, `.msg${incoming ? ":not(.out)" : ".out"} img.photo`)
        }')].filter((i) => i.complete && i.naturalWidth > 0).length`;
      await browser.setFiles(panel(CLIENT, ".file"), [photo]);
      await browser.waitFor(`${loadedPhotos(AGENT, true)} >= 1`, "the client's photo at the agent");
      await browser.setFiles(panel(AGENT, ".file"), [photo]);
      await browser.waitFor(
        `${loadedPhotos(CLIENT, true)} >= 1`,
        "the agent's photo at the client",
      );
      // Two photos chosen at once are an album, which the bot passes on as one.
      await browser.setFiles(panel(CLIENT, ".file"), [photo, photo]);
      await browser.waitFor(`${loadedPhotos(AGENT, true)} >= 3`, "the client's album at the agent");
      // An album is one bubble with its photos in a grid, on both sides.
      for (const [person, side] of [[CLIENT, ".out"], [AGENT, ":not(.out)"]] as const) {
        await browser.waitFor(
          `document.querySelector('${panel(person, `.msg${side} .album.n2`)}')` +
            `?.querySelectorAll("img.photo").length === 2`,
          `the album as one grid of two in ${person}'s chat`,
        );
      }

      // The message menu (⋯): a reaction, a reply and an edit, and a sticker from ☰.
      const idOf = (person: number, text: string, out: boolean) =>
        browser.waitFor<number>(
          `[...document.querySelectorAll('${
            panel(person, `.msg${out ? ".out" : ":not(.out)"}`)
          }')].find((m) => m.querySelector(".text")?.textContent === ${
            JSON.stringify(text)
          })?.dataset.id`,
          `the message ${text}`,
        );
      const menu = async (person: number, id: number, button: string) => {
        await browser.click(panel(person, `.msg[data-id="${id}"] .open-menu`));
        await browser.click(panel(person, `.menu button${button}`));
      };
      const answer = await idOf(CLIENT, "Сейчас проверю, минуту", false);
      await menu(CLIENT, answer, `[data-react="👍"]`);
      await browser.waitFor(
        `document.querySelector('${
          panel(CLIENT, `.msg[data-id="${answer}"] .reactions`)
        }')?.textContent.includes("👍")`,
        "the client's reaction shown",
      );
      const original = await idOf(AGENT, "Сейчас проверю, минуту", true);
      await browser.waitFor(
        `document.querySelector('${
          panel(AGENT, `.msg[data-id="${original}"] .reactions`)
        }')?.textContent.includes("👍")`,
        "the client's reaction passed on to the agent's message",
      );
      await menu(CLIENT, answer, `[data-reply="${answer}"]`);
      await browser.type(panel(CLIENT, ".input"), "Спасибо, жду");
      await browser.waitFor(
        `[...document.querySelectorAll('${
          panel(AGENT, ".msg:not(.out)")
        }')].some((m) => m.querySelector(".quote")?.textContent === "Сейчас проверю, минуту" && m.textContent.includes("Спасибо, жду"))`,
        "the client's reply quoting the agent's message",
      );
      const question = await idOf(CLIENT, "Не проходит оплата картой", true);
      await menu(CLIENT, question, `[data-edit="${question}"]`);
      await browser.evaluate(`document.querySelector('${panel(CLIENT, ".input")}').value = ""`);
      await browser.type(panel(CLIENT, ".input"), "Не проходит оплата картой Visa");
      await waitBot(AGENT, /Не проходит оплата картой Visa/, "the client's edit at the agent");
      await browser.click(panel(CLIENT, ".attach"));
      await browser.click(panel(CLIENT, `.menu button[data-sticker="🔥"]`));
      await browser.waitFor(
        `[...document.querySelectorAll('${
          panel(AGENT, ".msg:not(.out) .sticker")
        }')].some((e) => e.textContent === "🔥")`,
        "the client's sticker at the agent",
      );

      // Telegram failing (502 on the bot's next three sends, from the top bar): the bot retries
      // and the message still arrives; the call log at the bottom shows the failures.
      await browser.click("#fail-502");
      await browser.waitFor(
        `document.querySelector("#fail-502").classList.contains("on")`,
        "502 on",
      );
      await browser.type(panel(CLIENT, ".input"), "А чек придёт на почту?");
      await browser.waitFor<string>(
        `${botTexts(AGENT)}.find((t) => t.includes("А чек придёт на почту?"))`,
        "the client's text at the agent despite the 502s",
        30_000,
      );
      assert.ok(
        await browser.evaluate<boolean>(
          `[...document.querySelectorAll("#calls .bad")].some((e) => e.textContent.includes(" 502"))`,
        ),
        "the 502s are in the call log",
      );

      // /history arrives as a document; opening it gives the whole conversation.
      await browser.type(panel(AGENT, ".input"), "/history");
      const href = await browser.waitFor<string>(
        `document.querySelector('${panel(AGENT, "a.doc")}')?.href`,
        "the history file",
      );
      const history = await browser.evaluate<{ status: number; type: string; text: string }>(
        `fetch(${
          JSON.stringify(href)
        }).then(async (r) => ({ status: r.status, type: r.headers.get("content-type"), text: await r.text() }))`,
      );
      assert.equal(history.status, 200);
      assert.match(history.type, /^text\/plain/);
      assert.match(history.text, /Не проходит оплата картой Visa/);
      assert.match(history.text, /Сейчас проверю, минуту/);

      // The other people: John's chat is empty, so it shows START (which sends /start) where
      // the text field will be; he is answered in English.
      assert.equal(
        await browser.evaluate(
          `document.querySelector('${panel(ENGLISH_CLIENT, ".start")}').textContent`,
        ),
        "START",
      );
      assert.ok(
        await browser.evaluate(
          `document.querySelector('${panel(ENGLISH_CLIENT, ".composer")}').hidden`,
        ),
      );
      await browser.click(panel(ENGLISH_CLIENT, ".start"));
      const english = await waitBot(ENGLISH_CLIENT, /\w/, "an answer to John");
      assert.doesNotMatch(english, /[а-яё]/i, "John's Telegram is in English");
      assert.deepEqual(
        await browser.evaluate(`${texts(panel(ENGLISH_CLIENT, ".msg.out .text"))}`),
        ["/start"],
      );
      // The admin's menu (☰, the bot's setMyCommands for her chat) lists the admin's commands
      // with their descriptions; picking one sends it.
      await browser.click(panel(ADMIN, ".start"));
      await waitBot(ADMIN, /\w/, "the bot's welcome to the admin");
      await browser.click(panel(ADMIN, ".commands"));
      const commands = await browser.waitFor<string>(
        `(${texts(panel(ADMIN, ".menu .command"))}).join("\\n") || null`,
        "the admin's menu",
      );
      const agents = commands.split("\n").find((line) => line.startsWith("/agents"));
      assert.ok(
        agents && agents.length > "/agents".length,
        `/agents with a description: ${commands}`,
      );
      await browser.click(panel(ADMIN, `.menu .command[data-command="agents"]`));
      await waitBot(ADMIN, /Мария/, "the admin's list of agents");
      assert.ok(
        await browser.evaluate(`document.querySelector('${panel(ADMIN, ".menu")}').hidden`),
      );
      // /help from the menu answers by role: the admin learns the admin's commands.
      await browser.click(panel(ADMIN, ".commands"));
      await browser.click(panel(ADMIN, `.menu .command[data-command="help"]`));
      await waitBot(ADMIN, /Команды администратора/, "the admin's help");
      // /stats: the short text comes with its chart, a PNG the page shows as a photo.
      await browser.type(panel(ADMIN, ".input"), "/stats");
      await browser.waitFor(
        `[...document.querySelectorAll('${panel(ADMIN, ".msg:not(.out) img.photo")}')]` +
          `.some((img) => img.complete && img.naturalWidth >= 400)`,
        "the /stats chart shown in the admin's chat",
      );

      // The agent closes the chat; the client rates it with a button.
      await browser.type(panel(AGENT, ".input"), "/end_chat");
      const rating = await browser.waitFor<string>(
        `[...document.querySelectorAll('${
          panel(CLIENT, "button[data-data]")
        }')].map((b) => b.dataset.data).filter((d) => !d.startsWith("close")).at(-1)`,
        "the rating buttons",
      );
      const before = await browser.evaluate<number>(`${botTexts(CLIENT)}.length`);
      await browser.click(panel(CLIENT, `button[data-data="${rating}"]`));
      await browser.waitFor(
        `${botTexts(CLIENT)}.length > ${before} || !document.querySelector('${
          panel(CLIENT, `button[data-data="${rating}"]`)
        }')`,
        "the rating taken",
      );
      await browser.waitFor(
        `${JSON.stringify(await browser.evaluate<string[]>(botTexts(CLIENT)))}.join() !== ${
          botTexts(CLIENT)
        }.join() || true`,
        "settled",
      );
      await new Promise((r) => setTimeout(r, 500));

      await browser.evaluate(`window.scrollTo(0, 0)`);
      const png = await browser.screenshot();
      assert.deepEqual([...png.slice(0, 4)], [0x89, 0x50, 0x4e, 0x47], "a PNG");
      const target = Deno.env.get("SANDBOX_SCREENSHOT");
      const path = target ? join(ROOT, target) : await Deno.makeTempFile({ suffix: ".png" });
      await Deno.writeFile(path, png);
      console.log(`sandbox_browser_test: screenshot written to ${path}`);
      // The page's language followed the browser's (Russian here) until switched to English
      // (the columns keep their people's).
      assert.equal(
        await browser.evaluate(`document.querySelector("#title").textContent`),
        "Песочница бота поддержки",
      );
      await browser.click("#page-language");
      assert.equal(
        await browser.evaluate(`document.querySelector("#title").textContent`),
        "Help-desk bot sandbox",
      );
      assert.equal(
        await browser.evaluate(`document.querySelector('${panel(CLIENT, ".input")}').placeholder`),
        "Сообщение",
      );
      assert.deepEqual(browser.errors, [], "no errors in the page");
      assert.deepEqual(
        sandbox.urls,
        [sandbox.url],
        `exactly one URL printed:\n${sandbox.output()}`,
      );
    } finally {
      await browser.close();
      await Deno.remove(photo).catch(() => {});
      sandbox.child.kill("SIGINT");
      const status = await sandbox.child.status;
      await sandbox.reading;
      assert.equal(status.code, 0, sandbox.output());
      assert.match(sandbox.output(), /bot\.stopped/);
    }
  },
});

Deno.test({
  name: "the sandbox in team mode at 1280×720: a client's topic in the staff group, answered there",
  ignore: CHROMIUM === undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const sandbox = await startSandbox(["--mode", "team"]);
    // An English browser: the page speaks English on a first visit.
    const browser = await Browser.launch(CHROMIUM!, 1280, 720, "en-US");
    const TOM = 1004; // an agent, English, a member of the staff group
    try {
      await browser.goto(sandbox.url);
      await browser.waitFor(`document.querySelectorAll("section.phone").length === 5`, "5 panels");
      assert.equal(
        await browser.evaluate(`document.querySelector("#title").textContent`),
        "Help-desk bot sandbox",
      );
      // Everyone fits the window: no column cut off or pushed below it.
      const boxes = await browser.evaluate<{ left: number; right: number; bottom: number }[]>(
        `[...document.querySelectorAll("section.phone")].map((e) => e.getBoundingClientRect())` +
          `.map((r) => ({ left: r.left, right: r.right, bottom: r.bottom }))`,
      );
      for (const box of boxes) {
        assert.ok(box.left >= 0 && box.right <= 1280 && box.bottom <= 720, JSON.stringify(box));
      }
      // Blocking the bot reads as an action, in each person's language.
      assert.deepEqual(
        await browser.evaluate(
          `[${CLIENT}, ${ENGLISH_CLIENT}].map((id) => document.querySelector(` +
            `'section[data-person="' + id + '"] .block-label').textContent)`,
        ),
        ["Заблокировать бота", "Block the bot"],
      );
      // Clients have no staff group (their tabs: the bot, and the company they may write to);
      // its members (agents, the admin) have it as a tab.
      assert.ok(
        await browser.evaluate(
          `document.querySelector('${panel(ENGLISH_CLIENT, '.tabs [data-tab="staff"]')}').hidden`,
        ),
      );
      assert.equal(
        await browser.evaluate(
          `document.querySelector('${
            panel(ENGLISH_CLIENT, '.tabs [data-tab="business"]')
          }').hidden`,
        ),
        false,
      );
      assert.equal(
        await browser.evaluate(`document.querySelector('${panel(TOM, ".tabs")}').hidden`),
        false,
      );

      // 30 s: under the whole suite in parallel, the page's first answer once took over 15.
      const waitBot = (person: number, pattern: RegExp, what: string) =>
        browser.waitFor<string>(
          `${botTexts(person)}.find((t) => ${pattern}.test(t))`,
          `${what}; the bot said: ${pattern}`,
          30_000,
        );
      await browser.click(panel(ENGLISH_CLIENT, ".start"));
      await waitBot(ENGLISH_CLIENT, /what should we call you/i, "the name question");
      await browser.type(panel(ENGLISH_CLIENT, ".input"), "John");
      await waitBot(ENGLISH_CLIENT, /John/, "the greeting");
      await browser.type(panel(ENGLISH_CLIENT, ".input"), "My card is declined");

      // Tom opens the staff group: General (with the bot's board pinned) and John's topic.
      await browser.click(panel(TOM, '.tabs [data-tab="staff"]'));
      const topic = await browser.waitFor<string>(
        `[...document.querySelectorAll('${panel(TOM, ".topic")}')]` +
          `.find((e) => e.textContent.includes("John"))?.dataset.thread`,
        "John's topic in the list",
      );
      assert.equal(
        await browser.evaluate(`document.querySelector('${panel(TOM, ".topic")}').dataset.thread`),
        "0",
        "General first",
      );
      await browser.click(panel(TOM, '.topic[data-thread="0"]'));
      await browser.waitFor(
        `document.querySelector('${panel(TOM, ".pinned")}')?.textContent.length > 3`,
        "the board pinned in General",
      );
      await browser.click(panel(TOM, ".back"));
      await browser.waitFor(
        `!document.querySelector('${panel(TOM, ".topics")}').hidden`,
        "back to the topic list",
      );
      await browser.click(panel(TOM, `.topic[data-thread="${topic}"]`));
      await browser.waitFor(
        `${botTexts(TOM)}.some((t) => t === "My card is declined")`,
        "the client's message in the topic",
      );
      // Tom answers in the topic as himself; John gets it from the bot.
      await browser.type(panel(TOM, ".input"), "Let me check that for you");
      await browser.waitFor(
        `${texts(panel(TOM, ".msg.out .text"))}.includes("Let me check that for you")`,
        "Tom's answer in the topic, as his",
      );
      await waitBot(ENGLISH_CLIENT, /^Let me check that for you$/, "the answer at the client");

      const png = await browser.screenshot();
      assert.deepEqual([...png.slice(0, 4)], [0x89, 0x50, 0x4e, 0x47], "a PNG");
      const path = await Deno.makeTempFile({ suffix: ".png" });
      await Deno.writeFile(path, png);
      console.log(`sandbox_browser_test: team mode screenshot written to ${path}`);
      assert.deepEqual(browser.errors, [], "no errors in the page");
    } finally {
      await browser.close();
      sandbox.child.kill("SIGINT");
      const status = await sandbox.child.status;
      await sandbox.reading;
      assert.equal(status.code, 0, sandbox.output());
    }
  },
});

Deno.test({
  name:
    "the sandbox's company account in Chromium: a client writes to the company, the owner answers",
  ignore: CHROMIUM === undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sandbox = await startSandbox();
    const browser = await Browser.launch(CHROMIUM!, 1600, 960);
    try {
      await browser.goto(sandbox.url);
      await browser.waitFor(`document.querySelectorAll("section.phone").length === 5`, "5 panels");
      // Anna writes to the company instead of the bot.
      await browser.click(panel(CLIENT, '.tabs [data-tab="business"]'));
      await browser.type(panel(CLIENT, ".input"), "Здравствуйте, компания");
      // No agent yet: the desk says the queue place, as the company, in her chat with it.
      await browser.waitFor(
        `${
          texts(panel(CLIENT, ".msg:not(.out) .text"))
        }.some((t) => t.includes("место в очереди"))`,
        "the queue place from the company",
      );
      // Ольга owns the account: the clients' chats are in her 🏢 tab; she answers herself.
      await browser.click(panel(ADMIN, '.tabs [data-tab="business"]'));
      await browser.waitFor(
        `document.querySelector('${panel(ADMIN, `.topic[data-client="${CLIENT}"]`)}') !== null`,
        "Anna's chat in the owner's list",
      );
      await browser.click(panel(ADMIN, `.topic[data-client="${CLIENT}"]`));
      await browser.waitFor(
        `${texts(panel(ADMIN, ".msg:not(.out) .text"))}.includes("Здравствуйте, компания")`,
        "Anna's message at the owner",
      );
      await browser.type(panel(ADMIN, ".input"), "Сейчас посмотрю");
      await browser.waitFor(
        `${texts(panel(CLIENT, ".msg:not(.out) .text"))}.includes("Сейчас посмотрю")`,
        "the owner's message at Anna",
      );
      // Back to the list, and the bot turned off there.
      await browser.click(panel(ADMIN, ".back"));
      await browser.waitFor(
        `!document.querySelector('${panel(ADMIN, ".topics")}').hidden`,
        "the owner's list again",
      );
      // The list shows her answer as the chat's last message: drawn anew for it already, so
      // the switch clicked is not one about to be replaced.
      await browser.waitFor(
        `document.querySelector('${panel(ADMIN, ".topics")}').textContent` +
          `.includes("Сейчас посмотрю")`,
        "the answer as the chat's last message",
      );
      await browser.click(panel(ADMIN, ".company-on"));
      await browser.waitFor(
        `document.querySelector('${panel(ADMIN, ".company-on")}').checked === false`,
        "the connection off",
      );
      assert.deepEqual(browser.errors, [], "no errors in the page");
    } finally {
      await browser.close();
      sandbox.child.kill("SIGINT");
      const status = await sandbox.child.status;
      await sandbox.reading;
      assert.equal(status.code, 0, sandbox.output());
    }
  },
});
