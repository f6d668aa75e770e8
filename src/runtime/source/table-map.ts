// What a binlog table map says about the rows events that follow it: the column names and,
// when the server writes binlog_row_metadata=FULL, each column's type, signedness and charset
// and the primary key as they were when the rows were written. The catalog
// (table-catalog.ts) turns this into the TableInfo the rows are decoded with, so rows written
// before an ALTER keep their own shape, and rows of a table dropped since still have one.
// MariaDB's 5.3 temporal formats are the one gap in FULL metadata: see describeFullTableMap.
import type { ColumnSchema, TableMapEntry, TableMapEvent } from "@vlasky/zongji";
import type { ColumnInfo } from "../change-event.js";
import { columnInfoFrom } from "./table-schema.js";
import { blobLength, integerPrecision } from "./column-sizes.js";

/** What to do when rows cannot be decoded because the binlog does not describe them. */
export const METADATA_HINT =
  "set binlog_row_metadata = FULL on the source (MariaDB 10.5+, MySQL 8.0.1+) so the binlog describes its own rows; " +
  "rows written before that need the table as it was: recreate it with those columns, or exclude the table from the pipeline, " +
  "or start the pipeline after these rows (start_from) and resync the table with an initial sync";

/** The columns as the binlog describes them (binlog_row_metadata=FULL). */
export interface LoggedColumns {
  columns(): readonly ColumnInfo[];
  /** Primary key column names; null when the table map does not say. */
  readonly primaryKey: readonly string[] | null;
  /** MariaDB 5.3-format temporal columns whose precision no one could tell: read as having none. */
  readonly assumedPrecision?: readonly string[];
  /** Equal for equal descriptions: the catalog caches the decoded shape under it. */
  readonly signature: string;
}

export class BinlogTableMap {
  #signature: string | undefined;

  constructor(
    readonly database: string,
    readonly table: string,
    /** Values per row: the table map's column count. */
    readonly columnCount: number,
    /**
     * Column names: the table map's own with FULL metadata; otherwise those zongji read from
     * information_schema when the table map arrived, which may differ in number after an ALTER.
     */
    readonly names: readonly string[],
    readonly logged: LoggedColumns | null,
  ) {}

  /** Identifies what the rows of this table map look like (the catalog's cache key). */
  get signature(): string {
    this.#signature ??= this.logged ? `F${this.logged.signature}` : `N${this.columnCount}\u0000${this.names.join("\u0000")}`;
    return this.#signature;
  }
}


/**
 * The type as the server's information_schema names it: zongji names GEOMETRYCOLLECTION as MySQL
 * 8 does (`geomcollection`), MariaDB says `geometrycollection`.
 */
function serverTypeName(columnType: string, isMariaDb: boolean): string {
  return isMariaDb && columnType === "geomcollection" ? "geometrycollection" : columnType;
}

/**
 * A column as zongji describes it from FULL metadata (COLUMN_TYPE like `int unsigned`,
 * `decimal(10,2)`, `varchar(20)`, `timestamp(6)`), with the numbers information_schema would
 * report for it, so it encodes exactly like a column loaded from there. The binlog does not
 * carry FLOAT(M,D)'s M and D, display widths or nullability (taken as nullable).
 */
export function loggedColumn(schema: ColumnSchema, isMariaDb: boolean): ColumnInfo {
  // MariaDB marks COMPRESSED columns in a trailing comment; the values arrive inflated.
  const columnType = serverTypeName(schema.COLUMN_TYPE.replace(/\s*\/\*.*\*\/\s*$/, ""), isMariaDb);
  const dataType = (/^[a-z]+/i.exec(columnType)?.[0] ?? "").toLowerCase();
  const args = /^[a-z]+\((\d+)(?:,(\d+))?\)/i.exec(columnType);
  const first = args ? Number(args[1]) : null;
  const unsigned = /\bunsigned\b/i.test(columnType);
  const integer = integerPrecision(dataType, unsigned);
  const decimal = dataType === "decimal";
  const numericPrecision = integer !== undefined ? integer : decimal || dataType === "bit" ? first : dataType === "float" ? 12 : dataType === "double" ? 22 : null;
  const column = columnInfoFrom({
    name: schema.COLUMN_NAME,
    columnType,
    dataType,
    nullable: "YES",
    charset: schema.CHARACTER_SET_NAME,
    numericPrecision,
    numericScale: decimal ? Number(args?.[2] ?? 0) : null,
    datetimePrecision: /^(datetime|timestamp|time)$/.test(dataType) ? (first ?? 0) : null,
    charLength: /^(var)?(char|binary)$/.test(dataType) ? first : (blobLength(dataType) ?? null),
  });
  // zongji quotes labels without escaping backslashes: take them as it decoded them.
  const labels = schema.ENUM_VALUES ?? schema.SET_VALUES;
  return labels ? { ...column, labels: [...labels] } : column;
}

/** Length-prefixed, so no name or type text can make two descriptions read alike. */
const part = (text: string | null): string => (text === null ? "-" : `${text.length}:${text}`);

/** A column schema of describeFullTableMap; `precisionAssumed` when its precision is a guess. */
type LoggedSchema = ColumnSchema & { precisionAssumed?: boolean };

/** Names of the columns describeFullTableMap could only assume a precision for. */
export const assumedPrecisionColumns = (schemas: readonly LoggedSchema[]): string[] => schemas.filter((s) => s.precisionAssumed).map((s) => s.COLUMN_NAME);

