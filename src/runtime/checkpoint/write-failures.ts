// A checkpoint that cannot be written (a full disk, a folder made read-only) does not stop the
// stream, but a restart would resume from the last one written, further back every second, and
// the binlog it needs may be purged meanwhile. Until a write succeeds again the status carries
// the reason (dts status, /status), and the log says it once a minute rather than every tick.
import { asRuntimeError, describeError, RuntimeError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { PipelineStatus } from "../status.js";

const LOG_EVERY_MS = 60_000;

export class CheckpointWrites {
  readonly #log: Logger;
  readonly #now: () => number;
  #failingSince: number | null = null;
  #loggedAt = 0;

  constructor(log: Logger, now: () => number = Date.now) {
    this.#log = log;
    this.#now = now;
  }

  /** Runs one write; the status error to show while writes fail, else null. */
  attempt(write: () => void): PipelineStatus["error"] {
    try {
      write();
    } catch (error) {
      const now = this.#now();
      this.#failingSince ??= now;
      const since = new Date(this.#failingSince).toISOString();
      const problem = asRuntimeError(error);
      if (now - this.#loggedAt >= LOG_EVERY_MS) {
        this.#loggedAt = now;
        this.#log.error({ err: describeError(error), failingSince: since }, "checkpoint write failed; a restart would resume from the last checkpoint written");
      }
      return { message: `checkpoint not written since ${since}: ${describeError(problem)}`, hint: problem.hint ?? null, code: problem.problemCode };
    }
    this.#written();
    return null;
  }

  /**
   * The write at a session's end. A stop promises its last checkpoint: one that cannot be
   * written is logged whatever the minute, and returned for the run to end with.
   */
  last(write: () => void): RuntimeError | null {
    try {
      write();
    } catch (error) {
      const problem = asRuntimeError(error);
      this.#log.error({ err: describeError(error) }, "the last checkpoint could not be written; a restart resumes from the last checkpoint written and sends what followed it again");
      return new RuntimeError(problem.code, `the last checkpoint could not be written: ${describeError(problem)}; a restart resumes from the last checkpoint written and sends the changes after it again`, { cause: error, hint: problem.hint });
    }
    this.#written();
    return null;
  }

  #written(): void {
    if (this.#failingSince !== null) this.#log.info({ failingSince: new Date(this.#failingSince).toISOString() }, "checkpoint written again");
    this.#failingSince = null;
    this.#loggedAt = 0;
  }
}
