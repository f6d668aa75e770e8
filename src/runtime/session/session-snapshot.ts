// The initial sync as a session runs it: prepared over the control connection before the stream
// opens (its start position decides where the stream begins), then run beside the stream on
// the session's encoder, sender and tracker.
import type mysql from "mysql2/promise";
import type { Checkpoint } from "../checkpoint/checkpoint.js";
import type { CheckpointTracker } from "../checkpoint/tracker.js";
import type { Encoder } from "../encode/index.js";
import type { ZoneClock } from "../encode/time-zone.js";
import { ObjectSelector } from "../select/object-selector.js";
import { sameSelection, selectionOf, selectorOf } from "../select/selection.js";
import { RouteCache } from "../select/table-route.js";
import type { BatchSender } from "../sink/batch-sender.js";
import type { BinlogReader } from "../source/binlog-reader.js";
import { prepareSnapshot, ProgressReporter, SnapshotEmitter, snapshotPending, SnapshotRun, type PreparedSnapshot, type StreamPoint } from "../snapshot/index.js";
import { isExactlyOnce } from "./exactly-once.js";
import { addedTablesSnapshot, tableDelta, tableIds } from "./live-change.js";
import type { SessionDeps } from "./session-deps.js";
import type { SessionSignals } from "./session-signals.js";

export interface SessionSnapshotPlan {
  /** The tables and progress of this session's initial sync; null when there is none to run or resume. */
  prepared: PreparedSnapshot | null;
  /** The spec selects other tables than the checkpoint's: the session registers the new selection at its start. */
  selectionChanged: boolean;
}

/**
 * The initial sync this session runs: a new pipeline's, one cut short, or, when the spec now
 * selects tables the checkpoint's selection did not (edited while stopped, or a live change
 * not yet checkpointed), one of the added tables.
 */
export async function prepareSessionSnapshot(deps: SessionDeps, control: mysql.Connection, checkpoint: Checkpoint | null, stopped: () => boolean): Promise<SessionSnapshotPlan> {
  const { pipeline, log } = deps;
  const query = async (sql: string, params?: unknown[]) => (await control.query(sql, params))[0] as Record<string, unknown>[];
  const args = { pipeline, query, loadTable: deps.loadTable(control), selector: new ObjectSelector(pipeline.objects), log, stopped };
  const pending = snapshotPending(pipeline, checkpoint);
  const selection = selectionOf(pipeline.objects);
  if (!checkpoint?.selection || sameSelection(checkpoint.selection, selection)) return { prepared: pending ? await prepareSnapshot({ ...args, checkpoint }) : null, selectionChanged: false };
  const delta = await tableDelta(query, selectorOf(checkpoint.selection), args.selector);
  log.info({ added: tableIds(delta.added), removed: tableIds(delta.removed) }, "the spec selects other tables than when the checkpoint was written");
  const resumed = pending ? (checkpoint.snapshot ?? null) : null;
  const prepared = await addedTablesSnapshot(args, delta, resumed);
  return { prepared: prepared ?? (pending ? await prepareSnapshot({ ...args, checkpoint }) : null), selectionChanged: true };
}

export interface SnapshotWiring {
  reader: BinlogReader;
  sender: BatchSender;
  tracker: CheckpointTracker;
  encoder: Encoder;
  partitionCounts: Record<string, number>;
  sourceZone: ZoneClock;
  signals: SessionSignals;
}

/** The initial sync of this session, sharing the stream's encoder, sender and tracker. */
export function sessionSnapshot(deps: SessionDeps, prepared: PreparedSnapshot, wiring: SnapshotWiring, from?: StreamPoint): SnapshotRun {
  const { pipeline, maxUnackedBytes } = deps;
  const { reader, sender, tracker, signals } = wiring;
  const sync = pipeline.initialSync;
  const emitter = new SnapshotEmitter({
    pipeline,
    routes: RouteCache.forPipeline(pipeline, wiring.sourceZone),
    encoder: wiring.encoder,
    sink: {
      nextSeq: () => tracker.nextSeq,
      enqueue: (topic, partition, message, seq) => sender.enqueue(topic, partition, message, seq),
      register: (position, count, eventTimeSeconds, progress) => tracker.register(position, count, eventTimeSeconds, progress),
    },
    partitionCounts: new Map(Object.entries(wiring.partitionCounts)),
    serverVersion: reader.serverVersion,
  });
  // A sync started by a live change begins after what the stream registered already.
  const start = from ?? tracker.safe ?? { position: reader.currentPosition(), eventTimeSeconds: 0 };
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
    // Exactly-once: what Kafka's readers see is what the checkpoint holds, committed together.
    resumed: prepared.resumed && !isExactlyOnce(pipeline),
    copiedBefore: prepared.resumed,
    capacity: async () => {
      while (sender.unackedBytes > maxUnackedBytes && !signals.halted) {
        await Promise.race([sender.drainedTo(maxUnackedBytes / 2), new Promise((r) => setTimeout(r, 200))]);
      }
    },
    onFailure: (error) => signals.fail(error),
  });
}
