// Why a binlog stream that was open broke: a purged binlog and wrong server settings are fatal
// with a clear way out; connection trouble is retried within the pipeline's retry window.
import { RuntimeError } from "../errors.js";

/** Classifies stream errors: a purged binlog is fatal with a clear way out; connection trouble is retriable. */
export function wrapStreamError(error: unknown): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const err = error as { code?: string; errno?: number; message?: string };
  const message = err.message ?? String(error);
  // The server drops the older of two binlog clients with one server_id: another run of this
  // pipeline (or a client given its id) took the stream over. Reconnecting would take it back
  // and ping-pong forever, each run resending what the other sent.
  if (/same server_uuid\/server_id|same server_id/i.test(message)) {
    return new RuntimeError("fenced", `another binlog client connected to the source with this pipeline's server_id, and the source dropped this one: ${message}`, {
      cause: error,
      hint: "run each pipeline once; if another tool uses the same server_id, give this pipeline its own (server_id in the source block)",
    });
  }
  // MariaDB: a GTID the server's binlog lacks was purged, or never reached this server: one
  // behind the server the checkpoint was read from, or one that left the topology.
  if (/which is not in the master's binlog|not in the master's binlog/i.test(message)) {
    return new RuntimeError("binlog-purged", `the source server does not have the GTID position this pipeline resumes from: its binlog was purged, or this server never had those transactions (a replica behind the server the checkpoint was read from, or a former primary that left the topology): ${message}`, {
      cause: error,
      hint: "with several servers in host = [...], list the current primary first and dts reload (or wait until this replica caught up); when the binlog was purged, start over with an initial sync (delete the state folder), or restore the binlog files",
    });
  }
  // The server found a binlog file with event checksums and no word from this client that it
  // reads them (binlog-checksum.ts sends it): something between them, such as a proxy that keeps
  // no session variables, lost it. MySQL 8.0.26 says "Replica … source" for "Slave … master".
  if (/can not handle replication events with the checksum/i.test(message)) {
    return new RuntimeError("source-connect", `the source would not send binlog events with checksums, as it did not learn that this client reads them (SET @master_binlog_checksum on the binlog connection): ${message}`, {
      cause: error,
      hint: "connect the source block to the database server itself, not through a proxy or load balancer that drops session variables",
    });
  }
  if (err.errno === 1236 || /could not find first log file|purged|1236/i.test(message)) {
    return new RuntimeError("binlog-purged", `the source no longer has the binlog this pipeline needs to resume from: ${message}`, {
      cause: error,
      hint: "start over with an initial sync (delete the state folder and set start_from, or run with initial sync), or restore the binlog files",
    });
  }
  if (/binlog_row_value_options|PARTIAL_JSON|binlog_transaction_compression/i.test(message)) {
    return new RuntimeError("source-settings", message, { cause: error, hint: "set binlog_row_value_options='' and binlog_transaction_compression=OFF on the source" });
  }
  if (err.errno === 1045 || err.code === "ER_ACCESS_DENIED_ERROR") {
    return new RuntimeError("source-connect", `the source rejected the login: ${message}`, { cause: error, hint: "check the user and password of the source block" });
  }
  return new RuntimeError("source-stream", `the binlog stream broke: ${message}`, { cause: error, retriable: true });
}
