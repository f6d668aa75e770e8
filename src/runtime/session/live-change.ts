// A changed spec applied to a running session at one binlog position, without stopping the
// stream: which tables the pipeline takes, and how their rows are mapped, filtered and routed.
// Tables the change adds get their own initial sync beside the stream (the same watermark
// reconciliation as the first one); tables it removes stop at that position.
import type { Pipeline } from "../../generated/plan.js";
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import { RuntimeError } from "../errors.js";
import type { ObjectSelector } from "../select/object-selector.js";
import { listSelectedTables, prepareAddedTables, tableId, type PreparedSnapshot } from "../snapshot/index.js";
import type { SnapshotProgress } from "../snapshot/snapshot-progress.js";
import type { Query } from "../snapshot/snapshot-tables.js";

export interface LiveChangeResult {
  /** The position after the last unit sent the old way; every later one is sent the new way. */
  position: BinlogResumePosition;
  /** Tables now selected that were not (`database.table`); they get an initial sync if the spec has one. */
  added: string[];
  /** Tables no longer selected; their rows stop at `position`. */
  removed: string[];
}

/** A change the session cannot take as it is now; nothing was changed. */
export class LiveChangeRefused extends RuntimeError {}

export function liveChangeRefused(reason: string, hint: string): LiveChangeRefused {
  return new LiveChangeRefused("config", `the changed spec cannot be applied now: ${reason}`, { hint });
}

export interface TableDelta {
  /** `[database, table, estimated rows]`, as the initial sync takes them. */
  added: [string, string, number][];
  removed: [string, string, number][];
}

/** Existing tables the new rules select and the old did not, and the other way round (one read of information_schema). */
export async function tableDelta(query: Query, before: ObjectSelector, after: ObjectSelector): Promise<TableDelta> {
  const either = await listSelectedTables(query, { ruleFor: (database, table) => before.ruleFor(database, table) ?? after.ruleFor(database, table) });
  const only = (a: ObjectSelector, b: ObjectSelector) => either.filter(([db, table]) => a.ruleFor(db, table) !== null && b.ruleFor(db, table) === null);
  return { added: only(after, before), removed: only(before, after) };
}

/** Tables as `database.table` (quoted when a name holds a dot), for logs and the status file. */
export function tableIds(tables: readonly [string, string, number][]): string[] {
  return tables.map(([db, table]) => tableId(db, table));
}

/** The initial sync for added tables, or null when the spec has none or nothing was added. */
export async function addedTablesSnapshot(args: Parameters<typeof prepareAddedTables>[0], delta: TableDelta, pending: SnapshotProgress | null = null): Promise<PreparedSnapshot | null> {
  const sync = args.pipeline.initialSync;
  if (delta.added.length === 0 || (!sync.data && !sync.schema)) return null;
  return prepareAddedTables(args, delta.added, pending);
}

/** Reader filter while a change waits for its boundary: table maps of both sides are kept. */
export function eitherSelects(a: ObjectSelector, b: ObjectSelector): (database: string, table: string) => boolean {
  return (database, table) => a.ruleFor(database, table) !== null || b.ruleFor(database, table) !== null;
}
