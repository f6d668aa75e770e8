// Turns delivery acknowledgements into a safe resume position. Transactions are registered in
// binlog order with the number of messages they produced; acks may arrive in any order, and the
// safe position only moves past a transaction once it and every earlier one are fully acked.
// A held entry (a prepared XA branch) blocks the safe position until it is released with the
// number of messages its XA COMMIT produced (0 after XA ROLLBACK) and those are acked.
// Initial-sync progress arrives as steps (snapshot-progress.ts) and is applied in place to the
// progress of the safe point until a safe point holding it is handed out; the next step after
// that works on a copy, so a handed-out point never changes.
import type { Selection } from "../select/selection.js";
import { applyProgressStep, cloneProgress, type ProgressStep, type SnapshotProgress } from "../snapshot/snapshot-progress.js";
import type { BinlogResumePosition } from "./checkpoint.js";

interface PendingTransaction {
  remaining: number;
  held: boolean;
  position: BinlogResumePosition;
  eventTimeSeconds: number;
  snapshot: ProgressStep | undefined;
  selection: Selection | undefined;
}

export interface SafePoint {
  position: BinlogResumePosition;
  eventTimeSeconds: number;
  /** Initial-sync progress as of this point (it rides along so it is saved only once acked). */
  snapshot?: SnapshotProgress;
  /** The tables selected from this point on (a live spec change registers the new ones where it applies). */
  selection?: Selection;
}

export class CheckpointTracker {
  #pending: PendingTransaction[] = [];
  #head = 0;
  /** Sequence number of #pending[0]. */
  #base = 0;
  #safe: SafePoint | null;
  #version = 0;
  /** Whether #safe's progress was handed out (or came from outside): steps then work on a copy. */
  #progressShared = true;

  constructor(start: SafePoint | null = null) {
    this.#safe = start;
  }

  /** The sequence number the next `register` call will return; messages carry it before registration. */
  get nextSeq(): number {
    return this.#base + this.#pending.length;
  }

  /**
   * Registers the next transaction in binlog order; returns its sequence number for `ack`.
   * `snapshot` is what this entry moves of the initial-sync progress (snapshot output only);
   * `selection` the tables selected from here on (a spec change).
   */
  register(position: BinlogResumePosition, messageCount: number, eventTimeSeconds: number, snapshot?: ProgressStep, selection?: Selection): number {
    const seq = this.#base + this.#pending.length;
    this.#pending.push({ remaining: messageCount, position, eventTimeSeconds, snapshot, selection, held: false });
    if (messageCount === 0) this.#advance();
    return seq;
  }

  /** Registers an entry whose message count is not known yet; nothing after it becomes safe until `release`. */
  hold(position: BinlogResumePosition, eventTimeSeconds: number): number {
    const seq = this.#base + this.#pending.length;
    this.#pending.push({ remaining: 0, position, eventTimeSeconds, snapshot: undefined, selection: undefined, held: true });
    return seq;
  }

  /** Ends a hold: `messageCount` messages were sent under its sequence number (acked through `ack`). */
  release(seq: number, messageCount: number): void {
    const entry = this.#pending[seq - this.#base];
    if (!entry?.held) throw new Error(`checkpoint tracker: no hold ${seq} to release`);
    entry.held = false;
    entry.remaining += messageCount;
    if (entry.remaining === 0 && seq - this.#base === this.#head) this.#advance();
  }

  /** Records that `count` messages of transaction `seq` were acknowledged by Kafka. */
  ack(seq: number, count: number): void {
    const entry = this.#pending[seq - this.#base];
    if (!entry || (!entry.held && entry.remaining < count)) throw new Error(`checkpoint tracker: unexpected ack for transaction ${seq}`);
    entry.remaining -= count;
    if (isDone(entry) && seq - this.#base === this.#head) this.#advance();
  }

  #advance(): void {
    let moved = false;
    while (this.#head < this.#pending.length && isDone(this.#pending[this.#head] as PendingTransaction)) {
      const done = this.#pending[this.#head] as PendingTransaction;
      const snapshot = done.snapshot ? this.#progressAfter(done.snapshot) : this.#safe?.snapshot;
      const selection = done.selection ?? this.#safe?.selection;
      this.#safe = { position: done.position, eventTimeSeconds: done.eventTimeSeconds, ...(snapshot ? { snapshot } : {}), ...(selection ? { selection } : {}) };
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

  #progressAfter(step: ProgressStep): SnapshotProgress {
    let progress = this.#safe?.snapshot;
    if (step.kind === "tables" && progress && this.#progressShared) progress = cloneProgress(progress);
    this.#progressShared = step.kind === "whole";
    return applyProgressStep(progress, step);
  }

  /** The last registered entry (acked or not), else the safe point: where new registrations may begin. */
  get last(): SafePoint | null {
    const entry = this.#pending[this.#pending.length - 1];
    return entry && this.#pending.length > this.#head ? { position: entry.position, eventTimeSeconds: entry.eventTimeSeconds } : this.safe;
  }

  /** The position after the last transaction whose every message (and every earlier one's) is acked. */
  get safe(): SafePoint | null {
    this.#progressShared = true;
    return this.#safe;
  }

  /** Changes whenever `safe` moves; lets the store skip writes when nothing changed. */
  get version(): number {
    return this.#version;
  }

  /** Commit time of the oldest entry not yet fully acknowledged; null when none or unknown. */
  get oldestPendingEventTimeSeconds(): number | null {
    return this.#pending[this.#head]?.eventTimeSeconds || null;
  }

  /** Transactions registered but not yet fully acknowledged. */
  get unacknowledged(): number {
    return this.#pending.length - this.#head;
  }
}

function isDone(entry: PendingTransaction): boolean {
  return entry.remaining === 0 && !entry.held;
}
