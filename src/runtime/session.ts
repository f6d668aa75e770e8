// One connected attempt at streaming: open the source and Kafka, resume from the checkpoint,
// and move transactions from the binlog to Kafka until asked to stop or until something
// breaks. The pipeline runs a new session after a retriable failure; a session never retries
// by itself, which keeps its state simple (everything restarts from the last checkpoint).
import type { Admin, Kafka } from "kafkajs";
import type mysql from "mysql2/promise";
import type { Pipeline } from "../generated/plan.js";
import { checkpointTopics, recordTopics } from "../plan/topics.js";
import type { Checkpoint } from "./checkpoint/checkpoint.js";
import { readKafkaCheckpoint } from "./checkpoint/kafka-store.js";
import { CheckpointTracker, type SafePoint } from "./checkpoint/tracker.js";
import { createEncoder, registerDtsRecordSchema, type Encoder } from "./encode/index.js";
import { zoneClock } from "./encode/time-zone.js";
import { RuntimeError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { PipelineMetrics } from "./observe/metrics.js";
import { RecordEmitter, type ValueConverter } from "./record-emitter.js";
import { ObjectSelector } from "./select/object-selector.js";
import { RouteCache } from "./select/table-route.js";
import { BatchSender } from "./sink/batch-sender.js";
import { IdempotentProducer } from "./sink/idempotent-producer.js";
import { batchCompression, createKafka } from "./sink/kafka-client.js";
import { KafkaCluster } from "./sink/kafka-cluster.js";
import { sendError, wrapKafka } from "./sink/kafka-errors.js";
import { checkPartitionCounts, ensureTopics, fetchPartitionCounts } from "./sink/topics.js";
import { BinlogReader, type StreamStart } from "./source/binlog-reader.js";
import { wrapReaderStart } from "./source/binlog-start-error.js";
import { checkPositionAvailable, connectControl, inspectServer } from "./source/server-checks.js";
import { resolveSourceTimeZone } from "./source/server-time-zone.js";
import { TableCatalog, type TableLoader } from "./source/table-catalog.js";
import { TransactionAssembler, type AssembledUnit } from "./source/transaction-assembler.js";
import type { PipelineConnections } from "./connections.js";
import { prepareSnapshot, ProgressReporter, SnapshotEmitter, snapshotPending, SnapshotRun, type PreparedSnapshot } from "./snapshot/index.js";

export interface SessionDeps {
  pipeline: Pipeline;
  /** The source endpoint and Kafka settings, secrets already read. */
  connections: PipelineConnections;
  log: Logger;
  convert: ValueConverter;
  loadTable: (conn: mysql.Connection) => TableLoader;
  /** Unacknowledged bytes above which the binlog reader pauses. */
  maxUnackedBytes: number;
  /** Where events and bytes are counted; null when nothing is exported. */
  metrics: PipelineMetrics | null;
}

export interface SessionCheckpointSink {
  /** The checkpoint the session resumes from (null: use the plan's startFrom). */
  current(): Checkpoint | null;
  /** Takes over a checkpoint found elsewhere (the Kafka checkpoint topic). */
  adopt(checkpoint: Checkpoint): void;
  /** Persists a new safe point with the topics' partition counts. */
  save(point: SafePoint, partitionCounts: Record<string, number>): void;
}

/**
 * Batches in flight to Kafka: the producer's window (Kafka keeps idempotent order for up to 5
 * per partition) and the sender's hand-over limit, so batches grow while the window is full.
 */
const IN_FLIGHT = 5;

export class StreamingSession {
  readonly #deps: SessionDeps;
  readonly #checkpoints: SessionCheckpointSink;
  #stopRequested = false;
  #wake: (() => void) | null = null;
  #failure: unknown = null;
  #control: mysql.Connection | null = null;
  #kafka: Kafka | null = null;
  #admin: Admin | null = null;
  #producer: IdempotentProducer | null = null;
  #reader: BinlogReader | null = null;
  #sender: BatchSender | null = null;
  #tracker: CheckpointTracker | null = null;
  #partitionCounts: Record<string, number> = {};
  #savedVersion = -1;
  #skipBeforeSeconds: number | null = null;
  #encoder: Encoder | null = null;
  #timezoneOffsetSeconds = 0;
  #prepared: PreparedSnapshot | null = null;
  #snapshot: SnapshotRun | null = null;
  /** Set once the source and Kafka are connected and the stream is open. */
  streaming = false;
  /** Whether this session moved the checkpoint (used to tell a new outage from an ongoing one). */
  progressed = false;
  /** True while the reader has handed over everything the server sent so far. */
  #readerIdle = false;

  constructor(deps: SessionDeps, checkpoints: SessionCheckpointSink) {
    this.#deps = deps;
    this.#checkpoints = checkpoints;
  }

  get ackedMessages(): number {
    return this.#sender?.sentMessages ?? 0;
  }

  get tracker(): CheckpointTracker | null {
    return this.#tracker;
  }

  /** True while this session's initial sync copies tables (the stream runs alongside). */
  get snapshotting(): boolean {
    return this.#prepared !== null && !(this.#snapshot?.complete ?? false);
  }

  /** Rows copied and estimated over all tables, while snapshotting. */
  get snapshotTotals(): { rowsDone: number; rowsTotal: number } | null {
    return this.#snapshot && !this.#snapshot.complete ? this.#snapshot.totals : null;
  }

  /** Nothing left to read right now and every message acknowledged: the delay is zero. */
  get caughtUp(): boolean {
    return this.streaming && this.#readerIdle && this.#tracker?.unacknowledged === 0 && !this.snapshotting;
  }

  requestStop(): void {
    this.#stopRequested = true;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #fail(error: unknown): void {
    if (this.#failure === null) this.#failure = error;
    this.#notify();
  }

  /** Runs until stopped (resolves) or broken (rejects with a RuntimeError). */
  async run(): Promise<void> {
    try {
      await this.#open();
      if (this.#stopRequested) return;
      this.streaming = true;
      await this.#pump();
      await this.#drain();
    } finally {
      await this.#close();
    }
  }

  async #open(): Promise<void> {
    const { pipeline, log } = this.#deps;
    const endpoint = this.#deps.connections.source;
    const kafka = (this.#kafka = createKafka(this.#deps.connections.kafka, log));
    const compression = await batchCompression(pipeline.destination.compression);
    const topics = recordTopics(pipeline);
    const admin = (this.#admin = kafka.admin());
    const brokers = pipeline.destination.brokers;
    await wrapKafka(() => admin.connect(), "connect to Kafka", brokers);
    let checkpoint = this.#checkpoints.current();
    const checkpointTopic = pipeline.checkpoint.topic;
    if (!checkpoint && checkpointTopic) {
      checkpoint = await wrapKafka(() => readKafkaCheckpoint(kafka, checkpointTopic, pipeline.name), `read checkpoints from topic ${checkpointTopic}`, brokers);
      if (checkpoint) {
        log.info({ position: checkpoint.position, topic: checkpointTopic }, "resuming from the checkpoint kept in Kafka");
        this.#checkpoints.adopt(checkpoint);
      }
    }
    await ensureTopics(admin, topics, pipeline.destination.createTopics, checkpointTopics(pipeline));
    const counts = await wrapKafka(() => fetchPartitionCounts(admin, topics), "read topic metadata from Kafka", brokers);
    if (checkpoint) checkPartitionCounts(checkpoint.partitionCounts, counts);
    this.#partitionCounts = { ...(checkpoint?.partitionCounts ?? {}), ...counts };
    // Retries smooth over short blips; the pipeline's retry window covers longer outages.
    const producer = (this.#producer = new IdempotentProducer(new KafkaCluster(kafka), {
      compression,
      maxInFlight: IN_FLIGHT,
      ackTimeoutMs: 30_000,
      retries: 5,
      initialRetryMs: 300,
      maxRetryMs: 5_000,
    }));
    await wrapKafka(() => producer.connect(topics), "connect the producer to Kafka", brokers);

    this.#control = await connectControl(endpoint.options, endpoint.address);
    const facts = await inspectServer(this.#control, pipeline);
    const timeZone = await resolveSourceTimeZone(this.#control, pipeline.source.timezone);
    this.#timezoneOffsetSeconds = zoneClock(timeZone).offsetAt(Date.now() / 1000);
    this.#encoder = createEncoder(pipeline, { timeZone, schemaId: await this.#registerSchema(topics) });
    if (snapshotPending(pipeline, checkpoint)) {
      const control = this.#control as mysql.Connection;
      this.#prepared = await prepareSnapshot({
        pipeline,
        query: async (sql, params) => (await control.query(sql, params))[0] as Record<string, unknown>[],
        loadTable: this.#deps.loadTable(control),
        selector: new ObjectSelector(pipeline.objects),
        checkpoint,
        log,
      });
    }
    let start: StreamStart;
    // A data sync streams from its own start; a schema-only sync keeps the plan's start.
    const snapshotStart = pipeline.initialSync.data ? this.#prepared?.startPoint : null;
    if (snapshotStart) {
      start = { kind: "position", file: snapshotStart.file, offset: snapshotStart.offset };
    } else if (checkpoint) {
      checkPositionAvailable(checkpoint.position, facts.binlogs);
      start = checkpoint.position.file !== ""
        ? { kind: "position", file: checkpoint.position.file, offset: checkpoint.position.offset }
        : { kind: "gtid", gtidSet: checkpoint.position.gtidSet ?? "" };
    } else {
      start = this.#startFromPlan(facts.binlogs[0]?.name);
    }

    const initial: SafePoint | null = checkpoint ? { position: checkpoint.position, eventTimeSeconds: checkpoint.eventTimeSeconds, ...(checkpoint.snapshot ? { snapshot: checkpoint.snapshot } : {}) } : null;
    const tracker = (this.#tracker = new CheckpointTracker(initial));
    this.#savedVersion = tracker.version;
    this.#sender = new BatchSender(producer, {
      maxInFlight: IN_FLIGHT,
      // Under 2 MiB with the request framing, so kafkajs' power-of-two request buffer stays 2 MiB.
      maxBatchBytes: 1792 * 1024,
      maxPartitionBytes: 900 * 1024,
      maxBatchMessages: 20_000,
      onAck: (seq, count) => tracker.ack(seq, count),
      onDelivered: (_messages, bytes) => this.#deps.metrics?.recordBytes(bytes),
      onError: (error) => this.#fail(sendError(error)),
    });

    const reader = (this.#reader = new BinlogReader(endpoint.options, pipeline.source.serverId, start));
    await reader.start().catch((error: unknown) => {
      throw wrapReaderStart(error, endpoint.address);
    });
    if (!checkpoint) {
      // Record where "latest"/"earliest" resolved to, so a crash before the first transaction
      // resumes here instead of resolving "latest" again and skipping what happened meanwhile.
      // With an initial sync the record also holds the table list, so a crash before the first
      // chunk resumes the same snapshot.
      const position = reader.currentPosition();
      this.#checkpoints.save({ position, eventTimeSeconds: 0, ...(this.#prepared ? { snapshot: this.#prepared.progress } : {}) }, this.#partitionCounts);
    }
    log.info({ start, server: facts.version, partitions: counts }, "streaming from the binlog");
  }

  /** With a schema registry, DTS Avro values carry the id of the Record schema registered per topic. */
  async #registerSchema(topics: string[]): Promise<number | null> {
    const registry = this.#deps.connections.schemaRegistry;
    if (!registry || this.#deps.pipeline.format !== "dts-avro") return null;
    let id: number | null = null;
    for (const topic of topics) {
      try {
        const registered = await registerDtsRecordSchema(registry.url, topic);
        id ??= registered;
      } catch (error) {
        throw new RuntimeError("sink-connect", `cannot register the DTS Avro schema for topic ${topic} at ${registry.url}: ${(error as Error).message}`, {
          cause: error,
          retriable: true,
          hint: "check that the schema registry is reachable and accepts the subject",
        });
      }
    }
    return id;
  }

  #startFromPlan(oldestBinlog: string | undefined): StreamStart {
    const startFrom = this.#deps.pipeline.source.startFrom;
    switch (startFrom.kind) {
      case "latest":
        return { kind: "latest" };
      case "earliest":
      case "timestamp":
        if (startFrom.kind === "timestamp") this.#skipBeforeSeconds = Math.floor(startFrom.epochMillis / 1000);
        if (!oldestBinlog) throw new RuntimeError("source-settings", "the source has no binlog files", { hint: "enable binary logging on the source" });
        return { kind: "position", file: oldestBinlog, offset: 4 };
      case "position":
        return { kind: "position", file: startFrom.file, offset: startFrom.position };
      case "gtid":
        return { kind: "gtid", gtidSet: startFrom.gtidSet };
      case "after-initial-sync":
        // Without an initial sync there is nothing to wait for: start at the current end.
        return { kind: "latest" };
    }
  }

  async #pump(): Promise<void> {
    const deps = this.#deps;
    const reader = this.#reader as BinlogReader;
    const sender = this.#sender as BatchSender;
    const tracker = this.#tracker as CheckpointTracker;
    const control = this.#control as mysql.Connection;
    const emitter = new RecordEmitter({
      pipeline: deps.pipeline,
      selector: new ObjectSelector(deps.pipeline.objects),
      catalog: new TableCatalog(deps.loadTable(control), { server: deps.connections.source.address, log: deps.log }),
      routes: new RouteCache({ defaultTopic: deps.pipeline.destination.topic, policy: deps.pipeline.partition, filterContext: { timezoneOffsetSeconds: this.#timezoneOffsetSeconds } }),
      encoder: this.#encoder as Encoder,
      sender,
      tracker,
      convert: deps.convert,
      partitionCounts: new Map(Object.entries(this.#partitionCounts)),
      serverVersion: reader.serverVersion,
      metrics: deps.metrics,
    });
    const assembler = new TransactionAssembler();
    const snapshot = (this.#snapshot = this.#startSnapshot(reader, sender, tracker));
    if (snapshot) await snapshot.start();
    const lowWater = deps.maxUnackedBytes / 2;
    while (!this.#stopRequested && this.#failure === null) {
      const events = reader.take();
      if (events.length === 0) {
        if (snapshot && !snapshot.complete) await snapshot.onIdle(reader.currentPosition());
        this.#readerIdle = true;
        const snapshotWork = snapshot && !snapshot.complete ? [snapshot.whenWork()] : [];
        await Promise.race([reader.waitForEvents(), new Promise<void>((resolve) => (this.#wake = resolve)), ...snapshotWork]);
        this.#wake = null;
        continue;
      }
      this.#readerIdle = false;
      for (const event of events) {
        let unit = assembler.push(event);
        if (!unit) continue;
        // Only data can be skipped: an XA prepare must reach the emitter so its commit is sent.
        if (this.#skipBeforeSeconds !== null && (unit.type === "transaction" || unit.type === "ddl")) {
          if ((unit.type === "ddl" ? unit.event.timestampSeconds : unit.timestampSeconds) < this.#skipBeforeSeconds) {
            // Emitting a transaction without its rows moves the position and ends an XA hold.
            if (unit.type === "ddl") tracker.register(unit.event.position, 0, 0);
            else emitter.emit({ ...unit, rows: [], timestampSeconds: 0 });
            continue;
          }
          this.#skipBeforeSeconds = null;
        }
        if (unit.type === "transaction" && unit.xa && !unit.xa.prepared) warnUnseenXaPrepare(deps.log, unit);
        if (snapshot && !snapshot.complete) unit = await snapshot.admit(unit);
        if (emitter.needsPreparation(unit)) await emitter.prepare(unit);
        emitter.emit(unit);
      }
      if (sender.unackedBytes > deps.maxUnackedBytes) {
        reader.pause();
        while (sender.unackedBytes > lowWater && this.#failure === null && !this.#stopRequested) {
          await Promise.race([sender.drainedTo(lowWater), new Promise<void>((resolve) => (this.#wake = resolve))]);
          this.#wake = null;
        }
        reader.resume();
      }
    }
    if (this.#failure !== null) throw this.#failure;
  }

  /** The initial sync of this session, sharing the stream's encoder, sender and tracker. */
  #startSnapshot(reader: BinlogReader, sender: BatchSender, tracker: CheckpointTracker): SnapshotRun | null {
    const prepared = this.#prepared;
    if (!prepared) return null;
    const deps = this.#deps;
    const sync = deps.pipeline.initialSync;
    const routes = new RouteCache({ defaultTopic: deps.pipeline.destination.topic, policy: deps.pipeline.partition, filterContext: { timezoneOffsetSeconds: this.#timezoneOffsetSeconds } });
    const emitter = new SnapshotEmitter({
      pipeline: deps.pipeline,
      routes,
      encoder: this.#encoder as Encoder,
      sink: {
        nextSeq: () => tracker.nextSeq,
        enqueue: (topic, partition, message, seq) => sender.enqueue(topic, partition, message, seq),
        register: (position, count, eventTimeSeconds, progress) => tracker.register(position, count, eventTimeSeconds, progress),
      },
      partitionCounts: new Map(Object.entries(this.#partitionCounts)),
      serverVersion: reader.serverVersion,
    });
    const start = tracker.safe ?? { position: reader.currentPosition(), eventTimeSeconds: 0 };
    return new SnapshotRun({
      connection: deps.connections.source.options,
      tables: prepared.tables,
      progress: prepared.progress,
      emitter,
      reporter: new ProgressReporter({ log: deps.log, terminal: process.stderr.isTTY ? process.stderr : null, metrics: deps.metrics }),
      log: deps.log,
      convert: deps.convert,
      chunkSize: sync.chunkSize,
      parallelism: sync.parallelism,
      throttle: sync.throttle,
      start: { position: start.position, eventTimeSeconds: start.eventTimeSeconds },
      schema: sync.schema,
      capacity: async () => {
        while (sender.unackedBytes > deps.maxUnackedBytes && !this.#stopRequested && this.#failure === null) {
          await Promise.race([sender.drainedTo(deps.maxUnackedBytes / 2), new Promise((r) => setTimeout(r, 200))]);
        }
      },
      onFailure: (error) => this.#fail(error),
    });
  }

  /** Persists the tracker's safe point when it moved; called by the pipeline's timer and at the end. */
  saveCheckpoint(): void {
    const tracker = this.#tracker;
    if (!tracker || tracker.version === this.#savedVersion || !tracker.safe) return;
    this.#savedVersion = tracker.version;
    this.progressed = true;
    this.#checkpoints.save(tracker.safe, this.#partitionCounts);
  }

  async #drain(): Promise<void> {
    this.#snapshot?.stop();
    await this.#reader?.stop();
    await this.#sender?.flush();
    if (this.#failure !== null) throw this.#failure;
  }

  async #close(): Promise<void> {
    this.streaming = false;
    this.#snapshot?.stop();
    await this.#reader?.stop().catch(() => undefined);
    this.saveCheckpoint();
    await this.#producer?.disconnect().catch(() => undefined);
    await this.#admin?.disconnect().catch(() => undefined);
    await this.#control?.end().catch(() => undefined);
  }
}

/** An XA COMMIT whose XA PREPARE (and so its rows) lies before where this stream began. */
function warnUnseenXaPrepare(log: Logger, unit: Extract<AssembledUnit, { type: "transaction" }>): void {
  log.warn(
    { xa: unit.xa?.id, position: unit.position },
    "an XA transaction committed whose XA PREPARE is before this pipeline's start position: its rows were never in the stream read here and are not sent; run an initial sync of the tables it touched if they matter",
  );
}
