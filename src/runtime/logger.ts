// One pino logger for the runtime: JSON lines when stderr is not a terminal (collectors parse
// them), pino-pretty on a terminal. Secrets never reach it: nothing logs a resolved secret, and
// the redact list catches the usual field names should one slip into an object.
import { pino, type Logger as PinoLogger } from "pino";

export type Logger = PinoLogger;

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const level = options.level ?? process.env.DTS_LOG_LEVEL ?? "info";
  const redact = { paths: ["password", "*.password", "sasl", "*.sasl", "secret", "*.secret"], censor: "[redacted]" };
  if (pretty) {
    return pino({ level, redact, transport: { target: "pino-pretty", options: { destination: 2, colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" } } });
  }
  return pino({ level, redact, base: { pid: process.pid } }, pino.destination({ dest: 2, sync: false }));
}
