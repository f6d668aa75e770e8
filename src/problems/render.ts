// A problem as a terminal shows it, the way compiler diagnostics have always looked:
// `spec.dts:5:14: error DTS5002: summary` (or `dts run: error DTS5002: summary` when the cause
// is not in the spec), then `  hint: fix`. Every phase labels the fix `hint:`, as the
// compiler's baselines do.
import type { CatalogEntry } from "./entry.js";
import { formatLocation, type Problem } from "./problem.js";

/** The first line; `prefix` (e.g. `dts run: `) leads it only when there is no spec location. */
function problemLine(problem: Problem, prefix = ""): string {
  const head = `${problem.severity} ${problem.code}: ${problem.summary}`;
  return problem.location ? `${formatLocation(problem.location)}: ${head}` : `${prefix}${head}`;
}

export function renderProblem(problem: Problem, prefix = ""): string {
  return problem.fix ? `${problemLine(problem, prefix)}\n  hint: ${problem.fix}` : problemLine(problem, prefix);
}

/** A catalog entry as `dts explain` prints it. */
export function renderEntry(entry: CatalogEntry): string {
  return [
    `${entry.code}  ${entry.title}`,
    `  phase:    ${entry.phase}`,
    `  severity: ${entry.severity}`,
    `  fix:      ${entry.fix ?? "none in general: each message's hint says what to do in its case"}`,
  ].join("\n");
}
