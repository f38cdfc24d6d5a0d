/**
 * End-to-end tests of the admin commands (`ADMIN_IDS`): `/agents`, `/queue`, `/revoke`, `/ban`,
 * `/unban` and the team's `/stats`, plus rotating `SUPPORT_TOKEN` with a restart. They prove,
 * through the real bot, the fake Bot API and the SQLite file, that only admins may use these
 * commands, that each one says the right thing to everyone involved and changes the database
 * as it should, and that a banned client's messages are kept but never passed on.
 *
 * Longer than most files: one scenario per admin command, each readable on its own.
 */
import assert from "node:assert/strict";
import { ticketNumber } from "../src/texts/mod.ts";
import { type ApiCall, user } from "./support/telegram.ts";
import { admin, ADMIN_ID, agent2, alice, bob } from "./support/people.ts";
import {
  ask,
  registerAgent,
  RU,
  settled,
  shownText,
  SUPPORT_TOKEN,
  textsTo,
  waitForText,
  withHarness,
} from "./support/harness.ts";

const ADMIN_ENV = { ADMIN_IDS: `${ADMIN_ID}, 9002` };

// This file's own Carol sends no language code (she is answered in Russian), and its Agent One
// has a username, for `/agents` and `/revoke @agent_one`.
const carol = user(1003, "Carol");
const agent1 = user(2001, "Agent", { last_name: "One", username: "agent_one" });
const agent3 = user(2003, "Agent", { last_name: "Three" });

/** The chat a menu call (setMyCommands / deleteMyCommands) is scoped to. */
function scopeChat(call: ApiCall): number | undefined {
  return (call.params.scope as { chat_id?: number } | undefined)?.chat_id;
}

Deno.test("admins get their menu and help; clients and agents get adminOnly and change nothing", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const menu = await tg.waitForCall("setMyCommands", (c) => scopeChat(c) === ADMIN_ID);
    assert.deepEqual(
      (menu.params.commands as { command: string }[]).map((c) => c.command),
      ["search", "agents", "queue", "stats", "revoke", "ban", "unban", "export", "faq", "help"],
    );
    await ask(tg, admin, "/start", RU.adminHelp);

    await registerAgent(tg, agent1);
    tg.sendText(alice, "Помогите");
    await waitForText(tg, agent1.id, "👤 Alice Smith:\nПомогите");
    await settled(h);
    const after = tg.calls.length;
    const commands = [
      "/agents",
      "/queue",
      `/revoke ${agent1.id}`,
      `/ban ${alice.id}`,
      `/unban ${alice.id}`,
      "/export 2026-01-01 2026-01-31",
    ];
    for (const who of [alice, agent1]) {
      for (const command of commands) await ask(tg, who, command, RU.adminOnly);
    }
    await settled(h);
    // Each command got exactly one answer, adminOnly, and reached nobody else.
    assert.deepEqual(textsTo(tg, alice.id, after), commands.map(() => RU.adminOnly));
    assert.deepEqual(textsTo(tg, agent1.id, after), commands.map(() => RU.adminOnly));
    assert.equal(tg.callsOf("sendDocument").length, 0);
    assert.equal(tg.callsOf("deleteMyCommands").length, 0);
    const store = h.app.desk.store;
    assert.equal(store.getUser(agent1.id)?.isAgent, true);
    assert.equal(store.getUser(alice.id)?.bannedAt, null);
    const ticket = store.getTicket(1)!;
    assert.equal(ticket.status, "open");
    assert.equal(ticket.agentId, agent1.id);
    // The dialog goes on.
    tg.sendText(alice, "Вы тут?");
    await waitForText(tg, agent1.id, "👤 Alice Smith:\nВы тут?");
  }, ADMIN_ENV));

