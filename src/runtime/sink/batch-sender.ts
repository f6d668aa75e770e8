// Collects encoded messages into batches and hands each full (or, when the binlog pauses, partly
// filled) batch to the idempotent producer, which keeps several in flight. A batch holds at most
// one record batch per partition, sized under the broker's message.max.bytes. Each message
// remembers its transaction; a batch's acknowledgement acknowledges them to the tracker, in order.
import type { IdempotentProducer, PartitionMessages } from "./idempotent-producer.js";
import type { RecordInput } from "./record-batch.js";
import { SlabWriter } from "../encode/slab-writer.js";

export type OutgoingMessage = RecordInput;

function releaseMessages(parts: readonly PartitionMessages[]): void {
  for (const part of parts) {
    for (const message of part.messages) {
      SlabWriter.release(message.key);
      SlabWriter.release(message.value);
    }
  }
}

/** A run of consecutive messages of one transaction inside a batch. */
interface AckRun {
  seq: number;
  count: number;
}

/** One partition's messages in a batch, with their payload bytes (the broker limits one record batch). */
interface PartitionSlot extends PartitionMessages {
  bytes: number;
  /** The most bytes this topic's part of a request may hold. */
  limit: number;
}

interface Batch {
  /** Slots by topic, then partition: no string key is built per message. */
  slots: Map<string, Map<number, PartitionSlot>>;
  parts: PartitionSlot[];
  runs: AckRun[];
  bytes: number;
  messages: number;
}

export interface BatchSenderOptions {
  /** Upper bound of one batch, in payload bytes. */
  maxBatchBytes: number;
  /** Upper bound per topic partition in one batch, below the broker's message.max.bytes (1 MiB by default). */
  maxPartitionBytes: number;
  /** Lower bounds of topics whose max.message.bytes is smaller (topic-limits.ts); read as topics are added. */
  topicPartitionBytes?: ReadonlyMap<string, number>;
  maxBatchMessages: number;
  /** Batches handed to the producer and not yet acknowledged. */
  maxInFlight: number;
  onAck: (seq: number, count: number) => void;
  /** After each acknowledged batch: its message count and payload bytes. */
  onDelivered?: (messages: number, bytes: number) => void;
  onError: (error: unknown) => void;
}

interface DrainWaiter {
  bytes: number;
  resolve: () => void;
}

function emptyBatch(): Batch {
  return { slots: new Map(), parts: [], runs: [], bytes: 0, messages: 0 };
}

function addSlot(batch: Batch, topic: string, partition: number, limit: number): PartitionSlot {
  let byPartition = batch.slots.get(topic);
  if (!byPartition) batch.slots.set(topic, (byPartition = new Map()));
  const slot: PartitionSlot = { topic, partition, messages: [], bytes: 0, limit };
  byPartition.set(partition, slot);
  batch.parts.push(slot);
  return slot;
}

function byteLength(value: Buffer | string | null): number {
  if (value === null) return 0;
  return typeof value === "string" ? value.length * 2 : value.length;
}

export class BatchSender {
  readonly #producer: IdempotentProducer;
  readonly #options: BatchSenderOptions;
  #filling: Batch = emptyBatch();
  #queued: Batch[] = [];
  #inFlight = 0;
  #scheduled = false;
  #failed = false;
  #unackedBytes = 0;
  #idleWaiters: (() => void)[] = [];
  #drainWaiters: DrainWaiter[] = [];
  #sentMessages = 0;
  /** While a Kafka transaction commits, batches queue up here and go out after. */
  #held = false;

  constructor(producer: IdempotentProducer, options: BatchSenderOptions) {
    this.#producer = producer;
    this.#options = options;
  }

  /** Payload bytes handed to the sender and not yet acknowledged (drives backpressure). */
  get unackedBytes(): number {
    return this.#unackedBytes;
  }

  get sentMessages(): number {
    return this.#sentMessages;
  }

