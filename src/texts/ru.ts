/** Russian sentences (the default language). @module */
import type { Texts } from "../texts.ts";

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
};

/** The bot's sentences in Russian. */
export const ru: Texts = {
  greetingNew: "Здравствуйте! Это служба поддержки. Мы рады помочь.",
  askName: "Как к вам обращаться? Напишите ваше имя одним сообщением.",
  greetingBack: (name) => `Здравствуйте, ${name}! Напишите ваш вопрос, и специалист ответит.`,
  nameSaved: (name) => `Приятно познакомиться, ${name}! Напишите ваш вопрос, и специалист ответит.`,
  greetingTicket: (name) => `Здравствуйте, ${name}! Ваше сообщение получено.`,
  agentHelp: "Вы специалист поддержки. Пока вы доступны, к вам приходят клиенты.\n" +
    "/available: переключить доступность\n/end_chat: закрыть текущее обращение\n" +
    "/history: история текущего клиента файлом\n/stats: ваша статистика",
  agentClientLeft: (client) => `Обращение с клиентом ${client} закрыто: клиент ушёл.`,
  clientMoved: "Ваш специалист больше недоступен; передаём обращение другому специалисту. " +
    "Всё, что вы написали, сохранено.",
  notDelivered: (kind) => `Не удалось доставить: ${kind}. Пожалуйста, отправьте иначе.`,
  connected: "Специалист поддержки подключился к чату и ответит здесь.",
  queued: (position) =>
    `Сейчас все специалисты заняты. Ваше место в очереди: ${position}. ` +
    "Пишите, ничего не потеряется.",
  stillQueued: (position) => `Ждём свободного специалиста: ваше место в очереди — ${position}.`,
  ticketClosed: "Ваше обращение закрыто. Спасибо! Будем рады услышать вас снова.",
  agentNewClient: (client, ticketId, waiting) =>
    `Новый клиент: ${client} (обращение #${ticketId}).` +
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
  availableOn: "Вы доступны: новые клиенты будут приходить к вам.",
  availableOff: "Вы недоступны: новые клиенты не будут к вам приходить.",
  availableOffInDialog:
    "Вы недоступны: после текущего клиента новых не будет. /end_chat закрывает обращение.",
  endChatDone: (client) => `Обращение с клиентом ${client} закрыто.`,
  noDialog: "У вас нет активного диалога.",
  agentOnly: "Эта команда только для специалистов поддержки.",
  unknownCommand: "Неизвестная команда. Просто напишите сообщение, и мы ответим.",
  historyCaption: (client) => `История с клиентом ${client}`,
  history: {
    title: (client) => `История диалога с клиентом ${client}`,
    ticket: (id, opened, status) => `Обращение #${id} от ${opened} — ${status}`,
    statuses: { queued: "ждёт в очереди", open: "открыто", closed: "закрыто" },
    kinds,
    empty: "(сообщений нет)",
  },
  stats: (s) =>
    [
      "Ваша статистика",
      "",
      `Клиентов всего: ${s.clientsTotal}`,
      `Сообщений отправлено: ${s.messagesSent}, получено: ${s.messagesReceived}`,
      `Обращений сегодня: ${s.ticketsToday}, за 7 дней: ${s.tickets7Days}, всего: ${s.ticketsTotal}`,
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
  commands: {
    start: "Начать",
    available: "Переключить доступность",
    endChat: "Завершить текущий диалог",
    history: "История с текущим клиентом (файл)",
    stats: "Моя статистика",
  },
};
