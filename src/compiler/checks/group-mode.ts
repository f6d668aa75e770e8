// Checks for specs that a group of workers runs (`dts run --group`, `dts check --group`): a
// pipeline moves between workers, and the one taking it over resumes from the checkpoint kept
// in Kafka, so every pipeline needs a checkpoint topic.
import type { DiagnosticBag } from "../diagnostics.js";
import type { DecodedPipeline } from "../analyze/pipeline.js";

export function checkGroupMode(pipelines: readonly DecodedPipeline[], bag: DiagnosticBag): void {
  for (const p of pipelines) {
    if (p.pipeline.checkpoint.topic !== null) continue;
    bag.report("groupNeedsCheckpointTopic", p.nameSpan, `pipeline "${p.pipeline.name}" has no checkpoint topic: in a group of workers the worker that takes it over resumes from the checkpoint kept in Kafka`);
  }
}
