/**
 * Russian sentences (the default language). The reader is addressed as «вы»; no sentence
 * depends on anyone's gender (no past tense or short adjective about a person: a name stands
 * alone, «Иван: …», or in parentheses); figures go through `Intl`, nouns after them take
 * their plural form.
 *
 * @module
 */
import type { AgentStateLabel, MessageKind, QualityView, TeamStatsView, Texts } from "./types.ts";
import {
  type DurationUnits,
  formatNumber,
  roundUpShown,
  ruCount,
  ruPlural,
  spellMinutes,
} from "./plural.ts";

type Forms = readonly [string, string, string];

/** Each kind's name, as a label. */
const kinds: Record<MessageKind, string> = {
  text: "сообщение",
  photo: "фото",
  video: "видео",
  animation: "GIF-анимация",
  document: "файл",
  voice: "голосовое сообщение",
  audio: "аудио",
  sticker: "стикер",
  video_note: "видеосообщение",
  location: "геопозиция",
  venue: "место на карте",
  contact: "контакт",
  poll: "опрос",
  dice: "кубик",
  other: "сообщение",
  album: "альбом",
};

/**
 * Each kind as the object of «доставить», with «ваш» agreeing with it:
 * «Не удалось доставить вашу геопозицию».
 */
export const KINDS_ACCUSATIVE: Readonly<Record<MessageKind, string>> = {
  text: "ваше сообщение",
  photo: "ваше фото",
  video: "ваше видео",
  animation: "вашу GIF-анимацию",
  document: "ваш файл",
  voice: "ваше голосовое сообщение",
  audio: "ваше аудио",
  sticker: "ваш стикер",
  video_note: "ваше видеосообщение",
  location: "вашу геопозицию",
  venue: "ваше место на карте",
  contact: "ваш контакт",
  poll: "ваш опрос",
  dice: "ваш кубик",
  other: "ваше сообщение",
  album: "ваш альбом",
};

/** What an agent is doing: none of these depends on who they are. */
const states: Record<AgentStateLabel, string> = {
  busy: "в диалоге",
  available: "ждёт клиентов",
  away: "не принимает клиентов",
};

/** The counted nouns, by the forms for 1, 2 and 5. */
const N = {
  message: ["сообщение", "сообщения", "сообщений"],
  ticket: ["обращение", "обращения", "обращений"],
  rating: ["оценка", "оценки", "оценок"],
  update: ["обновление", "обновления", "обновлений"],
  agent: ["специалист", "специалиста", "специалистов"],
  client: ["клиент", "клиента", "клиентов"],
  answer: ["ответ", "ответа", "ответов"],
  /** After «от»: genitive. */
  clientGenitive: ["клиента", "клиентов", "клиентов"],
  /** After «не длиннее» / «не больше»: genitive. */
  characterGenitive: ["символа", "символов", "символов"],
  cannedGenitive: ["готового ответа", "готовых ответов", "готовых ответов"],
} as const satisfies Record<string, Forms>;

/** Lengths of time, as a subject («прошло 5 минут», «— 1 минута»). */
const DURATION: DurationUnits<Forms> = {
  minute: ["минута", "минуты", "минут"],
  hour: ["час", "часа", "часов"],
  day: ["день", "дня", "дней"],
};

/** Lengths of time after «через», «ждёт» (accusative: «1 минуту»). */
const DURATION_ACCUSATIVE: DurationUnits<Forms> = {
  ...DURATION,
  minute: ["минуту", "минуты", "минут"],
};

/** Lengths of time after «не дольше» (genitive: «1 минуты», «5 минут»). */
const DURATION_GENITIVE: DurationUnits<Forms> = {
  minute: ["минуты", "минут", "минут"],
  hour: ["часа", "часов", "часов"],
  day: ["дня", "дней", "дней"],
};

const num = (n: number) => formatNumber(n, "ru");
const duration = (minutes: number) => spellMinutes(minutes, DURATION, ruCount);
const durationAccusative = (minutes: number) => spellMinutes(minutes, DURATION_ACCUSATIVE, ruCount);

const MINUTE_MS = 60_000;
/** A measured length of time, typical or as it was: «меньше минуты», «2 минуты» (truncated). */
const lasted = (ms: number) =>
  ms < MINUTE_MS ? "меньше минуты" : duration(Math.floor(ms / MINUTE_MS));
/** An upper bound: «меньше минуты», «не дольше 6 минут» (rounded up, so it stays true). */
const within = (ms: number) =>
  ms < MINUTE_MS
    ? "меньше минуты"
    : `не дольше ${
      spellMinutes(roundUpShown(Math.ceil(ms / MINUTE_MS)), DURATION_GENITIVE, ruCount)
    }`;

const quality = (q: QualityView) => {
  const d = q.days30;
  const spread = d.answered >= 10 && d.firstResponse9in10Ms !== null
    ? `, 9 из 10 — ${within(d.firstResponse9in10Ms)}`
    : "";
  return [
    `За 30 дней: ${ruCount(d.tickets, N.ticket)}`,
    d.firstResponseMs === null
      ? "Ответов клиентам за эти дни не было"
      : `Первый ответ: обычно ${lasted(d.firstResponseMs)}${spread}`,
    d.resolutionMs === null
      ? "Закрытых обращений за эти дни нет"
      : `До закрытия: обычно ${lasted(d.resolutionMs)}`,
    q.csatAverage === null
      ? "Оценок за эти дни нет"
      : `Оценка: ${q.csatAverage} из 5 (${ruCount(q.csatCount, N.rating)})`,
  ].join("\n");
};

