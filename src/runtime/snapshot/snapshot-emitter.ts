// Turns snapshot output into Kafka messages the way the record emitter does for the stream:
// rows as RowChange with snapshot: true (DTS Avro INIT, canal INSERT) through the table's route
// (row filter, columns, renames, partitioner), and CREATE TABLE statements as DDL records on
// the DDL topic. Every call registers one entry with the checkpoint tracker carrying the
// snapshot progress, so the progress is saved only once Kafka acknowledged these messages.
import type { Pipeline } from "../../generated/plan.js";
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import type { DdlChange, RowChange, RowImage } from "../change-event.js";
import type { Encoder } from "../encode/index.js";
import type { RouteCache } from "../select/table-route.js";
import type { OutgoingMessage } from "../sink/batch-sender.js";
import { ddlPartition } from "../sink/partitioner.js";
import type { SnapshotProgress } from "./snapshot-progress.js";
import type { SnapshotTable } from "./snapshot-tables.js";

/** Where snapshot output is registered: the binlog point the stream has reached, and its time. */
export interface StreamPoint {
  position: BinlogResumePosition;
  eventTimeSeconds: number;
}

/** The session's sender and checkpoint tracker, as the snapshot needs them. */
export interface SnapshotSink {
  /** Sequence number the next `register` call gets (messages carry it before registration). */
  nextSeq(): number;
  enqueue(topic: string, partition: number, message: OutgoingMessage, seq: number): void;
  register(position: BinlogResumePosition, messageCount: number, eventTimeSeconds: number, progress: SnapshotProgress): void;
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

export class SnapshotEmitter {
  readonly #p: SnapshotEmitterParts;
  messages = 0;

  constructor(parts: SnapshotEmitterParts) {
    this.#p = parts;
  }

  /** Snapshot rows have no binlog position; their event time is when they were read. */
  #context() {
    return {
      eventTimeSeconds: Math.floor((this.#p.now ?? Date.now)() / 1000),
      position: { file: "", offset: 0, gtid: null },
      transactionId: "",
      serverVersion: this.#p.serverVersion,
    };
  }

  /** Sends rows of one table read by the snapshot; returns the number of messages. */
  emitRows(table: SnapshotTable, images: readonly RowImage[], at: StreamPoint, progress: SnapshotProgress): number {
    const { sink, encoder } = this.#p;
    const route = this.#p.routes.routeFor(table.info, table.rule);
    const { mapping, filter, partitioner } = route;
    const seq = sink.nextSeq();
    const { eventTimeSeconds, position, transactionId, serverVersion } = this.#context();
    const count = this.#p.partitionCounts.get(mapping.topic) ?? 1;
    // Rows by partition, partitions in the order first seen. A single partition needs no hashing.
    const lists: RowChange[][] = [];
    const partitions: number[] = [];
    for (const image of images) {
      // applyFilter's rule for an insert, without its result object.
      if (filter !== null && filter(image) !== true) continue;
      const after = mapping.project(image);
      // Same properties in the same order as the stream's rows (record-emitter.ts): one shape.
      const change: RowChange = {
        kind: "row",
        operation: "insert",
        snapshot: true,
        table: mapping.target,
        before: null,
        after,
        eventTimeSeconds,
        position,
        transactionId,
        serverVersion,
      };
      const partition = count === 1 ? 0 : partitioner(after, count);
      let list = lists[partition];
      if (!list) {
        lists[partition] = list = [];
        partitions.push(partition);
      }
      list.push(change);
    }
    let messages = 0;
    for (const partition of partitions) {
      for (const message of encoder.encodeRows(lists[partition] as RowChange[])) {
        sink.enqueue(mapping.topic, partition, message, seq);
        messages++;
      }
    }
    sink.register(at.position, messages, at.eventTimeSeconds, progress);
    this.messages += messages;
    return messages;
  }

  /** Sends a table's CREATE TABLE as a DDL record (names as the rule renames them). */
  emitSchema(table: SnapshotTable, createSql: string, at: StreamPoint, progress: SnapshotProgress): number {
    const { sink, encoder, pipeline } = this.#p;
    const seq = sink.nextSeq();
    const database = table.rule.target.database ?? table.info.database;
    const name = table.rule.target.table ?? table.info.table;
    const ddl: DdlChange = { kind: "ddl", database, table: name, sql: createSql, ...this.#context() };
    const topic = pipeline.destination.ddlTopic;
    const partition = ddlPartition(table.rule.partition ?? pipeline.partition, database, name, this.#p.partitionCounts.get(topic) ?? 1);
    const messages = encoder.encodeDdl(ddl);
    for (const message of messages) sink.enqueue(topic, partition, message, seq);
    sink.register(at.position, messages.length, at.eventTimeSeconds, progress);
    this.messages += messages.length;
    return messages.length;
  }

  /** Records progress that produced no messages (a table found empty, the snapshot completing). */
  mark(at: StreamPoint, progress: SnapshotProgress): void {
    this.#p.sink.register(at.position, 0, at.eventTimeSeconds, progress);
  }
}
