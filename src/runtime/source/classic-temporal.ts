// MariaDB FULL table maps with classic temporal type codes (DATETIME, TIME, TIMESTAMP), which
// also carry MariaDB 5.3's formats (table-map.ts, describeFullTableMap). zongji describes such a
// table map from information_schema as it is when the rows are read, matched by position; the
// hook here has it described by the binlog, with only the columns' precision fetched. And when
// a precision had to be assumed, the rows are checked to fit their event, so a wrong guess stops
// the pipeline with what happened rather than a stream error retried for ever.
import type ZongJi from "@vlasky/zongji";
import type { TableMapEntry, TableMapEvent } from "@vlasky/zongji";
import { RuntimeError } from "../errors.js";
import type { RowParser } from "./row-image-reader.js";
import { assumedPrecisionColumns, describeFullTableMap, type CurrentTemporalColumn } from "./table-map.js";

/** information_schema's temporal columns of a table: the precision describeFullTableMap needs. */
const TEMPORAL_COLUMNS_SQL =
  "SELECT COLUMN_NAME, DATA_TYPE, DATETIME_PRECISION FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND DATETIME_PRECISION IS NOT NULL";

type FetchTableInfo = (this: ZongJi, event: TableMapEvent, next: () => void) => void;

/**
 * Replaces ZongJi's `_fetchTableInfo`, which it calls (with the stream paused) for the table maps
 * it does not decode from their metadata. Returns false when zongji has no such method.
 */
export function describeClassicTemporalTableMaps(zongjiPrototype: object): boolean {
  const prototype = zongjiPrototype as { _fetchTableInfo?: unknown };
  const original = prototype._fetchTableInfo as FetchTableInfo | undefined;
  if (typeof original !== "function") return false;
  prototype._fetchTableInfo = function (this: ZongJi, event: TableMapEvent, next: () => void) {
    const connection = this.ctrlConnection;
    // Without FULL metadata, or without a connection (the original reports that), zongji's way.
    if (!event.hasSelfDescribingMetadata() || !connection) return original.call(this, event, next);
    try {
      connection.execute(TEMPORAL_COLUMNS_SQL, [event.schemaName, event.tableName], (error, rows) => {
        if (error) return void this.emit("error", error);
        this.tableMap[event.tableId] = describeFullTableMap(event, rows as CurrentTemporalColumn[]);
        next();
      });
    } catch (error) {
      this.emit("error", error);
    }
  } satisfies FetchTableInfo;
  return true;
}

/** Reads one row image; `present` says which columns it holds. */
export type ImageReader = (parser: RowParser & { _packetEnd: number }, present: Buffer) => unknown[];

/**
 * `read`, checked for a table map with an assumed precision: a row that runs past its event or
 * breaks the reader shows the guess was wrong (the column had a fraction, so another width).
 */
export function checkedForAssumedPrecision(entry: TableMapEntry, read: ImageReader): ImageReader {
  const assumed = assumedPrecisionColumns(entry.columnSchemas);
  if (assumed.length === 0) return read;
  return (parser, present) => {
    let row: unknown[];
    try {
      row = read(parser, present);
    } catch (error) {
      throw assumedPrecisionError(entry, assumed, error);
    }
    if (parser._offset > parser._packetEnd) throw assumedPrecisionError(entry, assumed, undefined);
    return row;
  };
}

function assumedPrecisionError(entry: TableMapEntry, columns: readonly string[], cause: unknown): RuntimeError {
  return new RuntimeError(
    "unsupported",
    `rows of ${entry.parentSchema}.${entry.tableName} cannot be decoded: ${columns.length === 1 ? "column" : "columns"} ${columns.join(", ")} of the rows ${columns.length === 1 ? "is a" : "are"} DATETIME, TIME or TIMESTAMP in MariaDB's 5.3 format, whose fractional-second precision (and so the width) the binlog does not carry, and information_schema no longer shows ${columns.length === 1 ? "it" : "them"} with that type; read as having no fractional seconds, the rows do not fit their binlog event, and the pipeline stops rather than send them wrong`,
    {
      cause,
      hint: "recreate the table or the columns as they were when the rows were written (information_schema then shows their precision) and run again; or exclude the table from the pipeline, or start the pipeline after these rows (start_from) and resync the table with an initial sync",
    },
  );
}
