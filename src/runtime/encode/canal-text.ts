// How canal renders one canonical column value as text (docs/formats.md, Canal JSON), compiled once per
// column into a function so rows are rendered without re-inspecting types.
import { isUtf8 } from "node:buffer";
import type { ColumnInfo, ColumnValue, RowText, TimestampValue } from "../change-event.js";
import { WALL_CLOCK_RANGE, writeWallClock } from "./calendar.js";
import { columnFamily } from "./column-family.js";
import { javaDoubleText, javaFloatText } from "./java-number-text.js";
import { BACKSLASH, needsEscape, QUOTE, type JsonWriter } from "./json-writer.js";
import { fractionMicrosAt, utcSecondsAt } from "./server-text.js";
import { timestampText, type ZoneClock } from "./time-zone.js";

export type CanalRenderer = (value: ColumnValue) => string | null;

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

const SUPPLEMENTARY = /[\u{10000}-\u{10FFFF}]/u;
const EVERY_SUPPLEMENTARY = /[\u{10000}-\u{10FFFF}]/gu;

/**
 * A label's position among the declared ones, -1 when it is not one. MariaDB's metadata is
 * utf8mb3, so labels read from information_schema (the initial sync's) show each 4-byte
 * character as '?': a value with such characters is also looked up as it shows there. (Two
 * labels alike but for those characters show the same; the first is taken.)
 */
function labelPosition(labels: readonly string[], label: string): number {
  const at = labels.indexOf(label);
  return at >= 0 || !SUPPLEMENTARY.test(label) ? at : labels.indexOf(label.replace(EVERY_SUPPLEMENTARY, "?"));
}

/** ENUM label → 1-based index; 0 for the invalid value '' (unless '' is one of the labels). */
export function enumIndex(labels: readonly string[], label: string): number {
  return labelPosition(labels, label) + 1;
}

/** SET labels joined by `,` → bitmask. */
export function setBitmask(labels: readonly string[], text: string): bigint {
  if (text === "") return 0n;
  let mask = 0n;
  for (const member of text.split(",")) {
    const bit = labelPosition(labels, member);
    if (bit >= 0) mask |= 1n << BigInt(bit);
  }
  return mask;
}

export function canalRenderer(column: ColumnInfo, clock: ZoneClock): CanalRenderer {
  const fsp = column.fsp ?? 0;
  const labels = column.labels ?? [];
  switch (columnFamily(column)) {
    case "float":
      return (v) => (v === null ? null : javaFloatText(v as number));
    case "double":
      return (v) => (v === null ? null : javaDoubleText(v as number));
    case "timestamp":
      return (v) => (v === null ? null : timestampText(v as TimestampValue, fsp, clock));
    case "year":
      return (v) => (v === null ? null : String(v).padStart(4, "0"));
    case "enum":
      return (v) => (v === null ? null : String(enumIndex(labels, v as string)));
    case "set":
      return (v) => (v === null ? null : String(setBitmask(labels, v as string)));
    case "binary":
    case "geometry":
      return (v) => (v === null ? null : latin1(v as Uint8Array));
    default:
      // integers and BIT (bigint), DECIMAL/date/time/text/JSON (already canal's text)
      return (v) => (v === null ? null : String(v));
  }
}

/** A column value as it appears in canal's JSON: the quoted text, or `null`. */
export type CanalJsonRenderer = (value: ColumnValue) => string;

