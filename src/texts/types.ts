/**
 * The shape of what users read: the languages the bot speaks, and the {@link Texts} every
 * language module fills in, with the views (already formatted figures) some texts take.
 *
 * @module
 */

/** A language the bot speaks. */
export type Language = "ru" | "en";

/** The languages the bot speaks, the default first. */
export const LANGUAGES: readonly Language[] = ["ru", "en"];

/** The language of users whose Telegram language the bot does not speak, unless configured. */
export const DEFAULT_LANGUAGE: Language = LANGUAGES[0];

/** The locale of dates and numbers in each language (`Intl` formatters). */
export const LOCALES: Readonly<Record<Language, string>> = { ru: "ru-RU", en: "en-GB" };

/**
 * The commands shown in a menu (see `src/desk/commands.ts`, the one table of commands): each has
 * its line in every language's menu, and the help texts name it.
 */
export type MenuCommandName =
  | "start"
  | "close"
  | "available"
  | "end_chat"
  | "transfer"
  | "canned"
  | "history"
  | "stats"
  | "search"
  | "faq"
  | "agents"
  | "queue"
  | "revoke"
  | "ban"
  | "unban"
  | "export"
  | "help"
  | "languages"
  | "departments";

/**
 * The commands of the staff group in team mode (`STAFF_COMMANDS` in `src/desk/team/events.ts`):
 * each has its line in the group's menu and in the group's help.
 */
export type StaffCommandName =
  | "take"
  | "transfer"
  | "end_chat"
  | "close"
  | "history"
  | "canned"
  | "available"
  | "queue"
  | "agents"
  | "stats"
  | "languages"
  | "departments"
  | "join"
  | "leave"
  | "search"
  | "help";

/** The columns of the CSV export, each headed in the reader's language. */
export type CsvColumn =
  | "message_id"
  | "ticket"
  | "time"
  | "client_id"
  | "client_name"
  | "client_phone"
  | "sender_role"
  | "sender_id"
  | "sender_name"
  | "kind"
  | "text"
  | "department"
  | "inbox";

/**
 * The kinds of message the bot keeps and relays (`describeMessage` in `src/outbox/carry.ts`), and
 * `album` for the parts of one sent together. Every language names each one.
 */
export const MESSAGE_KINDS = [
  "text",
  "photo",
  "video",
  "animation",
  "document",
  "voice",
  "audio",
  "sticker",
  "video_note",
  "location",
  "venue",
  "contact",
  "poll",
  "dice",
  "other",
  "album",
] as const;

/** A kind of message (see {@link MESSAGE_KINDS}). */
export type MessageKind = typeof MESSAGE_KINDS[number];

/** An agent's figures, as `/stats` shows them. */
export interface StatsView {
  readonly clientsTotal: number;
  readonly messagesSent: number;
  readonly messagesReceived: number;
  readonly ticketsToday: number;
  readonly tickets7Days: number;
  readonly ticketsTotal: number;
  /** The latest dialogs, newest first. */
  readonly recent: readonly {
    readonly clientName: string;
    /** When it began, already formatted (`1 Nov, 10:00`). */
    readonly openedAt: string;
    /** How long it lasted; `null` while it goes on. */
    readonly lastedMs: number | null;
  }[];
  readonly available: boolean;
  readonly online: boolean;
  readonly inDialogWith: string | null;
  readonly queueLength: number;
  readonly quality: QualityView;
}

/**
 * Response-time figures over one period, already formatted (team mode's board shows today's).
 */
export interface MetricsView {
  /** Tickets opened in the period. */
  readonly tickets: number;
  readonly firstResponseMedian: string;
  readonly firstResponseP90: string;
  readonly resolutionMedian: string;
  readonly resolutionP90: string;
}

/**
 * Response times of the tickets opened in a period, as lengths of time for the texts to put
 * in words; `null` where there is nothing to measure.
 */
export interface ResponseView {
  /** Tickets opened in the period. */
  readonly tickets: number;
  /** How many of them had a first response. */
  readonly answered: number;
  /** The typical (median) time to the first response. */
  readonly firstResponseMs: number | null;
  /**
   * Nine first responses in ten came within this (the nearest-rank 90th percentile): a
   * figure worth showing only from ten answered tickets on.
   */
  readonly firstResponse9in10Ms: number | null;
  /** The typical (median) time from opening to closing, of those closed. */
  readonly resolutionMs: number | null;
}

