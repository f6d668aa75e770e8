// Reads the row images of a rows event from its bytes, in place of zongji's generic reader.
// zongji formats every DATETIME, TIMESTAMP and DECIMAL value as text through string padding
// and reads each value through one large switch; that was a third of a streaming pipeline's
// busy time. Here each column of a table map gets its reader once, and the common types are
// read straight from the buffer: integers and floats as numbers (or, past 2^53, as zongji's
// digit strings), DECIMAL and DATETIME as the same text zongji makes, TIMESTAMP as the instant
// itself (what column-values.ts would parse zongji's text back into), UTF-8 text without an
// intermediate buffer, text of other charsets by MySQL's tables (charset.ts). Every other
// type, and any setting this does not expect, is read by zongji's own readMysqlValue. Rows come out as arrays by column position (RawRow).
import { MysqlTypeCode, type TimestampValue } from "../change-event.js";
import { bytesToText, knowsCharset } from "../encode/charset.js";

/** zongji's packet parser, as far as row images need it. */
export interface RowParser {
  _buffer: Buffer;
  _offset: number;
  parseBuffer(length: number): Buffer;
}

/** A column of zongji's table map entry (binlog type code and its metadata). */
interface MapColumn {
  type: number;
  charset: string | null;
  metadata: { decimals?: number; precision?: number; length_size?: number; max_length?: number } | null;
}

interface MapSchema {
  COLUMN_TYPE: string;
  UNSIGNED?: boolean;
}

/** zongji's table map entry for one table id. */
export interface MapEntry {
  columns: MapColumn[];
  columnSchemas: MapSchema[];
}

/** zongji's value reader, for the types read here as zongji reads them. */
export type ZongjiValueReader = (parser: RowParser, column: MapColumn, schema: MapSchema, entry: MapEntry, zongji: unknown) => unknown;

/** The connection settings the fast readers produce zongji's values for (mysql-connection.ts). */
export interface ReaderSettings {
  dateStrings: unknown;
  timezone: unknown;
  decimalNumbers: unknown;
}

type Read = (parser: RowParser) => unknown;

/**
 * A TIMESTAMP as this reader hands it on: the canonical instant, of its own class so that no
 * other row value (a JSON document zongji parsed into an object) is ever taken for one.
 */
export class BinlogTimestamp implements TimestampValue {
  readonly kind = "timestamp";

  constructor(
    readonly epochSeconds: number,
    readonly micros: number,
  ) {}
}

const UTF8_CHARSETS = new Set(["utf8mb4", "utf8mb3", "utf8"]);
const BITS_SET = Array.from({ length: 256 }, (_, byte) => (byte.toString(2).match(/1/g) ?? []).length);
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/** The reader of each column of a table map entry. */
export function columnReaders(entry: MapEntry, settings: ReaderSettings, zongjiRead: ZongjiValueReader, zongji: unknown): Read[] {
  return entry.columns.map((column, i) => {
    const schema = entry.columnSchemas[i] as MapSchema;
    return fastReader(column, schema, settings) ?? ((parser: RowParser) => zongjiRead(parser, column, schema, entry, zongji));
  });
}

