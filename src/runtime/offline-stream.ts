// The part of a session after the binlog reader, with nothing connected: transaction assembler →
// record emitter (selection, table catalog, value conversion) → outbox (route, filter, project,
// partition, encode) → a queue the caller provides. `dts test` feeds it events built from a test
// case, so a spec's tests run exactly the code `dts run` runs, minus MySQL and Kafka.
import type { Pipeline } from "../generated/plan.js";
import { CheckpointTracker } from "./checkpoint/tracker.js";
import { createEncoder } from "./encode/index.js";
import { zoneClock } from "./encode/time-zone.js";
import type { MessageQueue } from "./outbox.js";
import { RecordEmitter } from "./record-emitter.js";
import { ObjectSelector } from "./select/object-selector.js";
import { RouteCache } from "./select/table-route.js";
import type { SourceEvent } from "./source/binlog-events.js";
import { convertBinlogValue } from "./source/column-values.js";
import { TableCatalog, type TableLoader } from "./source/table-catalog.js";
import { TransactionAssembler } from "./source/transaction-assembler.js";

export interface OfflineStreamParts {
  pipeline: Pipeline;
  /** Answers for information_schema: the table's description, or null when it has none. */
  loadTable: TableLoader;
  queue: MessageQueue;
  /** Partition count per topic; a topic not listed has one partition. */
  partitionCounts: Map<string, number>;
  /** The source's time zone, resolved (never "SYSTEM"). */
  timeZone: string;
  /** The instant the stream runs at: it fixes canal's `ts`. */
  nowMs: number;
  serverVersion: string;
}

export class OfflineStream {
  readonly #assembler = new TransactionAssembler();
  readonly #emitter: RecordEmitter;

  constructor(parts: OfflineStreamParts) {
    const { pipeline, timeZone, nowMs } = parts;
    this.#emitter = new RecordEmitter({
      pipeline,
      selector: new ObjectSelector(pipeline.objects),
      catalog: new TableCatalog(parts.loadTable, { server: "the test case" }),
      routes: RouteCache.forPipeline(pipeline, zoneClock(timeZone)),
      encoder: createEncoder(pipeline, { timeZone, nowMs: () => nowMs }),
      sender: parts.queue,
      tracker: new CheckpointTracker(),
      convert: convertBinlogValue,
      partitionCounts: parts.partitionCounts,
      serverVersion: parts.serverVersion,
      metrics: null,
    });
  }

  /** Feeds one binlog event as the event pump does; what it completes reaches the queue. */
  async push(event: SourceEvent): Promise<void> {
    const unit = this.#assembler.push(event);
    if (!unit) return;
    if (this.#emitter.needsPreparation(unit)) await this.#emitter.prepare(unit);
    this.#emitter.emit(unit);
  }
}
