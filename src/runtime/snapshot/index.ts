// Entry of the initial sync for a streaming session: decides whether this session runs (or
// resumes) a snapshot, finds the tables and where the stream must start, and builds the
// SnapshotRun once the session's sender and tracker exist.
import type { Pipeline } from "../../generated/plan.js";
import type { Checkpoint } from "../checkpoint/checkpoint.js";
import type { Logger } from "../logger.js";
import type { ObjectSelector } from "../select/object-selector.js";
import type { TableLoader } from "../source/table-catalog.js";
import { masterPosition, startPosition, type BinlogPoint } from "./binlog-position.js";
import { startWithoutPreparedXa } from "./prepared-xa.js";
import { emptyProgress, isSnapshotProgress, snapshotTableNames, type SnapshotProgress } from "./snapshot-progress.js";
import { averageRowBytes, describeSnapshotTable, listSelectedTables, tableId, type Query, type SnapshotTable } from "./snapshot-tables.js";

export { ProgressReporter } from "./progress-reporter.js";
export { SnapshotEmitter, type SnapshotSink, type StreamPoint } from "./snapshot-emitter.js";
export type { SnapshotProgress } from "./snapshot-progress.js";
export { totals as snapshotTotals } from "./snapshot-progress.js";
export { SnapshotRun } from "./snapshot-run.js";
export { listSelectedTables, tableId } from "./snapshot-tables.js";

export interface PreparedSnapshot {
  tables: SnapshotTable[];
  progress: SnapshotProgress;
  /** Where the stream starts for a new snapshot; null when resuming from the checkpoint. */
  startPoint: BinlogPoint | null;
  /** Whether an earlier run copied some of these tables, so Kafka may hold rows the checkpoint does not. */
  resumed: boolean;
}

/** Whether the session has initial-sync work: a new pipeline with initial sync, or one cut short. */
export function snapshotPending(pipeline: Pipeline, checkpoint: Checkpoint | null): boolean {
  const sync = pipeline.initialSync;
  if (!sync.data && !sync.schema) return false;
  if (!checkpoint) return true;
  const progress = checkpoint.snapshot;
  return isSnapshotProgress(progress) && !progress.complete;
}

interface PrepareArgs {
  pipeline: Pipeline;
  query: Query;
  loadTable: TableLoader;
  selector: ObjectSelector;
  checkpoint: Checkpoint | null;
  log: Logger;
  /** True once the session should stop (ends a wait for prepared XA transactions). */
  stopped?: () => boolean;
}

export async function prepareSnapshot(args: PrepareArgs): Promise<PreparedSnapshot> {
  const { pipeline, query, selector, log } = args;
  const saved = args.checkpoint?.snapshot;
  let progress: SnapshotProgress;
  let startPoint: BinlogPoint | null = null;
  let names: [string, string, number][];
  if (isSnapshotProgress(saved)) {
    progress = saved;
    names = snapshotTableNames(saved);
  } else {
    // The start position comes before the table list: a table created in between is then
    // both listed and in the stream, which the reconciler handles like any other.
    startPoint = await startWithoutPreparedXa(query, () => startPosition(query), { log, stopped: args.stopped ?? (() => false) });
    names = await listSelectedTables(query, selector);
    progress = emptyProgress(names.map(([db, table, estimate]) => [tableId(db, table), estimate]));
    if (!pipeline.initialSync.data) for (const table of Object.values(progress.tables)) table.done = true;
    log.info({ tables: names.length, start: startPoint, chunkSize: pipeline.initialSync.chunkSize, parallelism: pipeline.initialSync.parallelism }, "initial sync begins");
  }
  return { tables: await describeTables(args, names, progress), progress, startPoint, resumed: startPoint === null };
}

/**
 * The initial sync of tables a changed spec adds to a running pipeline: the stream goes on from
 * where it is, so there is no start position of its own; the watermarks reconcile as usual.
 */
export async function prepareAddedTables(args: Omit<PrepareArgs, "checkpoint">, names: [string, string, number][], pending: SnapshotProgress | null = null): Promise<PreparedSnapshot> {
  const fresh = emptyProgress(names.map(([db, table, estimate]) => [tableId(db, table), estimate]));
  if (!args.pipeline.initialSync.data) for (const table of Object.values(fresh.tables)) table.done = true;
  // A sync cut short goes on with the added tables in it (their schema records still to send).
  const progress = pending ? { ...fresh, tables: { ...fresh.tables, ...pending.tables }, estimates: { ...fresh.estimates, ...pending.estimates } } : fresh;
  if (!args.pipeline.initialSync.schema) progress.schemaDone = true;
  args.log.info({ tables: names.map(([db, table]) => tableId(db, table)), chunkSize: args.pipeline.initialSync.chunkSize }, "initial sync of added tables begins");
  return { tables: await describeTables(args, snapshotTableNames(progress), progress), progress, startPoint: null, resumed: pending !== null };
}

/** Describes each table; one dropped since the snapshot began is marked done (nothing left to copy). */
async function describeTables(args: Omit<PrepareArgs, "checkpoint">, names: [string, string, number][], progress: SnapshotProgress): Promise<SnapshotTable[]> {
  const tables: SnapshotTable[] = [];
  // One query for the listed tables' databases; none when nothing is listed.
  const rowBytes = names.length > 0 ? await averageRowBytes(args.query, [...new Set(names.map(([db]) => db))]) : new Map<string, number>();
  // File and offset only: the GTID position startPosition also reads is not needed here.
  const describedAt = names.length > 0 ? await masterPosition(args.query) : undefined;
  for (const [db, name, estimate] of names) {
    const table = await describeSnapshotTable(args.query, args.loadTable, args.selector, db, name, estimate, rowBytes.get(tableId(db, name)));
    if (table) tables.push(describedAt ? { ...table, describedAt } : table);
    else {
      const entry = progress.tables[tableId(db, name)];
      if (entry) entry.done = true;
    }
  }
  return tables;
}
