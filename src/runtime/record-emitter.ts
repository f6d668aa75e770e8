// Turns assembled transactions and DDL into Kafka messages (Debezium calls this the record
// emitter): select the table, convert raw binlog rows to canonical images, and hand them to the
// outbox (filter, projection, partition, encoding) under the transaction's checkpoint sequence
// number. What is the stream's own stays here: the table catalog, XA holds, metrics, and one
// tracker registration per transaction.
import type { ColumnValue, DdlChange, EventContext, RowChange, RowImage, RowOperation, TableInfo } from "./change-event.js";
import type { CheckpointTracker } from "./checkpoint/tracker.js";
import type { ObjectRule, Pipeline } from "../generated/plan.js";
import type { Encoder } from "./encode/index.js";
import type { Logger } from "./logger.js";
import { OnlineSchemaChanges, type DdlDisposition } from "./online-schema-change.js";
import type { PipelineMetrics } from "./observe/metrics.js";
import { Outbox, type MessageQueue } from "./outbox.js";
import type { ObjectSelector } from "./select/object-selector.js";
import type { RouteCache } from "./select/table-route.js";
import type { RawRow } from "./source/binlog-events.js";
import { conversionError } from "./source/conversion-error.js";
import { ddlTarget, type TableName } from "./source/ddl-statement.js";
import { statementDialect, type StatementDialect } from "./source/statement-dialect.js";
import type { TableCatalog } from "./source/table-catalog.js";
import type { AssembledUnit, DdlEvent, RowsEvent, XaCompletion } from "./source/transaction-assembler.js";

export type ValueConverter = (value: unknown, column: TableInfo["columns"][number]) => ColumnValue;

export interface EmitterParts {
  pipeline: Pipeline;
  selector: ObjectSelector;
  catalog: TableCatalog;
  routes: RouteCache;
  encoder: Encoder;
  /** The session's batch sender; `dts test` collects the messages instead. */
  sender: MessageQueue;
  tracker: CheckpointTracker;
  convert: ValueConverter;
  partitionCounts: Map<string, number>;
  serverVersion: string;
  /** How the source reads DDL text (versioned comments, name case); by default what serverVersion tells, names as written. */
  dialect?: StatementDialect;
  /** Counts events by table and operation as they are handed to the producer. */
  metrics: PipelineMetrics | null;
  log?: Logger;
}

type Transaction = Extract<AssembledUnit, { type: "transaction" }>;

/** A transaction sent in parts (its rows were spilled to disk): messages so far under one hold. */
export interface TransactionInParts {
  seq: number;
  count: number;
}

/** What a live spec change swaps: which tables, and how their rows are mapped and partitioned. */
export type EmitterMapping = Pick<EmitterParts, "pipeline" | "selector" | "routes" | "partitionCounts">;

export class RecordEmitter {
  #p: EmitterParts;
  #outbox: Outbox;
  /** Prepared XA branches waiting for their XA COMMIT or ROLLBACK, by id: their checkpoint holds. */
  readonly #xaHolds = new Map<string, number>();
  /** Online schema changes in flight, whose cut-over is sent as the ALTER they made. */
  readonly #schemaChanges: OnlineSchemaChanges;
  readonly #dialect: StatementDialect;

  constructor(parts: EmitterParts) {
    this.#p = parts;
    this.#outbox = outboxFor(parts);
    this.#dialect = parts.dialect ?? statementDialect(parts.serverVersion);
    this.#schemaChanges = new OnlineSchemaChanges(this.#dialect);
  }

  /** Applies a changed spec from the next unit on; the table catalog and XA holds carry over. */
  remap(mapping: EmitterMapping): void {
    this.#p = { ...this.#p, ...mapping };
    this.#outbox = outboxFor(this.#p);
  }

