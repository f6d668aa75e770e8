// The initial sync inside a streaming session (Flink CDC 2 / DBLog style). One binlog reader runs
// from the snapshot's start for the whole snapshot and simply goes on as the stream afterwards.
// Table copiers read chunks in parallel (up to `parallelism` tables); the session's pump calls
// `admit` for each binlog unit and `onIdle` when it waits, and at those points, always inside
// the pump so the checkpoint tracker sees everything in binlog order, this class:
// - filters stream rows of tables being copied through their TableReconciler;
// - finalizes chunks whose high watermark the stream has reached (window applied, rows sent);
// - sends the schema records first and one-pass batches as they come; a change of a table read
//   in one pass waits (the pump with it) until the read ended, so it follows the table's rows.
import mysql from "mysql2";
import type { ConnectionOptions } from "mysql2";
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import type { Logger } from "../logger.js";
import type { ValueConverter } from "../record-emitter.js";
import type { ServerDialect } from "../source/server-dialect.js";
import { bulkCopyStarted } from "../heap-growth.js";
import { SNAPSHOT_ISOLATION_SQL, SNAPSHOT_SESSION_SQL } from "../source/table-schema.js";
import type { AssembledUnit, RowsEvent } from "../source/transaction-assembler.js";
import { comparePoints, onlyHeadersBetween, queryDialect, resumeAt, type BinlogPoint } from "./binlog-position.js";
import { decodeKey, encodeKey } from "./chunk-key.js";
import { KeyOrder } from "./key-order.js";
import type { ProgressReporter } from "./progress-reporter.js";
import type { SnapshotEmitter, StreamPoint } from "./snapshot-emitter.js";
import { ProgressLedger, type ChunkOutcome } from "./progress-ledger.js";
import { totals, type SnapshotProgress, type TableSnapshotProgress } from "./snapshot-progress.js";
import { sendSchemaRecords, tableId, type SnapshotTable } from "./snapshot-tables.js";
import { copyInChunks, copyInOnePass, type CopiedRows } from "./table-copier.js";
import { admitRowsEvent, waitsForOnePassRead } from "./stream-admission.js";
import { snapshotFailure } from "./snapshot-error.js";
import { TableReconciler } from "./table-reconciler.js";
import { ReadWatch } from "./read-watch.js";
import { Throttle } from "./throttle.js";

export interface SnapshotRunOptions {
  connection: ConnectionOptions;
  tables: SnapshotTable[];
  progress: SnapshotProgress;
  emitter: SnapshotEmitter;
  reporter: ProgressReporter;
  log: Logger;
  convert: ValueConverter;
  chunkSize: number;
  parallelism: number;
  throttle: { rowsPerSecond: number | null; bytesPerSecond: number | null };
  /** Where the stream starts (the snapshot's start, or the checkpoint when resuming). */
  start: StreamPoint;
  /** Whether the schema records are part of this sync. */
  schema: boolean;
  /** An earlier run copied some of the tables (PreparedSnapshot.resumed): keyed tables' rule, off under exactly-once; one-pass tables'. */
  resumed: boolean;
  copiedBefore: boolean;
  /** Resolves when the sender's unacknowledged bytes are below the limit. */
  capacity: () => Promise<void>;
  onFailure: (error: unknown) => void;
}

interface Pending extends CopiedRows {
  table: TableRun;
  resolve: () => void;
}

interface TableRun {
  table: SnapshotTable;
  reconciler: TableReconciler;
}

export class SnapshotRun {
  readonly #o: SnapshotRunOptions;
  readonly #runs = new Map<string, TableRun>();
  readonly #ledger: ProgressLedger;
  readonly #pending: Pending[] = [];
  /** Shared by every table copier: the plan's limits hold for the whole source. */
  readonly #throttle: Throttle;
  readonly #connections: mysql.Connection[] = [];
  /** Queries on the connection that compares keys, reads schemas and watches reads. */
  #ask: ((sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>) | null = null;
  #watch: ReadWatch | null = null;
  /** The last position registered with the tracker; snapshot output registers at or after it. */
  #last: StreamPoint;
  /** Position of the unit the pump is about to register (admitted, not yet emitted). */
  #admitted: StreamPoint | null = null;
  #stopped = false;
  #wake: (() => void) | null = null;
  /** Rows were handed over since the pump last flushed. */
  #fresh = false;
  #lastHeaderCheck = 0;

  constructor(options: SnapshotRunOptions) {
    this.#o = options;
    this.#ledger = new ProgressLedger(options.progress);
    this.#last = options.start;
    this.#throttle = new Throttle(options.throttle);
  }

  get complete(): boolean {
    return this.#ledger.progress.complete;
  }

