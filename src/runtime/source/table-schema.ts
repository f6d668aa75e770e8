// TableInfo for one table from information_schema: columns in ordinal order with the details
// the encoders need, the primary key and the unique keys. Also the SELECT list and session
// setting a snapshot reader needs so that its values convert exactly like binlog values.
import type { Connection, Pool } from "mysql2/promise";
import { MysqlTypeCode, type ColumnInfo, type TableInfo } from "../change-event.js";
import { columnFamily } from "../encode/column-family.js";
import { declaresEmptyLabel } from "../encode/set-text.js";
import { RuntimeError } from "../errors.js";
import { ER_WRONG_OBJECT, serverErrno, tableGone } from "./server-errors.js";
import { serverPrimaryKey, type IndexPart } from "./server-primary-key.js";
import { IDLE_TIMEOUT, PAUSED_WRITE_TIMEOUT, SESSION_SQL_MODE } from "./session-mode.js";

/**
 * Run on a snapshot session before reading: TIMESTAMP text then comes in UTC, literals parse as
 * we write them, a one-pass SELECT may wait while its rows are sent, and an idle connection stays.
 */
export const SNAPSHOT_SESSION_SQL = `SET time_zone = '+00:00', ${SESSION_SQL_MODE}, ${PAUSED_WRITE_TIMEOUT}, ${IDLE_TIMEOUT}`;

/**
 * Also run on a snapshot session: a server whose default is READ UNCOMMITTED would let a chunk's
 * SELECT read rows of a transaction that later rolls back, which no binlog event would undo.
 * A statement of its own: MySQL 8 and MariaDB before 11.1 share no variable name for it.
 */
export const SNAPSHOT_ISOLATION_SQL = "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ";

/** The type code a binlog table map carries (MySQL 5.6+ temporal formats, as MariaDB 10.3+ writes by default). */
const typeCodes: Record<string, MysqlTypeCode> = {
  tinyint: MysqlTypeCode.TINY, smallint: MysqlTypeCode.SHORT, mediumint: MysqlTypeCode.INT24, int: MysqlTypeCode.LONG,
  integer: MysqlTypeCode.LONG, bigint: MysqlTypeCode.LONGLONG, decimal: MysqlTypeCode.NEWDECIMAL, numeric: MysqlTypeCode.NEWDECIMAL,
  float: MysqlTypeCode.FLOAT, double: MysqlTypeCode.DOUBLE, real: MysqlTypeCode.DOUBLE, bit: MysqlTypeCode.BIT,
  date: MysqlTypeCode.DATE, datetime: MysqlTypeCode.DATETIME2, timestamp: MysqlTypeCode.TIMESTAMP2, time: MysqlTypeCode.TIME2,
  year: MysqlTypeCode.YEAR, char: MysqlTypeCode.STRING, binary: MysqlTypeCode.STRING, varchar: MysqlTypeCode.VARCHAR,
  varbinary: MysqlTypeCode.VARCHAR, tinytext: MysqlTypeCode.BLOB, text: MysqlTypeCode.BLOB, mediumtext: MysqlTypeCode.BLOB,
  longtext: MysqlTypeCode.BLOB, tinyblob: MysqlTypeCode.BLOB, blob: MysqlTypeCode.BLOB, mediumblob: MysqlTypeCode.BLOB,
  longblob: MysqlTypeCode.BLOB, json: MysqlTypeCode.JSON, enum: MysqlTypeCode.ENUM, set: MysqlTypeCode.SET,
  uuid: MysqlTypeCode.STRING, inet4: MysqlTypeCode.STRING, inet6: MysqlTypeCode.STRING,
};

export function typeCodeFor(dataType: string): MysqlTypeCode {
  return typeCodes[dataType.toLowerCase()] ?? MysqlTypeCode.GEOMETRY;
}

/** Labels of `enum('a','b''c')` / `set(...)` in declaration order. */
export function parseLabels(columnType: string): string[] | null {
  const m = /^(?:enum|set)\((.*)\)$/is.exec(columnType);
  if (!m) return null;
  const labels: string[] = [];
  const pattern = /'((?:[^'\\]|''|\\.)*)'/g;
  for (let hit = pattern.exec(m[1] as string); hit; hit = pattern.exec(m[1] as string)) {
    labels.push((hit[1] as string).replace(/''/g, "'").replace(/\\(.)/g, "$1"));
  }
  return labels;
}