Deno.test("/agents: none yet, then each agent's state (busy with ticket, available, away) and online", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await ask(tg, admin, "/agents", RU.agents([], 0));

    await registerAgent(tg, agent1);
    tg.sendText(alice, "Вопрос");
    await waitForText(tg, agent1.id, "Вопрос");
    await registerAgent(tg, agent2);
    await registerAgent(tg, agent3);
    await ask(tg, agent3, "/available", RU.availableOff);
    await settled(h);
    // agent2 was last seen an hour ago: not online any more.
    h.app.db.prepare("UPDATE users SET last_online = ? WHERE user_id = ?")
      .run(Date.now() - 3600_000, agent2.id);

    const expected = RU.agents([
      {
        id: agent1.id,
        name: "Agent One",
        username: "agent_one",
        state: "busy",
        online: true,
        ticket: ticketNumber(1),
      },
      {
        id: agent2.id,
        name: "Agent Two",
        username: null,
        state: "available",
        online: false,
        ticket: null,
      },
      {
        id: agent3.id,
        name: "Agent Three",
        username: null,
        state: "away",
        online: true,
        ticket: null,
      },
    ], 0);
    const call = await ask(tg, admin, "/agents", expected);
    assert.equal(shownText(call), expected);
    // A heading, then one line an agent with their name, id and ticket; the three states and
    // the two online marks are each told apart.
    const lines = shownText(call).split("\n");
    assert.equal(lines.length, 4);
    const [busy, available, away] = lines.slice(1);
    for (const part of ["Agent One", "@agent_one", String(agent1.id), ticketNumber(1)]) {
      assert.ok(busy.includes(part), busy);
    }
    assert.ok(available.includes("Agent Two") && available.includes(String(agent2.id)));
    assert.ok(away.includes("Agent Three") && away.includes(String(agent3.id)));
    assert.ok(!available.includes("#T") && !away.includes("#T"));
    const tail = (line: string) => line.slice(line.indexOf(")"));
    assert.equal(new Set([busy, available, away].map(tail)).size, 3, "states told apart");
    assert.notEqual(tail(available).split(", ").at(-1), tail(away).split(", ").at(-1));
  }, ADMIN_ENV));

Deno.test("/queue: empty, then waiting tickets oldest first with minutes and messages, no banned client", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await ask(tg, admin, "/queue", RU.queue([], 0));

    tg.sendText(alice, "Первый вопрос Алисы");
    await waitForText(tg, alice.id, RU.queued(1));
    tg.sendText(alice, "Ещё деталь");
    tg.sendText(bob, "Вопрос Боба");
    await waitForText(tg, bob.id, RU.queued(2));
    tg.sendText(carol, "Вопрос Кэрол");
    await waitForText(tg, carol.id, RU.queued(3));
    await settled(h);
    await ask(tg, admin, `/ban ${carol.id}`, RU.banDone("Carol"));
    // Bob's ticket was opened 20 minutes ago, Alice's 10: Bob comes first.
    const now = Date.now();
    const setOpened = h.app.db.prepare("UPDATE tickets SET opened_at = ? WHERE id = ?");
    setOpened.run(now - 10 * 60_000 - 30_000, 1);
    setOpened.run(now - 20 * 60_000 - 30_000, 2);

    const expected = RU.queue([
      { ticket: ticketNumber(2), client: "Bob", waitingMinutes: 20, messages: 1 },
      { ticket: ticketNumber(1), client: "Alice Smith", waitingMinutes: 10, messages: 2 },
    ], 0);
    const call = await ask(tg, admin, "/queue", expected);
    assert.equal(shownText(call), expected);
    // Bob first, with his ticket, 20 minutes and one message; then Alice, 10 and two.
    const [bobLine, aliceLine] = shownText(call).split("\n").slice(1);
    for (const part of [ticketNumber(2), "Bob", "20", "1"]) assert.ok(bobLine.includes(part));
    for (const part of [ticketNumber(1), "Alice Smith", "10", "2"]) {
      assert.ok(aliceLine.includes(part));
    }
    assert.ok(!shownText(call).includes("Carol"));
    assert.equal(h.app.desk.store.queueLength(), 2);
  }, ADMIN_ENV));

