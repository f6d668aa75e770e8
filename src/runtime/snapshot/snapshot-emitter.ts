// Turns snapshot output into Kafka messages through the same outbox as the stream: rows as
// inserts marked snapshot (DTS Avro INIT, canal INSERT) through the table's route (row filter,
// columns, renames, partitioner), and CREATE TABLE statements as DDL records on the DDL topic.
// Every call registers one entry with the checkpoint tracker carrying what it moved of the
// snapshot progress, so the progress is saved only once Kafka acknowledged these messages.
import type { Pipeline } from "../../generated/plan.js";
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import type { DdlChange, EventContext } from "../change-event.js";
import type { Encoder } from "../encode/index.js";
import { Outbox, type MessageQueue } from "../outbox.js";
import type { RouteCache } from "../select/table-route.js";
import type { ChunkRows } from "./chunk-rows.js";
import { snapshotFailure } from "./snapshot-error.js";
import type { ProgressStep } from "./snapshot-progress.js";
import type { SnapshotTable } from "./snapshot-tables.js";

/** Where snapshot output is registered: the binlog point the stream has reached, and its time. */
export interface StreamPoint {
  position: BinlogResumePosition;
  eventTimeSeconds: number;
}

/** The session's sender and checkpoint tracker, as the snapshot needs them. */
export interface SnapshotSink extends MessageQueue {
  /** Sequence number the next `register` call gets (messages carry it before registration). */
  nextSeq(): number;
  register(position: BinlogResumePosition, messageCount: number, eventTimeSeconds: number, progress: ProgressStep | undefined): void;
}

export interface SnapshotEmitterParts {
  pipeline: Pipeline;
  routes: RouteCache;
  encoder: Encoder;
  sink: SnapshotSink;
  partitionCounts: Map<string, number>;
  serverVersion: string;
  now?: () => number;
}

/** Rows of a chunk encoded and queued together. */
const EMIT_SLICE = 500;

export class SnapshotEmitter {
  readonly #p: SnapshotEmitterParts;
  readonly #outbox: Outbox;

  constructor(parts: SnapshotEmitterParts) {
    this.#p = parts;
    const { pipeline, routes, encoder, sink, partitionCounts } = parts;
    this.#outbox = new Outbox({ pipeline, routes, encoder, queue: sink, partitionCounts });
  }

  /** Snapshot rows have no binlog position; their event time is when they were read. */
  #context(): EventContext {
    return {
      eventTimeSeconds: Math.floor((this.#p.now ?? Date.now)() / 1000),
      position: { file: "", offset: 0, gtid: null },
      transactionId: "",
      serverVersion: this.#p.serverVersion,
    };
  }

  /** Sends rows of one table read by the snapshot; returns the number of messages. */
  emitRows(table: SnapshotTable, rows: ChunkRows, at: StreamPoint, progress: ProgressStep | undefined): number {
    const { sink } = this.#p;
    const route = this.#outbox.routeFor(table.info, table.rule);
    const seq = sink.nextSeq();
    const batch = this.#outbox.rows(route, this.#context(), seq, { snapshot: true, groupByPartition: true });
    try {
      for (let i = 0; i < rows.length; i++) {
        batch.addSnapshotRow(rows, i);
        // Encoded as they are added, a slice at a time: a chunk's changes die young rather
        // than all living until the chunk's end (which made the garbage collector copy them).
        if ((i + 1) % EMIT_SLICE === 0) batch.send();
      }
    } catch (error) {
      // Rows are converted here, as they are sent: a value no converter takes fails the sync.
      throw snapshotFailure(error);
    }
    const messages = batch.finish();
    sink.register(at.position, messages, at.eventTimeSeconds, progress);
    return messages;
  }

  /** Sends a table's CREATE TABLE as a DDL record (names as the rule renames them). */
  emitSchema(table: SnapshotTable, createSql: string, at: StreamPoint, progress: ProgressStep | undefined): number {
    const { sink } = this.#p;
    const seq = sink.nextSeq();
    const database = table.rule.target.database ?? table.info.database;
    const name = table.rule.target.table ?? table.info.table;
    const ddl: DdlChange = { kind: "ddl", database, table: name, sql: createSql, ...this.#context() };
    const messages = this.#outbox.ddl(ddl, table.rule.partition, seq);
    sink.register(at.position, messages, at.eventTimeSeconds, progress);
    return messages;
  }

  /** Records progress that produced no messages (a table found empty, the snapshot completing). */
  mark(at: StreamPoint, progress: ProgressStep): void {
    this.#p.sink.register(at.position, 0, at.eventTimeSeconds, progress);
  }
}
