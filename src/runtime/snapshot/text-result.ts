// A SELECT's rows kept as the bytes the server sent (MySQL's text protocol), not parsed into
// JavaScript values. mysql2 turns every value of every row into a string or number, and the
// initial sync turned most of them straight back into the same bytes in a message; kept as
// bytes, a row costs a scan for where its values lie. mysql2's own parser still reads a row
// into values when one is asked for (row filters, reconciled chunks, chunk keys), so values
// are exactly what they were.
//
// The hook is mysql2's row parser: a Query asks `this._rowParser.next(packet, …)` for each
// row packet, and the recorder stands in for the parser mysql2 compiles for the result.
//
// Each row is copied out of the socket's buffer into blocks reused from chunk to chunk, and its
// value positions into reused arrays, which the copier hands back (release) once the chunk was
// delivered. Array buffers kept per chunk instead (the socket's, or a new positions array)
// outlived a young-generation collection, and promoted array buffers count toward the next full
// collection: the copy ran 21-34 of them per 1M rows instead of 1-7 (docs/benchmarks.md).
import type { Connection as CallbackConnection } from "mysql2";
import { selectedBytes } from "./chunk-rows.js";

/** What a result column's definition tells (mysql2's ColumnDefinition, the fields read here). */
export interface ResultField {
  name: string;
  /** Protocol type code (MYSQL_TYPE_*). */
  columnType: number;
  /** Collation id; 63 is binary. */
  characterSet: number;
  /** mysql2's name for the collation's encoding: `utf8`, `binary`, `latin1`, … */
  encoding: string;
  flags: number;
}

/** A row packet as mysql2 hands it over: the payload is buffer[offset, end). */
interface RowPacket {
  buffer: Buffer;
  start: number;
  offset: number;
  end: number;
}

type PacketClass = new (id: number, buffer: Buffer, start: number, end: number) => RowPacket;

interface RowParser {
  next(packet: RowPacket, fields: unknown, options: unknown): unknown;
}

/** Standard sizes of the reused memory: row bytes, and value positions (Int32 entries). */
const ARENA_BYTES = 256 * 1024;
const OFFSET_ENTRIES = 32 * 1024;
/** Memory kept for reuse; more is left to the garbage collector. */
const MAX_SPARE = 16;
const spareArenas: Buffer[] = [];
const spareOffsets: Int32Array[] = [];

function takeArena(bytes: number): Buffer {
  if (bytes <= ARENA_BYTES) return spareArenas.pop() ?? Buffer.allocUnsafeSlow(ARENA_BYTES);
  return Buffer.allocUnsafeSlow(bytes);
}

function takeOffsets(entries: number): Int32Array {
  if (entries <= OFFSET_ENTRIES) return spareOffsets.pop() ?? new Int32Array(OFFSET_ENTRIES);
  return new Int32Array(entries);
}

/** Length-coded length prefixes (MySQL protocol, "length-encoded integer"). */
const NULL_VALUE = 0xfb;
const TWO_BYTES = 0xfc;
const THREE_BYTES = 0xfd;
const EIGHT_BYTES = 0xfe;

export class TextResult {
  /** Rows mysql2 parsed itself (see queryText); then the result has no bytes. */
  parsed: unknown[][] | null = null;
  /** The result's columns, in SELECT order. */
  fields: readonly ResultField[] = [];
  length = 0;
  /** Each row's block (rows in the same block share it). */
  #buffers: Buffer[] = [];
  /** Blocks this result copied rows into, in order; the last one is being filled. */
  #arenas: Buffer[] = [];
  #arenaUsed = 0;
  /** Per row: packet start and end, then each field's start and length (-1 for NULL). */
  #offsets: Int32Array = new Int32Array(0);
  #released = false;
  #stride = 0;
  #parser: RowParser | null = null;
  #packetClass: PacketClass | null = null;
  #parserOptions: unknown = null;

  /** A result of rows mysql2 parsed into values itself. */
  static parsedByMysql2(rows: unknown[][]): TextResult {
    const result = new TextResult();
    result.parsed = rows;
    result.length = rows.length;
    return result;
  }

  /** Takes one row packet; called by mysql2 in place of its row parser. */
  record(packet: RowPacket, parser: RowParser | null, fields: readonly ResultField[], options: unknown): void {
    if (this.length === 0) {
      this.fields = fields;
      this.#stride = 2 + 2 * fields.length;
      this.#parser = parser;
      this.#parserOptions = options;
      this.#packetClass = packet.constructor as PacketClass;
    }
    const stride = this.#stride;
    if ((this.length + 1) * stride > this.#offsets.length) this.#growOffsets((this.length + 1) * stride);
    const offsets = this.#offsets;
    const base = this.length * stride;
    const buf = this.#copyRow(packet);
    const end = this.#arenaUsed;
    let at = end - (packet.end - packet.offset);
    offsets[base] = at - 4;
    offsets[base + 1] = end;
    for (let i = base + 2; i < base + stride; i += 2) {
      const lead = buf[at] as number;
      let size: number;
      if (lead < NULL_VALUE) {
        size = lead;
        at += 1;
      } else if (lead === NULL_VALUE) {
        offsets[i] = at + 1;
        offsets[i + 1] = -1;
        at += 1;
        continue;
      } else if (lead === TWO_BYTES) {
        size = buf.readUInt16LE(at + 1);
        at += 3;
      } else if (lead === THREE_BYTES) {
        size = buf.readUIntLE(at + 1, 3);
        at += 4;
      } else if (lead === EIGHT_BYTES && buf.readUInt32LE(at + 5) === 0) {
        size = buf.readUInt32LE(at + 1);
        at += 9;
      } else {
        throw new Error(`a row of the SELECT result has an unreadable value length (byte 0x${lead.toString(16)})`);
      }
      offsets[i] = at;
      offsets[i + 1] = size;
      at += size;
    }
    if (at !== end) throw new Error(`a row of the SELECT result has ${end - at} bytes past its ${this.fields.length} values`);
    this.#buffers.push(buf);
    this.length++;
  }

