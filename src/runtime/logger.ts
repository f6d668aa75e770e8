// One pino logger for the runtime: JSON lines when stderr is not a terminal (collectors parse
// them), pino-pretty on a terminal. Secrets never reach it: nothing logs a resolved secret, and
// the redact list catches the usual field names should one slip into an object.
import { pino, type LogFn, type Logger as PinoLogger } from "pino";
import { RuntimeError } from "./errors.js";
import { printableLines } from "./terminal-text.js";

export type Logger = PinoLogger;

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
}

export const logLevels = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/**
 * The level to log at: `level` when given, else DTS_LOG_LEVEL, else `fallback`. Checked here
 * because pino throws its own stack trace on an unknown level, and only once it is created.
 * `where` names what set the level, for the message.
 */
export function resolveLogLevel(level: string | undefined, fallback = "info", env: NodeJS.ProcessEnv = process.env): { level: string; problem: string | null } {
  const [value, where] = level !== undefined ? [level, "--log-level"] : env.DTS_LOG_LEVEL !== undefined && env.DTS_LOG_LEVEL !== "" ? [env.DTS_LOG_LEVEL, "DTS_LOG_LEVEL"] : [fallback, "the default"];
  const normal = value.trim().toLowerCase();
  if ((logLevels as readonly string[]).includes(normal)) return { level: normal, problem: null };
  return { level: fallback, problem: `${where} must be one of ${logLevels.join(", ")}; got "${value}"` };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const { level, problem } = resolveLogLevel(options.level);
  if (problem) throw new RuntimeError("config", `cannot log: ${problem}`, { hint: "set the log level to one of the names above" });
  const redact = { paths: ["password", "*.password", "sasl", "*.sasl", "secret", "*.secret"], censor: "[redacted]" };
  if (pretty) {
    // Messages may quote names from the server or the spec: escaped, so the terminal never obeys them.
    const hooks = {
      logMethod(this: PinoLogger, args: Parameters<LogFn>, method: LogFn) {
        method.apply(this, args.map((a) => (typeof a === "string" ? printableLines(a) : a)) as Parameters<LogFn>);
      },
    };
    return pino({ level, redact, hooks, transport: { target: "pino-pretty", options: { destination: 2, colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" } } });
  }
  return pino({ level, redact, base: { pid: process.pid } }, pino.destination({ dest: 2, sync: false }));
}