/**
 * The columns of a FULL-metadata table map, described lazily: only selected tables need them.
 * The signature is built per transaction, so it is plain concatenation (COLUMN_TYPE carries
 * ENUM and SET labels, quoted with '' for a quote, so it is unambiguous).
 */
function loggedColumns(schemas: readonly LoggedSchema[], primaryKey: readonly string[] | null, isMariaDb: boolean): LoggedColumns {
  let columns: readonly ColumnInfo[] | undefined;
  let signature: string | undefined;
  return {
    primaryKey,
    assumedPrecision: assumedPrecisionColumns(schemas),
    columns: () => (columns ??= schemas.map((schema) => loggedColumn(schema, isMariaDb))),
    get signature() {
      if (signature === undefined) {
        signature = primaryKey ? `${primaryKey.length}|${primaryKey.map(part).join("")}` : "-";
        for (const s of schemas) signature += part(s.COLUMN_NAME) + part(s.COLUMN_TYPE) + part(s.CHARACTER_SET_NAME) + (s.precisionAssumed ? "?" : "");
      }
      return signature;
    },
  };
}

/** MariaDB's classic temporal type codes, by the type they log. */
const CLASSIC_TEMPORAL: Readonly<Record<number, string>> = { 7: "timestamp", 11: "time", 12: "datetime" };

/** A temporal column as information_schema.COLUMNS shows it now. */
export interface CurrentTemporalColumn {
  COLUMN_NAME: string;
  DATA_TYPE: string;
  DATETIME_PRECISION: number | string | null;
}

/** What zongji's TableMap event offers for describeFullTableMap (before updateColumnInfo). */
export type FullTableMapEvent = Pick<TableMapEvent, "schemaName" | "tableName" | "columnTypes" | "buildColumnSchemas">;

/** zongji entries describeFullTableMap made, so tableMapFromZongji knows their schemas are the binlog's. */
const describedFromBinlog = new WeakSet<TableMapEntry>();

/** The column information_schema shows under a name (column names are case-insensitive). */
function columnNamed<T extends { COLUMN_NAME: string }>(columns: readonly T[], name: string): T | undefined {
  const lower = name.toLowerCase();
  return columns.find((c) => c.COLUMN_NAME === name) ?? columns.find((c) => c.COLUMN_NAME.toLowerCase() === lower);
}

/**
 * zongji's entry for a FULL table map on MariaDB with classic temporal type codes, which zongji
 * would describe from information_schema by position. Those codes also carry MariaDB 5.3's
 * formats (DATETIME/TIME/TIMESTAMP created before 10.1.2 or under mysql56_temporal_format=OFF),
 * whose fractional-second precision no binlog metadata carries (their Field classes log no
 * metadata) and which sets their width. So every column is described by the binlog, and only
 * that precision is taken from `current`, the table's temporal columns now, by name. A column
 * `current` lacks (dropped, renamed, retyped since; the table gone) is read without fraction,
 * the format of such a column without a precision, as mysqlbinlog reads it; it is marked so.
 */
export function describeFullTableMap(event: FullTableMapEvent, current: readonly CurrentTemporalColumn[]): TableMapEntry {
  const schemas: LoggedSchema[] = event.buildColumnSchemas();
  schemas.forEach((schema, i) => {
    const type = CLASSIC_TEMPORAL[event.columnTypes[i] ?? -1];
    if (type === undefined) return;
    const now = columnNamed(current, schema.COLUMN_NAME);
    const precision = now?.DATA_TYPE.toLowerCase() === type ? Number(now.DATETIME_PRECISION ?? 0) : null;
    // zongji and row-image-reader.ts read a 5.3 format's width from a precision in COLUMN_TYPE.
    schema.COLUMN_TYPE = precision ? `${type}(${precision})` : type;
    if (precision === null) schema.precisionAssumed = true;
  });
  const entry: TableMapEntry = { columnSchemas: schemas, parentSchema: event.schemaName, tableName: event.tableName };
  describedFromBinlog.add(entry);
  return entry;
}

/**
 * Reads zongji's view of a table map event, and keys zongji's column list by position: zongji
 * builds each row as a plain object keyed by column name, where a column named `__proto__`
 * would replace the object's prototype and lose its value. Keyed by position, a row object is
 * read by index, whatever the names are. Must run before the rows events of the table map are
 * parsed, which the reader's synchronous handling of the tablemap event guarantees.
 */
export function tableMapFromZongji(event: TableMapEvent, entry: TableMapEntry, isMariaDb: boolean): BinlogTableMap {
  const columns = entry.columns ?? [];
  for (let i = 0; i < columns.length; i++) (columns[i] as { name: string | number }).name = i;
  const full = event.hasSelfDescribingMetadata();
  // zongji describes MariaDB table maps with classic temporal codes from information_schema,
  // unless classic-temporal.ts had describeFullTableMap describe them; names still come from the binlog.
  const decodedFromBinlog = full && (!(isMariaDb && event.hasAmbiguousTemporalColumns()) || describedFromBinlog.has(entry));
  const names = full ? (event.columnNames as string[]) : entry.columnSchemas.map((s) => s.COLUMN_NAME);
  // FULL metadata lists the primary key the table had when the rows were written; none listed
  // means it had none then (a key added since must not key these rows).
  const primaryKey = full ? (event.primaryKey ?? []).map((i) => names[i] ?? "") : null;
  const logged = decodedFromBinlog ? loggedColumns(entry.columnSchemas, primaryKey, isMariaDb) : null;
  return new BinlogTableMap(event.schemaName, event.tableName, event.columnCount, names, logged);
}
