// The binlog reader's queue of parsed events for the pump. It is bounded: at `limit` events it
// asks the reader to stop reading the socket, and once the pump takes them, to read again, so
// parsing cannot outrun a busy pump (a huge transaction being spilled) without bound.
import type { SourceEvent } from "./binlog-events.js";

export interface QueueHooks {
  /** The queue reached its limit: stop reading. */
  full(): void;
  /** The pump took the events of a full queue: read again. */
  drained(): void;
}

export class EventQueue {
  readonly #limit: number;
  readonly #hooks: QueueHooks;
  #events: SourceEvent[] = [];
  #waiter: (() => void) | null = null;
  #full = false;

  constructor(limit: number, hooks: QueueHooks) {
    this.#limit = limit;
    this.#hooks = hooks;
  }

  get length(): number {
    return this.#events.length;
  }

  /** Whether the queue holds the reader back. */
  get full(): boolean {
    return this.#full;
  }

  push(event: SourceEvent): void {
    this.#events.push(event);
    if (this.#events.length >= this.#limit && !this.#full) {
      this.#full = true;
      this.#hooks.full();
    }
    this.wake();
  }

  /** Every queued event, in order. */
  take(): SourceEvent[] {
    const events = this.#events;
    this.#events = [];
    if (this.#full) {
      this.#full = false;
      this.#hooks.drained();
    }
    return events;
  }

  /** Resolves on the next push or wake. */
  async wait(): Promise<void> {
    await new Promise<void>((resolve) => (this.#waiter = resolve));
  }

  /** Ends a pending wait (an event, a failure, a stop, or other work for the pump). */
  wake(): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.();
  }
}
