// What one difference between two plans means, for consumers of the topics and for the running
// pipeline. A change points into the new spec, or into the base spec when the thing is gone.
import type { ExecutionPlan, SourceLocation } from "../generated/plan.js";

/** breaking: consumers see something else; caution: rows or the run change; safe: nothing a consumer sees. */
export type Severity = "breaking" | "caution" | "safe";

export const severities: readonly Severity[] = ["breaking", "caution", "safe"];

export interface PlanChange {
  pipeline: string;
  /** The table rule as `database.table` (patterns as /re/, a whole database as db.*); null for the pipeline. */
  table: string | null;
  /** What changed, in a few words: "topic changed", "column total dropped". */
  change: string;
  severity: Severity;
  /** Why it has this severity: what a consumer or the running pipeline will notice. */
  why: string;
  /** The value before and after as text; null when absent or when it must not be shown (secrets). */
  from: string | null;
  to: string | null;
  file: string | null;
  line: number | null;
  column: number | null;
  /** Which spec the location points into: the new one, or the base for something removed. */
  side: "new" | "base";
}

/** One side of the comparison: a compiled plan and what compile() said about it. */
export interface PlanSide {
  plan: ExecutionPlan;
  /** Where the spec wrote each value, by JSON pointer (compile().locations). */
  locations?: Record<string, SourceLocation>;
  /** compile().literalSecrets: compared for equality only, never shown. */
  literalSecrets?: Record<string, string>;
}

/** True when `changes` holds one at `threshold` or worse. */
export function reaches(changes: readonly PlanChange[], threshold: Severity): boolean {
  const limit = severities.indexOf(threshold);
  return changes.some((c) => severities.indexOf(c.severity) <= limit);
}

/** A change before it is located: `at` lists plan paths inside the pipeline, best first. */
export interface Draft {
  change: string;
  severity: Severity;
  why: string;
  from: string | null;
  to: string | null;
  at: string[];
  table?: string | null;
  /** "base" when the thing is gone and `at` points into the base plan. */
  side?: "new" | "base";
}
