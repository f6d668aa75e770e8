// The few binlog events the pipeline cares about, reduced from zongji's event objects by the
// reader. Positions are captured when the event is read, so later stages need no zongji state.
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";

export type RowsKind = "insert" | "update" | "delete";

/** zongji's row values keyed by column name, as of the binlog's table map. */
export type RawRow = Record<string, unknown>;

export type SourceEvent =
  | { type: "begin"; gtid: string | null; timestampSeconds: number }
  | {
      type: "rows";
      kind: RowsKind;
      database: string;
      table: string;
      /** Column names the table map carried (binlog_row_metadata=FULL), else those zongji fetched. */
      columnNames: string[];
      /** insert/delete: the row; update: before and after. */
      rows: RawRow[] | { before: RawRow; after: RawRow }[];
      timestampSeconds: number;
    }
  | { type: "commit"; xid: string; position: BinlogResumePosition; timestampSeconds: number }
  | { type: "rollback"; position: BinlogResumePosition; timestampSeconds: number }
  | { type: "ddl"; database: string; sql: string; gtid: string | null; position: BinlogResumePosition; timestampSeconds: number }
  /** A boundary outside any transaction (heartbeat, non-DDL standalone statement): the position may advance. */
  | { type: "boundary"; position: BinlogResumePosition; timestampSeconds: number };
