// Turns assembled transactions and DDL into Kafka messages (Debezium calls this the record
// emitter): select the table, convert raw binlog rows to canonical images, apply the row filter
// with DTS's update semantics, project and rename, encode, place on a partition, and hand the
// messages to the sender under the transaction's checkpoint sequence number.
import type { ColumnValue, DdlChange, EventContext, RowChange, RowImage, RowOperation, TableInfo } from "./change-event.js";
import type { CheckpointTracker } from "./checkpoint/tracker.js";
import type { Pipeline } from "../generated/plan.js";
import type { Encoder } from "./encode/index.js";
import type { PipelineMetrics } from "./observe/metrics.js";
import type { BatchSender, OutgoingMessage } from "./sink/batch-sender.js";
import { ddlPartition } from "./sink/partitioner.js";
import type { ObjectSelector } from "./select/object-selector.js";
import { applyFilter, type RouteCache, type TableRoute } from "./select/table-route.js";
import type { RawRow } from "./source/binlog-events.js";
import { conversionError } from "./source/conversion-error.js";
import { ddlTarget } from "./source/ddl-statement.js";
import type { TableCatalog } from "./source/table-catalog.js";
import type { AssembledUnit, DdlEvent, RowsEvent, XaCompletion } from "./source/transaction-assembler.js";

export type ValueConverter = (value: unknown, column: TableInfo["columns"][number]) => ColumnValue;

export interface EmitterParts {
  pipeline: Pipeline;
  selector: ObjectSelector;
  catalog: TableCatalog;
  routes: RouteCache;
  encoder: Encoder;
  sender: BatchSender;
  tracker: CheckpointTracker;
  convert: ValueConverter;
  partitionCounts: Map<string, number>;
  serverVersion: string;
  /** Counts events by table and operation as they are handed to the producer. */
  metrics: PipelineMetrics | null;
}

type Transaction = Extract<AssembledUnit, { type: "transaction" }>;

type RowContext = EventContext & { partitionCount: number };

export class RecordEmitter {
  readonly #p: EmitterParts;
  /** Messages handed to the sender by this emitter (rows and DDL). */
  messages = 0;
  /** Prepared XA branches waiting for their XA COMMIT or ROLLBACK, by id: their checkpoint holds. */
  readonly #xaHolds = new Map<string, number>();

  constructor(parts: EmitterParts) {
    this.#p = parts;
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
    this.messages += count;
  }

  #emitXaBoundary(unit: Extract<AssembledUnit, { type: "xa-prepare" | "xa-rollback" }>): void {
    const tracker = this.#p.tracker;
    if (unit.type === "xa-prepare") {
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
    const route = this.#p.routes.routeFor(table, rule);
    const toImage = imageReader(table, this.#p.convert, tx);
    const context = this.#rowContext(route, tx, event);
    const out = new PartitionRun(this, route.mapping.topic, seq);
    if (event.kind === "update") {
      for (const pair of event.rows as { before: RawRow; after: RawRow }[]) this.#emitRow(route, "update", toImage(pair.before), toImage(pair.after), context, out);
    } else {
      const operation: RowOperation = event.kind;
      for (const raw of event.rows as RawRow[]) {
        const image = toImage(raw);
        if (operation === "insert") this.#emitRow(route, operation, null, image, context, out);
        else this.#emitRow(route, operation, image, null, context, out);
      }
    }
    return out.finish();
  }

  /** What every row of one rows event shares, computed once per event rather than per row. */
  #rowContext(route: TableRoute, tx: Transaction, event: RowsEvent): RowContext {
    return {
      eventTimeSeconds: event.timestampSeconds,
      // One position object for the event's rows: encoders only read it.
      position: { file: tx.position.file, offset: tx.position.offset, gtid: tx.gtid },
      transactionId: tx.xid || tx.gtid || "",
      serverVersion: this.#p.serverVersion,
      partitionCount: this.#p.partitionCounts.get(route.mapping.topic) ?? 1,
    };
  }

