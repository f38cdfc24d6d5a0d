/**
 * A small HTTP/1.1 client for Bot API calls, written by hand on `Deno.connect` /
 * `Deno.connectTls`, in two shapes: {@link postJson}, a JSON body out and the answer's
 * status and bytes back, with no `Request` or `Response` (the bot's every JSON call,
 * `getUpdates` among them: `directCalls` in `client.ts`); and `fetch`'s (`httpFetch`), for
 * grammY's own client (`telegramFetch`), which hands anything but a string body to Deno's own
 * `fetch`. Both share the connections, the one retry and the errors below; the timeouts of
 * {@link postJson}'s calls are watched by one timer, not a timer per call.
 *
 * Why by hand: Deno's `fetch` costs about 0.15 ms more CPU per call, measured by
 * `tools/bench/http_client.ts` (a POST of a small JSON body to a local HTTP/1.1 server in
 * another process, calls 5 ms apart, keep-alive; December 2026, 2 shared cores at a load of
 * 3 to 5): ~0.44 ms per call through `fetch` against ~0.24–0.32 ms through this client
 * (0.13–0.19 ms less in paired blocks), and 0.09–0.13 ms less under grammY's `Api`. The bot
 * makes two calls per relayed message (the `getUpdates` that brings it, the send): in the
 * floor bench against the commit before, 1.05–1.17 ms of CPU per message at 200/s against
 * 1.33–1.48 ms (issue 26; `tools/bench/README.md`). `fetch` pays for its generality (the
 * `Request`/`Headers` objects, body streams, the resources and ops behind them, hyper's pool);
 * a Bot API call needs none of it: a string body out, a short JSON answer back.
 *
 * What goes to Deno's `fetch` instead, unchanged: a body that is not a string (grammY's
 * multipart uploads are streams), a `Request` as input, a method other than GET or POST, a
 * scheme other than `http:` and `https:`, and every call while a proxy is configured in the
 * environment (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, any case: Deno's `fetch` honours them
 * and `NO_PROXY`, and this client does not speak to proxies).
 *
 * Connections: a pool of idle keep-alive connections per origin (at most {@link IDLE_MAX}
 * kept, the most recently used taken first; one idle longer than {@link IDLE_MS} is closed,
 * when taken or when another call ends, no timer). A call takes an idle connection or opens
 * a new one, so a send never waits behind a `getUpdates` long poll holding another. An answer
 * with `Connection: close` (or HTTP/1.0 without keep-alive, or a body ending with the
 * connection, or bytes past the answer) closes it after.
 * Bodies: `Content-Length`, chunked, or up to the close; 1xx answers are skipped; an answer
 * larger than {@link BODY_MAX} is an error. TLS through `Deno.connectTls`, which trusts the
 * same roots as `fetch` (`DENO_TLS_CA_STORE`, `DENO_CERT`). No compression is asked for.
 *
 * The `AbortSignal` (grammY's timeout, polling's stop) and {@link postJson}'s timeout close the
 * connection and reject at once, with the signal's reason as `fetch` does. A network failure
 * rejects with a `TypeError` (grammY turns it into an `HttpError`, retried); the URL is never
 * in its message (it holds the bot's token).
 *
 * One retry, and only one kind: a request written on a REUSED idle connection whose answer
 * failed before a single byte of it was read, by a reset, a broken pipe or the end of the
 * stream, is sent once more on a fresh connection. That is a server that closed the idle
 * connection (its keep-alive timeout) while the request was on its way: HTTP/1.1 servers
 * close an idle connection only between answers and answer a request they act on, so the
 * request was not taken. The one case it cannot tell from that: a server that read the
 * request on a reused connection and died before a byte of answer; rare, and unknowable from
 * here (hyper, under `fetch`, retries only when it saw the close before writing). Any other
 * failure (a fresh connection, a timeout, any part of an answer read) is never retried here:
 * a send must never be done twice knowingly; the outbox decides what to try again, as it does
 * with `fetch`'s failures.
 *
 * @module
 */

