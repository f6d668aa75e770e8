// Partition placement (docs/runtime.md, Partitions) with Java's String.hashCode, so a JVM consumer can
// recompute where a row went. Key strings (documented in docs/runtime.md):
//   table-hash        hashCode(database + "." + table)            (names as written in messages)
//   primary-key-hash  hashCode(key texts joined by "|")           (the message key's columns)
//   columns-hash      hashCode(texts of the named columns joined by "|")
// partition = Math.abs(hash % partitionCount), which is Java's `Math.abs(h % n)` exactly.
import type { ColumnValue, RowImage, TableInfo } from "../change-event.js";
import type { PartitionPolicy } from "../../generated/plan.js";
import { rowIdentityColumns } from "../encode/message-key.js";

export function javaStringHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

export function partitionForHash(hash: number, partitionCount: number): number {
  return Math.abs(hash % partitionCount);
}

/** The text a key column contributes to the hash: canonical values rendered without loss. */
export function keyText(value: ColumnValue): string {
  if (value === null) return "";
  switch (typeof value) {
    case "string":
      return value;
    case "bigint":
    case "number":
      return String(value);
    default:
      // ISO-8859-1, one character per byte (Java's ISO_8859_1). Not TextDecoder("latin1"): the
      // WHATWG label means windows-1252, which newer Node versions follow.
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("latin1");
      return value.micros === 0 ? String(value.epochSeconds) : `${value.epochSeconds}.${String(value.micros).padStart(6, "0")}`;
  }
}

/** Places one row image (after-image, or before-image for deletes) on a partition. */
export type RowPartitioner = (image: RowImage, partitionCount: number) => number;

const partitionZero: RowPartitioner = () => 0;

/** Columns a key policy hashes, as indexes into the table's columns; empty when there is no usable key. */
export function keyColumnIndexes(policy: PartitionPolicy, table: TableInfo, sourceNames: readonly string[] = []): number[] {
  if (policy.policy !== "columns-hash") return rowIdentityColumns(table);
  const indexes: number[] = [];
  for (const name of policy.columns) {
    // columns-hash names may use the source name of a renamed column
    let index = table.columns.findIndex((c) => c.name === name);
    if (index < 0) index = sourceNames.indexOf(name);
    if (index < 0) return [];
    indexes.push(index);
  }
  return indexes;
}

export function rowPartitioner(policy: PartitionPolicy, table: TableInfo, sourceNames: readonly string[] = []): RowPartitioner {
  if (policy.policy === "partition-zero") return partitionZero;
  if (policy.policy === "table-hash") {
    const hash = javaStringHashCode(`${table.database}.${table.table}`);
    return (_image, count) => partitionForHash(hash, count);
  }
  const indexes = keyColumnIndexes(policy, table, sourceNames);
  if (indexes.length === 0) return partitionZero;
  if (indexes.length === 1) {
    const only = indexes[0] as number;
    return (image, count) => partitionForHash(javaStringHashCode(keyText(image[only] ?? null)), count);
  }
  return (image, count) => {
    let text = keyText(image[indexes[0] as number] ?? null);
    for (let i = 1; i < indexes.length; i++) text += "|" + keyText(image[indexes[i] as number] ?? null);
    return partitionForHash(javaStringHashCode(text), count);
  };
}

/**
 * Where a DDL statement goes (docs/runtime.md, Partitions): with table-hash, the table's partition when the
 * statement is about one table; everything else on partition 0.
 */
export function ddlPartition(policy: PartitionPolicy, database: string, table: string, partitionCount: number): number {
  if (policy.policy !== "table-hash" || table === "") return 0;
  return partitionForHash(javaStringHashCode(`${database}.${table}`), partitionCount);
}
