// What a session connects to and closes again: the Kafka admin and producer (topics checked or
// created, partition counts read), the control connection to the source with the server's
// facts, and the encoder, which needs the source's time zone and the schema registry's id.
import type { Admin, Kafka } from "kafkajs";
import type mysql from "mysql2/promise";
import { masterPosition, type BinlogPoint } from "../snapshot/binlog-position.js";
import { checkpointTopics, recordTopics } from "../../plan/topics.js";
import type { Pipeline } from "../../generated/plan.js";
import type { Checkpoint } from "../checkpoint/checkpoint.js";
import type { CheckpointTracker } from "../checkpoint/tracker.js";
import { createEncoder, registerDtsRecordSchema, type Encoder } from "../encode/index.js";
import { registryErrorText, registryFailure, registryUrlText } from "../encode/schema-registry.js";
import { zoneClock, type ZoneClock } from "../encode/time-zone.js";
import { RuntimeError } from "../errors.js";
import { BatchSender } from "../sink/batch-sender.js";
import { IdempotentProducer } from "../sink/idempotent-producer.js";
import { batchCompression, createKafka } from "../sink/kafka-client.js";
import { KafkaCluster } from "../sink/kafka-cluster.js";
import type { KafkaTransactions } from "../sink/kafka-transactions.js";
import type { BatchCompression } from "../sink/record-batch.js";
import { wrapKafka } from "../sink/kafka-errors.js";
import { checkPartitionCounts, ensureTopics, fetchPartitionCounts } from "../sink/topics.js";
import { DEFAULT_PARTITION_BYTES, readPartitionBytes } from "../sink/topic-limits.js";
import { connectControl, inspectServer, type ServerFacts } from "../source/server-checks.js";
import { resolveSourceTimeZone } from "../source/server-time-zone.js";
import { checkpointPlacement, isExactlyOnce, takeTransactionalId } from "./exactly-once.js";
import type { SessionDeps } from "./session-deps.js";

/**
 * Batches in flight to Kafka: the producer's window (Kafka keeps idempotent order for up to 5
 * per partition) and the sender's hand-over limit, so batches grow while the window is full.
 */
const IN_FLIGHT = 5;

/** The source as the session uses it once connected. */
export interface SourceSetup {
  control: mysql.Connection;
  facts: ServerFacts;
  encoder: Encoder;
  /** The source's time zone, for row filters that compare TIMESTAMP columns. */
  sourceZone: ZoneClock;
}

export class SessionResources {
  readonly #deps: Pick<SessionDeps, "pipeline" | "connections" | "log" | "metrics">;
  #topics: string[];
  #kafka: Kafka | null = null;
  #compression: BatchCompression | null = null;
  #admin: Admin | null = null;
  #producer: IdempotentProducer | null = null;
  #control: mysql.Connection | null = null;
  #cluster: KafkaCluster | null = null;
  /** Topics whose max.message.bytes bounds a batch's part below the default (topic-limits.ts). */
  readonly #partitionBytes = new Map<string, number>();
  /** With delivery = exactly-once, the pipeline's Kafka transactions. */
  transactions: KafkaTransactions | null = null;
  /** Partition counts of the topics written, with those the checkpoint knew of. */
  partitionCounts: Record<string, number> = {};

  constructor(deps: Pick<SessionDeps, "pipeline" | "connections" | "log" | "metrics">) {
    this.#deps = deps;
    this.#topics = recordTopics(deps.pipeline);
  }

