// Reads one table for the initial sync on its own connection, without locks or long
// transactions: chunk after chunk in key order, each a plain SELECT followed by its high
// watermark, handed to the coordinator and held until it was reconciled and sent. The next
// chunk is read while the coordinator handles the last one, so the server's work and ours
// overlap (a reader keeps at most two chunks, of chunk_size rows or fewer when rows are wide:
// chunk-sizer.ts). A table without a usable key is read in one streamed SELECT, in batches of
// the chunk size. A table dropped (or renamed away) during its copy ends it with a warning: what
// was sent stays, the stream carries the DROP, and the other tables go on.
import type { Connection as CallbackConnection } from "mysql2";
import type { Connection } from "mysql2/promise";
import type { Logger } from "../logger.js";
import type { ServerDialect } from "../source/server-dialect.js";
import { keyValueText } from "../encode/message-key.js";
import { RuntimeError } from "../errors.js";
import { tableGone } from "../source/server-errors.js";
import { masterPosition, type BinlogPoint } from "./binlog-position.js";
import { encodeKey, keyId, type Key } from "./chunk-key.js";
import { ImageReader, ImageRows, ownedKey, resultRows, SelectedRows, selectedBytes, type ChunkRows } from "./chunk-rows.js";
import { chunkQuery, fullTableQuery } from "./chunk-query.js";
import { ChunkSizer } from "./chunk-sizer.js";
import type { SnapshotTable } from "./snapshot-tables.js";
import { queryText } from "./text-result.js";
import type { TableReconciler } from "./table-reconciler.js";
import type { ReadWatch } from "./read-watch.js";
import type { Throttle } from "./throttle.js";

/** What a reader hands over: a chunk (keyed table) or a batch of a one-pass read. */
export interface CopiedRows {
  rows: ChunkRows;
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
  /** Told of each SELECT while it waits for its first rows, to say why a copy stands still. */
  watch?: ReadWatch;
}

/** Resolves as `read` does, with the read known to the watch while it runs. */
async function watched<T>(deps: CopierDeps, table: SnapshotTable, read: () => Promise<T>): Promise<T> {
  const thread = deps.connection.threadId;
  deps.watch?.began(thread, table.id);
  try {
    return await read();
  } finally {
    deps.watch?.ended(thread);
  }
}

/** Waits as the throttle asks after `rows`; their size is counted only under a bytes/s limit. */
function payFor(throttle: Throttle, rows: readonly unknown[][]): Promise<void> {
  return throttle.pay(rows.length, throttle.limitsBytes ? selectedBytes(rows) : 0);
}

function query(connection: Connection) {
  return async (sql: string) => (await connection.query(sql))[0] as Record<string, unknown>[];
}

interface ReadChunk {
  rows: ChunkRows;
  /** Bytes of the rows' values, for the bytes/s limit (and, read once, for the next chunk's size). */
  bytes: number;
  /** Hands the rows' memory back, once they were sent (text-result.ts). */
  release: () => void;
  upper: Key | null;
  highWater: BinlogPoint;
}

/** Copies a keyed table in chunks, starting after `after` (null: from the start). */
export async function copyInChunks(table: SnapshotTable, reconciler: TableReconciler, after: Key | null, deps: CopierDeps): Promise<void> {
  const key = table.key;
  if (!key) throw new Error(`table ${table.id} has no chunk key`);
  const connection = deps.connection.promise();
  const escape = (text: string) => deps.connection.escape(text);
  const reader = new ImageReader(table.info, key);
  const sizer = new ChunkSizer(deps.chunkSize, { rows: table.estimatedRows, rowBytes: table.averageRowBytes ?? 0 });
  let chunks = 0;
  const read = async (lower: Key | null): Promise<ReadChunk> => {
    const limit = sizer.next();
    // Before the SELECT is sent, so that every change it may miss lands in the window.
    reconciler.openWindow();
    const result = await watched(deps, table, () => queryText(deps.connection, chunkQuery(table.info, key, lower, limit, escape)));
    const highWater = await masterPosition(query(connection), deps.dialect);
    const rows = resultRows(result, table.info, reader);
    const bytes = result.valueBytes();
    sizer.observe(rows.length, bytes);
    // The next chunk starts after this key, once this chunk's memory may be reused: a copy.
    const upper = rows.length < limit ? null : ownedKey(rows.key(rows.length - 1));
    if (upper !== null && lower !== null && keyId(upper) === keyId(lower)) throw boundStuck(table, upper);
    deps.log.debug({ table: table.id, chunk: ++chunks, after: lower === null ? null : encodeKey(lower), limit, rows: rows.length, highWater }, "snapshot chunk read");
    return { rows, bytes, release: () => result.release(), upper, highWater };
  };
  let next: Promise<ReadChunk | null> | null = startRead(deps, () => read(after));
  while (next) {
    let chunk: ReadChunk | null;
    try {
      chunk = await next;
    } catch (error) {
      if (!tableGone(error)) throw error;
      return endDroppedTable(table, reconciler, deps, chunks);
    }
    if (!chunk || deps.stopped()) return;
    const { rows, upper }: ReadChunk = chunk;
    if (upper !== null) await deps.throttle.pay(rows.length, deps.throttle.limitsBytes ? chunk.bytes : 0);
    next = upper === null ? null : startRead(deps, () => read(upper));
    await deps.deliver({ rows, upper, highWater: chunk.highWater, last: upper === null });
    chunk.release();
  }
}

