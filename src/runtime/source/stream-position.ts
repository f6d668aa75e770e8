// Where the binlog stream stands, as a checkpoint would resume it: zongji's file and offset with
// the GTID set it tracks. A stream opened by GTID starts with the set it asked for, which a
// server accepts even before its binlog holds it (MariaDB, a domain it has not logged yet). Until
// the server was seen to hold it (gtid-start-check.ts) or the stream read a transaction, this
// server's file and offset do not go with that set, so the resume point names the set alone.
import type ZongJi from "@vlasky/zongji";
import { GtidSet, MariadbGtidPosition } from "@vlasky/zongji";
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import type { StreamStart } from "./binlog-reader.js";

export class StreamPosition {
  readonly #zongji: ZongJi;
  /** The GTID set is the start's, not yet one this server's file and offset are known to reach. */
  #gtidOnly: boolean;

  constructor(zongji: ZongJi, start: StreamStart) {
    this.#zongji = zongji;
    this.#gtidOnly = start.kind === "gtid" && start.heldByServer !== true;
  }

  /** The stream read a transaction: from there on the set follows what this server sent. */
  transactionRead(): void {
    this.#gtidOnly = false;
  }

  /** At a transaction boundary the stream read. */
  current(): BinlogResumePosition {
    const options = this.#zongji.options;
    // startAtEnd takes the offset from SHOW BINARY LOGS (the last file's size), which may arrive as text.
    return { file: options.filename ?? "", offset: Number(options.position ?? 0), gtidSet: this.#zongji.gtidSet ?? null };
  }

  /**
   * Just after an XA PREPARE (or a one-phase XA COMMIT): the server counts the prepared group's
   * GTID as logged, in its binlog's GTID position there, while zongji adds it to its set only
   * at the next transaction. A checkpoint here must name it, or its offset and GTID set
   * disagree and a restart takes the binlog for reset.
   */
  afterPrepare(gtid: string | null | undefined): BinlogResumePosition {
    const position = this.current();
    if (!gtid || position.gtidSet === null) return position;
    return { ...position, gtidSet: withGtid(position.gtidSet, gtid, this.#zongji.isMariaDb) };
  }

  /** While no transaction is open (a heartbeat, the start): by the GTID set alone until the set is known to go with the file and offset. */
  idle(): BinlogResumePosition {
    const position = this.current();
    return this.#gtidOnly && position.gtidSet !== null ? { file: "", offset: 0, gtidSet: position.gtidSet } : position;
  }
}

/** A GTID set (MySQL) or GTID position (MariaDB) with one more transaction, as zongji writes them. */
export function withGtid(set: string, gtid: string, isMariaDb: boolean): string {
  if (!isMariaDb) {
    const mysql = GtidSet.parse(set);
    mysql.add(gtid);
    return mysql.toString();
  }
  const [domainId, serverId, seqNo] = gtid.split("-");
  const position = MariadbGtidPosition.parse(set);
  position.add({ domainId: Number(domainId), serverId: Number(serverId), seqNo: seqNo as string });
  return position.toString();
}