  enqueue(topic: string, partition: number, message: OutgoingMessage, seq: number): void {
    if (this.#failed) return;
    let batch = this.#filling;
    const size = byteLength(message.key) + byteLength(message.value) + 64;
    let slot = batch.slots.get(topic)?.get(partition);
    if (batch.messages > 0 && (batch.bytes + size > this.#options.maxBatchBytes || (slot ? slot.bytes + size > slot.limit : size > this.#partitionBytes(topic)) || batch.messages >= this.#options.maxBatchMessages)) {
      this.#queued.push(batch);
      batch = this.#filling = emptyBatch();
      slot = undefined;
    }
    if (!slot) slot = addSlot(batch, topic, partition, this.#partitionBytes(topic));
    slot.bytes += size;
    slot.messages.push(message);
    batch.bytes += size;
    batch.messages++;
    this.#unackedBytes += size;
    const last = batch.runs[batch.runs.length - 1];
    if (last && last.seq === seq) last.count++;
    else batch.runs.push({ seq, count: 1 });
    if (this.#queued.length > 0) this.#sendReady();
    this.#schedule();
  }

  #partitionBytes(topic: string): number {
    return this.#options.topicPartitionBytes?.get(topic) ?? this.#options.maxPartitionBytes;
  }

  #schedule(): void {
    if (this.#scheduled || this.#failed) return;
    this.#scheduled = true;
    // Let the current binlog burst add to the batch before a partly filled batch goes out.
    setImmediate(() => {
      this.#scheduled = false;
      this.#sendReady();
      if (this.#inFlight < this.#options.maxInFlight && this.#filling.messages > 0) {
        this.#queued.push(this.#filling);
        this.#filling = emptyBatch();
        this.#sendReady();
      }
      if (this.#inFlight === 0 && this.#filling.messages === 0 && this.#queued.length === 0) this.#notifyIdle();
    });
  }

  /** Hands full batches to the producer while it has room for more in flight. */
  #sendReady(): void {
    while (!this.#failed && !this.#held && this.#inFlight < this.#options.maxInFlight) {
      const batch = this.#queued.shift();
      if (!batch) return;
      this.#inFlight++;
      const parts: PartitionMessages[] = batch.parts;
      batch.parts = [];
      batch.slots.clear();
      const sent = this.#producer.send(parts);
      // The producer copied the messages into record batches: their slabs may be written again.
      releaseMessages(parts);
      sent.then(
        () => {
          this.#inFlight--;
          this.#unackedBytes -= batch.bytes;
          this.#notifyDrained();
          this.#sentMessages += batch.messages;
          for (const run of batch.runs) this.#options.onAck(run.seq, run.count);
          this.#options.onDelivered?.(batch.messages, batch.bytes);
          // Full batches go out at once; a partly filled one waits for the current burst.
          this.#sendReady();
          this.#schedule();
        },
        (error: unknown) => {
          this.#inFlight--;
          if (this.#failed) return;
          this.#failed = true;
          this.#options.onError(error);
          this.#notifyIdle();
          this.#notifyDrained();
        },
      );
    }
  }

  /** Stops handing batches to the producer (what is in flight completes); enqueueing goes on. */
  hold(): void {
    this.#held = true;
  }

  release(): void {
    this.#held = false;
    this.#sendReady();
    this.#schedule();
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #notifyDrained(): void {
    if (this.#drainWaiters.length === 0) return;
    const waiting: DrainWaiter[] = [];
    for (const waiter of this.#drainWaiters) {
      if (this.#failed || this.#unackedBytes <= waiter.bytes) waiter.resolve();
      else waiting.push(waiter);
    }
    this.#drainWaiters = waiting;
  }

  /** Resolves once at most `bytes` are unacknowledged (or the sender failed): backpressure without draining the pipeline. */
  async drainedTo(bytes: number): Promise<void> {
    if (this.#failed || this.#unackedBytes <= bytes) return;
    await new Promise<void>((resolve) => this.#drainWaiters.push({ bytes, resolve }));
  }

  /** Resolves once everything enqueued so far is acknowledged (or the sender failed). */
  async flush(): Promise<void> {
    if (this.#failed) return;
    if (this.#inFlight === 0 && this.#queued.length === 0 && this.#filling.messages === 0) return;
    await new Promise<void>((resolve) => {
      this.#idleWaiters.push(resolve);
      this.#schedule();
    });
  }
}