  /** Loads the metadata of selected tables a transaction touches and that are not cached yet. */
  async prepare(unit: AssembledUnit): Promise<void> {
    if (unit.type !== "transaction") return;
    for (const rows of unit.rows) {
      if (!this.#p.selector.ruleFor(rows.database, rows.table)) continue;
      if (this.#p.catalog.cached(rows.tableMap) === undefined) await this.#p.catalog.load(rows.tableMap);
    }
  }

  /** Whether `prepare` has work to do (kept synchronous for the common case). */
  needsPreparation(unit: AssembledUnit): boolean {
    if (unit.type !== "transaction") return false;
    for (const rows of unit.rows) {
      if (this.#p.selector.ruleFor(rows.database, rows.table) && this.#p.catalog.cached(rows.tableMap) === undefined) return true;
    }
    return false;
  }

  emit(unit: AssembledUnit): void {
    const tracker = this.#p.tracker;
    if (unit.type === "xa-prepare" || unit.type === "xa-rollback") return this.#emitXaBoundary(unit);
    // An XA COMMIT's messages go under its prepare's hold, so the checkpoint cannot pass the
    // prepare until they are acknowledged.
    const hold = unit.type === "transaction" && unit.xa ? this.#xaHolds.get(unit.xa.id) : undefined;
    const seq = hold ?? tracker.nextSeq;
    let count = 0;
    if (unit.type === "transaction") {
      for (const rows of unit.rows) count += this.#emitRows(rows, unit, seq);
      if (hold === undefined) tracker.register(unit.position, count, unit.timestampSeconds);
      else {
        this.#xaHolds.delete((unit.xa as XaCompletion).id);
        tracker.release(hold, count);
        tracker.register(unit.position, 0, unit.timestampSeconds);
      }
    } else if (unit.type === "ddl") {
      count = this.#emitDdl(unit.event, seq);
      tracker.register(unit.event.position, count, unit.event.timestampSeconds);
    } else {
      tracker.register(unit.position, 0, unit.timestampSeconds);
    }
  }

  /**
   * Starts sending a transaction in parts. Its messages go under a hold at its commit position,
   * so the checkpoint passes it only after the last part and every message are acknowledged.
   */
  beginParts(unit: Transaction): TransactionInParts {
    return { seq: this.#p.tracker.hold(unit.position, unit.timestampSeconds), count: 0 };
  }

  /** Sends rows events of a transaction begun with beginParts (tables already prepared). */
  emitPart(parts: TransactionInParts, unit: Transaction, rows: readonly RowsEvent[]): void {
    for (const event of rows) parts.count += this.#emitRows(event, unit, parts.seq);
  }

  /** Sends the transaction's last rows (`unit.rows`) and releases its hold. */
  finishParts(parts: TransactionInParts, unit: Transaction): void {
    this.emitPart(parts, unit, unit.rows);
    this.#p.tracker.release(parts.seq, parts.count);
  }

  #emitXaBoundary(unit: Extract<AssembledUnit, { type: "xa-prepare" | "xa-rollback" }>): void {
    const tracker = this.#p.tracker;
    if (unit.type === "xa-prepare" && unit.holdsRows) {
      this.#xaHolds.set(unit.xaId, tracker.hold(unit.position, unit.timestampSeconds));
      return;
    }
    const hold = this.#xaHolds.get(unit.xaId);
    this.#xaHolds.delete(unit.xaId);
    if (hold !== undefined) tracker.release(hold, 0);
    tracker.register(unit.position, 0, unit.timestampSeconds);
  }

  #emitRows(event: RowsEvent, tx: Transaction, seq: number): number {
    const rule = this.#p.selector.ruleFor(event.database, event.table);
    if (!rule) return 0;
    const table = this.#p.catalog.cached(event.tableMap);
    // prepare() loads every selected table or throws; reaching here without one is a bug.
    if (!table) throw new Error(`rows of ${event.database}.${event.table} reached the emitter before their table was described`);
    if (table.sequence) return 0;
    const toImage = imageReader(table, this.#p.convert, tx);
    const batch = this.#outbox.rows(this.#outbox.routeFor(table, rule), this.#eventContext(tx, event), seq, { snapshot: false, groupByPartition: false });
    if (event.kind === "update") {
      for (const pair of event.rows as { before: RawRow; after: RawRow }[]) batch.add("update", toImage(pair.before), toImage(pair.after));
    } else {
      const operation: RowOperation = event.kind;
      for (const raw of event.rows as RawRow[]) {
        const image = toImage(raw);
        if (operation === "insert") batch.add(operation, null, image);
        else batch.add(operation, image, null);
      }
    }
    return batch.finish();
  }

  /** What every row of one rows event shares, computed once per event rather than per row. */
  #eventContext(tx: Transaction, event: RowsEvent): EventContext {
    return {
      eventTimeSeconds: event.timestampSeconds,
      // One position object for the event's rows: encoders only read it.
      position: { file: tx.position.file, offset: tx.position.offset, gtid: tx.gtid },
      transactionId: tx.xid || tx.gtid || "",
      serverVersion: this.#p.serverVersion,
    };
  }

  #emitDdl(event: DdlEvent, seq: number): number {
    const target = ddlTarget(event.sql, event.database, this.#dialect);
    const { pipeline, selector, catalog } = this.#p;
    if (target.tables.length === 0) catalog.invalidateDatabase(target.database);
    for (const table of target.tables) catalog.invalidate(table.database, table.table);
    if (pipeline.ddl !== "capture") return this.#ignoredDdl(event, target);
    const disposition = this.#schemaChanges.classify(event.sql, target, event.database);
    if (disposition.kind === "internal") return 0;
    if (disposition.kind === "cut-over") return this.#emitCutOver(event, disposition, seq);
    if (target.tables.length === 0) {
      return selector.selectsDatabase(target.database) ? this.#sendDdl(event, event.sql, { database: target.database, table: "" }, null, seq) : 0;
    }
    // Sent once, for the first selected table it names: a RENAME onto a selected name or a
    // DROP of several tables concerns the pipeline as much as one about the table alone.
    for (const table of target.tables) {
      const rule = selector.ruleFor(table.database, table.table);
      if (rule) return this.#sendDdl(event, event.sql, table, rule, seq);
    }
    return 0;
  }

  /**
   * DDL is not sent (ddl = ignore). A TRUNCATE of a selected table empties it with no row event,
   * so consumers keep every row, and a partition's TRUNCATE, DROP, EXCHANGE or CONVERT moves
   * rows the same way: said in the log, as nothing else will say it.
   */
  #ignoredDdl(event: DdlEvent, target: ReturnType<typeof ddlTarget>): number {
    const moved = target.kind === "truncate-table" ? target.tables : target.movesRows ? target.tables.filter((t) => t.role !== "consumed") : [];
    const what = target.kind === "truncate-table" ? "TRUNCATE emptied this table; with ddl = ignore nothing of it reaches Kafka, so consumers keep its rows" : "a partition's TRUNCATE, DROP, EXCHANGE or CONVERT moved rows in or out of this table; with ddl = ignore nothing of it reaches Kafka, so consumers keep the rows it removed and miss the rows it brought";
    for (const table of moved.filter((t) => this.#p.selector.ruleFor(t.database, t.table) !== null)) {
      this.#p.log?.warn({ table: `${table.database}.${table.table}`, position: event.position }, `${what} (send DDL with ddl = capture, or resync the table)`);
    }
    return 0;
  }

  /** A schema-change tool swapped its altered copy in: the ALTER it made, as of the swap. */
  #emitCutOver(event: DdlEvent, cutOver: Extract<DdlDisposition, { kind: "cut-over" }>, seq: number): number {
    const rule = this.#p.selector.ruleFor(cutOver.table.database, cutOver.table.table);
    if (!rule) return 0;
    if (cutOver.sql === null) {
      this.#p.log?.warn(
        { table: `${cutOver.table.database}.${cutOver.table.table}`, from: cutOver.shadow.table, position: event.position },
        "a table named like an online schema-change tool's copy was renamed to this table, but no ALTER of it was read (it came before the stream's start or its last restart), so the RENAME TABLE is sent as it is",
      );
    }
    return this.#sendDdl(event, cutOver.sql ?? event.sql, cutOver.table, rule, seq);
  }

