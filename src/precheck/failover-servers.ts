// The failover servers' own binlog settings. A pipeline moves to one only when the server it
// streams from fails, so a setting it cannot stream from would otherwise be found at that
// moment, with the primary already gone.
import type mysql from "mysql2/promise";
import type { Pipeline } from "../generated/plan.js";
import { checkServerRequirements, isOn, type ServerSettings } from "../plan/server-requirements.js";
import { readServerSettings } from "../runtime/source/server-checks.js";

export interface AnsweringServer {
  address: string;
  conn: mysql.Connection;
}

export interface FailoverProblem {
  address: string;
  reason: string;
  fix: string;
}

/**
 * Whether the server replicates now: MariaDB counts its running replication threads in a status
 * variable anyone may read; MySQL shows them in performance_schema. Null when it cannot be told.
 */
async function replicating(conn: mysql.Connection, isMariaDb: boolean): Promise<boolean | null> {
  const sql = isMariaDb
    ? "SELECT VARIABLE_VALUE AS n FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'SLAVES_RUNNING'"
    : "SELECT COUNT(*) AS n FROM performance_schema.replication_connection_status WHERE SERVICE_STATE = 'ON'";
  try {
    const [rows] = await conn.query(sql);
    const n = (rows as { n: unknown }[])[0]?.n;
    return n === undefined ? null : Number(n) > 0;
  } catch {
    return null;
  }
}

/**
 * A replica writes what it replicates to its own binlog only with log_slave_updates ON; without
 * it, a pipeline that fails over finds none of the primary's transactions there. (A primary
 * listed for failing back logs its own transactions either way.)
 */
async function replicatedLogging(conn: mysql.Connection, settings: ServerSettings): Promise<{ reason: string; fix: string } | null> {
  const value = settings.variables.log_replica_updates ?? settings.variables.log_slave_updates;
  if (value === undefined || isOn(value)) return null;
  if ((await replicating(conn, settings.isMariaDb)) !== true) return null;
  const name = settings.variables.log_replica_updates === undefined ? "log_slave_updates" : "log_replica_updates";
  return {
    reason: `${name} is OFF on this replica: it does not write what it replicates to its binlog, so after a failover the pipeline would find its checkpoint's transactions missing there`,
    fix: `set ${name} = ON in its my.cnf and restart it`,
  };
}

/** What keeps each answering failover server from serving the pipeline; empty when nothing does. */
export async function failoverProblems(servers: readonly AnsweringServer[], pipeline: Pipeline): Promise<FailoverProblem[]> {
  const problems: FailoverProblem[] = [];
  for (const { address, conn } of servers) {
    let settings: ServerSettings;
    try {
      settings = await readServerSettings(conn, ["log_slave_updates", "log_replica_updates"]);
    } catch (error) {
      problems.push({ address, reason: `its settings cannot be read: ${error instanceof Error ? error.message : String(error)}`, fix: "grant the pipeline's user the same privileges on every server of the source" });
      continue;
    }
    for (const result of checkServerRequirements(settings, pipeline)) {
      // The primary's own warnings are reported for it; of a failover server's, only GTIDs decide a failover.
      const matters = result.status === "fail" || (result.status === "warn" && result.id === "gtid-mode");
      if (matters) problems.push({ address, reason: result.reason, fix: result.fix ?? "" });
    }
    const logging = await replicatedLogging(conn, settings);
    if (logging) problems.push({ address, ...logging });
  }
  return problems;
}
