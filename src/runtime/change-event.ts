// The one shape every change takes between the source (binlog or snapshot) and the encoders.
// Values are canonical and lossless so that both wire formats can render them exactly
// (see docs/formats.md): nothing here is already formatted for one consumer.

/** MySQL protocol column-type codes (docs/formats.md, DTS Avro): what DTS calls dataTypeNumber. */
export const MysqlTypeCode = {
  DECIMAL: 0, TINY: 1, SHORT: 2, LONG: 3, FLOAT: 4, DOUBLE: 5, NULL: 6, TIMESTAMP: 7,
  LONGLONG: 8, INT24: 9, DATE: 10, TIME: 11, DATETIME: 12, YEAR: 13, NEWDATE: 14, VARCHAR: 15,
  BIT: 16, TIMESTAMP2: 17, DATETIME2: 18, TIME2: 19, JSON: 245, NEWDECIMAL: 246, ENUM: 247,
  SET: 248, TINY_BLOB: 249, MEDIUM_BLOB: 250, LONG_BLOB: 251, BLOB: 252, VAR_STRING: 253,
  STRING: 254, GEOMETRY: 255,
} as const;
export type MysqlTypeCode = (typeof MysqlTypeCode)[keyof typeof MysqlTypeCode];

/** A column as the source table declares it. */
export interface ColumnInfo {
  name: string;
  /** Column type text as information_schema.COLUMNS.COLUMN_TYPE gives it, e.g. `bigint(20) unsigned`, `decimal(10,2)`, `enum('a','b')`. */
  columnType: string;
  /** Lower-case base type: `bigint`, `varchar`, `datetime`, `json`, … (information_schema DATA_TYPE). */
  dataType: string;
  /** The protocol type code a binlog table map would carry for this column. */
  typeCode: MysqlTypeCode;
  unsigned: boolean;
  nullable: boolean;
  /** Character set of text columns (`utf8mb4`, `latin1`, …); `binary` for BINARY/VARBINARY/BLOB; null for non-text. */
  charset: string | null;
  /** DECIMAL precision, or the display/bit width of integer and BIT columns, or char length; null when not applicable. */
  precision: number | null;
  /** DECIMAL scale; null otherwise. */
  scale: number | null;
  /** Fractional-second digits of TIME/DATETIME/TIMESTAMP (0–6); null otherwise. */
  fsp: number | null;
  /** ENUM or SET labels in declaration order; null otherwise. */
  labels: string[] | null;
}

/** The table a change belongs to, with its keys. */
export interface TableInfo {
  database: string;
  table: string;
  columns: ColumnInfo[];
  /**
   * Primary key column names in key order, as the server has it: the PRIMARY KEY, else the unique
   * key it took as one (source/server-primary-key.ts); empty when the table has none.
   */
  primaryKey: string[];
  /** Unique indexes other than the one named PRIMARY, in the server's order: index name → column names (a null-prototype object: index names are arbitrary). */
  uniqueKeys: Record<string, string[]>;
  /**
   * A MariaDB SEQUENCE: a table only in name, whose one row is the sequence's state. Its rows
   * are not sent (the initial sync does not copy it either).
   */
  sequence?: true;
}

/**
 * One column value, canonical per MySQL type family:
 * - integer types (TINYINT…BIGINT, MEDIUMINT, signed or unsigned) and BIT: `bigint`
 * - DECIMAL: `string`, exact text with the column's scale (`-12.50`)
 * - FLOAT, DOUBLE: `number`
 * - DATE: `'YYYY-MM-DD'`; DATETIME: `'YYYY-MM-DD HH:MM:SS[.f]'` with exactly fsp digits;
 *   TIME: `'[-]HH:MM:SS[.f]'` (hours may exceed 99); zero dates stay as MySQL writes them
 * - TIMESTAMP: `TimestampValue` (an instant; zero timestamp is 0 seconds)
 * - YEAR: `number` (0 for the zero year)
 * - CHAR, VARCHAR, TEXT types: `string` (decoded from the column charset)
 * - BINARY, VARBINARY, BLOB types, GEOMETRY (MySQL internal: 4-byte SRID + WKB): `Uint8Array`
 * - JSON: `string`, the document as MySQL's JSON_EXTRACT(col,'$') text renders it
 * - ENUM: `string` label (`''` for the invalid index 0); SET: `string` of labels joined by `,`
 * - SQL NULL: `null`
 */
export type ColumnValue = null | bigint | number | string | Uint8Array | TimestampValue;

export interface TimestampValue {
  kind: "timestamp";
  /** Seconds since the epoch, UTC. */
  epochSeconds: number;
  /** Fraction of the second in microseconds (0–999999). */
  micros: number;
}

/** A row image, aligned with `TableInfo.columns` by index. */
export type RowImage = ColumnValue[];

/** Where an event sits in the source's binlog, enough to resume after it. */
export interface SourcePosition {
  /** Binlog file name, e.g. `mysql-bin.000003`; empty for snapshot rows. */
  file: string;
  /** Byte offset of the end of the event in that file. */
  offset: number;
  /** GTID of the transaction the event belongs to (`0-1-42` MariaDB, `uuid:42` MySQL), or null. */
  gtid: string | null;
}

export interface EventContext {
  /** Binlog event header time, seconds since the epoch (for snapshot rows: when the row was read). */
  eventTimeSeconds: number;
  position: SourcePosition;
  /** The transaction the event belongs to: the server's XID, or the GTID, or "" when unknown. */
  transactionId: string;
  /** The source server's version string, e.g. `10.11.6-MariaDB-log`. */
  serverVersion: string;
}

export type RowOperation = "insert" | "update" | "delete";

/**
 * A row of the initial sync as the server sent it (MySQL's text protocol, text in UTF-8), which
 * the encoders write from instead of from values (snapshot/text-result.ts). Columns are those of
 * the change's table; only columns whose text is their family's canonical text come this way.
 */
export interface RowText {
  /** The buffer holding the row's values. */
  readonly bytes: Buffer;
  /** Where a column's value starts in `bytes`. */
  start(column: number): number;
  /** A column's value's length in bytes; -1 for NULL. */
  size(column: number): number;
  /** A column's image value, read from its bytes. */
  value(column: number): ColumnValue;
}

export interface RowChange extends EventContext {
  kind: "row";
  operation: RowOperation;
  /** True for rows read by the initial full-data sync (DTS: operation INIT). */
  snapshot: boolean;
  table: TableInfo;
  /** Present for update and delete. */
  before: RowImage | null;
  /** Present for insert and update. */
  after: RowImage | null;
  /**
   * The after image as the server's bytes (initial sync inserts only). When set, `after` holds
   * only the values that keys and partitions read, and the encoders write from these bytes.
   */
  text?: RowText | null;
}

export interface DdlChange extends EventContext {
  kind: "ddl";
  /** Default database of the statement (the session's USE), may be "". */
  database: string;
  /** Table the statement is about, "" when it is not about one table (CREATE DATABASE …). */
  table: string;
  sql: string;
}

export type ChangeEvent = RowChange | DdlChange;