/**
 * Idle connections kept per origin: as many as the outbox may have calls in flight (its
 * default concurrency), so that a burst does not close and reopen connections (a TLS
 * handshake each, to Telegram); in steady traffic a few are in use.
 */
export const IDLE_MAX = 64;
/** An idle connection older than this is closed rather than reused (ms). */
export const IDLE_MS = 30_000;
/** The largest answer accepted (bytes of its body). */
export const BODY_MAX = 64 * 1024 * 1024;
/** The largest head (status line and headers) accepted. */
const HEAD_MAX = 64 * 1024;
const READ_SIZE = 16 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const USER_AGENT = `Deno/${Deno.version.deno}`;

interface Connection {
  readonly conn: Deno.Conn;
  readonly key: string;
  /** Its reader, kept with its buffer from answer to answer. */
  readonly reader: Reader;
  /** When it went idle (ms, `performance.now()`), for {@link IDLE_MS}. */
  idleSince: number;
  closed: boolean;
}

const idle = new Map<string, Connection[]>();

/** Closes every idle connection (tests, shutdown). Calls in flight are not touched. */
export function closeIdleConnections(): void {
  for (const list of idle.values()) for (const c of list) close(c);
  idle.clear();
}

function close(c: Connection): void {
  if (c.closed) return;
  c.closed = true;
  try {
    c.conn.close();
  } catch {
    // already closed
  }
}

let proxied: boolean | undefined;

/** Whether a proxy is configured for Deno's `fetch` (then every call goes through `fetch`). */
function proxyConfigured(): boolean {
  if (proxied !== undefined) return proxied;
  proxied = false;
  for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]) {
    for (const variant of [name, name.toLowerCase()]) {
      try {
        if ((Deno.env.get(variant) ?? "") !== "") proxied = true;
      } catch {
        // no permission to read it: Deno's fetch cannot either
      }
    }
  }
  return proxied;
}

/** A network failure, as `fetch` reports one, without the URL (it holds the token). */
function networkError(origin: string, cause: unknown): TypeError {
  const said = cause instanceof Error ? cause.message : String(cause);
  return new TypeError(`error sending request to ${origin}: ${said}`, { cause });
}

/** The abort's reason, as `fetch` rejects with it. */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The signal has been aborted", "AbortError");
}

/** `fetch` in shape: see the module's comment for what it handles and what goes to `fetch`. */
export function httpFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const body = init?.body;
  const method = (init?.method ?? "GET").toUpperCase();
  if (
    input instanceof Request || (body !== undefined && body !== null && typeof body !== "string") ||
    (method !== "GET" && method !== "POST") || (method === "GET" && typeof body === "string") ||
    proxyConfigured()
  ) return fetch(input, init);
  const url = typeof input === "string" ? new URL(input) : input;
  if (url.protocol !== "http:" && url.protocol !== "https:") return fetch(input, init);
  return request(url, method, typeof body === "string" ? body : undefined, init).then(toResponse);
}

/** An answer as read: its status, headers and whole body. */
export interface Answer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: [string, string][];
  readonly body: Uint8Array | null;
}

function toResponse(answer: Answer): Response {
  return new Response(answer.body as Uint8Array<ArrayBuffer> | null, {
    status: answer.status,
    statusText: answer.statusText,
    headers: answer.headers,
  });
}

/** Where {@link postJson} sends: one origin, parsed once. */
export interface Origin {
  readonly tls: boolean;
  readonly hostname: string;
  readonly port: number;
  /** The `host` header. */
  readonly host: string;
  /** `scheme://host:port`: the pool's key, and the name in network errors. */
  readonly key: string;
  /** The path every call's own is appended to (no trailing slash). */
  readonly base: string;
}

/**
 * `root` (an `http:` or `https:` URL) as an {@link Origin}; `undefined` for any other scheme,
 * or while a proxy is configured (then calls must go through `fetch`).
 */
