// The sandbox page: one column per person, each a small Telegram chat with the bot (in team
// mode the staff group's members also have the group: its topics, each opening its messages).
// Talks only to the page's server (tools/sandbox/api.ts): JSON requests, and server-sent events
// for what the bot does. Each column speaks its person's Telegram language; the top bar the
// page's, which follows the browser's language until the language button is pressed.

import { escapeHtml, renderEntities, safeUrl } from "./entities.js";

const TEXTS = {
  ru: {
    title: "Песочница бота поддержки",
    tokenLabel: "Токен агента:",
    copy: "Копировать",
    copied: "Скопировано",
    flood: "Лимиты Telegram",
    fail429: "429 ×3",
    fail502: "502 ×3",
    failing: (code, left) => `${code}: осталось ${left}`,
    addPerson: "+ Пользователь",
    fail429Title: "Следующие три отправки бота получат 429 Too Many Requests (retry_after 3 с)",
    fail502Title: "Следующие три отправки бота получат 502 Bad Gateway",
    floodTitle: "Лимиты Telegram на отправку: около 1 сообщения в секунду в чат и 30 всего",
    otherLanguage: "English",
    hint: "Каждая колонка — отдельный человек в своём Telegram. Агент отправляет боту " +
      "/register_support с токеном выше, клиент просто пишет. Колонка говорит на языке " +
      "Telegram своего человека. Всё работает на этом компьютере: настоящий бот, " +
      "локальный Telegram, временная база.",
    teamHint: "Режим команды: агенты отвечают в темах группы поддержки (вкладка группы в их " +
      "колонке), тема на каждого клиента. Каждая колонка — отдельный человек в своём Telegram. " +
      "Всё работает на этом компьютере: настоящий бот, локальный Telegram, временная база.",
    log: "Bot API:",
    addTitle: "Новый пользователь",
    addName: "Имя",
    addRole: "Роль",
    addLanguage: "Язык Telegram",
    cancel: "Отмена",
    add: "Добавить",
    client: "Клиент",
    agent: "Агент",
  },
  en: {
    title: "Help-desk bot sandbox",
    tokenLabel: "Agent token:",
    copy: "Copy",
    copied: "Copied",
    flood: "Telegram's flood limits",
    fail429: "429 ×3",
    fail502: "502 ×3",
    failing: (code, left) => `${code}: ${left} to go`,
    addPerson: "+ Person",
    fail429Title: "The bot's next three sends get 429 Too Many Requests (retry_after 3 s)",
    fail502Title: "The bot's next three sends get 502 Bad Gateway",
    floodTitle: "Telegram's sending limits: about 1 message a second per chat, 30 in all",
    otherLanguage: "Русский",
    hint: "Each column is one person in their own Telegram. An agent sends the bot " +
      "/register_support with the token above; a client just writes. Each column speaks its " +
      "person's Telegram language. Everything runs on this computer: the real bot, a local " +
      "Telegram, a throwaway database.",
    teamHint: "Team mode: agents answer in the topics of the staff group (the group's tab in " +
      "their column), a topic per client. Each column is one person in their own Telegram. " +
      "Everything runs on this computer: the real bot, a local Telegram, a throwaway database.",
    log: "Bot API:",
    addTitle: "New person",
    addName: "Name",
    addRole: "Role",
    addLanguage: "Telegram language",
    cancel: "Cancel",
    add: "Add",
    client: "Client",
    agent: "Agent",
  },
};

