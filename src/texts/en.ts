/**
 * English sentences: plain chat English with contractions, sentence case, figures through
 * `Intl` and nouns after them in their plural form.
 *
 * @module
 */
import type { AgentStateLabel, MessageKind, QualityView, TeamStatsView, Texts } from "./types.ts";
import {
  type DurationUnits,
  enCount,
  enPlural,
  formatNumber,
  roundUpShown,
  spellMinutes,
} from "./plural.ts";

type Forms = readonly [string, string];

/** Each kind's name, as a label and after "your". */
const kinds: Record<MessageKind, string> = {
  text: "message",
  photo: "photo",
  video: "video",
  animation: "GIF",
  document: "file",
  voice: "voice message",
  audio: "audio",
  sticker: "sticker",
  video_note: "video message",
  location: "location",
  venue: "venue",
  contact: "contact",
  poll: "poll",
  dice: "dice",
  other: "message",
  album: "album",
};

const states: Record<AgentStateLabel, string> = {
  busy: "with a client",
  available: "available",
  away: "away",
};

/** The counted nouns: singular and plural. */
const N = {
  message: ["message", "messages"],
  ticket: ["ticket", "tickets"],
  rating: ["rating", "ratings"],
  update: ["update", "updates"],
  agent: ["agent", "agents"],
  client: ["client", "clients"],
  character: ["character", "characters"],
  reply: ["saved reply", "saved replies"],
  answer: ["answer", "answers"],
} as const satisfies Record<string, Forms>;

const DURATION: DurationUnits<Forms> = {
  minute: ["minute", "minutes"],
  hour: ["hour", "hours"],
  day: ["day", "days"],
};

const num = (n: number) => formatNumber(n, "en");
const duration = (minutes: number) => spellMinutes(minutes, DURATION, enCount);

const MINUTE_MS = 60_000;
/** A measured length of time, typical or as it was: "less than a minute", "2 minutes". */
const lasted = (ms: number) =>
  ms < MINUTE_MS ? "less than a minute" : duration(Math.floor(ms / MINUTE_MS));
/** An upper bound, rounded up so that it stays true: "within 6 minutes". */
const within = (ms: number) =>
  ms < MINUTE_MS
    ? "in less than a minute"
    : `within ${duration(roundUpShown(Math.ceil(ms / MINUTE_MS)))}`;

const quality = (q: QualityView) => {
  const d = q.days30;
  const spread = d.answered >= 10 && d.firstResponse9in10Ms !== null
    ? `, 9 in 10 ${within(d.firstResponse9in10Ms)}`
    : "";
  return [
    `Last 30 days: ${enCount(d.tickets, N.ticket)}`,
    d.firstResponseMs === null
      ? "No replies to clients in these days"
      : `First response: usually ${lasted(d.firstResponseMs)}${spread}`,
    d.resolutionMs === null
      ? "No tickets closed in these days"
      : `Time to close: usually ${lasted(d.resolutionMs)}`,
    q.csatAverage === null
      ? "No ratings in these days"
      : `Rating: ${q.csatAverage} out of 5 (${enCount(q.csatCount, N.rating)})`,
  ].join("\n");
};

/** The team's agents by state: each counted once, the states with nobody left out. */
const team = (s: TeamStatsView) => {
  if (s.agents === 0) return "No agents yet";
  const parts = [
    ...(s.agentsAvailable > 0 ? [`${num(s.agentsAvailable)} ${states.available}`] : []),
    ...(s.agentsBusy > 0 ? [`${num(s.agentsBusy)} ${states.busy}`] : []),
    ...(s.agentsAway > 0 ? [`${num(s.agentsAway)} ${states.away}`] : []),
  ];
  return `${enCount(s.agents, N.agent)}: ${parts.join(", ")}`;
};

const more = (n: number) => `… and ${num(n)} more`;

const ASK_QUESTION = "Send us your question and an agent will reply here.";

/** A wait or a chat of under a minute, where a count of minutes would say "0 minutes". */
const UNDER_A_MINUTE = "less than a minute";

/** The agent's commands, a line each. */
const AGENT_COMMANDS = "/available: start or stop taking clients\n" +
  "/end_chat: close the current ticket\n" +
  "/transfer: pass the ticket to a colleague or back to the queue\n" +
  "/canned: saved replies (/canned add <name> <text>, /canned del <name>)\n" +
  "/history: the current client's history as a file (/history html for a web page)\n" +
  "/stats: your statistics\n" +
  "/languages: the languages you take clients in\n" +
  "/departments: your departments (/join <department>, /leave <department>)\n" +
  "/search <words>: find messages in past tickets (/history T-000123 opens one)\n" +
  "/help: this list";

