/**
 * Russian sentences (the default language). The reader is addressed as «вы»; no sentence
 * depends on anyone's gender (no past tense or short adjective about a person: a name stands
 * alone, «Иван: …», or in parentheses); figures go through `Intl`, nouns after them take
 * their plural form.
 *
 * @module
 */
import type { AgentStateLabel, MessageKind, MetricsView, QualityView, Texts } from "./types.ts";
import { type DurationUnits, formatNumber, ruCount, spellMinutes } from "./plural.ts";

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

const num = (n: number) => formatNumber(n, "ru");
const duration = (minutes: number) => spellMinutes(minutes, DURATION, ruCount);
const durationAccusative = (minutes: number) => spellMinutes(minutes, DURATION_ACCUSATIVE, ruCount);

const period = (label: string, m: MetricsView) =>
  `  ${label}: ${ruCount(m.tickets, N.ticket)}, первый ответ ${m.firstResponseMedian} ` +
  `(90%: ${m.firstResponseP90}), решение ${m.resolutionMedian} (90%: ${m.resolutionP90})`;

const quality = (q: QualityView) =>
  [
    "Время ответа — медиана, в скобках 90-й перцентиль:",
    period("За сегодня", q.today),
    period("За 7 дней", q.days7),
    period("За 30 дней", q.days30),
    q.csatAverage === null
      ? "Оценок за 30 дней пока нет."
      : `Средняя оценка за 30 дней: ${q.csatAverage} из 5 (${ruCount(q.csatCount, N.rating)}).`,
  ].join("\n");

const more = (n: number) => `… и ещё ${num(n)}`;
const yesNo = (yes: boolean) => yes ? "да" : "нет";

const ASK_QUESTION = "Напишите свой вопрос — специалист ответит здесь.";

