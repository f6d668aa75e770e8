// `dts status --group`: which worker of a group runs each pipeline, and how it is doing. The
// group's coordinator says who the members are and what each was assigned; each member's
// metadata names its /status endpoint, which says the phase and delay.
import type { KafkaConfig } from "kafkajs";
import type { ExecutionPlan } from "../generated/plan.js";
import { describeGroup, pipelineStateDir, workerCheckpointDirectory, type Logger } from "../runtime/index.js";
import type { ObservedStatus, PipelineObservation } from "./status-reader.js";

export interface GroupObservation extends PipelineObservation {
  /** The worker the group assigned the pipeline to; null when none. */
  worker: string | null;
}

export interface GroupReport {
  /** The coordinator's word for the group: Stable, PreparingRebalance, CompletingRebalance, Empty, Dead. */
  state: string;
  workers: string[];
  pipelines: GroupObservation[];
}

/** The group as its coordinator and workers describe it; `kafka` is the cluster of the plan's first pipeline, where the group meets. */
export async function observeGroup(plan: ExecutionPlan, group: string, kafka: KafkaConfig, log: Logger): Promise<GroupReport> {
  const { state, members } = await describeGroup(kafka, group, log);
  const live = new Map(await Promise.all(members.map(async (m) => [m.worker, await fetchStatuses(m.status)] as const)));
  const pipelines = plan.pipelines.map((p): GroupObservation => {
    const member = members.find((m) => m.pipelines.includes(p.name));
    if (!member) return { pipeline: p.name, stateDir: "", from: "none", alive: false, status: null, worker: null };
    const directory = workerCheckpointDirectory(p.checkpoint.directory, { group, worker: member.worker });
    const status = live.get(member.worker)?.find((s) => s.pipeline === p.name) ?? null;
    return { pipeline: p.name, stateDir: pipelineStateDir(directory, p.name), from: status ? "http" : "none", alive: status !== null, status, worker: member.worker };
  });
  return { state, workers: members.map((m) => m.worker).sort(), pipelines };
}

/** The statuses a worker serves; none when it does not answer. */
async function fetchStatuses(url: string | null): Promise<ObservedStatus[]> {
  if (!url) return [];
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return [];
    const body = (await response.json()) as { pipelines?: unknown };
    return Array.isArray(body.pipelines) ? (body.pipelines as ObservedStatus[]) : [];
  } catch {
    return [];
  }
}
