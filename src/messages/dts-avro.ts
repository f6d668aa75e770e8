// Reads DTS Avro values: the raw Record (optionally behind the Confluent registry prefix), back
// into the Record object, and, given the table, back into the canonical change event.
import type { ChangeEvent, ColumnInfo, ColumnValue, RowImage, TableInfo } from "../runtime/change-event.js";
import { bytesToText } from "../runtime/encode/charset.js";
import { columnFamily } from "../runtime/encode/column-family.js";
import { dtsRecordType } from "../runtime/encode/dts-avro-schema.js";
import { fractionText } from "../runtime/encode/time-zone.js";
import { unframe } from "../runtime/encode/schema-registry.js";

type Union = null | Record<string, Record<string, unknown>>;

export interface DtsRecord {
  version: number;
  id: number;
  sourceTimestamp: number;
  sourcePosition: string;
  safeSourcePosition: string;
  sourceTxid: string;
  source: { sourceType: string; version: string };
  operation: string;
  objectName: { string: string } | null;
  processTimestamps: { array: number[] } | null;
  tags: Record<string, string>;
  fields: null | { string: string } | { array: { name: string; dataTypeNumber: number }[] };
  beforeImages: null | { string: string } | { array: Union[] };
  afterImages: null | { string: string } | { array: Union[] };
  bornTimestamp: number;
}

/** Decodes one Kafka value; a registry-framed value is unwrapped first (its schema id returned). */
export function decodeDtsAvro(value: Buffer): { record: DtsRecord; schemaId: number | null } {
  const framed = unframe(value);
  const body = framed ? framed.body : value;
  const record = dtsRecordType().fromBuffer(body) as DtsRecord;
  return { record, schemaId: framed ? framed.schemaId : null };
}

/** Splits `objectName` at dots and unescapes `\u002E` (docs/formats.md, DTS Avro). */
export function splitObjectName(name: string): string[] {
  return name.split(".").map((part) => part.replaceAll("\\u002E", "."));
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function unionMember(value: Union): [string, Record<string, unknown>] | null {
  if (value === null) return null;
  const [name, body] = Object.entries(value)[0] as [string, Record<string, unknown>];
  return [name.slice(name.lastIndexOf(".") + 1), body];
}

const intOf = (v: unknown): number | null => (v === null || v === undefined ? null : ((v as { int: number }).int ?? null));

/** The canonical value of one union member for a column (inverse of dts-avro-values.ts). */
export function canonicalFromAvro(value: Union, column: ColumnInfo): ColumnValue {
  const member = unionMember(value);
  if (member === null) return null;
  const [type, body] = member;
  const family = columnFamily(column);
  switch (type) {
    case "Integer":
      return BigInt(body.value as string);
    case "Decimal":
      return body.value as string;
    case "Float":
      return family === "float" ? Math.fround(body.value as number) : (body.value as number);
    case "Timestamp":
      return { kind: "timestamp", epochSeconds: body.timestamp as number, micros: body.millis as number };
    case "DateTime": {
      const [y, mo, d, h, mi, s, us] = ["year", "month", "day", "hour", "minute", "second", "millis"].map((k) => intOf(body[k]));
      if (family === "year") return y ?? 0;
      if (family === "date") return `${pad(y ?? 0, 4)}-${pad(mo ?? 0)}-${pad(d ?? 0)}`;
      const fsp = column.fsp ?? 0;
      if (family === "time") {
        const negative = [h, mi, s, us].some((p) => (p ?? 0) < 0);
        const hour = Math.abs(h ?? 0);
        return `${negative ? "-" : ""}${pad(hour, hour > 99 ? 3 : 2)}:${pad(Math.abs(mi ?? 0))}:${pad(Math.abs(s ?? 0))}${fractionText(Math.abs(us ?? 0), fsp)}`;
      }
      return `${pad(y ?? 0, 4)}-${pad(mo ?? 0)}-${pad(d ?? 0)} ${pad(h ?? 0)}:${pad(mi ?? 0)}:${pad(s ?? 0)}${fractionText(us ?? 0, fsp)}`;
    }
    case "Character":
      return body.charset === "binary" ? new Uint8Array(body.value as Buffer) : bytesToText(body.value as Buffer, body.charset as string);
    case "BinaryObject":
      return body.type === "TEXT" ? bytesToText(body.value as Buffer, column.charset) : new Uint8Array(body.value as Buffer);
    case "BinaryGeometry":
      // The record holds plain WKB; the canonical value is MySQL's form, SRID 0 first.
      return new Uint8Array(Buffer.concat([Buffer.alloc(4), body.value as Buffer]));
    case "TextObject":
    case "TextGeometry":
      return body.value as string;
    default:
      return null;
  }
}

function imageOf(images: DtsRecord["afterImages"], table: TableInfo): RowImage | null {
  if (images === null || !("array" in images)) return null;
  return images.array.map((v, i) => canonicalFromAvro(v, table.columns[i] as ColumnInfo));
}

function positionOf(text: string): { file: string; offset: number; gtid: null } {
  const at = text.lastIndexOf(":");
  return at < 0 ? { file: "", offset: 0, gtid: null } : { file: text.slice(0, at), offset: Number(text.slice(at + 1)), gtid: null };
}

/**
 * The change event a Record carries. Row records need the table (columns in `fields` order);
 * the GTID is not part of the format, so `position.gtid` is null.
 */
export function dtsRecordToEvent(record: DtsRecord, table?: TableInfo): ChangeEvent {
  const common = {
    eventTimeSeconds: record.sourceTimestamp,
    position: positionOf(record.sourcePosition),
    transactionId: record.sourceTxid,
    serverVersion: record.source.version,
  };
  const names = record.objectName ? splitObjectName(record.objectName.string) : [];
  if (record.operation === "DDL") {
    const sql = record.afterImages && "string" in record.afterImages ? record.afterImages.string : "";
    return { kind: "ddl", database: names[0] ?? "", table: names[1] ?? "", sql, ...common };
  }
  if (!table) throw new Error(`a ${record.operation} record needs its table to decode values`);
  const operation = record.operation === "INIT" ? "insert" : (record.operation.toLowerCase() as "insert" | "update" | "delete");
  return {
    kind: "row",
    operation,
    snapshot: record.operation === "INIT",
    table,
    before: imageOf(record.beforeImages, table),
    after: imageOf(record.afterImages, table),
    ...common,
  };
}