/** The verbs after a count of agents: «1 ждёт», «2 ждут». */
const WAIT: Forms = ["ждёт клиентов", "ждут клиентов", "ждут клиентов"];
const AWAY: Forms = ["не принимает клиентов", "не принимают клиентов", "не принимают клиентов"];

/** The team's agents by state: each counted once, the states with nobody left out. */
const team = (s: TeamStatsView) => {
  if (s.agents === 0) return "В команде пока нет специалистов";
  const parts = [
    ...(s.agentsAvailable > 0
      ? [`${num(s.agentsAvailable)} ${ruPlural(s.agentsAvailable, WAIT)}`]
      : []),
    ...(s.agentsBusy > 0 ? [`${num(s.agentsBusy)} в диалоге`] : []),
    ...(s.agentsAway > 0 ? [`${num(s.agentsAway)} ${ruPlural(s.agentsAway, AWAY)}`] : []),
  ];
  return `В команде ${ruCount(s.agents, N.agent)}: ${parts.join(", ")}`;
};

const more = (n: number) => `… и ещё ${num(n)}`;

const ASK_QUESTION = "Напишите свой вопрос — специалист ответит здесь.";

/** A wait or a dialog of under a minute, where a count of minutes would say «0 минут». */
const UNDER_A_MINUTE = "меньше минуты";

/** The agent's commands, a line each. */
const AGENT_COMMANDS = "/available — включить или выключить приём клиентов\n" +
  "/end_chat — закрыть текущее обращение\n" +
  "/transfer — передать обращение коллеге или вернуть в очередь\n" +
  "/canned — готовые ответы (/canned add <имя> <текст>, /canned del <имя>)\n" +
  "/history — история текущего клиента файлом (/history html — веб-страницей)\n" +
  "/stats — ваша статистика\n" +
  "/languages — на каких языках вы принимаете клиентов\n" +
  "/departments — ваши отделы (/join <отдел>, /leave <отдел>)\n" +
  "/search <слова> — поиск по прошлым обращениям (/history T-000123 откроет обращение)\n" +
  "/help — эта подсказка";

/**
 * Time zones as people here name them («по московскому времени»); any other is given by its
 * offset from UTC. English names the same zones.
 */
const ZONES: Readonly<Record<string, string>> = {
  "Europe/Kaliningrad": "по калининградскому времени",
  "Europe/Moscow": "по московскому времени",
  "Europe/Samara": "по самарскому времени",
  "Asia/Yekaterinburg": "по екатеринбургскому времени",
  "Asia/Omsk": "по омскому времени",
  "Asia/Novosibirsk": "по новосибирскому времени",
  "Asia/Krasnoyarsk": "по красноярскому времени",
  "Asia/Irkutsk": "по иркутскому времени",
  "Asia/Yakutsk": "по якутскому времени",
  "Asia/Vladivostok": "по владивостокскому времени",
  "Asia/Magadan": "по магаданскому времени",
  "Asia/Kamchatka": "по камчатскому времени",
  "Europe/Minsk": "по минскому времени",
  "Europe/Kyiv": "по киевскому времени",
  "Europe/Kiev": "по киевскому времени",
  "Asia/Almaty": "по времени Алматы",
  "Asia/Tashkent": "по ташкентскому времени",
  "Asia/Tbilisi": "по тбилисскому времени",
  "Asia/Yerevan": "по ереванскому времени",
  "Asia/Baku": "по бакинскому времени",
  "Europe/Istanbul": "по стамбульскому времени",
  "Asia/Dubai": "по дубайскому времени",
  "Europe/London": "по лондонскому времени",
  "Europe/Berlin": "по берлинскому времени",
  "Europe/Paris": "по парижскому времени",
  "America/New_York": "по нью-йоркскому времени",
  "Asia/Tokyo": "по токийскому времени",
};

