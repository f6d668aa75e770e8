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
    const entry = this.#tables.get(tableKey(map.database, map.table));
    return entry?.current?.sequence ? entry.current : entry?.shapes.get(map.signature);
  }

  /** Loads what `cached` lacks; throws a RuntimeError when the rows cannot be decoded. */
  async load(map: BinlogTableMap): Promise<TableInfo> {
    const key = tableKey(map.database, map.table);
    let entry = this.#tables.get(key);
    if (!entry) {
      entry = { current: await this.#load(map.database, map.table), shapes: new Map() };
      this.#tables.set(key, entry);
    }
    // A sequence's rows are never decoded (record-emitter.ts), whatever its table map says.
    if (entry.current?.sequence) return entry.current;
    let info = entry.shapes.get(map.signature);
    if (!info) {
      info = rowsTable(entry.current, map, this.#context.server);
      if (entry.current === null) this.#noteUnknown(map);
      entry.shapes.set(map.signature, info);
    }
    return info;
  }

  #noteUnknown(map: BinlogTableMap): void {
    this.#context.log?.warn(
      { table: `${map.database}.${map.table}`, server: this.#context.server },
      "information_schema does not show this table (dropped or renamed since, or no SELECT privilege): its rows are decoded with the binlog's own column metadata (binlog_row_metadata=FULL); unique keys other than the primary key are unknown",
    );
  }

  invalidate(database: string, table: string): void {
    this.#tables.delete(tableKey(database, table));
  }

  invalidateDatabase(database: string): void {
    for (const key of this.#tables.keys()) if (key.startsWith(`${database}\u0000`)) this.#tables.delete(key);
  }
}
