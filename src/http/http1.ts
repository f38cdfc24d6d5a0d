/**
 * HTTP/1.1 on a TCP connection, as much of it as the bot's server needs (RFC 9112): reading
 * a request head and its body (`Content-Length` or chunked) from a buffer of bounded size,
 * and the head of an answer. Strict wherever leniency would let a request be read two ways
 * (request smuggling behind a proxy): a head with both `Content-Length` and
 * `Transfer-Encoding`, more than one length, a transfer coding other than `chunked`, folded
 * header lines, control characters (a bare CR or LF included) or whitespace before a colon
 * get 400.
 *
 * Why hand-written. `Deno.serve` parses HTTP itself, but has no timeout for a request head or
 * an idle keep-alive connection, no cap on connections and no say on how many it accepts at
 * once; when accepting fails with "Too many open files" the process ends. A slow or greedy
 * client could hold the webhook that way. The server (`server.ts`) therefore accepts one
 * connection at a time with `Deno.listen` and enforces every limit itself, which needs the
 * request read here, from bytes it controls. It is kept small (what a webhook and `/healthz`
 * need), strict, and tested on its own (`tests/http1_test.ts`, `tests/http_limits_test.ts`:
 * smuggling, slow heads and bodies, floods of connections).
 *
 * @module
 */
import { HttpError } from "./limits.ts";

/** The largest request head read (request line and header fields): beyond it, 431. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** The largest chunk-size or trailer line of a chunked body. */
const MAX_LINE_BYTES = 4 * 1024;
/** The most one read takes from the connection, and the largest piece of a body handed on. */
const PIECE_BYTES = 16 * 1024;

const CR = 13;
const LF = 10;

/** How a request's body is delimited. */
export type Framing =
  | { readonly kind: "none" }
  | { readonly kind: "length"; readonly length: number }
  | { readonly kind: "chunked" };