export function originOf(root: string): Origin | undefined {
  if (proxyConfigured()) return undefined;
  const url = new URL(root);
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  return originOfUrl(url, url.pathname.replace(/\/$/, ""));
}

function originOfUrl(url: URL, base = ""): Origin {
  const tls = url.protocol === "https:";
  return {
    tls,
    hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === "" ? (tls ? 443 : 80) : Number(url.port),
    host: url.host,
    key: `${url.protocol}//${url.host}`,
    base,
  };
}

/**
 * A call's end before its answer (an abort, a timeout): lighter than an `AbortController`,
 * whose events cost more than the rest of a call's bookkeeping.
 */
class Cancel {
  /** Why the call ended; set once it did. */
  reason: unknown = undefined;
  fired = false;
  #hooks: (() => void)[] = [];

  /** Runs `hook` when the call is cancelled (at once if it was). */
  on(hook: () => void): void {
    if (this.fired) hook();
    else this.#hooks.push(hook);
  }

  fire(reason: unknown): void {
    if (this.fired) return;
    this.fired = true;
    this.reason = reason;
    for (const hook of this.#hooks) hook();
    this.#hooks = [];
  }
}

/**
 * POSTs the JSON text `body` to `path` under `origin` and reads the answer, with no `Request`,
 * `Headers` or `Response` made on the way (what a Bot API call of the outbox or of polling
 * needs; `client.ts`). Past `timeoutMs` the connection is closed and the call rejects with a
 * `TypeError`; the `signal` rejects it with its reason. Connections, the one retry and the
 * errors are {@link httpFetch}'s.
 */
export function postJson(
  origin: Origin,
  path: string,
  body: string,
  signal?: AbortSignal,
  timeoutMs?: number,
): Promise<Answer> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const bytes = requestOf(origin, path, body);
  if (signal === undefined && timeoutMs === undefined) return send(origin, bytes, undefined);
  const cancel = new Cancel();
  if (timeoutMs === undefined) return cancellable(origin, bytes, cancel, signal);
  const due: Due = {
    at: performance.now() + timeoutMs,
    cancel,
    error: () => new TypeError(`no answer from ${origin.key} in ${timeoutMs} ms`),
  };
  watch(due);
  return cancellable(origin, bytes, cancel, signal, due);
}

/**
 * The bytes of {@link postJson}'s request, made in one buffer: the head, whose characters are
 * ASCII (a URL's path and host, as `URL` gives them), then the body's UTF-8, counted first. A
 * request used to be three (the head's, the body's, the two joined): each `ArrayBuffer` costs
 * V8 and the collector more than the bytes in it.
 */
export function requestOf(origin: Origin, path: string, body: string): Uint8Array {
  const length = utf8Length(body);
  const head = `POST ${origin.base}${path} HTTP/1.1\r\nhost: ${origin.host}\r\n` +
    `content-type: application/json\r\naccept: */*\r\nuser-agent: ${USER_AGENT}\r\n` +
    `content-length: ${length}\r\n\r\n`;
  const bytes = new Uint8Array(head.length + length);
  const { written } = encoder.encodeInto(head, bytes);
  if (written !== head.length) throw new TypeError("a request line that is not ASCII");
  encoder.encodeInto(body, bytes.subarray(written));
  return bytes;
}

/**
 * How many bytes `text` takes in UTF-8, as `TextEncoder` writes it (a lone surrogate becomes
 * U+FFFD, three bytes).
 */
export function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    // two bytes, or three (a lone surrogate's U+FFFD too); a pair: two units, four bytes
    n += c < 0x800 ? 1 : 2;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return n;
}

/** A call's deadline, watched by {@link sweep}. */
interface Due {
  readonly at: number;
  readonly cancel: Cancel;
  readonly error: () => unknown;
}

/**
 * The deadlines of {@link postJson}'s calls in flight, watched by one timer set for the
 * earliest (a timer set and cleared per call cost more than the rest of a call's bookkeeping).
 * A new call's deadline is nearly always later than one already watched (a send's 120 s after
 * a long poll's), so the timer is seldom moved; when it fires it looks at them all and is set
 * for the next. An idle bot wakes for it about once a long poll.
 */
