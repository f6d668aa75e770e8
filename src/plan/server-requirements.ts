// What a source server must offer for a pipeline to capture its changes (docs/operations.md, precheck), as
// rules over facts read from the server. `dts precheck` reports every rule; `dts run` refuses to
// start on the rules marked `atStart` that fail. Both run these same functions, so a precheck
// that passes means the run's start-up check passes too.
import type { Pipeline } from "../generated/plan.js";

/** What the rules look at; read once from the server. */
export interface ServerSettings {
  /** `@@version` as the server reports it. */
  version: string;
  isMariaDb: boolean;
  /** Global variables by lower-case name; a variable the server does not know is absent. */
  variables: Record<string, string>;
}

/** The global variables the rules read; readers ask the server for at least these. */
export const requiredVariableNames = [
  "version", "log_bin", "binlog_format", "binlog_row_image", "binlog_row_metadata", "binlog_row_value_options",
  "binlog_transaction_compression", "gtid_mode", "gtid_strict_mode", "gtid_binlog_pos", "server_id",
] as const;

export type RequirementId = "source-version" | "binlog-enabled" | "binlog-format" | "binlog-row-image" | "binlog-row-metadata" | "binlog-transaction-compression" | "gtid-mode";

export interface RequirementResult {
  id: RequirementId;
  status: "pass" | "warn" | "fail";
  /** What was found. */
  reason: string;
  /** What to do about a warn or fail; null on pass. */
  fix: string | null;
}

export interface ServerRequirement {
  id: RequirementId;
  /** The run refuses to start when this rule fails (the others fail later, or only degrade). */
  atStart: boolean;
  check(settings: ServerSettings, pipeline: Pipeline): RequirementResult;
}

const setInConfig = "set it in the [mysqld] section of my.cnf (or with SET PERSIST on MySQL 8) and restart the server";

const pass = (id: RequirementId, reason: string): RequirementResult => ({ id, status: "pass", reason, fix: null });
const warn = (id: RequirementId, reason: string, fix: string): RequirementResult => ({ id, status: "warn", reason, fix });
const fail = (id: RequirementId, reason: string, fix: string): RequirementResult => ({ id, status: "fail", reason, fix });

/** ON as SHOW VARIABLES prints it, or 1 as SELECT @@GLOBAL returns it. */
export function isOn(value: string | undefined): boolean {
  return value !== undefined && (value === "1" || value.toUpperCase() === "ON");
}

