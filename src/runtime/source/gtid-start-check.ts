// Before a stream opens by GTID: does this server's binlog hold the start position? MariaDB
// accepts a position in a domain its binlog has nothing of yet (a replica built from a dump, or
// one not logging what it replicates) and fails only when that domain turns up later, after the
// pipeline has shown itself streaming. Asked first, a replica behind is a retriable wait, and a
// server that will never have the transactions is refused with the reason.
import { RuntimeError } from "../errors.js";
import { mariadbGtidsMissing, mysqlGtidsMissing, type MissingGtid } from "./gtid-sets.js";

/** What the check reads of the server (server-checks.ts). */
export interface GtidStartServer {
  isMariaDb?: boolean;
  serverId: number | null;
  /** host:port, for messages; absent when not known. */
  address?: string;
  /** MariaDB's @@gtid_binlog_state, MySQL's @@gtid_executed; absent or null when not read. */
  binlogGtids?: string | null;
  /** log_slave_updates (log_replica_updates): whether transactions it replicates are logged. */
  logsReplicated?: boolean | null;
}

/**
 * Throws unless the server's binlog holds `gtidSet`. `readOn`: the server_id the checkpoint was
 * read on when this is another server. Returns whether it could tell (false: the facts lack the
 * server's GTIDs, and the stream opens unchecked).
 */
export function checkGtidStart(gtidSet: string, server: GtidStartServer, readOn: number | null): boolean {
  if (server.binlogGtids === undefined || server.binlogGtids === null) return false;
  const mariadb = server.isMariaDb !== false && !gtidSet.includes(":");
  const missing = mariadb ? mariadbGtidsMissing(gtidSet, server.binlogGtids) : mysqlGtidsMissing(gtidSet, server.binlogGtids);
  // MySQL counts in gtid_executed what a replica applied without logging it: on another
  // server the set says nothing about its binlog then.
  const unlogged = server.logsReplicated === false && (missing.length > 0 || (!mariadb && readOn !== null));
  if (unlogged) throw notLogging(gtidSet, server, readOn);
  if (missing.length > 0) throw notReached(missing, server, readOn);
  return true;
}

function serverName(server: GtidStartServer): string {
  const id = server.serverId === null ? "" : ` (server_id ${server.serverId})`;
  return `the source server${server.address ? ` ${server.address}` : ""}${id}`;
}

function readOnText(readOn: number | null): string {
  return readOn === null ? "" : ` (the checkpoint was read on the server with server_id ${readOn})`;
}

function notLogging(gtidSet: string, server: GtidStartServer, readOn: number | null): RuntimeError {
  return new RuntimeError("source-settings", `${serverName(server)} does not log the transactions it replicates (log_slave_updates = OFF), so its binlog does not hold GTID position "${gtidSet}", where this pipeline resumes${readOnText(readOn)}, and never will`, {
    hint: "set log_slave_updates = ON (log_replica_updates on MySQL 8) in the [mysqld] section of my.cnf and restart that server, as every server in host = [...] needs; or list the current primary first and dts reload",
  });
}

function notReached(missing: MissingGtid[], server: GtidStartServer, readOn: number | null): RuntimeError {
  const list = missing.map((m) => m.gtid).join(", ");
  if (missing.some((m) => m.passed)) {
    return new RuntimeError("binlog-purged", `the binlog of ${serverName(server)} went past GTID ${list}, where this pipeline resumes${readOnText(readOn)}, without logging it: the server follows another history (a former primary that left the topology, or a server rebuilt)`, {
      hint: "list the current primary first in host = [...] and dts reload; or start over with an initial sync (delete the pipeline's state folder)",
    });
  }
  return new RuntimeError("binlog-purged", `${serverName(server)} has not yet logged every transaction up to where this pipeline resumes${readOnText(readOn)}: its binlog lacks GTID ${list}; a replica behind, waited for within the retry window`, {
    retriable: true,
    hint: "wait until this replica has applied them (the pipeline retries within its retry window); if it does not replicate them, list the current primary first in host = [...] and dts reload",
  });
}
