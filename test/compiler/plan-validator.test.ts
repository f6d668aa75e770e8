// The built CLI validates plans with the standalone code `npm run build` writes
// (dist/plan-validator.cjs); tests run from src/ with the schema compiled in process. Both must
// give the same answers: every golden plan passes both, and damaged plans get the same errors.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { standaloneValidatorSource, validatePlan } from "../../src/compiler/validate-plan.js";

const casesDir = join(import.meta.dirname, "cases");
const plans = readdirSync(casesDir).filter((f) => f.endsWith(".plan.json")).map((f) => [f, JSON.parse(readFileSync(join(casesDir, f), "utf8")) as Record<string, unknown>] as const);

/** Loads the standalone source as `require` would load dist/plan-validator.cjs. */
function standaloneValidator(): ValidateFunction {
  const module = { exports: {} as unknown };
  new Function("module", "exports", "require", standaloneValidatorSource())(module, module.exports, createRequire(import.meta.url));
  return module.exports as ValidateFunction;
}

const standalone = standaloneValidator();

/** Plans damaged the ways a hand edit or a bug would damage them. */
function damaged(plan: Record<string, unknown>): unknown[] {
  const copy = () => JSON.parse(JSON.stringify(plan)) as { pipelines: Record<string, Record<string, unknown>>[] } & Record<string, unknown>;
  const unknownKey = copy();
  unknownKey["extra"] = true;
  const badPort = copy();
  (badPort.pipelines[0] as Record<string, Record<string, unknown>>)["source"]!["port"] = "3306";
  const noTopic = copy();
  delete (noTopic.pipelines[0] as Record<string, Record<string, unknown>>)["destination"]!["topic"];
  const emptyName = copy();
  (emptyName.pipelines[0] as Record<string, unknown>)["name"] = "";
  return [unknownKey, badPort, noTopic, emptyName, null, [], { planVersion: 2, pipelines: [] }];
}

describe("the standalone plan validator", () => {
  it.each(plans)("accepts the golden plan %s as the compiled validator does", (_, plan) => {
    expect(validatePlan(plan, standalone)).toEqual(validatePlan(plan));
    expect(validatePlan(plan, standalone).ok).toBe(true);
  });

  it.each(plans)("rejects damaged copies of %s with the compiled validator's errors", (_, plan) => {
    for (const bad of damaged(plan)) {
      const result = validatePlan(bad, standalone);
      expect(result.ok, JSON.stringify(bad).slice(0, 80)).toBe(false);
      expect(result).toEqual(validatePlan(bad));
    }
  });
});
