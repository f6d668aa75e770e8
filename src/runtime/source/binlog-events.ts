// The few binlog events the pipeline cares about, reduced from zongji's event objects by the
// reader. Positions are captured when the event is read, so later stages need no zongji state.
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import type { BinlogTableMap } from "./table-map.js";

export type RowsKind = "insert" | "update" | "delete";

/**
 * zongji's row values by column position in the binlog's table map (the reader keys zongji's
 * rows by position, see table-map.ts, so no column name can collide with an object member).
 */
export type RawRow = { readonly [position: number]: unknown };

export type SourceEvent =
  /** `xaId`: set when the transaction is an XA branch (see xa-statement.ts). */
  | { type: "begin"; gtid: string | null; xaId?: string; timestampSeconds: number }
  | {
      type: "rows";
      kind: RowsKind;
      database: string;
      table: string;
      /** What the table map says about the rows' columns (names; types with FULL metadata). */
      tableMap: BinlogTableMap;
      /** insert/delete: the row; update: before and after. */
      rows: RawRow[] | { before: RawRow; after: RawRow }[];
      timestampSeconds: number;
      /** The event's size in the binlog, for bounding what an open transaction holds in memory. */
      bytes?: number;
    }
  | { type: "commit"; xid: string; position: BinlogResumePosition; timestampSeconds: number }
  | { type: "rollback"; position: BinlogResumePosition; timestampSeconds: number }
  /** XA PREPARE ends the open XA branch's events; `onePhase` (MySQL) means it also commits. */
  | { type: "xa-prepare"; xaId: string; onePhase: boolean; position: BinlogResumePosition; timestampSeconds: number }
  /** XA COMMIT / XA ROLLBACK of a branch prepared earlier; it may come after other transactions. */
  | { type: "xa-commit"; xaId: string; gtid: string | null; position: BinlogResumePosition; timestampSeconds: number }
  | { type: "xa-rollback"; xaId: string; gtid: string | null; position: BinlogResumePosition; timestampSeconds: number }
  | { type: "ddl"; database: string; sql: string; gtid: string | null; position: BinlogResumePosition; timestampSeconds: number }
  /** `SAVEPOINT name` and `ROLLBACK TO name` inside a transaction (savepoints.ts); names lower-cased. */
  | { type: "savepoint"; name: string }
  | { type: "rollback-to-savepoint"; name: string }
  /** A boundary outside any transaction (heartbeat, non-DDL standalone statement): the position may advance. */
  | { type: "boundary"; position: BinlogResumePosition; timestampSeconds: number };
