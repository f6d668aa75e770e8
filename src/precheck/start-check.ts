// What `dts run` makes of the precheck before a pipeline starts. A failed setting refuses the
// start at once; a server that cannot be reached (the source, or every broker) may be
// restarting, so the run waits it out inside the pipeline's retry window, as it does for an
// outage after the start, instead of failing a restart that came a moment too early.
import { RuntimeError } from "../runtime/errors.js";
import type { CheckResult } from "./check-result.js";
import type { PipelinePrecheck, PrecheckReport } from "./index.js";

/** How `dts run` words a refused start, after the report. */
export const precheckRefusal = {
  summary: "the precheck failed, so the pipeline was not started",
  hint: "fix the FAIL items above, or skip named ones with --skip-precheck ID,ID",
};

function failures(pipeline: PipelinePrecheck): CheckResult[] {
  return pipeline.results.filter((r) => r.status === "fail");
}

/** True when the pipeline fails only because a server could not be reached. */
export function onlyUnreachable(pipeline: PipelinePrecheck): boolean {
  const failed = failures(pipeline);
  return failed.length > 0 && failed.every((r) => r.unreachable === true);
}

/** The retriable error a run waits out, saying what could not be reached. */
export function unreachableError(pipeline: PipelinePrecheck): RuntimeError {
  const failed = failures(pipeline);
  const source = failed.some((r) => r.id === "source-connection");
  return new RuntimeError(source ? "source-connect" : "sink-connect", `cannot start yet: ${failed.map((r) => r.reason).join("; ")}`, {
    retriable: true,
    hint: failed.flatMap((r) => (r.fix ? [r.fix] : [])).join("; ") || undefined,
  });
}

/** Passes, or throws why the pipeline cannot start (retriable when a server cannot be reached). */
export type StartCheck = (pipelineName: string) => Promise<void>;

/**
 * The check a run passes before each pipeline's first session. The precheck taken before the
 * run answers the first call; later calls, after the runner's backoff, take it again. Any
 * failure other than reach calls `refused` with the report, then throws a fatal error.
 */
export function startCheck(first: PrecheckReport, recheck: (pipelineName: string) => Promise<PrecheckReport>, refused: (report: PrecheckReport) => void): StartCheck {
  const pending = new Map(first.pipelines.map((p) => [p.pipeline, p]));
  return async (name) => {
    const taken = pending.get(name);
    pending.delete(name);
    const report = taken ? { pipelines: [taken], ok: taken.ok } : await recheck(name);
    const result = report.pipelines[0];
    if (!result || result.ok) return;
    if (onlyUnreachable(result)) throw unreachableError(result);
    refused(report);
    throw new RuntimeError("config", precheckRefusal.summary, { hint: precheckRefusal.hint });
  };
}
