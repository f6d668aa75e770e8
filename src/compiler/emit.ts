// Checked pipelines → ExecutionPlan, plus the literal secrets keyed by their plan pointers.
import type { ExecutionPlan } from "../generated/plan.js";
import type { LiteralSecret } from "./analyze/context.js";
import type { DecodedPipeline } from "./analyze/pipeline.js";

export interface EmittedPlan {
  plan: ExecutionPlan;
  literalSecrets: Record<string, string>;
}

const planSchemaId = "https://dts-kafka.dev/schemas/plan/v1/plan.schema.json";

export function emitPlan(pipelines: { decoded: DecodedPipeline; secrets: LiteralSecret[] }[]): EmittedPlan {
  const literalSecrets: Record<string, string> = {};
  pipelines.forEach(({ secrets }, index) => {
    for (const secret of secrets) literalSecrets[`/pipelines/${index}${secret.pointer}`] = secret.value;
  });
  return {
    plan: { $schema: planSchemaId, planVersion: 1, pipelines: pipelines.map(({ decoded }) => decoded.pipeline) },
    literalSecrets,
  };
}
