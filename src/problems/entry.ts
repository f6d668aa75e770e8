// One catalog entry: what a code means in general and its standard fix. Call sites add the
// specifics (names, values, positions) and a more specific fix when they have one.
import type { Severity } from "./problem.js";

export type Phase = "syntax" | "meaning" | "plan" | "precheck" | "runtime";

export interface CatalogEntry {
  code: string;
  phase: Phase;
  /** The severity when nothing overrides it (`--strict`, a precheck item that only warns). */
  severity: Severity;
  /** What the code means, in one line. */
  title: string;
  /** The fix that holds for every case of this code; null when each case needs its own. */
  fix: string | null;
}

/** Builds a phase's entries from `[number, title, fix?, severity?]` rows, keyed by the phase's own names. */
export function entries<K extends string>(phase: Phase, rows: Record<K, readonly [number, string, (string | null)?, Severity?]>): Record<K, CatalogEntry> {
  const out = {} as Record<K, CatalogEntry>;
  for (const key of Object.keys(rows) as K[]) {
    const [number, title, fix = null, severity = "error"] = rows[key];
    out[key] = { code: `DTS${number}`, phase, severity, title, fix };
  }
  return out;
}
