// Exactly-once delivery's commit cycle. Messages go into an open Kafka transaction; about every
// COMMIT_INTERVAL_MS the event pump stops at a unit boundary (between two source transactions,
// never inside one, however many parts a large one is sent in), everything sent is acknowledged,
// the checkpoint after exactly those messages is written into the same transaction, and the
// transaction commits. A read_committed consumer so sees each source transaction once: a crash
// before the commit aborts messages and checkpoint together, and the next session (which takes
// the transactional id, aborting what was left open) resumes from the last committed checkpoint.
import type { Checkpoint } from "../checkpoint/checkpoint.js";
import type { CheckpointTracker, SafePoint } from "../checkpoint/tracker.js";
import type { BatchSender } from "../sink/batch-sender.js";
import type { IdempotentProducer } from "../sink/idempotent-producer.js";
import type { KafkaTransactions } from "../sink/kafka-transactions.js";
import type { UnitBoundaryTask } from "./event-pump.js";

/** What the latency of a read_committed consumer is bound by; Kafka Streams commits as often. */
export const COMMIT_INTERVAL_MS = 100;

export interface CommitParts {
  transactions: KafkaTransactions;
  producer: IdempotentProducer;
  sender: BatchSender;
  tracker: CheckpointTracker;
  /** Where the checkpoint record goes: the checkpoint topic's partition for the pipeline's key. */
  checkpointTopic: { topic: string; partition: number; key: string };
  /** The checkpoint the pipeline saves for `point`. */
  checkpointOf: (point: SafePoint) => Checkpoint;
}

export class TransactionCommits {
  readonly #p: CommitParts;
  #committed: SafePoint | null;
  #committedTrackerVersion: number;
  #version = 0;
  #timer: NodeJS.Timeout | null = null;
  #waiting = false;

  constructor(parts: CommitParts) {
    this.#p = parts;
    this.#committed = parts.tracker.safe;
    this.#committedTrackerVersion = parts.tracker.version;
  }

  /** The point of the last committed checkpoint: the only one the state folder may keep. */
  get committed(): SafePoint | null {
    return this.#committed;
  }

  /** Changes with every commit. */
  get version(): number {
    return this.#version;
  }

  /** Every interval with something to commit, asks for a commit at the next unit boundary. */
  start(atBoundary: (task: Omit<UnitBoundaryTask, "after">) => void): void {
    this.#timer = setInterval(() => {
      if (this.#waiting || !this.#due()) return;
      this.#waiting = true;
      const done = () => void (this.#waiting = false);
      atBoundary({ run: () => this.commit().finally(done), abandon: done });
    }, COMMIT_INTERVAL_MS);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #due(): boolean {
    return this.#p.transactions.open || this.#p.tracker.version !== this.#committedTrackerVersion;
  }

  /**
   * Commits what is sent, with the checkpoint after it. Called where no unit is half sent (a
   * unit boundary, or after the stream ended). While a prepared XA branch holds the checkpoint
   * behind messages already sent, it waits for the branch's end: committing those messages with
   * an older checkpoint would send them again after a crash.
   */
  async commit(): Promise<void> {
    const { sender, tracker, transactions, producer, checkpointTopic } = this.#p;
    await sender.flush();
    const point = tracker.safe;
    // Checked and held in one turn, so no batch of a later unit slips into this transaction.
    if (!point || tracker.unacknowledged > 0 || !this.#due()) return;
    const trackerVersion = tracker.version;
    sender.hold();
    try {
      const value = JSON.stringify(this.#p.checkpointOf(point));
      await producer.send([{ topic: checkpointTopic.topic, partition: checkpointTopic.partition, messages: [{ key: checkpointTopic.key, value }] }]);
      await transactions.commit();
      this.#committed = point;
      this.#committedTrackerVersion = trackerVersion;
      this.#version++;
    } finally {
      sender.release();
    }
  }
}
