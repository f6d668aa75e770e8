// The GTID state at a binlog file and offset, so a stream opened by position still knows its
// GTIDs: MariaDB answers with BINLOG_GTID_POS (the position a replica would connect with). MySQL
// has no such function; zongji seeds itself there from the server's gtid_executed or a file's
// Previous_gtids when it can.
import type mysql from "mysql2/promise";
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import { RuntimeError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { StreamStart } from "./binlog-reader.js";

/** MariaDB's GTID position at a transaction boundary ("" before any GTID); null when the server cannot say. */
export async function mariadbGtidPositionAt(control: mysql.Connection, file: string, offset: number): Promise<string | null> {
  try {
    const [rows] = await control.query("SELECT BINLOG_GTID_POS(?, ?) AS pos", [file, offset]);
    const pos = (rows as { pos: string | null }[])[0]?.pos;
    return typeof pos === "string" ? pos.trim() : null;
  } catch {
    // Only a seed for what the checkpoint reports: streaming by position works without it.
    return null;
  }
}

/** The same MariaDB GTID position, whatever the order of its domains. */
function samePosition(a: string, b: string): boolean {
  const parts = (text: string) => text.split(",").map((p) => p.trim()).filter(Boolean).sort().join(",");
  return parts(a) === parts(b);
}

/**
 * Seeds the GTID tracking of a stream MariaDB opens by file and offset. When it resumes the
 * checkpoint (opens at its position) and the checkpoint knows its GTID position, it also checks
 * that the binlog there is the one the checkpoint was taken in: after RESET MASTER, or a server
 * rebuilt with the same file names, the same file and offset lie among other transactions, and
 * resuming there would skip every change before that offset without a word.
 */
export async function openMariadbStart(control: mysql.Connection, start: StreamStart, checkpoint: BinlogResumePosition | null, server: string, log: Pick<Logger, "warn">): Promise<void> {
  if (start.kind !== "position" || start.gtidSeed !== undefined) return;
  const resumes = checkpoint !== null && start.file === checkpoint.file && start.offset === checkpoint.offset;
  const recorded = resumes ? checkpoint.gtidSet : null;
  const here = await mariadbGtidPositionAt(control, start.file, start.offset);
  if (here === null) {
    // MariaDB answers NULL past an event larger than max_allowed_packet in the file. The
    // checkpoint's own GTID position keeps the checkpoints' GTIDs, so failover stays possible.
    const where = { server, file: start.file, offset: start.offset };
    if (recorded !== null) start.gtidSeed = recorded;
    log.warn(
      where,
      recorded !== null
        ? "the server cannot say its GTID position where the checkpoint resumes (BINLOG_GTID_POS is NULL): the checkpoint's GTID position is kept, without the check that the binlog was not reset (RESET MASTER) since"
        : "the server cannot say its GTID position where the stream opens (BINLOG_GTID_POS is NULL, as MariaDB answers past an event larger than max_allowed_packet): this session's checkpoints carry no GTID position, so the pipeline cannot move to another server by GTID until it restarts in a later binlog file",
    );
    return;
  }
  if (recorded !== null && !samePosition(here, recorded)) {
    throw new RuntimeError(
      "binlog-purged",
      `the binlog of ${server} at ${start.file}:${start.offset}, where the checkpoint resumes, follows GTID position "${here}", but the checkpoint was taken after "${recorded}": the server's binlog was reset (RESET MASTER) or the server was rebuilt, and resuming there would skip changes`,
    );
  }
  start.gtidSeed = here;
}
