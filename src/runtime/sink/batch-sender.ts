// Sends encoded messages with one kafkajs sendBatch in flight at a time while the next batch
// fills up behind it. One request at a time keeps the idempotent producer's per-partition order
// simple to reason about; batches grow under load, so throughput comes from batch size.
// Each message remembers its transaction, and a completed send acknowledges them to the tracker.
import type { CompressionTypes, Message, Producer } from "kafkajs";

export interface OutgoingMessage {
  key: Buffer | string | null;
  value: Buffer | string;
  headers?: Record<string, string | Buffer>;
}

/** A run of consecutive messages of one transaction inside a batch. */
interface AckRun {
  seq: number;
  count: number;
}

interface Batch {
  topics: Map<string, Message[]>;
  /** Payload bytes per topic partition: the broker limits one partition's record batch. */
  partitionBytes: Map<string, number>;
  runs: AckRun[];
  bytes: number;
  messages: number;
}

export interface BatchSenderOptions {
  compression: CompressionTypes;
  /** Upper bound of one sendBatch request, in payload bytes. */
  maxBatchBytes: number;
  /** Upper bound per topic partition in one request, below the broker's message.max.bytes (1 MiB by default). */
  maxPartitionBytes: number;
  maxBatchMessages: number;
  onAck: (seq: number, count: number) => void;
  /** After each acknowledged request: its message count and payload bytes. */
  onDelivered?: (messages: number, bytes: number) => void;
  onError: (error: unknown) => void;
}

function emptyBatch(): Batch {
  return { topics: new Map(), partitionBytes: new Map(), runs: [], bytes: 0, messages: 0 };
}

function byteLength(value: Buffer | string | null): number {
  if (value === null) return 0;
  return typeof value === "string" ? value.length * 2 : value.length;
}

export class BatchSender {
  readonly #producer: Producer;
  readonly #options: BatchSenderOptions;
  #filling: Batch = emptyBatch();
  #queued: Batch[] = [];
  #inFlight: Batch | null = null;
  #scheduled = false;
  #failed = false;
  #unackedBytes = 0;
  #idleWaiters: (() => void)[] = [];
  #sentMessages = 0;

  constructor(producer: Producer, options: BatchSenderOptions) {
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
    const slot = `${topic}\u0000${partition}`;
    let slotBytes = batch.partitionBytes.get(slot) ?? 0;
    if (batch.messages > 0 && (batch.bytes + size > this.#options.maxBatchBytes || slotBytes + size > this.#options.maxPartitionBytes || batch.messages >= this.#options.maxBatchMessages)) {
      this.#queued.push(batch);
      batch = this.#filling = emptyBatch();
      slotBytes = 0;
    }
    batch.partitionBytes.set(slot, slotBytes + size);
    let list = batch.topics.get(topic);
    if (!list) batch.topics.set(topic, (list = []));
    const out: Message = { key: message.key, value: message.value, partition };
    if (message.headers) out.headers = message.headers;
    list.push(out);
    batch.bytes += size;
    batch.messages++;
    this.#unackedBytes += size;
    const last = batch.runs[batch.runs.length - 1];
    if (last && last.seq === seq) last.count++;
    else batch.runs.push({ seq, count: 1 });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight || this.#failed) return;
    this.#scheduled = true;
    // Let the current binlog burst add to the batch before it goes out.
    setImmediate(() => {
      this.#scheduled = false;
      this.#sendNext();
    });
  }

  #sendNext(): void {
    if (this.#inFlight || this.#failed) return;
    let batch = this.#queued.shift();
    if (!batch) {
      if (this.#filling.messages === 0) {
        this.#notifyIdle();
        return;
      }
      batch = this.#filling;
      this.#filling = emptyBatch();
    }
    this.#inFlight = batch;
    const sent = batch;
    const topicMessages = [...sent.topics].map(([topic, messages]) => ({ topic, messages }));
    this.#producer
      .sendBatch({ topicMessages, acks: -1, compression: this.#options.compression })
      .then(() => {
        this.#inFlight = null;
        this.#unackedBytes -= sent.bytes;
        this.#sentMessages += sent.messages;
        for (const run of sent.runs) this.#options.onAck(run.seq, run.count);
        this.#options.onDelivered?.(sent.messages, sent.bytes);
        this.#sendNext();
      })
      .catch((error: unknown) => {
        this.#inFlight = null;
        this.#failed = true;
        this.#options.onError(error);
        this.#notifyIdle();
      });
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves once everything enqueued so far is acknowledged (or the sender failed). */
  async flush(): Promise<void> {
    if (this.#failed) return;
    if (!this.#inFlight && this.#queued.length === 0 && this.#filling.messages === 0) return;
    await new Promise<void>((resolve) => {
      this.#idleWaiters.push(resolve);
      this.#schedule();
    });
  }
}
