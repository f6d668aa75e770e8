// The key a table is chunked by and its values: which columns (primary key, else a unique key of
// NOT NULL columns), how a key is stored in the checkpoint, how two keys compare when JavaScript
// can decide exactly, and how a key is written into SQL. Text columns with a collation are
// compared by the server (key-order.ts): only it knows how `ß` sorts against `ss`.
import type { ColumnInfo, ColumnValue, TableInfo, TimestampValue } from "../change-event.js";
import { columnFamily, type ColumnFamily } from "../encode/column-family.js";
import { timestampText, zoneClock } from "../encode/time-zone.js";
import { compareDecimalText } from "../select/filter.js";

/** Canonical values of the chunk key columns, in key order. */
export type Key = ColumnValue[];

export interface KeyColumn {
  /** Position of the column in TableInfo.columns. */
  index: number;
  column: ColumnInfo;
  family: ColumnFamily;
  /** Collation of text columns (`utf8mb4_general_ci`); null for other families. */
  collation: string | null;
}

export interface ChunkKey {
  /** "PRIMARY" or the unique index used. */
  indexName: string;
  columns: KeyColumn[];
}

/** Families whose order JavaScript reproduces exactly, or that the server compares (text). */
const chunkable = new Set<ColumnFamily>(["integer", "bit", "decimal", "date", "datetime", "timestamp", "time", "year", "binary", "text"]);

/**
 * The key to chunk by: the primary key (the server's, which a table without PRIMARY KEY may have
 * too), else the first unique key by name whose columns are all NOT NULL (NULLs would escape
 * keyset pagination); null when neither exists or its types cannot be ordered exactly (FLOAT,
 * DOUBLE, ENUM, SET, UUID, INET), in which case the table is read in one pass. Only the copy uses it: a row's message key
 * is always its primary key (encode/message-key.ts), whichever key the copy went by.
 */
export function chooseChunkKey(table: TableInfo, collations: Record<string, string | null>): ChunkKey | null {
  const candidates: [string, string[]][] = [];
  if (table.primaryKey.length > 0) candidates.push(["PRIMARY", table.primaryKey]);
  for (const [name, columns] of Object.entries(table.uniqueKeys).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) candidates.push([name, columns]);
  for (const [indexName, names] of candidates) {
    const columns: KeyColumn[] = [];
    for (const name of names) {
      const index = table.columns.findIndex((c) => c.name === name);
      const column = table.columns[index];
      if (!column) break;
      const family = columnFamily(column);
      if (!chunkable.has(family) || (indexName !== "PRIMARY" && column.nullable)) break;
      // Own members only: a key column named `constructor` must not read Object's function.
      const collation = family === "text" && Object.hasOwn(collations, name) ? (collations[name] ?? null) : null;
      // Text without a collation (MariaDB's UUID, INET4, INET6) sorts in the server's own way,
      // which neither JavaScript nor STRCMP reproduces.
      if (family === "text" && collation === null) break;
      columns.push({ index, column, family, collation });
    }
    if (columns.length === names.length) return { indexName, columns };
  }
  return null;
}

export function keyOf(image: readonly ColumnValue[], key: ChunkKey): Key {
  return key.columns.map((c) => image[c.index] ?? null);
}

function isTimestamp(value: ColumnValue): value is TimestampValue {
  return typeof value === "object" && value !== null && !(value instanceof Uint8Array);
}

/** A JSON-safe form of a key for the checkpoint; `decodeKey` inverts it. */
export function encodeKey(key: Key): string[] {
  return key.map((v) => {
    if (v === null) return "z:";
    if (typeof v === "bigint") return `i:${v}`;
    if (typeof v === "number") return `n:${v}`;
    if (typeof v === "string") return `s:${v}`;
    if (v instanceof Uint8Array) return `x:${Buffer.from(v).toString("hex")}`;
    return `t:${v.epochSeconds}.${v.micros}`;
  });
}

export function decodeKey(encoded: readonly string[]): Key {
  return encoded.map((text): ColumnValue => {
    const body = text.slice(2);
    switch (text.slice(0, 2)) {
      case "z:": return null;
      case "i:": return BigInt(body);
      case "n:": return Number(body);
      case "s:": return body;
      case "x:": return new Uint8Array(Buffer.from(body, "hex"));
      case "t:": {
        const [seconds, micros] = body.split(".");
        return { kind: "timestamp", epochSeconds: Number(seconds), micros: Number(micros) };
      }
      default:
        throw new Error(`not an encoded key value: ${text}`);
    }
  });
}

/** A map key for exact identity of a key (same stored values). */
export function keyId(key: Key): string {
  // JSON rather than a separator: a text key may hold any character, NUL included.
  return JSON.stringify(encodeKey(key));
}

function sign(n: number | bigint): number {
  return n > 0 ? 1 : n < 0 ? -1 : 0;
}

function timeMicros(text: string): bigint {
  const m = /^(-?)(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) throw new Error(`not a TIME value: ${text}`);
  const value = ((BigInt(m[2] as string) * 60n + BigInt(m[3] as string)) * 60n + BigInt(m[4] as string)) * 1_000_000n + BigInt((m[5] ?? "").padEnd(6, "0"));
  return m[1] === "-" ? -value : value;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number) ? -1 : 1;
  return sign(a.length - b.length);
}

/**
 * Compares two non-null values of one key column; null when only the server can tell (text
 * under a collation, and the two strings differ).
 */
export function compareLocal(a: ColumnValue, b: ColumnValue, column: KeyColumn): number | null {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  switch (column.family) {
    case "integer":
    case "bit":
      return sign((a as bigint) - (b as bigint));
    case "decimal":
      return compareDecimalText(a as string, b as string) ?? sign(Number(a) - Number(b));
    case "year":
      return sign((a as number) - (b as number));
    case "timestamp": {
      if (!isTimestamp(a) || !isTimestamp(b)) return null;
      return sign(a.epochSeconds - b.epochSeconds) || sign(a.micros - b.micros);
    }
    case "time":
      return sign(timeMicros(a as string) - timeMicros(b as string));
    case "date":
    case "datetime": {
      // Fixed-width text of one column (same fsp) sorts like the value.
      const x = a as string, y = b as string;
      return x === y ? 0 : x < y ? -1 : 1;
    }
    case "binary":
      return compareBytes(a as Uint8Array, b as Uint8Array);
    default:
      return a === b ? 0 : null;
  }
}

const utc = zoneClock("UTC");

/** A key value as an SQL literal for the snapshot session (time_zone '+00:00'). */
export function sqlLiteral(value: ColumnValue, column: KeyColumn, escape: (text: string) => string): string {
  if (value === null) return "NULL";
  switch (column.family) {
    case "integer":
    case "bit":
    case "year":
      return String(value);
    case "decimal":
      if (!/^-?\d+(\.\d+)?$/.test(value as string)) throw new Error(`not a decimal key value: ${String(value)}`);
      return value as string;
    case "timestamp":
      return escape(timestampText(value as TimestampValue, 6, utc));
    case "binary":
      return `X'${Buffer.from(value as Uint8Array).toString("hex")}'`;
    default:
      return escape(String(value));
  }
}
