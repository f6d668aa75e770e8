// One connected attempt at streaming: open the source and Kafka, resume from the checkpoint, and
// move transactions from the binlog to Kafka until asked to stop or until something breaks. A new
// session follows a retriable failure; a session never retries by itself, so its state stays
// simple (all restarts from the last checkpoint). Its parts: what it connects to (session-resources),
// where it starts (start-position), the loop (event-pump) and the initial sync (session-snapshot).
import { CheckpointTracker, type SafePoint } from "../checkpoint/tracker.js";
import type { DelayFacts } from "../delay.js";
import { RecordEmitter } from "../record-emitter.js";
import { ObjectSelector } from "../select/object-selector.js";
import { selectionOf } from "../select/selection.js";
import { RouteCache } from "../select/table-route.js";
import type { BatchSender } from "../sink/batch-sender.js";
import { sendError } from "../sink/kafka-errors.js";
import { heartbeatOf } from "../source/binlog-heartbeat.js";
import { BinlogReader } from "../source/binlog-reader.js";
import { openMariadbStart } from "../source/gtid-position.js";
import { HeartbeatTableWriter } from "../source/heartbeat-table.js";
import { wrapReaderStart } from "../source/binlog-start-error.js";
import { cloneProgress } from "../snapshot/snapshot-progress.js";
import type { BinlogPoint } from "../snapshot/binlog-position.js";
import type { PreparedSnapshot, SnapshotRun } from "../snapshot/index.js";
import type { Pipeline } from "../../generated/plan.js";
import { binlogEmitter } from "./binlog-emitter.js";
import { EventPump } from "./event-pump.js";
import { addedTablesSnapshot, eitherSelects, liveChangeRefused, tableDelta, tableIds, type LiveChangeResult } from "./live-change.js";
import type { SessionCheckpointSink, SessionDeps } from "./session-deps.js";
import { SessionProgress } from "./session-progress.js";
import { SessionResources, type SourceSetup } from "./session-resources.js";
import { SessionSignals } from "./session-signals.js";
import { StatementWarnings } from "./statement-warnings.js";
import { prepareSessionSnapshot, sessionSnapshot, type SnapshotWiring } from "./session-snapshot.js";
import { initialSafePoint, resumeCheckpoint, streamOpening } from "./start-position.js";
import { TransactionCommits } from "./transaction-commits.js";

export type { SessionCheckpointSink, SessionDeps } from "./session-deps.js";
export { LiveChangeRefused, type LiveChangeResult } from "./live-change.js";

/** What #open leaves for the pump. */
interface OpenStream {
  source: SourceSetup;
  reader: BinlogReader;
  sender: BatchSender;
  tracker: CheckpointTracker;
  skipBeforeSeconds: number | null;
}

export class StreamingSession {
  #deps: SessionDeps;
  readonly #checkpoints: SessionCheckpointSink;
  readonly #signals = new SessionSignals();
  readonly #resources: SessionResources;
  #stream: OpenStream | null = null;
  #savedVersion = -1;
  #prepared: PreparedSnapshot | null = null;
  #snapshot: SnapshotRun | null = null;
  #pump: EventPump | null = null;
  #emitter: RecordEmitter | null = null;
  #wiring: SnapshotWiring | null = null;
  /** A live change waiting for its unit boundary. */
  #changing = false;
  #heartbeatTable: HeartbeatTableWriter | null = null;
  /** With delivery = exactly-once, the commit cycle of its Kafka transactions. */
  #commits: TransactionCommits | null = null;
  /** Set once the source and Kafka are connected and the stream is open. */
  streaming = false;
  /** @@server_id of the source this session reads, once connected: checkpoints record it. */
  sourceServerId: number | null = null;
  /** Whether this session moved the pipeline forward (tells a new outage from an ongoing one). */
  readonly progress: SessionProgress;

  /** Which tables the pipeline takes: the reader keeps only their table maps, the emitter only their rows. */
  #selector: ObjectSelector;
  /** The reader's table-map filter: the selector's tables, and while a live change waits, both sides'. */
  #readerSelects: (database: string, table: string) => boolean;

