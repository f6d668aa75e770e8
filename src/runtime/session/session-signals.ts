// The two things that end a session's loops from outside them: a stop request and the first
// failure (from the sender's callback or the snapshot's copiers). Waiting code races its own
// work against them, so either wakes it at once.

export class SessionSignals {
  #stopRequested = false;
  #failure: unknown = null;
  #wake: (() => void) | null = null;

  get stopRequested(): boolean {
    return this.#stopRequested;
  }

  /** True once a stop was requested or something failed. */
  get halted(): boolean {
    return this.#stopRequested || this.#failure !== null;
  }

  requestStop(): void {
    this.#stopRequested = true;
    this.#notify();
  }

  /** Keeps the first failure; later ones are consequences of it. */
  fail(error: unknown): void {
    if (this.#failure === null) this.#failure = error;
    this.#notify();
  }

  throwIfFailed(): void {
    if (this.#failure !== null) throw this.#failure;
  }

  /** Waits until the first of `work` settles, or a stop request or failure arrives. */
  async race(work: Promise<unknown>[]): Promise<void> {
    try {
      await Promise.race([...work, new Promise<void>((resolve) => (this.#wake = resolve))]);
    } finally {
      this.#wake = null;
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

/** Resolves when `ready()` turns true or `running` settles, whichever is first (a runner waiting for a session to stream). */
export async function waitUntil(ready: () => boolean, running: Promise<void>): Promise<void> {
  let settled = false;
  running.then(() => (settled = true), () => (settled = true));
  while (!ready() && !settled) await new Promise((r) => setTimeout(r, 20));
}