const PANEL_TEXTS = {
  ru: {
    locale: "ru",
    units: ["Б", "КБ", "МБ"],
    roles: { client: "клиент", agent: "агент", admin: "админ" },
    language: "русский",
    placeholder: "Сообщение",
    attach: "Фото или файл, стикер, геопозиция, контакт",
    file: "Фото или файл",
    menu: "Меню",
    menuTitle: "Команды бота",
    start: "ЗАПУСТИТЬ",
    send: "Отправить",
    sticker: "Стикер",
    location: "Отправить геопозицию",
    contact: "Поделиться номером телефона",
    reply: "Ответить",
    edit: "Изменить",
    unreact: "Убрать реакцию",
    replyingTo: "Ответ: ",
    editing: "Изменение: ",
    edited: "изменено",
    block: "Заблокировать бота",
    blockTitle: "Этот человек блокирует бота: всё, что бот ему шлёт, получает 403",
    bot: "бот",
    general: "Общий",
    company: "Компания",
    companyChats: "Чаты клиентов с компанией",
    companyOn: "бот подключён",
    noCompanyChats: "Клиенты ещё не писали компании",
    members: (n) => `${n} участн.`,
    service: {
      topic_created: (s) => `Тема «${s.name}» создана`,
      topic_edited: (s) => s.name ? `Тема теперь «${s.name}»` : "Тема изменена",
      topic_closed: () => "Тема закрыта",
      topic_reopened: () => "Тема снова открыта",
      pinned: (s, who) => `${who} закрепляет «${short(s.text)}»`,
      joined: (s) => `${s.names.join(", ")} в группе`,
      left: (s) => `${s.names.join(", ")} выходит из группы`,
    },
    closed: "Тема закрыта",
    open: "открыть",
    asFile: "Отправить как файл",
    location_: "Геопозиция",
  },
  en: {
    locale: "en-GB",
    units: ["B", "KB", "MB"],
    roles: { client: "client", agent: "agent", admin: "admin" },
    language: "English",
    placeholder: "Message",
    attach: "Photo or file, sticker, location, contact",
    file: "Photo or file",
    menu: "Menu",
    menuTitle: "The bot's commands",
    start: "START",
    send: "Send",
    sticker: "Sticker",
    location: "Send my location",
    contact: "Share my phone number",
    reply: "Reply",
    edit: "Edit",
    unreact: "Remove reaction",
    replyingTo: "Reply to: ",
    editing: "Editing: ",
    edited: "edited",
    block: "Block the bot",
    blockTitle: "This person blocks the bot: whatever the bot sends them gets 403",
    bot: "bot",
    general: "General",
    company: "Company",
    companyChats: "Clients' chats with the company",
    companyOn: "bot connected",
    noCompanyChats: "No client has written to the company yet",
    members: (n) => `${n} members`,
    service: {
      topic_created: (s) => `Topic “${s.name}” created`,
      topic_edited: (s) => s.name ? `Topic renamed to “${s.name}”` : "Topic changed",
      topic_closed: () => "Topic closed",
      topic_reopened: () => "Topic reopened",
      pinned: (s, who) => `${who} pinned “${short(s.text)}”`,
      joined: (s) => `${s.names.join(", ")} joined the group`,
      left: (s) => `${s.names.join(", ")} left the group`,
    },
    closed: "Topic closed",
    open: "open",
    asFile: "Send as a file",
    location_: "Location",
  },
};

/** The start of a long line, as a service message quotes it. */
function short(text) {
  return text.length > 32 ? `${text.slice(0, 31)}…` : text;
}

const REACTIONS = ["👍", "❤️", "🔥", "🙏", "👀", "😢"];
const COLORS = ["#e17076", "#7bc862", "#65aadd", "#a695e7", "#ee7aae", "#6ec9cb", "#faa774"];

// The language chosen with the language button (remembered in this browser), else the
// browser's: Russian for ru*, English for anything else.
const chosenLanguage = localStorage.getItem("sandbox.language");
let pageLanguage = chosenLanguage === "en" || chosenLanguage === "ru"
  ? chosenLanguage
  : /^ru\b/i.test(navigator.language || "")
  ? "ru"
  : "en";
let state = null;
const panels = new Map();

const $ = (selector, root = document) => root.querySelector(selector);

async function api(path, body) {
  const init = body === undefined ? {} : body instanceof FormData ? { method: "POST", body } : {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  };
  const response = await fetch(path, init);
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error || response.statusText);
  return answer;
}

function formatSize(bytes, t) {
  if (bytes === undefined) return "";
  const [b, kb, mb] = t.units;
  const number = (x) => x.toLocaleString(t.locale, { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${bytes} ${b}`;
  if (bytes < 1024 * 1024) return `${number(bytes / 1024)} ${kb}`;
  return `${number(bytes / 1024 / 1024)} ${mb}`;
}

function timeOf(date, language) {
  return new Date(date * 1000).toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit" });
}

function mediaHtml(media, t) {
  switch (media.kind) {
    case "photo":
      return `<a href="/api/files/${
        encodeURIComponent(media.fileId)
      }" target="_blank"><img class="photo" alt="" src="/api/files/${
        encodeURIComponent(media.fileId)
      }"></a>`;
    case "sticker":
      return `<div class="sticker">${escapeHtml(media.emoji)}</div>`;
    case "location":
      return `<div class="card">📍 <b>${t.location_}</b><br><small>${media.latitude.toFixed(5)}, ${
        media.longitude.toFixed(5)
      }</small></div>`;
    case "contact":
      return `<div class="card">👤 <b>${escapeHtml(media.name)}</b><br><small>${
        escapeHtml(media.phone)
      }</small></div>`;
    default: {
      const name = media.fileName || media.kind;
      return `<a class="doc" href="/api/files/${
        encodeURIComponent(media.fileId)
      }" target="_blank" rel="noopener" data-file="${escapeHtml(name)}">` +
        `<span class="icon">📄</span><span><b>${escapeHtml(name)}</b><small>${
          formatSize(media.size, t)
        } · ${t.open}</small></span></a>`;
    }
  }
}