function fastReader(column: MapColumn, schema: MapSchema, settings: ReaderSettings): Read | null {
  // zongji's rule: the binlog's own signedness (FULL metadata), else the column's definition.
  const unsigned = schema.UNSIGNED !== undefined ? Boolean(schema.UNSIGNED) : schema.COLUMN_TYPE.includes("unsigned");
  const textDates = settings.dateStrings === true && settings.timezone === "Z";
  switch (column.type) {
    case MysqlTypeCode.TINY:
      return unsigned ? (p) => p._buffer.readUInt8(p._offset++) : (p) => p._buffer.readInt8(p._offset++);
    case MysqlTypeCode.SHORT:
      return fixed(2, unsigned ? (b, at) => b.readUInt16LE(at) : (b, at) => b.readInt16LE(at));
    case MysqlTypeCode.INT24:
      return fixed(3, unsigned ? (b, at) => b.readUIntLE(at, 3) : (b, at) => b.readIntLE(at, 3));
    case MysqlTypeCode.LONG:
      return fixed(4, unsigned ? (b, at) => b.readUInt32LE(at) : (b, at) => b.readInt32LE(at));
    case MysqlTypeCode.LONGLONG:
      return fixed(8, unsigned ? readUnsigned64 : readSigned64);
    case MysqlTypeCode.FLOAT:
      return fixed(4, (b, at) => b.readFloatLE(at));
    case MysqlTypeCode.DOUBLE:
      return fixed(8, (b, at) => b.readDoubleLE(at));
    case MysqlTypeCode.NEWDECIMAL:
      return settings.decimalNumbers ? null : decimalReader(column.metadata?.precision ?? 0, column.metadata?.decimals ?? 0);
    case MysqlTypeCode.DATETIME2:
      return textDates ? datetimeReader(column.metadata?.decimals ?? 0) : null;
    case MysqlTypeCode.TIMESTAMP2:
      return textDates ? timestampReader(column.metadata?.decimals ?? 0) : null;
    case MysqlTypeCode.TIME2:
      return textDates ? timeReader(column.metadata?.decimals ?? 0) : null;
    case MysqlTypeCode.TIME:
      return textDates && !/^time\([1-6]\)/.test(schema.COLUMN_TYPE) ? fixed(3, (b, at) => oldTimeText(b.readIntLE(at, 3))) : null;
    case MysqlTypeCode.DATE:
      return textDates ? fixed(3, (b, at) => dateText(b.readUIntLE(at, 3))) : null;
    case MysqlTypeCode.VARCHAR:
    case MysqlTypeCode.STRING:
      return textReader(column, schema, (column.metadata?.max_length ?? 0) > 255 ? 2 : 1);
    case MysqlTypeCode.BLOB:
      return column.metadata?.length_size ? textReader(column, schema, column.metadata.length_size) : null;
    case MysqlTypeCode.GEOMETRY:
      // The server's own bytes (SRID + WKB): zongji's points lose the SRID and all but 3 shapes.
      return column.metadata?.length_size ? lengthPrefixed(column.metadata.length_size, (b, start, end) => b.subarray(start, end)) : null;
    default:
      return null;
  }
}

function fixed(size: number, read: (buffer: Buffer, at: number) => unknown): Read {
  return (p) => {
    const value = read(p._buffer, p._offset);
    p._offset += size;
    return value;
  };
}

/** zongji's 64-bit integers: a number while exact, else the digits. */
function readSigned64(buffer: Buffer, at: number): number | string {
  const value = buffer.readInt32LE(at + 4) * 4_294_967_296 + buffer.readUInt32LE(at);
  return Number.isSafeInteger(value) ? value : buffer.readBigInt64LE(at).toString();
}

function readUnsigned64(buffer: Buffer, at: number): number | string {
  const value = buffer.readUInt32LE(at + 4) * 4_294_967_296 + buffer.readUInt32LE(at);
  return Number.isSafeInteger(value) ? value : buffer.readBigUInt64LE(at).toString();
}

/**
 * Text in a UTF-8 charset straight from the bytes, in the others charset.ts knows by MySQL's tables
 * as the SELECT reads them (zongji reads some bytes otherwise). Not UUID/INET/VECTOR nor binary strings.
 */
function textReader(column: MapColumn, schema: MapSchema, lengthSize: number): Read | null {
  const charset = column.charset;
  if (charset === null || !/^((var)?char|(tiny|medium|long)?text)\b/.test(schema.COLUMN_TYPE)) return null;
  if (UTF8_CHARSETS.has(charset)) return lengthPrefixed(lengthSize, (b, start, end) => b.toString("utf8", start, end));
  return knowsCharset(charset) ? lengthPrefixed(lengthSize, (b, start, end) => bytesToText(b.subarray(start, end), charset)) : null;
}

/** A value of `lengthSize` length bytes and then its bytes, as `decode` reads them. */
function lengthPrefixed(lengthSize: number, decode: (buffer: Buffer, start: number, end: number) => unknown): Read {
  return (p) => {
    const length = p._buffer.readUIntLE(p._offset, lengthSize);
    const start = p._offset + lengthSize;
    p._offset = start + length;
    return decode(p._buffer, start, start + length);
  };
}