/** A parsed request head. */
export interface RequestHead {
  readonly method: string;
  /** The request target as sent: `/path?query`, an absolute URL, `*`… */
  readonly target: string;
  readonly headers: Headers;
  readonly framing: Framing;
  /** The client lets the connection stay open after the answer (HTTP/1.1, no `close`). */
  readonly keepAlive: boolean;
  /** `Expect: 100-continue`: the client sends the body only once told to. */
  readonly expectsContinue: boolean;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([\x21-\x7e\x80-\xff]+) HTTP\/1\.([01])$/;
/** Whether `value` holds a control character other than a tab, which no field value may. */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

/** Parses a request head: its bytes up to, not including, the empty line that ends it. */
export function parseHead(bytes: Uint8Array): RequestHead {
  const lines = latin1(bytes).split("\r\n");
  const requestLine = REQUEST_LINE.exec(lines[0]);
  if (requestLine === null) throw new HttpError(400, "malformed request line");
  const [, method, target, minor] = requestLine;
  const headers = new Headers();
  const lengths: string[] = [];
  const codings: string[] = [];
  const connection: string[] = [];
  let expect = "";
  for (let i = 1; i < lines.length; i++) {
    const field = lines[i];
    const colon = field.indexOf(":");
    // A name with whitespace in it or before the colon, or a folded line (leading
    // whitespace), is no token.
    const name = colon > 0 ? field.slice(0, colon) : "";
    if (!TOKEN.test(name)) throw new HttpError(400, "malformed header field");
    const value = field.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
    if (hasControl(value)) throw new HttpError(400, "malformed header field");
    headers.append(name, value);
    switch (name.toLowerCase()) {
      case "content-length":
        lengths.push(value);
        break;
      case "transfer-encoding":
        codings.push(...value.split(","));
        break;
      case "connection":
        connection.push(...value.split(","));
        break;
      case "expect":
        expect = value.toLowerCase();
    }
  }
  let framing: Framing = { kind: "none" };
  if (codings.length > 0) {
    const coding = codings.map((c) => c.trim().toLowerCase()).filter((c) => c !== "");
    if (lengths.length > 0 || minor === "0" || coding.length !== 1 || coding[0] !== "chunked") {
      throw new HttpError(400, "unsupported transfer coding");
    }
    framing = { kind: "chunked" };
  } else if (lengths.length > 0) {
    if (lengths.length > 1 || !/^\d{1,15}$/.test(lengths[0])) {
      throw new HttpError(400, "malformed content length");
    }
    const length = Number(lengths[0]);
    if (length > 0) framing = { kind: "length", length };
  }
  const close = connection.some((token) => token.trim().toLowerCase() === "close");
  return {
    method,
    target,
    headers,
    framing,
    keepAlive: minor === "1" && !close,
    expectsContinue: minor === "1" && expect === "100-continue",
  };
}

/** The head of an answer: status line, `fields`, and the framing fields of a `length`-byte body. */
export function answerHead(
  status: number,
  fields: Iterable<[string, string]>,
  length: number,
  close: boolean,
): Uint8Array {
  let head = `HTTP/1.1 ${status} ${REASONS[status] ?? ""}\r\n`;
  for (const [name, value] of fields) {
    if (!FRAMING_FIELDS.has(name.toLowerCase())) head += `${name}: ${value}\r\n`;
  }
  head += `content-length: ${length}\r\ndate: ${new Date().toUTCString()}\r\n`;
  if (close) head += "connection: close\r\n";
  return new TextEncoder().encode(`${head}\r\n`);
}

/** Fields the server writes itself. */
const FRAMING_FIELDS = new Set(["content-length", "transfer-encoding", "connection", "date"]);

const REASONS: Readonly<Record<number, string>> = {
  100: "Continue",
  200: "OK",
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  413: "Content Too Large",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/**
 * What a connection has sent and is not yet consumed, in a buffer of fixed size (twice the
 * largest head), read as needed. Every method reads only as much as it needs; reading fails
 * with the connection's error (it was reset, or closed by a timer).
 */
export class Input {
  readonly #conn: Deno.Conn;
  readonly #buffer = new Uint8Array(2 * MAX_HEAD_BYTES);
  #start = 0;
  #end = 0;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /**
   * The next request head (its bytes before the empty line that ends it), or `null` when the
   * connection ends before any of it. Empty lines before a request line are skipped (RFC 9112,
   * 2.2); a head longer than {@link MAX_HEAD_BYTES} fails with 431.
   */
  async head(): Promise<Uint8Array | null> {
    let scanned = 0;
    for (;;) {
      const buffer = this.#buffer;
      while (
        this.#end - this.#start >= 2 && buffer[this.#start] === CR &&
        buffer[this.#start + 1] === LF
      ) {
        this.#start += 2;
        scanned = 0;
      }
      const end = this.#find(this.#start + Math.max(0, scanned - 3), true);
      if (end - this.#start > MAX_HEAD_BYTES) throw new HttpError(431, "request head too large");
      if (end >= 0) {
        const head = buffer.slice(this.#start, end);
        this.#start = end + 4;
        return head;
      }
      scanned = this.#end - this.#start;
      // (Up to 3 bytes of the empty line may be in already.)
      if (scanned > MAX_HEAD_BYTES + 3) throw new HttpError(431, "request head too large");
      if (!await this.#fill()) {
        if (scanned === 0) return null;
        throw new HttpError(400, "request head cut off");
      }
    }
  }

  /** Up to `most` bytes of what comes next (a copy), or `null` at the end of the stream. */
  async some(most: number): Promise<Uint8Array | null> {
    if (this.#end === this.#start && !await this.#fill()) return null;
    const count = Math.min(most, this.#end - this.#start);
    const bytes = this.#buffer.slice(this.#start, this.#start + count);
    this.#start += count;
    return bytes;
  }

  /** The next line without its CRLF, at most `most` bytes long (else 400). */
  async line(most: number): Promise<string> {
    let scanned = 0;
    for (;;) {
      const end = this.#find(this.#start + Math.max(0, scanned - 1), false);
      if (end >= 0) {
        const line = latin1(this.#buffer.subarray(this.#start, end));
        this.#start = end + 2;
        if (line.length > most) break;
        return line;
      }
      scanned = this.#end - this.#start;
      // (The CR of the line's end may be in already.)
      if (scanned > most + 1) break;
      if (!await this.#fill()) throw new HttpError(400, "body cut off");
    }
    throw new HttpError(400, "malformed chunked body");
  }

  /** Where the next CRLF (CRLFCRLF with `double`) starts, from `from`; -1 if none yet. */
  #find(from: number, double: boolean): number {
    const buffer = this.#buffer;
    const last = this.#end - (double ? 4 : 2);
    for (let i = from; i <= last; i++) {
      if (buffer[i] === CR && buffer[i + 1] === LF) {
        if (!double) return i;
        if (buffer[i + 2] === CR && buffer[i + 3] === LF) return i;
      }
    }
    return -1;
  }

  /** Reads what the connection sends next into the buffer; `false` at its end. */
  async #fill(): Promise<boolean> {
    if (this.#start === this.#end) {
      this.#start = this.#end = 0;
    } else if (this.#end + PIECE_BYTES > this.#buffer.length) {
      this.#buffer.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
    }
    const read = await this.#conn.read(this.#buffer.subarray(this.#end));
    if (read === null) return false;
    this.#end += read;
    return true;
  }
}

/** Reads one request's body from an {@link Input}, piece by piece. */
export interface BodyReader {
  /** The next piece of the body, `null` at its end; 400 when it is cut off or malformed. */
  next(): Promise<Uint8Array | null>;
}

/** The reader of a body framed by `framing`. */
export function bodyReader(input: Input, framing: Framing): BodyReader {
  if (framing.kind === "chunked") return new ChunkedBody(input);
  let left = framing.kind === "length" ? framing.length : 0;
  return {
    async next() {
      if (left === 0) return null;
      const piece = await input.some(Math.min(left, PIECE_BYTES));
      if (piece === null) throw new HttpError(400, "body cut off");
      left -= piece.length;
      return piece;
    },
  };
}

/** A chunked body (RFC 9112, 7.1): chunk extensions are ignored, trailers read and dropped. */
class ChunkedBody implements BodyReader {
  readonly #input: Input;
  /** Bytes left of the chunk being read; -1 before the first chunk or after the last. */
  #left = -1;
  #done = false;

  constructor(input: Input) {
    this.#input = input;
  }

  async next(): Promise<Uint8Array | null> {
    const input = this.#input;
    while (!this.#done) {
      if (this.#left > 0) {
        const piece = await input.some(Math.min(this.#left, PIECE_BYTES));
        if (piece === null) throw new HttpError(400, "body cut off");
        this.#left -= piece.length;
        return piece;
      }
      // A chunk's data ends with CRLF.
      if (this.#left === 0 && await input.line(0) !== "") {
        throw new HttpError(400, "malformed chunked body");
      }
      const size = /^([0-9A-Fa-f]{1,12})[ \t]*(?:;.*)?$/.exec(await input.line(MAX_LINE_BYTES));
      if (size === null) throw new HttpError(400, "malformed chunked body");
      this.#left = parseInt(size[1], 16);
      if (this.#left === 0) {
        let trailers = 0;
        for (;;) {
          const line = await input.line(MAX_LINE_BYTES);
          if (line === "") break;
          trailers += line.length;
          if (trailers > MAX_HEAD_BYTES) throw new HttpError(400, "malformed chunked body");
        }
        this.#done = true;
      }
    }
    return null;
  }
}

/** Bytes as ISO-8859-1 text: what HTTP field values are, byte for byte. */
function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return text;
}
