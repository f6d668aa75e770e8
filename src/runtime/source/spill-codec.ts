// The bytes of a spilled transaction's rows (spilled-rows.ts), and the rows back from them.
// node:v8's serializer would do, but every object it writes stays reachable from its native
// half until a full collection: each spilled row was promoted to the old generation (about
// 60 MB/s while a 1M-row transaction was read), which V8 let grow to four times the live heap
// before collecting it. Nothing here outlives the call: the kinds of value zongji produces are
// written directly, and only the rare others (GEOMETRY points, typed arrays other than Buffer,
// rows that are neither arrays nor index-keyed objects) go through v8's serializer one at a time.
import { deserialize, serialize } from "node:v8";
import type { RawRow, RowsKind } from "./binlog-events.js";
import { BinlogTimestamp } from "./row-image-reader.js";
import type { RowsEvent } from "./transaction-assembler.js";

/** A rows event as stored: its table map by index into the spill's own list. */
export type StoredEvent = Omit<RowsEvent, "tableMap"> & { tableMap: number };

const NULL = 0;
const UNDEFINED = 1;
const FALSE = 2;
const TRUE = 3;
const INT32 = 4;
const FLOAT64 = 5;
const UTF8 = 6;
/** Strings with surrogates: UTF-16 keeps a lone one, which UTF-8 would replace. */
const UTF16 = 7;
const BIGINT = 8;
const BUFFER = 9;
const DATE = 10;
const V8 = 11;
/** A BinlogTimestamp (row-image-reader.ts). */
const TIMESTAMP = 12;

const ARRAY_ROW = 0;
const INDEXED_ROW = 1;
const V8_ROW = 2;

const KINDS: readonly RowsKind[] = ["insert", "update", "delete"];
const SURROGATE = /[\uD800-\uDFFF]/;

/** Encodes records into one buffer reused from call to call (a spill writes hundreds). */
export class SpillWriter {
  #buf = Buffer.allocUnsafe(64 * 1024);
  #at = 0;

  /** `events` as one record: a 4-byte length, then the body; valid until the next call. */
  record(events: readonly StoredEvent[]): Buffer {
    this.#at = 4;
    this.#u32(events.length);
    for (const event of events) this.#event(event);
    this.#buf.writeUInt32LE(this.#at - 4, 0);
    return this.#buf.subarray(0, this.#at);
  }

