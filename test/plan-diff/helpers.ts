// Compiling specs for the plan --diff tests: a failure to compile fails the test with its diagnostics.
import { compile } from "../../src/compiler/index.js";
import { diffPlans, type PlanChange, type PlanSide } from "../../src/plan-diff/index.js";

export function side(text: string, file = "shop.dts"): PlanSide {
  const result = compile([{ file, text }]);
  if (!result.plan) throw new Error(`does not compile:\n${result.diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.message}`).join("\n")}\n${text}`);
  return { plan: result.plan, locations: result.locations, literalSecrets: result.literalSecrets };
}

export function diffTexts(base: string, next: string): PlanChange[] {
  return diffPlans(side(base), side(next));
}

/** Replaces `from` (which must occur) with `to`. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`"${from}" is not in the spec`);
  return text.replace(from, to);
}
