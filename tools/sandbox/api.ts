/**
 * The page's server: the HTTP API and the live event stream (server-sent events) the
 * sandbox page talks to, on `127.0.0.1`. Each person's actions become updates pushed into the
 * emulator as that person (text, replies, edits, files, stickers, locations, contacts,
 * reactions, button presses); what the bot does comes back as events, read from the calls the
 * emulator records. Faults (a person blocking the bot, 429, 5xx, Telegram's flood limits) are
 * switched from here. In team mode the staff group's members (the agents and the admin) also
 * read and write its topics (`staff.ts`). The page's files come from `assets.ts`.
 *
 * | request                                   | does                                                  |
 * | ----------------------------------------- | ----------------------------------------------------- |
 * | `GET /api/state`                          | bot, support token, mode, people, faults              |
 * | `GET /api/events`                         | server-sent events (see {@link SandboxEvent})         |
 * | `POST /api/people`                        | `{name, role, language}`: a new person                |
 * | `GET /api/people/:id/messages`            | the person's chat, oldest first                       |
 * | `GET /api/people/:id/keyboard`            | the reply keyboard the bot set (or `null`)            |
 * | `GET /api/people/:id/commands?in=`        | the bot's menu they see (`in=staff`: in the group)    |
 * | `POST /api/people/:id/text`               | `{text, replyTo?, keyboard?}` (`keyboard`: a reply keyboard's button) |
 * | `POST /api/people/:id/edit`               | `{messageId, text}`                                   |
 * | `POST /api/people/:id/file`               | multipart `file` (1–10: an album), `caption?`, `asFile?`: photos or documents |
 * | `POST /api/people/:id/sticker`            | `{emoji}`                                             |
 * | `POST /api/people/:id/location`           | `{latitude, longitude}`                               |
 * | `POST /api/people/:id/contact`            | `{phone}`: the person shares their own number         |
 * | `POST /api/people/:id/reaction`           | `{messageId, emoji}` (`null`: take it off)            |
 * | `POST /api/people/:id/button`             | `{messageId, data}`: an inline button pressed         |
 * | `POST /api/people/:id/block`              | `{blocked}`: the person blocks (or unblocks) the bot  |
 * | `POST /api/faults/flood`                  | `{on}`: Telegram's flood limits on or off             |
 * | `POST /api/faults/fail`                   | `{code, count?}`: the bot's next sends fail (429, 5xx) |
 * | `GET /api/files/:fileId`                  | a file of a message, to open in a new tab             |
 * | `GET /api/staff/topics`                   | team mode: the staff group's topic list               |
 * | `GET /api/staff/threads/:thread?as=:id`   | a topic (0: General) as a member sees it              |
 * | `POST /api/staff/text`                    | `{as, thread, text, replyTo?}`: a member writes there |
 * | `POST /api/staff/edit`                    | `{as, messageId, text}`: a member edits their message |
 * | `POST /api/staff/button`                  | `{as, messageId, data}`: a member presses a button    |
 * | `POST /api/staff/file`                    | multipart `as`, `thread`, `file`, `caption?`          |
 * | `GET /api/business`                       | the company account: on or off, its clients' chats    |
 * | `GET /api/business/chats/:client?as=:id`  | a client's chat with the company, as `as` sees it     |
 * | `POST /api/business/text`                 | `{as, client?, text}`: a client or the owner writes   |
 * | `POST /api/business/connection`           | `{on}`: the owner turns the bot off or on             |
 * | `POST /api/business/button`               | `{as, messageId, data}`: a client presses a button    |
 *
 * Requests must name this server in `Host` (no DNS rebinding) and, when a browser sends an
 * `Origin`, come from the page itself; bodies of POSTs are JSON (or multipart for files).
 *
 * @module
 */
import type { ApiCall, FakeTelegram } from "../emulator/mod.ts";
import { serveAsset } from "./assets.ts";
import type { People, Person, Role } from "./people.ts";
import { GENERAL, type StaffGroup } from "./staff.ts";
import type { CompanyAccount } from "./business.ts";

/** The biggest file a person may send from the page (Telegram's bots get 20 MB). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** The emojis of the sticker menu. */
export const STICKERS = ["👍", "😂", "❤️", "🔥", "🙏", "😢", "🤔", "🎉"];

