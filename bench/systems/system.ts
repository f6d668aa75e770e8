// What a workload needs from a system under test: start it on a table and a topic, know its
// pid to meter it, and stop it. Our pipelines, Maxwell's daemon and Debezium all fit this shape.
import type { SourceEngine } from "../workloads/bench-table.js";

/** How a system writes to Kafka: plain acknowledged sends, or Kafka transactions (ours only). */
export type Delivery = "at-least-once" | "exactly-once";

export interface StartRequest {
  database: string;
  table: string;
  topic: string;
  /** For exactly-once: the compacted topic the harness made for the checkpoints; null otherwise. */
  checkpointTopic: string | null;
  /** Copy the table's existing rows first (our initial_sync data = true / Maxwell's bootstrap). */
  initialSync: boolean;
  /** The source table's engine; our precheck refuses BLACKHOLE, which the bench uses on purpose. */
  sourceEngine: SourceEngine;
  workDir: string;
  log: (message: string) => void;
}

export interface RunningSystem {
  pid: number;
  /** Still running? A system that exits early failed or refused the job. */
  alive(): boolean;
  /** The reason it exited, from its own output (empty while it runs). */
  exitReason(): string;
  /** Waits until the initial copy can be asked for (Maxwell: replicating); no-op for ours. */
  prepareInitialSync(): Promise<void>;
  /** Starts the initial copy where that is a separate step (Maxwell's bootstrap); no-op otherwise. */
  startInitialSync(): Promise<void>;
  /** Messages the system writes around an initial copy besides one per row. */
  initialSyncExtraMessages: number;
  stop(): Promise<void>;
}

export interface SystemUnderTest {
  /** Column heading, e.g. "dts-kafka (DTS Avro)". */
  label: string;
  /** Short key used in table and topic names. */
  key: string;
  isPeer: boolean;
  /** At-least-once unless said otherwise. */
  delivery?: Delivery;
  /** The label of the system this one is a variant of (exactly-once of at-least-once), for a ratio between the two. */
  variantOf?: string;
  /** Null when the system can run here; otherwise why not. */
  unavailable(): Promise<string | null>;
  start(request: StartRequest): Promise<RunningSystem>;
  /** Removes what the system left on the stack besides topics (a peer's user and state schema). */
  cleanUp?(): Promise<void>;
}
