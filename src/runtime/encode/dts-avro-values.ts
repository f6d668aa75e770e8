// Canonical column value → member of DTS's value union (docs/formats.md, DTS Avro), compiled per column
// into a writer of the union index and the member's Avro body.
// Decisions (see docs/formats.md): TEXT-family columns travel as BinaryObject "TEXT" and BLOBs
// as BinaryObject "BLOB" (the binlog types them both as BLOB and DTS's demo decodes that type
// number as BinaryObject); CHAR/VARCHAR/BINARY/VARBINARY as Character; negative TIME carries the
// sign on every non-zero component; FLOAT is written as the double of its shortest decimal text.
import type { ColumnInfo, ColumnValue, RowText, TimestampValue } from "../change-event.js";
import { avroBytes, type AvroWriter } from "./avro-writer.js";
import { declaresEmptyLabel, serverSetText } from "./set-text.js";
import { isUtf8Charset, textToBytes, writtenBytesCharset, writtenCharset } from "./charset.js";
import { columnFamily, isBlobType } from "./column-family.js";
import { shortestFloatText } from "./java-number-text.js";
import { digitsAt, fractionMicrosAt, utcSecondsAt } from "./server-text.js";

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

/** The number written in ASCII digits text[from, to) (canonical temporal text), without slicing. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (text.charCodeAt(i) - 48);
  return n;
}

/** Microseconds of a fraction's digits from `from` to the end (`.5` → 500000). */
function fractionMicros(text: string, from: number): number {
  return digits(text, from, text.length) * 10 ** (6 - (text.length - from));
}

// Constant leading bytes of a column's values (union branch, type or charset name, precision)
// are encoded once per column with avroBytes and copied per row.

/** A union branch and the type or charset name that follows it. */
function namedHead(branch: number, name: string): Buffer {
  return avroBytes((w) => { w.long(branch); w.string(name); });
}

/** The head of a text column's values: TEXT-family as BinaryObject "TEXT", CHAR/VARCHAR as Character. */
function textHead(column: ColumnInfo): Buffer {
  return isBlobType(column) ? namedHead(ValueBranch.BinaryObject, "TEXT") : namedHead(ValueBranch.Character, writtenCharset(column.charset));
}

/** The charset of a text column's bytes: the one its Character names, the column's own for TEXT (its BinaryObject names none). */
const textBytesCharset = (column: ColumnInfo): string | null => (isBlobType(column) ? column.charset : writtenBytesCharset(column.charset));

/** The head of a binary column's values: BLOBs as BinaryObject "BLOB", BINARY/VARBINARY as Character. */
function bytesHead(column: ColumnInfo): Buffer {
  return isBlobType(column) ? namedHead(ValueBranch.BinaryObject, "BLOB") : namedHead(ValueBranch.Character, "binary");
}

/** The head of an integer column's values: Integer and the column's precision. */
function integerHead(column: ColumnInfo): Buffer {
  return avroBytes((w) => { w.long(ValueBranch.Integer); w.long(column.precision ?? 0); });
}

/** DECIMAL and Float members end with the column's precision and scale. */
function precisionAndScaleOf(column: ColumnInfo): Buffer {
  return avroBytes((w) => { w.long(column.precision ?? 0); w.long(column.scale ?? 0); });
}

function typeNamed(head: Uint8Array, toBytes: (v: ColumnValue) => Uint8Array): AvroValueWriter {
  return (w, v) => {
    if (v === null) return w.long(0);
    w.raw(head);
    w.bytes(toBytes(v));
  };
}

/** Character data: UTF-8 columns write the string's own bytes, skipping the intermediate Buffer. */
function characterWriter(head: Uint8Array, charset: string | null): AvroValueWriter {
  if (isUtf8Charset(charset)) {
    return (w, v) => {
      if (v === null) return w.long(0);
      w.raw(head);
      w.string(v as string);
    };
  }
  return (w, v) => {
    if (v === null) return w.long(0);
    w.raw(head);
    w.bytes(textToBytes(v as string, charset));
  };
}

/** Integer, Decimal and Float members; the last two carry the column's precision and scale. */
function numberWriter(column: ColumnInfo, family: "integer" | "bit" | "decimal" | "float" | "double"): AvroValueWriter {
  const precisionAndScale = precisionAndScaleOf(column);
  switch (family) {
    case "integer":
    case "bit": {
      const head = integerHead(column);
      return (w, v) => {
        if (v === null) return w.long(0);
        w.raw(head); w.integerText(v as bigint | number);
      };
    }
    case "decimal":
      return (w, v) => {
        if (v === null) return w.long(0);
        w.long(ValueBranch.Decimal); w.string(v as string); w.raw(precisionAndScale);
      };
    case "float":
    case "double": {
      const toDouble = family === "float" ? (v: number) => Number(shortestFloatText(v)) : (v: number) => v;
      return (w, v) => {
        if (v === null) return w.long(0);
        w.long(ValueBranch.Float); w.double(toDouble(v as number)); w.raw(precisionAndScale);
      };
    }
  }
}

