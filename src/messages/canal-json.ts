// Reads canal FlatMessages back: parse the JSON and, given the table and the zone TIMESTAMP was
// rendered in, turn the text values back into canonical change events (inverse of canal-text.ts).
import type { ColumnInfo, ColumnValue, DdlChange, RowChange, RowImage, TableInfo } from "../runtime/change-event.js";
import { columnFamily } from "../runtime/encode/column-family.js";
import { parseTimestampText, type ZoneClock } from "../runtime/encode/time-zone.js";

export interface FlatMessage {
  data: Record<string, string | null>[] | null;
  database: string;
  es: number;
  gtid?: string;
  id: number;
  isDdl: boolean;
  mysqlType: Record<string, string> | null;
  old: Record<string, string | null>[] | null;
  pkNames: string[] | null;
  sql: string;
  sqlType: Record<string, number> | null;
  table: string;
  ts: number;
  type: string;
}

export function decodeCanalJson(value: Buffer | string): FlatMessage {
  return JSON.parse(typeof value === "string" ? value : value.toString("utf8")) as FlatMessage;
}

export function canonicalFromCanal(text: string | null, column: ColumnInfo, clock: ZoneClock): ColumnValue {
  if (text === null) return null;
  switch (columnFamily(column)) {
    case "integer":
    case "bit":
      return BigInt(text);
    case "float":
      return Math.fround(Number(text));
    case "double":
      return Number(text);
    case "year":
      return Number(text);
    case "timestamp": {
      const instant = parseTimestampText(text, clock);
      if (!instant) throw new Error(`column ${column.name}: "${text}" is not a TIMESTAMP text`);
      return instant;
    }
    case "enum": {
      const index = Number(text);
      return index === 0 ? "" : (column.labels?.[index - 1] ?? "");
    }
    case "set": {
      const mask = BigInt(text);
      return (column.labels ?? []).filter((_, bit) => (mask >> BigInt(bit)) & 1n).join(",");
    }
    case "binary":
    case "geometry":
      return new Uint8Array(Buffer.from(text, "latin1"));
    default:
      return text;
  }
}

/** Own members only: a column named `constructor` absent from `row` is not Object's function. */
function member(row: Record<string, string | null>, name: string): string | null {
  return Object.hasOwn(row, name) ? (row[name] ?? null) : null;
}

function imageOf(row: Record<string, string | null>, table: TableInfo, clock: ZoneClock): RowImage {
  return table.columns.map((c) => canonicalFromCanal(member(row, c.name), c, clock));
}

/**
 * The row changes of a FlatMessage (one per `data` entry) or its DDL. Canal carries no binlog
 * position and no snapshot marker: positions come back empty and INSERT is never `snapshot`.
 */
export function canalMessageToEvents(message: FlatMessage, table: TableInfo | null, clock: ZoneClock): (RowChange | DdlChange)[] {
  const common = { eventTimeSeconds: Math.floor(message.es / 1000), position: { file: "", offset: 0, gtid: message.gtid ? message.gtid : null }, transactionId: "", serverVersion: "" };
  if (message.isDdl) return [{ kind: "ddl", database: message.database, table: message.table, sql: message.sql, ...common }];
  if (!table) throw new Error(`a ${message.type} message needs its table to decode values`);
  const operation = message.type.toLowerCase() as RowChange["operation"];
  return (message.data ?? []).map((row, i): RowChange => {
    const image = imageOf(row, table, clock);
    if (operation === "update") {
      // Spreading copies `__proto__` members of the parsed JSON as own members, as they are.
      const before = imageOf({ ...row, ...(message.old?.[i] ?? {}) }, table, clock);
      return { kind: "row", operation, snapshot: false, table, before, after: image, ...common };
    }
    return { kind: "row", operation, snapshot: false, table, before: operation === "delete" ? image : null, after: operation === "delete" ? null : image, ...common };
  });
}
