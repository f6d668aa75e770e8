// Server error numbers the pipeline tells apart, named once for every module that reads them.

/** ER_NO_SUCH_TABLE: the table was dropped or renamed away (since it was listed or described). */
export const ER_NO_SUCH_TABLE = 1146;
/** ER_WRONG_OBJECT: the statement wanted a base table and got a view. */
export const ER_WRONG_OBJECT = 1347;

/**
 * Server errors that say nothing about the request, only about this moment: a query or
 * connection killed (KILL [QUERY]), the server shutting down, a lock wait or deadlock, too many
 * connections, a statement time limit. Retried within the retry window like a lost connection.
 */
const TRANSIENT_ERRNOS = new Set([
  1040, // ER_CON_COUNT_ERROR
  1053, // ER_SERVER_SHUTDOWN
  1203, // ER_TOO_MANY_USER_CONNECTIONS
  1205, // ER_LOCK_WAIT_TIMEOUT
  1213, // ER_LOCK_DEADLOCK
  1317, // ER_QUERY_INTERRUPTED
  1927, // ER_CONNECTION_KILLED (MariaDB)
  1969, // ER_STATEMENT_TIMEOUT (MariaDB)
  3024, // ER_QUERY_TIMEOUT (MySQL)
  4031, // ER_CLIENT_INTERACTION_TIMEOUT (MySQL)
]);

/** Whether a failed query may well succeed if asked again (see TRANSIENT_ERRNOS). */
export function transientServerError(error: unknown): boolean {
  const errno = serverErrno(error);
  return errno !== null && TRANSIENT_ERRNOS.has(errno);
}

/** The server's error number of a failed query, or null for other failures. */
export function serverErrno(error: unknown): number | null {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === "number" ? errno : null;
}

/** Whether a query failed because its table is gone. */
export function tableGone(error: unknown): boolean {
  return serverErrno(error) === ER_NO_SUCH_TABLE;
}
