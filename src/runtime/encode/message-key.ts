// The Kafka record key. The runtime places every message on an explicit partition (see
// sink/partitioner.ts), so the key does not route; it names the row, so that a compacted topic
// keeps the latest message per row whatever the partition policy is. Key = UTF-8 JSON array
// `[database, table, keyText…]` over the primary key as the server has it (source/
// server-primary-key.ts: a table without PRIMARY KEY may still have one), taken from the after
// image (before image for deletes). The primary-key-hash policy hashes the same columns. Tables
// without one get a null key, and so does DDL: neither identifies a row. Other unique keys are
// never used: a nullable one gives every row holding NULL the same key.
import type { ColumnValue, RowChange, RowImage, TableInfo } from "../change-event.js";
import type { PartitionPolicy } from "../../generated/plan.js";
import { JsonWriter, QUOTE } from "./json-writer.js";

export type KeyBuilder = (row: RowChange) => Buffer | null;

/** Lossless text of a key column value. */
export function keyValueText(value: ColumnValue): string | null {
  if (value === null) return null;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  if (typeof value === "object") return `${value.epochSeconds}.${String(value.micros).padStart(6, "0")}`;
  return String(value);
}

/**
 * Whether an update gives its row another message key: a key column's text changed (a new value,
 * or only its case or trailing spaces under a collation that compares them equal).
 */
export function keyMoves(identity: readonly number[], before: RowImage, after: RowImage): boolean {
  for (const index of identity) {
    const was = before[index] ?? null;
    const is = after[index] ?? null;
    if (was !== is && keyValueText(was) !== keyValueText(is)) return true;
  }
  return false;
}

/** Keys are written into a slab of their own and handed out as views (see SlabWriter). */
const keyWriter = new JsonWriter();
const COMMA = 0x2c;
const CLOSE = 0x5d;

/**
 * Columns identifying a row, for the message key and the primary-key-hash partition alike: the
 * primary key; [] when there is none. Both the initial sync and the binlog describe the table
 * with the server's primary key, so a row keeps its key and partition from its sync to its changes.
 */
export function rowIdentityColumns(table: TableInfo): number[] {
  const indexes = table.primaryKey.map((name) => table.columns.findIndex((c) => c.name === name));
  return indexes.includes(-1) ? [] : indexes;
}

/**
 * The key builder for one table. The policy is accepted so the decision stays in one place:
 * today every policy keys by row identity, because partitions are chosen explicitly.
 */
export function messageKeyBuilder(table: TableInfo, _policy?: PartitionPolicy): KeyBuilder {
  const indexes = rowIdentityColumns(table);
  if (indexes.length === 0) return () => null;
  const prefix = Buffer.from(`[${JSON.stringify(table.database)},${JSON.stringify(table.table)}`, "utf8");
  return (row) => {
    const image = row.operation === "delete" ? row.before : row.after;
    if (!image) return null;
    const w = keyWriter;
    w.begin();
    w.raw(prefix);
    for (const index of indexes) {
      w.byte(COMMA);
      const value = image[index] ?? null;
      // Integer text needs no escaping, so the usual key is written without a string.
      if (typeof value === "bigint" || (typeof value === "number" && Number.isSafeInteger(value))) {
        w.byte(QUOTE);
        w.integer(value);
        w.byte(QUOTE);
      } else {
        const text = keyValueText(value);
        if (text === null) w.text("null");
        else w.quoted(text);
      }
    }
    w.byte(CLOSE);
    return w.take();
  };
}

export function messageKey(row: RowChange, policy?: PartitionPolicy): Buffer | null {
  return messageKeyBuilder(row.table, policy)(row);
}
