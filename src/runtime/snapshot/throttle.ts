// The plan's snapshot throttle (rows/s and bytes/s) as token buckets shared by every table
// reader. A reader pays for a chunk after reading it and waits while the bucket is in debt, so
// the long-run rate stays at the limit whatever the chunk size; a burst is at most one second.

export interface ThrottleLimits {
  rowsPerSecond: number | null;
  bytesPerSecond: number | null;
}

class TokenBucket {
  readonly #rate: number;
  #tokens: number;
  #at: number;
  readonly #now: () => number;

  constructor(rate: number, now: () => number) {
    this.#rate = rate;
    this.#tokens = rate;
    this.#now = now;
    this.#at = now();
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#rate, this.#tokens + ((now - this.#at) / 1000) * this.#rate);
    this.#at = now;
  }

  /** Takes `amount` (possibly going into debt); returns ms to wait until the debt is paid. */
  take(amount: number): number {
    this.#refill();
    this.#tokens -= amount;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.#rate) * 1000);
  }
}

export class Throttle {
  readonly #rows: TokenBucket | null;
  readonly #bytes: TokenBucket | null;

  constructor(limits: ThrottleLimits, now: () => number = Date.now) {
    this.#rows = limits.rowsPerSecond ? new TokenBucket(limits.rowsPerSecond, now) : null;
    this.#bytes = limits.bytesPerSecond ? new TokenBucket(limits.bytesPerSecond, now) : null;
  }

  /** Whether a bytes/s limit is set (reading rows' sizes costs time otherwise spared). */
  get limitsBytes(): boolean {
    return this.#bytes !== null;
  }

  /** How long to wait after reading `rows` rows of `bytes` bytes. */
  charge(rows: number, bytes: number): number {
    return Math.max(this.#rows?.take(rows) ?? 0, this.#bytes?.take(bytes) ?? 0);
  }

  async pay(rows: number, bytes: number, sleep: (ms: number) => Promise<void> = delay): Promise<void> {
    const wait = this.charge(rows, bytes);
    if (wait > 0) await sleep(wait);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Bytes a value of a row occupies, roughly as the server sends it (for the bytes/s limit). */
export function valueBytes(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === "string") return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.length;
  return 8;
}
