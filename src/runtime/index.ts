// The runtime's entry: run(plan, pipelineName) streams one pipeline of a compiled plan (or all
// of them) until SIGINT/SIGTERM, a fatal error, or a retry window that runs out.
import { selectPipelines } from "../plan/pipelines.js";
import type { ExecutionPlan } from "../generated/plan.js";
import { lockStateFolders } from "./checkpoint/state-lock.js";
import { RuntimeError } from "./errors.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetrics, startObservabilityServer, type DtsMetrics, type ObservabilityServer } from "./observe/index.js";
import { PipelineRunner, type PipelineResult } from "./pipeline.js";
import { resolveConnections, type PipelineConnections } from "./connections.js";
import type { LiteralSecrets } from "./secrets.js";
import type { ReloadSpec } from "./spec-reload.js";
import { createPipelineRunner, type RunnerSettings } from "./runner-factory.js";

export { RuntimeError } from "./errors.js";
export { runGroupWorker, type GroupRunOptions } from "./group/run-group.js";
export { groupNamePattern, groupPlan, workerCheckpointDirectory, type GroupIdentity } from "./group/group-plan.js";
export { describeGroup, type GroupDescription } from "./group/describe-group.js";
export { createLogger, resolveLogLevel, type Logger } from "./logger.js";
export { manageHeapGrowth } from "./heap-growth.js";
export { resolveConnections, resolveKafkaConnection, type PipelineConnections } from "./connections.js";
export { createKafka } from "./sink/kafka-client.js";
export { pipelineStateDir } from "./checkpoint/file-store.js";
export { readAppliedSpec } from "./checkpoint/applied-spec.js";
export { lockStateFolders, stateLockHeld, type LockOwner } from "./checkpoint/state-lock.js";
export type { PipelineResult } from "./pipeline.js";
export type { ReloadHow, ReloadSpec, ReloadVerdict, RunningPipeline, SpecChangeRecord } from "./spec-reload.js";
export { statusPath, type PipelineStatus } from "./status.js";
// For `dts test`: the stream after the binlog reader, and what a test case needs to feed it.
export { OfflineStream, type OfflineStreamParts } from "./offline-stream.js";
export type { MessageQueue } from "./outbox.js";
export type { OutgoingMessage } from "./sink/batch-sender.js";
export type { RawRow, SourceEvent } from "./source/binlog-events.js";
export type { ColumnInfo, TableInfo } from "./change-event.js";
export { BinlogTableMap } from "./source/table-map.js";
export { columnInfoFrom, parseLabels } from "./source/table-schema.js";
export { serverPrimaryKey, type IndexPart } from "./source/server-primary-key.js";
export { blobLength, integerPrecision } from "./source/column-sizes.js";
export { columnFamily } from "./encode/column-family.js";
export { parseTimestampText, timestampText, zoneClock, type ZoneClock } from "./encode/time-zone.js";

export interface RunOptions extends RunnerSettings {
  /** Values of secrets written as literals in the spec, keyed by JSON pointer (from compile()). */
  literalSecrets?: LiteralSecrets;
  /**
   * Connection settings the caller already resolved (resolveRunConnections), by pipeline name,
   * so secrets are read once; a pipeline missing here is resolved from `literalSecrets`.
   */
  connections?: ReadonlyMap<string, PipelineConnections>;
  log?: Logger;
  /** Stop cleanly on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
  /** Serve /metrics, /healthz, /readyz and /status here (port 0 picks a free one). */
  http?: { host?: string; port: number };
  /** The registry to count into; one is made when `http` is set and this is not. */
  metrics?: DtsMetrics;
  /**
   * Set when the caller already holds the pipelines' state folder locks (the CLI takes them
   * before its precheck connects); otherwise run() takes them itself and releases them.
   */
  stateFoldersLocked?: boolean;
}

/**
 * Runs the named pipeline, or every pipeline of the plan when `pipelineName` is null.
 * Resolves when they have all stopped; the result is "failed" if any of them failed.
 */
export async function run(plan: ExecutionPlan, pipelineName: string | null, options: RunOptions = {}): Promise<PipelineResult> {
  const log = options.log ?? createLogger();
  const indexes = selectedIndexes(plan, pipelineName);
  // Every secret is read before any lock is taken or anything connects.
  const connections = indexes.map((index) => options.connections?.get(pipelineAt(plan, index).name) ?? resolveConnections(plan, index, options.literalSecrets ?? {}));
  const locks = options.stateFoldersLocked ? null : await lockStateFolders(indexes.map((i) => pipelineAt(plan, i)), { log });
  try {
    return await runLocked(plan, indexes, connections, options, log);
  } finally {
    locks?.release();
  }
}

/**
 * The connection settings of the pipelines `pipelineName` selects (every one when null), by
 * name, for a caller that reads them before run() (the CLI, before its precheck connects) and
 * passes them on.
 */
export function resolveRunConnections(plan: ExecutionPlan, pipelineName: string | null, literalSecrets: LiteralSecrets): Map<string, PipelineConnections> {
  return new Map(selectedIndexes(plan, pipelineName).map((index) => [pipelineAt(plan, index).name, resolveConnections(plan, index, literalSecrets)]));
}

/** The indexes of the pipelines `pipelineName` selects (all when null); a RuntimeError when it names none. */
export function selectedIndexes(plan: ExecutionPlan, pipelineName: string | null): number[] {
  const selection = selectPipelines(plan, pipelineName, { from: "the plan" });
  if (!selection.ok) throw new RuntimeError("config", selection.message, { hint: "name one of the plan's pipelines" });
  return selection.indexes;
}

function pipelineAt(plan: ExecutionPlan, index: number): ExecutionPlan["pipelines"][number] {
  return plan.pipelines[index] as ExecutionPlan["pipelines"][number];
}

async function runLocked(plan: ExecutionPlan, indexes: number[], connections: PipelineConnections[], options: RunOptions, log: Logger): Promise<PipelineResult> {
  const metrics = options.metrics ?? (options.http ? createMetrics() : null);
  const runners = indexes.map((index, i) => createPipelineRunner(plan, index, connections[i] as PipelineConnections, options, { log, metrics }));
  const stop = () => {
    for (const runner of runners) runner.requestStop();
  };
  const reload = () => {
    for (const runner of runners) runner.requestReload(false);
  };
  if (options.handleSignals !== false) {
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    process.on("SIGHUP", reload);
  }
  let server: ObservabilityServer | null = null;
  try {
    if (options.http && metrics) {
      server = await startObservabilityServer({ ...options.http, metrics, statusProvider: () => runners.map((r) => r.status) });
      for (const runner of runners) runner.setHttpEndpoint({ host: server.host, port: server.port });
      log.info({ url: server.url }, "serving /metrics, /healthz, /readyz and /status");
    }
    const results = await Promise.all(runners.map((r) => r.run()));
    return results.find((r) => r.phase === "failed") ?? (results[0] as PipelineResult);
  } finally {
    await server?.close();
    if (options.handleSignals !== false) {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      process.off("SIGHUP", reload);
    }
  }
}

export { printable, printableJson, printableJsonText, printableLines } from "./terminal-text.js";
