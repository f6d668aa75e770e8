// What the pipeline asks the source before streaming (docs/operations.md, precheck): binlog settings that
// row capture needs (the rules of src/plan/server-requirements.ts, as `dts precheck` applies
// them), the binlog files still on the server, and where "earliest" is.
import mysql from "mysql2/promise";
import type { ConnectionOptions } from "mysql2";
import type { Pipeline } from "../../generated/plan.js";
import { isOn, requiredVariableNames, startBlockers, type ServerSettings } from "../../plan/server-requirements.js";
import { compareBinlogFiles, sameBinlogSeries } from "../checkpoint/binlog-order.js";
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import { RuntimeError } from "../errors.js";
import { column, isMariaDbVersion, serverDialect } from "./server-dialect.js";
import { IDLE_TIMEOUT, SESSION_SQL_MODE } from "./session-mode.js";
import { statementDialect, type StatementDialect } from "./statement-dialect.js";

export interface BinlogFile {
  name: string;
  size: number;
}

export interface ServerFacts {
  version: string;
  isMariaDb: boolean;
  binlogs: BinlogFile[];
  /** @@server_id: tells the server a checkpoint was written on from another of its topology; null when not read. */
  serverId: number | null;
  /** How the server reads DDL text: its versioned comments, and its lower_case_table_names. */
  dialect: StatementDialect;
  /** host:port the connection reached, for messages; absent when not known. */
  address?: string;
  /** What the binlog holds, for a start by GTID (gtid-start-check.ts): MariaDB's @@gtid_binlog_state, MySQL's @@gtid_executed; null when not read. */
  binlogGtids: string | null;
  /** log_slave_updates (log_replica_updates): whether the transactions it replicates are logged; null when not read. */
  logsReplicated: boolean | null;
}

/** Read with the settings: what a start by GTID checks (gtid-start-check.ts). */
const gtidStartVariables = ["gtid_binlog_state", "gtid_executed", "log_slave_updates", "log_replica_updates"];

/** Global variables by lower-case name; a name this server flavour or version lacks is absent. */
export async function readGlobalVariables(conn: mysql.Connection, names: readonly string[]): Promise<Record<string, string>> {
  const [rows] = await conn.query("SHOW GLOBAL VARIABLES WHERE Variable_name IN (?)", [[...names]]);
  const variables: Record<string, string> = {};
  for (const row of rows as { Variable_name: string; Value: string | null }[]) variables[row.Variable_name.toLowerCase()] = row.Value ?? "";
  return variables;
}

/** The settings the server requirements look at, and the name case DDL is read with. */
export async function readServerSettings(conn: mysql.Connection, alsoRead: readonly string[] = []): Promise<ServerSettings> {
  const variables = await readGlobalVariables(conn, [...requiredVariableNames, "lower_case_table_names", ...alsoRead]);
  const version = variables.version ?? "";
  return { version, isMariaDb: isMariaDbVersion(version), variables };
}

/**
 * How long a control query may go unanswered. A server that took the login and then stalls (a
 * hung process, a network that drops packets without a reset) would otherwise hang a run or a
 * precheck for good; information_schema reads of large catalogs stay well within it.
 */
export const CONTROL_QUERY_TIMEOUT_MS = 120_000;

/** Gives every query of `conn` the timeout (mysql2 then fails it with PROTOCOL_SEQUENCE_TIMEOUT, a retriable error). */
export function withQueryTimeout(conn: mysql.Connection, timeout = CONTROL_QUERY_TIMEOUT_MS): mysql.Connection {
  const query = conn.query.bind(conn) as (sql: unknown, values?: unknown) => unknown;
  const timed = (sql: unknown, values?: unknown) => query(typeof sql === "string" ? { sql, timeout } : { timeout, ...(sql as object) }, values);
  return Object.assign(conn, { query: timed as unknown as mysql.Connection["query"] });
}

