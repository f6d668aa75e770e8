// Turns delivery acknowledgements into a safe resume position. Transactions are registered in
// binlog order with the number of messages they produced; acks may arrive in any order, and the
// safe position only moves past a transaction once it and every earlier one are fully acked.
import type { SnapshotProgress } from "../snapshot/snapshot-progress.js";
import type { BinlogResumePosition } from "./checkpoint.js";

interface PendingTransaction {
  remaining: number;
  position: BinlogResumePosition;
  eventTimeSeconds: number;
  snapshot: SnapshotProgress | undefined;
}

export interface SafePoint {
  position: BinlogResumePosition;
  eventTimeSeconds: number;
  /** Initial-sync progress as of this point (it rides along so it is saved only once acked). */
  snapshot?: SnapshotProgress;
}

export class CheckpointTracker {
  #pending: PendingTransaction[] = [];
  #head = 0;
  /** Sequence number of #pending[0]. */
  #base = 0;
  #safe: SafePoint | null;
  #version = 0;

  constructor(start: SafePoint | null = null) {
    this.#safe = start;
  }

  /** The sequence number the next `register` call will return; messages carry it before registration. */
  get nextSeq(): number {
    return this.#base + this.#pending.length;
  }

  /**
   * Registers the next transaction in binlog order; returns its sequence number for `ack`.
   * `snapshot` is the initial-sync progress this entry completes (snapshot chunks only).
   */
  register(position: BinlogResumePosition, messageCount: number, eventTimeSeconds: number, snapshot?: SnapshotProgress): number {
    const seq = this.#base + this.#pending.length;
    this.#pending.push({ remaining: messageCount, position, eventTimeSeconds, snapshot });
    if (messageCount === 0) this.#advance();
    return seq;
  }

  /** Records that `count` messages of transaction `seq` were acknowledged by Kafka. */
  ack(seq: number, count: number): void {
    const entry = this.#pending[seq - this.#base];
    if (!entry || entry.remaining < count) throw new Error(`checkpoint tracker: unexpected ack for transaction ${seq}`);
    entry.remaining -= count;
    if (entry.remaining === 0 && seq - this.#base === this.#head) this.#advance();
  }

  #advance(): void {
    let moved = false;
    while (this.#head < this.#pending.length && (this.#pending[this.#head] as PendingTransaction).remaining === 0) {
      const done = this.#pending[this.#head] as PendingTransaction;
      const snapshot = done.snapshot ?? this.#safe?.snapshot;
      this.#safe = { position: done.position, eventTimeSeconds: done.eventTimeSeconds, ...(snapshot ? { snapshot } : {}) };
      this.#head++;
      moved = true;
    }
    if (moved) this.#version++;
    // Drop the finished prefix now and then, so the array does not grow without bound.
    if (this.#head > 1024 && this.#head * 2 > this.#pending.length) {
      this.#pending = this.#pending.slice(this.#head);
      this.#base += this.#head;
      this.#head = 0;
    }
  }

  /** The position after the last transaction whose every message (and every earlier one's) is acked. */
  get safe(): SafePoint | null {
    return this.#safe;
  }

  /** Changes whenever `safe` moves; lets the store skip writes when nothing changed. */
  get version(): number {
    return this.#version;
  }

  /** Transactions registered but not yet fully acknowledged. */
  get unacknowledged(): number {
    return this.#pending.length - this.#head;
  }
}
