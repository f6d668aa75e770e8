// Prechecks on the source server's version and binlog settings (FORMATS.md §d.1), each a pure
// function of the facts read from the server.
import type { Pipeline } from "../../generated/plan.js";
import { zoneClock } from "../encode/time-zone.js";
import { fail, pass, warn, type CheckResult } from "./check-result.js";
import type { SourceFacts } from "./source-facts.js";

const setInConfig = "set it in the [mysqld] section of my.cnf (or with SET PERSIST on MySQL 8) and restart the server";

function isOn(value: string | undefined): boolean {
  return value !== undefined && (value === "1" || value.toUpperCase() === "ON");
}

export function parseVersion(version: string): { major: number; minor: number } | null {
  const m = /^(\d+)\.(\d+)/.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

export function checkVersion(facts: SourceFacts): CheckResult {
  const v = parseVersion(facts.version);
  const flavour = facts.isMariaDb ? "MariaDB" : "MySQL";
  const supported = facts.isMariaDb ? "MariaDB 10.x–11.x" : "MySQL 5.6–8.x";
  if (!v) return warn("source-version", `the server reports version "${facts.version}", which cannot be parsed`, `use ${supported}`);
  const text = `${flavour} ${facts.version}`;
  const ok = facts.isMariaDb ? v.major === 10 || v.major === 11 : (v.major === 5 && v.minor >= 6) || v.major === 8;
  if (ok) return pass("source-version", `${text} is supported`);
  const newer = facts.isMariaDb ? v.major > 11 : v.major > 8;
  if (newer) return warn("source-version", `${text} is newer than the versions dts-kafka is tested with (${supported})`, "test the pipeline on a staging server first, or use a tested version");
  return fail("source-version", `${text} is too old; supported are ${supported}`, `upgrade the server to ${supported}`);
}

export function checkBinlogEnabled(facts: SourceFacts): CheckResult {
  if (isOn(facts.variables.log_bin)) return pass("binlog-enabled", "log_bin is ON");
  return fail("binlog-enabled", "binary logging is off (log_bin = OFF), so there are no changes to read", `add log_bin = mysql-bin and a server_id; ${setInConfig}`);
}

export function checkBinlogFormat(facts: SourceFacts): CheckResult {
  const format = facts.variables.binlog_format?.toUpperCase() ?? "unknown";
  if (format === "ROW") return pass("binlog-format", "binlog_format is ROW");
  return fail(
    "binlog-format",
    `binlog_format is ${format}; only ROW events carry the changed rows`,
    `SET GLOBAL binlog_format = 'ROW' (sessions already open keep the old format) and add binlog_format = ROW to my.cnf`,
  );
}

export function checkRowImage(facts: SourceFacts): CheckResult {
  const image = facts.variables.binlog_row_image?.toUpperCase();
  if (image === undefined) return pass("binlog-row-image", "the server always logs full row images (no binlog_row_image setting)");
  if (image === "FULL") return pass("binlog-row-image", "binlog_row_image is FULL");
  return fail(
    "binlog-row-image",
    `binlog_row_image is ${image}; updates and deletes would lack the columns they did not change (DTS stops with DTS-1051007 on such events)`,
    `SET GLOBAL binlog_row_image = 'FULL' and add binlog_row_image = FULL to my.cnf`,
  );
}

export function checkRowMetadata(facts: SourceFacts): CheckResult {
  const valueOptions = facts.variables.binlog_row_value_options ?? "";
  if (!facts.isMariaDb && /PARTIAL_JSON/i.test(valueOptions)) {
    return fail("binlog-row-metadata", "binlog_row_value_options is PARTIAL_JSON: JSON updates are logged as patches, not values", "SET GLOBAL binlog_row_value_options = '' and remove PARTIAL_JSON from my.cnf");
  }
  const metadata = facts.variables.binlog_row_metadata?.toUpperCase();
  if (metadata === "FULL") return pass("binlog-row-metadata", "binlog_row_metadata is FULL: row events describe their own columns");
  const why =
    "rows are decoded with the table's current definition: rows of a table dropped, or altered to another column count, while they are still in the backlog stop the pipeline, and rows logged before an ALTER TABLE that changed column types may be labelled with the new types";
  if (metadata === undefined) return warn("binlog-row-metadata", `this server has no binlog_row_metadata (MySQL 8.0.1+ and MariaDB 10.5+ have it); ${why}`, "upgrade the server, or avoid ALTER TABLE while the pipeline has a backlog");
  return warn("binlog-row-metadata", `binlog_row_metadata is ${metadata}; ${why}`, "SET GLOBAL binlog_row_metadata = 'FULL' and add binlog_row_metadata = FULL to my.cnf");
}

export function checkGtid(facts: SourceFacts, pipeline: Pipeline): CheckResult {
  const startsFromGtid = pipeline.source.startFrom.kind === "gtid";
  if (facts.isMariaDb) {
    const position = facts.variables.gtid_binlog_pos ?? "";
    const where = position ? `gtid_binlog_pos is ${position}` : "no GTID has been logged yet";
    if (!isOn(facts.variables.gtid_strict_mode)) {
      return warn("gtid-mode", `${where}; gtid_strict_mode is OFF, so out-of-order GTIDs are accepted and a GTID position may be ambiguous`, "SET GLOBAL gtid_strict_mode = ON and add gtid_strict_mode = ON to my.cnf");
    }
    return pass("gtid-mode", `${where}; gtid_strict_mode is ON`);
  }
  const mode = facts.variables.gtid_mode?.toUpperCase() ?? "OFF";
  if (mode === "ON") return pass("gtid-mode", "gtid_mode is ON");
  if (startsFromGtid) return fail("gtid-mode", `the spec starts from a GTID set but gtid_mode is ${mode}`, "enable GTIDs (gtid_mode = ON, enforce_gtid_consistency = ON), or start from a binlog position");
  return warn("gtid-mode", `gtid_mode is ${mode}; checkpoints hold binlog file positions only, which do not survive a failover to a replica`, "enable GTIDs: enforce_gtid_consistency = ON, then gtid_mode = ON (step through OFF_PERMISSIVE and ON_PERMISSIVE)");
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

function offsetText(seconds: number): string {
  const sign = seconds < 0 ? "-" : "+";
  const abs = Math.abs(seconds);
  return `${sign}${String(Math.floor(abs / 3600)).padStart(2, "0")}:${String(Math.floor((abs % 3600) / 60)).padStart(2, "0")}`;
}

export function checkTimezone(facts: SourceFacts, pipeline: Pipeline): CheckResult {
  const serverZone = facts.variables.time_zone ?? "SYSTEM";
  const described = serverZone.toUpperCase() === "SYSTEM" ? `SYSTEM (${facts.variables.system_time_zone ?? "unknown"})` : serverZone;
  if (facts.utcOffsetSeconds === null) return warn("timezone", `the server's time zone is ${described}, but its UTC offset cannot be read`, "check the server's time_zone");
  const server = `the server's time zone is ${described}, UTC${offsetText(facts.utcOffsetSeconds)} now`;
  const declared = pipeline.source.timezone;
  // SYSTEM makes the runtime ask the server for its offset at the start of each session.
  if (declared.toUpperCase() === "SYSTEM") return pass("timezone", `${server}; the spec says SYSTEM, so the server's offset is used`);
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
    `set timezone = "${offsetText(facts.utcOffsetSeconds)}" (or SYSTEM) in the source block, or change the server's time_zone`,
  );
}
