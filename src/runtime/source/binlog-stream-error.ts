// Why a binlog stream that was open broke: a purged binlog and wrong server settings are fatal
// with a clear way out; connection trouble is retried within the pipeline's retry window.
import { RuntimeError } from "../errors.js";

/** Classifies stream errors: a purged binlog is fatal with a clear way out; connection trouble is retriable. */
export function wrapStreamError(error: unknown): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const err = error as { code?: string; errno?: number; message?: string };
  const message = err.message ?? String(error);
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
