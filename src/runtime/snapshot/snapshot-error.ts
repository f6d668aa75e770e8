// What a failure of the initial sync means for the pipeline: a lost connection or a busy server
// is retried within the retry window; a refused privilege or a failure in our own code is not,
// because retrying cannot change it and would only hide the reason until the window ran out.
import { describeError, isRetriable, RuntimeError } from "../errors.js";

/** Server errors about rights: GRANT fixes them, a retry does not. */
const privilegeErrors = new Set([1044, 1045, 1142, 1143, 1227, 1370]);

/** ER_NO_SUCH_TABLE: the table was dropped or renamed since the sync listed it. */
export function tableGone(error: unknown): boolean {
  return (error as { errno?: unknown } | null)?.errno === 1146;
}

export function snapshotFailure(error: unknown): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const errno = (error as { errno?: unknown } | null)?.errno;
  const message = `the initial sync failed: ${describeError(error)}`;
  if (typeof errno === "number" && privilegeErrors.has(errno)) {
    return new RuntimeError("source-settings", message, { cause: error, hint: "grant the pipeline's user SELECT on the selected tables (see dts precheck), or exclude the table" });
  }
  // Any other server error (lock wait, deadlock, shutdown, too many connections) may pass.
  if (typeof errno === "number" || isRetriable(error)) return new RuntimeError("source-stream", message, { cause: error, retriable: true });
  return new RuntimeError("unsupported", message, { cause: error, hint: "this is a bug in dts: run with --verbose and report the error with the table's CREATE TABLE" });
}
