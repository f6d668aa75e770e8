// A thin wrapper over node:util parseArgs that turns its exceptions into UsageError,
// so every command reports bad flags the same way.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./command.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs<O extends Options> {
  values: { [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string };
  positionals: string[];
}

export function parseCommandArgs<O extends Options>(args: string[], options: O): ParsedArgs<O> {
  try {
    // Every command takes --verbose: main.ts shows the stack of an unexpected error with it.
    const parsed = parseArgs({ args, options: { verbose: { type: "boolean" }, ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
    return parsed as unknown as ParsedArgs<O>;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Reads one of a fixed set of choices from a string flag, or throws a usage error naming them. */
export function choice<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}; got "${value}"`);
}
