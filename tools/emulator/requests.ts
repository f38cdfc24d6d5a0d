/**
 * The fake Bot API's wire format: reading an HTTP request (JSON body, urlencoded form,
 * multipart/form-data with uploads, GET query string) into parameters and files, decoding form
 * and query values the way Telegram reads them, and the answers: Bot API errors
 * ({@link FakeApiError}), JSON responses and a response whose connection drops.
 *
 * @module
 */

import type { ResponseParameters } from "grammy/types";

/** A file uploaded by the bot (multipart/form-data), as recorded in `ApiCall.files`. */
export interface RecordedFile {
  /** File name given in the multipart part. */
  filename: string;
  /** Content type given in the multipart part (grammY sends `application/octet-stream`). */
  mimeType: string;
  /** Raw bytes of the upload. */
  bytes: Uint8Array;
  /** The bytes decoded as UTF-8. */
  text(): string;
}

/** The body of a Bot API answer. */
export type ApiReply =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: ResponseParameters };

/** What a request carried: its decoded parameters and its uploads. */
export interface RequestData {
  params: Record<string, unknown>;
  files: Record<string, RecordedFile>;
}

/** Throw this from a method handler (`FakeTelegram.handle`) to answer with a Bot API error. */
export class FakeApiError extends Error {
  /** Creates an error answered as `{ ok: false, error_code, description, parameters }`. */
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
    /** A body to answer as it is, instead of Telegram's JSON (see `FailOptions.body`). */
    readonly rawBody?: string,
    /** The `content-type` of `rawBody` (`text/plain` unless given). */
    readonly contentType?: string,
  ) {
    super(`${code}: ${description}`);
    this.name = "FakeApiError";
  }
}

/** The answer body of a Bot API error. */
export function errorReply(e: FakeApiError): ApiReply {
  return {
    ok: false,
    error_code: e.code,
    description: e.description,
    ...(e.parameters ? { parameters: e.parameters } : {}),
  };
}

/** Telegram's description of an error `code` when a test gives none. */
export function defaultDescription(code: number, retryAfter?: number): string {
  switch (code) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 429:
      return `Too Many Requests: retry after ${retryAfter ?? 1}`;
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    default:
      return `Error ${code}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/** Whether `v` is a plain object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `v` as a number when it is one or a string of one, else `undefined`. */
export function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** `v` when it is a string, else `undefined`. */
export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

const NUMERIC_FIELDS = new Set([
  "chat_id",
  "from_chat_id",
  "message_id",
  "offset",
  "limit",
  "timeout",
  "message_thread_id",
  "reply_to_message_id",
  "user_id",
  "cache_time",
  "duration",
  "width",
  "height",
  "length",
  "latitude",
  "longitude",
  "horizontal_accuracy",
  "max_connections",
]);

const BOOLEAN_FIELDS = new Set([
  "disable_notification",
  "protect_content",
  "allow_sending_without_reply",
  "disable_web_page_preview",
  "disable_content_type_detection",
  "has_spoiler",
  "show_caption_above_media",
  "supports_streaming",
  "show_alert",
  "drop_pending_updates",
]);

/** Free-text fields never parsed as JSON even when they look like it. */
const TEXT_FIELDS = new Set([
  "text",
  "caption",
  "title",
  "performer",
  "description",
  "first_name",
  "last_name",
  "phone_number",
  "vcard",
  "emoji",
  "url",
  "file_id",
  "callback_query_id",
  "callback_data",
  "inline_message_id",
  "secret_token",
  "language_code",
  "action",
  "parse_mode",
  "caption_parse_mode",
]);

const decoder = new TextDecoder();

/** Decodes a string value of a form field or query parameter. */
function decodeValue(key: string, value: string): unknown {
  if (NUMERIC_FIELDS.has(key) && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (BOOLEAN_FIELDS.has(key) && (value === "true" || value === "false")) return value === "true";
  if (!TEXT_FIELDS.has(key) && /^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

function recordFile(file: File, bytes: Uint8Array): RecordedFile {
  return {
    filename: file.name,
    mimeType: file.type,
    bytes,
    text: () => decoder.decode(bytes),
  };
}

/** Reads the parameters and uploads of a Bot API request; throws on a body it cannot parse. */
export async function readRequest(req: Request, url: URL): Promise<RequestData> {
  const params: Record<string, unknown> = {};
  const files: Record<string, RecordedFile> = {};
  for (const [key, value] of url.searchParams) params[key] = decodeValue(key, value);
  if (req.method === "GET" || req.method === "HEAD") return { params, files };

  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    const form = await req.formData();
    const parts = new Map<string, RecordedFile>();
    for (const [key, value] of form.entries()) {
      if (typeof value === "string") params[key] = decodeValue(key, value);
      else parts.set(key, recordFile(value, new Uint8Array(await value.arrayBuffer())));
    }
    // grammY: field = "attach://<part>", file in part <part>; others put the File in the field.
    for (const [key, value] of Object.entries(params)) {
      if (typeof value !== "string" || !value.startsWith("attach://")) continue;
      const part = value.slice("attach://".length);
      const file = parts.get(part);
      if (file) {
        files[key] = file;
        parts.delete(part);
      }
    }
    for (const [name, file] of parts) files[name] = file;
  } else if (type.startsWith("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(await req.text())) {
      params[key] = decodeValue(key, value);
    }
  } else {
    const text = await req.text();
    if (text.trim() !== "") {
      const body: unknown = JSON.parse(text);
      if (!isRecord(body)) throw new Error("the JSON body is not an object");
      for (const [key, value] of Object.entries(body)) {
        params[key] = typeof value === "string" && NUMERIC_FIELDS.has(key)
          ? decodeValue(key, value)
          : value;
      }
    }
  }
  return { params, files };
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/** A JSON response with `status`. */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/**
 * A response that announces a body it never sends: the server closes the connection early and
 * the client's `fetch` body read fails ("error reading a body from connection"), which grammY
 * reports as an `HttpError`. (A stream that errors works too, but Deno logs the error.)
 */
export function droppedResponse(): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { "content-type": "application/json", "content-length": "64" },
  });
}