const dues = new Set<Due>();
let timer: ReturnType<typeof setTimeout> | undefined;
/** When {@link timer} fires (`performance.now()`), or `Infinity` when it is not set. */
let armedAt = Infinity;

function watch(due: Due): void {
  dues.add(due);
  if (due.at < armedAt) arm(due.at);
}

function arm(at: number): void {
  clearTimeout(timer);
  armedAt = at;
  timer = setTimeout(sweep, Math.max(0, at - performance.now()));
  // The calls themselves keep the process alive; their deadlines need not.
  Deno.unrefTimer(Number(timer));
}

function sweep(): void {
  timer = undefined;
  armedAt = Infinity;
  const now = performance.now();
  let next = Infinity;
  for (const due of dues) {
    if (due.at > now) {
      next = Math.min(next, due.at);
      continue;
    }
    dues.delete(due);
    due.cancel.fire(due.error());
  }
  if (next < Infinity) arm(next);
}

/**
 * The calls in flight under each caller's signal (the poller's, say): one listener per
 * signal for as long as it lives, rather than one added and removed per call.
 */
const following = new WeakMap<AbortSignal, Set<Cancel>>();

function follow(signal: AbortSignal, cancel: Cancel): Set<Cancel> {
  let calls = following.get(signal);
  if (calls === undefined) {
    const set = calls = new Set<Cancel>();
    following.set(signal, set);
    signal.addEventListener("abort", () => {
      for (const call of set) call.fire(abortReason(signal));
      set.clear();
    }, { once: true });
  }
  calls.add(cancel);
  return calls;
}

/**
 * Sends with `cancel` (and `signal`, if any, firing it): rejects at once when it fires, even
 * while a connect is still under way; the work behind it then ends on the closed connection.
 * Its deadline (`due`), if any, is forgotten when the call ends.
 */
function cancellable(
  origin: Origin,
  bytes: Uint8Array,
  cancel: Cancel,
  signal: AbortSignal | undefined,
  due?: Due,
): Promise<Answer> {
  const calls = signal === undefined ? undefined : follow(signal, cancel);
  const ended = () => {
    calls?.delete(cancel);
    if (due !== undefined) dues.delete(due);
  };
  return new Promise<Answer>((resolve, reject) => {
    cancel.on(() => {
      ended();
      reject(cancel.reason);
    });
    send(origin, bytes, cancel).then((answer) => {
      ended();
      resolve(answer);
    }, (error) => {
      ended();
      reject(error);
    });
  });
}

function requestBytes(url: URL, method: string, body: string | undefined, init?: RequestInit) {
  let head = `${method} ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n`;
  let type = false;
  let accept = false;
  let agent = false;
  const headers = init?.headers;
  if (headers !== undefined) {
    const pairs: Iterable<[string, string]> = headers instanceof Headers || Array.isArray(headers)
      ? (headers as Iterable<[string, string]>)
      : Object.entries(headers);
    for (const [rawName, value] of pairs) {
      const name = rawName.toLowerCase();
      if (
        name === "host" || name === "connection" || name === "content-length" ||
        name === "transfer-encoding" || name === "keep-alive"
      ) continue;
      if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) {
        throw new TypeError(`invalid header: ${name}`);
      }
      if (name === "content-type") type = true;
      else if (name === "accept") accept = true;
      else if (name === "user-agent") agent = true;
      head += `${name}: ${value}\r\n`;
    }
  }
  if (!accept) head += "accept: */*\r\n";
  if (!agent) head += `user-agent: ${USER_AGENT}\r\n`;
  if (body !== undefined) {
    if (!type) head += "content-type: text/plain;charset=UTF-8\r\n";
    const bytes = encoder.encode(body);
    head += `content-length: ${bytes.length}\r\n\r\n`;
    const start = encoder.encode(head);
    const all = new Uint8Array(start.length + bytes.length);
    all.set(start);
    all.set(bytes, start.length);
    return all;
  }
  if (method === "POST") head += "content-length: 0\r\n";
  return encoder.encode(head + "\r\n");
}