/** The messages as the chat draws them: the parts of an album (one media_group_id) together. */
function groupAlbums(messages) {
  const items = [];
  for (const m of messages) {
    const last = items.at(-1);
    if (
      m.mediaGroupId && last && last[0].mediaGroupId === m.mediaGroupId && last[0].out === m.out
    ) {
      last.push(m);
    } else items.push([m]);
  }
  return items;
}

function buttonsHtml(m) {
  if (!m.buttons?.length) return "";
  let html = `<div class="buttons" data-for="${m.id}">`;
  for (const row of m.buttons) {
    html += `<div class="row">`;
    for (const b of row) {
      if (b.data !== undefined) {
        html += `<button type="button" data-message="${m.id}" data-data="${escapeHtml(b.data)}">${
          escapeHtml(b.text)
        }</button>`;
      } else if (b.url && safeUrl(b.url)) {
        html += `<a href="${escapeHtml(safeUrl(b.url))}" target="_blank" rel="noopener">${
          escapeHtml(b.text)
        }</a>`;
      }
    }
    html += `</div>`;
  }
  return html + `</div>`;
}

/** A message, or an album (its parts in a grid, as Telegram draws one), as HTML. */
function messageHtml(parts, t) {
  const m = parts[0];
  if (m.service) {
    const who = m.author?.name ?? "";
    return `<div class="service" data-id="${m.id}">${
      escapeHtml(t.service[m.service.kind]?.(m.service, who) ?? "")
    }</div>`;
  }
  const sticker = m.media?.kind === "sticker";
  const album = parts.length > 1;
  let html = `<div class="msg${m.out ? " out" : ""}${sticker ? " sticker-msg" : ""}${
    album ? " album-msg" : ""
  }" data-id="${m.id}">`;
  html += `<button type="button" class="open-menu" title="…">⋯</button>`;
  if (m.author && !m.out) {
    html += `<div class="author" data-color="${COLORS[m.author.id % COLORS.length]}">${
      escapeHtml(m.author.name)
    }</div>`;
  }
  if (m.replyTo) html += `<div class="quote">${escapeHtml(m.replyTo.text)}</div>`;
  if (album) {
    const visual = parts.every((p) => p.media && ["photo", "video"].includes(p.media.kind));
    html += `<div class="${visual ? `album n${Math.min(parts.length, 10)}` : "album-list"}">${
      parts.map((p) => (p.media ? mediaHtml(p.media, t) : "")).join("")
    }</div>`;
  } else if (m.media) html += mediaHtml(m.media, t);
  const captioned = parts.find((p) => p.text !== undefined);
  if (captioned) {
    html += `<span class="text">${renderEntities(captioned.text, captioned.entities)}</span>`;
  }
  const edited = parts.some((p) => p.edited);
  const last = parts.at(-1);
  html += `<span class="time">${edited ? `${t.edited} ` : ""}${timeOf(last.date, t.locale)}</span>`;
  const reactions = [m.myReaction, m.botReaction].filter(Boolean);
  if (reactions.length) {
    html += `<div class="reactions">${
      reactions.map((r) => `<span>${escapeHtml(r)}</span>`).join("")
    }</div>`;
  }
  html += `</div>`;
  return html + parts.map(buttonsHtml).join("");
}

/**
 * Colors from `data-color` / `data-background`: the page's CSP allows no inline style
 * attributes, but styles set from the script are fine.
 */
function paint(root) {
  for (const el of root.querySelectorAll("[data-color]")) el.style.color = el.dataset.color;
  for (const el of root.querySelectorAll("[data-background]")) {
    el.style.background = el.dataset.background;
  }
}

/** The topic list of the staff group, as Telegram's forum view shows it. */
function topicsHtml(topics, t) {
  return topics.map((topic) => {
    const name = topic.name ?? t.general;
    const icon = topic.threadId === 0
      ? `<span class="topic-icon general">#</span>`
      : `<span class="topic-icon" data-background="#${
        topic.iconColor.toString(16).padStart(6, "0")
      }"></span>`;
    const last = topic.last
      ? `${topic.last.author ? `<b>${escapeHtml(topic.last.author)}:</b> ` : ""}${
        escapeHtml(topic.last.text)
      }`
      : "";
    return `<button type="button" class="topic${
      topic.closed ? " closed" : ""
    }" data-thread="${topic.threadId}">${icon}<span class="topic-text"><b class="topic-name">${
      escapeHtml(name)
    }${topic.closed ? " 🔒" : ""}</b><small>${
      topic.pinned ? `📌 ${escapeHtml(topic.pinned)}` : last
    }</small></span>${
      topic.last ? `<small class="topic-time">${timeOf(topic.last.date, t.locale)}</small>` : ""
    }</button>`;
  }).join("");
}