  get #brokers(): string[] {
    return this.#deps.pipeline.destination.brokers;
  }

  /** Connects the admin client; the Kafka client is returned for reading the checkpoint topic. */
  async connectKafka(): Promise<Kafka> {
    const kafka = (this.#kafka = createKafka(this.#deps.connections.kafka, this.#deps.log));
    this.#compression = await batchCompression(this.#deps.pipeline.destination.compression);
    const admin = (this.#admin = kafka.admin());
    await wrapKafka(() => admin.connect(), "connect to Kafka", this.#brokers);
    return kafka;
  }

  /** Exactly-once: takes the transactional id before the checkpoint is read, aborting what an earlier run left open. */
  async takeTransactionalId(): Promise<void> {
    if (!isExactlyOnce(this.#deps.pipeline)) return;
    const taken = await wrapKafka(() => takeTransactionalId(this.#kafka as Kafka, this.#deps.pipeline), "take the pipeline's Kafka transactional id", this.#brokers);
    this.#cluster = taken.cluster;
    this.transactions = taken.transactions;
  }

  get producer(): IdempotentProducer {
    return this.#producer as IdempotentProducer;
  }

  /** Where the checkpoint record goes inside each transaction. */
  checkpointPlacement(): Promise<{ topic: string; partition: number; key: string }> {
    return wrapKafka(() => checkpointPlacement(this.#admin as Admin, this.#deps.pipeline), "read the checkpoint topic's metadata", this.#brokers);
  }

  /**
   * Makes sure the topics exist, holds their partition counts against the checkpoint's, and
   * connects the producer. Returns the counts read now.
   */
  async openTopics(checkpoint: Checkpoint | null): Promise<Record<string, number>> {
    const { pipeline } = this.#deps;
    const admin = this.#admin as Admin;
    const topics = this.#topics;
    await wrapKafka(() => ensureTopics(admin, topics, pipeline.destination.createTopics, { compacted: checkpointTopics(pipeline), recorded: checkpoint?.partitionCounts ?? {}, log: this.#deps.log }), "list and create topics", this.#brokers);
    const counts = await wrapKafka(() => fetchPartitionCounts(admin, topics), "read topic metadata from Kafka", this.#brokers);
    if (checkpoint) checkPartitionCounts(checkpoint.partitionCounts, counts);
    this.partitionCounts = { ...(checkpoint?.partitionCounts ?? {}), ...counts };
    await readPartitionBytes(admin, topics, this.#partitionBytes);
    const producer = (this.#producer = new IdempotentProducer(this.#cluster ?? new KafkaCluster(this.#kafka as Kafka), {
      transactions: this.transactions ?? undefined,
      compression: this.#compression,
      maxInFlight: IN_FLIGHT,
      // Retries smooth over short blips; the pipeline's retry window covers longer outages.
      ackTimeoutMs: 30_000,
      retries: 5,
      initialRetryMs: 300,
      maxRetryMs: 5_000,
    }));
    // Exactly-once writes the checkpoint topic too, inside each transaction.
    const written = this.transactions ? [...topics, ...checkpointTopics(pipeline)] : topics;
    await wrapKafka(() => producer.connect(written), "connect the producer to Kafka", this.#brokers);
    return counts;
  }

  /** Opens the topics a changed spec writes to that this session does not write yet; returns every count. */
  async openMoreTopics(next: Pipeline): Promise<Record<string, number>> {
    const known = new Set(this.#topics);
    const added = recordTopics(next).filter((topic) => !known.has(topic));
    if (added.length === 0) return this.partitionCounts;
    const admin = this.#admin as Admin;
    await wrapKafka(() => ensureTopics(admin, added, next.destination.createTopics, { compacted: checkpointTopics(next), recorded: this.partitionCounts, log: this.#deps.log }), "list and create topics", this.#brokers);
    const counts = await wrapKafka(() => fetchPartitionCounts(admin, added), "read topic metadata from Kafka", this.#brokers);
    checkPartitionCounts(this.partitionCounts, counts);
    await readPartitionBytes(admin, added, this.#partitionBytes);
    await wrapKafka(() => (this.#producer as IdempotentProducer).addTopics(added), "load the new topics' metadata", this.#brokers);
    this.#topics = [...this.#topics, ...added];
    await this.#registerSchema(added);
    this.partitionCounts = { ...this.partitionCounts, ...counts };
    return this.partitionCounts;
  }

  async connectSource(): Promise<SourceSetup> {
    const { pipeline, connections } = this.#deps;
    const control = (this.#control = await connectControl(connections.source.options, connections.source.address));
    const facts = await inspectServer(control, pipeline);
    const timeZone = await resolveSourceTimeZone(control, pipeline.source.timezone, this.#deps.log);
    const encoder = createEncoder(pipeline, { timeZone, schemaId: await this.#registerSchema() });
    return { control, facts, encoder, sourceZone: zoneClock(timeZone) };
  }

  /** With a schema registry, DTS Avro values carry the id of the Record schema registered per topic. */
  async #registerSchema(topics = this.#topics): Promise<number | null> {
    const registry = this.#deps.connections.schemaRegistry;
    if (!registry || this.#deps.pipeline.format !== "dts-avro") return null;
    let id: number | null = null;
    for (const topic of topics) {
      try {
        const registered = await registerDtsRecordSchema(registry.url, topic);
        id ??= registered;
      } catch (error) {
        // Not the error itself as the cause: its message may hold the registry's credentials.
        throw new RuntimeError("sink-connect", `cannot register the DTS Avro schema for topic ${topic} at ${registryUrlText(registry.url)}: ${registryErrorText(registry.url, (error as Error).message)}`, registryFailure(error));
      }
    }
    return id;
  }

  /** The sender over the producer: acknowledgements go to the tracker, failures to `onError`. */
  createSender(tracker: CheckpointTracker, onError: (error: unknown) => void): BatchSender {
    return new BatchSender(this.#producer as IdempotentProducer, {
      maxInFlight: IN_FLIGHT,
      // Under 2 MiB with the request framing, so kafkajs' power-of-two request buffer stays 2 MiB.
      maxBatchBytes: 1792 * 1024,
      maxPartitionBytes: DEFAULT_PARTITION_BYTES,
      topicPartitionBytes: this.#partitionBytes,
      maxBatchMessages: 20_000,
      onAck: (seq, count) => tracker.ack(seq, count),
      onDelivered: (_messages, bytes) => this.#deps.metrics?.recordBytes(bytes),
      onError,
    });
  }

  /** The source's binlog position now, read on the session's control connection. */
  async serverPosition(): Promise<BinlogPoint> {
    const control = this.#control as mysql.Connection;
    return masterPosition(async (sql) => (await control.query(sql))[0] as Record<string, unknown>[]);
  }

  async close(): Promise<void> {
    // The transactional id's cluster view is the producer's once there is one; before, it is closed here.
    if (this.#producer) await this.#producer.disconnect().catch(() => undefined);
    else await this.#cluster?.disconnect().catch(() => undefined);
    await this.#admin?.disconnect().catch(() => undefined);
    if (this.#control) await endWithin(this.#control, 2_000);
  }
}

/**
 * Closes politely, or drops the socket: a server frozen mid-query (SIGSTOP, a dead network)
 * never answers, and mysql2 sends COM_QUIT only after the query in flight.
 */
async function endWithin(control: mysql.Connection, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([control.end().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
  // end() resolves once COM_QUIT is written, not once the server closed: a server out of reach
  // never does, and the socket stayed open until TCP gave up.
  control.destroy();
}
