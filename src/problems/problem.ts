// The one shape every phase reports a problem in: the compiler's diagnostics, the precheck's
// items and the runtime's errors each map to it, so a user reads the same parts everywhere: a
// code to look up (`dts explain`, docs/errors.md), what went wrong, what to do, and where in
// the spec when the cause is there.

export type Severity = "error" | "warning";

/** A place in a spec, 1-based, as the compiler's spans and the plan's `origin` give it. */
export interface SpecLocation {
  file: string;
  line: number;
  column: number;
}

export interface Problem {
  /** `DTS2004`: stable, listed in the catalog. */
  code: string;
  severity: Severity;
  /** What went wrong in this case, with its names and values. */
  summary: string;
  /** What to do; the catalog's standard fix unless the case has a more specific one. */
  fix: string | null;
  /** Where in the spec the cause is; null when it is not in the spec (a server, a network). */
  location: SpecLocation | null;
}

/** `spec.dts:5:14`, the form editors and terminals turn into a link. */
export function formatLocation(location: SpecLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}
