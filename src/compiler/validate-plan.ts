// Validates plan JSON against schemas/plan.schema.json (JSON Schema 2020-12) with ajv.
import { existsSync, readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import type { ExecutionPlan } from "../generated/plan.js";

export interface PlanValidationError {
  /** JSON pointer of the offending value, "" for the root. */
  pointer: string;
  message: string;
}

export type PlanValidationResult = { ok: true; plan: ExecutionPlan } | { ok: false; errors: PlanValidationError[] };

let validator: ValidateFunction | undefined;

/** schemas/ sits two levels above src/compiler when run with tsx, three above dist/src/compiler. */
function schemaLocation(): URL {
  const candidates = ["../../schemas/plan.schema.json", "../../../schemas/plan.schema.json"].map((p) => new URL(p, import.meta.url));
  return candidates.find((url) => existsSync(url)) ?? (candidates[0] as URL);
}

function compiledValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(schemaLocation(), "utf8")) as object;
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    validator = ajv.compile(schema);
  }
  return validator;
}

/** One entry per offending value, its distinct complaints joined. */
function summarize(errors: ErrorObject[]): PlanValidationError[] {
  const byPointer = new Map<string, Set<string>>();
  for (const error of errors) {
    const detail = error.keyword === "additionalProperties" ? `has unknown property "${String((error.params as { additionalProperty?: string }).additionalProperty)}"` : (error.message ?? "is invalid");
    const messages = byPointer.get(error.instancePath) ?? new Set<string>();
    messages.add(detail);
    byPointer.set(error.instancePath, messages);
  }
  return [...byPointer].map(([pointer, messages]) => ({ pointer, message: [...messages].join("; ") }));
}

export function validatePlan(json: unknown): PlanValidationResult {
  const validate = compiledValidator();
  if (validate(json)) return { ok: true, plan: json as ExecutionPlan };
  return { ok: false, errors: summarize(validate.errors ?? []) };
}
