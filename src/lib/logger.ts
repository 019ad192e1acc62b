/**
 * The one logger: one JSON line per event, so Workers Logs can filter on fields. Every line
 * carries a level, a message and the logger's context (a request id, a cron or queue run id).
 *
 * @example
 * const log = createLogger({ runId });
 * log.warn("chunk will be retried", { date, chunk });
 */
type LogLevel = "debug" | "info" | "warn" | "error";

export type LogFields = Record<string, unknown>;

export interface LogEntry extends LogFields {
  level: LogLevel;
  message: string;
}

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

export type LogSink = (entry: LogEntry) => void;

/** Errors and warnings go to stderr, so `wrangler tail` and local runs show them apart. */
const consoleSink: LogSink = (entry) => {
  const line = JSON.stringify(entry);
  if (entry.level === "error" || entry.level === "warn") console.error(line);
  else console.log(line);
};

export function createLogger(context: LogFields = {}, sink: LogSink = consoleSink): Logger {
  const write = (level: LogLevel) => (message: string, fields: LogFields = {}) =>
    sink({ level, message, ...context, ...fields });
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (fields) => createLogger({ ...context, ...fields }, sink),
  };
}
