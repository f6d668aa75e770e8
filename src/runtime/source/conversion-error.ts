// The error for a binlog value that does not convert to its column's canonical value. Without
// FULL metadata the usual cause is a row written before the column's type changed, decoded
// with today's type; retrying cannot help, and sending the row without the value would be
// silent loss, so the pipeline stops with the place and the way out.
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import type { ColumnInfo, TableInfo } from "../change-event.js";
import { describeError, RuntimeError } from "../errors.js";
import { METADATA_HINT } from "./table-map.js";

export function conversionError(error: unknown, table: TableInfo, column: ColumnInfo, position: BinlogResumePosition): RuntimeError {
  if (error instanceof RuntimeError) return error;
  return new RuntimeError(
    "source-stream",
    `cannot convert the value of column ${column.name} (${column.columnType}) of ${table.database}.${table.table} in the transaction ending at ${position.file}:${position.offset}: ${describeError(error)}`,
    {
      cause: error,
      hint: `if binlog_row_metadata is not FULL, the row was probably written before the column's type changed: ${METADATA_HINT}; otherwise report this with the position`,
    },
  );
}
