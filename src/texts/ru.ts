/** Russian sentences (the default language). @module */
import type { AgentStateLabel, MetricsView, QualityView, Texts } from "./types.ts";
import { ruPlural } from "./plural.ts";

const kinds: Record<string, string> = {
  photo: "фото",
  video: "видео",
  animation: "GIF",
  document: "файл",
  voice: "голосовое сообщение",
  audio: "аудио",
  sticker: "стикер",
  video_note: "видеосообщение",
  location: "геопозиция",
  venue: "место",
  contact: "контакт",
  poll: "опрос",
  dice: "кубик",
  other: "сообщение",
  album: "альбом",
};

const states: Record<AgentStateLabel, string> = {
  busy: "в диалоге",
  available: "доступен",
  away: "недоступен",
};

const period = (label: string, m: MetricsView) =>
  `  ${label}: обращений ${m.tickets}; первый ответ ${m.firstResponseMedian} ` +
  `(90%: ${m.firstResponseP90}); решение ${m.resolutionMedian} (90%: ${m.resolutionP90})`;

const quality = (q: QualityView) =>
  [
    "Время ответа (медиана, 90-й перцентиль):",
    period("сегодня", q.today),
    period("7 дней", q.days7),
    period("30 дней", q.days30),
    q.csatAverage === null
      ? "Оценка (30 дней): оценок пока нет"
      : `Оценка (30 дней): ${q.csatAverage} из 5, оценок: ${q.csatCount}`,
  ].join("\n");

