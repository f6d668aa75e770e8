// Which tables the initial sync copies and how: every base table the pipeline's rules select,
// with its description, the key it is chunked by (or none), the collations of text key columns,
// the row estimate from information_schema, and its CREATE TABLE for the schema sync.
import type { SnapshotEmitter, StreamPoint } from "./snapshot-emitter.js";
import type { ObjectRule } from "../../generated/plan.js";
import type { TableInfo } from "../change-event.js";
import type { ObjectSelector } from "../select/object-selector.js";
import { tableGone } from "../source/server-errors.js";
import type { BinlogPoint } from "./binlog-position.js";
import { chooseChunkKey, type ChunkKey } from "./chunk-key.js";
import { snapshotTableKey, type ProgressStep } from "./snapshot-progress.js";

export type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface SnapshotTable {
  /** The table's name in the checkpoint (snapshotTableKey): `database.table` unless a name holds a dot. */
  id: string;
  info: TableInfo;
  rule: ObjectRule;
  /** null: no usable key, the table is read in one pass. */
  key: ChunkKey | null;
  /** information_schema.TABLES.TABLE_ROWS: an estimate (InnoDB samples). */
  estimatedRows: number;
  /** information_schema.TABLES.AVG_ROW_LENGTH, an estimate that sizes the first chunk (chunk-sizer.ts); 0 or absent when unknown. */
  averageRowBytes?: number;
  /** The binlog position read just before `info` was: a DDL logged before it shows in `info` (stream-admission.ts). */
  describedAt?: BinlogPoint;
}

const systemDatabases = new Set(["mysql", "information_schema", "performance_schema", "sys"]);

/** The table's name in the checkpoint's initial-sync progress (unambiguous even with dots in names). */
export function tableId(database: string, table: string): string {
  return snapshotTableKey(database, table);
}

/** Selected base tables in name order: `[database, table, estimated rows]`; system-versioned ones too, to be refused (table-schema.ts) rather than passed over. */
export async function listSelectedTables(query: Query, selector: Pick<ObjectSelector, "ruleFor">): Promise<[string, string, number][]> {
  const rows = await query("SELECT TABLE_SCHEMA db, TABLE_NAME name, TABLE_ROWS estimate FROM information_schema.TABLES WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY TABLE_SCHEMA, TABLE_NAME");
  return rows
    .map((r) => [String(r.db), String(r.name), Number(r.estimate ?? 0)] as [string, string, number])
    .filter(([db, name]) => !systemDatabases.has(db.toLowerCase()) && selector.ruleFor(db, name) !== null);
}

export async function keyCollations(query: Query, database: string, table: string): Promise<Record<string, string | null>> {
  const rows = await query("SELECT COLUMN_NAME name, COLLATION_NAME collation FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", [database, table]);
  return Object.fromEntries(rows.map((r) => [String(r.name), r.collation === null ? null : String(r.collation)]));
}

/**
 * The server's estimate of a row's bytes per base table of `databases` by tableId, in one query
 * (InnoDB: data length over sampled rows); absent when it has none.
 */
export async function averageRowBytes(query: Query, databases: readonly string[]): Promise<Map<string, number>> {
  const rows = await query("SELECT TABLE_SCHEMA db, TABLE_NAME name, AVG_ROW_LENGTH bytes FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN (?)", [databases]);
  const estimates = new Map<string, number>();
  for (const row of rows) {
    const bytes = Number(row.bytes ?? 0);
    if (Number.isFinite(bytes) && bytes > 0) estimates.set(tableId(String(row.db), String(row.name)), bytes);
  }
  return estimates;
}

export async function describeSnapshotTable(
  query: Query,
  loadTable: (database: string, table: string) => Promise<TableInfo | null>,
  selector: ObjectSelector,
  database: string,
  table: string,
  estimatedRows: number,
  rowBytes = 0,
): Promise<SnapshotTable | null> {
  const rule = selector.ruleFor(database, table);
  const info = await loadTable(database, table);
  if (!rule || !info) return null;
  const key = chooseChunkKey(info, await keyCollations(query, database, table));
  return { id: tableId(database, table), info, rule, key, estimatedRows: Math.max(0, estimatedRows), averageRowBytes: rowBytes };
}

/** The table's CREATE TABLE statement; null when it was dropped or renamed since it was listed. */
export async function showCreateTable(query: Query, database: string, table: string): Promise<string | null> {
  let rows: Record<string, unknown>[];
  try {
    rows = await query(`SHOW CREATE TABLE ${quoteName(database)}.${quoteName(table)}`);
  } catch (error) {
    if (tableGone(error)) return null;
    throw error;
  }
  const row = rows[0];
  const sql = row?.["Create Table"];
  if (typeof sql !== "string") throw new Error(`SHOW CREATE TABLE ${database}.${table} returned no statement`);
  return sql;
}

export function quoteName(name: string): string {
  return `\`${name.replaceAll("`", "``")}\``;
}

/** Sends each table's CREATE TABLE as a schema record, then marks the schema sent. */
export async function sendSchemaRecords(
  query: Query,
  tables: readonly SnapshotTable[],
  emitter: Pick<SnapshotEmitter, "emitSchema" | "mark">,
  at: () => StreamPoint,
  steps: { unchanged(): ProgressStep | undefined; schemaSent(): ProgressStep },
): Promise<void> {
  for (const table of tables) {
    const sql = await showCreateTable(query, table.info.database, table.info.table);
    // null: dropped since it was listed; its copy ends with a warning (table-copier.ts).
    if (sql !== null) emitter.emitSchema(table, sql, at(), steps.unchanged());
  }
  emitter.mark(at(), steps.schemaSent());
}