Deno.test("/revoke <id>: the agent loses the role and menu, the client goes to another free agent", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await registerAgent(tg, agent1);
    tg.sendText(alice, "Вопрос до отзыва");
    await waitForText(tg, agent1.id, "👤 Alice Smith:\nВопрос до отзыва");
    await registerAgent(tg, agent2);
    await settled(h);

    const after = tg.calls.length;
    tg.sendText(admin, `/revoke ${agent1.id}`);
    await waitForText(
      tg,
      admin.id,
      RU.revokeDone("Agent One", ticketNumber(1), "Agent Two"),
      after,
    );
    await waitForText(tg, agent1.id, RU.revoked, after);
    await tg.waitForCall("deleteMyCommands", (c) => scopeChat(c) === agent1.id, { after });
    await waitForText(tg, alice.id, RU.clientMoved, after);
    await waitForText(tg, alice.id, RU.connected(ticketNumber(1)), after);
    await waitForText(
      tg,
      agent2.id,
      // Nothing was written while the ticket waited (it did not: agent2 took it at once).
      RU.agentNewClient("Alice Smith", ticketNumber(1), 0, null),
      after,
    );
    await waitForText(tg, agent2.id, "👤 Alice Smith:\nВопрос до отзыва", after);
    await settled(h);
    // Alice was not also told she is queued: she went straight to agent2.
    const queuedTexts = [RU.queued(1), RU.stillQueued(1), RU.returnedToQueue(ticketNumber(1))];
    assert.ok(!textsTo(tg, alice.id, after).some((t) => queuedTexts.includes(t)));

    const revoked = store.getUser(agent1.id)!;
    assert.equal(revoked.isAgent, false);
    assert.equal(revoked.isAvailable, false);
    assert.equal(revoked.currentTicketId, null);
    const ticket = store.getTicket(1)!;
    assert.equal(ticket.status, "open");
    assert.equal(ticket.agentId, agent2.id);
    assert.equal(store.getUser(agent2.id)?.currentTicketId, 1);

    // The client's next message goes to agent2 only.
    const next = tg.calls.length;
    tg.sendText(alice, "После отзыва");
    await waitForText(tg, agent2.id, "👤 Alice Smith:\nПосле отзыва", next);
    // The former agent is a client now: agent commands are refused, a message opens a ticket.
    await ask(tg, agent1, "/available", RU.agentOnly);
    await ask(tg, agent1, "Теперь я клиент", RU.queued(1));
    await settled(h);
    assert.ok(!textsTo(tg, agent1.id, next).includes(RU.agentNoDialog(0)));
    assert.ok(!textsTo(tg, agent2.id, next).some((t) => t.includes("Теперь я клиент")));
    const own = store.ticketsOfClient(agent1.id);
    assert.equal(own.length, 1);
    assert.equal(own[0].status, "queued");
  }, ADMIN_ENV));

Deno.test("/revoke @username in any case: with nobody free the client goes back to the queue", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await registerAgent(tg, agent1);
    tg.sendText(alice, "Мой вопрос");
    await waitForText(tg, agent1.id, "Мой вопрос");
    await settled(h);

    const after = tg.calls.length;
    tg.sendText(admin, "/revoke @AGENT_One");
    await waitForText(tg, admin.id, RU.revokeDone("Agent One", ticketNumber(1), null), after);
    await waitForText(tg, agent1.id, RU.revoked, after);
    await tg.waitForCall("deleteMyCommands", (c) => scopeChat(c) === agent1.id, { after });
    await waitForText(tg, alice.id, RU.clientMoved, after);
    await waitForText(tg, alice.id, RU.queued(1), after);
    assert.equal(store.getUser(agent1.id)?.isAgent, false);
    const ticket = store.getTicket(1)!;
    assert.equal(ticket.status, "queued");
    assert.equal(ticket.agentId, null);
    assert.equal(store.queueLength(), 1);

    // Bad arguments.
    await ask(tg, admin, "/revoke", RU.userUsage("revoke"));
    await ask(tg, admin, "/revoke 424242", RU.userUnknown("424242"));
    await ask(tg, admin, "/revoke @nobody_here", RU.userUnknown("@nobody_here"));
    await ask(tg, admin, `/revoke ${alice.id}`, RU.revokeNotAgent("Alice Smith"));
    await ask(tg, admin, "/revoke @agent_one", RU.revokeNotAgent("Agent One"));

    // A new agent takes the waiting ticket with everything the client wrote.
    const later = tg.calls.length;
    await registerAgent(tg, agent2);
    await waitForText(tg, agent2.id, "👤 Alice Smith:\nМой вопрос", later);
    assert.equal(store.getTicket(1)?.agentId, agent2.id);
  }, ADMIN_ENV));

