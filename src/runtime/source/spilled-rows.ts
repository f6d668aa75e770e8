// Rows of a transaction too large to hold in memory, kept in a temporary file until its COMMIT
// and read back in the order they were written. The file is unlinked as soon as it is open, so
// a crash leaves nothing behind (the transaction is read from the binlog again anyway). Values
// are encoded by spill-codec.ts, which keeps every kind a binlog row holds (Buffer, bigint,
// Date, -0, undefined for ENUM index 0) and, unlike node:v8's serializer, keeps no written row
// alive; table maps stay in memory so their identity (the table catalog's cache key) is kept.
// One buffer for writing and one for reading serve the whole transaction.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readRecord, SpillWriter, type StoredEvent } from "./spill-codec.js";
import type { BinlogTableMap } from "./table-map.js";
import type { RowsEvent } from "./transaction-assembler.js";

/** Where the file ended once: rows appended after it can be cut off again (a savepoint). */
export interface SpillMark {
  size: number;
  rowCount: number;
}

export const EMPTY_SPILL: SpillMark = { size: 0, rowCount: 0 };

export class SpilledRows {
  readonly #fd: number;
  readonly #tableMaps: BinlogTableMap[] = [];
  readonly #tableMapIndex = new Map<BinlogTableMap, number>();
  readonly #writer = new SpillWriter();
  #size = 0;
  #closed = false;
  /** Rows written so far (an update's before and after count as one). */
  rowCount = 0;

  constructor(directory = tmpdir()) {
    const folder = mkdtempSync(join(directory, "dts-transaction-"));
    const path = join(folder, "rows");
    this.#fd = openSync(path, "w+", 0o600);
    rmSync(folder, { recursive: true, force: true });
  }

  /** Appends rows events (one record: they come back together). */
  append(events: RowsEvent[]): void {
    const stored: StoredEvent[] = events.map((event) => ({ ...event, tableMap: this.#indexOf(event.tableMap) }));
    this.#write(this.#writer.record(stored));
    for (const event of events) this.rowCount += event.rows.length;
  }

  mark(): SpillMark {
    return { size: this.#size, rowCount: this.rowCount };
  }

  /** Forgets what was appended after `mark`; later appends write over it. */
  truncate(mark: SpillMark): void {
    this.#size = mark.size;
    this.rowCount = mark.rowCount;
  }

  /** The records in the order they were appended. */
  *batches(): Generator<RowsEvent[]> {
    const header = Buffer.alloc(4);
    let scratch = Buffer.allocUnsafe(0);
    for (let at = 0; at < this.#size; ) {
      this.#read(header, at);
      const length = header.readUInt32LE(0);
      if (scratch.length < length) scratch = Buffer.allocUnsafe(Math.max(length, scratch.length * 2));
      const body = scratch.subarray(0, length);
      this.#read(body, at + 4);
      at += 4 + length;
      const stored = readRecord(body);
      yield stored.map((event) => ({ ...event, tableMap: this.#tableMaps[event.tableMap] as BinlogTableMap }));
    }
  }

  /** Closes (and so removes) the file; idempotent. */
  discard(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }

  #indexOf(tableMap: BinlogTableMap): number {
    let index = this.#tableMapIndex.get(tableMap);
    if (index === undefined) {
      index = this.#tableMaps.push(tableMap) - 1;
      this.#tableMapIndex.set(tableMap, index);
    }
    return index;
  }

  #write(buffer: Buffer): void {
    for (let done = 0; done < buffer.length; ) done += writeSync(this.#fd, buffer, done, buffer.length - done, this.#size + done);
    this.#size += buffer.length;
  }

  #read(buffer: Buffer, position: number): void {
    for (let done = 0; done < buffer.length; ) {
      const n = readSync(this.#fd, buffer, done, buffer.length - done, position + done);
      if (n === 0) throw new Error("a spilled transaction's file ended early");
      done += n;
    }
  }
}
