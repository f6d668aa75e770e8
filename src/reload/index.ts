// Reloading a running pipeline's specs (SIGHUP, `dts reload`): the runtime asks, this module
// reads the specs again through the caller's `compile`, and answers with the new pipeline and
// how to apply it, or why not. The running pipeline stays as it is on any refusal.
import type { ExecutionPlan, Pipeline } from "../generated/plan.js";
import { resolveConnections, type PipelineConnections, type ReloadSpec, type ReloadVerdict, type RunningPipeline } from "../runtime/index.js";
import { judgeReload } from "./judge.js";
import { connectionsRefusal } from "./new-connections.js";
import { columnsRefusal } from "./source-columns.js";

export { breakingChanges, judgeReload, type ReloadJudgement } from "./judge.js";

/** The specs compiled again, or the diagnostics that stopped them. */
export type Recompiled = { plan: ExecutionPlan; literalSecrets: Record<string, string> } | { diagnostics: string };

/** `compile` reads and compiles the run's spec files again; it never throws on user input. */
export function specReloader(compile: () => Recompiled): ReloadSpec {
  return async (running, allowBreaking) => {
    const verdict = judge(compile(), running, allowBreaking);
    if (!verdict.ok || verdict.how === "unchanged") return verdict;
    return (await connectionsRefusal(running, verdict.pipeline, verdict.connections)) ?? (await columnsRefusal(verdict.pipeline, verdict.connections)) ?? verdict;
  };
}

function judge(compiled: Recompiled, current: RunningPipeline, allowBreaking: boolean): ReloadVerdict {
  const name = current.pipeline.name;
  if ("diagnostics" in compiled) return { ok: false, reason: `the specs do not compile:\n${compiled.diagnostics.trimEnd()}`, hint: "fix the specs (dts check) and reload again; the pipeline runs on unchanged" };
  const index = compiled.plan.pipelines.findIndex((p) => p.name === name);
  if (index < 0) return { ok: false, reason: `the specs no longer hold pipeline ${name}`, hint: `stop it with dts stop --pipeline ${name}, or put it back` };
  let connections: PipelineConnections;
  try {
    connections = resolveConnections(compiled.plan, index, compiled.literalSecrets);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error), hint: "fix the secret references and reload again" };
  }
  const next = compiled.plan.pipelines[index] as Pipeline;
  const connectionsChanged = JSON.stringify(connections) !== JSON.stringify(current.connections);
  const judgement = judgeReload(current.pipeline, next, { allowBreaking, connectionsChanged });
  if (judgement.refusal) return { ok: false, reason: judgement.refusal.reason, hint: judgement.refusal.hint };
  return { ok: true, pipeline: next, connections, how: judgement.how, changes: judgement.changes };
}