/**
 * Ends the copy of a table the server no longer has, with an empty last chunk. The reconciler
 * finishes first: the window's changes lie beyond what was copied, and rows made from them would
 * reach Kafka after the DROP; the stream's changes before the DROP now simply go out. The chunk's
 * high watermark, read after the failed SELECT, lies past the DROP, so the table is marked done
 * only once the stream passed it.
 */
async function endDroppedTable(table: SnapshotTable, reconciler: TableReconciler, deps: CopierDeps, chunksCopied: number): Promise<void> {
  warnDropped(table, deps, { chunksCopied });
  reconciler.finish();
  const highWater = await masterPosition(query(deps.connection.promise()), deps.dialect);
  await deps.deliver({ rows: new ImageRows([], []), upper: null, highWater, last: true });
}

/**
 * A chunk ended at the key it started after: the key's text is not the stored value (bytes the
 * column's charset cannot show reach the client as '?'), so paging by it would read the same
 * rows for ever.
 */
function boundStuck(table: SnapshotTable, key: Key): RuntimeError {
  return new RuntimeError("unsupported", `the initial sync of ${table.id} cannot page past key ${JSON.stringify(key.map(keyValueText))}: its key holds bytes that are not valid in the column's character set, which the server sends as '?' (or U+FFFD), so a chunk cannot start after them`, {
    hint: "fix the stored values (UPDATE them to valid text), or change the key column to a binary type or a charset that holds them, or exclude the table from the initial sync",
  });
}

function warnDropped(table: SnapshotTable, deps: CopierDeps, details: Record<string, unknown>): void {
  deps.log.warn(
    { table: table.id, ...details },
    "the table was dropped or renamed while the initial sync copied it: its copy ends here, the rows sent so far stay in Kafka and the stream carries the DROP or RENAME; the other tables go on",
  );
}

/**
 * Starts reading a chunk once the sender has room; resolves to null when the copy stopped
 * meanwhile. A failure is held (not unhandled) until the caller awaits the read.
 */
function startRead<T>(deps: CopierDeps, read: () => Promise<T>): Promise<T | null> {
  const started = (async () => {
    await deps.capacity();
    return deps.stopped() ? null : await read();
  })();
  started.catch(() => undefined);
  return started;
}

/**
 * Copies a table without a usable key in one streamed SELECT; changes during it may duplicate
 * rows, and so does a restart: `sentBefore` rows of an interrupted copy were sent already.
 */
export async function copyInOnePass(table: SnapshotTable, reconciler: TableReconciler, deps: CopierDeps, sentBefore = 0): Promise<void> {
  warnOnePass(table, deps, sentBefore);
  const connection = deps.connection;
  const lowWater = await masterPosition(query(connection.promise()), deps.dialect);
  reconciler.beginKeyless(lowWater);
  const stream = connection.query({ sql: fullTableQuery(table.info), rowsAsArray: true }).stream({ highWaterMark: Math.min(deps.chunkSize, 1000) });
  // mysql2 tells a lost connection to the connection alone: a stream it had paused would wait for ever.
  const lost = (error: Error) => stream.destroy(error);
  connection.once("error", lost);
  const reader = new ImageReader(table.info, null);
  let batch: unknown[][] = [];
  deps.watch?.began(connection.threadId, table.id);
  try {
    for await (const raw of stream as AsyncIterable<unknown[]>) {
      if (deps.stopped()) return;
      if (batch.length === 0) deps.watch?.ended(connection.threadId);
      batch.push(raw);
      if (batch.length >= deps.chunkSize) {
        const rows = batch;
        batch = [];
        await deps.deliver({ rows: new SelectedRows(rows, reader), upper: null, highWater: null, last: false });
        await payFor(deps.throttle, rows);
        await deps.capacity();
      }
    }
  } catch (error) {
    // The SELECT holds the table's metadata lock while it streams, so a DROP waits for it: it
    // fails this way only when the table was gone before it began.
    if (!tableGone(error)) throw error;
    warnDropped(table, deps, {});
  } finally {
    deps.watch?.ended(connection.threadId);
    connection.off("error", lost);
    stream.destroy();
  }
  if (!deps.stopped()) await deps.deliver({ rows: new SelectedRows(batch, reader), upper: null, highWater: null, last: true });
}

function warnOnePass(table: SnapshotTable, deps: CopierDeps, sentBefore: number): void {
  const why = table.info.primaryKey.length > 0 ? "its key cannot be paged through exactly (FLOAT, DOUBLE, ENUM, SET, UUID or INET columns)" : "the table has no primary key and no unique key of NOT NULL columns";
  deps.log.warn({ table: table.id }, `${why}: it is read in one pass, rows changed meanwhile may appear twice in Kafka, and a copy interrupted by a restart starts over`);
  if (sentBefore > 0) {
    deps.log.warn({ table: table.id, rowsSentBefore: sentBefore }, "the interrupted copy of this table starts over (a copy in one pass cannot resume): the rows it sent before are sent again, under exactly-once delivery too");
  }
}
