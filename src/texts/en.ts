/** English sentences. @module */
import type { AgentStateLabel, MetricsView, QualityView, Texts } from "./types.ts";
import { enPlural } from "./plural.ts";

const kinds: Record<string, string> = {
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
  busy: "in a dialog",
  available: "available",
  away: "away",
};

const period = (label: string, m: MetricsView) =>
  `  ${label}: ${m.tickets} tickets; first response ${m.firstResponseMedian} ` +
  `(90%: ${m.firstResponseP90}); resolution ${m.resolutionMedian} (90%: ${m.resolutionP90})`;

const quality = (q: QualityView) =>
  [
    "Response times (median, 90th percentile):",
    period("today", q.today),
    period("7 days", q.days7),
    period("30 days", q.days30),
    q.csatAverage === null
      ? "Rating (30 days): no ratings yet"
      : `Rating (30 days): ${q.csatAverage} of 5 from ${q.csatCount} ratings`,
  ].join("\n");

/** The bot's sentences in English. */
export const en: Texts = {
  greetingNew: "Hello! This is the support desk. We are glad to help.",
  askName: "How should we call you? Send your name in one message.",
  greetingBack: (name) => `Hello, ${name}! Write your question and an agent will answer.`,
  nameSaved: (name) => `Nice to meet you, ${name}! Write your question and an agent will answer.`,
  greetingTicket: (name) => `Hello, ${name}! We have your message.`,
  ticketOpened: (ticket) => `Your ticket number is ${ticket}.`,
  offline: (opens) =>
    `We are offline right now and will answer from ${opens}. ` +
    "Your message is saved; keep writing, nothing will be lost.",
  closeButton: "Close the ticket",
  closedByClient: (ticket) => `You closed ticket ${ticket}. Thank you!`,
  nothingToClose: "You have no open ticket. Just write, and we will open one.",
  rateAsk: "Please rate our help:",
  rateThanks: (s) =>
    `Thank you for your rating: ${s}. If you like, send a comment in your next message.`,
  rateAlready: "You have already rated this ticket.",
  commentSkip: "No comment",
  commentThanks: "Thank you, your comment has been passed on.",
  commentSkipped: "Thank you!",
  buttonStale: "This button is no longer valid.",
  transferredClient: (ticket) =>
    `Your ticket ${ticket} has been passed to another agent, who can see the conversation.`,
  returnedToQueue: (ticket) =>
    `Your ticket ${ticket} is back in the queue; the next free agent will answer.`,
  agentHelp: "You are a support agent. Clients are sent to you while you are available.\n" +
    "/available: toggle availability\n/end_chat: close the current ticket\n" +
    "/transfer: hand the ticket to another agent or back to the queue\n" +
    "/canned: saved replies (/canned add <name> <text>, /canned del <name>)\n" +
    "/history: the current client's history as a file (/history html for a web page)\n" +
    "/stats: your statistics",
  agentClientLeft: (client, ticket) =>
    `Ticket ${ticket} with ${client} is closed: the client left.`,
  clientMoved: "Your agent is no longer reachable; we are moving you to another agent. " +
    "Nothing you wrote is lost.",
  card: (c) =>
    [
      `👤 ${c.name}${c.telegramName ? ` (${c.telegramName})` : ""}${
        c.username ? ` @${c.username}` : ""
      }`,
      `Language: ${c.language === "ru" ? "Russian" : "English"}`,
      c.ticket ? `Ticket ${c.ticket}, ${c.tickets} in all` : `Tickets: ${c.tickets}`,
      ...(c.lastRating ? [`Last rating: ${c.lastRating}`] : []),
      ...(c.phone ? [`Phone: ${c.phone}`] : []),
    ].join("\n"),
  nameSavedAskContact: (name) =>
    `Nice to meet you, ${name}! Would you like to leave your phone number? It helps our ` +
    "agent reach you. This is optional.",
  contactShare: "📱 Share my number",
  contactSkip: "Skip",
  contactSaved: "Thank you, your number is saved. Write your question and an agent will answer.",
  contactSkipped: "All right, no number. Write your question and an agent will answer.",
  moreInHistory: (client, count) =>
    `${count} more ${enPlural(count, ["message", "messages"])} from ${client} are not shown ` +
    "here; they are kept in the history (/history).",
  notDelivered: (kind) => `This ${kind} could not be delivered. Please send it again differently.`,
  connected: (ticket) => `An agent has joined the chat and will answer here (ticket ${ticket}).`,
  queued: (position) =>
    `All agents are busy right now. You are number ${position} in the queue; ` +
    "keep writing, nothing will be lost.",
  stillQueued: (position) => `Still waiting for an agent: you are number ${position} in the queue.`,
  ticketClosed: (ticket) =>
    `Your ticket ${ticket} is closed. Thank you! We are always glad to hear from you again.`,
  agentNewClient: (client, ticket, waiting, previous) =>
    `New client: ${client} (ticket ${ticket}).` +
    (previous ? ` Returning client, last ticket ${previous}.` : "") +
    (waiting > 0 ? ` Messages written while waiting: ${waiting}.` : "") +
    " Reply here; /end_chat closes the ticket.",
  agentNoDialog: (queueLength) =>
    `You have no client right now (queue: ${queueLength}). Your message was not sent to anyone.`,
  registerOk: "You are now a support agent and available. Clients will be sent to you.",
  registerAlready: "You are already a support agent.",
  registerMissing: "Send the token with the command: /register_support <token>",
  registerWrong: "Wrong token. Access denied.",
  registerLocked: (minutes) => `Too many wrong tries. Try again in ${minutes} min.`,
  registerHasTicket: "Your open ticket as a client was closed before registering.",
  tokenRemoved:
    "Your message held the support token, so we deleted it. It was not passed on to anyone.",
  availableOn: "You are available: new clients will be sent to you.",
  availableOff: "You are not available: no new clients will be sent to you.",
  availableOffInDialog:
    "You are not available: no new clients after the current one. /end_chat closes it.",
  endChatDone: (client, ticket) => `Ticket ${ticket} with ${client} closed.`,
  noDialog: "You have no active dialog.",
  agentOnly: "This command is for support agents only.",
  unknownCommand: "Unknown command. Just write your message and we will answer.",
  agentRated: (client, ticket, s) => `${client} rated ticket ${ticket}: ${s}`,
  agentComment: (client, ticket, comment) => `${client} commented on ticket ${ticket}:\n${comment}`,
  agentClientClosed: (client, ticket) => `${client} closed ticket ${ticket}.`,
  agentClientBanned: (client, ticket) =>
    `Ticket ${ticket} with ${client} is closed: an admin banned the client.`,
  transferChoose: (ticket) => `Hand ticket ${ticket} to:`,
  transferNobody: (ticket) => `No other agent is free. Ticket ${ticket} can go back to the queue:`,
  transferQueueButton: "Back to the queue",
  transferDone: (ticket, agent) => `Ticket ${ticket} is passed to ${agent}.`,
  transferQueued: (ticket) => `Ticket ${ticket} is back in the queue.`,
  transferNotFree: "That agent is no longer free. Choose again with /transfer.",
  transferIncoming: (ticket, client, from) =>
    `${from} passed ticket ${ticket} to you. Client: ${client}. ` +
    "The conversation so far follows as a file. Reply here; /end_chat closes the ticket.",
  cannedUsage: "Saved replies:\n/canned: choose one to send\n" +
    "/canned add <name> <text>: save (or replace) a reply\n/canned del <name>: delete one",
  cannedSaved: (name) => `Saved reply "${name}" is stored.`,
  cannedDeleted: (name) => `Saved reply "${name}" is deleted.`,
  cannedUnknown: (name) => `There is no saved reply "${name}".`,
  cannedBadName: "A name is one word of up to 32 letters, digits, - or _.",
  cannedTooLong: (max) => `A saved reply can be at most ${max} characters long.`,
  cannedTooMany: (max) => `You can keep at most ${max} saved replies; delete one first.`,
  cannedList: "Choose a reply to send to the client:",
  cannedEmpty: "You have no saved replies yet. /canned add <name> <text> saves one.",
  cannedSent: (name) => `Sent: ${name}`,
  historyUsage: "/history sends a text file; /history html sends a web page.",
  revoked: "An admin has revoked your agent access. Your client, if any, goes to another agent.",
  adminOnly: "This command is for admins only.",
  adminHelp: "Admin commands:\n/agents: agents and their state\n/queue: tickets waiting\n" +
    "/revoke <id or @username>: revoke an agent\n/ban, /unban <id or @username>: a client\n" +
    "/export <from> <to>: messages as CSV (dates as YYYY-MM-DD)\n/stats: the whole team",
  agents: (lines, more) =>
    lines.length === 0 ? "No agents yet." : [
      `Agents (${lines.length + more}):`,
      ...lines.map((a) =>
        `• ${a.name}${a.username ? ` @${a.username}` : ""} (id ${a.id}): ${states[a.state]}` +
        `${a.ticket ? ` ${a.ticket}` : ""}, ${a.online ? "online" : "offline"}`
      ),
      ...(more > 0 ? [`… and ${more} more`] : []),
    ].join("\n"),
  queue: (lines, more) =>
    lines.length === 0 ? "The queue is empty." : [
      `Waiting (${lines.length + more}):`,
      ...lines.map((q, i) =>
        `${i + 1}. ${q.ticket} ${q.client}: ${q.waitingMinutes} min, ${q.messages} messages`
      ),
      ...(more > 0 ? [`… and ${more} more`] : []),
    ].join("\n"),
  userUsage: (command) => `Tell whom: /${command} <id or @username>`,
  userUnknown: (who) => `No user ${who} has written to this bot.`,
  userAmbiguous: (command, who, ids) =>
    [
      `Several users have had the name ${who}: ids ${ids.join(", ")}.`,
      "The bot cannot tell which of them has it now.",
      `Please name the one you mean by id, for example: /${command} ${ids[0]}`,
    ].join("\n"),
  revokeNotAgent: (name) => `${name} is not an agent.`,
  revokeDone: (name, ticket, to) =>
    `${name} is no longer an agent.` +
    (ticket === null
      ? ""
      : to
      ? ` Ticket ${ticket} went to ${to}.`
      : ` Ticket ${ticket} went back to the queue.`),
  banAgent: (name) => `${name} is an agent; /revoke them first.`,
  banAdmin: "Admins cannot be banned.",
  banDone: (name) => `${name} is banned: their messages are kept but not passed on.`,
  banAlready: (name) => `${name} is already banned.`,
  unbanDone: (name) => `${name} is no longer banned.`,
  unbanNotBanned: (name) => `${name} is not banned.`,
  exportUsage: "Give the dates: /export <from> <to>, e.g. /export 2026-11-01 2026-11-30 " +
    "(both included, at most 366 days).",
  exportCaption: (from, to) => `Messages from ${from} to ${to}`,
  teamStats: (s) =>
    [
      "Team statistics",
      "",
      `Agents: ${s.agents} (available: ${s.agentsAvailable}, in a dialog: ${s.agentsBusy})`,
      `Open tickets: ${s.openTickets}, waiting in the queue: ${s.queueLength}`,
      ...(s.parkedUpdates > 0
        ? [
          `Not handled: ${s.parkedUpdates} ${enPlural(s.parkedUpdates, ["update", "updates"])}. ` +
          "They are kept, and the bot tries them again at its next start.",
        ]
        : []),
      "",
      quality(s.quality),
      "",
      "Agents (30 days):",
      ...(s.lines.length === 0
        ? ["  none yet"]
        : s.lines.map((a) =>
          `  ${a.name}: ${a.tickets30} tickets, first response ${a.firstResponseMedian}, ` +
          `rating ${a.csatAverage ?? "—"}, ${states[a.state]}`
        )),
      ...(s.more > 0 ? [`  … and ${s.more} more`] : []),
    ].join("\n"),
  historyCaption: (client) => `History with ${client}`,
  history: {
    title: (client) => `Dialog history with ${client}`,
    phone: (phone) => `Phone: ${phone}`,
    ticket: (ticket, opened, status) => `Ticket ${ticket} of ${opened} — ${status}`,
    statuses: { queued: "waiting in the queue", open: "open", closed: "closed" },
    kinds,
    empty: "(no messages)",
    edited: (at, text) => `✎ edited ${at}: ${text}`,
    rating: (s, comment) => `Rating: ${s}${comment ? `, comment: ${comment}` : ""}`,
    client: "client",
    agent: "agent",
  },
  stats: (s) =>
    [
      "Your statistics",
      "",
      `Clients in total: ${s.clientsTotal}`,
      `Messages sent: ${s.messagesSent}, received: ${s.messagesReceived}`,
      `Tickets today: ${s.ticketsToday}, in 7 days: ${s.tickets7Days}, in total: ${s.ticketsTotal}`,
      "",
      quality(s.quality),
      "",
      "Recent dialogs:",
      ...(s.recent.length === 0
        ? ["  none yet"]
        : s.recent.map((r) =>
          `  ${r.clientName}, ${r.openedAt}, ${
            r.minutes === null ? "still open" : `${r.minutes} min`
          }`
        )),
      "",
      `Available: ${s.available ? "yes" : "no"}, online: ${s.online ? "yes" : "no"}`,
      `Dialog: ${s.inDialogWith ?? "none"}`,
      `Clients waiting in the queue: ${s.queueLength}`,
    ].join("\n"),
  quality,
  commands: {
    start: "Start",
    available: "Toggle availability",
    end_chat: "End the current dialog",
    history: "History with the current client (file)",
    stats: "Statistics",
    transfer: "Hand the ticket to another agent",
    canned: "Saved replies",
    close: "Close my ticket",
    agents: "Agents and their state",
    queue: "Tickets waiting",
    revoke: "Revoke an agent",
    ban: "Ban a client",
    unban: "Unban a client",
    export: "Export messages (CSV)",
  },
};