/** The bot's sentences in Russian. */
export const ru: Texts = {
  greetingNew: "Здравствуйте! Это служба поддержки, мы рады помочь.",
  askName: "Как к вам обращаться? Напишите, пожалуйста, своё имя.",
  greetingBack: (name) => `Здравствуйте, ${name}! ${ASK_QUESTION}`,
  nameSaved: (name) => `Приятно познакомиться, ${name}! ${ASK_QUESTION}`,
  greetingTicket: (name) => `Спасибо, ${name}! Мы получили ваше сообщение.`,
  ticketOpened: (ticket) => `Номер обращения — ${ticket}.`,
  offline: (opens) =>
    `Сейчас мы не работаем. Ответим, когда откроемся: ${opens}. ` +
    "Ваше сообщение сохранено — можно писать дальше, ничего не потеряется.",
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
    "/available — включить или выключить приём клиентов\n" +
    "/end_chat — закрыть текущее обращение\n" +
    "/transfer — передать обращение коллеге или вернуть в очередь\n" +
    "/canned — готовые ответы (/canned add <имя> <текст>, /canned del <имя>)\n" +
    "/history — история текущего клиента файлом (/history html — веб-страницей)\n" +
    "/stats — ваша статистика\n" +
    "/languages — на каких языках вы принимаете клиентов\n" +
    "/departments — ваши отделы (/join <отдел>, /leave <отдел>)",
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
  tokenRemoved:
    "В вашем сообщении был токен поддержки, поэтому мы его удалили и никому не передали.",
  availableOn: "Приём клиентов включён — новые клиенты будут приходить к вам.",
  availableOff: "Приём клиентов выключен — новые к вам не придут. Включить снова — /available.",
  availableOffInDialog: "Приём клиентов выключен — после текущего клиента новых не будет. " +
    "Закрыть обращение — /end_chat.",
  endChatDone: (client, ticket) => `Обращение ${ticket} (${client}) закрыто.`,
  noDialog: "Сейчас у вас нет клиента.",
  agentOnly: "Эта команда только для специалистов поддержки.",
  unknownCommand: "Такой команды нет. Просто напишите сообщение — мы ответим.",
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
  historyUsage: "/history пришлёт историю текстовым файлом, а /history html — веб-страницей.",
  revoked: "Ваш доступ специалиста отозван администратором. Текущее обращение, если оно было, " +
    "передано другому специалисту.",
  adminOnly: "Эта команда только для администраторов.",
  adminHelp: "Команды администратора:\n/agents — специалисты и их состояние\n" +
    "/queue — обращения в очереди\n/revoke <id или @username> — отозвать доступ специалиста\n" +
    "/ban, /unban <id или @username> — заблокировать или разблокировать клиента\n" +
    "/export <с> <по> — сообщения за период в CSV (даты в виде ГГГГ-ММ-ДД)\n" +
    "/stats — статистика всей команды",
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
        `ждёт ${durationAccusative(q.waitingMinutes)}, ` +
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
      "",
      `Специалистов: ${num(s.agents)} (ждут клиентов: ${num(s.agentsAvailable)}, ` +
      `в диалоге: ${num(s.agentsBusy)})`,
      `Открытых обращений: ${num(s.openTickets)}, в очереди: ${num(s.queueLength)}`,
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
        ? ["  пока никого"]
        : s.lines.map((a) =>
          `  ${a.name}: ${ruCount(a.tickets30, N.ticket)}, ` +
          `первый ответ ${a.firstResponseMedian}, оценка ${a.csatAverage ?? "—"}, ` +
          states[a.state]
        )),
      ...(s.more > 0 ? [`  ${more(s.more)}`] : []),
    ].join("\n"),
  historyCaption: (client) => `История переписки: ${client}`,
  history: {
    title: (client) => `История переписки с клиентом: ${client}`,
    phone: (phone) => `Телефон: ${phone}`,
    ticket: (ticket, opened, status) => `Обращение ${ticket} от ${opened} — ${status}`,
    statuses: { queued: "ждёт в очереди", open: "открыто", closed: "закрыто" },
    kinds,
    empty: "(сообщений нет)",
    edited: (at, text) => `✎ изменено ${at}: ${text}`,
    rating: (s, comment) => `Оценка: ${s}${comment ? `, комментарий: ${comment}` : ""}`,
    client: "клиент",
    agent: "специалист",
    internal: "заметка для команды",
  },
  stats: (s) =>
    [
      "Ваша статистика",
      "",
      `Клиентов всего: ${num(s.clientsTotal)}`,
      `Сообщений отправлено: ${num(s.messagesSent)}, получено: ${num(s.messagesReceived)}`,
      `Обращений сегодня: ${num(s.ticketsToday)}, за 7 дней: ${num(s.tickets7Days)}, ` +
      `всего: ${num(s.ticketsTotal)}`,
      "",
      quality(s.quality),
      "",
      "Последние диалоги:",
      ...(s.recent.length === 0
        ? ["  пока нет"]
        : s.recent.map((r) =>
          `  ${r.clientName}, ${r.openedAt} — ${
            r.minutes === null ? "ещё идёт" : duration(r.minutes)
          }`
        )),
      "",
      `Приём клиентов: ${s.available ? "включён" : "выключен"}, в сети: ${yesNo(s.online)}`,
      s.inDialogWith === null ? "Сейчас диалога нет" : `Сейчас в диалоге: ${s.inDialogWith}`,
      `Клиентов в очереди: ${num(s.queueLength)}`,
    ].join("\n"),
  quality,
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
    languages: "Языки, на которых вы принимаете клиентов",
    departments: "Ваши отделы",
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
              `${w.late ? "🟡" : "🔵"} ${w.ticket} ${w.client} — ${w.waiting}`
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
        "",
        b.online.length > 0
          ? `Сейчас на связи: ${b.online.join(", ")}`
          : "Сейчас никого нет на связи.",
        `Сегодня: ${ruCount(b.today.tickets, N.ticket)}, первый ответ — ` +
        `${b.today.firstResponseMedian} (медиана), решение — ${b.today.resolutionMedian}.`,
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
};
