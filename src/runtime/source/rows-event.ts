// zongji's table map and rows events → the reader's rows SourceEvent. Each table map's
// description (table-map.ts) is kept on zongji's entry for its table id, which the rows events
// that follow it in the same transaction find; a rows event without one is a stream
// inconsistency, reported rather than skipped.
import type { TableMapEntry, TableMapEvent } from "@vlasky/zongji";
import { RuntimeError } from "../errors.js";
import type { RawRow, RowsKind, SourceEvent } from "./binlog-events.js";
import { METADATA_HINT, tableMapFromZongji, type BinlogTableMap } from "./table-map.js";

const described = Symbol("dts table map");

type DescribedEntry = TableMapEntry & { [described]?: BinlogTableMap };

export interface ZongjiRowsEvent {
  tableId: number;
  tableMap: Record<number, DescribedEntry | undefined>;
  rows: unknown[];
  /** Which columns the row images hold (updates: the before image; the after image's is the second). */
  columns_present_bitmap?: Buffer;
  columns_present_bitmap2?: Buffer;
  /** The event's length less its header. */
  size?: number;
}

/** Reads a table map event into zongji's entry for its table id (before its rows are parsed). */
export function noteTableMap(event: TableMapEvent, isMariaDb: boolean): void {
  const entry = event.tableMap[event.tableId] as DescribedEntry | undefined;
  if (entry) entry[described] = tableMapFromZongji(event, entry, isMariaDb);
}

const kinds: Record<string, RowsKind> = { writerows: "insert", updaterows: "update", deleterows: "delete" };

/** The rows SourceEvent of a zongji rows event, or the error when its table map is unknown. */
export function rowsSourceEvent(name: string, event: ZongjiRowsEvent, timestampSeconds: number, where: () => string): Extract<SourceEvent, { type: "rows" }> | RuntimeError {
  const kind = kinds[name] as RowsKind;
  const tableMap = event.tableMap[event.tableId]?.[described];
  if (!tableMap) return unmappedRowsError(kind, event.tableId, where());
  // Every rows event passes here: a full image is told by its bitmap bytes, without building a list.
  if (!fullImage(event.columns_present_bitmap, tableMap.columnCount) || !fullImage(event.columns_present_bitmap2, tableMap.columnCount)) {
    const missing = [event.columns_present_bitmap, event.columns_present_bitmap2].flatMap((bitmap) => absentColumns(bitmap, tableMap));
    return partialImageError(tableMap, [...new Set(missing)], where());
  }
  return { type: "rows", kind, database: tableMap.database, table: tableMap.table, tableMap, rows: event.rows as RawRow[], timestampSeconds, bytes: event.size ?? 0 };
}

/** Rows arrived for a table id no table map announced: their table and columns are unknown. */
export function unmappedRowsError(kind: RowsKind | "rows", tableId: number, where: string): RuntimeError {
  return new RuntimeError(
    "source-stream",
    `the binlog stream ${where} has a rows event${kind === "rows" ? "" : ` (${kind})`} for table id ${tableId} without the table map event that must come before it, so its table and columns are unknown; the rows were not skipped, the pipeline stops here`,
    {
      hint: "this happens when a stream starts inside a transaction: if start_from names a position, use one at a transaction boundary (a GTID or BEGIN event, see SHOW BINLOG EVENTS) or a GTID set; otherwise report it with the binlog file and position",
    },
  );
}

const withoutFullMetadata = "its table map does not describe the columns (binlog_row_metadata is not FULL)";

/**
 * zongji's own failures to describe a table map: without FULL metadata it reads the columns
 * from information_schema when the table map arrives, which fails for a table dropped since.
 */
export function tableMetadataError(error: unknown, where: string): RuntimeError | null {
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message !== "string") return null;
  const missing = /^Insufficient permissions to access: (.+)$/.exec(message);
  if (missing) {
    return new RuntimeError(
      "source-settings",
      `the binlog stream ${where} has rows of ${missing[1]}, which information_schema does not show (dropped or renamed since the rows were written, or the user lacks SELECT on it), and ${withoutFullMetadata}: the rows cannot be decoded, and the pipeline stops rather than skip them`,
      { cause: error, hint: `GRANT SELECT on the table to the pipeline's user if it exists; otherwise ${METADATA_HINT}` },
    );
  }
  const drift = /^Table (.+) schema changed between binlog event and metadata fetch/.exec(message);
  if (drift) {
    return new RuntimeError(
      "source-settings",
      `the binlog stream ${where} has rows of ${drift[1]} written before its columns changed, and ${withoutFullMetadata}: the values cannot be matched to columns, and the pipeline stops rather than shift or skip them`,
      { cause: error, hint: METADATA_HINT },
    );
  }
  return null;
}

/** Whether a row image bitmap (absent: not this kind of image) marks all `count` columns present. */
function fullImage(bitmap: Buffer | undefined, count: number): boolean {
  if (!bitmap) return true;
  const whole = count >> 3;
  for (let i = 0; i < whole; i++) if (bitmap[i] !== 0xff) return false;
  const rest = count & 7;
  return rest === 0 || ((bitmap[whole] ?? 0) & ((1 << rest) - 1)) === (1 << rest) - 1;
}

/** Names of the columns a row image bitmap leaves out (by position when the name is unknown). */
function absentColumns(bitmap: Buffer | undefined, map: BinlogTableMap): string[] {
  if (!bitmap) return [];
  const absent: string[] = [];
  for (let i = 0; i < map.columnCount; i++) if (((bitmap[i >> 3] ?? 0) & (1 << (i & 7))) === 0) absent.push(map.names[i] ?? `column ${i + 1}`);
  return absent;
}

/**
 * Rows logged with some columns left out: the writing session set binlog_row_image = MINIMAL or
 * NOBLOB (the server's FULL, which the precheck requires, is only the default). What the
 * missing columns hold is not in the binlog, so the rows cannot be sent whole (DTS stops too,
 * DTS-1051007).
 */
function partialImageError(map: BinlogTableMap, missing: string[], where: string): RuntimeError {
  return new RuntimeError(
    "source-settings",
    `rows of ${map.database}.${map.table} in the binlog stream ${where} were logged without the columns ${missing.join(", ")} (binlog_row_image MINIMAL or NOBLOB in the writing session): what they hold is not in the binlog, and the pipeline stops rather than send the rows with columns missing`,
    {
      hint: "make every session that writes the selected tables log full rows: binlog_row_image = FULL and no SET SESSION binlog_row_image; the stream cannot go past these rows, so start the pipeline over with an initial sync (a fresh state folder, and a new checkpoint topic if the spec keeps checkpoints in Kafka)",
    },
  );
}
