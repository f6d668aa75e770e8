// The shape every precheck item reports, and small builders so checks read as sentences.

export type CheckStatus = "pass" | "warn" | "fail";

/** Stable identifiers; `dts run --skip-precheck ID,ID` names these. */
export const checkIds = [
  "source-connection",
  "source-version",
  "binlog-enabled",
  "binlog-format",
  "binlog-row-image",
  "binlog-row-metadata",
  "binlog-transaction-compression",
  "server-id",
  "gtid-mode",
  "privileges",
  "tables-exist",
  "table-keys",
  "table-engines",
  "binlog-retention",
  "timezone",
  "kafka-brokers",
  "kafka-auth",
  "topics",
  "partition-count",
] as const;

export type CheckId = (typeof checkIds)[number];

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** What was found; never holds a secret. */
  reason: string;
  /** What to do about a warn or fail; null on pass. */
  fix: string | null;
}

export const checkTitles: Record<CheckId, string> = {
  "source-connection": "Connect to the source",
  "source-version": "Source server version",
  "binlog-enabled": "Binary logging enabled (log_bin)",
  "binlog-format": "binlog_format = ROW",
  "binlog-row-image": "binlog_row_image = FULL",
  "binlog-row-metadata": "Column metadata in the binlog",
  "binlog-transaction-compression": "binlog_transaction_compression = OFF",
  "server-id": "Server ids",
  "gtid-mode": "GTID",
  privileges: "Source account privileges",
  "tables-exist": "Selected tables exist",
  "table-keys": "Tables have a primary or unique key",
  "table-engines": "Storage engines supported",
  "binlog-retention": "Binlog retention covers the retry window",
  timezone: "Time zone matches the spec",
  "kafka-brokers": "Connect to every Kafka broker",
  "kafka-auth": "Kafka authentication (SASL/TLS)",
  topics: "Topics exist with enough partitions",
  "partition-count": "Partition counts unchanged since the checkpoint",
};

export function pass(id: CheckId, reason: string): CheckResult {
  return { id, title: checkTitles[id], status: "pass", reason, fix: null };
}

export function warn(id: CheckId, reason: string, fix: string): CheckResult {
  return { id, title: checkTitles[id], status: "warn", reason, fix };
}

export function fail(id: CheckId, reason: string, fix: string): CheckResult {
  return { id, title: checkTitles[id], status: "fail", reason, fix };
}

/** A check that could not run because something it depends on failed first. */
export function notChecked(id: CheckId, because: string): CheckResult {
  return warn(id, `not checked: ${because}`, "fix the failing check above and run the precheck again");
}

/** Lists a few names and how many more, so one bad schema does not flood the report. */
export function someOf(names: readonly string[], limit = 5): string {
  if (names.length <= limit) return names.join(", ");
  return `${names.slice(0, limit).join(", ")} and ${names.length - limit} more`;
}
