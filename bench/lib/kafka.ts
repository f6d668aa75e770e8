// Kafka as the benchmark's referee: topics made and removed per run, message counts read
// from the end offsets (what the brokers acknowledged), and a consumer that timestamps the
// moment each benchmark row becomes readable.
import { Kafka, logLevel, type Admin, type Consumer } from "kafkajs";
import { batchMarkers } from "../workloads/bench-table.js";
import type { BenchStack } from "./stack.js";

export class KafkaReferee {
  readonly #kafka: Kafka;
  readonly #admin: Admin;
  readonly #created = new Set<string>();

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

  async createTopic(topic: string, partitions: number): Promise<void> {
    await this.#admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
    this.#created.add(topic);
  }

  /** Messages in the topic: the sum of its partitions' end offsets. */
  async messageCount(topic: string): Promise<number> {
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
   * Key and value bytes of the messages between two sets of end offsets, read back after the
   * measurement so the reading costs the systems under test nothing.
   */
  async payloadBytes(topic: string, from: Map<number, number>, to: Map<number, number>): Promise<number> {
    const pending = new Set([...to].filter(([partition, end]) => end > (from.get(partition) ?? 0)).map(([partition]) => partition));
    if (pending.size === 0) return 0;
    const consumer = this.#kafka.consumer({ groupId: `dts-bench-bytes-${topic}-${Date.now()}`, maxBytes: 64 * 1024 * 1024 });
    let bytes = 0;
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic} back to count its bytes took over 10 minutes`)), 600_000);
        consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const start = from.get(batch.partition) ?? 0;
            const end = to.get(batch.partition) ?? 0;
            for (const message of batch.messages) {
              const offset = Number(message.offset);
              if (offset >= start && offset < end) bytes += (message.key?.length ?? 0) + (message.value?.length ?? 0);
              if (offset >= end - 1) pending.delete(batch.partition);
            }
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        }).catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return bytes;
  }

  /** A consumer that reports, per benchmark batch marker, the first time a row of it arrived. */
  async watchArrivals(topic: string, onArrival: (batch: number, rows: number, at: number) => void): Promise<() => Promise<void>> {
    const consumer: Consumer = this.#kafka.consumer({ groupId: `dts-bench-${topic}-${Date.now()}`, maxWaitTimeInMs: 20, minBytes: 1 });
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
    if (!keepTopics && this.#created.size > 0) await this.#admin.deleteTopics({ topics: [...this.#created] }).catch(() => undefined);
    await this.#admin.disconnect();
  }
}
