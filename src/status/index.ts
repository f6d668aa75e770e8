// Reading what a pipeline is doing from outside it (`dts status`, `dts stop`): its status
// file, its live /status endpoint and whether a run still holds its state folder.
import { pipelineStateDir, stateLockHeld } from "../runtime/index.js";
import type { PipelineObservation } from "./status-reader.js";

export { observeGroup, type GroupObservation, type GroupReport } from "./group-status.js";
export { describePhase, observePipeline, pipelineGone, pipelineStalled, pipelinesInStateDir, type ObservedStatus, type PipelineObservation } from "./status-reader.js";

/** True while the pipeline's process is alive or, when its status file says nothing, a run still holds its state folder. */
export function pipelineRunning(observation: PipelineObservation, directory: string, pipeline: string): boolean {
  return observation.alive || stateLockHeld(pipelineStateDir(directory, pipeline));
}