class Panel {
  constructor(person) {
    this.person = person;
    this.t = PANEL_TEXTS[person.language] || PANEL_TEXTS.en;
    this.messages = [];
    this.mode = null; // { kind: "reply" | "edit", id }
    // Which chat the column shows: the bot's, or (team mode) the staff group's topic list or
    // one topic (`thread`: 0 is General).
    this.view = { chat: "bot" };
    this.commands = [];
    const root = $("#panel").content.firstElementChild.cloneNode(true);
    this.root = root;
    root.dataset.person = String(person.id);
    root.lang = person.language;
    const avatar = $(".avatar", root);
    avatar.textContent = person.name.slice(0, 1).toUpperCase();
    avatar.style.background = COLORS[person.id % COLORS.length];
    $(".name", root).textContent = person.name;
    $(".meta", root).textContent = `${this.t.roles[person.role]} · ${this.t.language}`;
    $(".who", root).title = `id ${person.id}`;
    $(".block-label", root).textContent = this.t.block;
    $(".block", root).title = this.t.blockTitle;
    this.input = $(".input", root);
    this.input.placeholder = this.t.placeholder;
    $(".attach", root).title = this.t.attach;
    $(".commands", root).title = this.t.menuTitle;
    $(".commands-label", root).textContent = this.t.menu;
    $(".send", root).title = this.t.send;
    $(".start", root).textContent = this.t.start;
    $('.tabs [data-tab="bot"]', root).textContent = `🤖 ${this.t.bot}`;
    this.list = $(".messages", root);
    this.topicList = $(".topics", root);
    this.menu = $(".menu", root);
    this.bar = $(".bar", root);
    this.file = $(".file", root);
    $(".composer", root).addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    $(".attach", root).addEventListener("click", () => this.toggleMenu(this.attachMenu()));
    $(".commands", root).addEventListener("click", () => this.toggleMenu(this.commandsMenu()));
    $(".start", root).addEventListener("click", () => this.act("text", { text: "/start" }));
    this.file.addEventListener("change", () => this.upload());
    $(".bar-close", root).addEventListener("click", () => this.setMode(null));
    $(".block-box", root).addEventListener("change", (event) => {
      this.act("block", { blocked: event.target.checked });
    });
    $(".tabs", root).addEventListener("click", (event) => {
      const tab = event.target.closest("button[data-tab]");
      if (tab) this.open({ chat: tab.dataset.tab });
    });
    this.topicList.addEventListener("click", (event) => {
      const topic = event.target.closest("button[data-thread]");
      if (topic) this.open({ chat: "staff", thread: Number(topic.dataset.thread) });
      const chat = event.target.closest("button[data-client]");
      if (chat) this.open({ chat: "business", client: Number(chat.dataset.client) });
    });
    this.topicList.addEventListener("change", (event) => {
      if (event.target.matches(".company-on")) {
        api("/api/business/connection", { on: event.target.checked });
      }
    });
    $(".back", root).addEventListener("click", () => this.open({ chat: this.view.chat }));
    this.list.addEventListener("click", (event) => this.click(event));
    document.addEventListener("click", (event) => {
      if (
        !this.menu.hidden && !this.menu.contains(event.target) &&
        !event.target.closest(".attach, .commands, .open-menu")
      ) this.menu.hidden = true;
    });
  }

  /** Whether the column shows a topic (or General) of the staff group. */
  get inThread() {
    return this.view.chat === "staff" && this.view.thread !== undefined;
  }

  /** Team mode: the person is in the staff group, which gets a tab. */
  setStaff(staff) {
    const member = Boolean(staff?.members.includes(this.person.id));
    this.staff = member ? staff : null;
    $('.tabs [data-tab="staff"]', this.root).hidden = !member;
    if (member) $('.tabs [data-tab="staff"]', this.root).textContent = `👥 ${staff.title}`;
    this.showTabs();
  }

  /**
   * The company account (Telegram Business): a client writes to it in a tab of its own; its
   * owner sees the clients' chats with the company there.
   */
  setBusiness(business) {
    const mine = business &&
      (this.person.role === "client" || this.person.id === business.owner);
    this.business = mine ? business : null;
    const tab = $('.tabs [data-tab="business"]', this.root);
    tab.hidden = !mine;
    tab.textContent = `🏢 ${this.t.company}`;
    this.showTabs();
    if (mine && this.view.chat === "business") this.refresh();
  }

  showTabs() {
    $(".tabs", this.root).hidden = !this.staff && !this.business;
  }

  /** Whether the column shows the list of the company's chats (its owner's). */
  get inCompanyList() {
    return this.view.chat === "business" && this.person.id === this.business?.owner &&
      this.view.client === undefined;
  }

  /** Shows another chat of the person: the bot's, the topic list, or a topic. */
  open(view) {
    this.view = view;
    this.setMode(null);
    this.menu.hidden = true;
    this.messages = [];
    this.list.innerHTML = "";
    this.list.dataset.html = "";
    this.showParts({
      topics: (view.chat === "staff" && view.thread === undefined) || this.inCompanyList,
    });
    for (const tab of this.root.querySelectorAll(".tabs button")) {
      tab.classList.toggle("on", tab.dataset.tab === view.chat);
    }
    this.refresh();
  }