  /** Copies a row packet (header and payload) into the arena; returns the arena. */
  #copyRow(packet: RowPacket): Buffer {
    const bytes = packet.end - packet.start;
    let arena = this.#arenas[this.#arenas.length - 1];
    if (!arena || this.#arenaUsed + bytes > arena.length) {
      arena = takeArena(bytes);
      this.#arenas.push(arena);
      this.#arenaUsed = 0;
    }
    packet.buffer.copy(arena, this.#arenaUsed, packet.start, packet.end);
    this.#arenaUsed += bytes;
    return arena;
  }

  #growOffsets(entries: number): void {
    const grown = takeOffsets(Math.max(entries, 2 * this.#offsets.length));
    grown.set(this.#offsets);
    this.#giveBackOffsets();
    this.#offsets = grown;
  }

  #giveBackOffsets(): void {
    if (this.#offsets.length === OFFSET_ENTRIES && spareOffsets.length < MAX_SPARE) spareOffsets.push(this.#offsets);
  }

  /**
   * Hands the result's memory back for the next chunks. Call once nothing reads the rows any
   * more, nor a value mysql2 read from them (its bytes are views of this memory).
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    for (const arena of this.#arenas) if (arena.length === ARENA_BYTES && spareArenas.length < MAX_SPARE) spareArenas.push(arena);
    this.#giveBackOffsets();
    this.#arenas = [];
    this.#buffers = [];
    this.#offsets = new Int32Array(0);
  }

  /** The buffer holding row `row`'s values. */
  bytes(row: number): Buffer {
    if (this.#released) throw new Error("TextResult: rows read after their memory was released");
    return this.#buffers[row] as Buffer;
  }

  /** Where value `field` of row `row` starts in bytes(row). */
  start(row: number, field: number): number {
    return this.#offsets[row * this.#stride + 2 + 2 * field] as number;
  }

  /** The byte length of value `field` of row `row`; -1 for NULL. */
  size(row: number, field: number): number {
    return this.#offsets[row * this.#stride + 3 + 2 * field] as number;
  }

  /** Bytes of the rows' values (NULL counted as one), for the bytes/s limit. */
  valueBytes(): number {
    if (this.parsed) return selectedBytes(this.parsed);
    let bytes = 0;
    const offsets = this.#offsets;
    for (let row = 0; row < this.length; row++) {
      const base = row * this.#stride;
      for (let i = base + 3; i < base + this.#stride; i += 2) bytes += Math.max(1, offsets[i] as number);
    }
    return bytes;
  }

  /** Row `row` as mysql2 reads it (rowsAsArray, the connection's type options). */
  values(row: number): unknown[] {
    if (this.parsed) return this.parsed[row] as unknown[];
    const parser = this.#parser;
    const Packet = this.#packetClass;
    if (!parser || !Packet) throw new Error("TextResult.values: the result has no rows");
    if (this.#released) throw new Error("TextResult: rows read after their memory was released");
    const base = row * this.#stride;
    const packet = new Packet(0, this.#buffers[row] as Buffer, this.#offsets[base] as number, this.#offsets[base + 1] as number);
    return parser.next(packet, this.fields, this.#parserOptions) as unknown[];
  }
}

/** A query whose row parser can be stood in for (mysql2's Query, as far as the hook needs). */
interface HookableQuery {
  _rowParser?: RowParser;
}

/**
 * Runs a SELECT and keeps its rows as bytes. When mysql2 parsed the rows itself (a mysql2 whose
 * Query no longer asks `_rowParser`), the result holds its values instead; a result split
 * between the two fails rather than returning short.
 */
export function queryText(connection: CallbackConnection, sql: string): Promise<TextResult> {
  return new Promise((resolve, reject) => {
    const result = new TextResult();
    let parser: RowParser | null = null;
    const recorder: RowParser = {
      next(packet, fields, options) {
        result.record(packet, parser, fields as ResultField[], options);
        return null;
      },
    };
    const query = connection.query({ sql, rowsAsArray: true }, (error, rows) => {
      if (error) return reject(error);
      const count = Array.isArray(rows) ? rows.length : 0;
      if (count === result.length) return resolve(result);
      if (result.length === 0) return resolve(TextResult.parsedByMysql2(rows as unknown[][]));
      reject(new Error(`mysql2 handed ${count - result.length} of ${count} rows past the byte reader; the installed mysql2 reads rows differently than this version expects`));
    }) as unknown as HookableQuery;
    Object.defineProperty(query, "_rowParser", {
      configurable: true,
      get: () => recorder,
      set: (compiled: RowParser) => {
        parser = compiled;
      },
    });
  });
}
