// TableInfo per source table, loaded from information_schema on first use and reloaded after
// DDL on the table. Rows read from before an ALTER carry the old column list (zongji takes it
// from the table map under binlog_row_metadata=FULL); those get a variant of the table that
// follows the binlog's columns.
import type { ColumnInfo, TableInfo } from "../change-event.js";

export type TableLoader = (database: string, table: string) => Promise<TableInfo | null>;

interface Entry {
  current: TableInfo | null;
  /** Variants for other column lists, keyed by the names joined with NUL. */
  variants: Map<string, TableInfo>;
}

function sameNames(table: TableInfo, names: readonly string[]): boolean {
  if (table.columns.length !== names.length) return false;
  for (let i = 0; i < names.length; i++) if ((table.columns[i] as ColumnInfo).name !== names[i]) return false;
  return true;
}

export class TableCatalog {
  readonly #load: TableLoader;
  readonly #tables = new Map<string, Entry>();

  constructor(load: TableLoader) {
    this.#load = load;
  }

  /**
   * The table to decode rows with the given column names: undefined when it must be loaded
   * first, null when the table no longer exists.
   */
  cached(database: string, table: string, columnNames: readonly string[]): TableInfo | null | undefined {
    const entry = this.#tables.get(`${database}\u0000${table}`);
    if (entry === undefined) return undefined;
    if (entry.current === null) return null;
    if (columnNames.length === 0 || sameNames(entry.current, columnNames)) return entry.current;
    return entry.variants.get(columnNames.join("\u0000"));
  }

  async load(database: string, table: string, columnNames: readonly string[]): Promise<TableInfo | null> {
    const key = `${database}\u0000${table}`;
    let entry = this.#tables.get(key);
    if (!entry) {
      entry = { current: await this.#load(database, table), variants: new Map() };
      this.#tables.set(key, entry);
    }
    const current = entry.current;
    if (current === null) return null;
    if (columnNames.length === 0 || sameNames(current, columnNames)) return current;
    const variant = followBinlogColumns(current, columnNames);
    entry.variants.set(columnNames.join("\u0000"), variant);
    return variant;
  }

  invalidate(database: string, table: string): void {
    this.#tables.delete(`${database}\u0000${table}`);
  }

  invalidateDatabase(database: string): void {
    for (const key of this.#tables.keys()) if (key.startsWith(`${database}\u0000`)) this.#tables.delete(key);
  }
}

/**
 * Keeps the binlog's column list and takes each column's details from the current definition.
 * A column that no longer exists is described as nullable text, the one shape that renders any
 * value zongji decoded; its rows are still delivered.
 */
export function followBinlogColumns(current: TableInfo, names: readonly string[]): TableInfo {
  const byName = new Map(current.columns.map((c) => [c.name, c]));
  const keep = (key: string[]) => (key.every((n) => names.includes(n)) ? key : null);
  const uniqueKeys: Record<string, string[]> = {};
  for (const [index, key] of Object.entries(current.uniqueKeys)) if (keep(key)) uniqueKeys[index] = key;
  return {
    ...current,
    columns: names.map(
      (name): ColumnInfo =>
        byName.get(name) ?? { name, columnType: "longtext", dataType: "longtext", typeCode: 252, unsigned: false, nullable: true, charset: "utf8mb4", precision: null, scale: null, fsp: null, labels: null },
    ),
    primaryKey: keep(current.primaryKey) ?? [],
    uniqueKeys,
  };
}
