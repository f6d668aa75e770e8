// Binlog watermarks for the snapshot: the server's current write position (the statement
// server-dialect.ts picks for the server's version; it needs only BINLOG MONITOR / REPLICATION
// CLIENT), ordering of positions, and a check that
// the stretch between two positions holds no data (only the file header events a rotation
// writes, which the binlog reader never reports and so never moves past).
import { compareBinlogPositions } from "../checkpoint/binlog-order.js";
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import { column, serverDialect, type ServerDialect } from "../source/server-dialect.js";

export interface BinlogPoint {
  file: string;
  offset: number;
  /**
   * The GTIDs logged up to this point: MySQL's executed set, read in the same statement, or
   * MariaDB's GTID position where startPosition could read it; absent without GTIDs.
   */
  executedGtids?: string;
}

type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** The dialect of the server behind `query`. */
export async function queryDialect(query: Query): Promise<ServerDialect> {
  const [row] = await query("SELECT @@version AS version");
  return serverDialect(String(row?.version ?? ""));
}

/** The position in the answer to the dialect's binlog status statement. */
export function binlogStatusPoint(rows: readonly Record<string, unknown>[]): BinlogPoint {
  const row = rows[0];
  const file = row ? column(row, "File") : undefined;
  if (typeof file !== "string") throw new Error("the source reports no binlog position: binary logging is off on the source");
  const executed = column(row as Record<string, unknown>, "Executed_Gtid_Set");
  const executedGtids = typeof executed === "string" ? executed.replace(/\s/g, "") : "";
  return { file, offset: Number(column(row as Record<string, unknown>, "Position")), ...(executedGtids ? { executedGtids } : {}) };
}

/**
 * The server's current write position. Without `dialect` the server's version is asked first;
 * callers that know the dialect save that round trip.
 */
export async function masterPosition(query: Query, dialect?: ServerDialect): Promise<BinlogPoint> {
  const { binlogStatus } = dialect ?? (await queryDialect(query));
  return binlogStatusPoint(await query(binlogStatus));
}

/** Tries at reading MariaDB's GTID position with no transaction logged meanwhile. */
const STEADY_GTID_TRIES = 10;

/**
 * The server's current write position where a stream will open, with the GTIDs logged up to
 * it. MariaDB's binlog status has no GTIDs, and BINLOG_GTID_POS(file, offset) reads the binlog
 * file from its start up to the offset (0.4 s and 800 MB read for an 800 MB file here), so its
 * GTID position is read before and after the status instead: the same both times, no
 * transaction was logged in between (a logged transaction changes it for good), and it is the
 * position at that point. On a server that logs between every pair of reads it stays absent
 * and the caller falls back to BINLOG_GTID_POS.
 */
export async function startPosition(query: Query, dialect?: ServerDialect): Promise<BinlogPoint> {
  const known = dialect ?? (await queryDialect(query));
  if (!known.isMariaDb) return masterPosition(query, known);
  const gtidPosition = async () => String((await query("SELECT @@global.gtid_binlog_pos AS pos"))[0]?.pos ?? "").trim();
  for (let attempt = 1; ; attempt++) {
    const before = await gtidPosition();
    const point = await masterPosition(query, known);
    if ((await gtidPosition()) === before) return before === "" ? point : { ...point, executedGtids: before };
    if (attempt === STEADY_GTID_TRIES) return point;
  }
}

/** Binlog order: by file (base name, then sequence number as a number), then offset. */
export function comparePoints(a: BinlogPoint, b: BinlogPoint): number {
  return compareBinlogPositions(a, b);
}

export function resumeAt(point: BinlogPoint): BinlogResumePosition {
  return { file: point.file, offset: point.offset, gtidSet: null };
}

/** Events a rotation or server start writes at the head of a file: they carry no data. */
const headerEvents = new Set(["Format_desc", "Gtid_list", "Binlog_checkpoint", "Previous_gtids", "Rotate", "Start_encryption"]);

/**
 * True when no event with data lies between `from` (an event boundary the reader reached) and
 * `to`: the reader then has everything up to `to` even though its position says otherwise.
 */
export async function onlyHeadersBetween(query: Query, from: BinlogPoint, to: BinlogPoint): Promise<boolean> {
  if (comparePoints(from, to) >= 0) return true;
  if (from.file !== to.file) return false;
  let rows: Record<string, unknown>[];
  try {
    rows = await query(`SHOW BINLOG EVENTS IN ${quoteText(to.file)} FROM ${Math.max(4, Math.floor(from.offset))} LIMIT 50`);
  } catch {
    // Only a shortcut ("Wrong offset or I/O error" was seen under heavy writes): the stream
    // reaches the high watermark by itself all the same.
    return false;
  }
  for (const row of rows) {
    if (Number(row.Pos) >= to.offset) return true;
    if (!headerEvents.has(String(row.Event_type))) return false;
  }
  return rows.length < 50;
}

function quoteText(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}
