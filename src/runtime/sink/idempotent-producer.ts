// An idempotent Kafka producer with several requests in flight. Each send() becomes one record
// batch per partition, numbered with the producer's per-partition sequence, so the broker writes
// every batch once and in order even when a request is sent again. Sends complete in call order.
// After a failed request, nothing new goes out until every request in flight has settled; then
// metadata is reloaded and every batch not yet acknowledged is sent again, in order, with the
// same sequence numbers. When that keeps failing the producer fails for good and the pipeline's
// retry loop takes over (a new producer, resuming from the checkpoint). A partition sends one
// batch at a time until the broker acknowledged one (partition-sequences.ts), and no request is
// larger than its broker reads (leader-requests.ts).
import { createErrorFromCode, KafkaClusterClosedError, type ClusterBroker, type KafkaCluster } from "./kafka-cluster.js";
import { refusedBatch } from "./kafka-errors.js";
import { fencedError, type KafkaTransactions } from "./kafka-transactions.js";
import { PartitionSequences } from "./partition-sequences.js";
import { BrokerRequestLimits, leaderRequests, type LeaderRequest, type PartitionBatch } from "./leader-requests.js";
import { laidOutProduceRequest, produceVersion, type PartitionResult, type ProduceRequest } from "./produce-request.js";
import { batchLength, encodeRecordBatch, measureRecords, writeRecordBatch, type BatchCompression, type BatchIdentity, type RecordInput } from "./record-batch.js";

export interface PartitionMessages {
  topic: string;
  partition: number;
  messages: RecordInput[];
}

export interface IdempotentProducerOptions {
  compression: BatchCompression | null;
  /** Sends in flight at once; Kafka keeps idempotent order for up to 5 per partition. */
  maxInFlight: number;
  /** How long the broker may wait for the in-sync replicas (acks=all). */
  ackTimeoutMs: number;
  /** Attempts to resend after failures before giving up, with backoff between them. */
  retries: number;
  initialRetryMs: number;
  maxRetryMs: number;
  /** Exactly-once: every batch goes into the open Kafka transaction; someone else commits it. */
  transactions?: KafkaTransactions | undefined;
}

interface EncodedPart extends PartitionBatch {
  acknowledged: boolean;
}

interface Send {
  /** Null while the record batches are still being encoded (compression is asynchronous). */
  parts: EncodedPart[] | null;
  /** Uncompressed: the request the batches were written into, for their first dispatch; then null. */
  request: ProduceRequest | null;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Every in-sync replica acknowledges each batch. */
const ACKS_ALL = -1;
const DUPLICATE_SEQUENCE_NUMBER = 46;
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
/** INVALID_PRODUCER_EPOCH and PRODUCER_FENCED: a newer holder of the transactional id exists. */
const FENCED_CODES = new Set([47, 90]);

/** A failure that sending again may cure: lost connections, timeouts, leader moves. */
function resendable(error: { name?: string; type?: string; retriable?: boolean }): boolean {
  if (error.type === "OUT_OF_ORDER_SEQUENCE_NUMBER") return true; // an earlier batch of the partition failed
  if (error.retriable === true) return true;
  return /KafkaJS(Connection|ConnectionClosed|RequestTimeout)Error/.test(error.name ?? "");
}

/** The key of a part's one message, copied (the caller reuses its memory); undefined for several. */
function onlyKey(messages: readonly RecordInput[]): Buffer | null | undefined {
  if (messages.length !== 1) return undefined;
  const key = (messages[0] as RecordInput).key;
  return key === null ? null : Buffer.from(key);
}

export class IdempotentProducer {
  readonly #cluster: KafkaCluster;
  readonly #options: IdempotentProducerOptions;
  #producerId = -1n;
  #producerEpoch = -1;
  readonly #partitions = new PartitionSequences();
  readonly #requestLimits = new BrokerRequestLimits();
  /** Sends handed over and not yet complete, in call order; the first maxInFlight are dispatched. */
  readonly #sends: Send[] = [];
  #dispatched = 0;
  #requestsInFlight = 0;
  #pendingError: Error | null = null;
  #recovering = false;
  #attempt = 0;
  #failure: Error | null = null;
  #dispatchChain: Promise<void> = Promise.resolve();

  constructor(cluster: KafkaCluster, options: IdempotentProducerOptions) {
    this.#cluster = cluster;
    this.#options = options;
  }

  /** Makes topics known after connect (a spec reloaded while running writes to new ones). */
  async addTopics(topics: string[]): Promise<void> {
    await this.#cluster.addTopics(topics);
  }

