// The one way a change becomes queued Kafka messages, for the binlog and the snapshot emitter
// alike: route the table, apply the row filter (DTS update semantics), project and rename, place
// the row on a partition, encode, and enqueue under the caller's checkpoint sequence number.
// Keeping it in one place keeps stream and snapshot messages of a table the same shape.
import type { DdlChange, EventContext, RowChange, RowImage, RowOperation, RowText, TableInfo } from "./change-event.js";
import type { Encoder } from "./encode/index.js";
import type { ObjectRule, PartitionPolicy, Pipeline } from "../generated/plan.js";
import type { OutgoingMessage } from "./sink/batch-sender.js";
import { keyMoves } from "./encode/message-key.js";
import { ddlPartition } from "./sink/partitioner.js";
import { applyFilter, type RouteCache, type TableRoute } from "./select/table-route.js";

/** Where encoded messages go: the session's batch sender, or the snapshot's view of it. */
export interface MessageQueue {
  enqueue(topic: string, partition: number, message: OutgoingMessage, seq: number): void;
}

/** Rows the initial sync read: each as an image, or as the server's bytes. */
export interface SnapshotRowSource {
  image(index: number): RowImage;
  /** Row `index` as bytes over the given source columns; null when the rows were read as values. */
  text(index: number, columns: readonly number[]): RowText | null;
}

export interface OutboxParts {
  /** The DDL topic and the default partition policy. */
  pipeline: Pipeline;
  routes: RouteCache;
  encoder: Encoder;
  queue: MessageQueue;
  partitionCounts: Map<string, number>;
  /** Sees each group of rows just before it is encoded (the stream counts them for its metrics). */
  onRows?: ((rows: RowChange[]) => void) | undefined;
}

export interface BatchOptions {
  /** Marks the rows as read by the initial sync (DTS Avro INIT). */
  snapshot: boolean;
  /**
   * Gather each partition's rows into one encode call (partitions in the order first seen)
   * rather than encoding each run of consecutive rows that share a partition.
   */
  groupByPartition: boolean;
}

export class Outbox {
  readonly #p: OutboxParts;

  constructor(parts: OutboxParts) {
    this.#p = parts;
  }

  routeFor(table: TableInfo, rule: ObjectRule): TableRoute {
    return this.#p.routes.routeFor(table, rule);
  }

  /** Collects the rows of one rows event or snapshot chunk of a table; `finish()` sends what is left. */
  rows(route: TableRoute, context: EventContext, seq: number, options: BatchOptions): RowBatch {
    return new RowBatch(this, route, context, seq, options, this.#p.partitionCounts.get(route.mapping.topic) ?? 1);
  }

  /** Sends a DDL record on the DDL topic; returns the number of messages. */
  ddl(change: DdlChange, policy: PartitionPolicy | null, seq: number): number {
    const { pipeline, partitionCounts, encoder } = this.#p;
    const topic = pipeline.destination.ddlTopic;
    const partition = ddlPartition(policy ?? pipeline.partition, change.database, change.table, partitionCounts.get(topic) ?? 1);
    return this.#enqueue(topic, partition, encoder.encodeDdl(change), seq);
  }

  /** Encodes rows bound for one partition and queues the messages. */
  sendRows(topic: string, partition: number, rows: RowChange[], seq: number): number {
    this.#p.onRows?.(rows);
    return this.#enqueue(topic, partition, this.#p.encoder.encodeRows(rows), seq);
  }

  #enqueue(topic: string, partition: number, messages: OutgoingMessage[], seq: number): number {
    for (const message of messages) this.#p.queue.enqueue(topic, partition, message, seq);
    return messages.length;
  }
}

/**
 * Rows of one table on their way to its topic. Order per partition always holds; the encoder
 * sees rows of a partition together so canal-json can share one message between them.
 */
export class RowBatch {
  readonly #outbox: Outbox;
  readonly #route: TableRoute;
  readonly #context: EventContext;
  readonly #seq: number;
  readonly #options: BatchOptions;
  readonly #partitionCount: number;
  /** Pending rows by partition, and the partitions in the order first seen. */
  #lists: RowChange[][] = [];
  #partitions: number[] = [];
  #last = -1;
  #messages = 0;

  constructor(outbox: Outbox, route: TableRoute, context: EventContext, seq: number, options: BatchOptions, partitionCount: number) {
    this.#outbox = outbox;
    this.#route = route;
    this.#context = context;
    this.#seq = seq;
    this.#options = options;
    this.#partitionCount = partitionCount;
  }

  /**
   * Adds a change of source images; the route's filter may drop it or change its operation. An
   * update that gives the row another key goes out as a delete of the old key and an insert of
   * the new one (as Debezium does): each key's messages stay on its own partition, and a
   * compacted topic or an upsert consumer forgets the old key.
   */
  add(operation: RowOperation, before: RowImage | null, after: RowImage | null): void {
    const { filter, mapping, identity } = this.#route;
    if (filter !== null) {
      const filtered = applyFilter(filter, operation, before, after);
      if (!filtered) return;
      ({ operation, before, after } = filtered);
    }
    const was = before && mapping.project(before);
    const is = after && mapping.project(after);
    if (operation === "update" && was && is && keyMoves(identity, was, is)) {
      this.#push("delete", was, null, null);
      this.#push("insert", null, is, null);
    } else {
      this.#push(operation, was, is, null);
    }
  }

  /**
   * Adds a row of the initial sync as an insert. A row read as bytes goes to the encoders as
   * bytes unless a row filter needs its values; its image then holds only the values of the
   * columns that the message key and the partitioner read.
   */
  addSnapshotRow(rows: SnapshotRowSource, index: number): void {
    const route = this.#route;
    const text = route.filter === null ? rows.text(index, route.mapping.sourceIndexes) : null;
    if (text === null) return this.add("insert", null, rows.image(index));
    const after: RowImage = new Array(route.mapping.target.columns.length);
    for (const column of route.keyColumns) after[column] = text.value(column);
    this.#push("insert", null, after, text);
  }

  /** Places a change of projected images. */
  #push(operation: RowOperation, before: RowImage | null, after: RowImage | null, text: RowText | null): void {
    const { mapping, partitioner } = this.#route;
    const { eventTimeSeconds, position, transactionId, serverVersion } = this.#context;
    // The property order is part of the shape the encoders see: keep it.
    const change: RowChange = {
      kind: "row",
      operation,
      snapshot: this.#options.snapshot,
      table: mapping.target,
      before,
      after,
      eventTimeSeconds,
      position,
      transactionId,
      serverVersion,
      text,
    };
    // A single partition needs no hashing.
    const count = this.#partitionCount;
    this.#place(change, count === 1 ? 0 : partitioner((after ?? before) as RowImage, count));
  }

  #place(change: RowChange, partition: number): void {
    if (!this.#options.groupByPartition && partition !== this.#last) this.send();
    this.#last = partition;
    let list = this.#lists[partition];
    if (!list) {
      this.#lists[partition] = list = [];
      this.#partitions.push(partition);
    }
    list.push(change);
  }

  /** Encodes and queues the rows added so far; order per partition holds across calls. */
  send(): void {
    const topic = this.#route.mapping.topic;
    for (const partition of this.#partitions) this.#messages += this.#outbox.sendRows(topic, partition, this.#lists[partition] as RowChange[], this.#seq);
    this.#lists = [];
    this.#partitions = [];
  }

  /** Sends what is left; returns the number of messages sent for the batch. */
  finish(): number {
    this.send();
    return this.#messages;
  }
}