  #event(event: StoredEvent): void {
    this.#room(1);
    this.#buf[this.#at++] = KINDS.indexOf(event.kind);
    this.#string(event.database);
    this.#string(event.table);
    this.#u32(event.tableMap);
    this.#f64(event.timestampSeconds);
    this.#u32(event.rows.length);
    if (event.kind === "update") {
      for (const pair of event.rows as { before: RawRow; after: RawRow }[]) {
        this.#row(pair.before);
        this.#row(pair.after);
      }
    } else {
      for (const row of event.rows as RawRow[]) this.#row(row);
    }
  }

  #row(row: RawRow): void {
    this.#room(1);
    if (Array.isArray(row)) {
      this.#buf[this.#at++] = ARRAY_ROW;
      this.#u32(row.length);
      for (let i = 0; i < row.length; i++) this.#value(row[i]);
      return;
    }
    const keys = Object.getPrototypeOf(row) === Object.prototype ? indexKeys(row) : null;
    if (!keys) {
      this.#buf[this.#at++] = V8_ROW;
      this.#blob(serialize(row));
      return;
    }
    this.#buf[this.#at++] = INDEXED_ROW;
    this.#u32(keys.length);
    for (const key of keys) {
      this.#u32(key);
      this.#value(row[key]);
    }
  }

  #value(value: unknown): void {
    this.#room(1);
    const buf = this.#buf;
    if (value === null) buf[this.#at++] = NULL;
    else if (value === undefined) buf[this.#at++] = UNDEFINED;
    else if (typeof value === "string") this.#string(value);
    else if (typeof value === "number") {
      const small = (value | 0) === value && !Object.is(value, -0);
      buf[this.#at++] = small ? INT32 : FLOAT64;
      if (small) this.#u32(value >>> 0);
      else this.#f64(value);
    } else if (typeof value === "boolean") buf[this.#at++] = value ? TRUE : FALSE;
    else if (typeof value === "bigint") {
      buf[this.#at++] = BIGINT;
      this.#string(value.toString());
    } else if (Buffer.isBuffer(value)) {
      buf[this.#at++] = BUFFER;
      this.#blob(value);
    } else if (value instanceof BinlogTimestamp) {
      buf[this.#at++] = TIMESTAMP;
      this.#f64(value.epochSeconds);
      this.#u32(value.micros);
    } else if (value instanceof Date && Object.getPrototypeOf(value) === Date.prototype) {
      buf[this.#at++] = DATE;
      this.#f64(value.getTime());
    } else {
      buf[this.#at++] = V8;
      this.#blob(serialize(value));
    }
  }

  /** A tag and a length-prefixed string (the tag says which encoding); ASCII is copied directly. */
  #string(text: string): void {
    const length = text.length;
    this.#room(1 + 4 + length * 3);
    const buf = this.#buf;
    const start = this.#at + 5;
    let i = 0;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) break;
      buf[start + i] = code;
    }
    const wide = i < length && SURROGATE.test(text);
    const bytes = i === length ? length : buf.write(text, start, wide ? "utf16le" : "utf8");
    buf[this.#at] = wide ? UTF16 : UTF8;
    buf.writeUInt32LE(bytes, this.#at + 1);
    this.#at = start + bytes;
  }

  #blob(bytes: Uint8Array): void {
    this.#u32(bytes.length);
    this.#room(bytes.length);
    this.#buf.set(bytes, this.#at);
    this.#at += bytes.length;
  }

  #u32(n: number): void {
    this.#room(4);
    this.#at = this.#buf.writeUInt32LE(n, this.#at);
  }

  #f64(n: number): void {
    this.#room(8);
    this.#at = this.#buf.writeDoubleLE(n, this.#at);
  }

  #room(bytes: number): void {
    if (this.#at + bytes <= this.#buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#at + bytes));
    this.#buf.copy(grown, 0, 0, this.#at);
    this.#buf = grown;
  }
}

/** "0", "1", ...: the keys of a row keyed by column position, compared without parsing them. */
const INDEX_TEXT = Array.from({ length: 1024 }, (_, i) => String(i));

/** The keys of a row keyed by column position, or null when any key is not an array index. */
function indexKeys(row: object): number[] | null {
  const keys = Object.keys(row);
  const indexes: number[] = new Array(keys.length);
  for (let j = 0; j < keys.length; j++) {
    const key = keys[j] as string;
    if (key === INDEX_TEXT[j]) {
      indexes[j] = j;
      continue;
    }
    const index = Number(key);
    if (!(index >= 0 && index < 2 ** 32 - 1 && String(index) === key)) return null;
    indexes[j] = index;
  }
  return indexes;
}

/** Reads one record's body back. Values never share memory with `body`, so it may be reused. */
export function readRecord(body: Buffer): StoredEvent[] {
  const reader = new RecordReader(body);
  const events: StoredEvent[] = new Array(reader.u32());
  for (let i = 0; i < events.length; i++) events[i] = reader.event();
  return events;
}

class RecordReader {
  readonly #buf: Buffer;
  #at = 0;

  constructor(buf: Buffer) {
    this.#buf = buf;
  }

  event(): StoredEvent {
    const kind = KINDS[this.#buf[this.#at++] as number] as RowsKind;
    const database = this.#string();
    const table = this.#string();
    const tableMap = this.u32();
    const timestampSeconds = this.#f64();
    const count = this.u32();
    if (kind === "update") {
      const pairs: { before: RawRow; after: RawRow }[] = new Array(count);
      for (let i = 0; i < count; i++) pairs[i] = { before: this.#row(), after: this.#row() };
      return { type: "rows", kind, database, table, tableMap, rows: pairs, timestampSeconds };
    }
    const rows: RawRow[] = new Array(count);
    for (let i = 0; i < count; i++) rows[i] = this.#row();
    return { type: "rows", kind, database, table, tableMap, rows, timestampSeconds };
  }

  #row(): RawRow {
    const shape = this.#buf[this.#at++];
    if (shape === V8_ROW) return deserialize(this.#blob()) as RawRow;
    const count = this.u32();
    if (shape === ARRAY_ROW) {
      const row: unknown[] = new Array(count);
      for (let i = 0; i < count; i++) row[i] = this.#value();
      return row;
    }
    const row: Record<number, unknown> = {};
    for (let i = 0; i < count; i++) {
      const key = this.u32();
      row[key] = this.#value();
    }
    return row;
  }

  #value(): unknown {
    const tag = this.#buf[this.#at++];
    switch (tag) {
      case NULL: return null;
      case UNDEFINED: return undefined;
      case FALSE: return false;
      case TRUE: return true;
      case INT32: return this.u32() | 0;
      case FLOAT64: return this.#f64();
      case BIGINT: return BigInt(this.#string());
      case BUFFER: return this.#blob();
      case DATE: return new Date(this.#f64());
      case TIMESTAMP: return new BinlogTimestamp(this.#f64(), this.u32());
      case V8: return deserialize(this.#blob());
      case UTF8:
      case UTF16:
        this.#at--;
        return this.#string();
      default:
        throw new Error(`a spilled transaction's file holds an unknown value tag ${tag}`);
    }
  }

  #string(): string {
    const wide = this.#buf[this.#at++] === UTF16;
    const length = this.u32();
    const text = this.#buf.toString(wide ? "utf16le" : "utf8", this.#at, this.#at + length);
    this.#at += length;
    return text;
  }

  /** A copy: what is read must not change when the record's buffer is reused. */
  #blob(): Buffer {
    const length = this.u32();
    const bytes = Buffer.from(this.#buf.subarray(this.#at, this.#at + length));
    this.#at += length;
    return bytes;
  }

  u32(): number {
    const n = this.#buf.readUInt32LE(this.#at);
    this.#at += 4;
    return n;
  }

  #f64(): number {
    const n = this.#buf.readDoubleLE(this.#at);
    this.#at += 8;
    return n;
  }
}