  async act(action, body) {
    try {
      return await api(`/api/people/${this.person.id}/${action}`, body);
    } catch (error) {
      this.toast(error.message);
    }
  }

  /** A member's action in the staff group, as this person. */
  async actInStaff(action, body) {
    try {
      if (body instanceof FormData) {
        body.append("as", String(this.person.id));
        return await api(`/api/staff/${action}`, body);
      }
      return await api(`/api/staff/${action}`, { as: this.person.id, ...body });
    } catch (error) {
      this.toast(error.message);
    }
  }

  async send() {
    const text = this.input.value;
    if (!text.trim()) return;
    this.input.value = "";
    const mode = this.mode;
    this.setMode(null);
    await this.sendText(text, mode);
  }

  /** Sends `text` where the column is (a reply or an edit when `mode` says so). */
  sendText(text, mode = null) {
    if (this.view.chat === "business") {
      return api("/api/business/text", {
        as: this.person.id,
        ...(this.view.client !== undefined ? { client: this.view.client } : {}),
        text,
      }).catch((error) => this.toast(error.message));
    }
    if (this.inThread) {
      if (mode?.kind === "edit") return this.actInStaff("edit", { messageId: mode.id, text });
      return this.actInStaff("text", {
        thread: this.view.thread,
        text,
        ...(mode?.kind === "reply" ? { replyTo: mode.id } : {}),
      });
    }
    if (mode?.kind === "edit") return this.act("edit", { messageId: mode.id, text });
    return this.act("text", { text, ...(mode?.kind === "reply" ? { replyTo: mode.id } : {}) });
  }

  async upload(asFile = false) {
    const files = [...this.file.files];
    if (files.length === 0) return;
    const form = new FormData();
    for (const file of files) form.append("file", file);
    const caption = this.input.value.trim();
    if (caption) form.append("caption", caption);
    if (asFile) form.append("asFile", "1");
    this.input.value = "";
    this.file.value = "";
    if (this.inThread) {
      form.append("thread", String(this.view.thread));
      await this.actInStaff("file", form);
    } else await this.act("file", form);
  }

  /** 📎: a photo or file, and in the chat with the bot a sticker, the location, the contact. */
  attachMenu() {
    const t = this.t;
    const file = `<button type="button" data-action="file">🖼 ${t.file}</button>`;
    if (this.inThread) return file;
    const stickers = state.stickers.map((s) =>
      `<button type="button" data-sticker="${s}">${s}</button>`
    ).join("");
    return file + `<small>${t.sticker}</small><div class="row emoji">${stickers}</div>` +
      `<button type="button" data-action="location">📍 ${t.location}</button>` +
      `<button type="button" data-action="contact">📞 ${t.contact}</button>`;
  }

  /** ☰ Menu: the bot's commands for this person here, each with its description. */
  commandsMenu() {
    return `<small>${this.t.menuTitle}</small>` +
      this.commands.map((c) =>
        `<button type="button" class="command" data-command="${escapeHtml(c.command)}">` +
        `<b>/${escapeHtml(c.command)}</b><span>${escapeHtml(c.description)}</span></button>`
      ).join("");
  }

  messageMenu(m) {
    const t = this.t;
    const reactions = this.inThread
      ? ""
      : `<div class="row emoji">${
        REACTIONS.map((r) =>
          `<button type="button" data-react="${r}" data-id="${m.id}">${r}</button>`
        )
          .join("")
      }</div>`;
    return reactions +
      `<button type="button" data-reply="${m.id}">↩ ${t.reply}</button>` +
      (m.out && m.text !== undefined
        ? `<button type="button" data-edit="${m.id}">✎ ${t.edit}</button>`
        : "") +
      (m.myReaction && !this.inThread
        ? `<button type="button" data-react="" data-id="${m.id}">✕ ${t.unreact}</button>`
        : "");
  }

  toggleMenu(html) {
    if (!this.menu.hidden && this.menu.dataset.html === html) {
      this.menu.hidden = true;
      return;
    }
    this.menu.innerHTML = html;
    this.menu.dataset.html = html;
    this.menu.hidden = false;
    this.menu.onclick = (event) => this.menuClick(event);
  }

  async menuClick(event) {
    const b = event.target.closest("button");
    if (!b) return;
    this.menu.hidden = true;
    if (b.dataset.command) await this.sendText(`/${b.dataset.command}`);
    else if (b.dataset.action === "file") this.file.click();
    else if (b.dataset.sticker) await this.act("sticker", { emoji: b.dataset.sticker });
    else if (b.dataset.action === "location") await this.sendLocation();
    else if (b.dataset.action === "contact") {
      await this.act("contact", { phone: this.phone() });
    } else if (b.dataset.react !== undefined) {
      await this.act("reaction", {
        messageId: Number(b.dataset.id),
        emoji: b.dataset.react || null,
      });
    } else if (b.dataset.reply) this.setMode({ kind: "reply", id: Number(b.dataset.reply) });
    else if (b.dataset.edit) this.setMode({ kind: "edit", id: Number(b.dataset.edit) });
  }