/** JSON string literal of text, as JSON.stringify writes it; text with nothing to escape (the usual case) is quoted by hand, which measured faster. */
export function jsonQuote(text: string): string {
  return needsEscape.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * canalRenderer composed with JSON quoting. Texts this module computes from numbers (integers,
 * floats, TIMESTAMP, YEAR, ENUM index, SET mask) never need escaping, so they skip the scan.
 */
export function canalJsonRenderer(column: ColumnInfo, clock: ZoneClock): CanalJsonRenderer {
  const render = canalRenderer(column, clock);
  const quoteOf = (v: ColumnValue) => {
    const text = render(v);
    return text === null ? "null" : jsonQuote(text);
  };
  switch (columnFamily(column)) {
    case "integer":
    case "bit":
      return (v) => (typeof v === "bigint" || typeof v === "number" ? `"${v}"` : quoteOf(v));
    case "float":
    case "double":
      return (v) => (typeof v === "number" ? `"${render(v) as string}"` : quoteOf(v));
    case "timestamp":
    case "enum":
    case "set":
      return (v) => (v === null ? "null" : `"${render(v) as string}"`);
    case "year":
      return (v) => (typeof v === "number" ? `"${render(v) as string}"` : quoteOf(v));
    default:
      return quoteOf;
  }
}

/** Writes a column value as canal's JSON into a message (see canalJsonRenderer). */
export type CanalValueWriter = (w: JsonWriter, value: ColumnValue) => void;

/**
 * canalJsonRenderer written into the message. Integers and the values canal shows as they are
 * (DECIMAL, dates, text, JSON) are written without an intermediate string; the rest (floats,
 * TIMESTAMP, YEAR, ENUM, SET, binary) through their rendered text.
 */
export function canalValueWriter(column: ColumnInfo, clock: ZoneClock): CanalValueWriter {
  const json = canalJsonRenderer(column, clock);
  const rendered: CanalValueWriter = (w, v) => w.text(json(v));
  switch (columnFamily(column)) {
    case "integer":
    case "bit":
      return (w, v) => {
        if (typeof v !== "bigint" && typeof v !== "number") return rendered(w, v);
        w.byte(QUOTE);
        w.integer(v);
        w.byte(QUOTE);
      };
    case "float":
    case "double":
    case "timestamp":
    case "year":
    case "enum":
    case "set":
    case "binary":
    case "geometry":
      return rendered;
    default:
      return (w, v) => (typeof v === "string" ? w.quoted(v) : rendered(w, v));
  }
}

/** Writes a column of a RowText into a message (see canalTextWriter). */
export type CanalTextWriter = (w: JsonWriter, row: RowText, column: number) => void;

const NULL_LITERAL = Buffer.from("null");

/** Per byte: 1 when JSON escapes it (controls, quote, backslash: needsEscape, in UTF-8), 2 when it is not ASCII. */
const BYTE_CLASS = Uint8Array.from({ length: 256 }, (_, b) => (b < 0x20 || b === QUOTE || b === BACKSLASH ? 1 : b >= 0x80 ? 2 : 0));

/** Classes (BYTE_CLASS) of bytes[start, end) or'ed together, one table lookup per byte. */
function byteClasses(bytes: Uint8Array, start: number, end: number): number {
  let classes = 0;
  for (let i = start; i < end; i++) classes |= BYTE_CLASS[bytes[i] as number] as number;
  return classes;
}

/** The last memory looked at as 32-bit words (rows of a chunk share a few blocks). */
let words: { memory: ArrayBufferLike; view: Int32Array<ArrayBufferLike> } = { memory: new ArrayBuffer(0), view: new Int32Array(0) };

function wordsOf(memory: ArrayBufferLike): Int32Array<ArrayBufferLike> {
  if (words.memory !== memory) words = { memory, view: new Int32Array(memory, 0, memory.byteLength >> 2) };
  return words.view;
}

/** Texts shorter than this are classified byte by byte. */
const WORDWISE_FROM = 16;

/**
 * Whether bytes[start, start + size) is plain ASCII that JSON keeps as it is. Four bytes at a
 * time (a third of the byte loop's time on the bench table's 200-byte texts): a word has a byte
 * below 0x20, a quote or a backslash exactly when one of the differences below borrows into a
 * byte's high bit, provided no byte has its high bit set already (checked apart).
 */
function plainAscii(bytes: Buffer, start: number, size: number): boolean {
  const from = bytes.byteOffset + start;
  const firstWord = (from + 3) >> 2;
  const endWord = (from + size) >> 2;
  const edges = byteClasses(bytes, start, (firstWord << 2) - bytes.byteOffset) | byteClasses(bytes, (endWord << 2) - bytes.byteOffset, start + size);
  const view = wordsOf(bytes.buffer);
  let high = 0;
  let escaped = 0;
  for (let w = firstWord; w < endWord; w++) {
    const x = view[w] as number;
    high |= x;
    escaped |= ((x - 0x20202020) | ((x ^ 0x22222222) - 0x01010101) | ((x ^ 0x5c5c5c5c) - 0x01010101)) & ~x;
  }
  return edges === 0 && ((high | escaped) & 0x80808080) === 0;
}

/** Whether bytes[start, start + size) go into a JSON string as they are: nothing to escape, valid UTF-8. */
function plainJsonText(bytes: Buffer, start: number, size: number): boolean {
  if (size >= WORDWISE_FROM && plainAscii(bytes, start, size)) return true;
  const classes = byteClasses(bytes, start, start + size);
  if (classes === 0) return true;
  return classes === 2 && isUtf8(bytes.subarray(start, start + size));
}

/**
 * TIMESTAMP as canal shows it, in the pipeline's zone, from the server's UTC text: copied when
 * the zone is UTC, otherwise its instant read from the text and written as wall-clock digits in
 * the zone (the fraction, exactly fsp digits in both, is copied). The zero timestamp keeps its
 * text; text of another shape is written from its value.
 */
function timestampTextWriter(clock: ZoneClock, quotedSpan: CanalTextWriter, fromValue: CanalTextWriter): CanalTextWriter {
  if (clock.fixedOffset === 0) return quotedSpan;
  return (w, row, c) => {
    const size = row.size(c);
    if (size < 0) return w.raw(NULL_LITERAL);
    const bytes = row.bytes;
    const start = row.start(c);
    const seconds = utcSecondsAt(bytes, start, size);
    if (Number.isNaN(seconds)) return fromValue(w, row, c);
    if (seconds === 0 && fractionMicrosAt(bytes, start, size) === 0) return quotedSpan(w, row, c);
    const local = seconds + clock.offsetAt(seconds);
    if (local < WALL_CLOCK_RANGE.first || local > WALL_CLOCK_RANGE.last) return fromValue(w, row, c);
    w.byte(QUOTE);
    writeWallClock(w, local);
    w.span(bytes, start + 19, size - 19);
    w.byte(QUOTE);
  };
}

/**
 * Writes a column straight from the server's text of its value where canal shows that text
 * quoted: integers, DECIMAL, dates and times, text and JSON (when nothing in it needs
 * escaping); TIMESTAMP from its text too (see timestampTextWriter). Other columns, and text
 * that needs escaping, are written from their value.
 */
export function canalTextWriter(column: ColumnInfo, write: CanalValueWriter, clock: ZoneClock): CanalTextWriter {
  const fromValue: CanalTextWriter = (w, row, c) => write(w, row.value(c));
  const quotedSpan = (checked: boolean): CanalTextWriter => (w, row, c) => {
    const size = row.size(c);
    if (size < 0) return w.raw(NULL_LITERAL);
    const start = row.start(c);
    if (checked && !plainJsonText(row.bytes, start, size)) return fromValue(w, row, c);
    w.byte(QUOTE);
    w.span(row.bytes, start, size);
    w.byte(QUOTE);
  };
  switch (columnFamily(column)) {
    case "integer":
    case "decimal":
    case "date":
    case "datetime":
    case "time":
      return quotedSpan(false);
    case "text":
    case "json":
      return quotedSpan(true);
    case "timestamp":
      return timestampTextWriter(clock, quotedSpan(false), fromValue);
    default:
      return fromValue;
  }
}