/** The bot's sentences in Russian. */
export const ru: Texts = {
  greetingNew: "Здравствуйте! Это служба поддержки. Мы рады помочь.",
  askName: "Как к вам обращаться? Напишите ваше имя одним сообщением.",
  greetingBack: (name) => `Здравствуйте, ${name}! Напишите ваш вопрос, и специалист ответит.`,
  nameSaved: (name) => `Приятно познакомиться, ${name}! Напишите ваш вопрос, и специалист ответит.`,
  greetingTicket: (name) => `Здравствуйте, ${name}! Ваше сообщение получено.`,
  ticketOpened: (ticket) => `Номер вашего обращения: ${ticket}.`,
  offline: (opens) =>
    `Сейчас мы не работаем и ответим с ${opens}. ` +
    "Ваше сообщение сохранено; пишите, ничего не потеряется.",
  closeButton: "Закрыть обращение",
  closedByClient: (ticket) => `Вы закрыли обращение ${ticket}. Спасибо!`,
  nothingToClose: "У вас нет открытого обращения. Просто напишите, и мы его откроем.",
  rateAsk: "Пожалуйста, оцените нашу помощь:",
  rateThanks: (s) =>
    `Спасибо за оценку: ${s}. Если хотите, напишите комментарий следующим сообщением.`,
  rateAlready: "Вы уже оценили это обращение.",
  commentSkip: "Без комментария",
  commentThanks: "Спасибо, ваш комментарий передан.",
  commentSkipped: "Спасибо!",
  buttonStale: "Эта кнопка больше не действует.",
  transferredClient: (ticket) =>
    `Ваше обращение ${ticket} передано другому специалисту; он видит всю переписку.`,
  returnedToQueue: (ticket) =>
    `Ваше обращение ${ticket} снова в очереди; ответит первый освободившийся специалист.`,
  agentHelp: "Вы специалист поддержки. Пока вы доступны, к вам приходят клиенты.\n" +
    "/available: переключить доступность\n/end_chat: закрыть текущее обращение\n" +
    "/transfer: передать обращение другому специалисту или в очередь\n" +
    "/canned: готовые ответы (/canned add <имя> <текст>, /canned del <имя>)\n" +
    "/history: история текущего клиента файлом (/history html — веб-страницей)\n" +
    "/stats: ваша статистика",
  agentClientLeft: (client, ticket) =>
    `Обращение ${ticket} с клиентом ${client} закрыто: клиент ушёл.`,
  clientMoved: "Ваш специалист больше недоступен; передаём обращение другому специалисту. " +
    "Всё, что вы написали, сохранено.",
  card: (c) =>
    [
      `👤 ${c.name}${c.telegramName ? ` (${c.telegramName})` : ""}${
        c.username ? ` @${c.username}` : ""
      }`,
      `Язык: ${c.language === "ru" ? "русский" : "английский"}`,
      c.ticket ? `Обращение ${c.ticket}, всего ${c.tickets}` : `Обращений: ${c.tickets}`,
      ...(c.lastRating ? [`Последняя оценка: ${c.lastRating}`] : []),
      ...(c.phone ? [`Телефон: ${c.phone}`] : []),
    ].join("\n"),
  nameSavedAskContact: (name) =>
    `Приятно познакомиться, ${name}! Оставите номер телефона? Так специалисту будет проще ` +
    "с вами связаться. Это необязательно.",
  contactShare: "📱 Отправить мой номер",
  contactSkip: "Пропустить",
  contactSaved: "Спасибо, номер сохранён. Напишите ваш вопрос, и специалист ответит.",
  contactSkipped: "Хорошо, без номера. Напишите ваш вопрос, и специалист ответит.",
  moreInHistory: (client, count) =>
    `Ещё ${count} ${ruPlural(count, ["сообщение", "сообщения", "сообщений"])} от клиента ` +
    `${client} здесь не показаны: они сохранены в истории (/history).`,
  notDelivered: (kind) => `Не удалось доставить: ${kind}. Пожалуйста, отправьте иначе.`,
  connected: (ticket) =>
    `Специалист поддержки подключился к чату и ответит здесь (обращение ${ticket}).`,
  queued: (position) =>
    `Сейчас все специалисты заняты. Ваше место в очереди: ${position}. ` +
    "Пишите, ничего не потеряется.",
  stillQueued: (position) => `Ждём свободного специалиста: ваше место в очереди — ${position}.`,
  ticketClosed: (ticket) =>
    `Ваше обращение ${ticket} закрыто. Спасибо! Будем рады услышать вас снова.`,
  agentNewClient: (client, ticket, waiting, previous) =>
    `Новый клиент: ${client} (обращение ${ticket}).` +
    (previous ? ` Клиент обращается снова, прошлое обращение ${previous}.` : "") +
    (waiting > 0 ? ` Сообщений, написанных в ожидании: ${waiting}.` : "") +
    " Отвечайте здесь; /end_chat закрывает обращение.",
  agentNoDialog: (queueLength) =>
    `Сейчас у вас нет клиента (в очереди: ${queueLength}). Сообщение никому не отправлено.`,
  registerOk:
    "Вы зарегистрированы как специалист поддержки и доступны. Клиенты будут приходить к вам.",
  registerAlready: "Вы уже специалист поддержки.",
  registerMissing: "Отправьте токен вместе с командой: /register_support <токен>",
  registerWrong: "Неверный токен. Доступ запрещён.",
  registerLocked: (minutes) => `Слишком много неверных попыток. Попробуйте через ${minutes} мин.`,
  registerHasTicket: "Ваше открытое обращение как клиента закрыто перед регистрацией.",
  tokenRemoved:
    "В вашем сообщении был токен поддержки, поэтому мы его удалили. Оно никому не передано.",
  availableOn: "Вы доступны: новые клиенты будут приходить к вам.",
  availableOff: "Вы недоступны: новые клиенты не будут к вам приходить.",
  availableOffInDialog:
    "Вы недоступны: после текущего клиента новых не будет. /end_chat закрывает обращение.",
  endChatDone: (client, ticket) => `Обращение ${ticket} с клиентом ${client} закрыто.`,
  noDialog: "У вас нет активного диалога.",
  agentOnly: "Эта команда только для специалистов поддержки.",
  unknownCommand: "Неизвестная команда. Просто напишите сообщение, и мы ответим.",
  agentRated: (client, ticket, s) => `${client} оценил(а) обращение ${ticket}: ${s}`,
  agentComment: (client, ticket, comment) =>
    `Комментарий ${client} к обращению ${ticket}:\n${comment}`,
  agentClientClosed: (client, ticket) => `${client} закрыл(а) обращение ${ticket}.`,
  agentClientBanned: (client, ticket) =>
    `Обращение ${ticket} с клиентом ${client} закрыто: администратор заблокировал клиента.`,
  transferChoose: (ticket) => `Кому передать обращение ${ticket}:`,
  transferNobody: (ticket) =>
    `Других свободных специалистов нет. Обращение ${ticket} можно вернуть в очередь:`,
  transferQueueButton: "Вернуть в очередь",
  transferDone: (ticket, agent) => `Обращение ${ticket} передано: ${agent}.`,
  transferQueued: (ticket) => `Обращение ${ticket} возвращено в очередь.`,
  transferNotFree: "Этот специалист уже занят. Выберите снова: /transfer.",
  transferIncoming: (ticket, client, from) =>
    `${from} передал(а) вам обращение ${ticket}. Клиент: ${client}. ` +
    "Переписка до этого момента — в файле ниже. Отвечайте здесь; /end_chat закрывает обращение.",
  cannedUsage: "Готовые ответы:\n/canned: выбрать и отправить\n" +
    "/canned add <имя> <текст>: сохранить (или заменить)\n/canned del <имя>: удалить",
  cannedSaved: (name) => `Готовый ответ «${name}» сохранён.`,
  cannedDeleted: (name) => `Готовый ответ «${name}» удалён.`,
  cannedUnknown: (name) => `Готового ответа «${name}» нет.`,
  cannedBadName: "Имя — одно слово до 32 символов: буквы, цифры, - или _.",
  cannedTooLong: (max) => `Готовый ответ может быть не длиннее ${max} символов.`,
  cannedTooMany: (max) => `Можно хранить не больше ${max} готовых ответов; сначала удалите один.`,
  cannedList: "Выберите ответ, чтобы отправить его клиенту:",
  cannedEmpty: "Готовых ответов пока нет. /canned add <имя> <текст> сохраняет ответ.",
  cannedSent: (name) => `Отправлено: ${name}`,
  historyUsage: "/history присылает текстовый файл; /history html — веб-страницу.",
  revoked: "Администратор отозвал ваш доступ специалиста. Ваш клиент, если был, " +
    "передан другому специалисту.",
  adminOnly: "Эта команда только для администраторов.",
  adminHelp: "Команды администратора:\n/agents: специалисты и их состояние\n" +
    "/queue: ожидающие обращения\n/revoke <id или @username>: отозвать специалиста\n" +
    "/ban, /unban <id или @username>: заблокировать или разблокировать клиента\n" +
    "/export <с> <по>: сообщения в CSV (даты как ГГГГ-ММ-ДД)\n/stats: вся команда",
  agents: (lines, more) =>
    lines.length === 0 ? "Специалистов пока нет." : [
      `Специалисты (${lines.length + more}):`,
      ...lines.map((a) =>
        `• ${a.name}${a.username ? ` @${a.username}` : ""} (id ${a.id}): ${states[a.state]}` +
        `${a.ticket ? ` ${a.ticket}` : ""}, ${a.online ? "в сети" : "не в сети"}`
      ),
      ...(more > 0 ? [`… и ещё ${more}`] : []),
    ].join("\n"),
  queue: (lines, more) =>
    lines.length === 0 ? "Очередь пуста." : [
      `Ожидают (${lines.length + more}):`,
      ...lines.map((q, i) =>
        `${i + 1}. ${q.ticket} ${q.client}: ${q.waitingMinutes} мин, сообщений ${q.messages}`
      ),
      ...(more > 0 ? [`… и ещё ${more}`] : []),
    ].join("\n"),
  userUsage: (command) => `Укажите кого: /${command} <id или @username>`,
  userUnknown: (who) => `Пользователь ${who} боту не писал.`,
  userAmbiguous: (command, who, ids) =>
    [
      `Имя ${who} было у нескольких пользователей: id ${ids.join(", ")}.`,
      "Бот не знает, у кого из них оно сейчас.",
      `Укажите нужного пользователя по id, например: /${command} ${ids[0]}`,
    ].join("\n"),
  revokeNotAgent: (name) => `${name} не специалист.`,
  revokeDone: (name, ticket, to) =>
    `${name} больше не специалист.` +
    (ticket === null
      ? ""
      : to
      ? ` Обращение ${ticket} передано: ${to}.`
      : ` Обращение ${ticket} возвращено в очередь.`),
  banAgent: (name) => `${name} — специалист; сначала /revoke.`,
  banAdmin: "Администратора нельзя заблокировать.",
  banDone: (name) => `${name} заблокирован(а): сообщения сохраняются, но не передаются.`,
  banAlready: (name) => `${name} уже заблокирован(а).`,
  unbanDone: (name) => `${name} разблокирован(а).`,
  unbanNotBanned: (name) => `${name} не заблокирован(а).`,
  exportUsage: "Укажите даты: /export <с> <по>, например /export 2026-11-01 2026-11-30 " +
    "(обе включительно, не больше 366 дней).",
  exportCaption: (from, to) => `Сообщения с ${from} по ${to}`,
  teamStats: (s) =>
    [
      "Статистика команды",
      "",
      `Специалистов: ${s.agents} (доступны: ${s.agentsAvailable}, в диалоге: ${s.agentsBusy})`,
      `Открытых обращений: ${s.openTickets}, в очереди: ${s.queueLength}`,
      ...(s.parkedUpdates > 0
        ? [
          `Не удалось обработать: ${s.parkedUpdates} ${
            ruPlural(s.parkedUpdates, ["обновление", "обновления", "обновлений"])
          }. Они сохранены, бот попробует снова при следующем запуске.`,
        ]
        : []),
      "",
      quality(s.quality),
      "",
      "Специалисты (30 дней):",
      ...(s.lines.length === 0
        ? ["  пока нет"]
        : s.lines.map((a) =>
          `  ${a.name}: обращений ${a.tickets30}, первый ответ ${a.firstResponseMedian}, ` +
          `оценка ${a.csatAverage ?? "—"}, ${states[a.state]}`
        )),
      ...(s.more > 0 ? [`  … и ещё ${s.more}`] : []),
    ].join("\n"),
  historyCaption: (client) => `История с клиентом ${client}`,
  history: {
    title: (client) => `История диалога с клиентом ${client}`,
    phone: (phone) => `Телефон: ${phone}`,
    ticket: (ticket, opened, status) => `Обращение ${ticket} от ${opened} — ${status}`,
    statuses: { queued: "ждёт в очереди", open: "открыто", closed: "закрыто" },
    kinds,
    empty: "(сообщений нет)",
    edited: (at, text) => `✎ изменено ${at}: ${text}`,
    rating: (s, comment) => `Оценка: ${s}${comment ? `, комментарий: ${comment}` : ""}`,
    client: "клиент",
    agent: "специалист",
  },
  stats: (s) =>
    [
      "Ваша статистика",
      "",
      `Клиентов всего: ${s.clientsTotal}`,
      `Сообщений отправлено: ${s.messagesSent}, получено: ${s.messagesReceived}`,
      `Обращений сегодня: ${s.ticketsToday}, за 7 дней: ${s.tickets7Days}, всего: ${s.ticketsTotal}`,
      "",
      quality(s.quality),
      "",
      "Последние диалоги:",
      ...(s.recent.length === 0
        ? ["  пока нет"]
        : s.recent.map((r) =>
          `  ${r.clientName}, ${r.openedAt}, ${
            r.minutes === null ? "ещё открыт" : `${r.minutes} мин`
          }`
        )),
      "",
      `Доступны: ${s.available ? "да" : "нет"}, в сети: ${s.online ? "да" : "нет"}`,
      `Диалог: ${s.inDialogWith ?? "нет"}`,
      `Клиентов в очереди: ${s.queueLength}`,
    ].join("\n"),
  quality,
  commands: {
    start: "Начать",
    available: "Переключить доступность",
    end_chat: "Завершить текущий диалог",
    history: "История с текущим клиентом (файл)",
    stats: "Статистика",
    transfer: "Передать обращение",
    canned: "Готовые ответы",
    close: "Закрыть моё обращение",
    agents: "Специалисты и их состояние",
    queue: "Ожидающие обращения",
    revoke: "Отозвать специалиста",
    ban: "Заблокировать клиента",
    unban: "Разблокировать клиента",
    export: "Выгрузка сообщений (CSV)",
  },
};