  setMode(mode) {
    this.mode = mode;
    if (!mode) {
      this.bar.hidden = true;
      return;
    }
    const m = this.messages.find((x) => x.id === mode.id);
    const preview = m?.text ?? m?.media?.fileName ?? m?.media?.kind ?? "";
    $(".bar-text", this.root).textContent =
      (mode.kind === "reply" ? this.t.replyingTo : this.t.editing) + preview;
    this.bar.hidden = false;
    if (mode.kind === "edit") this.input.value = m?.text ?? "";
    this.input.focus();
  }

  click(event) {
    // A chat with the company: a client presses the account's buttons; no replies, edits or
    // reactions here.
    if (this.view.chat === "business") {
      const button = event.target.closest("button[data-data]");
      if (button && this.person.id !== this.business?.owner) {
        api("/api/business/button", {
          as: this.person.id,
          messageId: Number(button.dataset.message),
          data: button.dataset.data,
        }).catch((error) => this.toast(error.message));
      }
      return;
    }
    const button = event.target.closest("button[data-data]");
    if (button) {
      const press = { messageId: Number(button.dataset.message), data: button.dataset.data };
      if (this.inThread) this.actInStaff("button", press);
      else this.act("button", press);
      return;
    }
    const spoiler = event.target.closest(".spoiler");
    if (spoiler) spoiler.classList.toggle("shown");
    const opener = event.target.closest(".open-menu");
    if (opener) {
      const id = Number(opener.parentElement.dataset.id);
      const m = this.messages.find((x) => x.id === id);
      if (m) this.toggleMenu(this.messageMenu(m));
    }
  }

