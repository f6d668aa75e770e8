// Where the binlog stream stands, as a checkpoint would resume it: zongji's file and offset with
// the GTID set it tracks. A stream opened by GTID starts with the set it asked for, which a
// server accepts even before its binlog holds it (MariaDB, a domain it has not logged yet). Until
// the server was seen to hold it (gtid-start-check.ts) or the stream read a transaction, this
// server's file and offset do not go with that set, so the resume point names the set alone.
import type ZongJi from "@vlasky/zongji";
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

  /** While no transaction is open (a heartbeat, the start): by the GTID set alone until the set is known to go with the file and offset. */
  idle(): BinlogResumePosition {
    const position = this.current();
    return this.#gtidOnly && position.gtidSet !== null ? { file: "", offset: 0, gtidSet: position.gtidSet } : position;
  }
}