/** Response times and ratings of the last 30 days, as `/stats` shows them. */
export interface QualityView {
  readonly days30: ResponseView;
  /** Average rating, formatted, or null when none. */
  readonly csatAverage: string | null;
  readonly csatCount: number;
}

/** One agent's line in the team's `/stats`. */
export interface TeamAgentLine {
  readonly name: string;
  readonly tickets30: number;
  /** The typical first response of the agent's tickets of 30 days; `null`: none answered. */
  readonly firstResponseMs: number | null;
  readonly csatAverage: string | null;
  readonly state: AgentStateLabel;
}

/** What an agent is doing, as admins see it. */
export type AgentStateLabel = "busy" | "available" | "away";

/** The whole team's figures, as an admin's `/stats` shows them. */
export interface TeamStatsView {
  /** All agents: each is in exactly one of the three states below. */
  readonly agents: number;
  /** Waiting for clients (available, not in a dialog). */
  readonly agentsAvailable: number;
  /** In a dialog. */
  readonly agentsBusy: number;
  /** Not taking clients, and not in a dialog. */
  readonly agentsAway: number;
  readonly queueLength: number;
  readonly openTickets: number;
  /** Updates whose handling failed with a bug, kept to be tried again at the next start. */
  readonly parkedUpdates: number;
  readonly quality: QualityView;
  readonly lines: readonly TeamAgentLine[];
  /** Agents left out of `lines`. */
  readonly more: number;
}

/** One agent in `/agents`. */
export interface AgentLine {
  readonly id: number;
  readonly name: string;
  readonly username: string | null;
  readonly state: AgentStateLabel;
  readonly online: boolean;
  readonly ticket: string | null;
}

/** A client's card, as an agent sees it when they press the name under a copy. */
export interface CardView {
  /** The name the client gave (or Telegram's). */
  readonly name: string;
  /** Telegram's name, when it differs from the one given. */
  readonly telegramName: string | null;
  readonly username: string | null;
  readonly language: Language;
  /** The current (or last) ticket's number. */
  readonly ticket: string | null;
  readonly tickets: number;
  /** The last rating, as stars. */
  readonly lastRating: string | null;
  readonly phone: string | null;
  /** The department of the ticket, by name, if it has one. */
  readonly department?: string | null;
}

/** Team mode's board in the staff group's General topic. */
export interface BoardView {
  /** Tickets nobody took yet, oldest first; `late`: waiting longer than the team's limit. */
  readonly waiting: readonly {
    readonly ticket: string;
    readonly client: string;
    readonly waiting: string;
    readonly late: boolean;
    /** Its department's name; `null`: none, or the desk has no departments. */
    readonly department: string | null;
  }[];
  readonly waitingCount: number;
  readonly open: readonly {
    readonly ticket: string;
    readonly client: string;
    readonly agent: string;
  }[];
  readonly openCount: number;
  /** Members available and online. */
  readonly online: readonly string[];
  /** Per department, then for none (its name `routing.noDepartment`); empty: no departments. */
  readonly departments: readonly BoardDepartment[];
  readonly today: MetricsView;
  /** The time of the board, as `14:05`. */
  readonly updatedAt: string;
}

/** One department on the board: the tickets waiting in it and its members, by name. */
export interface BoardDepartment {
  readonly name: string;
  readonly waiting: number;
  readonly members: readonly string[];
}