const DIGITS_PER_WORD = 9;
const BYTES_OF_DIGITS = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];

/** MySQL's binary DECIMAL: words of nine digits, a partial word at each end, sign in the top bit, negatives with every bit flipped. */
function decimalReader(precision: number, scale: number): Read {
  const integral = precision - scale;
  const wholeIntWords = Math.floor(integral / DIGITS_PER_WORD);
  const leadDigits = integral - wholeIntWords * DIGITS_PER_WORD;
  const wholeFracWords = Math.floor(scale / DIGITS_PER_WORD);
  const trailDigits = scale - wholeFracWords * DIGITS_PER_WORD;
  const leadBytes = BYTES_OF_DIGITS[leadDigits] as number;
  const trailBytes = BYTES_OF_DIGITS[trailDigits] as number;
  const size = leadBytes + wholeIntWords * 4 + wholeFracWords * 4 + trailBytes;
  return (p) => {
    const b = p._buffer;
    const start = p._offset;
    p._offset += size;
    const negative = (b[start] as number) < 0x80;
    const mask = negative ? 0xff : 0;
    // Unsigned big-endian of n bytes with the mask applied and the sign bit cleared at the first byte.
    const word = (at: number, n: number): number => {
      let value = 0;
      for (let i = 0; i < n; i++) value = value * 256 + (((b[at + i] as number) ^ mask) & (at + i === start ? 0x7f : 0xff));
      return value;
    };
    let at = start;
    let whole = "";
    if (leadBytes > 0) {
      whole = String(word(at, leadBytes));
      at += leadBytes;
    }
    for (let i = 0; i < wholeIntWords; i++, at += 4) whole += String(word(at, 4)).padStart(DIGITS_PER_WORD, "0");
    let first = 0;
    while (first < whole.length - 1 && whole.charCodeAt(first) === 48) first++;
    let text = (negative ? "-" : "") + (whole === "" ? "0" : whole.slice(first));
    if (scale === 0) return text;
    text += ".";
    for (let i = 0; i < wholeFracWords; i++, at += 4) text += String(word(at, 4)).padStart(DIGITS_PER_WORD, "0");
    if (trailBytes > 0) text += String(word(at, trailBytes)).padStart(trailDigits, "0");
    return text;
  };
}

/** The fraction of a second after DATETIME2/TIMESTAMP2/TIME2: ceil(fsp/2) big-endian bytes; its digits, fsp of them. */
function readFraction(b: Buffer, at: number, fsp: number): number {
  const bytes = (fsp + 1) >> 1;
  const stored = bytes === 1 ? b.readUInt8(at) : bytes === 2 ? b.readUInt16BE(at) : b.readUIntBE(at, 3);
  return fsp % 2 === 1 ? Math.floor(stored / 10) : stored;
}

function datetimeReader(fsp: number): Read {
  const size = 5 + ((fsp + 1) >> 1);
  return (p) => {
    const b = p._buffer;
    const at = p._offset;
    p._offset += size;
    // 40 bits: sign, 17 bits year*13+month, 5 day, 5 hour, 6 minute, 6 second.
    const high = b.readUInt8(at) & 0x7f;
    const rest = b.readUInt32BE(at + 1);
    const yearMonth = high * 1024 + (rest >>> 22);
    const day = (rest >>> 17) & 31;
    const text = `${String(Math.floor(yearMonth / 13)).padStart(4, "0")}-${TWO_DIGITS[yearMonth % 13]}-${TWO_DIGITS[day]} ${TWO_DIGITS[(rest >>> 12) & 31]}:${TWO_DIGITS[(rest >>> 6) & 63]}:${TWO_DIGITS[rest & 63]}`;
    return fsp === 0 ? text : `${text}.${String(readFraction(b, at + 5, fsp)).padStart(fsp, "0")}`;
  };
}

const MICROS_PER_DIGITS = [1, 100_000, 10_000, 1000, 100, 10, 1];

