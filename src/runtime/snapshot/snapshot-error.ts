// What a failure of the initial sync means for the pipeline: a lost connection or a busy server
// is retried within the retry window; a refused privilege or a failure in our own code is not,
// because retrying cannot change it and would only hide the reason until the window ran out.
import { describeError, isRetriable, RuntimeError } from "../errors.js";
import { serverErrno } from "../source/server-errors.js";

/** Server errors about rights: GRANT fixes them, a retry does not. */
const privilegeErrors = new Set([1044, 1045, 1142, 1143, 1227, 1370]);

export function snapshotFailure(error: unknown): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const errno = serverErrno(error);
  const message = `the initial sync failed: ${describeError(error)}`;
  if (errno !== null && privilegeErrors.has(errno)) {
    return new RuntimeError("source-settings", message, { cause: error, hint: "grant the pipeline's user SELECT on the selected tables (see dts precheck), or exclude the table" });
  }
  // Any other server error (lock wait, deadlock, shutdown, too many connections) may pass.
  if (errno !== null || isRetriable(error)) return new RuntimeError("source-stream", message, { cause: error, retriable: true });
  return new RuntimeError("unsupported", message, { cause: error, hint: "this is a bug in dts: run with --verbose and report the error with the table's CREATE TABLE" });
}
