// Server error numbers the pipeline tells apart, named once for every module that reads them.

/** ER_NO_SUCH_TABLE: the table was dropped or renamed away (since it was listed or described). */
export const ER_NO_SUCH_TABLE = 1146;
/** ER_WRONG_OBJECT: the statement wanted a base table and got a view. */
export const ER_WRONG_OBJECT = 1347;

/** The server's error number of a failed query, or null for other failures. */
export function serverErrno(error: unknown): number | null {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === "number" ? errno : null;
}

/** Whether a query failed because its table is gone. */
export function tableGone(error: unknown): boolean {
  return serverErrno(error) === ER_NO_SUCH_TABLE;
}
