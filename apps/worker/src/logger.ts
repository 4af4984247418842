import type { LogLevel } from "./env";

/**
 * One JSON object per line on stdout, in pino's shape (`level` as a number, `time`, `msg`), so
 * that the worker's logs read like the ingest service's (Fastify logs with pino) without
 * depending on it.
 */
export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
}

const LEVEL_NUMBERS: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

/** Errors do not survive JSON.stringify (their fields are not enumerable). */
function serialisable(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return {
    type: value.name,
    message: value.message,
    stack: value.stack,
    ...(value.cause === undefined ? {} : { cause: serialisable(value.cause) }),
  };
}

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const threshold = LEVEL_NUMBERS[level];
  const at =
    (name: Exclude<LogLevel, "silent" | "fatal" | "trace">) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      const number = LEVEL_NUMBERS[name];
      if (number < threshold) return;
      const entries = Object.entries(fields).map(([key, value]) => [key, serialisable(value)]);
      write(
        `${JSON.stringify({
          level: number,
          time: Date.now(),
          name: "plumbline-worker",
          msg,
          ...Object.fromEntries(entries),
        })}\n`,
      );
    };
  return { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") };
}

/** For tests and callers that do not log. */
export const silentLogger: Logger = createLogger("silent");