function timestampReader(fsp: number): Read {
  const size = 4 + ((fsp + 1) >> 1);
  const scale = MICROS_PER_DIGITS[fsp] as number;
  return (p) => {
    const b = p._buffer;
    const at = p._offset;
    p._offset += size;
    return new BinlogTimestamp(b.readUInt32BE(at), fsp === 0 ? 0 : readFraction(b, at + 4, fsp) * scale);
  };
}

/** Microseconds per stored unit of TIME2's fraction, by fsp. */
const TIME_FRACTION_MICROS = [0, 10_000, 10_000, 100, 100, 1, 1];
const TWO_TO_24 = 16_777_216;

/**
 * TIME2: 3 bytes of sign, 10 bits hour, 6 minute, 6 second, offset by 2^23, then ceil(fsp/2)
 * bytes of fraction, all one big-endian number: a negative time is stored as the two's
 * complement of the whole, so its fraction borrows from the seconds (MySQL's
 * my_time_packed_from_binary). zongji flips the bits instead, which turns -02:00:00 into
 * -01:63:64.
 */
function timeReader(fsp: number): Read {
  const fractionBytes = (fsp + 1) >> 1;
  const scale = TIME_FRACTION_MICROS[fsp] as number;
  return (p) => {
    const b = p._buffer;
    const at = p._offset;
    p._offset += 3 + fractionBytes;
    let whole = b.readUIntBE(at, 3) - 0x800000;
    let fraction = fractionBytes === 0 ? 0 : b.readUIntBE(at + 3, fractionBytes);
    if (whole < 0 && fraction !== 0) {
      whole += 1;
      fraction -= 2 ** (8 * fractionBytes);
    }
    const packed = whole * TWO_TO_24 + fraction * scale;
    const magnitude = Math.abs(packed);
    const hms = Math.floor(magnitude / TWO_TO_24);
    const hour = (hms >>> 12) % 1024;
    const text = `${packed < 0 ? "-" : ""}${hour > 99 ? hour : TWO_DIGITS[hour]}:${TWO_DIGITS[(hms >>> 6) & 63]}:${TWO_DIGITS[hms & 63]}`;
    return fsp === 0 ? text : `${text}.${String(magnitude % TWO_TO_24).padStart(6, "0").slice(0, fsp)}`;
  };
}

/** MariaDB 5.3's TIME(0): ±(h·10000 + m·100 + s), signed; zongji flips a negative one's bits, one off. */
function oldTimeText(stored: number): string {
  const n = Math.abs(stored), hour = Math.floor(n / 10000);
  return `${stored < 0 ? "-" : ""}${hour > 99 ? hour : TWO_DIGITS[hour]}:${TWO_DIGITS[Math.floor(n / 100) % 100]}:${TWO_DIGITS[n % 100]}`;
}

/** DATE: 3 bytes, 15 bits year, 4 month, 5 day. */
function dateText(raw: number): string {
  return `${String(raw >>> 9).padStart(4, "0")}-${TWO_DIGITS[(raw >>> 5) & 15]}-${TWO_DIGITS[raw & 31]}`;
}

/** One row image: the bitmap's present columns in order, nulls from the image's own null bitmap. */
export function readRowImage(parser: RowParser, readers: readonly Read[], present: Buffer): unknown[] {
  // As zongji counts: every bit of the bitmap, also past the table map's columns.
  let presentCount = 0;
  for (let i = 0; i < present.length; i++) presentCount += BITS_SET[present[i] as number] as number;
  const nulls = parser._offset;
  parser._offset += (presentCount + 7) >> 3;
  const buffer = parser._buffer;
  const row = new Array<unknown>(readers.length);
  for (let i = 0, n = 0; i < readers.length; i++) {
    if (((present[i >> 3] as number) & (1 << (i & 7))) === 0) {
      row[i] = null;
      continue;
    }
    row[i] = ((buffer[nulls + (n >> 3)] as number) & (1 << (n & 7))) !== 0 ? null : (readers[i] as Read)(parser);
    n++;
  }
  return row;
}