/** What team mode says in the staff group (in the team's language) and to clients. */
export interface TeamTexts {
  readonly board: (b: BoardView) => string;
  /** A returning client's new ticket, in their topic. */
  readonly newTicket: (ticket: string, previous: string | null) => string;
  /** A new ticket offered to the best free member (`who`: their @username or name). */
  readonly offered: (ticket: string, who: string) => string;
  readonly taken: (ticket: string, member: string) => string;
  readonly takenOver: (ticket: string, member: string, from: string) => string;
  readonly alreadyYours: (ticket: string) => string;
  readonly closed: (ticket: string, by: string) => string;
  readonly closedByClient: (ticket: string) => string;
  /** A member wrote in a client's topic while the client has no ticket open. */
  readonly noTicket: string;
  /** A topic command outside a client's topic. */
  readonly notATopic: string;
  readonly transferChoose: (ticket: string) => string;
  readonly transferNobody: (ticket: string) => string;
  readonly transferred: (ticket: string, to: string, from: string) => string;
  readonly memberLeft: (member: string, tickets: number) => string;
  /** The client, after their first message in team mode: the team has it. */
  readonly clientQueued: string;
  /** An agent's message in their private chat while the desk works in the staff group. */
  readonly answerInGroup: string;
  /** `/register_support` in a private chat while the desk works in the staff group. */
  readonly registerInGroup: string;
  /**
   * A message in a client's topic sent anonymously (an admin who remains anonymous) or on
   * behalf of a channel: the bot cannot tell who wrote it, so it went nowhere.
   */
  readonly anonymousNotSent: string;
  /** A member edited their answer into a note (`prefix`): the client keeps the earlier text. */
  readonly editIntoNote: (prefix: string) => string;
  /** `/help` in the staff group: the group's commands, a line each, and how notes begin. */
  readonly help: (notePrefix: string) => string;
  /** Each command's line in the staff group's menu. */
  readonly commands: Readonly<Record<StaffCommandName, string>>;
  /**
   * In a client's topic: the saved reply `name` the bot sent the client when `member` pressed
   * it, with its `text` (replies and reactions to it reach the client's copy).
   */
  readonly cannedShown: (member: string, name: string, text: string) => string;
}

/** One waiting ticket in `/queue`. */
export interface QueueLine {
  readonly ticket: string;
  readonly client: string;
  readonly waitingMinutes: number;
  readonly messages: number;
  /** The ticket's department, by name; `null`: none. */
  readonly department?: string | null;
}

