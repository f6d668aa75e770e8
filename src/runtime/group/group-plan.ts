// How a group worker runs the plan it compiled. Two settings change from a lone `dts run`:
// - each worker keeps its own state folders, <checkpoint directory>/group-<group>/<worker>/, so
//   workers on one machine never share a lock, a status file or a spill file; where a pipeline
//   resumes comes from the checkpoint topic, which the group requires;
// - every pipeline writes in Kafka transactions (delivery exactly-once): taking the pipeline's
//   transactional id is what makes the brokers refuse the writes of a paused worker whose
//   pipeline has moved on (at-least-once consumers still see everything at least once).
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { ExecutionPlan, Pipeline } from "../../generated/plan.js";

export interface GroupIdentity {
  group: string;
  worker: string;
}

/** The names `--group` and `--worker-id` may take: they become folder names and Kafka ids. */
export const groupNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function groupPlan(plan: ExecutionPlan, identity: GroupIdentity): ExecutionPlan {
  return { ...plan, pipelines: plan.pipelines.map((pipeline) => groupPipeline(pipeline, identity)) };
}

function groupPipeline(pipeline: Pipeline, identity: GroupIdentity): Pipeline {
  const directory = workerCheckpointDirectory(pipeline.checkpoint.directory, identity);
  return { ...pipeline, delivery: "exactly-once", checkpoint: { ...pipeline.checkpoint, directory } };
}

/** Where a worker keeps the state folders of pipelines whose spec names `directory`. */
export function workerCheckpointDirectory(directory: string, { group, worker }: GroupIdentity): string {
  return join(directory, `group-${group}`, worker);
}

/**
 * A fingerprint of each pipeline as the specs declare it: workers agree on a pipeline only when
 * they run the same spec of it (during a rolling change of a spec, the older ones do not take it).
 */
export function pipelineFingerprints(plan: ExecutionPlan): Record<string, string> {
  return Object.fromEntries(plan.pipelines.map((p) => [p.name, createHash("sha256").update(JSON.stringify(p, withoutOrigins)).digest("hex").slice(0, 16)]));
}

/**
 * Where each construct was declared (`origin`: file as named on the command line, line,
 * column) says nothing about what the pipeline does: workers started from another folder, or
 * with absolute paths, run the same spec.
 */
function withoutOrigins(key: string, value: unknown): unknown {
  return key === "origin" ? undefined : value;
}