  async connect(topics: string[]): Promise<void> {
    await this.#cluster.connect(topics);
    const { producerId, producerEpoch } = await (this.#options.transactions?.init() ?? this.#cluster.initProducerId());
    this.#producerId = producerId;
    this.#producerEpoch = producerEpoch;
    // Read now, so the first send waits for no DescribeConfigs round trip.
    await Promise.all(this.#cluster.leaderIds(topics).map(async (id) => this.#requestLimits.of(await this.#cluster.broker(id))));
  }

  /**
   * Resolves once every message is acknowledged by all in-sync replicas; in call order. The
   * messages are copied into record batches before this returns, so the caller may reuse their
   * memory at once (the batch sender hands their slabs back to the encoders).
   */
  send(parts: readonly PartitionMessages[]): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<void>((resolve, reject) => {
      const send: Send = { parts: null, request: null, resolve, reject };
      this.#sends.push(send);
      // Sequence numbers are taken now, synchronously, so they follow the call order.
      const timestamp = Date.now();
      const batches = parts.map((part) => ({
        part,
        identity: { producerId: this.#producerId, producerEpoch: this.#producerEpoch, baseSequence: this.#partitions.take(part.topic, part.partition, part.messages.length), timestamp, transactional: this.#options.transactions !== undefined },
      }));
      const compression = this.#options.compression;
      if (!compression) {
        // Failing to lay them out fails the producer, as failing to encode them does below.
        try {
          this.#layOut(send, batches);
        } catch (error) {
          return this.#fail(error as Error);
        }
        return this.#pump();
      }
      // encodeRecordBatch copies the messages before its first await, so before send returns.
      void Promise.all(batches.map(async ({ part, identity }) => ({ topic: part.topic, partition: part.partition, acknowledged: false, key: onlyKey(part.messages), batch: await encodeRecordBatch(part.messages, identity, compression) }))).then(
        (encoded) => {
          send.parts = encoded;
          this.#pump();
        },
        (error: unknown) => this.#fail(error as Error),
      );
    });
  }

  /** Writes the send's record batches straight into one Produce request, and keeps their views for resends. */
  #layOut(send: Send, batches: readonly { part: PartitionMessages; identity: BatchIdentity }[]): void {
    const places = batches.map(({ part, identity }) => {
      const measured = measureRecords(part.messages);
      return { topic: part.topic, partition: part.partition, length: batchLength(measured), write: (target: Buffer) => writeRecordBatch(target, measured, identity) };
    });
    const laidOut = laidOutProduceRequest(places, ACKS_ALL, this.#options.ackTimeoutMs, produceVersion(0), this.#options.transactions?.transactionalId ?? null);
    send.request = laidOut.request;
    send.parts = batches.map(({ part }, i) => ({ topic: part.topic, partition: part.partition, acknowledged: false, batch: laidOut.batches[i] as Buffer }));
  }

  /** Closes the connections; sends not yet acknowledged fail, and no retry goes on after. */
  async disconnect(): Promise<void> {
    this.#fail(new KafkaClusterClosedError());
    await this.#cluster.disconnect();
  }

  /** Dispatches encoded sends, in order, while the window has room and no partition of the next must wait. */
  #pump(): void {
    if (this.#recovering || this.#pendingError || this.#failure) return;
    const now = Date.now();
    while (this.#dispatched < this.#sends.length && this.#dispatched < this.#options.maxInFlight) {
      const next = this.#sends[this.#dispatched] as Send;
      if (!next.parts || next.parts.some((p) => this.#partitions.mustWait(p.topic, p.partition, now))) return;
      for (const part of next.parts) this.#partitions.sent(part.topic, part.partition);
      this.#dispatched++;
      this.#dispatch(next);
    }
  }

  /** Sends the parts not yet acknowledged: per leader broker, in requests that broker reads. */
  #dispatch(send: Send): void {
    const parts = send.parts as EncodedPart[];
    const pending = parts.filter((p) => !p.acknowledged);
    // The request the batches were written into serves once: at the first dispatch, when nothing
    // is acknowledged yet, if all of them go to one broker in one request.
    const laidOut = send.request;
    send.request = null;
    this.#requestsInFlight++;
    // Chained so requests reach each broker connection in dispatch order.
    this.#dispatchChain = this.#dispatchChain.then(async () => {
      let requests: LeaderRequest<EncodedPart>[];
      try {
        requests = await leaderRequests(this.#cluster, this.#requestLimits, pending, this.#options.transactions?.transactionalId ?? null);
        await this.#options.transactions?.addPartitions(pending);
      } catch (error) {
        this.#requestFailed(error as Error);
        this.#requestSettled();
        return;
      }
      this.#requestsInFlight += requests.length;
      for (const { broker, parts: carried } of requests) this.#produce(broker, carried, requests.length === 1 ? laidOut : null);
      this.#requestSettled();
    });
  }

  /** One Produce request of `parts`: `laidOut` when given (it holds exactly them), else their batches copied into a new one. */
  #produce(broker: ClusterBroker, parts: EncodedPart[], laidOut: ProduceRequest | null): void {
    broker.connectionPool
      .send(laidOut ?? this.#request(parts))
      .then(
        (results) => this.#applyResults(parts, results),
        (error: unknown) => {
          const err = error as Error & { host?: string; port?: number };
          if (err.name === "KafkaJSConnectionClosedError" && err.host !== undefined && err.port !== undefined) this.#cluster.forget({ host: err.host, port: err.port });
          this.#requestFailed(err);
        },
      )
      .finally(() => this.#requestSettled());
  }

  /** A new request with the parts' batches copied in (laidOutProduceRequest groups them by topic). */
  #request(parts: readonly EncodedPart[]): ProduceRequest {
    const places = parts.map(({ topic, partition, batch }) => ({ topic, partition, length: batch.length, write: (target: Buffer) => batch.copy(target) }));
    return laidOutProduceRequest(places, ACKS_ALL, this.#options.ackTimeoutMs, produceVersion(this.#options.compression?.attribute ?? 0), this.#options.transactions?.transactionalId ?? null).request;
  }

  #applyResults(parts: EncodedPart[], results: PartitionResult[]): void {
    for (const result of results) {
      const part = parts.find((p) => p.topic === result.topic && p.partition === result.partition);
      if (!part) continue;
      if (result.errorCode === 0 || result.errorCode === DUPLICATE_SEQUENCE_NUMBER) this.#acknowledge(part);
      else if (this.#options.transactions && FENCED_CODES.has(result.errorCode)) this.#fail(fencedError(this.#options.transactions.transactionalId, createErrorFromCode(result.errorCode)));
      else this.#requestFailed(Object.assign(createErrorFromCode(result.errorCode), refusedBatch(part), { sequenceGap: result.errorCode === OUT_OF_ORDER_SEQUENCE_NUMBER }));
    }
  }

  #acknowledge(part: EncodedPart): void {
    if (part.acknowledged) return;
    part.acknowledged = true;
    this.#partitions.acknowledged(part.topic, part.partition, Date.now());
  }

  #requestFailed(error: Error): void {
    if (!resendable(error as { name?: string; type?: string; retriable?: boolean })) {
      this.#fail(error);
      return;
    }
    // The first error explains the rest (later batches see sequence gaps), so keep it.
    this.#pendingError ??= error;
  }

  #requestSettled(): void {
    this.#requestsInFlight--;
    if (this.#failure) return;
    this.#completeInOrder();
    if (this.#pendingError && this.#requestsInFlight === 0 && !this.#recovering) void this.#recover();
    else this.#pump();
  }

  #completeInOrder(): void {
    while (this.#dispatched > 0) {
      const head = this.#sends[0] as Send;
      if (!head.parts || !head.parts.every((p) => p.acknowledged)) return;
      this.#sends.shift();
      this.#dispatched--;
      this.#attempt = 0;
      head.resolve();
    }
  }

  async #recover(): Promise<void> {
    this.#recovering = true;
    const error = this.#pendingError as Error;
    while (!this.#failure) {
      this.#attempt++;
      if (this.#attempt > this.#options.retries) {
        this.#fail(error);
        return;
      }
      const backoff = Math.min(this.#options.maxRetryMs, this.#options.initialRetryMs * 2 ** (this.#attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, backoff * (0.8 + Math.random() * 0.4)));
      if (this.#failure) return;
      try {
        await this.#cluster.refresh();
        break;
      } catch {
        // Still unreachable: wait longer and try again, within the same budget.
      }
    }
    if (this.#failure) return;
    this.#pendingError = null;
    this.#recovering = false;
    for (let i = 0; i < this.#dispatched; i++) this.#dispatch(this.#sends[i] as Send);
    this.#pump();
  }

  #fail(error: Error): void {
    if (this.#failure) return;
    this.#failure = error;
    const sends = this.#sends.splice(0);
    this.#dispatched = 0;
    for (const send of sends) send.reject(error);
  }
}