/** The bot's sentences in one language. */
export interface Texts {
  readonly greetingNew: string;
  readonly askName: string;
  readonly greetingBack: (name: string) => string;
  readonly nameSaved: (name: string) => string;
  /** Said in front of what comes next, after a client's first message of a ticket. */
  readonly greetingTicket: string;
  readonly ticketOpened: (ticket: string) => string;
  readonly offline: (opens: string) => string;
  /**
   * A time with its zone as people name it: `09:00 по московскому времени`, `09:00 Moscow
   * time`; a zone without a name here is given by its UTC `offset`: `09:00 (UTC+3)`.
   */
  readonly zoneTime: (time: string, zone: string, offset: string) => string;
  readonly closeButton: string;
  readonly closedByClient: (ticket: string) => string;
  readonly nothingToClose: string;
  readonly rateAsk: string;
  readonly rateThanks: (stars: string) => string;
  readonly rateAlready: string;
  readonly commentSkip: string;
  readonly commentThanks: string;
  readonly commentSkipped: string;
  readonly buttonStale: string;
  readonly transferredClient: (ticket: string) => string;
  readonly returnedToQueue: (ticket: string) => string;
  readonly agentHelp: string;
  /** The agent's commands, a line each (the end of a registration). */
  readonly agentCommands: string;
  /** `/help` of a client: what they can do. */
  readonly clientHelp: string;
  readonly agentClientLeft: (client: string, ticket: string) => string;
  readonly clientMoved: string;
  /**
   * In reply to a message Telegram refused for good: the sender is told which kind of message
   * did not arrive (each language inflects the kind as its sentence needs).
   */
  readonly notDelivered: (kind: MessageKind) => string;
  /**
   * To staff: `count` messages of `client` are not shown, and are in the history: only when a
   * ban stopped them, or Telegram refused for good the part of a flood's digest that held them.
   */
  readonly moreInHistory: (client: string, count: number) => string;
  /** The client card (an alert window of at most 200 characters, else a message). */
  readonly card: (c: CardView) => string;
  /** The name saved, and the phone number asked (`ASK_CONTACT`), which the client may skip. */
  readonly nameSavedAskContact: (name: string) => string;
  /** The button that shares the client's own number. */
  readonly contactShare: string;
  /** The button that skips it. */
  readonly contactSkip: string;
  /** After the number is shared. */
  readonly contactSaved: string;
  /** After the client skipped it. */
  readonly contactSkipped: string;
  /** The client wrote something else instead (their question follows): the buttons go. */
  readonly contactDropped: string;
  readonly connected: (ticket: string) => string;
  readonly queued: (position: number) => string;
  readonly stillQueued: (position: number) => string;
  readonly ticketClosed: (ticket: string) => string;
  /**
   * To the agent a ticket was just given to. `waiting`: how many of the client's messages in
   * this ticket follow besides the first (all of them follow the notice; 0: only the first);
   * `previous`: the client's last ticket, if they had one.
   */
  readonly agentNewClient: (
    client: string,
    ticket: string,
    waiting: number,
    previous: string | null,
  ) => string;
  readonly agentRated: (client: string, ticket: string, stars: string) => string;
  readonly agentComment: (client: string, ticket: string, comment: string) => string;
  readonly agentClientClosed: (client: string, ticket: string) => string;
  readonly agentClientBanned: (client: string, ticket: string) => string;
  readonly transferChoose: (ticket: string) => string;
  readonly transferNobody: (ticket: string) => string;
  readonly transferQueueButton: string;
  readonly transferDone: (ticket: string, agent: string) => string;
  readonly transferQueued: (ticket: string) => string;
  readonly transferNotFree: string;
  readonly transferIncoming: (ticket: string, client: string, from: string) => string;
  readonly cannedUsage: string;
  readonly cannedSaved: (name: string) => string;
  readonly cannedDeleted: (name: string) => string;
  readonly cannedUnknown: (name: string) => string;
  readonly cannedBadName: string;
  readonly cannedTooLong: (max: number) => string;
  readonly cannedTooMany: (max: number) => string;
  readonly cannedList: string;
  readonly cannedEmpty: string;
  readonly cannedSent: (name: string) => string;
  /**
   * In the agent's chat: the saved reply `name` the bot sent the client on their behalf, with
   * its `text` (replies and reactions to it reach the client's copy).
   */
  readonly cannedShown: (name: string, text: string) => string;
  /**
   * A language model's draft answer (`text`), shown to staff (the agent, or the topic in the
   * team's language) above its buttons: the client has not seen it.
   */
  readonly draftShown: (text: string) => string;
  /** The button that sends a draft to the client as it is. */
  readonly draftSend: string;
  /** The button that drops a draft. */
  readonly draftDrop: string;
  /** Under a draft sent (a reply to it): it went to the client. */
  readonly draftSent: string;
  /** A draft dropped (the notice over the chat). */
  readonly draftDropped: string;
  /** A draft's button pressed after its ticket closed. */
  readonly draftClosed: string;
  /** A draft's button pressed when a newer draft of the ticket was shown. */
  readonly draftNewer: string;
  /** A draft's button pressed after it was sent or dropped already. */
  readonly draftDone: string;
  readonly historyUsage: string;
  readonly revoked: string;
  readonly adminOnly: string;
  readonly adminHelp: string;
  readonly agents: (lines: readonly AgentLine[], more: number) => string;
  readonly queue: (lines: readonly QueueLine[], more: number) => string;
  readonly userUsage: (command: string) => string;
  readonly userUnknown: (who: string) => string;
  /** A @username several users have had, when the bot cannot tell who has it now. */
  readonly userAmbiguous: (command: string, who: string, ids: readonly number[]) => string;
  readonly revokeNotAgent: (name: string) => string;
  readonly revokeDone: (name: string, ticket: string | null, to: string | null) => string;
  readonly banAgent: (name: string) => string;
  readonly banAdmin: string;
  readonly banDone: (name: string) => string;
  readonly banAlready: (name: string) => string;
  readonly unbanDone: (name: string) => string;
  readonly unbanNotBanned: (name: string) => string;
  readonly exportUsage: string;
  readonly exportCaption: (from: string, to: string) => string;
  readonly teamStats: (s: TeamStatsView) => string;
  readonly agentNoDialog: (queueLength: number) => string;
  readonly registerOk: string;
  readonly registerAlready: string;
  readonly registerMissing: string;
  readonly registerWrong: string;
  readonly registerLocked: (minutes: number) => string;
  readonly registerHasTicket: string;
  /** A message that carried the support token was deleted and not passed on. */
  readonly tokenRemoved: string;
  readonly availableOn: string;
  readonly availableOff: string;
  readonly availableOffInDialog: string;
  readonly endChatDone: (client: string, ticket: string) => string;
  readonly noDialog: string;
  readonly agentOnly: string;
  readonly unknownCommand: string;
  /** A command an agent or an admin typed that the bot does not know (their help follows). */
  readonly unknownCommandStaff: string;
  readonly historyCaption: (client: string) => string;
  readonly history: {
    readonly title: (client: string) => string;
    /** The client's phone number, under the title. */
    readonly phone: (phone: string) => string;
    readonly ticket: (ticket: string, opened: string, status: string) => string;
    readonly edited: (at: string, text: string) => string;
    readonly rating: (stars: string, comment: string | null) => string;
    readonly client: string;
    readonly agent: string;
    /** The mark of a team's internal note, never shown to the client. */
    readonly internal: string;
    /** The mark of a message written in a business chat, through company account `account`. */
    readonly viaAccount: (account: string) => string;
    /** The export's inbox of a ticket that came to the bot itself (else the account's name). */
    readonly botInbox: string;
    readonly statuses: Readonly<Record<"queued" | "open" | "closed", string>>;
    /** Each kind of message's name, as a label (`[photo] caption`). */
    readonly kinds: Readonly<Record<MessageKind, string>>;
    readonly empty: string;
    /** The CSV export's column headings. */
    readonly columns: Readonly<Record<CsvColumn, string>>;
  };
  readonly stats: (s: StatsView) => string;
  readonly quality: (q: QualityView) => string;
  /** The words on the `/stats` chart (a picture: short labels). */
  readonly chart: {
    readonly title: string;
    readonly tickets: string;
    /** The typical first response of each day, in `unit`. */
    readonly firstResponse: (unit: "minutes" | "hours") => string;
    /** No ticket of the 30 days was answered: said where the line would be. */
    readonly noReplies: string;
  };
  /** Each menu command's line in the menu (`setMyCommands`), by command name. */
  readonly commands: Readonly<Record<MenuCommandName, string>>;
  /** Team mode. */
  readonly team: TeamTexts;
  /** Telegram Business: what staff and admins are told of the company's account. */
  readonly business: BusinessTexts;
  /** Routing: an agent's languages and departments, a client's pick of a department. */
  readonly routing: RoutingTexts;
  readonly knowledge: KnowledgeTexts;
}

