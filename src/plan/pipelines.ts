// Picking pipelines of a plan by name, decided in one place: every command (`--pipeline`), the
// runtime's run() and the precheck accept the same names and say the same thing about a wrong
// one, with the closest name as "did you mean".
import type { ExecutionPlan } from "../generated/plan.js";
import { didYouMean } from "./did-you-mean.js";

export type PipelineSelection = { ok: true; indexes: number[] } | { ok: false; message: string };

export interface SelectOptions {
  /** Where the pipelines came from, as the message names it: "the specs", "plan.json". */
  from?: string;
  /** Exactly one pipeline is wanted: without a name the plan must hold only one. */
  single?: boolean;
}

/**
 * The indexes of the pipeline named `name`, or of every pipeline when `name` is null; a
 * message saying what is wrong when the plan has no pipelines or none of that name.
 */
export function selectPipelines(plan: ExecutionPlan, name: string | null, options: SelectOptions = {}): PipelineSelection {
  const from = options.from ?? "the specs";
  const declare = from === "the specs" ? "declare" : "declares";
  const names = plan.pipelines.map((p) => p.name);
  if (names.length === 0) return { ok: false, message: `${from} ${declare} no pipelines; add a pipeline "name" { ... } block` };
  if (name === null) {
    if (options.single && names.length > 1) return { ok: false, message: `${from} ${declare} several pipelines (${names.join(", ")}); choose one with --pipeline` };
    return { ok: true, indexes: names.map((_, i) => i) };
  }
  const indexes = names.flatMap((n, i) => (n === name ? [i] : []));
  if (indexes.length > 0) return { ok: true, indexes };
  const suggestion = didYouMean(name, names);
  return { ok: false, message: `no pipeline named "${name}"; ${from} ${declare}: ${names.join(", ")}${suggestion ? ` (${suggestion})` : ""}` };
}
