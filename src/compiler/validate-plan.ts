// Validates plan JSON against schemas/plan.schema.json (JSON Schema 2020-12) with ajv.
// Compiling the schema took about 90 ms of every `dts` start (ajv and its code generation), so
// `npm run build` writes the compiled validator as standalone code (dist/plan-validator.cjs,
// scripts/plan-validator.ts) and the built CLI loads that. Run from src/ (tsx, tests), the
// schema is compiled here with the same options.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { ErrorObject, ValidateFunction } from "ajv";
import type * as AjvModule from "ajv/dist/2020.js";
import type { ExecutionPlan } from "../generated/plan.js";

export interface PlanValidationError {
  /** JSON pointer of the offending value, "" for the root. */
  pointer: string;
  message: string;
}

export type PlanValidationResult = { ok: true; plan: ExecutionPlan } | { ok: false; errors: PlanValidationError[] };

const require = createRequire(import.meta.url);

/** Where `npm run build` puts the standalone validator: dist/, two levels above dist/src/compiler. */
const PREBUILT_VALIDATOR = new URL("../../plan-validator.cjs", import.meta.url);

let validator: ValidateFunction | undefined;

/** schemas/ sits two levels above src/compiler when run with tsx, three above dist/src/compiler. */
function schemaLocation(): URL {
  const candidates = ["../../schemas/plan.schema.json", "../../../schemas/plan.schema.json"].map((p) => new URL(p, import.meta.url));
  return candidates.find((url) => existsSync(url)) ?? (candidates[0] as URL);
}

function schemaCompiler(source: boolean): { ajv: AjvModule.Ajv2020; validate: ValidateFunction } {
  const { Ajv2020 } = require("ajv/dist/2020.js") as typeof AjvModule;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, code: { source } });
  const schema = JSON.parse(readFileSync(schemaLocation(), "utf8")) as object;
  return { ajv, validate: ajv.compile(schema) };
}

/** The validator as a CommonJS module, for `npm run build` to write beside dist/src. */
export function standaloneValidatorSource(): string {
  const { ajv, validate } = schemaCompiler(true);
  const standalone = (require("ajv/dist/standalone/index.js") as { default: (ajv: AjvModule.Ajv2020, validate: ValidateFunction) => string }).default;
  return standalone(ajv, validate);
}

function compiledValidator(): ValidateFunction {
  validator ??= existsSync(PREBUILT_VALIDATOR) ? (require(fileURLToPath(PREBUILT_VALIDATOR)) as ValidateFunction) : schemaCompiler(false).validate;
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

/** Checks plan JSON with `validate` (by default the schema's validator, prebuilt when there is one). */
export function validatePlan(json: unknown, validate: ValidateFunction = compiledValidator()): PlanValidationResult {
  if (validate(json)) return { ok: true, plan: json as ExecutionPlan };
  return { ok: false, errors: summarize(validate.errors ?? []) };
}