/** TIMESTAMP as epoch seconds and micros; the other temporal types as DateTime fields. */
function temporalWriter(family: "timestamp" | "date" | "datetime" | "time" | "year", fsp: number): AvroValueWriter {
  switch (family) {
    case "timestamp":
      return (w, v) => {
        if (v === null) return w.long(0);
        w.long(ValueBranch.Timestamp); w.long((v as TimestampValue).epochSeconds); w.long((v as TimestampValue).micros);
      };
    case "date":
      return (w, v) => {
        if (v === null) return w.long(0);
        const t = v as string;
        dateTime(w, digits(t, 0, 4), digits(t, 5, 7), digits(t, 8, 10), null, null, null, null);
      };
    case "datetime":
      return (w, v) => {
        if (v === null) return w.long(0);
        const t = v as string;
        const micros = fsp > 0 ? fractionMicros(t, 20) : null;
        dateTime(w, digits(t, 0, 4), digits(t, 5, 7), digits(t, 8, 10), digits(t, 11, 13), digits(t, 14, 16), digits(t, 17, 19), micros);
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
  }
}

/** Text, bytes and the typed objects (JSON, ENUM, SET, geometry), each under its type name. */
function objectWriter(column: ColumnInfo, family: "text" | "binary" | "json" | "enum" | "set" | "geometry"): AvroValueWriter {
  const bytesOf = (v: ColumnValue) => v as Uint8Array;
  switch (family) {
    case "text":
      return characterWriter(textHead(column), textBytesCharset(column));
    case "binary":
      return typeNamed(bytesHead(column), bytesOf);
    case "json":
    case "enum":
    case "set": {
      const head = namedHead(ValueBranch.TextObject, family.toUpperCase());
      // A SET declaring '' shows as the server's text (set-text.ts).
      const text = family === "set" && declaresEmptyLabel(column) ? serverSetText : (v: string) => v;
      return (w, v) => {
        if (v === null) return w.long(0);
        w.raw(head); w.string(text(v as string));
      };
    }
    case "geometry":
      // Plain WKB, without MySQL's 4-byte SRID prefix: DTS consumers hand `value` to a WKB reader
      // (docs/formats.md, DTS Avro, GEOMETRY); the SRID is not carried.
      return typeNamed(namedHead(ValueBranch.BinaryGeometry, column.dataType.toUpperCase()), (v) => (v as Uint8Array).subarray(4));
  }
}

export function avroValueWriter(column: ColumnInfo): AvroValueWriter {
  const family = columnFamily(column);
  switch (family) {
    case "integer":
    case "bit":
    case "decimal":
    case "float":
    case "double":
      return numberWriter(column, family);
    case "timestamp":
    case "date":
    case "datetime":
    case "time":
    case "year":
      return temporalWriter(family, column.fsp ?? 0);
    default:
      return objectWriter(column, family);
  }
}

/** Writes a column of a RowText (see avroTextWriter). */
export type AvroTextWriter = (w: AvroWriter, row: RowText, column: number) => void;

/**
 * Writes a column straight from the server's text of its value, where that text is what the
 * value writer would write or parse: integers, DECIMAL, DATE, DATETIME, TIMESTAMP, UTF-8 text,
 * JSON, ENUM, SET and bytes. Other columns are written from their value (RowText.value) by
 * `write`, the column's value writer.
 */
export function avroTextWriter(column: ColumnInfo, write: AvroValueWriter): AvroTextWriter {
  if (columnFamily(column) === "timestamp") return timestampTextWriter(write);
  const span = textSpanWriter(column);
  if (span === null) return (w, row, c) => write(w, row.value(c));
  return (w, row, c) => {
    const size = row.size(c);
    if (size < 0) return w.long(0);
    span(w, row.bytes, row.start(c), size);
  };
}

/** TIMESTAMP's epoch seconds and micros from its UTC text; text of another shape from its value. */
function timestampTextWriter(write: AvroValueWriter): AvroTextWriter {
  return (w, row, c) => {
    const size = row.size(c);
    if (size < 0) return w.long(0);
    const bytes = row.bytes;
    const start = row.start(c);
    const seconds = utcSecondsAt(bytes, start, size);
    if (Number.isNaN(seconds)) return write(w, row.value(c));
    w.long(ValueBranch.Timestamp);
    w.long(seconds);
    w.long(fractionMicrosAt(bytes, start, size));
  };
}

type SpanWriter = (w: AvroWriter, bytes: Uint8Array, start: number, size: number) => void;

/** A head (union branch and its constant fields) followed by the value's bytes as Avro bytes. */
function headedSpan(head: Uint8Array): SpanWriter {
  return (w, bytes, start, size) => {
    w.raw(head);
    w.bytesSpan(bytes, start, size);
  };
}

function textSpanWriter(column: ColumnInfo): SpanWriter | null {
  const family = columnFamily(column);
  switch (family) {
    case "integer":
      return headedSpan(integerHead(column));
    case "decimal": {
      const precisionAndScale = precisionAndScaleOf(column);
      return (w, bytes, start, size) => {
        w.long(ValueBranch.Decimal); w.bytesSpan(bytes, start, size); w.raw(precisionAndScale);
      };
    }
    case "date":
      return (w, bytes, s) => dateTime(w, digitsAt(bytes, s, s + 4), digitsAt(bytes, s + 5, s + 7), digitsAt(bytes, s + 8, s + 10), null, null, null, null);
    case "datetime": {
      const fsp = column.fsp ?? 0;
      return (w, bytes, s, size) => {
        // The fraction has exactly fsp digits, as in the canonical text (see fractionMicros).
        const micros = fsp > 0 ? fractionMicrosAt(bytes, s, size) : null;
        dateTime(w, digitsAt(bytes, s, s + 4), digitsAt(bytes, s + 5, s + 7), digitsAt(bytes, s + 8, s + 10), digitsAt(bytes, s + 11, s + 13), digitsAt(bytes, s + 14, s + 16), digitsAt(bytes, s + 17, s + 19), micros);
      };
    }
    case "text":
      return isUtf8Charset(textBytesCharset(column)) ? headedSpan(textHead(column)) : null;
    case "set":
      return declaresEmptyLabel(column) ? null : headedSpan(namedHead(ValueBranch.TextObject, "SET"));
    case "json":
    case "enum":
      return headedSpan(namedHead(ValueBranch.TextObject, family.toUpperCase()));
    case "binary":
      return headedSpan(bytesHead(column));
    default:
      return null;
  }
}