  #sendDdl(event: DdlEvent, sql: string, target: TableName, rule: ObjectRule | null, seq: number): number {
    const database = (rule ? rule.target.database : this.#p.selector.databaseTarget(target.database)) ?? target.database;
    const table = target.table === "" ? "" : (rule?.target.table ?? target.table);
    const ddl: DdlChange = {
      kind: "ddl",
      database,
      table,
      sql,
      eventTimeSeconds: event.timestampSeconds,
      position: { file: event.position.file, offset: event.position.offset, gtid: event.gtid },
      transactionId: event.gtid ?? "",
      serverVersion: this.#p.serverVersion,
    };
    this.#p.metrics?.recordEvents(table === "" ? database : `${database}.${table}`, "ddl", 1);
    return this.#outbox.ddl(ddl, rule?.partition ?? null, seq);
  }
}

function outboxFor(parts: EmitterParts): Outbox {
  const { pipeline, routes, encoder, sender, partitionCounts, metrics } = parts;
  return new Outbox({ pipeline, routes, encoder, queue: sender, partitionCounts, onRows: metrics ? (rows) => countEvents(metrics, rows) : undefined });
}

/** Rows of one send share a table; a filter may have turned some updates into inserts or deletes. */
function countEvents(metrics: PipelineMetrics, rows: RowChange[]): void {
  const first = rows[0];
  if (!first) return;
  const table = `${first.table.database}.${first.table.table}`;
  let operation = first.operation;
  let count = 0;
  for (const row of rows) {
    if (row.operation !== operation) {
      metrics.recordEvents(table, operation, count);
      operation = row.operation;
      count = 0;
    }
    count++;
  }
  metrics.recordEvents(table, operation, count);
}

/**
 * Converts raw binlog rows of `table` to images. The table's columns are the table map's, in
 * its order, so values are read by position. A value that does not convert stops the pipeline
 * with the column and the transaction named, rather than sending a wrong row.
 */
function imageReader(table: TableInfo, convert: ValueConverter, tx: Transaction): (raw: RawRow) => RowImage {
  const columns = table.columns;
  const width = columns.length;
  return (raw) => {
    const image: RowImage = new Array(width);
    let i = 0;
    try {
      for (; i < width; i++) {
        const value = raw[i];
        // undefined is how zongji reports ENUM index 0 (''); the converter knows it.
        image[i] = value === null ? null : convert(value, columns[i] as TableInfo["columns"][number]);
      }
    } catch (error) {
      throw conversionError(error, table, columns[i] as TableInfo["columns"][number], tx.position);
    }
    return image;
  };
}
