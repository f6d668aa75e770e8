// The shape every `dts` subcommand implements, so main.ts can dispatch over a plain table.

/** Exit codes shared by every command. */
export const ExitCode = {
  ok: 0,
  /** The input was read but is wrong (diagnostics, failed checks, stale formatting). */
  failure: 1,
  /** The command line itself is wrong: unknown flag, missing argument, unreadable file. */
  usage: 2,
} as const;

export interface Command {
  /** One line shown in `dts --help`. */
  summary: string;
  /** Full text shown by `dts <command> --help`. */
  help: string;
  run(args: string[]): Promise<number>;
}

/** Raised by argument parsing; main.ts prints the message and the command's usage, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A file named on the command line was read but is not what it should be; main.ts prints the message, exit 1. */
export class InputError extends Error {
  override name = "InputError";
}