/** The bot's sentences in Russian. */
export const ru: Texts = {
  greetingNew: "Здравствуйте! Это служба поддержки, мы рады помочь.",
  askName: "Как к вам обращаться? Напишите, пожалуйста, своё имя.",
  greetingBack: (name) => `Здравствуйте, ${name}! ${ASK_QUESTION}`,
  nameSaved: (name) => `Приятно познакомиться, ${name}! ${ASK_QUESTION}`,
  greetingTicket: "Спасибо! Мы получили ваше сообщение.",
  ticketOpened: (ticket) => `Номер обращения — ${ticket}.`,
  offline: (opens) =>
    `Сейчас мы не работаем. Ответим, когда откроемся: ${opens}. ` +
    "Ваше сообщение сохранено — можно писать дальше, ничего не потеряется.",
  zoneTime: (time, zone, offset) => ZONES[zone] ? `${time} ${ZONES[zone]}` : `${time} (${offset})`,
  closeButton: "Закрыть обращение",
  closedByClient: (ticket) => `Вы закрыли обращение ${ticket}. Спасибо, что написали!`,
  nothingToClose: "Открытого обращения у вас нет. Чтобы открыть новое, просто напишите нам.",
  rateAsk: "Оцените, пожалуйста, нашу помощь — от 1 до 5:",
  rateThanks: (s) =>
    `Спасибо за оценку: ${s}. Если хотите что-то добавить, напишите следующим сообщением.`,
  rateAlready: "Вы уже оценили это обращение.",
  commentSkip: "Без комментария",
  commentThanks: "Спасибо! Мы передали ваш комментарий специалисту.",
  commentSkipped: "Хорошо, спасибо!",
  buttonStale: "Эта кнопка уже не работает.",
  transferredClient: (ticket) =>
    `Мы передали ваше обращение ${ticket} другому специалисту. ` +
    "Вся переписка сохранена, повторять ничего не нужно.",
  returnedToQueue: (ticket) =>
    `Ваше обращение ${ticket} снова в очереди. Ответит первый освободившийся специалист.`,
  agentHelp: "Вы специалист поддержки. Пока приём включён, к вам приходят клиенты.\n" +
    AGENT_COMMANDS,
  agentCommands: `Ваши команды:\n${AGENT_COMMANDS}`,
  clientHelp: "Напишите свой вопрос обычным сообщением — специалист ответит здесь. " +
    "Можно отправлять фото, файлы и голосовые.\n" +
    "/start — начать заново\n" +
    "/close — закрыть обращение, когда вопрос решён\n" +
    "/help — эта подсказка",
  agentClientLeft: (client, ticket) =>
    `Обращение ${ticket} (${client}) закрыто: клиент больше не на связи.`,
  clientMoved: "Ваш специалист сейчас не на связи. Мы передаём обращение другому специалисту. " +
    "Всё, что вы написали, сохранено.",
  card: (c) =>
    [
      `👤 ${c.name}${c.telegramName ? ` (${c.telegramName})` : ""}${
        c.username ? ` @${c.username}` : ""
      }`,
      `Язык: ${c.language === "ru" ? "русский" : "английский"}`,
      c.ticket
        ? `Обращение ${c.ticket}, всего ${ruCount(c.tickets, N.ticket)}`
        : `Всего ${ruCount(c.tickets, N.ticket)}`,
      ...(c.department ? [`Отдел: ${c.department}`] : []),
      ...(c.lastRating ? [`Последняя оценка: ${c.lastRating}`] : []),
      ...(c.phone ? [`Телефон: ${c.phone}`] : []),
    ].join("\n"),
  nameSavedAskContact: (name) =>
    `Приятно познакомиться, ${name}! Хотите оставить номер телефона? ` +
    "Так специалисту будет проще с вами связаться. Это по желанию.",
  contactShare: "📱 Отправить мой номер",
  contactSkip: "Пропустить",
  contactSaved: `Спасибо, номер сохранили. ${ASK_QUESTION}`,
  contactSkipped: `Хорошо, обойдёмся без номера. ${ASK_QUESTION}`,
  contactDropped: "Хорошо, обойдёмся без номера.",
  moreInHistory: (client, count) =>
    `${client}: здесь не показано ещё ${ruCount(count, N.message)}. ` +
    "Всё сохранено в истории — /history.",
  notDelivered: (kind) =>
    `Не удалось доставить ${KINDS_ACCUSATIVE[kind]}. ` +
    "Попробуйте отправить по-другому.",
  connected: (ticket) => `Специалист на связи и ответит здесь. Номер обращения — ${ticket}.`,
  queued: (position) =>
    `Сейчас все специалисты заняты. Ваше место в очереди — ${num(position)}. ` +
    "Можно писать дальше — мы всё сохраним и передадим.",
  stillQueued: (position) =>
    `Ищем свободного специалиста. Ваше место в очереди — ${num(position)}.`,
  ticketClosed: (ticket) =>
    `Обращение ${ticket} закрыто. Спасибо, что обратились! ` +
    "Если появятся вопросы, пишите — мы на связи.",
  agentNewClient: (client, ticket, waiting, previous) =>
    [
      `Новый клиент: ${client}, обращение ${ticket}.`,
      ...(previous ? [`Это повторное обращение, прошлое — ${previous}.`] : []),
      ...(waiting > 0
        ? [
          `Ниже — первое сообщение клиента и ещё ${ruCount(waiting, N.message)} после него.`,
        ]
        : []),
      "Отвечайте здесь. Закрыть обращение — /end_chat.",
    ].join(" "),
  agentNoDialog: (queueLength) =>
    "Сейчас у вас нет клиента, поэтому сообщение никуда не ушло. " +
    (queueLength > 0 ? `В очереди ${ruCount(queueLength, N.ticket)}.` : "Очередь пуста."),
  registerOk: "Готово, теперь вы специалист поддержки. Приём включён: новые клиенты будут " +
    "приходить к вам.",
  registerAlready: "Вы уже специалист поддержки.",
  registerMissing: "Отправьте токен вместе с командой: /register_support <токен>",
  registerWrong: "Токен не подходит. Проверьте его и попробуйте ещё раз.",
  registerLocked: (minutes) =>
    `Слишком много неверных попыток. Попробуйте снова через ${
      ruCount(minutes, DURATION_ACCUSATIVE.minute)
    }.`,
  registerHasTicket: "Перед регистрацией мы закрыли ваше открытое обращение.",
  tokenRemoved: "Мы удалили ваше сообщение: в нём был токен поддержки. Дальше оно никуда не ушло.",
  availableOn: "Приём клиентов включён — новые клиенты будут приходить к вам.",
  availableOff: "Приём клиентов выключен — новые к вам не придут. Включить снова — /available.",
  availableOffInDialog: "Приём клиентов выключен — после текущего клиента новых не будет. " +
    "Закрыть обращение — /end_chat.",
  endChatDone: (client, ticket) => `Обращение ${ticket} (${client}) закрыто.`,
  noDialog: "Сейчас у вас нет клиента.",
  agentOnly: "Эта команда только для специалистов поддержки.",
  unknownCommand: "Такой команды нет. Просто напишите сообщение — мы ответим.",
  unknownCommandStaff: "Такой команды нет.",
  agentRated: (client, ticket, s) => `${client}: оценка ${s} за обращение ${ticket}.`,
  agentComment: (client, ticket, comment) =>
    `Комментарий к обращению ${ticket} (${client}):\n${comment}`,
  agentClientClosed: (client, ticket) => `Обращение ${ticket} (${client}) закрыто клиентом.`,
  agentClientBanned: (client, ticket) =>
    `Обращение ${ticket} (${client}) закрыто из-за блокировки клиента.`,
  transferChoose: (ticket) => `Кому передать обращение ${ticket}?`,
  transferNobody: (ticket) =>
    `Свободных коллег сейчас нет. Обращение ${ticket} можно вернуть в очередь:`,
  transferQueueButton: "Вернуть в очередь",
  transferDone: (ticket, agent) => `Обращение ${ticket} передано. Теперь им занимается ${agent}.`,
  transferQueued: (ticket) => `Обращение ${ticket} снова в очереди.`,
  transferNotFree: "У этого специалиста уже есть клиент. Выберите ещё раз: /transfer",
  transferIncoming: (ticket, client, from) =>
    `${from} передаёт вам обращение ${ticket}. Клиент — ${client}. ` +
    "Вся переписка — в файле ниже. Отвечайте здесь. Закрыть обращение — /end_chat.",
  cannedUsage: "Готовые ответы:\n/canned — выбрать и отправить\n" +
    "/canned add <имя> <текст> — сохранить или заменить\n/canned del <имя> — удалить",
  cannedSaved: (name) => `Готовый ответ «${name}» сохранён.`,
  cannedDeleted: (name) => `Готовый ответ «${name}» удалён.`,
  cannedUnknown: (name) => `Готового ответа «${name}» нет.`,
  cannedBadName: "Имя должно быть одним словом до 32 символов: буквы, цифры, «-» или «_».",
  cannedTooLong: (max) =>
    `Готовый ответ может быть не длиннее ${ruCount(max, N.characterGenitive)}.`,
  cannedTooMany: (max) =>
    `Можно хранить не больше ${ruCount(max, N.cannedGenitive)}. Сначала удалите один из них.`,
  cannedList: "Выберите ответ, чтобы отправить его клиенту:",
  cannedEmpty: "Готовых ответов пока нет. Сохранить первый: /canned add <имя> <текст>",
  cannedSent: (name) => `Отправлено: «${name}»`,
  cannedShown: (name, text) => `Готовый ответ «${name}» отправлен клиенту:\n\n${text}`,
  draftShown: (text) => `🤖 Черновик ответа. Клиент его не видел:\n\n${text}`,
  draftSend: "✅ Отправить",
  draftDrop: "🗑 Отбросить",
  draftSent: "Черновик отправлен клиенту.",
  draftDropped: "Черновик отброшен.",
  draftClosed: "Обращение уже закрыто, черновик не отправлен.",
  draftNewer: "Есть черновик новее, по последним сообщениям клиента. Этот не отправлен.",
  draftDone: "Этот черновик уже отправлен или отброшен.",
  historyUsage: "/history пришлёт историю текстовым файлом, а /history html — веб-страницей.",
  revoked: "Ваш доступ специалиста отозван администратором. Текущее обращение, если оно было, " +
    "передано другому специалисту.",
  adminOnly: "Эта команда только для администраторов.",
  adminHelp: "Команды администратора:\n/agents — специалисты и их состояние\n" +
    "/queue — обращения в очереди\n/revoke <id или @username> — отозвать доступ специалиста\n" +
    "/ban, /unban <id или @username> — заблокировать или разблокировать клиента\n" +
    "/export <с> <по> — сообщения за период в CSV (даты в виде ГГГГ-ММ-ДД)\n" +
    "/stats — статистика всей команды\n" +
    "/search <слова> — поиск по всем обращениям\n" +
    "/faq — база знаний (/faq reload — перечитать файл)\n" +
    "/help — эта подсказка",
  agents: (lines, extra) =>
    lines.length === 0 ? "Специалистов пока нет." : [
      `Специалисты (${num(lines.length + extra)}):`,
      ...lines.map((a) =>
        `• ${a.name}${a.username ? ` @${a.username}` : ""} (id ${a.id}): ${states[a.state]}` +
        `${a.ticket ? ` ${a.ticket}` : ""}, ${a.online ? "в сети" : "не в сети"}`
      ),
      ...(extra > 0 ? [more(extra)] : []),
    ].join("\n"),
  queue: (lines, extra) =>
    lines.length === 0 ? "Очередь пуста." : [
      `В очереди (${num(lines.length + extra)}):`,
      ...lines.map((q, i) =>
        `${num(i + 1)}. ${q.ticket}, ${q.client}${q.department ? ` («${q.department}»)` : ""} — ` +
        `ждёт ${q.waitingMinutes < 1 ? UNDER_A_MINUTE : durationAccusative(q.waitingMinutes)}, ` +
        ruCount(q.messages, N.message)
      ),
      ...(extra > 0 ? [more(extra)] : []),
    ].join("\n"),
  userUsage: (command) => `Укажите пользователя: /${command} <id или @username>`,
  userUnknown: (who) => `Бот не знает пользователя ${who}: с этого аккаунта ещё не писали.`,
  userAmbiguous: (command, who, ids) =>
    [
      `Имя ${who} было у нескольких пользователей: id ${ids.join(", ")}.`,
      "Кому оно принадлежит сейчас, бот не знает.",
      `Укажите id, например: /${command} ${ids[0]}`,
    ].join("\n"),
  revokeNotAgent: (name) => `${name} — не специалист поддержки.`,
  revokeDone: (name, ticket, to) =>
    `${name} больше не специалист поддержки.` +
    (ticket === null
      ? ""
      : to
      ? ` Обращение ${ticket} передано, теперь им занимается ${to}.`
      : ` Обращение ${ticket} вернулось в очередь.`),
  banAgent: (name) =>
    `${name} — специалист поддержки. Чтобы заблокировать, сначала отзовите доступ: /revoke.`,
  banAdmin: "Администратора нельзя заблокировать.",
  banDone: (name) => `${name} в чёрном списке. Сообщения сохраняются, но никому не передаются.`,
  banAlready: (name) => `${name} уже в чёрном списке.`,
  unbanDone: (name) => `${name} больше не в чёрном списке.`,
  unbanNotBanned: (name) => `${name} не в чёрном списке.`,
  exportUsage: "Укажите период: /export <с> <по>, например /export 2026-11-01 2026-11-30. " +
    "Обе даты входят в период, всего не больше 366 дней.",
  exportCaption: (from, to) => `Сообщения с ${from} по ${to}`,
  teamStats: (s) =>
    [
      "Статистика команды",
      team(s),
      `Обращения сейчас: в работе ${num(s.openTickets)}, в очереди ${num(s.queueLength)}`,
      ...(s.parkedUpdates > 0
        ? [
          `Не удалось обработать ${ruCount(s.parkedUpdates, N.update)}. ` +
          "Они сохранены — бот попробует ещё раз при следующем запуске.",
        ]
        : []),
      "",
      quality(s.quality),
      "",
      "Специалисты за 30 дней:",
      ...(s.lines.length === 0
        ? ["• пока никого"]
        : s.lines.map((a) =>
          `• ${a.name} (${states[a.state]}): ${ruCount(a.tickets30, N.ticket)}` +
          (a.firstResponseMs === null ? "" : `, первый ответ обычно ${lasted(a.firstResponseMs)}`) +
          (a.csatAverage === null ? ", оценок нет" : `, оценка ${a.csatAverage}`)
        )),
      ...(s.more > 0 ? [more(s.more)] : []),
    ].join("\n"),
  historyCaption: (client) => `История переписки: ${client}`,
  history: {
    title: (client) => `История переписки с клиентом: ${client}`,
    phone: (phone) => `Телефон: ${phone}`,
    ticket: (ticket, opened, status) => `Обращение ${ticket} от ${opened} — ${status}`,
    statuses: { queued: "ждёт в очереди", open: "открыто", closed: "закрыто" },
    kinds,
    empty: "(сообщений нет)",
    columns: {
      message_id: "id сообщения",
      ticket: "обращение",
      time: "время",
      client_id: "id клиента",
      client_name: "клиент",
      client_phone: "телефон клиента",
      sender_role: "кто написал",
      sender_id: "id отправителя",
      sender_name: "отправитель",
      kind: "тип",
      text: "текст",
      department: "отдел",
      inbox: "куда написал клиент",
    },
    edited: (at, text) => `✎ изменено ${at}: ${text}`,
    rating: (s, comment) => `Оценка: ${s}${comment ? `, комментарий: ${comment}` : ""}`,
    client: "клиент",
    agent: "специалист",
    internal: "заметка для команды",
    viaAccount: (account) => `через аккаунт компании ${account}`,
    botInbox: "бот",
  },
  stats: (s) =>
    [
      "Ваша статистика",
      s.inDialogWith === null ? "Сейчас диалога нет" : `Сейчас в диалоге: ${s.inDialogWith}`,
      `Приём клиентов ${s.available ? "включён" : "выключен"}, ` +
      `вы ${s.online ? "в сети" : "не в сети"}`,
      s.queueLength === 0 ? "Очередь пуста" : `В очереди: ${ruCount(s.queueLength, N.client)}`,
      "",
      `Обращения: сегодня ${num(s.ticketsToday)}, за 7 дней ${num(s.tickets7Days)}, ` +
      `всего ${num(s.ticketsTotal)} (от ${ruCount(s.clientsTotal, N.clientGenitive)})`,
      `Сообщения: отправлено ${num(s.messagesSent)}, получено ${num(s.messagesReceived)}`,
      "",
      quality(s.quality),
      "",
      ...(s.recent.length === 0 ? ["Диалогов пока не было"] : [
        "Последние диалоги:",
        ...s.recent.map((r) =>
          `• ${r.clientName}, ${r.openedAt} — ${
            r.lastedMs === null ? "ещё идёт" : lasted(r.lastedMs)
          }`
        ),
      ]),
    ].join("\n"),
  quality,
  chart: {
    title: "Обращения и первый ответ за 30 дней",
    tickets: "Обращений в день",
    firstResponse: (unit) => `Обычное время первого ответа, ${unit === "hours" ? "ч" : "мин"}`,
    noReplies: "Ответов клиентам за эти дни не было",
  },
  commands: {
    start: "Начать",
    available: "Включить или выключить приём клиентов",
    end_chat: "Закрыть текущее обращение",
    history: "История текущего клиента файлом",
    stats: "Статистика",
    transfer: "Передать обращение",
    canned: "Готовые ответы",
    close: "Закрыть обращение",
    agents: "Специалисты и их состояние",
    queue: "Обращения в очереди",
    revoke: "Отозвать доступ специалиста",
    ban: "Заблокировать клиента",
    unban: "Разблокировать клиента",
    export: "Выгрузить сообщения в CSV",
    help: "Что умеет бот",
    languages: "Языки, на которых вы принимаете клиентов",
    departments: "Ваши отделы",
    search: "Поиск по обращениям",
    faq: "База знаний",
  },
  team: {
    board: (b) =>
      [
        `📋 Сводка · ${b.updatedAt}`,
        `Ждут ответа: ${num(b.waitingCount)} · В работе: ${num(b.openCount)} · ` +
        `На связи: ${num(b.online.length)}`,
        ...(b.waiting.length > 0
          ? [
            "",
            "Ждут ответа:",
            ...b.waiting.map((w) =>
              `${w.late ? "🟡" : "🔵"} ${w.ticket} ${w.client}` +
              `${w.department === null ? "" : ` (${w.department})`} — ${w.waiting}`
            ),
            ...(b.waitingCount > b.waiting.length
              ? [`…и ещё ${num(b.waitingCount - b.waiting.length)}`]
              : []),
          ]
          : []),
        ...(b.open.length > 0
          ? [
            "",
            "В работе:",
            ...b.open.map((o) => `🟢 ${o.ticket} ${o.client} — ведёт ${o.agent}`),
            ...(b.openCount > b.open.length ? [`…и ещё ${num(b.openCount - b.open.length)}`] : []),
          ]
          : []),
        ...(b.departments.length > 0
          ? [
            "",
            "По отделам:",
            ...b.departments.map((d) =>
              `  ${d.name}: ждут ответа — ${num(d.waiting)} · ` +
              (d.members.length > 0 ? `специалисты: ${d.members.join(", ")}` : "специалистов нет")
            ),
          ]
          : []),
        "",
        b.online.length > 0
          ? `Сейчас на связи: ${b.online.join(", ")}`
          : "Сейчас никого нет на связи.",
        `Сегодня: ${ruCount(b.today.tickets, N.ticket)}, первый ответ — ` +
        `${b.today.firstResponseMedian} (медиана), до закрытия — ${b.today.resolutionMedian}.`,
      ].join("\n"),
    newTicket: (ticket, previous) =>
      previous
        ? `Новое обращение ${ticket} (предыдущее — ${previous}).`
        : `Новое обращение ${ticket}.`,
    offered: (ticket, who) => `${who}, возьмёте обращение ${ticket}?`,
    taken: (ticket, member) => `Обращение ${ticket} ведёт ${member}.`,
    takenOver: (ticket, member, from) =>
      `Обращение ${ticket} теперь ведёт ${member} (до этого — ${from}).`,
    alreadyYours: (ticket) => `Обращение ${ticket} уже ваше.`,
    closed: (ticket, by) => `Обращение ${ticket} закрыто (${by}).`,
    closedByClient: (ticket) => `Обращение ${ticket} закрыто клиентом.`,
    noTicket: "У клиента нет открытого обращения, поэтому ничего не отправлено. " +
      "Его следующее сообщение откроет новое.",
    notATopic: "Это работает только в теме клиента.",
    transferChoose: (ticket) => `Кому передать обращение ${ticket}?`,
    transferNobody: (ticket) => `Сейчас обращение ${ticket} некому передать.`,
    transferred: (ticket, to, from) =>
      `Обращение ${ticket} передано: теперь его ведёт ${to} (до этого — ${from}).`,
    memberLeft: (member, tickets) =>
      tickets > 0
        ? `${member} больше не в группе. Вернулись в очередь: ${ruCount(tickets, N.ticket)}.`
        : `${member} больше не в группе.`,
    clientQueued: "Команда поддержки уже в курсе и ответит здесь.",
    answerInGroup: "Клиентам отвечают в группе поддержки, каждому — в его теме.",
    registerInGroup: "Наша команда работает в группе поддержки. Чтобы отвечать клиентам, " +
      "попросите администратора добавить вас в неё.",
    anonymousNotSent: "Это сообщение не отправлено клиенту: оно опубликовано анонимно " +
      "или от имени канала, и бот не знает, кто его написал. Отключите «Анонимность» " +
      "в своих правах администратора (или пишите от своего имени) и отправьте его ещё раз.",
    editIntoNote: (prefix) =>
      `Клиент уже получил этот ответ, поэтому правка до него не дошла: у него остался ` +
      `прежний текст. Чтобы оставить заметку, напишите новое сообщение, начав его с ${prefix}`,
    help: (prefix) =>
      "Команды в группе поддержки. В теме клиента:\n" +
      "/take — взять обращение\n" +
      "/transfer — передать обращение коллеге\n" +
      "/end_chat или /close — закрыть обращение\n" +
      "/history — история клиента файлом (/history html — веб-страницей)\n" +
      "/canned — готовые ответы (/canned add <имя> <текст>, /canned del <имя>)\n" +
      "В любой теме:\n" +
      "/available — включить или выключить приём новых обращений\n" +
      "/queue — обращения в очереди\n" +
      "/agents — специалисты и их состояние\n" +
      "/stats — статистика\n" +
      "/languages — на каких языках вы принимаете клиентов\n" +
      "/departments — ваши отделы (/join <отдел>, /leave <отдел>)\n" +
      "/search <слова> — поиск по всем обращениям (/history T-000123 откроет обращение)\n" +
      "/help — эта подсказка\n" +
      "Чтобы ответить клиенту, просто напишите в его теме. " +
      `Заметка для команды начинается с ${prefix}`,
    commands: {
      take: "Взять обращение",
      transfer: "Передать обращение коллеге",
      end_chat: "Закрыть обращение",
      close: "Закрыть обращение",
      history: "История клиента файлом",
      canned: "Готовые ответы",
      available: "Включить или выключить приём",
      queue: "Обращения в очереди",
      agents: "Специалисты и их состояние",
      stats: "Статистика",
      languages: "Языки, на которых вы принимаете клиентов",
      departments: "Ваши отделы",
      join: "Войти в отдел",
      leave: "Выйти из отдела",
      search: "Поиск по обращениям",
      help: "Команды группы",
    },
    cannedShown: (member, name, text) =>
      `Готовый ответ «${name}» отправлен клиенту (${member}):\n\n${text}`,
  },
  knowledge: {
    offer: "Возможно, это ответ на ваш вопрос:",
    helpedButton: "👍 Помогло",
    personButton: "🙋 Нужен специалист",
    helped: "Рады, что помогло! Обращение закрыто — пишите, если появятся другие вопросы.",
    toPerson: "Хорошо, передаём ваш вопрос специалисту.",
    offered: (question) =>
      `📚 Перед этим бот предложил клиенту ответ из базы знаний: «${question}».`,
    suggestions: "📚 Статьи, которые могут помочь (по нажатию ответ уйдёт клиенту):",
    suggestionSent: "Ответ отправлен",
    articleShown: (question, text) =>
      `Клиенту отправлен ответ из базы знаний «${question}»:\n\n${text}`,
    articleShownTeam: (member, question, text) =>
      `Клиенту отправлен ответ из базы знаний «${question}» (${member}):\n\n${text}`,
    faqNone: "Базы знаний нет: не задан FAQ_FILE.",
    faqList: (questions, count) =>
      [
        `База знаний: ${ruCount(count, ["статья", "статьи", "статей"])}.`,
        ...questions.map((q, i) => `${num(i + 1)}. ${q}`),
        ...(count > questions.length ? [more(count - questions.length)] : []),
        "/faq reload — перечитать файл.",
      ].join("\n"),
    faqReloaded: (count) =>
      `База знаний обновлена: ${ruCount(count, ["статья", "статьи", "статей"])}.`,
    faqReloadFailed: (reason) =>
      `Базу знаний не удалось обновить: ${reason}. Пока действует прежняя версия.`,
    searchOff: "Поиск по обращениям выключен. Чтобы включить, администратор задаёт SEARCH=true " +
      "и перезапускает бота: все сообщения проиндексируются при запуске.",
    searchUsage: "Напишите /search и слова для поиска, каждое не короче трёх букв. " +
      "Например: /search возврат",
    searchNone: (words) => `По запросу «${words}» в доступных вам обращениях ничего не нашлось.`,
    searchResults: (lines, example) =>
      [
        ...lines.map((l) => `${l.ticket} · ${l.client} · ${l.at}\n${l.snippet}`),
        `Открыть историю обращения: /history ${example}`,
      ].join("\n\n"),
    historyNoTicket: (ticket) => `Обращения ${ticket} нет среди доступных вам.`,
    statsSelfServed: (count) =>
      `Закрыто ответом из базы знаний за 30 дней: ${ruCount(count, N.ticket)}`,
  },
  routing: {
    languageNames: { ru: "русский", en: "английский" },
    languagesNow: (names, count, fromApp) =>
      `Вы говорите: ${names}${fromApp ? " (так указано в вашем Telegram)" : ""}. ` +
      `Клиенты, которые пишут ${count === 1 ? "на этом языке" : "на этих языках"}, ` +
      "приходят к вам в первую очередь. Изменить: кнопки ниже или /languages ru en",
    languagesUsage: (codes) =>
      `Перечислите языки через пробел, например: /languages ru en. Бот знает: ${codes}. ` +
      "/languages auto — как в вашем Telegram.",
    languagesAppButton: "Как в моём Telegram",
    pickDepartment: "Выберите, пожалуйста, отдел — так вопрос сразу попадёт к нужному " +
      "специалисту. Всё, что вы уже написали, мы передадим.",
    departmentPicked: (name) => `Отдел «${name}».`,
    departmentsNone: "Отделы не настроены: вы принимаете всех клиентов.",
    departmentsMine: (mine) =>
      (mine.length > 0
        ? `Ваши отделы: ${mine.map((n) => `«${n}»`).join(", ")}. ` +
          "К вам приходят только клиенты этих отделов."
        : "Вы не состоите ни в одном отделе и принимаете клиентов всех отделов.") +
      "\nВступить или выйти: кнопки ниже или /join и /leave с отделом.",
    departmentUsage: (command, example, keys) =>
      `Укажите отдел, например: /${command} ${example}. Отделы: ${keys}.`,
    joined: (name) => `Теперь вы в отделе «${name}».`,
    left: (name) => `Вы вышли из отдела «${name}».`,
    alreadyIn: (name) => `Вы уже в отделе «${name}».`,
    notIn: (name) => `Вы не состоите в отделе «${name}».`,
    toDepartmentButton: (name) => `В отдел «${name}»`,
    movedToDepartment: (ticket, name) => `Обращение ${ticket} передано в отдел «${name}».`,
    clientMovedToDepartment: (ticket, name) =>
      `Ваше обращение ${ticket} передано в отдел «${name}». Специалист ответит здесь.`,
    department: (name) => `Отдел: ${name}`,
    noDepartment: "без отдела",
    ownGroup: (name) =>
      `В отделе «${name}» работают участники его группы поддержки: чтобы работать в нём, ` +
      "вступите в эту группу, а чтобы перестать — выйдите из неё.",
    movedToGroup: (ticket, name) =>
      `Обращение ${ticket} передано в отдел «${name}» и продолжится в группе этого отдела. ` +
      "Тема закрыта.",
    statsAgent: (languages, departments) =>
      `Языки: ${languages}.` +
      (departments === null
        ? ""
        : departments.length > 0
        ? ` Отделы: ${departments.join(", ")}.`
        : " Отделы: все (вы не состоите ни в одном)."),
    statsDepartments: (lines) =>
      [
        "По отделам:",
        ...lines.map((d) =>
          `  ${d.name}: в очереди — ${num(d.queued)}, специалистов — ${num(d.agents)}, ` +
          `из них свободны — ${num(d.free)}`
        ),
      ].join("\n"),
  },
  business: {
    held: (why, account) =>
      `⏸ Ответ ждёт отправки: ${
        why === "off"
          ? `в аккаунте ${account} бот отключён`
          : why === "reply"
          ? `аккаунт ${account} не даёт боту права отвечать`
          : why === "refused"
          ? `Telegram не принял его от имени аккаунта ${account} (возможно, подключение изменилось)`
          : "с последнего сообщения клиента прошло больше суток"
      }. Он уйдёт, как только аккаунт снова сможет писать.`,
    released: (count) =>
      `▶️ Аккаунт снова может писать: ждавшие ответы отправлены (${ruCount(count, N.answer)}).`,
    ownerWrote: (owner, what) => `🏢 Ответ из аккаунта компании (${owner}): ${what}`,
    clientDeleted: (what) => `🗑 Сообщение клиента удалено: ${what}`,
    queuedNotice: (place) =>
      place === null
        ? "Спасибо, сообщение получили — скоро ответим."
        : `Спасибо, сообщение получили. Ваше место в очереди — ${num(place)}, ` +
          "ответим, как только освободимся.",
    closedNotice: "Спасибо, что написали! Если появятся вопросы, пишите сюда.",
    deletedMark: "(удалено клиентом)",
    cardAccount: (account) => `🏢 Пишет в аккаунт компании ${account}`,
    inboxes: (lines) =>
      [
        "Аккаунты компании:",
        ...lines.map((l) =>
          `  🏢 ${l.account ?? "?"}: ${ruCount(l.tickets, N.ticket)}, не закрыто — ${num(l.open)}`
        ),
      ].join("\n"),
    arrived: (account) => `🏢 Обращение пришло в аккаунт компании ${account}`,
    notCarried: "⚠️ Аккаунт компании не может переслать такое сообщение. Отправьте его текстом.",
    modeOff: "У бота выключен Business Mode в @BotFather: чаты аккаунтов компании могут не " +
      "доходить до поддержки. Включите его: @BotFather → Bot Settings → Business Mode.",
    noReply: (account) =>
      `Аккаунт компании ${account} подключил бота без права отвечать: ` +
      "ответы будут ждать, пока это право не дадут.",
    connected: (account, on) =>
      on
        ? `Аккаунт компании ${account} подключил бота: его чаты обслуживает поддержка.`
        : `Аккаунт компании ${account} отключил бота: ответы его клиентам ждут.`,
  },
};