/** What the page's server needs. */
export interface SandboxContext {
  readonly tg: FakeTelegram;
  readonly people: People;
  /** The token agents send with `/register_support`, shown on the page. */
  readonly supportToken: string;
  /**
   * The desk's mode: `private` (agents answer in their chats with the bot) or `team` (they
   * answer in the topics of the staff group, {@link staff}).
   */
  readonly mode: "private" | "team";
  /** Team mode's staff group. */
  readonly staff?: StaffGroup;
  /** The company account (Telegram Business) connected to the bot: the admin's. */
  readonly company?: CompanyAccount;
}

/**
 * An event on the live stream: a person's chat changed, the staff group changed, people or
 * faults changed, a toast (a button's answer) for a person, a Bot API call of the bot.
 */
export type SandboxEvent =
  | { type: "chat"; person: number }
  | { type: "staff" }
  | { type: "business" }
  | { type: "people" }
  | { type: "faults" }
  | { type: "toast"; person: number; text: string }
  | { type: "call"; method: string; status: number; chat?: number; description?: string };

/** The page's server as a request handler, plus the event stream's listeners. */
export class SandboxApi {
  readonly #ctx: SandboxContext;
  readonly #streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  readonly #queries = new Map<string, number>();
  #flood = false;
  #blocked = new Set<number>();
  #failing: { code: number; left: number } | null = null;
  #encoder = new TextEncoder();
  #heartbeat: ReturnType<typeof setInterval>;

  constructor(ctx: SandboxContext) {
    this.#ctx = ctx;
    ctx.tg.onRecord = (call) => this.#observe(call);
    // A comment line now and then keeps proxies and the browser from closing an idle stream.
    this.#heartbeat = setInterval(() => this.#send(": keep-alive\n\n"), 15_000);
  }

  /** Ends the event streams. */
  close(): void {
    clearInterval(this.#heartbeat);
    for (const stream of this.#streams) {
      try {
        stream.close();
      } catch { /* already closed */ }
    }
    this.#streams.clear();
  }

  /** Sends `event` to every open page. */
  broadcast(event: SandboxEvent): void {
    this.#send(`data: ${JSON.stringify(event)}\n\n`);
  }

  #send(chunk: string): void {
    const bytes = this.#encoder.encode(chunk);
    for (const stream of this.#streams) {
      try {
        stream.enqueue(bytes);
      } catch {
        this.#streams.delete(stream);
      }
    }
  }