/** What the knowledge base and search say (`src/desk/knowledge.ts`). */
export interface KnowledgeTexts {
  /** Above an answer from the knowledge base, to a client who just asked. */
  readonly offer: string;
  /** The client's button: the answer was enough (the ticket closes). */
  readonly helpedButton: string;
  /** The client's button: they want a person all the same. */
  readonly personButton: string;
  /** To a client whose "that helped" closed the ticket. */
  readonly helped: string;
  /** To a client going on to a person: said before what comes next. */
  readonly toPerson: string;
  /** To staff, under the client's question: the article offered before it came to them. */
  readonly offered: (question: string) => string;
  /** To staff, under a client's first message: articles that may answer it (buttons follow). */
  readonly suggestions: string;
  /** The notice of a suggestion's button: the answer went to the client. */
  readonly suggestionSent: string;
  /** In the agent's chat: the article `question` whose answer `text` went to the client. */
  readonly articleShown: (question: string, text: string) => string;
  /** In a client's topic: the same, sent when `member` pressed it. */
  readonly articleShownTeam: (member: string, question: string, text: string) => string;
  /** `/faq` without a knowledge base. */
  readonly faqNone: string;
  /** `/faq`: the articles' questions (`count` in all; those past the list's end left off). */
  readonly faqList: (questions: readonly string[], count: number) => string;
  /** `/faq reload` done: `count` articles now. */
  readonly faqReloaded: (count: number) => string;
  /** `/faq reload` refused: `reason` (in English, from the file's check); the old base stays. */
  readonly faqReloadFailed: (reason: string) => string;
  /** `/search` without words long enough to search for. */
  readonly searchUsage: string;
  /** `/search` while `SEARCH` is off. */
  readonly searchOff: string;
  /** `/search` found nothing for `words`. */
  readonly searchNone: (words: string) => string;
  /** `/search` results, newest first, then how to open a ticket's history. */
  readonly searchResults: (lines: readonly SearchLine[], example: string) => string;
  /** `/history T-…` for a ticket that does not exist or the agent may not open. */
  readonly historyNoTicket: (ticket: string) => string;
  /** A line of `/stats`: tickets the knowledge base answered, in the last 30 days. */
  readonly statsSelfServed: (count: number) => string;
}

/** One message found by `/search`. */
export interface SearchLine {
  readonly ticket: string;
  readonly client: string;
  /** When it was written, as the desk's time zone shows it. */
  readonly at: string;
  readonly snippet: string;
}

