// Typed runtime errors in the style of kafkajs: each says whether retrying can help, keeps the
// underlying cause for --verbose, and carries a hint that tells the user what to do. Each kind
// has its code, title and standard fix in the one catalog (src/problems); an error caused by
// the spec also names where the spec wrote it.
import { formatLocation, runtimeCodes, type Problem, type RuntimeKind, type SpecLocation } from "../problems/index.js";
import { transientServerError } from "./source/server-errors.js";

/** The kind of failure; its catalog code (DTS5xxx) is `problemCode`. */
export type RuntimeErrorCode = RuntimeKind;

export interface RuntimeErrorOptions {
  retriable?: boolean;
  /** What to do in this case; without one the catalog's standard fix for the kind is shown. */
  hint?: string;
  cause?: unknown;
  /** Where in the spec the cause is, when it is there. */
  location?: SpecLocation;
}

export class RuntimeError extends Error {
  override name = "RuntimeError";
  readonly code: RuntimeErrorCode;
  /** True when the same operation may succeed later (a server restarting, a network blip). */
  readonly retriable: boolean;
  /** What the user can do about it; shown under the message. */
  readonly hint: string | undefined;
  /** What went wrong, without the location; `message` leads with the location when there is one, for logs. */
  readonly summary: string;
  readonly location: SpecLocation | null;

  constructor(code: RuntimeErrorCode, summary: string, options: RuntimeErrorOptions = {}) {
    super(options.location ? `${formatLocation(options.location)}: ${summary}` : summary, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.hint = options.hint ?? runtimeCodes[code].fix ?? undefined;
    this.summary = summary;
    this.location = options.location ?? null;
  }

  /** The catalog's code of this kind, e.g. DTS5002. */
  get problemCode(): string {
    return runtimeCodes[this.code].code;
  }

  /** The error in the shape every phase shares. */
  toProblem(): Problem {
    return { code: this.problemCode, severity: "error", summary: this.summary, fix: this.hint ?? null, location: this.location };
  }
}

/** A message for logs and status: the error text and, for wrapped errors, the cause's text. */
export function describeError(error: unknown): string {
  if (error instanceof RuntimeError) {
    const cause = error.cause instanceof Error && !error.message.includes(error.cause.message) ? ` (${error.cause.message})` : "";
    return `${error.message}${cause}`;
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** Unknown errors (bugs, library surprises) are treated as retriable only when they look like I/O. */
export function isRetriable(error: unknown): boolean {
  if (error instanceof RuntimeError) return error.retriable;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|PROTOCOL_CONNECTION_LOST|PROTOCOL_SEQUENCE_TIMEOUT)$/.test(code)) return true;
  if (transientServerError(error)) return true;
  // kafkajs throws a plain Error while a broker's connection is being set up again.
  if (error instanceof Error && error.message === "Broker not connected") return true;
  return (error as { retriable?: unknown } | null)?.retriable === true;
}

/** Any error as a RuntimeError; an unknown one counts as a stream failure, retriable when it looks transient. */
export function asRuntimeError(error: unknown): RuntimeError {
  if (error instanceof RuntimeError) return error;
  return new RuntimeError("source-stream", describeError(error), { cause: error, retriable: isRetriable(error) });
}
