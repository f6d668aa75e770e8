// A chunk's rows as the SELECT returned them, turned into row images only as they are sent. A
// chunk waits for its high watermark between its SELECT and its sending; converted up front, a
// chunk's images (an array and its values per row) lived that long, survived the young
// generation's collections and were copied and promoted by them, which was the largest part of
// the initial sync's garbage collection. Converted on the way out, an image dies young. Most
// chunks are not converted at all: their rows go to the encoders as the server's bytes
// (TextRows, text-result.ts), and only rows that need values are read into images.
import type { ColumnValue, RowImage, RowText, TableInfo } from "../change-event.js";
import type { SnapshotRowSource } from "../outbox.js";
import { selectConverters, selectImageConverters, type RawConverter } from "../source/column-values.js";
import type { ChunkKey, Key } from "./chunk-key.js";
import type { TextResult } from "./text-result.js";
import { readTextValue, textValueReaders, type TextValueReader } from "./text-values.js";
import { valueBytes } from "./throttle.js";

/** Rows of a chunk (or of a one-pass batch), each read as an image when asked for. */
export interface ChunkRows extends SnapshotRowSource {
  readonly length: number;
  /** The chunk key of a row; keyed tables only. */
  key(index: number): Key;
}

/** A SELECT value converted by its column's converter (null and undefined read as null). */
function convertAt(converters: readonly RawConverter[], raw: readonly unknown[], index: number): RowImage[number] {
  const value = raw[index];
  return value === null || value === undefined ? null : (converters[index] as RawConverter)(value);
}

/** Converts a table's SELECT rows; the column converters are looked up once per table. */
export class ImageReader {
  /** Exact forms, for keys (compared with the stream's); images use selectImageConverters'. */
  readonly #keyConverters: readonly RawConverter[];
  readonly #imageConverters: readonly RawConverter[];
  readonly #keyIndexes: readonly number[];

  constructor(table: TableInfo, key: ChunkKey | null) {
    this.#keyConverters = selectConverters(table);
    this.#imageConverters = selectImageConverters(table);
    this.#keyIndexes = key ? key.columns.map((c) => c.index) : [];
  }

  image(raw: readonly unknown[]): RowImage {
    const converters = this.#imageConverters;
    const width = converters.length;
    const image: RowImage = new Array(width);
    for (let i = 0; i < width; i++) image[i] = convertAt(converters, raw, i);
    return image;
  }

  /** The chunk key of a row, converted from its key columns alone. */
  key(raw: readonly unknown[]): Key {
    return this.#keyIndexes.map((index) => convertAt(this.#keyConverters, raw, index));
  }
}

/** SELECT rows, converted on demand. */
export class SelectedRows implements ChunkRows {
  readonly #raw: readonly (readonly unknown[])[];
  readonly #reader: ImageReader;

  constructor(raw: readonly (readonly unknown[])[], reader: ImageReader) {
    this.#raw = raw;
    this.#reader = reader;
  }

  get length(): number {
    return this.#raw.length;
  }

  image(index: number): RowImage {
    return this.#reader.image(this.#raw[index] as unknown[]);
  }

  key(index: number): Key {
    return this.#reader.key(this.#raw[index] as unknown[]);
  }

  text(): null {
    return null;
  }
}

/** A row of a TextResult over some of its columns, in the order given. */
class TextRowView implements RowText {
  readonly bytes: Buffer;
  readonly #result: TextResult;
  readonly #readers: readonly TextValueReader[];
  readonly #row: number;
  readonly #columns: readonly number[];

  constructor(result: TextResult, readers: readonly TextValueReader[], row: number, columns: readonly number[]) {
    this.bytes = result.bytes(row);
    this.#result = result;
    this.#readers = readers;
    this.#row = row;
    this.#columns = columns;
  }

  start(column: number): number {
    return this.#result.start(this.#row, this.#columns[column] as number);
  }

  size(column: number): number {
    return this.#result.size(this.#row, this.#columns[column] as number);
  }

  value(column: number): ColumnValue {
    return readTextValue(this.#result, this.#readers, this.#row, this.#columns[column] as number);
  }
}

/**
 * Rows of a SELECT kept as the server's bytes (text-result.ts): sent as bytes, and read into
 * images by mysql2's own parser when values are needed (row filters, reconciled chunks, keys).
 */
export class TextRows implements ChunkRows {
  readonly #result: TextResult;
  readonly #textReaders: readonly TextValueReader[];
  readonly #reader: ImageReader;

  constructor(result: TextResult, textReaders: readonly TextValueReader[], reader: ImageReader) {
    this.#result = result;
    this.#textReaders = textReaders;
    this.#reader = reader;
  }

  get length(): number {
    return this.#result.length;
  }

  image(index: number): RowImage {
    return this.#reader.image(this.#result.values(index));
  }

  key(index: number): Key {
    return this.#reader.key(this.#result.values(index));
  }

  text(index: number, columns: readonly number[]): RowText {
    return new TextRowView(this.#result, this.#textReaders, index, columns);
  }
}

/** Images already converted (a chunk after its window's changes were applied). */
export class ImageRows implements ChunkRows {
  readonly #images: readonly RowImage[];
  readonly #keys: readonly Key[];

  constructor(images: readonly RowImage[], keys: readonly Key[]) {
    this.#images = images;
    this.#keys = keys;
  }

  get length(): number {
    return this.#images.length;
  }

  image(index: number): RowImage {
    return this.#images[index] as RowImage;
  }

  key(index: number): Key {
    return this.#keys[index] as Key;
  }

  text(): null {
    return null;
  }
}

/** A key whose byte values are copies, so it outlives the memory its chunk was read into. */
export function ownedKey(key: Key): Key {
  return key.some((value) => value instanceof Uint8Array) ? key.map((value) => (value instanceof Uint8Array ? Buffer.from(value) : value)) : key;
}

/**
 * A chunk's SELECT result as rows: kept as bytes when every column has a text reader, else
 * read into values by mysql2 as before.
 */
export function resultRows(result: TextResult, table: TableInfo, reader: ImageReader): ChunkRows {
  const readers = result.length > 0 && !result.parsed ? textValueReaders(table, result.fields) : null;
  if (readers) return new TextRows(result, readers, reader);
  return new SelectedRows(Array.from({ length: result.length }, (_, i) => result.values(i)), reader);
}

/** Bytes of SELECT rows as the server sent them, roughly (for the bytes/s limit). */
export function selectedBytes(raw: readonly (readonly unknown[])[]): number {
  let bytes = 0;
  for (const row of raw) for (const value of row) bytes += valueBytes(value);
  return bytes;
}
