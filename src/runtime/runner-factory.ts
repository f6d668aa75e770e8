// Building a pipeline's runner with the runtime's parts (binlog value conversion, table
// loading) and the caller's settings; shared by a plain run and a group worker.
import type { ExecutionPlan } from "../generated/plan.js";
import type { PipelineConnections } from "./connections.js";
import type { Logger } from "./logger.js";
import type { DtsMetrics } from "./observe/index.js";
import { PipelineRunner } from "./pipeline.js";
import { convertBinlogImageValue, convertBinlogValue } from "./source/column-values.js";
import { loadTableInfo } from "./source/table-schema.js";
import type { ReloadSpec } from "./spec-reload.js";

export interface RunnerSettings {
  /** How often checkpoints and the status file are written, in ms (default 1000). */
  flushIntervalMs?: number;
  /** Unacknowledged bytes at which the binlog reader pauses (default DEFAULT_MAX_UNACKED_BYTES). */
  maxUnackedBytes?: number;
  /** Called with each runner once created, e.g. to stop it from a test. */
  onRunner?: (runner: PipelineRunner) => void;
  /**
   * Passed by each pipeline before its first session (dts run gives its precheck): a retriable
   * error is retried inside the pipeline's retry window with status retrying, any other fails it.
   */
  startCheck?: (pipelineName: string) => Promise<void>;
  /**
   * Reads the specs again and judges the change for a pipeline, on SIGHUP (when signals are
   * handled) and on `dts reload`; without it a reload request is refused with the reason.
   */
  reload?: ReloadSpec;
}

/**
 * Twice what five batches in flight hold, so Kafka always has work while the reader refills.
 * Catching up on a backlog keeps this much waiting: at 64 MiB it peaked near 300 MB RSS against
 * 170-240 MB at 16 MiB, at the same rate (docs/benchmarks.md, "Catch-up after a backlog").
 */
export const DEFAULT_MAX_UNACKED_BYTES = 16 * 1024 * 1024;

/** A runner for the plan's pipeline at `index`. */
export function createPipelineRunner(plan: ExecutionPlan, index: number, connections: PipelineConnections, settings: RunnerSettings, shared: { log: Logger; metrics: DtsMetrics | null }): PipelineRunner {
  const pipeline = plan.pipelines[index];
  if (!pipeline) throw new Error(`createPipelineRunner: the plan has no pipeline at ${index}`);
  const runner = new PipelineRunner(plan, index, {
    connections,
    log: shared.log,
    convert: convertBinlogValue,
    convertImage: convertBinlogImageValue,
    loadTable: (conn) => (database, table) => loadTableInfo(conn, database, table),
    maxUnackedBytes: settings.maxUnackedBytes ?? DEFAULT_MAX_UNACKED_BYTES,
    flushIntervalMs: settings.flushIntervalMs ?? 1000,
    startCheck: settings.startCheck,
    reload: settings.reload,
    metrics: shared.metrics?.pipeline(pipeline.name) ?? null,
  });
  settings.onRunner?.(runner);
  return runner;
}