function request(
  url: URL,
  method: string,
  body: string | undefined,
  init?: RequestInit,
): Promise<Answer> {
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const bytes = requestBytes(url, method, body, init);
  const origin = originOfUrl(url);
  if (signal === undefined) return send(origin, bytes, undefined);
  return cancellable(origin, bytes, new Cancel(), signal);
}

async function send(
  origin: Origin,
  bytes: Uint8Array,
  cancel: Cancel | undefined,
): Promise<Answer> {
  const { tls, hostname, port, key } = origin;
  let current: Connection | undefined;
  let aborted = false;
  let ended = false;
  cancel?.on(() => {
    // After the answer, the connection may be back in the pool: not this call's any more.
    if (ended) return;
    aborted = true;
    if (current !== undefined) close(current);
  });
  try {
    for (let attempt = 0;; attempt++) {
      let reused = false;
      const c = attempt === 0 ? take(key) : undefined;
      try {
        if (c !== undefined) {
          reused = true;
          current = c;
        } else {
          const conn = tls
            ? await Deno.connectTls({ hostname, port })
            : await Deno.connect({ hostname, port });
          current = { conn, key, reader: new Reader(conn), idleSince: 0, closed: false };
          if (aborted) close(current);
        }
        const answer = await exchange(current, bytes);
        if (answer.keepAlive && !aborted) release(current);
        else close(current);
        return answer.answer;
      } catch (error) {
        if (current !== undefined) close(current);
        if (aborted && cancel !== undefined) throw cancel.reason;
        if (error instanceof Answered) throw networkError(key, error.cause);
        if (reused && attempt === 0 && isIdleClose(error)) continue;
        throw networkError(key, error);
      }
    }
  } finally {
    ended = true;
  }
}

/** An idle connection of `key` fit for reuse, or `undefined`. */
function take(key: string): Connection | undefined {
  const list = idle.get(key);
  if (list === undefined) return undefined;
  const now = performance.now();
  for (let c = list.pop(); c !== undefined; c = list.pop()) {
    if (now - c.idleSince <= IDLE_MS) return c;
    close(c);
  }
  return undefined;
}

function release(c: Connection): void {
  const now = performance.now();
  c.idleSince = now;
  let list = idle.get(c.key);
  if (list === undefined) idle.set(c.key, list = []);
  list.push(c);
  // the least recently used first: too many, or idle too long, are closed (no timer needed)
  while (list.length > IDLE_MAX || now - list[0].idleSince > IDLE_MS) close(list.shift()!);
}

/** A failure after part of the answer was read: never retried. */
class Answered extends Error {
  constructor(cause: unknown) {
    super("the answer broke off", { cause });
  }
}

/** The end of the stream, before any byte of an answer. */
class NoAnswer extends Error {
  constructor() {
    super("the connection was closed before an answer");
  }
}

function isIdleClose(error: unknown): boolean {
  return error instanceof NoAnswer || error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.BrokenPipe || error instanceof Deno.errors.UnexpectedEof ||
    error instanceof Deno.errors.ConnectionAborted;
}

/** Reads from a connection, its leftover bytes first; `null` at the end of the stream. */
class Reader {
  #buf: Uint8Array;
  #start = 0;
  #end = 0;
  /** Bytes of the answer read so far (any). */
  got = 0;

  constructor(private readonly conn: Deno.Conn) {
    this.#buf = new Uint8Array(READ_SIZE);
  }

