// The server-id precheck: the rule of src/plan/server-id.ts over the source's facts, with each
// pipeline's host:port resolved here (env() references included) so the rule stays pure.
import type { ExecutionPlan } from "../generated/plan.js";
import { checkServerId as serverIdRule } from "../plan/index.js";
import { resolveSetting } from "../runtime/secrets.js";
import { at, checkResult, type CheckResult } from "./check-result.js";
import type { SourceFacts } from "./source-facts.js";

/** host:port of a pipeline's source, or null when its settings cannot be resolved here. */
function sourceAddress(plan: ExecutionPlan, index: number, env: NodeJS.ProcessEnv = process.env): string | null {
  const pipeline = plan.pipelines[index];
  if (!pipeline) return null;
  const { source, name } = pipeline;
  try {
    return `${resolveSetting(source.host, { name: "source host", pipeline: name }, env)}:${resolveSetting(source.port, { name: "source port", pipeline: name }, env)}`;
  } catch {
    return null;
  }
}

export function checkServerId(facts: SourceFacts, plan: ExecutionPlan, index: number, env: NodeJS.ProcessEnv = process.env): CheckResult {
  const addresses = plan.pipelines.map((_, i) => sourceAddress(plan, i, env));
  const result = serverIdRule(facts, plan, index, addresses);
  return at(result.location, checkResult(result.id, result.status, result.reason, result.fix));
}
