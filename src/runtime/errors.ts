// Typed runtime errors in the style of kafkajs: each says whether retrying can help, keeps the
// underlying cause for --verbose, and carries a hint that tells the user what to do.

export type RuntimeErrorCode =
  | "config"
  | "secret"
  | "source-connect"
  | "source-stream"
  | "source-settings"
  | "binlog-purged"
  | "sink-connect"
  | "sink-send"
  | "topic"
  | "partition-count-changed"
  | "checkpoint"
  /** Another live `dts run` holds the pipeline's state folder. */
  | "state-locked"
  | "unsupported"
  | "retry-window-exhausted";

export class RuntimeError extends Error {
  override name = "RuntimeError";
  readonly code: RuntimeErrorCode;
  /** True when the same operation may succeed later (a server restarting, a network blip). */
  readonly retriable: boolean;
  /** What the user can do about it; shown under the message. */
  readonly hint: string | undefined;

  constructor(code: RuntimeErrorCode, message: string, options: { retriable?: boolean; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.hint = options.hint;
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
  return (error as { retriable?: unknown } | null)?.retriable === true;
}