  toast(text) {
    const toast = $(".toast", this.root);
    toast.textContent = text;
    toast.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (toast.hidden = true), 3500);
  }

  async refresh() {
    if (this.refreshing) {
      this.again = true;
      return;
    }
    this.refreshing = true;
    try {
      do {
        this.again = false;
        const view = this.view;
        if (view.chat === "staff" && view.thread === undefined) await this.drawTopics();
        else if (view.chat === "business") await this.drawCompany(view);
        else await this.drawChat(view);
      } while (this.again);
    } finally {
      this.refreshing = false;
    }
  }

  /** The staff group's topic list. */
  async drawTopics() {
    const topics = await api("/api/staff/topics");
    if (this.view.chat !== "staff" || this.view.thread !== undefined) return;
    this.showParts({ topics: true });
    $(".thread-name", this.root).textContent = this.staff?.title ?? "";
    // Drawn again only when it changed, so a click is never lost to a redraw.
    const html = topicsHtml(topics, this.t);
    if (this.topicList.dataset.html !== html) {
      this.topicList.innerHTML = html;
      this.topicList.dataset.html = html;
      paint(this.topicList);
    }
  }

  /**
   * The company account: for its owner the list of the clients' chats (and the switch that
   * connects the bot), or one of them; for a client, their chat with the company.
   */
  async drawCompany(view) {
    const t = this.t;
    const owner = this.person.id === this.business?.owner;
    if (owner && view.client === undefined) {
      const company = await api("/api/business");
      if (view !== this.view) return;
      this.showParts({ topics: true });
      $(".thread-name", this.root).textContent = t.companyChats;
      const chats = company.chats.map((c) =>
        `<button type="button" class="topic" data-client="${c.client}"><span class="topic-icon"` +
        ` data-background="#6fb9f0"></span><span class="topic-text"><b class="topic-name">${
          escapeHtml(c.name)
        }</b><small>${c.last ? escapeHtml(c.last.text) : ""}</small></span>${
          c.last ? `<small class="topic-time">${timeOf(c.last.date, t.locale)}</small>` : ""
        }</button>`
      ).join("");
      const html =
        `<label class="switch company-switch"><input type="checkbox" class="company-on"${
          company.on ? " checked" : ""
        }> ${escapeHtml(t.companyOn)}</label>` +
        (chats || `<p class="muted">${escapeHtml(t.noCompanyChats)}</p>`);
      if (this.topicList.dataset.html !== html) {
        this.topicList.innerHTML = html;
        this.topicList.dataset.html = html;
        paint(this.topicList);
      }
      return;
    }
    const client = view.client ?? this.person.id;
    const messages = await api(`/api/business/chats/${client}?as=${this.person.id}`);
    if (view !== this.view) return;
    this.showParts({ thread: owner });
    $(".commands", this.root).hidden = true;
    $(".keyboard", this.root).hidden = true;
    if (owner) {
      const name = state.people.find((p) => p.id === client)?.name ?? String(client);
      $(".thread-name", this.root).textContent = name;
    }
    this.messages = messages;
    const html = groupAlbums(messages).map((parts) => messageHtml(parts, t)).join("");
    if (this.list.dataset.html !== html) {
      this.list.innerHTML = html;
      this.list.dataset.html = html;
      paint(this.list);
      this.list.scrollTop = this.list.scrollHeight;
    }
  }

  /** The chat with the bot, or a topic of the staff group. */
  async drawChat(view) {
    const id = this.person.id;
    const inThread = view.chat === "staff";
    const [chat, keyboard, commands] = await Promise.all([
      inThread
        ? api(`/api/staff/threads/${view.thread}?as=${id}`)
        : api(`/api/people/${id}/messages`),
      inThread ? null : api(`/api/people/${id}/keyboard`),
      api(`/api/people/${id}/commands${inThread ? "?in=staff" : ""}`),
    ]);
    if (view !== this.view) return;
    const messages = inThread ? chat.messages : chat;
    this.commands = commands;
    this.showParts({ thread: inThread, empty: !inThread && messages.length === 0 });
    $(".commands", this.root).hidden = commands.length === 0;
    this.drawKeyboard(keyboard);
    if (inThread) {
      $(".thread-name", this.root).textContent = `${chat.name ?? this.t.general}${
        chat.closed ? " 🔒" : ""
      }`;
      const pinned = $(".pinned", this.root);
      pinned.hidden = !chat.pinned;
      pinned.textContent = chat.pinned
        ? `📌 ${chat.pinned.text ?? chat.pinned.media?.kind ?? ""}`
        : "";
      pinned.title = pinned.textContent;
    }
    const atBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
    const grew = messages.length > this.messages.length;
    this.messages = messages;
    const html = groupAlbums(messages).map((parts) => messageHtml(parts, this.t)).join("");
    if (this.list.dataset.html !== html) {
      this.list.innerHTML = html;
      this.list.dataset.html = html;
      paint(this.list);
    }
    // New messages bring the chat to its end, as Telegram does; photos that load later too.
    if (atBottom || grew) {
      this.list.scrollTop = this.list.scrollHeight;
      for (const img of this.list.querySelectorAll("img")) {
        img.addEventListener("load", () => (this.list.scrollTop = this.list.scrollHeight));
      }
    }
  }

  /**
   * Which parts of the column show: the topic list, or a chat (a topic with its title bar and
   * pinned message); an empty chat with the bot has START instead of the text field.
   */
  showParts({ topics = false, thread = false, empty = false }) {
    const staff = this.view.chat === "staff" ||
      (this.view.chat === "business" && this.person.id === this.business?.owner);
    $(".subhead", this.root).hidden = !staff;
    // Only text goes to the company here: no 📎.
    $(".attach", this.root).hidden = this.view.chat === "business";
    $(".back", this.root).hidden = !thread;
    this.topicList.hidden = !topics;
    this.list.hidden = topics;
    if (!thread) $(".pinned", this.root).hidden = true;
    $(".composer", this.root).hidden = topics || empty;
    $(".start", this.root).hidden = !empty;
    if (topics) $(".keyboard", this.root).hidden = true;
  }

  /** The bot's reply keyboard under the text field; a button sends its text (or the contact). */
  drawKeyboard(keyboard) {
    const box = $(".keyboard", this.root);
    box.hidden = !keyboard;
    box.replaceChildren();
    for (const row of keyboard?.rows ?? []) {
      const line = document.createElement("div");
      line.className = "row";
      for (const b of row) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = b.text;
        button.addEventListener("click", () => {
          if (b.requestContact) {
            this.act("contact", { phone: this.phone(), keyboard: true });
          } else if (b.requestLocation) {
            this.sendLocation(true);
          } else this.act("text", { text: b.text, keyboard: true });
        });
        line.append(button);
      }
      box.append(line);
    }
  }

  /** Somewhere near the centre of Moscow or London, a little different each time. */
  sendLocation(fromKeyboard = false) {
    const [lat, lon] = this.person.language === "ru" ? [55.7539, 37.6208] : [51.5072, -0.1276];
    return this.act("location", {
      latitude: lat + Math.random() / 100,
      longitude: lon + Math.random() / 100,
      ...(fromKeyboard ? { keyboard: true } : {}),
    });
  }

  phone() {
    return `+7900${String(this.person.id).padStart(7, "0")}`;
  }

  setFaults(faults) {
    $(".block-box", this.root).checked = faults.blocked.includes(this.person.id);
  }
}

