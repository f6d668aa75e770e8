// The TableInfo to decode each rows event with, cached per table and per shape of its table
// map. Each table is loaded from information_schema on first use and reloaded after DDL on it;
// rows-table.ts reconciles that description with what the binlog's table map says about the
// rows, so the same TableInfo object comes back for the same shape (the encoders and routes
// cache their per-table work by TableInfo identity).
import type { TableInfo } from "../change-event.js";
import type { Logger } from "../logger.js";
import { rowsTable } from "./rows-table.js";
import type { BinlogTableMap } from "./table-map.js";

export type TableLoader = (database: string, table: string) => Promise<TableInfo | null>;

export interface CatalogContext {
  /** host:port of the source, for errors. */
  server: string;
  log?: Logger;
}

interface Entry {
  /** information_schema's description; null when it does not show the table. */
  current: TableInfo | null;
  /** Decoded shapes by table map signature. */
  shapes: Map<string, TableInfo>;
}

const tableKey = (database: string, table: string) => `${database}\u0000${table}`;

/** A MariaDB SEQUENCE's columns, in order (the types vary with `AS <integer type>`, 11.5+). */
const SEQUENCE_COLUMNS = ["next_not_cached_value", "minimum_value", "maximum_value", "start_value", "increment", "cache_size", "cycle_option", "cycle_count"];

const sequenceColumns = (names: readonly string[]) => names.length === SEQUENCE_COLUMNS.length && names.every((n, i) => n === SEQUENCE_COLUMNS[i]);

/**
 * Whether the rows of `map` are a sequence's state (never sent: record-emitter.ts). A table map
 * does not say whether its table is a sequence, and the name may have been a table before or
 * since, so FULL metadata decides by the rows' own columns: a sequence's, without a primary
 * key. Only when information_schema shows a table (not a sequence) with exactly those columns
 * now are they that table's. Without FULL metadata information_schema decides.
 */
function sequenceRows(current: TableInfo | null, map: BinlogTableMap): boolean {
  if (!map.logged) return current?.sequence === true;
  if (map.logged.primaryKey?.length !== 0 || !sequenceColumns(map.names)) return false;
  return current === null || current.sequence === true || !sequenceColumns(current.columns.map((c) => c.name));
}

export class TableCatalog {
  readonly #load: TableLoader;
  readonly #context: CatalogContext;
  readonly #tables = new Map<string, Entry>();

  constructor(load: TableLoader, context: CatalogContext) {
    this.#load = load;
    this.#context = context;
  }

  /** The table to decode rows of this table map with; undefined when `load` must run first. */
  cached(map: BinlogTableMap): TableInfo | undefined {
    return this.#tables.get(tableKey(map.database, map.table))?.shapes.get(map.signature);
  }

  /** Loads what `cached` lacks; throws a RuntimeError when the rows cannot be decoded. */
  async load(map: BinlogTableMap): Promise<TableInfo> {
    const key = tableKey(map.database, map.table);
    let entry = this.#tables.get(key);
    if (!entry) {
      entry = { current: await this.#load(map.database, map.table), shapes: new Map() };
      this.#tables.set(key, entry);
    }
    let info = entry.shapes.get(map.signature);
    if (!info) {
      info = this.#describe(entry.current, map);
      entry.shapes.set(map.signature, info);
    }
    return info;
  }

  #describe(current: TableInfo | null, map: BinlogTableMap): TableInfo {
    if (sequenceRows(current, map)) {
      if (current?.sequence) return current;
      const columns = [...(map.logged?.columns() ?? [])];
      return { database: map.database, table: map.table, columns, primaryKey: [], uniqueKeys: Object.create(null), sequence: true };
    }
    // A sequence of that name now is not the table these rows were written to.
    const table = current?.sequence ? null : current;
    const info = rowsTable(table, map, this.#context.server);
    if (table === null) this.#noteUnknown(map, current !== null);
    if (map.logged?.assumedPrecision?.length) this.#noteAssumedPrecision(map, map.logged.assumedPrecision);
    return info;
  }

  #noteUnknown(map: BinlogTableMap, sequenceNow: boolean): void {
    const now = sequenceNow ? "information_schema shows a sequence of this name now, not this table" : "information_schema does not show this table (dropped or renamed since, or no SELECT privilege)";
    this.#context.log?.warn(
      { table: `${map.database}.${map.table}`, server: this.#context.server },
      `${now}: its rows are decoded with the binlog's own column metadata (binlog_row_metadata=FULL); unique keys other than the primary key are unknown`,
    );
  }

  #noteAssumedPrecision(map: BinlogTableMap, columns: readonly string[]): void {
    this.#context.log?.warn(
      { table: `${map.database}.${map.table}`, columns, server: this.#context.server },
      "these columns are DATETIME, TIME or TIMESTAMP in MariaDB's 5.3 format (created before 10.1.2 or under mysql56_temporal_format=OFF), whose fractional-second precision the binlog does not carry, and information_schema no longer shows them with that type: their values are read as having no fractional seconds; if they had some, these rows are decoded wrong and the table needs a new initial sync",
    );
  }

  invalidate(database: string, table: string): void {
    this.#tables.delete(tableKey(database, table));
  }

  invalidateDatabase(database: string): void {
    for (const key of this.#tables.keys()) if (key.startsWith(`${database}\u0000`)) this.#tables.delete(key);
  }
}
