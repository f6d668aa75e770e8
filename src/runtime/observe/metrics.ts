// The Prometheus series of a dts process (prefix dts_), one registry per process with a
// `pipeline` label, plus Node's default process metrics. The runtime records through the small
// typed API of PipelineMetrics; nothing else touches prom-client.
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { RowOperation } from "../change-event.js";

export type EventOperation = RowOperation | "ddl";

/** What the runtime records for one pipeline. */
export interface PipelineMetrics {
  /** `n` row (or DDL) messages acknowledged by Kafka for `table` (`db.table`). */
  recordEvents(table: string, operation: EventOperation, n: number): void;
  /** Bytes of message keys and values acknowledged by Kafka. */
  recordBytes(n: number): void;
  /** How far behind the source the pipeline is (src/runtime/delay.ts); null when unknown. */
  setDelaySeconds(seconds: number | null): void;
  setSnapshotProgress(table: string, rowsDone: number, rowsTotal: number): void;
  /** A retry after a failure of `kind` (e.g. source-connect, sink-send). */
  recordRetry(kind: string): void;
  recordError(kind: string): void;
  /** When the last checkpoint was written; its age is computed at scrape time. */
  recordCheckpoint(at?: Date): void;
}

export interface DtsMetrics {
  readonly registry: Registry;
  pipeline(name: string): PipelineMetrics;
  /** The text exposition format Prometheus scrapes. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event loop lag, GC); default true. */
  defaultMetrics?: boolean;
  /** Labels every series carries, e.g. the worker id of a group worker. */
  labels?: Record<string, string>;
}

export function createMetrics(options: MetricsOptions = {}): DtsMetrics {
  const registry = new Registry();
  if (options.labels) registry.setDefaultLabels(options.labels);
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const events = new Counter({ name: "dts_events_total", help: "Change events handed to the Kafka producer, by table and operation (acknowledged bytes are dts_produced_bytes_total).", labelNames: ["pipeline", "table", "operation"], registers });
  const bytes = new Counter({ name: "dts_produced_bytes_total", help: "Bytes of message keys and values delivered to Kafka.", labelNames: ["pipeline"], registers });
  const delay = new Gauge({ name: "dts_delay_seconds", help: "Seconds the pipeline is behind the source; 0 when caught up; no sample while unknown (see dts_delay_known).", labelNames: ["pipeline"], registers });
  const delayKnown = new Gauge({ name: "dts_delay_known", help: "1 when dts_delay_seconds holds the delay, 0 while it is unknown (not connected, nothing heard from the source).", labelNames: ["pipeline"], registers });
  const snapshotDone = new Gauge({ name: "dts_snapshot_rows_done", help: "Rows of the table copied by the initial sync.", labelNames: ["pipeline", "table"], registers });
  const snapshotTotal = new Gauge({ name: "dts_snapshot_rows_total", help: "Estimated rows of the table to copy in the initial sync.", labelNames: ["pipeline", "table"], registers });
  const retries = new Counter({ name: "dts_retries_total", help: "Retries after a retriable failure, by kind.", labelNames: ["pipeline", "kind"], registers });
  const errors = new Counter({ name: "dts_errors_total", help: "Errors, by kind.", labelNames: ["pipeline", "kind"], registers });
  const checkpointAt = new Map<string, number>();
  new Gauge({
    name: "dts_checkpoint_age_seconds",
    help: "Seconds since the pipeline last wrote a checkpoint.",
    labelNames: ["pipeline"],
    registers,
    collect() {
      const now = Date.now();
      for (const [pipeline, at] of checkpointAt) this.set({ pipeline }, Math.max(0, (now - at) / 1000));
    },
  });

  const pipelines = new Map<string, PipelineMetrics>();
  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    pipeline(name) {
      const existing = pipelines.get(name);
      if (existing) return existing;
      const created: PipelineMetrics = {
        recordEvents: (table, operation, n) => events.inc({ pipeline: name, table, operation }, n),
        recordBytes: (n) => bytes.inc({ pipeline: name }, n),
        setDelaySeconds: (seconds) => {
          // No sample rather than NaN: comparisons and aggregations over NaN mislead alerts.
          if (seconds === null) delay.remove({ pipeline: name });
          else delay.set({ pipeline: name }, seconds);
          delayKnown.set({ pipeline: name }, seconds === null ? 0 : 1);
        },
        setSnapshotProgress: (table, rowsDone, rowsTotal) => {
          snapshotDone.set({ pipeline: name, table }, rowsDone);
          snapshotTotal.set({ pipeline: name, table }, rowsTotal);
        },
        recordRetry: (kind) => retries.inc({ pipeline: name, kind }),
        recordError: (kind) => errors.inc({ pipeline: name, kind }),
        recordCheckpoint: (at = new Date()) => void checkpointAt.set(name, at.getTime()),
      };
      // Series exist from the start, so dashboards and alerts see a value rather than "no data";
      // the delay is unknown until the first status write measures it.
      bytes.inc({ pipeline: name }, 0);
      created.setDelaySeconds(null);
      pipelines.set(name, created);
      return created;
    },
  };
}