const binaryTypes = new Set(["binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"]);
const integerTypes = new Set(["tinyint", "smallint", "mediumint", "int", "integer", "bigint"]);

interface ColumnRow {
  name: string; columnType: string; dataType: string; nullable: string; charset: string | null;
  numericPrecision: number | string | null; numericScale: number | string | null; datetimePrecision: number | string | null; charLength: number | string | null;
  /** information_schema's COLUMN_KEY: `PRI` for the columns of the server's primary key. */
  columnKey?: string;
}

export function columnInfoFrom(row: ColumnRow): ColumnInfo {
  const dataType = row.dataType.toLowerCase();
  const columnType = row.columnType;
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  const temporal = dataType === "datetime" || dataType === "timestamp" || dataType === "time";
  return {
    name: row.name,
    columnType,
    dataType,
    typeCode: typeCodeFor(dataType),
    unsigned: /\bunsigned\b/i.test(columnType),
    nullable: row.nullable === "YES",
    charset: binaryTypes.has(dataType) ? "binary" : row.charset,
    precision: num(row.numericPrecision) ?? (integerTypes.has(dataType) || temporal ? null : num(row.charLength)),
    scale: dataType === "decimal" || dataType === "numeric" || ((dataType === "float" || dataType === "double") && row.numericScale !== null) ? num(row.numericScale) : null,
    fsp: temporal ? (num(row.datetimePrecision) ?? 0) : null,
    labels: dataType === "enum" || dataType === "set" ? parseLabels(columnType) : null,
  };
}

type Queryable = Pick<Connection, "query"> | Pick<Pool, "query">;

/** information_schema's TABLE_TYPE of a MariaDB table WITH SYSTEM VERSIONING. */
export const SYSTEM_VERSIONED = "SYSTEM VERSIONED";
export const SYSTEM_VERSIONING_REASON =
  "system-versioned (WITH SYSTEM VERSIONING): the binlog logs its history rows as inserts and its deletes as updates, which the pipeline does not translate, so their changes would arrive wrong";
export const SYSTEM_VERSIONING_FIX =
  "leave system-versioned tables out of the spec; or remove the versioning (ALTER TABLE ... DROP SYSTEM VERSIONING) and start the pipeline from after that ALTER (a new checkpoint directory, with initial_sync), since a run resumed from before it would send the versioned rows as they were logged";

/**
 * information_schema's TABLE_TYPE of the table. A system-versioned table stops the pipeline: its
 * rows would be sent wrong (SYSTEM_VERSIONING_REASON).
 */
async function tableType(conn: Queryable, database: string, table: string): Promise<string | undefined> {
  const [rows] = await conn.query("SELECT TABLE_TYPE type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", [database, table]);
  const type = (rows as { type: string }[])[0]?.type;
  if (type !== SYSTEM_VERSIONED) return type;
  throw new RuntimeError("unsupported", `table ${database}.${table} is ${SYSTEM_VERSIONING_REASON}; the pipeline stops rather than send them`, { hint: SYSTEM_VERSIONING_FIX });
}

interface ShowIndexRow { Key_name: string; Non_unique: number | string; Column_name: string | null; Null: string }

/**
 * The table's index columns in the server's index order (SHOW INDEX lists them as the server
 * keeps them; information_schema.STATISTICS promises no order). An expression part (MySQL 8
 * functional index) names no column, so its index is left out: it cannot name a row.
 */
async function indexParts(conn: Queryable, database: string, table: string, columns: readonly ColumnRow[]): Promise<IndexPart[] | null> {
  let listed: ShowIndexRow[];
  try {
    listed = (await conn.query(`SHOW INDEX FROM ${quoteIdentifier(database)}.${quoteIdentifier(table)}`))[0] as ShowIndexRow[];
  } catch (error) {
    // Dropped since its columns were read: gone, as if the columns query had found nothing.
    if (tableGone(error)) return null;
    // A view has no indexes (information_schema lists its columns all the same).
    if (serverErrno(error) === ER_WRONG_OBJECT) return [];
    throw error;
  }
  const expressions = new Set(listed.filter((r) => r.Column_name === null).map((r) => r.Key_name));
  // Whether a part is whole is the server's call, which SHOW INDEX does not show: a hashed long
  // UNIQUE looks like any other, and a latin1 TINYTEXT(255) prefix is whole where a utf8mb4 one
  // is not, with the same lengths. COLUMN_KEY marks PRI the columns of the key it took.
  const marked = new Set(columns.filter((c) => c.columnKey === "PRI").map((c) => c.name));
  return listed
    .filter((r) => !expressions.has(r.Key_name))
    .map((r) => ({
      index: r.Key_name,
      unique: Number(r.Non_unique) === 0,
      column: r.Column_name as string,
      nullable: r.Null === "YES",
      whole: marked.has(r.Column_name as string),
    }));
}