export async function connectControl(options: ConnectionOptions, address: string): Promise<mysql.Connection> {
  try {
    const conn = withQueryTimeout(await mysql.createConnection(options));
    await conn.query(`SET ${SESSION_SQL_MODE}, ${IDLE_TIMEOUT}`).catch((error: unknown) => {
      conn.destroy();
      throw error;
    });
    return conn;
  } catch (error) {
    const err = error as { code?: string; errno?: number; message?: string };
    const denied = err.errno === 1045;
    throw new RuntimeError("source-connect", `cannot connect to the source at ${address}: ${err.message ?? String(error)}`, {
      cause: error,
      retriable: !denied,
      hint: denied ? "check the user and password of the source block" : "check that the server is running and reachable from here",
    });
  }
}

/**
 * The start-up check: the server requirements the run cannot start without (the same rules
 * `dts precheck` reports), as one error that says what to set.
 */
export function checkStartRequirements(settings: ServerSettings, pipeline: Pipeline): void {
  const blockers = startBlockers(settings, pipeline);
  if (blockers.length === 0) return;
  throw new RuntimeError("source-settings", `the source is not set up for row-based change capture: ${blockers.map((b) => b.reason).join("; ")}`, {
    hint: `${blockers.map((b) => b.fix).join("; ")}; then start the pipeline again`,
  });
}

/** Checks the settings row capture depends on and lists the binlog files. */
export async function inspectServer(conn: mysql.Connection, pipeline: Pipeline): Promise<ServerFacts> {
  const settings = await readServerSettings(conn, gtidStartVariables);
  checkStartRequirements(settings, pipeline);
  const { version, isMariaDb } = settings;
  const serverId = Number.parseInt(settings.variables.server_id ?? "", 10);
  const dialect = serverDialect(version);
  let binlogs: BinlogFile[];
  try {
    const [rows] = await conn.query(dialect.listBinlogs);
    binlogs = binlogFiles(rows as Record<string, unknown>[]);
  } catch (error) {
    throw new RuntimeError("source-settings", `cannot list the source's binlog files: ${(error as Error).message}`, {
      cause: error,
      hint: `grant the user ${dialect.monitorPrivilege}: GRANT ${dialect.monitorPrivilege} ON *.* TO the pipeline's user`,
    });
  }
  return {
    version, isMariaDb, binlogs, serverId: Number.isInteger(serverId) ? serverId : null, dialect: statementDialect(version, settings.variables.lower_case_table_names),
    ...connectedAddress(conn), ...binlogGtidFacts(settings),
  };
}

function connectedAddress(conn: mysql.Connection): Pick<ServerFacts, "address"> {
  const config = (conn as { config?: { host?: string; port?: number } }).config;
  return config?.host ? { address: `${config.host}:${config.port ?? 3306}` } : {};
}

function binlogGtidFacts({ isMariaDb, variables }: ServerSettings): Pick<ServerFacts, "binlogGtids" | "logsReplicated"> {
  const logs = variables.log_replica_updates ?? variables.log_slave_updates;
  return { binlogGtids: (isMariaDb ? variables.gtid_binlog_state : variables.gtid_executed) ?? null, logsReplicated: logs === undefined ? null : isOn(logs) };
}

/** The answer to SHOW BINARY LOGS (Log_name, File_size; MySQL 8 adds Encrypted). */
export function binlogFiles(rows: readonly Record<string, unknown>[]): BinlogFile[] {
  return rows.map((r) => ({ name: String(column(r, "Log_name")), size: Number(column(r, "File_size")) }));
}

/** A checkpoint whose binlog file the server no longer has is a hard stop, never a silent skip. */
export function checkPositionAvailable(position: BinlogResumePosition, binlogs: BinlogFile[]): void {
  if (position.file === "") return;
  if (binlogs.some((b) => b.name === position.file)) return;
  const oldest = binlogs[0]?.name ?? "(none)";
  const purged = binlogs.length === 0 || (sameBinlogSeries(position.file, oldest) && compareBinlogFiles(position.file, oldest) < 0);
  throw new RuntimeError(
    "binlog-purged",
    purged
      ? `the checkpoint points at binlog ${position.file}:${position.offset}, older than the oldest binlog the source still has (${oldest}); changes in between are gone`
      : `the checkpoint points at binlog ${position.file}:${position.offset}, which the source does not have (its binlogs are ${oldest} … ${binlogs[binlogs.length - 1]?.name}); was the server reset or replaced?`,
  );
}
