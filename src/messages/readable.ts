// A readable JSON view of any message we produce, for `dts tail`: DTS Avro records with each
// value shown as text a person can read, canal messages as they are.
import { bytesToText } from "../runtime/encode/charset.js";
import { decodeDtsAvro, splitObjectName, type DtsRecord } from "./dts-avro.js";
import { decodeCanalJson } from "./canal-json.js";

export type MessageFormat = "dts-avro" | "canal-json";

/** Canal JSON starts with `{`; a DTS Record never does (its first byte is the version varint). */
export function detectFormat(value: Buffer): MessageFormat {
  return value.length > 0 && value[0] === 0x7b ? "canal-json" : "dts-avro";
}

type Parts = [number | null, number | null, number | null, number | null, number | null, number | null, number | null];
const hex = (bytes: Buffer) => `0x${bytes.toString("hex")}`;
const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, "0");

function readableValue(value: null | Record<string, Record<string, unknown>>): unknown {
  if (value === null) return null;
  const [fullName, body] = Object.entries(value)[0] as [string, Record<string, unknown>];
  const type = fullName.slice(fullName.lastIndexOf(".") + 1);
  const int = (k: string) => (body[k] === null ? null : (body[k] as { int: number }).int);
  switch (type) {
    case "Integer":
    case "Decimal":
    case "TextObject":
    case "TextGeometry":
      return body.value;
    case "Float":
      return Object.is(body.value, -0) ? "-0.0" : body.value;
    case "Character":
      return body.charset === "binary" ? hex(body.value as Buffer) : bytesToText(body.value as Buffer, body.charset as string);
    case "BinaryObject":
      return body.type === "TEXT" ? (body.value as Buffer).toString("utf8") : hex(body.value as Buffer);
    case "BinaryGeometry":
      return hex(body.value as Buffer);
    case "Timestamp": {
      const seconds = body.timestamp as number;
      const micros = String(body.millis).padStart(6, "0");
      return seconds === 0 && body.millis === 0 ? "0000-00-00 00:00:00 (zero)" : `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${micros}Z`;
    }
    case "DateTime": {
      const [y, mo, d, h, mi, s, us] = ["year", "month", "day", "hour", "minute", "second", "millis"].map(int) as Parts;
      const negative = [h, mi, s, us].some((p) => (p ?? 0) < 0);
      const date = y === null ? "" : mo === null ? pad(y, 4) : `${pad(y, 4)}-${pad(mo ?? 0)}-${pad(d ?? 0)}`;
      const time = h === null ? "" : `${negative ? "-" : ""}${pad(h, 2)}:${pad(mi ?? 0)}:${pad(s ?? 0)}${us === null ? "" : `.${pad(us, 6)}`}`;
      return [date, time].filter(Boolean).join(" ");
    }
    case "EmptyObject":
      return `(${String(body)})`;
    default:
      return body;
  }
}

function readableImages(record: DtsRecord, images: DtsRecord["afterImages"]): unknown {
  if (images === null) return null;
  if ("string" in images) return images.string;
  const fields = record.fields && "array" in record.fields ? record.fields.array : [];
  return Object.fromEntries(images.array.map((v, i) => [fields[i]?.name ?? `#${i}`, readableValue(v)]));
}

export function readableDtsRecord(record: DtsRecord, schemaId: number | null): Record<string, unknown> {
  const names = record.objectName ? splitObjectName(record.objectName.string) : [];
  return {
    ...(schemaId === null ? {} : { schemaId }),
    operation: record.operation,
    database: names[0] ?? null,
    table: names[1] ?? null,
    id: record.id,
    version: record.version,
    sourceTimestamp: record.sourceTimestamp,
    bornTimestamp: record.bornTimestamp,
    sourcePosition: record.sourcePosition,
    sourceTxid: record.sourceTxid,
    source: `${record.source.sourceType} ${record.source.version}`,
    tags: record.tags,
    fields: record.fields && "array" in record.fields ? Object.fromEntries(record.fields.array.map((f) => [f.name, f.dataTypeNumber])) : null,
    before: readableImages(record, record.beforeImages),
    after: readableImages(record, record.afterImages),
  };
}

/** The message value as a JSON-ready object. */
export function readableMessage(value: Buffer, format: MessageFormat = detectFormat(value)): unknown {
  if (format === "canal-json") return decodeCanalJson(value);
  const { record, schemaId } = decodeDtsAvro(value);
  return readableDtsRecord(record, schemaId);
}