  get totals(): { rowsDone: number; rowsTotal: number } {
    return totals(this.#ledger.progress);
  }

  /** Opens connections and starts the table copiers; the pump must run alongside. */
  async start(): Promise<void> {
    const comparer = (await this.#connect()).promise();
    const ask = (this.#ask = async (sql: string, params: unknown[] = []) => (await comparer.query(sql, params))[0] as Record<string, unknown>[]);
    this.#watch = new ReadWatch(ask, this.#o.log);
    for (const table of this.#o.tables) {
      const entry = this.#ledger.table(table.id);
      if (!entry) continue;
      const order = table.key ? new KeyOrder(table.key, async (sql, params) => (await ask(sql, params))[0] ?? {}) : null;
      const finishedUpTo = entry.finishedUpTo && table.key ? decodeKey(entry.finishedUpTo) : null;
      this.#runs.set(table.id, { table, reconciler: new TableReconciler(order, finishedUpTo, entry.done, order ? this.#o.resumed : this.#o.copiedBefore) });
      this.#o.reporter.addTable(table.id, this.#ledger.progress.estimates[table.id] ?? 0, order || entry.done ? entry.rowsDone : 0, entry.done); // one pass: from 0 again
    }
    void this.#copyTables().catch((error: unknown) => this.#fail(error));
  }

  async #connect(): Promise<mysql.Connection> {
    const connection = mysql.createConnection({ ...this.#o.connection });
    // A connection dropped while idle reports here; unhandled it would end the process.
    connection.on("error", (error) => this.#fail(error));
    this.#connections.push(connection);
    await connection.promise().query(SNAPSHOT_SESSION_SQL);
    await connection.promise().query(SNAPSHOT_ISOLATION_SQL);
    return connection;
  }

  /** Reports the first failure and stops, so that nothing waits for copiers that ended. */
  #fail(error: unknown): void {
    if (this.#stopped) return;
    this.#o.onFailure(snapshotFailure(error));
    this.stop();
  }

  async #copyTables(): Promise<void> {
    const queue = [...this.#runs.values()].filter((run) => run.reconciler.state !== "done");
    // The heap gets more headroom while rows are copied (heap-growth.ts).
    const endBulkCopy = bulkCopyStarted();
    const workers = Array.from({ length: Math.min(this.#o.parallelism, queue.length) }, async () => {
      const connection = await this.#connect();
      const dialect = await queryDialect(async (sql) => (await connection.promise().query(sql))[0] as Record<string, unknown>[]);
      for (let run = queue.shift(); run && !this.#stopped; run = queue.shift()) await this.#copyTable(run, connection, dialect);
    });
    await Promise.all(workers).finally(endBulkCopy);
  }

  async #copyTable(run: TableRun, connection: mysql.Connection, dialect: ServerDialect): Promise<void> {
    const { table, reconciler } = run;
    const entry = this.#ledger.table(table.id);
    const deps = {
      connection, dialect, throttle: this.#throttle, chunkSize: this.#o.chunkSize, log: this.#o.log, capacity: this.#o.capacity,
      stopped: () => this.#stopped, watch: this.#watch ?? undefined,
      deliver: (rows: CopiedRows) =>
        new Promise<void>((resolve) => {
          this.#pending.push({ ...rows, table: run, resolve });
          this.#notify();
        }),
    };
    this.#o.reporter.started(table.id);
    if (table.key) {
      const after = entry?.finishedUpTo ? decodeKey(entry.finishedUpTo) : null;
      this.#o.log.info({ table: table.id, key: table.key.indexName, after: entry?.finishedUpTo ?? null, chunksDone: entry?.chunksDone ?? 0 }, after ? "initial sync of table resumes after the last finished chunk" : "initial sync of table starts");
      reconciler.begin();
      await copyInChunks(table, reconciler, after, deps);
    } else {
      await copyInOnePass(table, reconciler, deps, this.#ledger.restart(table.id));
    }
  }

  /**
   * Resolves when a copier handed over rows since the pump last looked, or after a short while
   * when a chunk still waits for its high watermark (to look for a binlog rotation again).
   */
  whenWork(): Promise<void> {
    if (this.#fresh || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.#pending.length > 0 ? setTimeout(() => this.#notify(), 200) : null;
      this.#wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
  }

  #notify(): void {
    this.#fresh = true;
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /**
   * Called by the pump for each unit before the record emitter sees it: sends what is due
   * before it, then drops the rows the snapshot will cover. Returns the unit to emit.
   */
  async admit(unit: AssembledUnit): Promise<AssembledUnit> {
    if (this.#admitted) this.#last = this.#admitted;
    const position = unit.type === "ddl" ? unit.event.position : unit.position;
    const point = { file: position.file, offset: position.offset };
    await this.#flush((hw) => comparePoints(hw, point) < 0);
    while (!this.#stopped && unit.type === "transaction" && waitsForOnePassRead(unit, point, (e) => this.#runs.get(tableId(e.database, e.table))?.reconciler)) {
      await this.whenWork();
      await this.#flush((hw) => comparePoints(hw, point) < 0);
    }
    this.#admitted = { position, eventTimeSeconds: unit.type === "ddl" ? unit.event.timestampSeconds : unit.timestampSeconds || this.#last.eventTimeSeconds };
    if (unit.type !== "transaction" || this.complete) return unit;
    let changed = false;
    const rows: RowsEvent[] = [];
    for (const event of unit.rows) {
      const run = this.#runs.get(tableId(event.database, event.table));
      if (!run || run.reconciler.state === "done") {
        rows.push(event);
        continue;
      }
      const kept = await admitRowsEvent(event, point, run.table, run.reconciler, this.#o.convert);
      if (kept.length !== 1 || kept[0] !== event) changed = true;
      rows.push(...kept);
    }
    return changed ? { ...unit, rows } : unit;
  }

  /**
   * Called by the pump when the binlog queue is empty: finalizes chunks whose high watermark
   * the reader reached. `reached` is the reader's position after everything it delivered.
   */
  async onIdle(reached: BinlogResumePosition): Promise<void> {
    if (this.#admitted) this.#last = this.#admitted;
    this.#admitted = null;
    const point = { file: reached.file, offset: reached.offset };
    const waiting = this.#pending.find((p) => p.highWater && comparePoints(p.highWater, point) > 0);
    let headersOnly = false;
    if (waiting?.highWater && Date.now() - this.#lastHeaderCheck > 500 && this.#ask) {
      // After a binlog rotation the reader stops at the new file's start: the header events
      // that follow carry no data, so a high watermark past them is reached all the same.
      this.#lastHeaderCheck = Date.now();
      headersOnly = await onlyHeadersBetween(this.#ask, point, waiting.highWater);
    }
    await this.#flush((hw) => comparePoints(hw, point) <= 0 || (headersOnly && comparePoints(hw, (waiting as Pending).highWater as BinlogPoint) <= 0));
  }

  async #flush(reached: (hw: BinlogPoint) => boolean): Promise<void> {
    this.#fresh = false;
    if (this.#o.schema && !this.#ledger.progress.schemaDone) await sendSchemaRecords(this.#ask as (sql: string) => Promise<Record<string, unknown>[]>, [...this.#runs.values()].map((run) => run.table), this.#o.emitter, () => this.#last, this.#ledger);
    for (let i = 0; i < this.#pending.length; ) {
      const pending = this.#pending[i] as Pending;
      if (pending.highWater && !reached(pending.highWater)) {
        i++;
        continue;
      }
      this.#pending.splice(i, 1);
      await this.#finalize(pending);
      pending.resolve();
    }
    const completed = this.#ledger.completeIfDone();
    if (completed) {
      this.#o.emitter.mark(this.#last, completed);
      this.#o.reporter.finish();
      const { rowsDone } = totals(this.#ledger.progress);
      this.#o.log.info({ tables: Object.keys(this.#ledger.progress.tables).length, rows: rowsDone }, "initial sync complete; streaming continues from the binlog");
      this.#closeConnections();
    }
  }

  async #finalize(pending: Pending): Promise<void> {
    const { table, reconciler } = pending.table;
    if (!this.#ledger.table(table.id)) return;
    let rows = pending.rows;
    let outcome: ChunkOutcome;
    if (pending.highWater) {
      const closed = await reconciler.closeWindow(pending.rows, pending.upper);
      rows = closed.rows;
      this.#o.log.debug({ table: table.id, rows: rows.length, windowChanges: closed.applied, highWater: pending.highWater }, "snapshot chunk reconciled");
      // The chunk is as of its high watermark: register there, so a checkpoint holding this
      // chunk never resumes the stream before it.
      if (comparePoints(pending.highWater, this.#last.position) > 0) this.#last = { position: resumeAt(pending.highWater), eventTimeSeconds: this.#last.eventTimeSeconds };
      outcome = { rows: rows.length, done: pending.upper === null, ...(pending.upper === null ? {} : { finishedUpTo: encodeKey(pending.upper) }) };
    } else {
      outcome = { rows: rows.length, done: pending.last };
      if (pending.last) reconciler.finish();
    }
    this.#o.emitter.emitRows(table, rows, this.#last, this.#ledger.chunk(table.id, outcome));
    const entry = this.#ledger.table(table.id) as TableSnapshotProgress;
    this.#o.reporter.advance(table.id, entry.rowsDone, entry.done);
  }

  #closeConnections(): void {
    for (const connection of this.#connections.splice(0)) connection.destroy();
    this.#ask = null;
    this.#watch?.stop();
  }

  stop(): void {
    this.#stopped = true;
    for (const pending of this.#pending.splice(0)) pending.resolve();
    this.#notify();
    this.#closeConnections();
  }
}
