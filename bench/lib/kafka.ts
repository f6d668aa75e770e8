// Kafka as the benchmark's referee: topics made and removed per run, message counts, and a
// consumer that timestamps the moment each benchmark row becomes readable. Counts come from the
// end offsets (what the brokers acknowledged), which costs the system under test nothing; on a
// topic written in transactions they would count commit markers too, so there the committed
// records are counted from the record batch headers (committed-count.ts).
import { Kafka, logLevel, type Admin, type Consumer } from "kafkajs";
import { batchMarkers } from "../workloads/bench-table.js";
import { CommittedRecordCounter } from "./committed-count.js";
import type { BenchStack } from "./stack.js";

/** The warm-up's messages: about the size of a bench row's, in batches like a chunk's. */
const WARM_UP_MESSAGE_BYTES = 512;
const WARM_UP_BATCH = 1000;

export interface TopicOptions {
  /** Written in Kafka transactions (exactly-once delivery): count committed records, not offsets. */
  transactional?: boolean;
  /** One partition, cleanup.policy=compact: a checkpoint topic, as the pipeline would create it. */
  compacted?: boolean;
}

export class KafkaReferee {
  readonly #kafka: Kafka;
  readonly #admin: Admin;
  readonly #created = new Set<string>();
  readonly #counters = new Map<string, CommittedRecordCounter>();

  private constructor(kafka: Kafka, admin: Admin) {
    this.#kafka = kafka;
    this.#admin = admin;
  }

  static async connect(stack: BenchStack): Promise<KafkaReferee> {
    const kafka = new Kafka({ clientId: "dts-bench", brokers: stack.kafkaBrokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    try {
      await admin.connect();
    } catch (error) {
      throw new Error(`cannot reach Kafka at ${stack.kafkaBrokers.join(", ")} (${(error as Error).message}); is the stack running? \`npm run stack:status\``);
    }
    return new KafkaReferee(kafka, admin);
  }

  async createTopic(topic: string, partitions: number, options: TopicOptions = {}): Promise<void> {
    const compacted = options.compacted ? { configEntries: [{ name: "cleanup.policy", value: "compact" }] } : {};
    await this.#admin.createTopics({ topics: [{ topic, numPartitions: options.compacted ? 1 : partitions, replicationFactor: 1, ...compacted }], waitForLeaders: true });
    this.#created.add(topic);
    if (options.transactional) {
      const starts = new Map((await this.#admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.low)]));
      this.#counters.set(topic, await CommittedRecordCounter.open(this.#kafka, topic, starts));
    }
  }

  /**
   * Sends messages through the broker for `seconds` into a topic of its own (removed with the
   * others), so that its produce path is compiled by the JVM before anything is measured: on a
   * fresh stack the first system measured otherwise paid for that, with Kafka's CPU per 1M rows
   * at 4.0 s against 1.2 and 0.8 in the rounds after (docs/benchmarks.md, "A quiet machine").
   * Returns the messages sent.
   */
  async warmUpBroker(topic: string, seconds: number): Promise<number> {
    await this.createTopic(topic, 1);
    const producer = this.#kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const value = Buffer.alloc(WARM_UP_MESSAGE_BYTES, 0x61);
    const messages = Array.from({ length: WARM_UP_BATCH }, (_, i) => ({ key: String(i), value }));
    let sent = 0;
    try {
      for (const until = Date.now() + seconds * 1000; Date.now() < until; sent += messages.length) await producer.send({ topic, acks: -1, messages });
    } finally {
      await producer.disconnect();
    }
    return sent;
  }

  /**
   * Messages in the topic that a read_committed consumer can read: the sum of its partitions'
   * end offsets (kafkajs asks for the last stable offset, which is the high watermark where no
   * transaction is open), or for a transactional topic its committed records.
   */
  async messageCount(topic: string): Promise<number> {
    const counter = this.#counters.get(topic);
    if (counter) return counter.count();
    const offsets = await this.#admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  }

  /** Polls until the topic holds `count` messages; returns when that was seen, or null on timeout. */
  async waitForCount(topic: string, count: number, timeoutMs: number, onPoll?: (seen: number) => void, isAlive?: () => boolean): Promise<number | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = await this.messageCount(topic);
      onPoll?.(seen);
      if (seen >= count) return Date.now();
      if (Date.now() > deadline || (isAlive && !isAlive())) return null;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Each partition's end offset now: where a measured window begins or ends. */
  async endOffsets(topic: string): Promise<Map<number, number>> {
    const offsets = await this.#admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((p) => [p.partition, Number(p.high)]));
  }

  /**
   * Key and value bytes, and the number, of the messages between two sets of end offsets, read
   * back after the measurement so the reading costs the systems under test nothing. A partition
   * is done when a fetched batch reaches its end offset: in a transactional topic the last
   * offset is a commit marker, which no message shows.
   */
  async payloadBytes(topic: string, from: Map<number, number>, to: Map<number, number>): Promise<{ bytes: number; messages: number }> {
    const pending = new Set([...to].filter(([partition, end]) => end > (from.get(partition) ?? 0)).map(([partition]) => partition));
    if (pending.size === 0) return { bytes: 0, messages: 0 };
    const consumer = this.#kafka.consumer({ groupId: `dts-bench-bytes-${topic}-${Date.now()}`, maxBytes: 64 * 1024 * 1024 });
    let bytes = 0;
    let messages = 0;
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic} back to count its bytes took over 10 minutes`)), 600_000);
        consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }: { payload: { partition: number; lastOffset: string } }) => {
          if (Number(payload.lastOffset) >= (to.get(payload.partition) ?? 0) - 1) pending.delete(payload.partition);
          if (pending.size > 0) return;
          clearTimeout(timer);
          resolve();
        });
        consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const start = from.get(batch.partition) ?? 0;
            const end = to.get(batch.partition) ?? 0;
            for (const message of batch.messages) {
              const offset = Number(message.offset);
              if (offset < start || offset >= end) continue;
              bytes += (message.key?.length ?? 0) + (message.value?.length ?? 0);
              messages++;
            }
          },
        }).catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return { bytes, messages };
  }

  /**
   * A consumer that reports, per benchmark batch marker, the first time a row of it arrived. It
   * reads committed messages only, as an exactly-once user's consumer does: rows of an open
   * transaction arrive when it commits.
   */
  async watchArrivals(topic: string, onArrival: (batch: number, rows: number, at: number) => void): Promise<() => Promise<void>> {
    const consumer: Consumer = this.#kafka.consumer({ groupId: `dts-bench-${topic}-${Date.now()}`, maxWaitTimeInMs: 20, minBytes: 1, readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const at = Date.now();
        const counts = new Map<number, number>();
        for (const message of batch.messages) {
          if (!message.value) continue;
          for (const marker of batchMarkers(message.value)) counts.set(marker, (counts.get(marker) ?? 0) + 1);
        }
        for (const [marker, rows] of counts) onArrival(marker, rows, at);
      },
    });
    return () => consumer.disconnect();
  }

  async close(keepTopics: boolean): Promise<void> {
    for (const counter of this.#counters.values()) await counter.close().catch(() => undefined);
    if (!keepTopics && this.#created.size > 0) await this.#admin.deleteTopics({ topics: [...this.#created] }).catch(() => undefined);
    await this.#admin.disconnect();
  }
}
