/** English sentences. @module */
import type { Texts } from "../texts.ts";

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
};

/** The bot's sentences in English. */
export const en: Texts = {
  greetingNew: "Hello! This is the support desk. We are glad to help.",
  askName: "How should we call you? Send your name in one message.",
  greetingBack: (name) => `Hello, ${name}! Write your question and an agent will answer.`,
  nameSaved: (name) => `Nice to meet you, ${name}! Write your question and an agent will answer.`,
  greetingTicket: (name) => `Hello, ${name}! We have your message.`,
  agentHelp: "You are a support agent. Clients are sent to you while you are available.\n" +
    "/available: toggle availability\n/end_chat: close the current ticket\n" +
    "/history: the current client's history as a file\n/stats: your statistics",
  agentClientLeft: (client) => `The ticket with ${client} is closed: the client left.`,
  clientMoved: "Your agent is no longer reachable; we are moving you to another agent. " +
    "Nothing you wrote is lost.",
  notDelivered: (kind) => `This ${kind} could not be delivered. Please send it again differently.`,
  connected: "An agent has joined the chat and will answer here.",
  queued: (position) =>
    `All agents are busy right now. You are number ${position} in the queue; ` +
    "keep writing, nothing will be lost.",
  stillQueued: (position) => `Still waiting for an agent: you are number ${position} in the queue.`,
  ticketClosed: "Your ticket is closed. Thank you! We are always glad to hear from you again.",
  agentNewClient: (client, ticketId, waiting) =>
    `New client: ${client} (ticket #${ticketId}).` +
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
  availableOn: "You are available: new clients will be sent to you.",
  availableOff: "You are not available: no new clients will be sent to you.",
  availableOffInDialog:
    "You are not available: no new clients after the current one. /end_chat closes it.",
  endChatDone: (client) => `Ticket with ${client} closed.`,
  noDialog: "You have no active dialog.",
  agentOnly: "This command is for support agents only.",
  unknownCommand: "Unknown command. Just write your message and we will answer.",
  historyCaption: (client) => `History with ${client}`,
  history: {
    title: (client) => `Dialog history with ${client}`,
    ticket: (id, opened, status) => `Ticket #${id} of ${opened} — ${status}`,
    statuses: { queued: "waiting in the queue", open: "open", closed: "closed" },
    kinds,
    empty: "(no messages)",
  },
  stats: (s) =>
    [
      "Your statistics",
      "",
      `Clients in total: ${s.clientsTotal}`,
      `Messages sent: ${s.messagesSent}, received: ${s.messagesReceived}`,
      `Tickets today: ${s.ticketsToday}, in 7 days: ${s.tickets7Days}, in total: ${s.ticketsTotal}`,
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
  commands: {
    start: "Start",
    available: "Toggle availability",
    endChat: "End the current dialog",
    history: "History with the current client (file)",
    stats: "My statistics",
  },
};
