// The few binlog events the pipeline cares about, reduced from zongji's event objects by the
// reader. Positions are captured when the event is read, so later stages need no zongji state.
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";

export type RowsKind = "insert" | "update" | "delete";

/** zongji's row values keyed by column name, as of the binlog's table map. */
export type RawRow = Record<string, unknown>;

export type SourceEvent =
  /** `xaId`: set when the transaction is an XA branch (see xa-statement.ts). */
  | { type: "begin"; gtid: string | null; xaId?: string; timestampSeconds: number }
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
  /** XA PREPARE ends the open XA branch's events; `onePhase` (MySQL) means it also commits. */
  | { type: "xa-prepare"; xaId: string; onePhase: boolean; position: BinlogResumePosition; timestampSeconds: number }
  /** XA COMMIT / XA ROLLBACK of a branch prepared earlier; it may come after other transactions. */
  | { type: "xa-commit"; xaId: string; gtid: string | null; position: BinlogResumePosition; timestampSeconds: number }
  | { type: "xa-rollback"; xaId: string; gtid: string | null; position: BinlogResumePosition; timestampSeconds: number }
  | { type: "ddl"; database: string; sql: string; gtid: string | null; position: BinlogResumePosition; timestampSeconds: number }
  /** A boundary outside any transaction (heartbeat, non-DDL standalone statement): the position may advance. */
  | { type: "boundary"; position: BinlogResumePosition; timestampSeconds: number };
