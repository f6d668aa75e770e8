// How long a pipeline keeps retrying: the window counts from the first failure of an outage,
// and a session that moved the pipeline forward ends the outage (session/session-progress.ts),
// so a flapping connection that still makes progress never runs the window out. Backoff doubles from 0.5 s up to 30 s.
import { describeError, RuntimeError } from "./errors.js";

export interface RetryAttempt {
  /** When the outage began and when its window ends, ms since the epoch. */
  since: number;
  deadline: number;
  /** Failed sessions in this outage, this one included. */
  attempts: number;
  expired: boolean;
}

export class RetryWindow {
  /** A reloaded spec may change it; the outage under way is measured against the new one. */
  windowSeconds: number;
  #since: number | null = null;
  #attempts = 0;

  constructor(windowSeconds: number) {
    this.windowSeconds = windowSeconds;
  }

  /** Counts a failed session; `progressed` when it moved the pipeline forward before failing. */
  fail(progressed: boolean): RetryAttempt {
    if (this.#since === null || progressed) {
      this.#since = Date.now();
      this.#attempts = 0;
    }
    this.#attempts++;
    const deadline = this.#since + this.windowSeconds * 1000;
    return { since: this.#since, deadline, attempts: this.#attempts, expired: Date.now() >= deadline };
  }

  /** How long to wait before the next attempt, never past the window's end. */
  backoffMs(attempt: RetryAttempt): number {
    return Math.min(30_000, 500 * 2 ** Math.min(attempt.attempts - 1, 6), Math.max(0, attempt.deadline - Date.now()));
  }

  /** The error a pipeline fails with once the window is over. */
  exhausted(failure: RuntimeError): RuntimeError {
    const seconds = this.windowSeconds;
    const minutes = seconds / 60;
    return new RuntimeError("retry-window-exhausted", `gave up after retrying for the whole retry window (${minutes >= 1 ? `${minutes} min` : `${seconds} s`}); last error: ${describeError(failure)}`, {
      cause: failure,
      hint: failure.hint ?? "fix the connection problem and start the pipeline again; it resumes from its checkpoint",
    });
  }
}

/** A wait between attempts that a stop request can cut short. */
export class Backoff {
  #wake: (() => void) | null = null;

  async wait(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = null;
  }

  wake(): void {
    this.#wake?.();
  }
}
