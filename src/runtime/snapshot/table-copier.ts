// Reads one table for the initial sync on its own connection, without locks or long
// transactions: chunk after chunk in key order, each a plain SELECT between a low and a high
// watermark, handed to the coordinator and held until it was reconciled and sent (so a reader
// never keeps more than one chunk). A table without a usable key is read in one streamed
// SELECT, in batches of the chunk size.
import type { Connection as CallbackConnection } from "mysql2";
import type { Connection } from "mysql2/promise";
import type { RowImage, TableInfo } from "../change-event.js";
import type { Logger } from "../logger.js";
import { selectConverters, type RawConverter } from "../source/column-values.js";
import type { ServerDialect } from "../source/server-dialect.js";
import { masterPosition, type BinlogPoint } from "./binlog-position.js";
import { encodeKey, type ChunkKey, type Key } from "./chunk-key.js";
import { chunkQuery, fullTableQuery } from "./chunk-query.js";
import type { SnapshotTable } from "./snapshot-tables.js";
import type { TableReconciler } from "./table-reconciler.js";
import { valueBytes, type Throttle } from "./throttle.js";

/** What a reader hands over: a chunk (keyed table) or a batch of a one-pass read. */
export interface CopiedRows {
  images: RowImage[];
  keys: Key[];
  /** Key of the chunk's last row; null when the chunk reaches the end of the table. */
  upper: Key | null;
  /** Keyed chunks: the binlog position after the SELECT. Null for one-pass batches. */
  highWater: BinlogPoint | null;
  /** One-pass batches: whether this is the last one. */
  last: boolean;
}

export interface CopierDeps {
  connection: CallbackConnection;
  /** The server's dialect, asked once per connection: watermarks are read twice per chunk. */
  dialect: ServerDialect;
  throttle: Throttle;
  chunkSize: number;
  log: Logger;
  /** Resolves once the rows were reconciled and handed to the sender. */
  deliver: (rows: CopiedRows) => Promise<void>;
  /** Resolves when the sender has room again (backpressure). */
  capacity: () => Promise<void>;
  stopped: () => boolean;
}

/**
 * Converts a table's SELECT rows into images, adding up their size on the way (valueBytes): the
 * column converters are looked up once per table, not once per value.
 */
class ImageReader {
  readonly #converters: readonly RawConverter[];
  /** Bytes of every image read since the last reset. */
  bytes = 0;

  constructor(table: TableInfo) {
    this.#converters = selectConverters(table);
  }

  read(raw: readonly unknown[]): RowImage {
    const converters = this.#converters;
    const width = converters.length;
    const image: RowImage = new Array(width);
    let bytes = 0;
    for (let i = 0; i < width; i++) {
      const value = raw[i];
      const converted = value === null || value === undefined ? null : (converters[i] as RawConverter)(value);
      image[i] = converted;
      bytes += valueBytes(converted);
    }
    this.bytes += bytes;
    return image;
  }
}

/** A chunk's SELECT rows as images, their chunk keys and their size for the bytes/s limit. */
export function convertRows(rows: readonly unknown[][], table: TableInfo, key: ChunkKey): { images: RowImage[]; keys: Key[]; bytes: number } {
  const reader = new ImageReader(table);
  const indexes = key.columns.map((c) => c.index);
  const images: RowImage[] = [];
  const keys: Key[] = [];
  for (const raw of rows) {
    const image = reader.read(raw);
    const rowKey: Key = [];
    for (const index of indexes) rowKey.push(image[index] ?? null);
    images.push(image);
    keys.push(rowKey);
  }
  return { images, keys, bytes: reader.bytes };
}

function query(connection: Connection) {
  return async (sql: string) => (await connection.query(sql))[0] as Record<string, unknown>[];
}

/** Copies a keyed table in chunks, starting after `after` (null: from the start). */
export async function copyInChunks(table: SnapshotTable, reconciler: TableReconciler, after: Key | null, deps: CopierDeps): Promise<void> {
  const key = table.key;
  if (!key) throw new Error(`table ${table.id} has no chunk key`);
  const connection = deps.connection.promise();
  const escape = (text: string) => deps.connection.escape(text);
  let lower = after;
  let chunk = 0;
  const { dialect } = deps;
  while (!deps.stopped()) {
    await deps.capacity();
    if (deps.stopped()) return;
    const limit = deps.chunkSize;
    const lowWater = await masterPosition(query(connection), dialect);
    reconciler.openWindow();
    const sql = chunkQuery(table.info, key, lower, limit, escape);
    const [raw] = await connection.query({ sql, rowsAsArray: true });
    const highWater = await masterPosition(query(connection), dialect);
    const rows = raw as unknown[][];
    const { images, keys, bytes } = convertRows(rows, table.info, key);
    const upper = rows.length < limit ? null : (keys[keys.length - 1] as Key);
    deps.log.debug({ table: table.id, chunk: ++chunk, after: lower === null ? null : encodeKey(lower), rows: rows.length, lowWater, highWater }, "snapshot chunk read");
    await deps.deliver({ images, keys, upper, highWater, last: upper === null });
    if (upper === null) return;
    lower = upper;
    await deps.throttle.pay(rows.length, bytes);
  }
}

/** Copies a table without a usable key in one streamed SELECT; changes during it may duplicate rows. */
export async function copyInOnePass(table: SnapshotTable, reconciler: TableReconciler, deps: CopierDeps): Promise<void> {
  const connection = deps.connection;
  const lowWater = await masterPosition(query(connection.promise()), deps.dialect);
  reconciler.beginKeyless(lowWater);
  const stream = connection.query({ sql: fullTableQuery(table.info), rowsAsArray: true }).stream({ highWaterMark: Math.min(deps.chunkSize, 1000) });
  const reader = new ImageReader(table.info);
  let batch: RowImage[] = [];
  try {
    for await (const raw of stream as AsyncIterable<unknown[]>) {
      if (deps.stopped()) return;
      batch.push(reader.read(raw));
      if (batch.length >= deps.chunkSize) {
        const rows = batch;
        batch = [];
        await deps.deliver({ images: rows, keys: [], upper: null, highWater: null, last: false });
        await deps.throttle.pay(rows.length, reader.bytes);
        reader.bytes = 0;
        await deps.capacity();
      }
    }
  } finally {
    stream.destroy();
  }
  if (!deps.stopped()) await deps.deliver({ images: batch, keys: [], upper: null, highWater: null, last: true });
}