/** The table's description, or null when it does not exist; a system-versioned table is refused. */
export async function loadTableInfo(conn: Queryable, database: string, table: string): Promise<TableInfo | null> {
  const [columns] = await conn.query(
    `SELECT COLUMN_NAME name, COLUMN_TYPE columnType, DATA_TYPE dataType, IS_NULLABLE nullable, CHARACTER_SET_NAME charset,
            NUMERIC_PRECISION numericPrecision, NUMERIC_SCALE numericScale, DATETIME_PRECISION datetimePrecision,
            CHARACTER_MAXIMUM_LENGTH charLength, COLUMN_KEY columnKey
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [database, table],
  );
  const rows = columns as ColumnRow[];
  if (rows.length === 0) return null;
  const type = await tableType(conn, database, table);
  const parts = await indexParts(conn, database, table, rows);
  if (parts === null) return null;
  const primaryKey = serverPrimaryKey(parts);
  // Index names are the user's: with a null prototype, `constructor` or `__proto__` is a key like any other.
  const uniqueKeys: TableInfo["uniqueKeys"] = Object.create(null);
  for (const part of parts) if (part.unique && part.index !== "PRIMARY") (uniqueKeys[part.index] ??= []).push(part.column);
  const info: TableInfo = { database, table, columns: rows.map(columnInfoFrom), primaryKey, uniqueKeys };
  if (type === "SEQUENCE") info.sequence = true;
  return info;
}

const quoteIdentifier = (name: string) => `\`${name.replaceAll("`", "``")}\``;

/**
 * Result field names mysql2 refuses (it compiles row parsers from field names, even for rows
 * read as arrays, and throws on these): such columns are selected under another name.
 */
const refusedFieldNames = new Set(["__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__"]);

/**
 * What a snapshot SELECT reads for a column so that its value is the binlog's: FLOAT, and DOUBLE
 * with (M,D), widened to DOUBLE (the server's text of them keeps 6 digits, or D decimals, where
 * the binlog holds the stored number); geometry as the server's bytes, SRID + WKB (mysql2 would
 * parse them into points, losing the SRID and every shape but POINT, LINESTRING and POLYGON).
 */
function selectedExpression(column: ColumnInfo, name: string): string | null {
  if (column.dataType === "float" || (column.dataType === "double" && column.scale !== null)) return `CAST(${name} AS DOUBLE)`;
  // The server's text leaves the label '' out: the canonical text leads with `,` when it is set (set-text.ts).
  if (column.dataType === "set" && declaresEmptyLabel(column)) return `IF(${name} & ${1n << BigInt((column.labels ?? []).indexOf(""))}, CONCAT(',', ${name}), ${name})`;
  if (columnFamily(column) === "geometry") return `CAST(${name} AS BINARY)`;
  // UCS-2 text may hold surrogate code units, which the server's conversion to the client's
  // UTF-8 turns into 3-byte sequences that read as U+FFFD: its bytes are decoded as the stream's.
  return columnFamily(column) === "text" && column.charset === "ucs2" ? `CAST(${name} AS BINARY)` : null;
}

/**
 * SELECT list for snapshot reads (selectedExpression). Snapshot readers read rows as arrays, by
 * column position, so an alias changes nothing else.
 */
export function snapshotSelectList(table: TableInfo): string {
  return table.columns
    .map((c, i) => {
      const name = quoteIdentifier(c.name);
      const expression = selectedExpression(c, name);
      const alias = refusedFieldNames.has(c.name) ? ` AS \`column ${i + 1}\`` : expression ? ` AS ${name}` : "";
      return `${expression ?? name}${alias}`;
    })
    .join(", ");
}