  #emitRow(route: TableRoute, operation: RowOperation, before: RowImage | null, after: RowImage | null, context: RowContext, out: PartitionRun): void {
    const filtered = applyFilter(route.filter, operation, before, after);
    if (!filtered) return;
    const { mapping } = route;
    const projectedBefore = filtered.before && mapping.project(filtered.before);
    const projectedAfter = filtered.after && mapping.project(filtered.after);
    const change: RowChange = {
      kind: "row",
      operation: filtered.operation,
      snapshot: false,
      table: mapping.target,
      before: projectedBefore,
      after: projectedAfter,
      eventTimeSeconds: context.eventTimeSeconds,
      position: context.position,
      transactionId: context.transactionId,
      serverVersion: context.serverVersion,
    };
    out.add(change, route.partitioner((projectedAfter ?? projectedBefore) as RowImage, context.partitionCount));
  }

  /** Encodes rows bound for one partition and hands the messages to the sender. */
  sendRows(topic: string, partition: number, rows: RowChange[], seq: number): number {
    if (this.#p.metrics) countEvents(this.#p.metrics, rows);
    return this.#send(topic, partition, this.#p.encoder.encodeRows(rows), seq);
  }

  #emitDdl(event: DdlEvent, seq: number): number {
    const target = ddlTarget(event.sql, event.database);
    if (target.table === "") this.#p.catalog.invalidateDatabase(target.database);
    else this.#p.catalog.invalidate(target.database, target.table);
    for (const other of target.others) this.#p.catalog.invalidate(other.database, other.table);
    const { pipeline, selector } = this.#p;
    if (pipeline.ddl !== "capture") return 0;
    const rule = target.table === "" ? null : selector.ruleFor(target.database, target.table);
    if (target.table === "" ? !selector.selectsDatabase(target.database) : !rule) return 0;
    const database = rule?.target.database ?? target.database;
    const table = target.table === "" ? "" : (rule?.target.table ?? target.table);
    const ddl: DdlChange = {
      kind: "ddl",
      database,
      table,
      sql: event.sql,
      eventTimeSeconds: event.timestampSeconds,
      position: { file: event.position.file, offset: event.position.offset, gtid: event.gtid },
      transactionId: event.gtid ?? "",
      serverVersion: this.#p.serverVersion,
    };
    const topic = pipeline.destination.ddlTopic;
    const partition = ddlPartition(rule?.partition ?? pipeline.partition, database, table, this.#p.partitionCounts.get(topic) ?? 1);
    this.#p.metrics?.recordEvents(table === "" ? database : `${database}.${table}`, "ddl", 1);
    return this.#send(topic, partition, this.#p.encoder.encodeDdl(ddl), seq);
  }

  #send(topic: string, partition: number, messages: OutgoingMessage[], seq: number): number {
    for (const message of messages) this.#p.sender.enqueue(topic, partition, message, seq);
    return messages.length;
  }
}

/**
 * Collects consecutive rows of one rows event that land on the same partition, so the encoder
 * sees them together (canal-json can then share one message) while order per partition holds.
 */
class PartitionRun {
  readonly #emitter: RecordEmitter;
  readonly #topic: string;
  readonly #seq: number;
  #rows: RowChange[] = [];
  #partition = -1;
  #messages = 0;

  constructor(emitter: RecordEmitter, topic: string, seq: number) {
    this.#emitter = emitter;
    this.#topic = topic;
    this.#seq = seq;
  }

  add(row: RowChange, partition: number): void {
    if (partition !== this.#partition) this.#flush();
    this.#partition = partition;
    this.#rows.push(row);
  }

  #flush(): void {
    if (this.#rows.length === 0) return;
    this.#messages += this.#emitter.sendRows(this.#topic, this.#partition, this.#rows, this.#seq);
    this.#rows = [];
  }

  /** Sends what is left; returns the number of messages sent for the event. */
  finish(): number {
    this.#flush();
    return this.#messages;
  }
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
