// Raw values → canonical ColumnValue (change-event.ts), for both readers of the source:
// @vlasky/zongji row images and mysql2 SELECT results. Both must be configured as the runtime's
// connection is (mysql-connection.ts): dateStrings: true, timezone: "Z", supportBigNumbers and
// bigNumberStrings: true, and the SELECT session at time_zone '+00:00' (SNAPSHOT_SESSION_SQL).
// Snapshot queries should select columns through snapshotSelectList (table-schema.ts), so FLOAT
// arrives widened to DOUBLE rather than as the server's 6-digit text, and GEOMETRY as its bytes.
import type { ColumnInfo, ColumnValue, TableInfo, TimestampValue } from "../change-event.js";
import { bytesToText } from "../encode/charset.js";
import { columnFamily } from "../encode/column-family.js";
import { declaresEmptyLabel, setTextFromLabels } from "../encode/set-text.js";
import { parseTimestampText, timestampText, zoneClock } from "../encode/time-zone.js";
import { mariadbTypeText } from "./mariadb-types.js";
import { BinlogTimestamp } from "./row-image-reader.js";

export type ValueSource = "binlog" | "select";
export type RawConverter = (raw: unknown) => ColumnValue;

const utc = zoneClock("UTC");

function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function toTimestamp(raw: unknown, column: ColumnInfo): TimestampValue {
  if (raw instanceof BinlogTimestamp) return raw;
  if (typeof raw !== "string") throw new Error(`column ${column.name}: TIMESTAMP arrived as ${typeof raw}; the connection needs dateStrings: true`);
  const parsed = parseTimestampText(raw, utc);
  if (!parsed) throw new Error(`column ${column.name}: "${raw}" is not a TIMESTAMP value`);
  return parsed;
}

function temporalText(raw: unknown, column: ColumnInfo): string {
  if (typeof raw !== "string") throw new Error(`column ${column.name}: ${column.dataType.toUpperCase()} arrived as ${typeof raw}; the connection needs dateStrings: true`);
  return raw;
}

/**
 * GEOMETRY as the server keeps it (SRID + WKB): both readers hand its bytes over (the binlog's
 * row-image-reader.ts, the SELECT's snapshotSelectList). Points a reader parsed could not be
 * turned back into them: the SRID and the kind of collection are gone.
 */
function geometryBytes(raw: unknown, column: ColumnInfo): Uint8Array {
  if (raw instanceof Uint8Array) return raw;
  throw new Error(`column ${column.name}: GEOMETRY arrived parsed into points; read it as bytes (row-image-reader.ts, snapshotSelectList)`);
}

export function columnConverter(column: ColumnInfo, source: ValueSource): RawConverter {
  switch (columnFamily(column)) {
    case "integer":
      return (raw) => BigInt(raw as string | number);
    case "bit":
      return (raw) => (raw instanceof Uint8Array ? bytesToBigInt(raw) : BigInt(raw as string | number));
    case "decimal":
      // A ZEROFILL column's SELECT text is padded (000001.50); the binlog's value is not.
      return /zerofill/i.test(column.columnType) ? (raw) => String(raw).replace(/^0+(?=\d)/, "") : (raw) => String(raw);
    case "float":
      return (raw) => Math.fround(Number(raw));
    case "double":
      return (raw) => Number(raw);
    case "timestamp":
      return (raw) => toTimestamp(raw, column);
    case "date":
    case "datetime":
    case "time":
      return (raw) => temporalText(raw, column);
    case "year":
      // The binlog stores YEAR as year - 1900, zongji adds 1900 back, so the zero year reads 1900
      // (1900 itself is not a valid YEAR).
      return source === "binlog" ? (raw) => (Number(raw) === 1900 ? 0 : Number(raw)) : (raw) => Number(raw);
    case "binary":
      return (raw) => (raw instanceof Uint8Array ? raw : Buffer.from(String(raw), "latin1"));
    case "geometry":
      return (raw) => geometryBytes(raw, column);
    case "json":
      // Text as the server wrote it needs jsonStrings: true; parsed documents are re-serialised.
      return (raw) => (typeof raw === "string" ? raw : raw instanceof Uint8Array ? bytesToText(raw, "utf8mb4") : JSON.stringify(raw));
    case "set":
      // The binlog reader joins the set labels, '' included: made canonical (set-text.ts).
      if (source === "binlog" && declaresEmptyLabel(column)) return (raw) => setTextFromLabels(String(raw));
      return (raw) => String(raw);
    case "enum":
      // zongji yields undefined for the invalid ENUM index 0, which MySQL shows as ''.
      return (raw) => (raw === undefined ? "" : String(raw));
    case "text":
      if (source === "binlog" && column.charset === null) {
        // UUID and INET columns: FULL table maps type them BINARY(n), so their bytes arrive.
        return (raw) => (raw instanceof Uint8Array ? (mariadbTypeText(column.dataType, raw) ?? bytesToText(raw, null)) : String(raw));
      }
      return (raw) => (raw instanceof Uint8Array ? bytesToText(raw, column.charset) : String(raw));
  }
}