export function parseVersion(version: string): { major: number; minor: number } | null {
  const m = /^(\d+)\.(\d+)/.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

export function checkVersion(s: ServerSettings): RequirementResult {
  const v = parseVersion(s.version);
  const flavour = s.isMariaDb ? "MariaDB" : "MySQL";
  const supported = s.isMariaDb ? "MariaDB 10.x–11.x" : "MySQL 5.6–8.x";
  if (!v) return warn("source-version", `the server reports version "${s.version}", which cannot be parsed`, `use ${supported}`);
  const text = `${flavour} ${s.version}`;
  const ok = s.isMariaDb ? v.major === 10 || v.major === 11 : (v.major === 5 && v.minor >= 6) || v.major === 8;
  if (ok) return pass("source-version", `${text} is supported`);
  const newer = s.isMariaDb ? v.major > 11 : v.major > 8;
  if (newer) return warn("source-version", `${text} is newer than the versions dts-kafka is tested with (${supported})`, "test the pipeline on a staging server first, or use a tested version");
  return fail("source-version", `${text} is too old; supported are ${supported}`, `upgrade the server to ${supported}`);
}

export function checkBinlogEnabled(s: ServerSettings): RequirementResult {
  if (isOn(s.variables.log_bin)) return pass("binlog-enabled", "log_bin is ON");
  return fail("binlog-enabled", "binary logging is off (log_bin = OFF), so there are no changes to read", `add log_bin = mysql-bin and a server_id; ${setInConfig}`);
}

export function checkBinlogFormat(s: ServerSettings): RequirementResult {
  const format = s.variables.binlog_format?.toUpperCase() ?? "unknown";
  if (format === "ROW") return pass("binlog-format", "binlog_format is ROW");
  return fail("binlog-format", `binlog_format is ${format}; only ROW events carry the changed rows`, "SET GLOBAL binlog_format = 'ROW' (sessions already open keep the old format) and add binlog_format = ROW to my.cnf");
}

export function checkRowImage(s: ServerSettings): RequirementResult {
  const image = s.variables.binlog_row_image?.toUpperCase();
  if (image === undefined) return pass("binlog-row-image", "the server always logs full row images (no binlog_row_image setting)");
  if (image === "FULL") return pass("binlog-row-image", "binlog_row_image is FULL");
  return fail(
    "binlog-row-image",
    `binlog_row_image is ${image}; rows would lack columns (${image === "NOBLOB" ? "updates and deletes lack the BLOB and TEXT columns they did not change" : "updates and deletes lack the columns they did not change, inserts the ones left at their default"}; DTS stops with DTS-1051007 on such events)`,
    "SET GLOBAL binlog_row_image = 'FULL' and add binlog_row_image = FULL to my.cnf",
  );
}

export function checkRowMetadata(s: ServerSettings): RequirementResult {
  // MySQL 8.0.3+ only; MariaDB has no such variable, so absent passes.
  const valueOptions = s.variables.binlog_row_value_options ?? "";
  if (!s.isMariaDb && /PARTIAL_JSON/i.test(valueOptions)) {
    return fail(
      "binlog-row-metadata",
      "binlog_row_value_options is PARTIAL_JSON: updates of JSON columns are logged as patches, so their after images lack the new JSON value and the change would be delivered incomplete without an error",
      "SET PERSIST binlog_row_value_options = '' (or remove PARTIAL_JSON from my.cnf and restart); sessions already open keep the old setting",
    );
  }
  const metadata = s.variables.binlog_row_metadata?.toUpperCase();
  if (metadata === "FULL") return pass("binlog-row-metadata", "binlog_row_metadata is FULL: row events describe their own columns");
  const why =
    "rows are decoded with the table's current definition: rows of a table dropped, or altered to another column count, while they are still in the backlog stop the pipeline, and rows logged before an ALTER TABLE that changed column types may be labelled with the new types";
  if (metadata === undefined) return warn("binlog-row-metadata", `this server has no binlog_row_metadata (MySQL 8.0.1+ and MariaDB 10.5+ have it); ${why}`, "upgrade the server, or avoid ALTER TABLE while the pipeline has a backlog");
  return warn("binlog-row-metadata", `binlog_row_metadata is ${metadata}; ${why}`, "SET GLOBAL binlog_row_metadata = 'FULL' and add binlog_row_metadata = FULL to my.cnf");
}

/** MySQL 8.0.20+ can log whole transactions zstd-compressed, as events the binlog reader cannot decode. */
export function checkTransactionCompression(s: ServerSettings): RequirementResult {
  const value = s.variables.binlog_transaction_compression;
  if (s.isMariaDb || value === undefined) return pass("binlog-transaction-compression", "the server does not compress binlog transactions");
  if (!isOn(value)) return pass("binlog-transaction-compression", "binlog_transaction_compression is OFF");
  return fail(
    "binlog-transaction-compression",
    "binlog_transaction_compression is ON: transactions are logged as compressed payload events, which dts-kafka cannot read",
    "SET GLOBAL binlog_transaction_compression = OFF and add binlog_transaction_compression = OFF to my.cnf",
  );
}

export function checkGtid(s: ServerSettings, pipeline: Pipeline): RequirementResult {
  const startsFromGtid = pipeline.source.startFrom.kind === "gtid";
  if (s.isMariaDb) {
    const position = s.variables.gtid_binlog_pos ?? "";
    const where = position ? `gtid_binlog_pos is ${position}` : "no GTID has been logged yet";
    if (!isOn(s.variables.gtid_strict_mode)) {
      return warn("gtid-mode", `${where}; gtid_strict_mode is OFF, so out-of-order GTIDs are accepted and a GTID position may be ambiguous`, "SET GLOBAL gtid_strict_mode = ON and add gtid_strict_mode = ON to my.cnf");
    }
    return pass("gtid-mode", `${where}; gtid_strict_mode is ON`);
  }
  const mode = s.variables.gtid_mode?.toUpperCase() ?? "OFF";
  if (mode === "ON") return pass("gtid-mode", "gtid_mode is ON");
  if (startsFromGtid) return fail("gtid-mode", `the spec starts from a GTID set but gtid_mode is ${mode}`, "enable GTIDs (gtid_mode = ON, enforce_gtid_consistency = ON), or start from a binlog position");
  return warn("gtid-mode", `gtid_mode is ${mode}; checkpoints hold binlog file positions only, which do not survive a failover to a replica`, "enable GTIDs: enforce_gtid_consistency = ON, then gtid_mode = ON (step through OFF_PERMISSIVE and ON_PERMISSIVE)");
}

/** Every rule, in the order the precheck reports them. */
export const serverRequirements: readonly ServerRequirement[] = [
  { id: "source-version", atStart: false, check: checkVersion },
  { id: "binlog-enabled", atStart: true, check: checkBinlogEnabled },
  { id: "binlog-format", atStart: true, check: checkBinlogFormat },
  { id: "binlog-row-image", atStart: true, check: checkRowImage },
  { id: "binlog-row-metadata", atStart: true, check: checkRowMetadata },
  { id: "binlog-transaction-compression", atStart: true, check: checkTransactionCompression },
  { id: "gtid-mode", atStart: false, check: checkGtid },
];

/** The results of every rule, for the precheck. */
export function checkServerRequirements(settings: ServerSettings, pipeline: Pipeline): RequirementResult[] {
  return serverRequirements.map((r) => r.check(settings, pipeline));
}

/** The failures that stop a run at start-up; empty when it may start. */
export function startBlockers(settings: ServerSettings, pipeline: Pipeline): RequirementResult[] {
  return serverRequirements.filter((r) => r.atStart).map((r) => r.check(settings, pipeline)).filter((r) => r.status === "fail");
}
