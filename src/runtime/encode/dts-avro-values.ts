// Canonical column value → member of DTS's value union (FORMATS.md §a.4), compiled per column
// into a writer of the union index and the member's Avro body.
// Decisions (see docs/formats.md): TEXT-family columns travel as BinaryObject "TEXT" and BLOBs
// as BinaryObject "BLOB" (the binlog types them both as BLOB and DTS's demo decodes that type
// number as BinaryObject); CHAR/VARCHAR/BINARY/VARBINARY as Character; negative TIME carries the
// sign on every non-zero component; FLOAT is written as the double of its shortest decimal text.
import type { ColumnInfo, ColumnValue, TimestampValue } from "../change-event.js";
import type { AvroWriter } from "./avro-writer.js";
import { textToBytes } from "./charset.js";
import { columnFamily, isBlobType } from "./column-family.js";
import { shortestFloatText } from "./java-number-text.js";

/** Branch indexes of the image item union in Record.avsc. */
export const ValueBranch = {
  null: 0, Integer: 1, Character: 2, Decimal: 3, Float: 4, Timestamp: 5, DateTime: 6, TimestampWithTimeZone: 7,
  BinaryGeometry: 8, TextGeometry: 9, BinaryObject: 10, TextObject: 11, EmptyObject: 12,
} as const;

export type AvroValueWriter = (w: AvroWriter, value: ColumnValue) => void;

interface TimeParts { sign: number; hour: number; minute: number; second: number; micros: number }

export function parseTimeText(text: string): TimeParts {
  const m = /^(-)?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) throw new Error(`not a TIME value: "${text}"`);
  return { sign: m[1] ? -1 : 1, hour: Number(m[2]), minute: Number(m[3]), second: Number(m[4]), micros: m[5] ? Number(m[5].padEnd(6, "0")) : 0 };
}

/** DateTime's [null, int] fields: branch 0 = null, branch 1 = int. */
function optionalInt(w: AvroWriter, v: number | null): void {
  if (v === null) w.long(0);
  else {
    w.long(1);
    w.long(v === 0 ? 0 : v);
  }
}

function dateTime(w: AvroWriter, y: number | null, mo: number | null, d: number | null, h: number | null, mi: number | null, s: number | null, us: number | null): void {
  w.long(ValueBranch.DateTime);
  optionalInt(w, y); optionalInt(w, mo); optionalInt(w, d); optionalInt(w, h); optionalInt(w, mi); optionalInt(w, s); optionalInt(w, us);
}

const num = (text: string, from: number, to: number) => Number(text.slice(from, to));

function typeNamed(branch: number, type: string, toBytes: (v: ColumnValue) => Uint8Array): AvroValueWriter {
  return (w, v) => {
    if (v === null) return w.long(0);
    w.long(branch);
    w.string(type);
    w.bytes(toBytes(v));
  };
}

export function avroValueWriter(column: ColumnInfo): AvroValueWriter {
  const precision = column.precision ?? 0;
  const scale = column.scale ?? 0;
  const fsp = column.fsp ?? 0;
  const charset = column.charset ?? "utf8mb4";
  const bytesOf = (v: ColumnValue) => v as Uint8Array;
  switch (columnFamily(column)) {
    case "integer":
    case "bit":
      return (w, v) => {
        if (v === null) return w.long(0);
        w.long(ValueBranch.Integer); w.long(precision); w.string(String(v));
      };
    case "decimal":
      return (w, v) => {
        if (v === null) return w.long(0);
        w.long(ValueBranch.Decimal); w.string(v as string); w.long(precision); w.long(scale);
      };
    case "float":
    case "double": {
      const toDouble = columnFamily(column) === "float" ? (v: number) => Number(shortestFloatText(v)) : (v: number) => v;
      return (w, v) => {
        if (v === null) return w.long(0);
        w.long(ValueBranch.Float); w.double(toDouble(v as number)); w.long(precision); w.long(scale);
      };
    }
    case "timestamp":
      return (w, v) => {
        if (v === null) return w.long(0);
        w.long(ValueBranch.Timestamp); w.long((v as TimestampValue).epochSeconds); w.long((v as TimestampValue).micros);
      };
    case "date":
      return (w, v) => {
        if (v === null) return w.long(0);
        const t = v as string;
        dateTime(w, num(t, 0, 4), num(t, 5, 7), num(t, 8, 10), null, null, null, null);
      };
    case "datetime":
      return (w, v) => {
        if (v === null) return w.long(0);
        const t = v as string;
        const micros = fsp > 0 ? Number(t.slice(20).padEnd(6, "0")) : null;
        dateTime(w, num(t, 0, 4), num(t, 5, 7), num(t, 8, 10), num(t, 11, 13), num(t, 14, 16), num(t, 17, 19), micros);
      };
    case "time":
      return (w, v) => {
        if (v === null) return w.long(0);
        const t = parseTimeText(v as string);
        dateTime(w, null, null, null, t.sign * t.hour, t.sign * t.minute, t.sign * t.second, fsp > 0 ? t.sign * t.micros : null);
      };
    case "year":
      return (w, v) => {
        if (v === null) return w.long(0);
        dateTime(w, v as number, null, null, null, null, null, null);
      };
    case "text":
      if (isBlobType(column)) return typeNamed(ValueBranch.BinaryObject, "TEXT", (v) => textToBytes(v as string, column.charset));
      return (w, v) => {
        if (v === null) return w.long(0);
        w.long(ValueBranch.Character); w.string(charset); w.bytes(textToBytes(v as string, column.charset));
      };
    case "binary":
      if (isBlobType(column)) return typeNamed(ValueBranch.BinaryObject, "BLOB", bytesOf);
      return (w, v) => {
        if (v === null) return w.long(0);
        w.long(ValueBranch.Character); w.string("binary"); w.bytes(v as Uint8Array);
      };
    case "json":
    case "enum":
    case "set": {
      const type = columnFamily(column).toUpperCase();
      return (w, v) => {
        if (v === null) return w.long(0);
        w.long(ValueBranch.TextObject); w.string(type); w.string(v as string);
      };
    }
    case "geometry":
      return typeNamed(ValueBranch.BinaryGeometry, column.dataType.toUpperCase(), bytesOf);
  }
}