Deno.test("/ban: messages are stored, never relayed, the client hears nothing; the agent is told", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await registerAgent(tg, agent1);
    tg.sendText(alice, "До бана");
    await waitForText(tg, agent1.id, "👤 Alice Smith:\nДо бана");
    await waitForText(tg, alice.id, RU.connected(ticketNumber(1)));
    await settled(h);

    const banned = tg.calls.length;
    tg.sendText(admin, "/ban @alice");
    await waitForText(tg, admin.id, RU.banDone("Alice Smith"), banned);
    await waitForText(
      tg,
      agent1.id,
      RU.agentClientBanned("Alice Smith", ticketNumber(1)),
      banned,
    );
    const ticket = store.getTicket(1)!;
    assert.equal(ticket.status, "closed");
    assert.equal(ticket.closedBy, "system");
    assert.notEqual(store.getUser(alice.id)?.bannedAt, null);
    assert.equal(store.getUser(agent1.id)?.currentTicketId, null);

    const sent = tg.sendText(alice, "После бана");
    const photo = tg.sendMedia(alice, "photo", { caption: "фото после бана" });
    tg.sendEdit(alice, sent.message_id, { text: "После бана, исправлено" });
    await settled(h);
    // The freed agent is offered the queue: the banned client's ticket is not in it.
    h.app.desk.drainQueue();
    await settled(h);
    assert.deepEqual(textsTo(tg, alice.id, banned), [], "the banned client got nothing");
    const toAgent = tg.calls.slice(banned).filter((c) =>
      c.method !== "getUpdates" && Number(c.params.chat_id) === agent1.id
    );
    assert.deepEqual(toAgent.map(shownText), [
      RU.agentClientBanned("Alice Smith", ticketNumber(1)),
    ]);
    assert.ok(
      !tg.callsOf("copyMessage").some((c) => c.params.message_id === photo.message_id),
    );
    const rows = h.app.db.prepare(
      "SELECT ticket_id AS ticketId, kind, text FROM messages WHERE sender_id = ? ORDER BY id",
    ).all(alice.id) as { ticketId: number; kind: string; text: string }[];
    assert.deepEqual(rows.map((r) => [r.ticketId, r.kind, r.text]), [
      [1, "text", "До бана"],
      [2, "text", "После бана, исправлено"],
      [2, "photo", "фото после бана"],
    ]);
    assert.equal(store.getTicket(2)?.status, "queued");
    assert.equal(store.queueLength(), 0);
    await ask(tg, admin, "/queue", RU.queue([], 0));

    // The agent is free for others.
    tg.sendText(bob, "Я Боб");
    await waitForText(tg, agent1.id, "👤 Bob:\nЯ Боб");

    // Bad or pointless bans.
    await ask(tg, admin, `/ban ${alice.id}`, RU.banAlready("Alice Smith"));
    await ask(tg, admin, `/ban ${agent1.id}`, RU.banAgent("Agent One"));
    await ask(tg, admin, `/ban ${ADMIN_ID}`, RU.banAdmin);
    await ask(tg, admin, "/ban 555", RU.userUnknown("555"));
    await ask(tg, admin, "/ban", RU.userUsage("ban"));
    assert.equal(store.getUser(agent1.id)?.bannedAt, null);
    assert.equal(store.getUser(ADMIN_ID)?.bannedAt, null);
  }, ADMIN_ENV));

Deno.test({
  name: "/ban: a banned client gets no answer to anything, commands included",
  fn: () =>
    withHarness(async (h) => {
      const { tg } = h;
      await registerAgent(tg, agent1);
      tg.sendText(alice, "До бана");
      await waitForText(tg, agent1.id, "До бана");
      await ask(tg, admin, `/ban ${alice.id}`, RU.banDone("Alice Smith"));
      // What was sent to her before the ban (the greeting, "agent joined") is out first.
      await settled(h);
      const banned = tg.calls.length;
      tg.sendText(alice, "После бана");
      for (const command of ["/start", "/close", "/stats", "/end_chat", "/queue", "/nonsense"]) {
        tg.sendText(alice, command);
      }
      await settled(h);
      assert.deepEqual(textsTo(tg, alice.id, banned), [], "the banned client got nothing");
    }, ADMIN_ENV),
});

