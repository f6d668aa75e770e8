// Pipelines for the reload tests: the plan --diff base spec (shop.dts) and single edits of it.
import type { Pipeline } from "../../src/generated/plan.js";
import { side } from "../plan-diff/helpers.js";

export { edit } from "../plan-diff/helpers.js";
export { shop } from "../plan-diff/mutations.js";

/** The only pipeline of a spec that must compile. */
export function pipelineOf(text: string): Pipeline {
  return side(text).plan.pipelines[0] as Pipeline;
}
