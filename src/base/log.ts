/**
 * Logging: one line per event, readable text or JSON, to stderr. Callers pass an event
 * name and fields; never message texts or secrets.
 *
 * @module
 */

/** Severity of a log line. */
export type Level = "debug" | "info" | "warn" | "error";

const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Fields attached to a log line. */
export type Fields = Record<string, string | number | boolean | null | undefined>;

/** Writes log lines at or above a level. */
export interface Logger {
  debug(event: string, fields?: Fields): void;
  info(event: string, fields?: Fields): void;
  warn(event: string, fields?: Fields): void;
  error(event: string, fields?: Fields): void;
}

/** A logger writing to `write` (stderr by default). */
export function createLogger(
  level: Level = "info",
  format: "text" | "json" = "text",
  write: (line: string) => void = (line) => console.error(line),
): Logger {
  const emit = (at: Level, event: string, fields: Fields = {}) => {
    if (ORDER[at] < ORDER[level]) return;
    const time = new Date().toISOString();
    if (format === "json") {
      write(JSON.stringify({ time, level: at, event, ...fields }));
      return;
    }
    const rest = Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === "string" && /[\s"=]/.test(v) ? JSON.stringify(v) : v}`)
      .join(" ");
    write(`${time} ${at.toUpperCase().padEnd(5)} ${event}${rest ? ` ${rest}` : ""}`);
  };
  return {
    debug: (e, f) => emit("debug", e, f),
    info: (e, f) => emit("info", e, f),
    warn: (e, f) => emit("warn", e, f),
    error: (e, f) => emit("error", e, f),
  };
}

/** A logger that writes nothing. */
export const silentLogger: Logger = createLogger("error", "text", () => {});