Deno.test({
  name: "/revoke: the admin is told who took the ticket, not that it went back to the queue",
  fn: () =>
    withHarness(async (h) => {
      const { tg } = h;
      await registerAgent(tg, agent1);
      tg.sendText(alice, "Вопрос");
      await waitForText(tg, agent1.id, "Вопрос");
      await registerAgent(tg, agent2);
      const after = tg.calls.length;
      tg.sendText(admin, `/revoke ${agent1.id}`);
      const done = await waitForText(
        tg,
        admin.id,
        RU.revokeDone("Agent One", ticketNumber(1), "Agent Two"),
        after,
      );
      await waitForText(tg, agent2.id, "👤 Alice Smith:\nВопрос", after);
      assert.equal(h.app.desk.store.getTicket(1)?.agentId, agent2.id);
      assert.notEqual(
        shownText(done),
        RU.revokeDone("Agent One", ticketNumber(1), null),
        `the admin was told: ${shownText(done)}`,
      );
      assert.ok(shownText(done).includes("Agent Two"));
    }, ADMIN_ENV),
});

Deno.test("/unban: the held ticket is closed but kept in the history, the next message opens a new one", () =>
  withHarness(async (h) => {
    const { tg } = h;
    const store = h.app.desk.store;
    await registerAgent(tg, agent1);
    tg.sendText(alice, "Первое");
    await waitForText(tg, agent1.id, "👤 Alice Smith:\nПервое");
    await ask(tg, admin, `/unban ${alice.id}`, RU.unbanNotBanned("Alice Smith"));
    await ask(tg, admin, `/ban ${alice.id}`, RU.banDone("Alice Smith"));
    tg.sendText(alice, "Пока в бане");
    await settled(h);
    assert.equal(store.getUser(alice.id)?.currentTicketId, 2);

    const unbanned = tg.calls.length;
    await ask(tg, admin, "/unban @Alice", RU.unbanDone("Alice Smith"));
    assert.equal(store.getUser(alice.id)?.bannedAt, null);
    assert.equal(store.getTicket(2)?.status, "closed");
    assert.equal(store.getUser(alice.id)?.currentTicketId, null);
    await ask(tg, admin, `/unban ${alice.id}`, RU.unbanNotBanned("Alice Smith"));
    await ask(tg, admin, "/unban 31337", RU.userUnknown("31337"));

    tg.sendText(alice, "После разбана");
    // One answer: the greeting and an agent there, with the new ticket's number.
    await waitForText(
      tg,
      alice.id,
      `${RU.greetingTicket} ${RU.connected(ticketNumber(3))}`,
      unbanned,
    );
    await waitForText(
      tg,
      agent1.id,
      // The message that opened the ticket is not one written while waiting.
      RU.agentNewClient("Alice Smith", ticketNumber(3), 0, ticketNumber(2)),
      unbanned,
    );
    await waitForText(tg, agent1.id, "👤 Alice Smith:\nПосле разбана", unbanned);
    await settled(h);
    // What was written during the ban is not relayed, but stays in the history file.
    assert.ok(!tg.calls.some((c) => c.ok && shownText(c).includes("Пока в бане")));
    tg.sendText(agent1, "/history");
    const call = await tg.waitForCall("sendDocument", (c) => c.params.chat_id === agent1.id);
    const text = call.files.document.text();
    const heading = (id: number, status: "open" | "closed") =>
      RU.history.ticket(ticketNumber(id), "(.*)", RU.history.statuses[status]);
    assert.match(text, new RegExp(`${heading(2, "closed")}\n.*\\] Alice Smith: Пока в бане\n`));
    assert.match(text, new RegExp(`${heading(3, "open")}\n.*\\] Alice Smith: После разбана\n`));
  }, ADMIN_ENV));

Deno.test("a new SUPPORT_TOKEN needs only a restart: agents stay, the old token fails, the new one works", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    await settled(h);
    const rotated = "rotated-support-token-2026";
    await h.restart({ SUPPORT_TOKEN: rotated });
    assert.equal(h.app.desk.store.getUser(agent1.id)?.isAgent, true);
    tg.sendText(alice, "После смены токена");
    await waitForText(tg, agent1.id, "👤 Alice Smith:\nПосле смены токена");
    await ask(tg, agent1, `/register_support ${rotated}`, RU.registerAlready);

    await ask(tg, bob, `/register_support ${SUPPORT_TOKEN}`, RU.registerWrong);
    assert.equal(h.app.desk.store.getUser(bob.id)?.isAgent, false);
    await ask(tg, bob, `/register_support ${rotated}`, RU.registerOk);
    assert.equal(h.app.desk.store.getUser(bob.id)?.isAgent, true);
  }));