/**
 * Time zones as people name them ("Moscow time", "Eastern Time"); any other is given by its
 * offset from UTC. Russian names the same zones.
 */
const ZONES: Readonly<Record<string, string>> = {
  "Europe/Kaliningrad": "Kaliningrad time",
  "Europe/Moscow": "Moscow time",
  "Europe/Samara": "Samara time",
  "Asia/Yekaterinburg": "Yekaterinburg time",
  "Asia/Omsk": "Omsk time",
  "Asia/Novosibirsk": "Novosibirsk time",
  "Asia/Krasnoyarsk": "Krasnoyarsk time",
  "Asia/Irkutsk": "Irkutsk time",
  "Asia/Yakutsk": "Yakutsk time",
  "Asia/Vladivostok": "Vladivostok time",
  "Asia/Magadan": "Magadan time",
  "Asia/Kamchatka": "Kamchatka time",
  "Europe/Minsk": "Minsk time",
  "Europe/Kyiv": "Kyiv time",
  "Europe/Kiev": "Kyiv time",
  "Asia/Almaty": "Almaty time",
  "Asia/Tashkent": "Tashkent time",
  "Asia/Tbilisi": "Tbilisi time",
  "Asia/Yerevan": "Yerevan time",
  "Asia/Baku": "Baku time",
  "Europe/Istanbul": "Istanbul time",
  "Asia/Dubai": "Dubai time",
  "Europe/London": "UK time",
  "Europe/Berlin": "Berlin time",
  "Europe/Paris": "Paris time",
  "America/New_York": "Eastern Time",
  "Asia/Tokyo": "Japan time",
};