  #observe(call: ApiCall): void {
    if (call.method === "getUpdates") return;
    if (call.params.business_connection_id !== undefined) this.broadcast({ type: "business" });
    for (const person of this.#ctx.people.observe(call)) this.broadcast({ type: "chat", person });
    const chat = Number(call.params.chat_id);
    const staff = this.#ctx.staff;
    if (staff && chat === staff.id && call.ok) {
      const results = Array.isArray(call.result) ? call.result : [call.result];
      for (const r of results) {
        const id = (r as { message_id?: unknown } | null)?.message_id;
        if (typeof id === "number") staff.noteContent(id);
      }
      if (typeof call.params.message_id === "number") staff.noteContent(call.params.message_id);
      this.broadcast({ type: "staff" });
    }
    if (call.method === "answerCallbackQuery" && call.ok) {
      const id = String(call.params.callback_query_id);
      const person = this.#queries.get(id);
      this.#queries.delete(id);
      const text = call.params.text;
      if (person !== undefined && typeof text === "string" && text) {
        this.broadcast({ type: "toast", person, text });
      }
    }
    if (this.#failing && call.status === this.#failing.code) {
      if (--this.#failing.left <= 0) this.#failing = null;
      this.broadcast({ type: "faults" });
    }
    this.broadcast({
      type: "call",
      method: call.method,
      status: call.status,
      ...(Number.isSafeInteger(chat) ? { chat } : {}),
      ...(call.response && !call.response.ok ? { description: call.response.description } : {}),
    });
  }

  /** The state the page starts from. */
  state(): Record<string, unknown> {
    return {
      bot: { name: this.#ctx.tg.botUser.first_name, username: this.#ctx.tg.botUser.username },
      supportToken: this.#ctx.supportToken,
      mode: this.#ctx.mode,
      ...(this.#ctx.staff
        ? {
          staff: {
            id: this.#ctx.staff.id,
            title: this.#ctx.staff.title,
            members: this.#members().map((p) => p.id),
          },
        }
        : {}),
      people: this.#ctx.people.list(),
      ...(this.#ctx.company
        ? { business: { owner: this.#ctx.company.owner.id, on: this.#ctx.company.on } }
        : {}),
      stickers: STICKERS,
      faults: this.faults(),
    };
  }

  /** The people in the staff group: the agents and the admins. */
  #members(): Person[] {
    return this.#ctx.staff ? this.#ctx.people.list().filter((p) => p.role !== "client") : [];
  }

  /** The faults switched on. */
  faults(): Record<string, unknown> {
    return {
      flood: this.#flood,
      blocked: [...this.#blocked],
      failing: this.#failing ? { ...this.#failing } : null,
    };
  }

  /** Answers one request to the page's server. */
  async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const host = req.headers.get("host") ?? "";
    if (!/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host)) {
      return text(421, "This sandbox answers only on 127.0.0.1.");
    }
    const origin = req.headers.get("origin");
    if (origin !== null && origin !== `http://${host}`) {
      return text(403, "Requests from other sites are refused.");
    }
    try {
      if (!url.pathname.startsWith("/api/")) {
        if (req.method !== "GET" && req.method !== "HEAD") return text(405, "Method not allowed");
        return await serveAsset(url.pathname);
      }
      return await this.#route(req, url);
    } catch (error) {
      if (error instanceof HttpError) return json(error.status, { error: error.message });
      if (error instanceof RangeError) return json(400, { error: error.message });
      return json(500, { error: String((error as Error).message ?? error) });
    }
  }

  async #route(req: Request, url: URL): Promise<Response> {
    const path = url.pathname;
    const get = req.method === "GET";
    if (get && path === "/api/state") return json(200, this.state());
    if (get && path === "/api/events") return this.#events();
    const file = /^\/api\/files\/([^/]+)$/.exec(path);
    if (get && file) return await this.#file(decodeURIComponent(file[1]));
    const chat = /^\/api\/people\/(\d+)\/messages$/.exec(path);
    if (get && chat) {
      if (!this.#ctx.people.get(Number(chat[1]))) throw new HttpError(404, "no such person");
      return json(200, this.#ctx.people.messages(Number(chat[1])));
    }
    const keyboard = /^\/api\/people\/(\d+)\/keyboard$/.exec(path);
    if (get && keyboard) {
      if (!this.#ctx.people.get(Number(keyboard[1]))) throw new HttpError(404, "no such person");
      return json(200, this.#ctx.people.keyboard(Number(keyboard[1])));
    }
    const commands = /^\/api\/people\/(\d+)\/commands$/.exec(path);
    if (get && commands) {
      const person = this.#ctx.people.get(Number(commands[1]));
      if (!person) throw new HttpError(404, "no such person");
      const inStaff = url.searchParams.get("in") === "staff";
      if (inStaff && !this.#ctx.staff) throw new HttpError(404, "no staff group (team mode)");
      const chat = inStaff ? this.#ctx.staff!.id : person.id;
      return json(200, this.#ctx.tg.commandMenu(chat, this.#ctx.people.userOf(person)));
    }
    if (path.startsWith("/api/staff/")) return await this.#staff(req, url);
    if (path === "/api/business" || path.startsWith("/api/business/")) {
      return await this.#business(req, url);
    }
    if (req.method !== "POST") throw new HttpError(404, "no such API");
    if (path === "/api/people") {
      const body = await jsonBody(req);
      if (body.role === "admin") {
        throw new HttpError(
          400,
          "admins are fixed at start (the bot's ADMIN_IDS); add a client or an agent",
        );
      }
      const person = this.#ctx.people.add({
        name: String(body.name ?? ""),
        role: String(body.role ?? "client") as Role,
        language: String(body.language ?? "ru") as Person["language"],
      });
      // In team mode an agent is a member of the staff group: they join it.
      if (person.role === "agent") this.#ctx.staff?.addMember(this.#ctx.people.userOf(person));
      this.broadcast({ type: "people" });
      return json(201, person);
    }
    if (path === "/api/faults/flood") {
      const body = await jsonBody(req);
      this.#flood = body.on === true;
      if (this.#flood) this.#ctx.tg.enforceRateLimits();
      else this.#ctx.tg.disableRateLimits();
      this.broadcast({ type: "faults" });
      return json(200, this.faults());
    }
    if (path === "/api/faults/fail") {
      const body = await jsonBody(req);
      const code = Number(body.code);
      const count = body.count === undefined ? 3 : Number(body.count);
      if (![429, 500, 502, 503, 504].includes(code)) {
        throw new HttpError(400, "code must be 429, 500, 502, 503 or 504");
      }
      if (!Number.isInteger(count) || count < 1 || count > 100) {
        throw new HttpError(400, "count must be from 1 to 100");
      }
      this.#ctx.tg.failNext("*", { code, count, ...(code === 429 ? { retryAfter: 3 } : {}) });
      this.#failing = { code, left: count };
      this.broadcast({ type: "faults" });
      return json(200, this.faults());
    }
    const action = /^\/api\/people\/(\d+)\/([a-z]+)$/.exec(path);
    if (!action) throw new HttpError(404, "no such API");
    const person = this.#ctx.people.get(Number(action[1]));
    if (!person) throw new HttpError(404, "no such person");
    return await this.#act(person, action[2], req);
  }

  /** The company account: its chats, a client's or the owner's message, the connection. */
  async #business(req: Request, url: URL): Promise<Response> {
    const company = this.#ctx.company;
    if (!company) throw new HttpError(404, "no company account");
    const path = url.pathname;
    if (req.method === "GET" && path === "/api/business") {
      return json(200, { on: company.on, owner: company.owner.id, chats: company.chats() });
    }
    const chat = /^\/api\/business\/chats\/(\d+)$/.exec(path);
    if (req.method === "GET" && chat) {
      const client = Number(chat[1]);
      const as = Number(url.searchParams.get("as"));
      if (as !== client && as !== company.owner.id) {
        throw new HttpError(403, "only the client and the owner see this chat");
      }
      return json(200, company.messages(client, as));
    }
    if (req.method !== "POST") throw new HttpError(404, "no such API");
    const body = await jsonBody(req);
    if (path === "/api/business/connection") {
      company.setOn(body.on === true);
      this.broadcast({ type: "people" });
      return json(200, { on: company.on });
    }
    if (path === "/api/business/button") {
      const as = this.#ctx.people.get(Number(body.as));
      if (!as || as.role !== "client") {
        throw new HttpError(400, "only a client presses the company's buttons here");
      }
      try {
        const query = company.press(as, Number(body.messageId), String(body.data ?? ""));
        this.#queries.set(query, as.id);
      } catch (error) {
        if (error instanceof RangeError) throw new HttpError(400, error.message);
        throw error;
      }
      return json(200, { ok: true });
    }
    if (path === "/api/business/text") {
      const as = this.#ctx.people.get(Number(body.as));
      if (!as) throw new HttpError(404, "no such person");
      const text = String(body.text ?? "");
      if (!text.trim()) throw new HttpError(400, "text is empty");
      if (text.length > 4096) throw new HttpError(400, "text is longer than 4096 characters");
      const isOwner = as.id === company.owner.id;
      if (!isOwner && as.role !== "client") {
        throw new HttpError(400, "only clients write to the company here");
      }
      try {
        company.write(as, isOwner ? Number(body.client) : as.id, text);
      } catch (error) {
        if (error instanceof RangeError) throw new HttpError(404, "no such chat");
        throw error;
      }
      this.broadcast({ type: "business" });
      return json(200, { ok: true });
    }
    throw new HttpError(404, "no such API");
  }

  async #act(person: Person, action: string, req: Request): Promise<Response> {
    const { tg, people } = this.#ctx;
    const from = people.userOf(person);
    if (action === "file") return await this.#upload(person, req);
    const body = await jsonBody(req);
    let messageId: number | undefined;
    switch (action) {
      case "text": {
        const text = String(body.text ?? "");
        if (!text.trim()) throw new HttpError(400, "text is empty");
        if (text.length > 4096) throw new HttpError(400, "text is longer than 4096 characters");
        const replyTo = body.replyTo === undefined || body.replyTo === null
          ? undefined
          : Number(body.replyTo);
        messageId = replyTo !== undefined
          ? tg.sendReply(from, text, replyTo).message_id
          : tg.sendText(from, text).message_id;
        if (body.keyboard === true) people.keyboardUsed(person.id);
        break;
      }
      case "edit": {
        const id = Number(body.messageId);
        const text = String(body.text ?? "");
        const before = tg.messageIn(person.id, id);
        if (!before || (before.from as { id?: number })?.id !== person.id) {
          throw new HttpError(400, "only your own messages can be edited");
        }
        if (!text.trim()) throw new HttpError(400, "text is empty");
        tg.sendEdit(from, id, typeof before.text === "string" ? { text } : { caption: text });
        people.noteContent(person.id, id);
        break;
      }
      case "sticker": {
        const emoji = String(body.emoji ?? "");
        if (!STICKERS.includes(emoji)) throw new HttpError(400, "no such sticker");
        const fileId = `sandbox-sticker-${STICKERS.indexOf(emoji)}`;
        messageId = tg.sendMedia(from, "sticker", {
          extra: {
            sticker: {
              file_id: fileId,
              file_unique_id: `u-${fileId}`,
              type: "regular",
              width: 512,
              height: 512,
              is_animated: false,
              is_video: false,
              emoji,
            },
          },
        }).message_id;
        break;
      }
      case "location": {
        const latitude = Number(body.latitude);
        const longitude = Number(body.longitude);
        if (!(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180)) {
          throw new HttpError(400, "latitude or longitude out of range");
        }
        messageId = tg.sendMedia(from, "location", { extra: { location: { latitude, longitude } } })
          .message_id;
        if (body.keyboard === true) people.keyboardUsed(person.id);
        break;
      }
      case "contact": {
        const phone = String(body.phone ?? "").trim();
        if (!/^\+?[\d\s()-]{5,20}$/.test(phone)) throw new HttpError(400, "not a phone number");
        messageId = tg.sendContact(from, { phone }).message_id;
        if (body.keyboard === true) people.keyboardUsed(person.id);
        break;
      }
      case "reaction": {
        const id = Number(body.messageId);
        const emoji = body.emoji === null || body.emoji === undefined ? null : String(body.emoji);
        if (!tg.messageIn(person.id, id)) throw new HttpError(400, "no such message");
        tg.sendReaction(from, id, emoji);
        people.noteReaction(person.id, id, emoji);
        break;
      }
      case "button": {
        const id = Number(body.messageId);
        const data = String(body.data ?? "");
        const { callback_query_id } = tg.sendCallbackQuery(from, data, { messageId: id });
        this.#queries.set(callback_query_id, person.id);
        break;
      }
      case "block": {
        if (body.blocked === true) {
          this.#blocked.add(person.id);
          tg.blockChat(person.id);
        } else {
          this.#blocked.delete(person.id);
          tg.unblockChat(person.id);
        }
        this.broadcast({ type: "faults" });
        return json(200, this.faults());
      }
      default:
        throw new HttpError(404, "no such action");
    }
    if (messageId !== undefined) people.noteMessage(person.id, messageId);
    this.broadcast({ type: "chat", person: person.id });
    return json(200, { ok: true, ...(messageId !== undefined ? { messageId } : {}) });
  }

  /** The staff group's requests (team mode): its topics, a topic, a member writing there. */
  async #staff(req: Request, url: URL): Promise<Response> {
    const { tg, people } = this.#ctx;
    const staff = this.#ctx.staff;
    if (!staff) throw new HttpError(404, "no staff group: the sandbox runs in private mode");
    const path = url.pathname;
    if (req.method === "GET" && path === "/api/staff/topics") return json(200, staff.topics());
    const thread = /^\/api\/staff\/threads\/(\d+)$/.exec(path);
    if (req.method === "GET" && thread) {
      const view = staff.thread(Number(thread[1]), this.#member(url.searchParams.get("as")).id);
      if (!view) throw new HttpError(404, "no such topic");
      return json(200, view);
    }
    const action = /^\/api\/staff\/([a-z]+)$/.exec(path);
    if (req.method !== "POST" || !action) throw new HttpError(404, "no such API");
    if (action[1] === "file") return await this.#staffUpload(staff, req);
    const body = await jsonBody(req);
    const person = this.#member(body.as);
    const from = people.userOf(person);
    const options = (threadId: unknown) => {
      const n = Number(threadId ?? GENERAL);
      if (n !== GENERAL && !staff.thread(n, person.id)) throw new HttpError(400, "no such topic");
      return n === GENERAL ? {} : { threadId: n };
    };
    try {
      switch (action[1]) {
        case "text": {
          const text = String(body.text ?? "");
          if (!text.trim()) throw new HttpError(400, "text is empty");
          if (text.length > 4096) throw new HttpError(400, "text is longer than 4096 characters");
          const replyTo = body.replyTo === undefined || body.replyTo === null
            ? undefined
            : Number(body.replyTo);
          const sent = tg.sendGroupText(staff.id, from, text, {
            ...options(body.thread),
            ...(replyTo !== undefined ? { replyTo } : {}),
          });
          staff.noteContent(sent.message_id);
          this.broadcast({ type: "staff" });
          return json(200, { ok: true, messageId: sent.message_id });
        }
        case "edit": {
          const id = Number(body.messageId);
          const text = String(body.text ?? "");
          if (!text.trim()) throw new HttpError(400, "text is empty");
          const before = tg.messageIn(staff.id, id);
          if (!before || (before.from as { id?: number })?.id !== person.id) {
            throw new HttpError(400, "only your own messages can be edited");
          }
          tg.sendGroupEdit(
            staff.id,
            from,
            id,
            typeof before.text === "string" ? { text } : { caption: text },
          );
          staff.noteContent(id);
          break;
        }
        case "button": {
          const id = Number(body.messageId);
          const data = String(body.data ?? "");
          const { callback_query_id } = tg.sendCallbackQuery(from, data, {
            messageId: id,
            chatId: staff.id,
          });
          this.#queries.set(callback_query_id, person.id);
          break;
        }
        default:
          throw new HttpError(404, "no such action");
      }
    } catch (error) {
      // The emulator refuses what Telegram's app would not let a member do (a closed topic).
      if (error instanceof HttpError) throw error;
      throw new HttpError(400, (error as Error).message);
    }
    this.broadcast({ type: "staff" });
    return json(200, { ok: true });
  }

  /** The member of the staff group named by `as` (a person id). */
  #member(as: unknown): Person {
    const person = this.#members().find((p) => p.id === Number(as));
    if (!person) throw new HttpError(400, "as: not a member of the staff group");
    return person;
  }

  /** A member's photo or file in a topic of the staff group (one at a time). */
  async #staffUpload(staff: StaffGroup, req: Request): Promise<Response> {
    const length = Number(req.headers.get("content-length") ?? "0");
    if (length > MAX_UPLOAD_BYTES + 64 * 1024) throw new HttpError(413, "the file is over 20 MB");
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      throw new HttpError(400, "expected multipart/form-data with a file");
    }
    const person = this.#member(form.get("as"));
    const files = form.getAll("file").filter((f): f is File => f instanceof File);
    if (files.length !== 1) throw new HttpError(400, "one file at a time in the staff group");
    const [file] = files;
    if (file.size > MAX_UPLOAD_BYTES) throw new HttpError(413, "the file is over 20 MB");
    const threadId = Number(form.get("thread") ?? GENERAL);
    if (threadId !== GENERAL && !staff.thread(threadId, person.id)) {
      throw new HttpError(400, "no such topic");
    }
    const caption = String(form.get("caption") ?? "").trim().slice(0, 1024);
    const photo = form.get("asFile") !== "1" && /^image\/(jpeg|png|webp|gif)$/.test(file.type);
    let sent;
    try {
      sent = this.#ctx.tg.sendGroupMedia(
        staff.id,
        this.#ctx.people.userOf(person),
        photo ? "photo" : "document",
        {
          bytes: new Uint8Array(await file.arrayBuffer()),
          fileName: file.name || (photo ? "photo.jpg" : "file"),
          mimeType: file.type || "application/octet-stream",
          ...(caption ? { caption } : {}),
          ...(threadId !== GENERAL ? { threadId } : {}),
        },
      );
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    staff.noteContent(sent.message_id);
    this.broadcast({ type: "staff" });
    return json(200, { ok: true, messageId: sent.message_id });
  }

  /**
   * One file from disk as a photo (an image) or a document; several (up to 10) as an album, as
   * Telegram sends them: photos when all are images, else documents; the caption on the first.
   */
  async #upload(person: Person, req: Request): Promise<Response> {
    const length = Number(req.headers.get("content-length") ?? "0");
    if (length > MAX_UPLOAD_BYTES + 64 * 1024) throw new HttpError(413, "the files are over 20 MB");
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      throw new HttpError(400, "expected multipart/form-data with a file");
    }
    const files = form.getAll("file").filter((f): f is File => f instanceof File);
    if (files.length === 0) throw new HttpError(400, "no file");
    if (files.length > 10) throw new HttpError(400, "an album holds at most 10 files");
    if (files.reduce((sum, f) => sum + f.size, 0) > MAX_UPLOAD_BYTES) {
      throw new HttpError(413, "the files are over 20 MB");
    }
    const caption = String(form.get("caption") ?? "").trim().slice(0, 1024);
    const photos = form.get("asFile") !== "1" &&
      files.every((f) => /^image\/(jpeg|png|webp|gif)$/.test(f.type));
    const parts = await Promise.all(files.map(async (file, i) => ({
      kind: photos ? "photo" as const : "document" as const,
      bytes: new Uint8Array(await file.arrayBuffer()),
      fileName: file.name || (photos ? "photo.jpg" : "file"),
      mimeType: file.type || "application/octet-stream",
      ...(caption && i === 0 ? { caption } : {}),
    })));
    const { tg, people } = this.#ctx;
    const from = people.userOf(person);
    const pushed = parts.length === 1
      ? [tg.sendMedia(from, parts[0].kind, parts[0])]
      : tg.sendAlbum(from, parts);
    for (const part of pushed) people.noteMessage(person.id, part.message_id);
    this.broadcast({ type: "chat", person: person.id });
    return json(200, { ok: true, messageId: pushed[0].message_id, parts: pushed.length });
  }

  #events(): Response {
    let self: ReadableStreamDefaultController<Uint8Array> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        self = controller;
        this.#streams.add(controller);
        controller.enqueue(this.#encoder.encode("retry: 1000\n\n"));
      },
      cancel: () => {
        if (self) this.#streams.delete(self);
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
      },
    });
  }

  /** A file the emulator holds, fetched through its own Bot API (`getFile`, then the file). */
  async #file(fileId: string): Promise<Response> {
    const { tg } = this.#ctx;
    const info = await fetch(`${tg.apiRoot}/bot${tg.token}/getFile`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ file_id: fileId }),
    }).then((r) => r.json());
    if (!info.ok) throw new HttpError(404, "no such file");
    const path = String(info.result.file_path);
    const response = await fetch(`${tg.apiRoot}/file/bot${tg.token}/${path}`);
    if (!response.ok) {
      await response.body?.cancel();
      throw new HttpError(404, "no such file");
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    return new Response(bytes, {
      headers: {
        "content-type": contentTypeOf(path, bytes),
        // A history page is the bot's HTML: shown, but never allowed to run anything.
        "content-security-policy":
          "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'",
        "x-content-type-options": "nosniff",
        // A file id always names the same bytes: the page need not fetch a photo twice.
        "cache-control": "private, max-age=86400, immutable",
      },
    });
  }
}

/** The type a file is shown with in a new tab (a CSV as text, so the tab shows it). */
export function contentTypeOf(path: string, bytes: Uint8Array): string {
  const ext = path.includes(".") ? path.slice(path.lastIndexOf(".") + 1).toLowerCase() : "";
  const types: Record<string, string> = {
    txt: "text/plain; charset=utf-8",
    csv: "text/plain; charset=utf-8",
    json: "text/plain; charset=utf-8",
    html: "text/html; charset=utf-8",
    htm: "text/html; charset=utf-8",
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    gif: "image/gif",
    webp: "image/webp",
    pdf: "application/pdf",
  };
  if (types[ext]) return types[ext];
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return "image/jpeg";
  if (bytes[0] === 0x47 && bytes[1] === 0x49) return "image/gif";
  return "application/octet-stream";
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function jsonBody(req: Request): Promise<Record<string, unknown>> {
  if (!(req.headers.get("content-type") ?? "").startsWith("application/json")) {
    throw new HttpError(415, "send JSON (content-type: application/json)");
  }
  const text = await req.text();
  if (text.length > 64 * 1024) throw new HttpError(413, "body too large");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "the body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}
