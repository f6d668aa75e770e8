// Prechecks on the source server's version and binlog settings (docs/operations.md, precheck), each a pure
// function of the facts read from the server. The settings a run needs are the rules of
// src/plan/server-requirements.ts, which the run's start-up check applies too.
import type { Pipeline } from "../generated/plan.js";
import * as requirements from "../plan/server-requirements.js";
import type { RequirementResult } from "../plan/server-requirements.js";
import { offsetText, zoneClock } from "../runtime/encode/time-zone.js";
import { checkResult, fail, pass, warn, type CheckResult } from "./check-result.js";
import type { SourceFacts } from "./source-facts.js";

/** A rule of src/plan/server-requirements.ts as a precheck item. */
export function requirementCheck(result: RequirementResult): CheckResult {
  return checkResult(result.id, result.status, result.reason, result.fix);
}

export const checkVersion = (facts: SourceFacts): CheckResult => requirementCheck(requirements.checkVersion(facts));
export const checkBinlogEnabled = (facts: SourceFacts): CheckResult => requirementCheck(requirements.checkBinlogEnabled(facts));
export const checkBinlogFormat = (facts: SourceFacts): CheckResult => requirementCheck(requirements.checkBinlogFormat(facts));
export const checkRowImage = (facts: SourceFacts): CheckResult => requirementCheck(requirements.checkRowImage(facts));
export const checkRowMetadata = (facts: SourceFacts): CheckResult => requirementCheck(requirements.checkRowMetadata(facts));
export const checkGtid = (facts: SourceFacts, pipeline: Pipeline): CheckResult => requirementCheck(requirements.checkGtid(facts, pipeline));

/** Every server requirement, in the order of `checkIds`. */
export function checkServerSettings(facts: SourceFacts, pipeline: Pipeline): CheckResult[] {
  return requirements.checkServerRequirements(facts, pipeline).map(requirementCheck);
}

/** Seconds the server keeps binlogs, or null when it never purges them on its own. */
export function binlogRetentionSeconds(variables: Record<string, string>): number | null {
  const seconds = Number(variables.binlog_expire_logs_seconds ?? "0");
  if (seconds > 0) return seconds;
  const days = Number(variables.expire_logs_days ?? "0");
  if (days > 0) return Math.round(days * 86400);
  return null;
}

function duration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function checkRetention(facts: SourceFacts, pipeline: Pipeline): CheckResult {
  const retention = binlogRetentionSeconds(facts.variables);
  const window = pipeline.retryWindowSeconds;
  if (retention === null) return pass("binlog-retention", "binlogs are never purged automatically (watch the disk)");
  if (retention >= window) return pass("binlog-retention", `binlogs are kept ${duration(retention)}; the retry window is ${duration(window)}`);
  return warn(
    "binlog-retention",
    `binlogs are kept only ${duration(retention)} but the retry window is ${duration(window)}: after a long outage the changes to resume from may be purged`,
    `keep binlogs at least as long as the retry window (binlog_expire_logs_seconds = ${window}), or shorten retry_window`,
  );
}


export function checkTimezone(facts: SourceFacts, pipeline: Pipeline): CheckResult {
  const serverZone = facts.variables.time_zone ?? "SYSTEM";
  const described = serverZone.toUpperCase() === "SYSTEM" ? `SYSTEM (${facts.variables.system_time_zone ?? "unknown"})` : serverZone;
  if (facts.utcOffsetSeconds === null) return warn("timezone", `the server's time zone is ${described}, but its UTC offset cannot be read`, "check the server's time_zone");
  const server = `the server's time zone is ${described}, UTC${offsetText(facts.utcOffsetSeconds)} now`;
  const declared = pipeline.source.timezone;
  // SYSTEM makes the runtime take the server's zone at the start of each session (server-time-zone.ts).
  if (declared.toUpperCase() === "SYSTEM") return pass("timezone", `${server}; the spec says SYSTEM, so the runtime follows the server's zone, daylight saving time included`);
  let expected: number;
  try {
    expected = zoneClock(declared).offsetAt(Date.now() / 1000);
  } catch (error) {
    return fail("timezone", error instanceof Error ? error.message : String(error), `set timezone = "${offsetText(facts.utcOffsetSeconds)}" in the source block`);
  }
  if (expected === facts.utcOffsetSeconds) return pass("timezone", `${server}; the spec says ${declared}`);
  return warn(
    "timezone",
    `${server}, but the spec says ${declared} (UTC${offsetText(expected)}): TIMESTAMP values and time filters would be shifted`,
    `set timezone = "SYSTEM" (the server's zone, daylight saving time included) or ${serverZone.toUpperCase() === "SYSTEM" ? "the server's IANA zone name" : `"${serverZone}"`} in the source block, or change the server's time_zone`,
  );
}
