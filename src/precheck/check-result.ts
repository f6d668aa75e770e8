// The shape every precheck item reports, and small builders so checks read as sentences. Ids,
// codes, titles and standard fixes come from the one catalog (src/problems).
import { precheckCodes, type PrecheckId, type SpecLocation } from "../problems/index.js";

/** "skip": not run because a check it depends on failed or could not run; it never fails the verdict by itself. */
export type CheckStatus = "pass" | "warn" | "fail" | "skip";

export type CheckId = PrecheckId;

/** Stable identifiers, in report order; `dts run --skip-precheck ID,ID` names these. */
export const checkIds = Object.keys(precheckCodes) as CheckId[];

export interface CheckResult {
  id: CheckId;
  /** The catalog's code of the check, e.g. DTS4004. */
  code: string;
  title: string;
  status: CheckStatus;
  /** What was found; never holds a secret. */
  reason: string;
  /** What to do about a warn or fail; null on pass and skip. */
  fix: string | null;
  /** Where in the spec the cause is, when it is there (the pipeline's own server_id, say). */
  location?: SpecLocation;
  /**
   * Set on a failure whose cause is a server that could not be reached (refused, timed out,
   * unknown host) rather than a setting: `dts run` waits such a failure out inside the retry window.
   */
  unreachable?: true;
}

/** A result with the check's code and title from the catalog. */
export function checkResult(id: CheckId, status: CheckStatus, reason: string, fix: string | null): CheckResult {
  return { id, code: precheckCodes[id].code, title: precheckCodes[id].title, status, reason, fix };
}

export function pass(id: CheckId, reason: string): CheckResult {
  return checkResult(id, "pass", reason, null);
}

/** A warning; without a fix of its own it shows the catalog's. */
export function warn(id: CheckId, reason: string, fix?: string): CheckResult {
  return checkResult(id, "warn", reason, fix ?? precheckCodes[id].fix);
}

/** A failure; without a fix of its own it shows the catalog's. */
export function fail(id: CheckId, reason: string, fix?: string): CheckResult {
  return checkResult(id, "fail", reason, fix ?? precheckCodes[id].fix);
}

/** A failure because the server could not be reached: a run retries it, a precheck fails on it. */
export function unreachable(id: CheckId, reason: string, fix?: string): CheckResult {
  return { ...fail(id, reason, fix), unreachable: true };
}

/** A check whose own facts could not be read (SHOW GRANTS refused, say): a warning, since nothing failed before it. */
export function notChecked(id: CheckId, because: string, fix?: string): CheckResult {
  return warn(id, `not checked: ${because}`, fix ?? "fix what stops the facts being read and run the precheck again");
}

/** A check that cannot run because one it depends on failed; the report shows these once per reason. */
export function skipped(id: CheckId, because: string): CheckResult {
  return checkResult(id, "skip", `not checked because ${because}`, null);
}

/** The result at `location` in the spec. */
export function at(location: SpecLocation | undefined, check: CheckResult): CheckResult {
  return location ? { ...check, location } : check;
}

/** Lists a few names and how many more, so one bad schema does not flood the report. */
export function someOf(names: readonly string[], limit = 5): string {
  if (names.length <= limit) return names.join(", ");
  return `${names.slice(0, limit).join(", ")} and ${names.length - limit} more`;
}