  constructor(deps: SessionDeps, checkpoints: SessionCheckpointSink) {
    this.#deps = deps;
    this.#checkpoints = checkpoints;
    this.progress = new SessionProgress(checkpoints.current()?.snapshot);
    this.#resources = new SessionResources(deps);
    const selector = (this.#selector = new ObjectSelector(deps.pipeline.objects));
    this.#readerSelects = (database, table) => selector.ruleFor(database, table) !== null;
  }

  get ackedMessages(): number {
    return this.#stream?.sender.sentMessages ?? 0;
  }

  get tracker(): CheckpointTracker | null {
    return this.#stream?.tracker ?? null;
  }

  /** True while this session's initial sync copies tables (the stream runs alongside). */
  get snapshotting(): boolean {
    return this.#prepared !== null && !(this.#snapshot?.complete ?? false);
  }

  /** Rows copied and estimated over all tables, while snapshotting. */
  get snapshotTotals(): { rowsDone: number; rowsTotal: number } | null {
    return this.#snapshot && !this.#snapshot.complete ? this.#snapshot.totals : null;
  }

  /** The source's binlog position now: a finish once caught up waits until it is delivered. */
  serverPosition = (): Promise<BinlogPoint> => this.#resources.serverPosition();

  /** Nothing left to read right now and every message acknowledged: the delay is zero. */
  get caughtUp(): boolean {
    return this.streaming && (this.#pump?.readerIdle ?? false) && this.tracker?.unacknowledged === 0 && !this.snapshotting;
  }

  /** What the delay is measured from (delay.ts). */
  get delayFacts(): DelayFacts {
    const tracker = this.tracker;
    const reader = this.#stream?.reader;
    return {
      streaming: this.streaming,
      caughtUp: this.caughtUp,
      snapshotting: this.snapshotting,
      oldestPendingSeconds: tracker?.oldestPendingEventTimeSeconds ?? null,
      deliveredSeconds: tracker?.safe?.eventTimeSeconds || null,
      deliveredInSession: (tracker?.version ?? 0) > 0,
      lastContactAt: reader?.lastContactAt ?? null,
      heartbeatPeriodSeconds: reader?.heartbeatPeriodSeconds ?? heartbeatOf(this.#deps.pipeline).periodSeconds,
    };
  }

  /** Stops the sync at once too: the stream may wait for its copies (a one-pass read) to end. */
  requestStop(): void {
    this.#signals.requestStop();
    this.#snapshot?.stop();
  }

  /** Runs until stopped (resolves) or broken (rejects with a RuntimeError). */
  async run(): Promise<void> {
    try {
      const stream = await this.#open();
      if (this.#signals.stopRequested) return;
      this.streaming = true;
      await this.#run(stream);
      await this.#drain();
    } finally {
      await this.#close();
    }
  }

  async #open(): Promise<OpenStream> {
    const { pipeline, log } = this.#deps;
    const endpoint = this.#deps.connections.source;
    const resources = this.#resources;
    const kafka = await resources.connectKafka();
    await resources.takeTransactionalId();
    const checkpoint = await resumeCheckpoint(this.#checkpoints, kafka, pipeline, log);
    const counts = await resources.openTopics(checkpoint);
    const source = await resources.connectSource();
    this.sourceServerId = source.facts.serverId;
    const { prepared, selectionChanged } = await prepareSessionSnapshot(this.#deps, source.control, checkpoint, () => this.#signals.stopRequested);
    this.#prepared = prepared;
    const { start, skipBeforeSeconds } = streamOpening(pipeline, checkpoint, prepared, source.facts);
    if (source.facts.isMariaDb) await openMariadbStart(source.control, start, checkpoint?.position ?? null, endpoint.address, log);
    const tracker = new CheckpointTracker(initialSafePoint(checkpoint, pipeline));
    // The spec's selection (and the sync of tables it adds) holds from the checkpoint on.
    // On another server (a GTID start) the checkpoint's file and offset mean nothing here.
    const resumedAt = checkpoint && start.kind === "gtid" ? { file: "", offset: 0, gtidSet: checkpoint.position.gtidSet } : checkpoint?.position;
    if (resumedAt && selectionChanged) tracker.register(resumedAt, 0, checkpoint?.eventTimeSeconds ?? 0, prepared ? { kind: "whole", progress: prepared.progress } : undefined, selectionOf(pipeline.objects));
    const sender = resources.createSender(tracker, (error) => this.#signals.fail(sendError(error)));
    this.#commits = await this.#transactionCommits(sender, tracker);
    this.#savedVersion = this.#commits?.version ?? tracker.version;
    const reader = new BinlogReader(endpoint.options, pipeline.source.serverId, start, (database, table) => this.#readerSelects(database, table), heartbeatOf(pipeline).periodSeconds);
    const statementWarnings = new StatementWarnings(log, this.#deps.metrics, (database, table) => this.#readerSelects(database, table));
    reader.onOtherStatement = (sql, database, position) => statementWarnings.note(sql, database, position);
    reader.onStopped = () => statementWarnings.flush();
    this.#stream = { source, reader, sender, tracker, skipBeforeSeconds };
    await reader.start().catch((error: unknown) => {
      throw wrapReaderStart(error, endpoint.address);
    });
    if (!checkpoint) {
      // Record where "latest"/"earliest" resolved to, so a crash before the first transaction
      // resumes here instead of resolving "latest" again and skipping what happened meanwhile;
      // with an initial sync it holds the table list too (a crash resumes the same snapshot).
      const position = reader.currentPosition();
      this.#checkpoints.save({ position, eventTimeSeconds: 0, ...(this.#prepared ? { snapshot: this.#prepared.progress } : {}) }, resources.partitionCounts);
    }
    await this.#startHeartbeatTable(source);
    log.info({ start, server: source.facts.version, partitions: counts }, "streaming from the binlog");
    return this.#stream;
  }

  /** Exactly-once: the commit cycle of the pipeline's Kafka transactions. */
  async #transactionCommits(sender: BatchSender, tracker: CheckpointTracker): Promise<TransactionCommits | null> {
    const resources = this.#resources;
    const transactions = resources.transactions;
    if (!transactions) return null;
    const checkpointOf = (point: SafePoint) => this.#checkpoints.describe(point, resources.partitionCounts);
    return new TransactionCommits({ transactions, producer: resources.producer, sender, tracker, checkpointTopic: await resources.checkpointPlacement(), checkpointOf });
  }

  async #startHeartbeatTable(source: SourceSetup): Promise<void> {
    const table = heartbeatOf(this.#deps.pipeline).table;
    if (!table) return;
    this.#heartbeatTable = new HeartbeatTableWriter(source.control, table, this.#deps.pipeline.name, this.#deps.log);
    await this.#heartbeatTable.start();
  }

  async #run(stream: OpenStream): Promise<void> {
    const { log, maxUnackedBytes } = this.#deps;
    const { source, reader, sender, tracker } = stream;
    const signals = this.#signals;
    const emitter = (this.#emitter = binlogEmitter(this.#deps, stream, this.#selector, this.#resources.partitionCounts));
    const wiring = (this.#wiring = { reader, sender, tracker, encoder: source.encoder, partitionCounts: this.#resources.partitionCounts, sourceZone: source.sourceZone, signals });
    const snapshot = (this.#snapshot = this.#prepared ? sessionSnapshot(this.#deps, this.#prepared, wiring) : null);
    if (snapshot) await snapshot.start();
    const backlogEnd = source.facts.binlogs.map((b) => ({ file: b.name, offset: b.size })).at(-1) ?? null;
    const pump = (this.#pump = new EventPump({ reader, sender, tracker, emitter, snapshot, signals, log, maxUnackedBytes, skipBeforeSeconds: stream.skipBeforeSeconds, backlogEnd }));
    this.#commits?.start((task) => pump.atBoundary({ ...task, after: null }));
    await pump.run();
  }

  /**
   * Applies a changed spec at the first unit boundary after everything the reader has queued
   * now, so the units before it are sent the old way and every later one the new way.
   */
  async applyLive(next: Pipeline): Promise<LiveChangeResult> {
    const stream = this.#stream;
    const pump = this.#pump;
    if (!stream || !pump || !this.streaming) throw liveChangeRefused("the pipeline is still starting", "send the reload again once dts status shows it streaming");
    if (this.snapshotting) throw liveChangeRefused("an initial sync is still copying tables", "reload again once it is complete (dts status shows its progress)");
    if (this.#changing) throw liveChangeRefused("another change is being applied", "reload again in a moment");
    this.#changing = true;
    try {
      const counts = await this.#resources.openMoreTopics(next);
      const selector = new ObjectSelector(next.objects);
      this.#readerSelects = eitherSelects(this.#selector, selector);
      return await new Promise<LiveChangeResult>((resolve, reject) => {
        pump.atBoundary({
          after: stream.reader.currentPosition(),
          run: () => this.#switchTo(next, selector, counts).then(resolve, (error: unknown) => {
            reject(error);
            throw error;
          }),
          abandon: () => reject(liveChangeRefused("the session ended before the change reached its position", "reload again once dts status shows the pipeline streaming")),
        });
      });
    } finally {
      this.#changing = false;
    }
  }

  /** At the boundary: new mapping for the emitter, the reader's filter, and a sync of added tables. */
  async #switchTo(next: Pipeline, selector: ObjectSelector, counts: Record<string, number>): Promise<LiveChangeResult> {
    const { source, tracker, reader } = this.#stream as OpenStream;
    const query = async (sql: string, params?: unknown[]) => (await source.control.query(sql, params))[0] as Record<string, unknown>[];
    const delta = await tableDelta(query, this.#selector, selector);
    const at = tracker.last ?? { position: reader.currentPosition(), eventTimeSeconds: 0 };
    (this.#emitter as RecordEmitter).remap({ pipeline: next, selector, routes: RouteCache.forPipeline(next, source.sourceZone), partitionCounts: new Map(Object.entries(counts)) });
    this.#selector = selector;
    this.#readerSelects = (database, table) => selector.ruleFor(database, table) !== null;
    this.#deps = { ...this.#deps, pipeline: next };
    const prepared = await addedTablesSnapshot({ pipeline: next, query, loadTable: this.#deps.loadTable(source.control), selector, log: this.#deps.log }, delta);
    if (!prepared) tracker.register(at.position, 0, at.eventTimeSeconds, undefined, selectionOf(next.objects));
    else {
      // Registered at once, so a crash before the first chunk resumes this sync, not none.
      tracker.register(at.position, 0, at.eventTimeSeconds, { kind: "whole", progress: cloneProgress(prepared.progress) }, selectionOf(next.objects));
      const snapshot = sessionSnapshot(this.#deps, prepared, { ...(this.#wiring as SnapshotWiring), partitionCounts: counts }, at);
      this.#prepared = prepared;
      this.#snapshot = snapshot;
      await snapshot.start();
      (this.#pump as EventPump).snapshot = snapshot;
    }
    return { position: at.position, added: tableIds(delta.added), removed: tableIds(delta.removed) };
  }

  /** Persists the tracker's safe point when it moved; called by the pipeline's timer and once run() settled. */
  saveCheckpoint(): void {
    // Exactly-once keeps only committed checkpoints: a later one could skip aborted messages.
    const commits = this.#commits;
    const [point, version] = commits ? [commits.committed, commits.version] : [this.tracker?.safe, this.tracker?.version];
    if (!point || version === undefined || version === this.#savedVersion) return;
    // Counted as saved only once written: a failed write is tried again on the next call.
    this.#checkpoints.save(point, this.#resources.partitionCounts);
    this.#savedVersion = version;
    this.progress.saved(point);
  }

  async #drain(): Promise<void> {
    this.#snapshot?.stop();
    await this.#stream?.reader.stop();
    await this.#stream?.sender.flush();
    this.#signals.throwIfFailed();
    await this.#commits?.commit();
  }

  async #close(): Promise<void> {
    this.streaming = false;
    this.#commits?.stop();
    this.#heartbeatTable?.stop();
    this.#snapshot?.stop();
    await this.#stream?.reader.stop().catch(() => undefined);
    await this.#resources.close();
  }
}