/** The bot's sentences in English. */
export const en: Texts = {
  greetingNew: "Hi there! This is the support team, and we're happy to help.",
  askName: "What should we call you? Just send your name.",
  greetingBack: (name) => `Hi, ${name}! ${ASK_QUESTION}`,
  nameSaved: (name) => `Nice to meet you, ${name}! ${ASK_QUESTION}`,
  greetingTicket: "Thanks! We've got your message.",
  ticketOpened: (ticket) => `Your ticket number is ${ticket}.`,
  offline: (opens) =>
    `We're closed right now. We'll reply when we open: ${opens}. ` +
    "Your message is saved, so feel free to keep writing.",
  zoneTime: (time, zone, offset) => ZONES[zone] ? `${time} ${ZONES[zone]}` : `${time} (${offset})`,
  closeButton: "Close ticket",
  closedByClient: (ticket) => `You've closed ticket ${ticket}. Thanks for getting in touch!`,
  nothingToClose: "You don't have an open ticket. Just write to us to open a new one.",
  rateAsk: "How did we do? Please rate our help from 1 to 5:",
  rateThanks: (s) =>
    `Thanks for your rating: ${s}. If you'd like to add a comment, just send it as your ` +
    "next message.",
  rateAlready: "You've already rated this ticket.",
  commentSkip: "No comment",
  commentThanks: "Thank you! We've passed your comment on to the agent.",
  commentSkipped: "All right, thank you!",
  buttonStale: "This button doesn't work any more.",
  transferredClient: (ticket) =>
    `We've passed your ticket ${ticket} to another agent. ` +
    "They can see the whole conversation, so there's no need to repeat anything.",
  returnedToQueue: (ticket) =>
    `Your ticket ${ticket} is back in the queue. The next free agent will reply.`,
  agentHelp: "You're a support agent. While you're available, clients are sent to you.\n" +
    AGENT_COMMANDS,
  agentCommands: `Your commands:\n${AGENT_COMMANDS}`,
  clientHelp: "Just send your question as a normal message and an agent will reply here. " +
    "Photos, files and voice messages are fine too.\n" +
    "/start: start again\n" +
    "/close: close your ticket once your question is sorted\n" +
    "/help: this list",
  agentClientLeft: (client, ticket) =>
    `Ticket ${ticket} (${client}) is closed: the client can no longer be reached.`,
  clientMoved: "Your agent is no longer available, so we're passing you to another one. " +
    "Everything you wrote is saved.",
  card: (c) =>
    [
      `👤 ${c.name}${c.telegramName ? ` (${c.telegramName})` : ""}${
        c.username ? ` @${c.username}` : ""
      }`,
      `Language: ${c.language === "ru" ? "Russian" : "English"}`,
      c.ticket
        ? `Ticket ${c.ticket}, ${enCount(c.tickets, N.ticket)} in all`
        : `${enCount(c.tickets, N.ticket)} in all`,
      ...(c.department ? [`Department: ${c.department}`] : []),
      ...(c.lastRating ? [`Last rating: ${c.lastRating}`] : []),
      ...(c.phone ? [`Phone: ${c.phone}`] : []),
    ].join("\n"),
  nameSavedAskContact: (name) =>
    `Nice to meet you, ${name}! Would you like to share your phone number? ` +
    "It makes it easier for the agent to reach you. It's optional.",
  contactShare: "📱 Share my number",
  contactSkip: "Skip",
  contactSaved: `Thanks, we've saved your number. ${ASK_QUESTION}`,
  contactSkipped: `No problem, we'll do without it. ${ASK_QUESTION}`,
  contactDropped: "No problem, we'll do without your number.",
  moreInHistory: (client, count) =>
    `Not shown here: ${num(count)} more ${enPlural(count, N.message)} from ${client}. ` +
    "You'll find everything in the history: /history.",
  notDelivered: (kind) =>
    `Your ${kinds[kind]} couldn't be delivered. Please try sending it another way.`,
  connected: (ticket) => `An agent has joined and will reply here. Your ticket is ${ticket}.`,
  queued: (position) =>
    `All our agents are busy right now. You're number ${num(position)} in the queue. ` +
    "Feel free to keep writing: nothing will be lost.",
  stillQueued: (position) =>
    `Still looking for a free agent. You're number ${num(position)} in the queue.`,
  ticketClosed: (ticket) =>
    `Your ticket ${ticket} is closed. Thank you, and feel free to write again any time!`,
  agentNewClient: (client, ticket, waiting, previous) =>
    [
      `New client: ${client}, ticket ${ticket}.`,
      ...(previous ? [`They've been here before: last ticket ${previous}.`] : []),
      ...(waiting > 0
        ? [
          `Below is the client's first message, then ${num(waiting)} more ${
            enPlural(waiting, N.message)
          }.`,
        ]
        : []),
      "Reply here, and use /end_chat to close the ticket.",
    ].join(" "),
  agentNoDialog: (queueLength) =>
    "You don't have a client right now, so your message wasn't sent to anyone. " +
    (queueLength > 0
      ? `Waiting in the queue: ${enCount(queueLength, N.ticket)}.`
      : "The queue is empty."),
  registerOk: "Done! You're now a support agent. You're available, so new clients will be " +
    "sent to you.",
  registerAlready: "You're already a support agent.",
  registerMissing: "Please send the token with the command: /register_support <token>",
  registerWrong: "That token isn't right. Please check it and try again.",
  registerLocked: (minutes) =>
    `Too many wrong attempts. Please try again in ${enCount(minutes, DURATION.minute)}.`,
  registerHasTicket: "We closed your open ticket before making you an agent.",
  tokenRemoved:
    "We deleted your message because it contained the support token. It wasn't passed on.",
  availableOn: "You're available: new clients will be sent to you.",
  availableOff: "You're unavailable: no new clients will be sent to you. " +
    "/available turns it back on.",
  availableOffInDialog: "You're unavailable: no new clients after the current one. " +
    "/end_chat closes this ticket.",
  endChatDone: (client, ticket) => `Ticket ${ticket} (${client}) is closed.`,
  noDialog: "You don't have a client right now.",
  agentOnly: "This command is only for support agents.",
  unknownCommand: "Sorry, there's no such command. Just write your message and we'll reply.",
  unknownCommandStaff: "Sorry, there's no such command.",
  agentRated: (client, ticket, s) => `${client} rated ticket ${ticket}: ${s}`,
  agentComment: (client, ticket, comment) =>
    `${client} left a comment on ticket ${ticket}:\n${comment}`,
  agentClientClosed: (client, ticket) => `${client} closed ticket ${ticket}.`,
  agentClientBanned: (client, ticket) =>
    `Ticket ${ticket} (${client}) is closed: an admin banned the client.`,
  transferChoose: (ticket) => `Who should take ticket ${ticket}?`,
  transferNobody: (ticket) =>
    `No other agent is free right now. You can put ticket ${ticket} back in the queue:`,
  transferQueueButton: "Back to the queue",
  transferDone: (ticket, agent) => `Ticket ${ticket} is now with ${agent}.`,
  transferQueued: (ticket) => `Ticket ${ticket} is back in the queue.`,
  transferNotFree: "That agent isn't free any more. Please choose again: /transfer",
  transferIncoming: (ticket, client, from) =>
    `${from} has passed you ticket ${ticket}. The client is ${client}. ` +
    "The conversation so far is in the file below. " +
    "Reply here, and use /end_chat to close the ticket.",
  cannedUsage: "Saved replies:\n/canned: choose one to send\n" +
    "/canned add <name> <text>: save a reply (or replace it)\n/canned del <name>: delete one",
  cannedSaved: (name) => `Saved reply “${name}” is ready to use.`,
  cannedDeleted: (name) => `Saved reply “${name}” is deleted.`,
  cannedUnknown: (name) => `There's no saved reply called “${name}”.`,
  cannedBadName: "A name must be one word of up to 32 characters: letters, digits, - or _.",
  cannedTooLong: (max) => `A saved reply can be at most ${enCount(max, N.character)} long.`,
  cannedTooMany: (max) => `You can keep up to ${enCount(max, N.reply)}. Please delete one first.`,
  cannedList: "Choose a reply to send to the client:",
  cannedEmpty: "You don't have any saved replies yet. To save one: /canned add <name> <text>",
  cannedSent: (name) => `Sent: “${name}”`,
  cannedShown: (name, text) => `Saved reply “${name}” sent to the client:\n\n${text}`,
  draftShown: (text) => `🤖 Draft reply. The client hasn't seen it:\n\n${text}`,
  draftSend: "✅ Send",
  draftDrop: "🗑 Drop",
  draftSent: "Draft sent to the client.",
  draftDropped: "Draft dropped.",
  draftClosed: "This ticket is closed, so the draft wasn't sent.",
  draftNewer: "The client wrote again and there's a newer draft. This one wasn't sent.",
  draftDone: "This draft has already been sent or dropped.",
  historyUsage: "/history sends a text file, and /history html sends a web page.",
  revoked: "An admin has removed your agent access. If you had a client, they've been " +
    "passed on to another agent.",
  adminOnly: "This command is only for admins.",
  adminHelp: "Admin commands:\n/agents: agents and what they're doing\n" +
    "/queue: tickets in the queue\n/revoke <id or @username>: remove an agent's access\n" +
    "/ban, /unban <id or @username>: ban or unban a client\n" +
    "/export <from> <to>: messages as CSV (dates as YYYY-MM-DD)\n/stats: the whole team\n" +
    "/search <words>: find messages in every ticket\n" +
    "/faq: the knowledge base (/faq reload reads the file again)\n" +
    "/help: this list",
  agents: (lines, extra) =>
    lines.length === 0 ? "No agents yet." : [
      `Agents (${num(lines.length + extra)}):`,
      ...lines.map((a) =>
        `• ${a.name}${a.username ? ` @${a.username}` : ""} (id ${a.id}): ${states[a.state]}` +
        `${a.ticket ? ` ${a.ticket}` : ""}, ${a.online ? "online" : "offline"}`
      ),
      ...(extra > 0 ? [more(extra)] : []),
    ].join("\n"),
  queue: (lines, extra) =>
    lines.length === 0 ? "The queue is empty." : [
      `In the queue (${num(lines.length + extra)}):`,
      ...lines.map((q, i) =>
        `${num(i + 1)}. ${q.ticket}, ${q.client}${q.department ? ` (${q.department})` : ""} — ` +
        `waiting ${q.waitingMinutes < 1 ? UNDER_A_MINUTE : duration(q.waitingMinutes)}, ` +
        enCount(q.messages, N.message)
      ),
      ...(extra > 0 ? [more(extra)] : []),
    ].join("\n"),
  userUsage: (command) => `Who do you mean? Send it like this: /${command} <id or @username>`,
  userUnknown: (who) => `User ${who} hasn't written to the bot yet.`,
  userAmbiguous: (command, who, ids) =>
    [
      `Several users have had the name ${who}: ids ${ids.join(", ")}.`,
      "The bot can't tell which of them has it now.",
      `Please use the id instead, for example: /${command} ${ids[0]}`,
    ].join("\n"),
  revokeNotAgent: (name) => `${name} isn't an agent.`,
  revokeDone: (name, ticket, to) =>
    `${name} is no longer an agent.` +
    (ticket === null
      ? ""
      : to
      ? ` Ticket ${ticket} is now with ${to}.`
      : ` Ticket ${ticket} is back in the queue.`),
  banAgent: (name) => `${name} is an agent. To ban them, remove their access first: /revoke`,
  banAdmin: "Admins can't be banned.",
  banDone: (name) => `${name} is banned. Their messages are kept but not passed on.`,
  banAlready: (name) => `${name} is already banned.`,
  unbanDone: (name) => `${name} is no longer banned.`,
  unbanNotBanned: (name) => `${name} isn't banned.`,
  exportUsage: "Please give the dates: /export <from> <to>, for example " +
    "/export 2026-11-01 2026-11-30. Both days are included, up to 366 days in all.",
  exportCaption: (from, to) => `Messages from ${from} to ${to}`,
  teamStats: (s) =>
    [
      "Team statistics",
      team(s),
      `Tickets now: ${num(s.openTickets)} open, ${num(s.queueLength)} waiting in the queue`,
      ...(s.parkedUpdates > 0
        ? [
          `Couldn't handle ${enCount(s.parkedUpdates, N.update)}. ` +
          "They're kept, and the bot will try again at its next start.",
        ]
        : []),
      "",
      quality(s.quality),
      "",
      "Agents, last 30 days:",
      ...(s.lines.length === 0
        ? ["• none yet"]
        : s.lines.map((a) =>
          `• ${a.name} (${states[a.state]}): ${enCount(a.tickets30, N.ticket)}` +
          (a.firstResponseMs === null
            ? ""
            : `, first response usually ${lasted(a.firstResponseMs)}`) +
          (a.csatAverage === null ? ", no ratings" : `, rating ${a.csatAverage}`)
        )),
      ...(s.more > 0 ? [more(s.more)] : []),
    ].join("\n"),
  historyCaption: (client) => `Chat history with ${client}`,
  history: {
    title: (client) => `Chat history with ${client}`,
    phone: (phone) => `Phone: ${phone}`,
    ticket: (ticket, opened, status) => `Ticket ${ticket}, opened ${opened} — ${status}`,
    statuses: { queued: "waiting in the queue", open: "open", closed: "closed" },
    kinds,
    empty: "(no messages)",
    columns: {
      message_id: "message id",
      ticket: "ticket",
      time: "time",
      client_id: "client id",
      client_name: "client",
      client_phone: "client phone",
      sender_role: "written by",
      sender_id: "sender id",
      sender_name: "sender",
      kind: "kind",
      text: "text",
      department: "department",
      inbox: "inbox",
    },
    edited: (at, text) => `✎ edited ${at}: ${text}`,
    rating: (s, comment) => `Rating: ${s}${comment ? `, comment: ${comment}` : ""}`,
    client: "client",
    agent: "agent",
    internal: "internal note",
    viaAccount: (account) => `via the company account ${account}`,
    botInbox: "the bot",
  },
  stats: (s) =>
    [
      "Your statistics",
      s.inDialogWith === null ? "No client right now" : `Current client: ${s.inDialogWith}`,
      `${s.available ? "Taking new clients" : "Not taking new clients"}, ` +
      (s.online ? "online" : "offline"),
      s.queueLength === 0
        ? "Nobody is waiting in the queue"
        : `Waiting in the queue: ${enCount(s.queueLength, N.client)}`,
      "",
      `Tickets: ${num(s.ticketsToday)} today, ${num(s.tickets7Days)} in 7 days, ` +
      `${num(s.ticketsTotal)} in all (from ${enCount(s.clientsTotal, N.client)})`,
      `Messages: ${num(s.messagesSent)} sent, ${num(s.messagesReceived)} received`,
      "",
      quality(s.quality),
      "",
      ...(s.recent.length === 0 ? ["No chats yet"] : [
        "Recent chats:",
        ...s.recent.map((r) =>
          `• ${r.clientName}, ${r.openedAt} — ${
            r.lastedMs === null ? "still open" : lasted(r.lastedMs)
          }`
        ),
      ]),
    ].join("\n"),
  quality,
  chart: {
    title: "Tickets and first response, last 30 days",
    tickets: "Tickets per day",
    firstResponse: (unit) => `Typical first response, ${unit === "hours" ? "hours" : "minutes"}`,
    noReplies: "No replies to clients in these days",
  },
  commands: {
    start: "Start",
    available: "Start or stop taking clients",
    end_chat: "Close the current ticket",
    history: "The current client's history as a file",
    stats: "Statistics",
    transfer: "Pass the ticket on",
    canned: "Saved replies",
    close: "Close my ticket",
    agents: "Agents and what they're doing",
    queue: "Tickets in the queue",
    revoke: "Remove an agent's access",
    ban: "Ban a client",
    unban: "Unban a client",
    export: "Export messages as CSV",
    help: "What the bot can do",
    languages: "Languages you take clients in",
    departments: "Your departments",
    search: "Search past tickets",
    faq: "The knowledge base",
  },
  team: {
    board: (b) =>
      [
        `📋 Desk board · ${b.updatedAt}`,
        `Waiting: ${num(b.waitingCount)} · Open: ${num(b.openCount)} · ` +
        `Online: ${num(b.online.length)}`,
        ...(b.waiting.length > 0
          ? [
            "",
            "Waiting for an answer:",
            ...b.waiting.map((w) =>
              `${w.late ? "🟡" : "🔵"} ${w.ticket} ${w.client}` +
              `${w.department === null ? "" : ` (${w.department})`}, for ${w.waiting}`
            ),
            ...(b.waitingCount > b.waiting.length
              ? [`…and ${num(b.waitingCount - b.waiting.length)} more`]
              : []),
          ]
          : []),
        ...(b.open.length > 0
          ? [
            "",
            "Open:",
            ...b.open.map((o) => `🟢 ${o.ticket} ${o.client}, with ${o.agent}`),
            ...(b.openCount > b.open.length
              ? [`…and ${num(b.openCount - b.open.length)} more`]
              : []),
          ]
          : []),
        ...(b.departments.length > 0
          ? [
            "",
            "By department:",
            ...b.departments.map((d) => `  ${d.name}: ${num(d.waiting)} waiting · ` +
              (d.members.length > 0 ? `staff: ${d.members.join(", ")}` : "no staff")
            ),
          ]
          : []),
        "",
        b.online.length > 0 ? `Online now: ${b.online.join(", ")}` : "Nobody is online right now.",
        `Today: ${enCount(b.today.tickets, N.ticket)}, first response ` +
        `${b.today.firstResponseMedian} (median), resolved in ${b.today.resolutionMedian}.`,
      ].join("\n"),
    newTicket: (ticket, previous) =>
      previous ? `New ticket ${ticket} (previous: ${previous}).` : `New ticket ${ticket}.`,
    offered: (ticket, who) => `${who}, ticket ${ticket} is yours if you can take it.`,
    taken: (ticket, member) => `${member} is handling ${ticket}.`,
    takenOver: (ticket, member, from) => `${member} took ${ticket} over from ${from}.`,
    alreadyYours: (ticket) => `${ticket} is already yours.`,
    closed: (ticket, by) => `${ticket} was closed by ${by}.`,
    closedByClient: (ticket) => `The client closed ${ticket}.`,
    noTicket: "This client has no open ticket, so nothing was sent. " +
      "Their next message will open a new one.",
    notATopic: "This works only in a client's topic.",
    transferChoose: (ticket) => `Who should take ${ticket}?`,
    transferNobody: (ticket) => `There's nobody else to pass ${ticket} to right now.`,
    transferred: (ticket, to, from) => `${from} passed ${ticket} on to ${to}.`,
    memberLeft: (member, tickets) =>
      tickets > 0
        ? `${member} has left the group: ${enCount(tickets, N.ticket)} went back to the queue.`
        : `${member} has left the group.`,
    clientQueued: "Our support team has it and will reply here.",
    answerInGroup: "Clients are answered in the support group, each in their own topic.",
    registerInGroup: "Our team works in the support group: to answer clients, " +
      "ask an admin to add you to it.",
    anonymousNotSent: "This message was not sent to the client: it was posted anonymously " +
      "or on behalf of a channel, so the bot can't tell who wrote it. Turn off " +
      "“Remain anonymous” in your admin rights (or post as yourself) and send it again.",
    editIntoNote: (prefix) =>
      `The client already has this answer, so the edit didn't reach them: they still see ` +
      `the earlier text. For a note, write a new message starting with ${prefix}`,
    help: (prefix) =>
      "Commands of the support group. In a client's topic:\n" +
      "/take: take the ticket\n" +
      "/transfer: pass the ticket to a colleague\n" +
      "/end_chat or /close: close the ticket\n" +
      "/history: the client's history as a file (/history html for a web page)\n" +
      "/canned: saved replies (/canned add <name> <text>, /canned del <name>)\n" +
      "In any topic:\n" +
      "/available: start or stop taking new tickets\n" +
      "/queue: tickets in the queue\n" +
      "/agents: agents and what they're doing\n" +
      "/stats: statistics\n" +
      "/languages: the languages you take clients in\n" +
      "/departments: your departments (/join <department>, /leave <department>)\n" +
      "/search <words>: find messages in every ticket (/history T-000123 opens one)\n" +
      "/help: this list\n" +
      "To answer a client, just write in their topic. A note for the team starts with " +
      prefix,
    commands: {
      take: "Take the ticket",
      transfer: "Pass the ticket to a colleague",
      end_chat: "Close the ticket",
      close: "Close the ticket",
      history: "The client's history as a file",
      canned: "Saved replies",
      available: "Start or stop taking tickets",
      queue: "Tickets in the queue",
      agents: "Agents and what they're doing",
      stats: "Statistics",
      languages: "Languages you take clients in",
      departments: "Your departments",
      join: "Join a department",
      leave: "Leave a department",
      search: "Search every ticket",
      help: "The group's commands",
    },
    cannedShown: (member, name, text) =>
      `${member} sent the client the saved reply “${name}”:\n\n${text}`,
  },
  knowledge: {
    offer: "This might answer your question:",
    helpedButton: "👍 That helped",
    personButton: "🙋 I need a person",
    helped: "Glad it helped! We've closed your ticket; just write if anything else comes up.",
    toPerson: "Okay, we're passing your question to an agent.",
    offered: (question) =>
      `📚 Before this, the bot offered the client the knowledge base article “${question}”.`,
    suggestions: "📚 Articles that may answer this (a tap sends the answer to the client):",
    suggestionSent: "Answer sent",
    articleShown: (question, text) =>
      `Knowledge base article “${question}” sent to the client:\n\n${text}`,
    articleShownTeam: (member, question, text) =>
      `${member} sent the client the knowledge base article “${question}”:\n\n${text}`,
    faqNone: "There's no knowledge base: FAQ_FILE isn't set.",
    faqList: (questions, count) =>
      [
        `Knowledge base: ${enCount(count, ["article", "articles"])}.`,
        ...questions.map((q, i) => `${num(i + 1)}. ${q}`),
        ...(count > questions.length ? [more(count - questions.length)] : []),
        "/faq reload reads the file again.",
      ].join("\n"),
    faqReloaded: (count) => `Knowledge base reloaded: ${enCount(count, ["article", "articles"])}.`,
    faqReloadFailed: (reason) =>
      `The knowledge base wasn't reloaded: ${reason}. The previous version is still in use.`,
    searchOff: "Search is off. To turn it on, an admin sets SEARCH=true and restarts the bot: " +
      "every message is indexed at start.",
    searchUsage: "Usage: /search <words>, at least three letters each. For example: /search refund",
    searchNone: (words) => `Nothing found for “${words}” in the tickets you can see.`,
    searchResults: (lines, example) =>
      [
        ...lines.map((l) => `${l.ticket} · ${l.client} · ${l.at}\n${l.snippet}`),
        `To open a ticket's history: /history ${example}`,
      ].join("\n\n"),
    historyNoTicket: (ticket) => `There's no ticket ${ticket} you can open.`,
    statsSelfServed: (count) =>
      `Closed by a knowledge base answer in 30 days: ${enCount(count, N.ticket)}`,
  },
  routing: {
    languageNames: { ru: "Russian", en: "English" },
    languagesNow: (names, count, fromApp) =>
      `You speak ${names}${fromApp ? " (as set in your Telegram app)" : ""}. ` +
      `Clients who write in ${count === 1 ? "it" : "these languages"} come to you first. ` +
      "To change this, use the buttons below or /languages ru en",
    languagesUsage: (codes) =>
      `List your languages with spaces between them, e.g. /languages ru en. ` +
      `The bot knows: ${codes}. /languages auto goes back to your Telegram app's language.`,
    languagesAppButton: "As in my Telegram app",
    pickDepartment: "Please choose a department, so your question goes straight to the right " +
      "person. We'll pass on everything you've already written.",
    departmentPicked: (name) => `${name}: got it.`,
    departmentsNone: "No departments are set up, so you serve every client.",
    departmentsMine: (mine) =>
      (mine.length > 0
        ? `Your departments: ${mine.join(", ")}. Only their clients come to you.`
        : "You're in no department, so you serve the clients of all of them.") +
      "\nTo join or leave one, use the buttons below or /join and /leave with its name.",
    departmentUsage: (command, example, keys) =>
      `Name a department, e.g. /${command} ${example}. Departments: ${keys}.`,
    joined: (name) => `You're in ${name} now.`,
    left: (name) => `You've left ${name}.`,
    alreadyIn: (name) => `You're already in ${name}.`,
    notIn: (name) => `You're not in ${name}.`,
    toDepartmentButton: (name) => `To ${name}`,
    movedToDepartment: (ticket, name) => `Ticket ${ticket} has gone to ${name}.`,
    clientMovedToDepartment: (ticket, name) =>
      `Your ticket ${ticket} has gone to ${name}. An agent there will reply here.`,
    department: (name) => `Department: ${name}`,
    noDepartment: "no department",
    ownGroup: (name) =>
      `${name} has a staff group of its own, whose members are its agents: join that group ` +
      "to work in it, and leave it to stop.",
    movedToGroup: (ticket, name) =>
      `${ticket} went to ${name} and carries on in that department's group. ` +
      "This topic is closed.",
    statsAgent: (languages, departments) =>
      `Languages: ${languages}.` +
      (departments === null
        ? ""
        : departments.length > 0
        ? ` Departments: ${departments.join(", ")}.`
        : " Departments: all (you're in none)."),
    statsDepartments: (lines) =>
      [
        "By department:",
        ...lines.map((d) =>
          `  ${d.name}: ${num(d.queued)} queued, ${enCount(d.agents, N.agent)} (${
            num(d.free)
          } free)`
        ),
      ].join("\n"),
  },
  business: {
    held: (why, account) =>
      `⏸ Your answer waits: ${
        why === "off"
          ? `${account} has turned the bot off in the business settings`
          : why === "reply"
          ? `${account} has not allowed the bot to reply`
          : why === "refused"
          ? `Telegram refused it on behalf of ${account} (its connection may have changed)`
          : "the client last wrote more than 24 hours ago"
      }. It goes out as soon as the account may write again.`,
    released: (count) =>
      `▶️ The account may write again: ${enCount(count, N.answer)} that waited went out.`,
    ownerWrote: (owner, what) => `🏢 ${owner} answered from the company account: ${what}`,
    clientDeleted: (what) => `🗑 The client deleted their message: ${what}`,
    queuedNotice: (place) =>
      place === null
        ? "Thanks, we've got your message and will answer soon."
        : `Thanks, we've got your message. You're number ${num(place)} in line: ` +
          "we'll answer as soon as someone is free.",
    closedNotice: "Thanks for writing to us! If anything else comes up, just write here.",
    deletedMark: "(deleted by the client)",
    cardAccount: (account) => `🏢 Writes to the company account ${account}`,
    inboxes: (lines) =>
      [
        "Company accounts:",
        ...lines.map((l) =>
          `  🏢 ${l.account ?? "?"}: ${enCount(l.tickets, N.ticket)}, ${num(l.open)} not closed`
        ),
      ].join("\n"),
    arrived: (account) => `🏢 Came in through the company account ${account}`,
    notCarried: "⚠️ A company account can't forward this kind of message. Send it as text, please.",
    modeOff: "Business Mode is off for the bot in @BotFather: company accounts' chats " +
      "may not reach the desk. Turn it on in @BotFather → Bot Settings → Business Mode.",
    noReply: (account) =>
      `The company account ${account} connected the bot without the right to reply: ` +
      "answers will wait until it allows it.",
    connected: (account, on) =>
      on
        ? `The company account ${account} is connected: its chats are served by the desk.`
        : `The company account ${account} turned the bot off: answers to its clients wait.`,
  },
};
