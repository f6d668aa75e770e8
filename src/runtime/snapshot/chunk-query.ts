// The SELECTs the snapshot runs: keyset pagination over the chunk key (`WHERE key > last ORDER
// BY key LIMIT n`), with composite keys compared column by column in a form the range optimizer
// of both MySQL and MariaDB turns into an index range (`a >= ? AND (a > ? OR (a = ? AND b > ?))`),
// and the one-pass read of a table without a usable key.
import type { TableInfo } from "../change-event.js";
import { snapshotSelectList } from "../source/table-schema.js";
import { sqlLiteral, type ChunkKey, type Key } from "./chunk-key.js";
import { quoteName } from "./snapshot-tables.js";

export type Escape = (text: string) => string;

/** `(a > x) OR (a = x AND b > y) OR …`, led by `a >= x` so the first column bounds the range. */
export function afterKeyCondition(key: ChunkKey, after: Key, escape: Escape): string {
  const names = key.columns.map((c) => quoteName(c.column.name));
  const literals = key.columns.map((c, i) => sqlLiteral(after[i] ?? null, c, escape));
  const alternatives: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const equal = names.slice(0, i).map((n, j) => `${n} = ${literals[j]}`);
    alternatives.push([...equal, `${names[i]} > ${literals[i]}`].join(" AND "));
  }
  const strict = alternatives.length === 1 ? (alternatives[0] as string) : alternatives.map((a) => `(${a})`).join(" OR ");
  return names.length === 1 ? strict : `${names[0]} >= ${literals[0]} AND (${strict})`;
}

export function chunkQuery(table: TableInfo, key: ChunkKey, after: Key | null, limit: number, escape: Escape): string {
  const from = `${quoteName(table.database)}.${quoteName(table.table)}`;
  const where = after === null ? "" : ` WHERE ${afterKeyCondition(key, after, escape)}`;
  // Qualified, so the order is the columns' own, not that of a selected expression named alike (a cast).
  const order = key.columns.map((c) => `${from}.${quoteName(c.column.name)}`).join(", ");
  return `SELECT ${snapshotSelectList(table)} FROM ${from}${where} ORDER BY ${order} LIMIT ${Math.max(1, Math.floor(limit))}`;
}

export function fullTableQuery(table: TableInfo): string {
  return `SELECT ${snapshotSelectList(table)} FROM ${quoteName(table.database)}.${quoteName(table.table)}`;
}
