// The GTID state at a binlog file and offset, so a stream opened by position still knows its
// GTIDs: MariaDB answers with BINLOG_GTID_POS (the position a replica would connect with). MySQL
// has no such function; zongji seeds itself there from the server's gtid_executed or a file's
// Previous_gtids when it can.
import type mysql from "mysql2/promise";

/** MariaDB's GTID position at a transaction boundary; null when the server has no GTIDs there or cannot say. */
export async function mariadbGtidPositionAt(control: mysql.Connection, file: string, offset: number): Promise<string | null> {
  try {
    const [rows] = await control.query("SELECT BINLOG_GTID_POS(?, ?) AS pos", [file, offset]);
    const pos = (rows as { pos: string | null }[])[0]?.pos;
    return typeof pos === "string" && pos.trim() !== "" ? pos.trim() : null;
  } catch {
    // Only a seed for what the checkpoint reports: streaming by position works without it.
    return null;
  }
}