Deno.test("/stats: an admin sees the team, an agent their own figures, a client agentOnly", () =>
  withHarness(async (h) => {
    const { tg } = h;
    await registerAgent(tg, agent1);
    await registerAgent(tg, agent2);
    await ask(tg, agent2, "/available", RU.availableOff);
    tg.sendText(alice, "Вопрос Алисы");
    await waitForText(tg, agent1.id, "Вопрос Алисы");
    tg.sendText(agent1, "Ответ");
    tg.sendText(bob, "Вопрос Боба");
    await waitForText(tg, bob.id, RU.queued(1));
    await settled(h);

    const teamCall = await ask(tg, admin, "/stats", "Статистика команды");
    // One photo: the chart, the text its caption.
    assert.equal(teamCall.method, "sendPhoto");
    assert.deepEqual([...teamCall.files.photo.bytes.slice(1, 4)], [0x50, 0x4e, 0x47]);
    const team = shownText(teamCall);
    assert.ok(team.startsWith("Статистика команды\n"));
    // The figures, each on its line: 2 agents, each counted once (1 in a dialog, 1 who turned
    // clients off: the old text counted the one in a dialog as waiting for clients too); 1
    // open ticket, 1 queued; 2 tickets in 30 days (Bob's waits still), the first
    // response Alice's.
    const lines = team.split("\n");
    const figures = (line: string | undefined) => (line ?? "").match(/\d+/g)?.map(Number);
    const lineWith = (part: string) => lines.find((l) => l.includes(part));
    assert.equal(lines[1], "В команде 2 специалиста: 1 в диалоге, 1 не принимает клиентов");
    assert.deepEqual(figures(lines[2]), [1, 1]);
    assert.equal(figures(lineWith("За 30 дней"))?.[1], 2);
    assert.match(lineWith("Первый ответ")!, /^Первый ответ: обычно (меньше минуты|\d+ минут)/);
    const one = lineWith("Agent One")!;
    const two = lineWith("Agent Two")!;
    assert.ok(one.includes("1 обращение") && two.includes("0 обращений"), `${one}\n${two}`);
    assert.ok(one.includes("(в диалоге)"), one);
    assert.ok(two.includes("(не принимает клиентов)"), two);
    assert.ok(!team.includes("Ваша статистика"));

    const ownCall = await ask(tg, agent1, "/stats", "Ваша статистика");
    assert.equal(ownCall.method, "sendPhoto");
    const own = shownText(ownCall);
    // The same response block as the team's (one agent answered), one message each way, Alice.
    const ownLines = own.split("\n");
    assert.ok(ownLines.includes(lineWith("Первый ответ")!), own);
    assert.deepEqual(figures(ownLines.find((l) => l.startsWith("Сообщения"))), [1, 1]);
    assert.equal(ownLines[1], "Сейчас в диалоге: Alice Smith");
    assert.ok(!own.includes("Статистика команды"));
    assert.notDeepEqual(ownCall.files.photo.bytes, teamCall.files.photo.bytes, "its own chart");

    await ask(tg, alice, "/stats", RU.agentOnly);

    // An admin who is also an agent gets both, and one menu with both sets of commands.
    const after = tg.calls.length;
    await registerAgent(tg, admin);
    const menu = await tg.waitForCall("setMyCommands", (c) => scopeChat(c) === ADMIN_ID, {
      after,
    });
    const commands = (menu.params.commands as { command: string }[]).map((c) => c.command);
    assert.deepEqual(commands, [
      "available",
      "end_chat",
      "transfer",
      "canned",
      "history",
      "search",
      "languages",
      "departments",
      "stats",
      "help",
      "agents",
      "queue",
      "revoke",
      "ban",
      "unban",
      "export",
      "faq",
    ]);
    const both = tg.calls.length;
    tg.sendText(admin, "/stats");
    await waitForText(tg, admin.id, "Ваша статистика", both);
    await waitForText(tg, admin.id, "Статистика команды", both);
    const photos = tg.calls.slice(both).filter((c) =>
      c.method === "sendPhoto" && Number(c.params.chat_id) === admin.id
    );
    assert.equal(photos.length, 2, "each text with its chart");
  }, ADMIN_ENV));