const converters = { binlog: new WeakMap<ColumnInfo, RawConverter>(), select: new WeakMap<ColumnInfo, RawConverter>() };

function cachedConverter(column: ColumnInfo, source: ValueSource): RawConverter {
  let converter = converters[source].get(column);
  if (!converter) {
    converter = columnConverter(column, source);
    converters[source].set(column, converter);
  }
  return converter;
}

/** UTC wall-clock text with as many fraction digits as it needs. */
function instantText(value: TimestampValue): string {
  return value.micros === 0 ? timestampText(value, 0, utc) : timestampText(value, 6, utc).replace(/0+$/, "");
}

/** A non-null zongji row value → canonical (matches the runtime's ValueConverter signature). */
export function convertBinlogValue(raw: unknown, column: ColumnInfo): ColumnValue {
  if (raw === null) return null;
  // undefined is the ENUM index 0 (shown as ''); the converter maps it, other families never see it
  if (raw === undefined) return column.dataType === "enum" ? "" : null;
  // A TIMESTAMP row value for a column now of another type (rows older than an ALTER, without
  // FULL metadata) reads as the text zongji would have made of it.
  if (raw instanceof BinlogTimestamp && columnFamily(column) !== "timestamp") return cachedConverter(column, "binlog")(instantText(raw));
  return cachedConverter(column, "binlog")(raw);
}

/** An integer column's value (a number, or the digits of one past 2^53) as a JS number while it is exact, else as a bigint. */
const exactNumberOrBigInt: RawConverter = (raw) => {
  if (typeof raw === "number") return raw;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : BigInt(raw as string);
};

const imageConverters = { binlog: new WeakMap<ColumnInfo, RawConverter>(), select: new WeakMap<ColumnInfo, RawConverter>() };

/**
 * The converter for row images that only go out as messages: integers stay JS numbers while
 * exact instead of becoming bigints, which the encoders and the row filter take alike and write
 * as the same digits; other families as cachedConverter. Keys that are compared (chunk keys, the
 * stream's during an initial sync) keep the bigint form. Both readers hand integers over as
 * numbers (the digits past 2^53); a bigint per value, made only to be turned back into digits,
 * was 40% of the initial sync's row conversion (bench/snapshot-rows.ts: 0.17 against 0.29 µs).
 */
function cachedImageConverter(column: ColumnInfo, source: ValueSource): RawConverter {
  let converter = imageConverters[source].get(column);
  if (!converter) {
    converter = columnFamily(column) === "integer" ? exactNumberOrBigInt : cachedConverter(column, source);
    imageConverters[source].set(column, converter);
  }
  return converter;
}

/** convertBinlogValue for the stream's row images (see cachedImageConverter). */
export function convertBinlogImageValue(raw: unknown, column: ColumnInfo): ColumnValue {
  if (raw === null || raw === undefined || raw instanceof BinlogTimestamp) return convertBinlogValue(raw, column);
  return cachedImageConverter(column, "binlog")(raw);
}

/** A mysql2 SELECT value → canonical. */
export function convertSelectValue(raw: unknown, column: ColumnInfo): ColumnValue {
  return raw === null || raw === undefined ? null : cachedConverter(column, "select")(raw);
}

/** A table's converters by column index, made once per table. */
function perTable(cache: WeakMap<TableInfo, readonly RawConverter[]>, table: TableInfo, of: (column: ColumnInfo) => RawConverter): readonly RawConverter[] {
  let list = cache.get(table);
  if (!list) {
    list = table.columns.map(of);
    cache.set(table, list);
  }
  return list;
}

const selectTables = new WeakMap<TableInfo, readonly RawConverter[]>();
const selectImageTables = new WeakMap<TableInfo, readonly RawConverter[]>();

/**
 * The SELECT converters of a table's columns, by column index, for readers converting many rows:
 * one lookup per table rather than one per value. They take non-null values only (null and
 * undefined read as null, as in convertSelectValue).
 */
export function selectConverters(table: TableInfo): readonly RawConverter[] {
  return perTable(selectTables, table, (column) => cachedConverter(column, "select"));
}

/** selectConverters for the initial sync's row images (see cachedImageConverter). */
export function selectImageConverters(table: TableInfo): readonly RawConverter[] {
  return perTable(selectImageTables, table, (column) => cachedImageConverter(column, "select"));
}
