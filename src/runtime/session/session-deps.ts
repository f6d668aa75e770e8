// What a streaming session is given by its pipeline: the plan, resolved connections, the value
// converter and table loader (swapped in tests), limits, and where its checkpoints go.
import type mysql from "mysql2/promise";
import type { Pipeline } from "../../generated/plan.js";
import type { Checkpoint } from "../checkpoint/checkpoint.js";
import type { SafePoint } from "../checkpoint/tracker.js";
import type { PipelineConnections } from "../connections.js";
import type { Logger } from "../logger.js";
import type { PipelineMetrics } from "../observe/metrics.js";
import type { ValueConverter } from "../record-emitter.js";
import type { TableLoader } from "../source/table-catalog.js";

export interface SessionDeps {
  pipeline: Pipeline;
  /** The source endpoint and Kafka settings, secrets already read. */
  connections: PipelineConnections;
  log: Logger;
  convert: ValueConverter;
  /** For the stream's row images, which only go out as messages; `convert` when absent. */
  convertImage?: ValueConverter;
  loadTable: (conn: mysql.Connection) => TableLoader;
  /** Unacknowledged bytes above which the binlog reader pauses. */
  maxUnackedBytes: number;
  /** Where events and bytes are counted; null when nothing is exported. */
  metrics: PipelineMetrics | null;
}

export interface SessionCheckpointSink {
  /** The checkpoint the session resumes from (null: use the plan's startFrom). */
  current(): Checkpoint | null;
  /** Takes over a checkpoint found elsewhere (the Kafka checkpoint topic). */
  adopt(checkpoint: Checkpoint): void;
  /** Persists a new safe point with the topics' partition counts. */
  save(point: SafePoint, partitionCounts: Record<string, number>): void;
  /** The checkpoint `save` would persist for the point (exactly-once writes it into each Kafka transaction). */
  describe(point: SafePoint, partitionCounts: Record<string, number>): Checkpoint;
}