  /** Starts an answer (a connection is kept only with nothing read past its last one). */
  begin(): void {
    if (this.#buf.length > READ_SIZE && this.#start === this.#end) {
      this.#buf = new Uint8Array(READ_SIZE); // a large answer's buffer is not kept idle
      this.#start = this.#end = 0;
    }
    this.got = this.buffered;
  }

  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Reads more into the buffer; false at the end of the stream. */
  async fill(): Promise<boolean> {
    if (this.#start > 0 && this.#start === this.#end) this.#start = this.#end = 0;
    if (this.#end === this.#buf.length) {
      const live = this.#end - this.#start;
      const size = live * 2 > this.#buf.length ? this.#buf.length * 2 : this.#buf.length;
      const next = new Uint8Array(size);
      next.set(this.#buf.subarray(this.#start, this.#end));
      this.#buf = next;
      this.#start = 0;
      this.#end = live;
    }
    const n = await this.conn.read(this.#buf.subarray(this.#end));
    if (n === null) return false;
    this.#end += n;
    this.got += n;
    return true;
  }

  /** The index of `\r\n\r\n` ending a head in the buffer, or -1. */
  headEnd(from: number): number {
    const b = this.#buf;
    for (let i = this.#start + from; i + 3 < this.#end; i++) {
      if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) {
        return i - this.#start;
      }
    }
    return -1;
  }

  /** The index of `\r\n` in the buffer, or -1. */
  lineEnd(): number {
    const b = this.#buf;
    for (let i = this.#start; i + 1 < this.#end; i++) {
      if (b[i] === 13 && b[i + 1] === 10) return i - this.#start;
    }
    return -1;
  }

  /** Takes `n` buffered bytes as text (UTF-8), decoded where they lie. */
  text(n: number): string {
    const text = decoder.decode(this.#buf.subarray(this.#start, this.#start + n));
    this.#start += n;
    return text;
  }

  /** Takes `n` buffered bytes (a copy). */
  take(n: number): Uint8Array {
    const out = this.#buf.slice(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  skip(n: number): void {
    this.#start += n;
  }

  /** Reads exactly `n` bytes into `into` at `at`, buffered ones first. */
  async readInto(into: Uint8Array, at: number, n: number): Promise<void> {
    const have = Math.min(this.buffered, n);
    into.set(this.#buf.subarray(this.#start, this.#start + have), at);
    this.#start += have;
    let done = have;
    while (done < n) {
      const m = await this.conn.read(into.subarray(at + done, at + n));
      if (m === null) throw new Deno.errors.UnexpectedEof("the answer's body was cut short");
      done += m;
      this.got += m;
    }
  }
}

interface Head {
  readonly version: string;
  readonly status: number;
  readonly statusText: string;
  readonly headers: [string, string][];
}

function parseHead(text: string): Head {
  const lines = text.split("\r\n");
  const match = /^HTTP\/(1\.[01]) (\d{3})(?: (.*))?$/.exec(lines[0]);
  if (match === null) throw new Deno.errors.InvalidData("not an HTTP/1.x answer");
  const headers: [string, string][] = [];
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(":");
    if (colon <= 0) throw new Deno.errors.InvalidData("a malformed header line");
    headers.push([lines[i].slice(0, colon).trim().toLowerCase(), lines[i].slice(colon + 1).trim()]);
  }
  return { version: match[1], status: Number(match[2]), statusText: match[3] ?? "", headers };
}

function header(head: Head, name: string): string | undefined {
  let found: string | undefined;
  const headers = head.headers;
  // Three lookups an answer: by index, no iterator made per pair.
  for (let i = 0; i < headers.length; i++) {
    const pair = headers[i];
    if (pair[0] === name) found = found === undefined ? pair[1] : `${found}, ${pair[1]}`;
  }
  return found;
}

/** Writes the request and reads its answer (1xx skipped). */
async function exchange(
  c: Connection,
  bytes: Uint8Array,
): Promise<{ answer: Answer; keepAlive: boolean }> {
  for (let done = 0; done < bytes.length;) done += await c.conn.write(bytes.subarray(done));
  const reader = c.reader;
  reader.begin();
  try {
    for (;;) {
      let end = reader.headEnd(0);
      while (end < 0) {
        if (reader.buffered > HEAD_MAX) {
          throw new Deno.errors.InvalidData("the answer's head is too long");
        }
        const scanned = Math.max(0, reader.buffered - 3);
        if (!(await reader.fill())) {
          if (reader.got === 0) throw new NoAnswer();
          throw new Deno.errors.UnexpectedEof("the answer was cut short");
        }
        end = reader.headEnd(scanned);
      }
      const head = parseHead(reader.text(end));
      reader.skip(4);
      if (head.status >= 100 && head.status < 200) {
        if (head.status === 101) throw new Deno.errors.InvalidData("an unexpected protocol switch");
        continue;
      }
      return await readBody(reader, head);
    }
  } catch (error) {
    if (reader.got > 0 && !(error instanceof Answered)) throw new Answered(error);
    throw error;
  }
}

async function readBody(
  reader: Reader,
  head: Head,
): Promise<{ answer: Answer; keepAlive: boolean }> {
  const connection = (header(head, "connection") ?? "").toLowerCase();
  let keepAlive = head.version === "1.1"
    ? !/\bclose\b/.test(connection)
    : /\bkeep-alive\b/.test(connection);
  const encoding = (header(head, "transfer-encoding") ?? "").toLowerCase();
  const length = header(head, "content-length");
  let body: Uint8Array | null;
  if (head.status === 204 || head.status === 304) {
    body = null;
  } else if (encoding !== "") {
    if (!/(^|,)\s*chunked\s*$/.test(encoding)) {
      throw new Deno.errors.InvalidData(`an unsupported transfer encoding: ${encoding}`);
    }
    body = await readChunked(reader);
  } else if (length !== undefined) {
    if (!/^\d+$/.test(length)) throw new Deno.errors.InvalidData("a malformed content-length");
    const n = Number(length);
    if (n > BODY_MAX) throw new Deno.errors.InvalidData("the answer is too large");
    body = new Uint8Array(n);
    await reader.readInto(body, 0, n);
  } else {
    keepAlive = false;
    body = await readToEnd(reader);
  }
  // bytes past the answer (no sane server sends them): the connection is not trusted again
  if (reader.buffered > 0) keepAlive = false;
  if (head.status < 200 || head.status > 599) {
    throw new Deno.errors.InvalidData(`an unexpected status ${head.status}`);
  }
  const answer = { status: head.status, statusText: head.statusText, headers: head.headers, body };
  return { answer, keepAlive };
}

function join(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function readLine(reader: Reader): Promise<string> {
  let end = reader.lineEnd();
  while (end < 0) {
    if (reader.buffered > HEAD_MAX) throw new Deno.errors.InvalidData("a chunk line is too long");
    if (!(await reader.fill())) throw new Deno.errors.UnexpectedEof("the answer was cut short");
    end = reader.lineEnd();
  }
  const line = reader.text(end);
  reader.skip(2);
  return line;
}

async function readChunked(reader: Reader): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const line = await readLine(reader);
    const size = parseInt(line.split(";")[0].trim(), 16);
    if (!Number.isFinite(size) || size < 0) {
      throw new Deno.errors.InvalidData("a malformed chunk size");
    }
    if (size === 0) break;
    total += size;
    if (total > BODY_MAX) throw new Deno.errors.InvalidData("the answer is too large");
    const part = new Uint8Array(size);
    await reader.readInto(part, 0, size);
    parts.push(part);
    if ((await readLine(reader)) !== "") throw new Deno.errors.InvalidData("a malformed chunk");
  }
  while ((await readLine(reader)) !== "") {
    // trailers: ignored
  }
  return join(parts, total);
}

async function readToEnd(reader: Reader): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    if (reader.buffered > 0) {
      total += reader.buffered;
      if (total > BODY_MAX) throw new Deno.errors.InvalidData("the answer is too large");
      parts.push(reader.take(reader.buffered));
    }
    if (!(await reader.fill())) break;
  }
  return join(parts, total);
}
