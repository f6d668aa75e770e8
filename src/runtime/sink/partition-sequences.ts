// Each partition's next sequence number for the producer, and whether a batch of the partition
// may go out while another is in flight. A broker that holds no state of this producer id for a
// partition (a new producer, every session; or one it forgot, after producer.id.expiration.ms)
// takes any first sequence number. Were the partition's first batch refused for good (too large,
// invalid), a batch sent behind it would be written all the same, ahead of the refused one, and
// the restart from the checkpoint would write it again. So a partition sends one batch at a time
// until one is acknowledged; then the broker refuses a batch whose predecessor is missing
// (OUT_OF_ORDER_SEQUENCE_NUMBER), and several may be in flight. That costs one round trip per
// partition when a session starts, and when a partition was idle for IDLE_MS.

/** Kafka sequence numbers wrap here. */
const SEQUENCE_LIMIT = 2 ** 31;
/**
 * Past this long without an acknowledgement a partition sends one batch at a time again: far
 * below producer.id.expiration.ms (a day by default), and a partition this quiet rarely has two
 * batches to send at once, so it costs next to nothing.
 */
export const IDLE_MS = 60_000;

interface PartitionState {
  next: number;
  /** Batches sent and not acknowledged yet. */
  unacknowledged: number;
  /** When a batch of the partition was last acknowledged; -Infinity before the first. */
  acknowledgedAt: number;
}

export class PartitionSequences {
  /** By topic, then partition: no string key is built per batch. */
  readonly #byTopic = new Map<string, Map<number, PartitionState>>();

  #state(topic: string, partition: number): PartitionState {
    let byPartition = this.#byTopic.get(topic);
    if (!byPartition) this.#byTopic.set(topic, (byPartition = new Map()));
    let state = byPartition.get(partition);
    if (!state) byPartition.set(partition, (state = { next: 0, unacknowledged: 0, acknowledgedAt: -Infinity }));
    return state;
  }

  /** The first sequence number of a batch of `count` records; the next batch follows it. */
  take(topic: string, partition: number, count: number): number {
    const state = this.#state(topic, partition);
    const first = state.next;
    state.next = (first + count) % SEQUENCE_LIMIT;
    return first;
  }

  /** Whether a batch of the partition must wait: the broker may hold no state of ours for it, and one is in flight. */
  mustWait(topic: string, partition: number, now: number): boolean {
    const state = this.#state(topic, partition);
    return state.unacknowledged > 0 && now - state.acknowledgedAt > IDLE_MS;
  }

  /** A batch of the partition went out for the first time. */
  sent(topic: string, partition: number): void {
    this.#state(topic, partition).unacknowledged++;
  }

  acknowledged(topic: string, partition: number, now: number): void {
    const state = this.#state(topic, partition);
    state.unacknowledged--;
    state.acknowledgedAt = now;
  }
}