function applyPageLanguage() {
  const t = TEXTS[pageLanguage];
  document.documentElement.lang = pageLanguage;
  document.title = t.title;
  for (
    const [id, key] of [
      ["title", "title"],
      ["token-label", "tokenLabel"],
      ["copy-token", "copy"],
      ["flood-label", "flood"],
      ["fail-429", "fail429"],
      ["fail-502", "fail502"],
      ["add-person", "addPerson"],
      ["page-language", "otherLanguage"],
      ["log-title", "log"],
      ["add-title", "addTitle"],
      ["add-name-label", "addName"],
      ["add-role-label", "addRole"],
      ["add-language-label", "addLanguage"],
      ["add-cancel", "cancel"],
      ["add-ok", "add"],
    ]
  ) $(`#${id}`).textContent = t[key];
  $("#fail-429").title = t.fail429Title;
  $("#fail-502").title = t.fail502Title;
  $(".switch").title = t.floodTitle;
  $('#add-form option[value="client"]').textContent = t.client;
  $('#add-form option[value="agent"]').textContent = t.agent;
  showHint();
  if (state) showFaults(state.faults);
}

function showFaults(faults) {
  const t = TEXTS[pageLanguage];
  $("#flood").checked = faults.flood;
  for (const code of [429, 502]) {
    const button = $(`#fail-${code}`);
    const on = faults.failing?.code === code;
    button.classList.toggle("on", on);
    button.textContent = on ? t.failing(code, faults.failing.left) : t[`fail${code}`];
  }
  for (const panel of panels.values()) panel.setFaults(faults);
}

async function loadState() {
  state = await api("/api/state");
  $("#bot-name").textContent = `@${state.bot.username}`;
  $("#token").textContent = state.supportToken;
  for (const person of state.people) {
    let panel = panels.get(person.id);
    if (!panel) {
      panel = new Panel(person);
      panels.set(person.id, panel);
      $("#people").append(panel.root);
      panel.open({ chat: "bot" });
    }
    panel.setStaff(state.staff);
    panel.setBusiness(state.business);
  }
  // One column per person, side by side, however many there are.
  $("#people").style.setProperty("--columns", String(panels.size));
  showHint();
  showFaults(state.faults);
}

function showHint() {
  const t = TEXTS[pageLanguage];
  const hint = state?.mode === "team" ? t.teamHint : t.hint;
  $("#hint").textContent = hint;
  $("#hint").title = hint;
}

function logCall(event) {
  const calls = $("#calls");
  const item = document.createElement("span");
  const bad = event.status !== 200;
  item.className = bad ? "bad" : "";
  item.textContent = ` ${event.method}${event.chat ? `→${event.chat}` : ""} ${event.status}${
    event.description ? ` (${event.description})` : ""
  } ·`;
  calls.prepend(item);
  while (calls.childElementCount > 12) calls.lastElementChild.remove();
}

function listen() {
  const events = new EventSource("/api/events");
  events.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.type === "chat") {
      const panel = panels.get(event.person);
      if (panel?.view.chat === "bot") panel.refresh();
    } else if (event.type === "staff") {
      for (const panel of panels.values()) if (panel.view.chat === "staff") panel.refresh();
    } else if (event.type === "business") {
      for (const panel of panels.values()) if (panel.view.chat === "business") panel.refresh();
    } else if (event.type === "toast") panels.get(event.person)?.toast(event.text);
    else if (event.type === "people" || event.type === "faults") loadState();
    else if (event.type === "call") logCall(event);
  };
  // After a reconnect (the sandbox restarted, the laptop slept), draw everything again.
  events.onopen = () => {
    for (const panel of panels.values()) panel.refresh();
  };
}

$("#page-language").addEventListener("click", () => {
  pageLanguage = pageLanguage === "ru" ? "en" : "ru";
  localStorage.setItem("sandbox.language", pageLanguage);
  applyPageLanguage();
});
$("#copy-token").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(state.supportToken);
    $("#copy-token").textContent = TEXTS[pageLanguage].copied;
    setTimeout(() => ($("#copy-token").textContent = TEXTS[pageLanguage].copy), 1500);
  } catch {
    getSelection().selectAllChildren($("#token"));
  }
});
$("#flood").addEventListener(
  "change",
  (event) => api("/api/faults/flood", { on: event.target.checked }),
);
$("#fail-429").addEventListener("click", () => api("/api/faults/fail", { code: 429, count: 3 }));
$("#fail-502").addEventListener("click", () => api("/api/faults/fail", { code: 502, count: 3 }));
$("#add-person").addEventListener("click", () => $("#add-dialog").showModal());
$("#add-dialog").addEventListener("close", async () => {
  const dialog = $("#add-dialog");
  const form = $("#add-form");
  if (dialog.returnValue === "ok" && form.name.value.trim()) {
    await api("/api/people", {
      name: form.name.value,
      role: form.role.value,
      language: form.language.value,
    });
  }
  form.reset();
});

applyPageLanguage();
await loadState();
listen();
