// A restart must not take a change that breaks consumers mid-stream without being asked to:
// `dts reload` refuses such a change unless --allow-breaking, and so does `dts run` when the
// spec differs that way from what the pipeline's last run applied (applied-spec.ts).
import type { Pipeline } from "../generated/plan.js";
import { breakingChanges } from "../reload/index.js";
import { pipelineStateDir, readAppliedSpec, RuntimeError } from "../runtime/index.js";

/** Throws when a pipeline's spec changed since its last run in a way its consumers would break on. */
export function refuseBreakingRestart(pipelines: readonly Pipeline[], allowBreaking: boolean): void {
  if (allowBreaking) return;
  for (const pipeline of pipelines) {
    const applied = readAppliedSpec(pipelineStateDir(pipeline.checkpoint.directory, pipeline.name));
    const breaking = applied ? breakingChanges(applied, pipeline) : [];
    if (breaking.length === 0) continue;
    throw new RuntimeError("config", `pipeline ${pipeline.name}'s spec changed since its last run in a way that would break consumers mid-stream: ${breaking.join("; ")}`, {
      hint: "restore the setting (see git log of the spec), or start with --allow-breaking to apply it from the checkpoint on once consumers are ready for it",
      location: pipeline.origin,
    });
  }
}
