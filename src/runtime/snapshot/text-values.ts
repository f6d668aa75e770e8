// Values of a TextResult's rows read one at a time, straight from the bytes, as the initial
// sync's images hold them (selectImageConverters). Each reader takes the bytes mysql2 would have
// read for the column and hands its converter what mysql2 would have made of them (text,
// an integer, the bytes), so a value is the one mysql2 and the converter give together.
// Only columns whose text is the canonical text of their family get a reader: integers and
// DECIMAL without ZEROFILL, temporal types, and text, JSON, ENUM and SET sent as UTF-8, with
// BIT, the binary types and geometry (selected as bytes) as bytes. A table with any other column
// (FLOAT and DOUBLE, whose text mysql2 parses its own way, a result in another encoding) is read
// as values.
import type { ColumnValue, TableInfo } from "../change-event.js";
import { columnFamily, type ColumnFamily } from "../encode/column-family.js";
import { selectImageConverters, type RawConverter } from "../source/column-values.js";
import type { ResultField, TextResult } from "./text-result.js";

/** Buffer's native slices, without the encoding dispatch of `toString(encoding, start, end)`. */
type SlicedBuffer = Buffer & { latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string };

/** Reads a non-NULL value: the row's buffer and the value's start and byte length. */
export type TextValueReader = (bytes: Buffer, start: number, size: number) => ColumnValue;

/** Protocol type codes (MYSQL_TYPE_*) the readers know. */
const Type = {
  DECIMAL: 0, TINY: 1, SHORT: 2, LONG: 3, TIMESTAMP: 7, LONGLONG: 8, INT24: 9, DATE: 10, TIME: 11, DATETIME: 12,
  YEAR: 13, NEWDATE: 14, VARCHAR: 15, BIT: 16, JSON: 245, NEWDECIMAL: 246, ENUM: 247, SET: 248,
  TINY_BLOB: 249, MEDIUM_BLOB: 250, LONG_BLOB: 251, BLOB: 252, VAR_STRING: 253, STRING: 254,
} as const;

const ZEROFILL_FLAG = 64;
const BINARY_CHARSET = 63;

const textTypes: ReadonlySet<number> = new Set([Type.VARCHAR, Type.TINY_BLOB, Type.MEDIUM_BLOB, Type.LONG_BLOB, Type.BLOB, Type.VAR_STRING, Type.STRING, Type.ENUM, Type.SET]);

/** The result types whose text is the canonical text of each family (as the SELECT sends them). */
const typesOf: Partial<Record<ColumnFamily, ReadonlySet<number>>> = {
  integer: new Set([Type.TINY, Type.SHORT, Type.LONG, Type.INT24, Type.LONGLONG]),
  decimal: new Set([Type.DECIMAL, Type.NEWDECIMAL]),
  date: new Set([Type.DATE, Type.NEWDATE]),
  datetime: new Set([Type.DATETIME]),
  timestamp: new Set([Type.TIMESTAMP]),
  time: new Set([Type.TIME]),
  year: new Set([Type.YEAR]),
  bit: new Set([Type.BIT]),
  text: textTypes,
  json: new Set([...textTypes, Type.JSON]),
  enum: textTypes,
  set: textTypes,
  binary: textTypes,
  // snapshotSelectList reads geometry as its bytes (CAST AS BINARY).
  geometry: textTypes,
};

/** Digits of a small integer (at most 15 of them, so exact in a double), with an optional sign. */
function smallInteger(bytes: Buffer, start: number, size: number): number {
  const negative = bytes[start] === 0x2d;
  let n = 0;
  for (let i = negative ? start + 1 : start; i < start + size; i++) n = n * 10 + ((bytes[i] as number) - 48);
  return negative ? -n : n;
}

/** What mysql2 makes of a field's bytes, for the families that have a reader. */
function rawReader(family: ColumnFamily, field: ResultField): ((bytes: SlicedBuffer, start: number, size: number) => unknown) | null {
  const types = typesOf[family];
  if (!types?.has(field.columnType)) return null;
  const binary = field.characterSet === BINARY_CHARSET;
  switch (family) {
    case "integer":
      if (field.flags & ZEROFILL_FLAG) return null;
      // mysql2 reads BIGINT as its digits (bigNumberStrings), the others as numbers.
      return (bytes, start, size) => (size <= 15 ? smallInteger(bytes, start, size) : bytes.latin1Slice(start, start + size));
    case "year":
      return smallInteger;
    case "decimal":
      // A ZEROFILL DECIMAL's text is padded: read as a value, whose converter takes the zeros off.
      if (field.flags & ZEROFILL_FLAG) return null;
      return (bytes, start, size) => bytes.latin1Slice(start, start + size);
    case "date":
    case "datetime":
    case "timestamp":
    case "time":
      return (bytes, start, size) => bytes.latin1Slice(start, start + size);
    case "bit":
    case "binary":
    case "geometry":
      return binary ? (bytes, start, size) => bytes.subarray(start, start + size) : null;
    default:
      // MySQL's JSON type arrives with the binary collation and is read as UTF-8 all the same.
      if (binary && field.columnType !== Type.JSON) return null;
      return field.encoding === "utf8" || binary ? (bytes, start, size) => bytes.utf8Slice(start, start + size) : null;
  }
}

/**
 * Readers of a result's values by field, as image values of `table`'s columns (the SELECT
 * lists them in order); null when one of its columns has none, and the rows are read as values.
 */
export function textValueReaders(table: TableInfo, fields: readonly ResultField[]): TextValueReader[] | null {
  if (fields.length !== table.columns.length) return null;
  const converters = selectImageConverters(table);
  const readers: TextValueReader[] = [];
  for (let i = 0; i < fields.length; i++) {
    const raw = rawReader(columnFamily(table.columns[i] as TableInfo["columns"][number]), fields[i] as ResultField);
    if (!raw) return null;
    const convert = converters[i] as RawConverter;
    readers.push((bytes, start, size) => convert(raw(bytes as SlicedBuffer, start, size)));
  }
  return readers;
}

/** The image value of field `field` of row `row`; null for NULL. */
export function readTextValue(result: TextResult, readers: readonly TextValueReader[], row: number, field: number): ColumnValue {
  const size = result.size(row, field);
  return size < 0 ? null : (readers[field] as TextValueReader)(result.bytes(row), result.start(row, field), size);
}