/** What routing says: an agent's languages and departments, a client's department. */
export interface RoutingTexts {
  /** Each language's name, in this language (`en` in Russian: "английский"). */
  readonly languageNames: Readonly<Record<Language, string>>;
  /**
   * An agent's languages (`names`, already listed; `count` of them), as they set them, or
   * their Telegram app's (`fromApp`); how to change them follows.
   */
  readonly languagesNow: (names: string, count: number, fromApp: boolean) => string;
  /** `/languages` with a code the bot does not know; `codes`: those it does. */
  readonly languagesUsage: (codes: string) => string;
  /** The button that gives an agent their Telegram app's language back. */
  readonly languagesAppButton: string;
  /** To a client opening a ticket: which department is it for (buttons follow). */
  readonly pickDepartment: string;
  /** The department the client picked, said before what comes next. */
  readonly departmentPicked: (name: string) => string;
  /** `/departments` while none are configured. */
  readonly departmentsNone: string;
  /** `/departments`: the agent's departments (`mine`, names), or none: they serve all. */
  readonly departmentsMine: (mine: readonly string[]) => string;
  /** `/join` or `/leave` (`command`) without a department's key; `keys`: the keys, listed. */
  readonly departmentUsage: (command: string, example: string, keys: string) => string;
  readonly joined: (name: string) => string;
  readonly left: (name: string) => string;
  readonly alreadyIn: (name: string) => string;
  readonly notIn: (name: string) => string;
  /** The `/transfer` button that sends the ticket to another department. */
  readonly toDepartmentButton: (name: string) => string;
  /** To the agent (or the topic): the ticket went to another department. */
  readonly movedToDepartment: (ticket: string, name: string) => string;
  /** To the client: their ticket went to another department. */
  readonly clientMovedToDepartment: (ticket: string, name: string) => string;
  /** A ticket's department, as a label (the client card, the topic). */
  readonly department: (name: string) => string;
  /** Where tickets in no department are counted. */
  readonly noDepartment: string;
  /** `/join`, `/leave` or a button of a department with its own staff group (team mode). */
  readonly ownGroup: (name: string) => string;
  /** The last line of a topic whose ticket went to a department of another staff group. */
  readonly movedToGroup: (ticket: string, name: string) => string;
  /**
   * In an agent's `/stats`: the languages they take clients in (listed), and their departments
   * (names; empty: in none) when the desk has departments (`null`: it has none).
   */
  readonly statsAgent: (languages: string, departments: readonly string[] | null) => string;
  /** In an admin's `/stats`: per department, the tickets queued and its agents (free of them). */
  readonly statsDepartments: (lines: readonly DepartmentLine[]) => string;
}

/** One department in an admin's `/stats`. */
export interface DepartmentLine {
  readonly name: string;
  readonly queued: number;
  readonly agents: number;
  readonly free: number;
}

/** Why an account may not write to its client now. */
export type BusinessBlock = "off" | "reply" | "window";

/** Why an answer to a company's client waits: the account may not write, or Telegram refused. */
export type BusinessWait = BusinessBlock | "refused";

/** Telegram Business: what staff and admins are told of a company account's chats. */
export interface BusinessTexts {
  /** Said once to staff when an answer waits, and why (`account`: its owner's name). */
  readonly held: (why: BusinessWait, account: string) => string;
  /** Staff's waiting answers went out (`count` of them). */
  readonly released: (count: number) => string;
  /** The account's owner wrote to the client from their own app (shown to staff). */
  readonly ownerWrote: (owner: string, what: string) => string;
  /** The client deleted a message (shown to staff, with what it said). */
  readonly clientDeleted: (what: string) => string;
  /** Said as the company to a client who waits (`place` in the queue, when there is one). */
  readonly queuedNotice: (place: number | null) => string;
  /** Said as the company when the client's ticket is closed. */
  readonly closedNotice: string;
  /** What the history keeps of a message the client deleted. */
  readonly deletedMark: string;
  /** A client card's line: the company account they wrote to. */
  readonly cardAccount: (account: string) => string;
  /** `/stats` and the board: each company account an inbox of its own, with its tickets. */
  readonly inboxes: (
    lines: readonly { readonly account: string | null; tickets: number; open: number }[],
  ) => string;
  /** A new ticket that came in through a company account (to staff). */
  readonly arrived: (account: string) => string;
  /** A kind of message the account cannot send by content (a location, a poll). */
  readonly notCarried: string;
  /** For admins, at start: Business Mode is off in @BotFather while accounts are connected. */
  readonly modeOff: string;
  /** For admins: an account connected the bot without the right to reply. */
  readonly noReply: (account: string) => string;
  /** For admins: an account connected or changed (`on`: enabled). */
  readonly connected: (account: string, on: boolean) => string;
}
