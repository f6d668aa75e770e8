// Buffers the row events of a transaction and releases them together at its commit (XID, or a
// COMMIT query for non-transactional engines); a ROLLBACK drops them. Only whole transactions
// leave here, so a checkpoint taken after one is always a transaction boundary.
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import type { SourceEvent } from "./binlog-events.js";

export type RowsEvent = Extract<SourceEvent, { type: "rows" }>;
export type DdlEvent = Extract<SourceEvent, { type: "ddl" }>;

export type AssembledUnit =
  | { type: "transaction"; gtid: string | null; xid: string; rows: RowsEvent[]; position: BinlogResumePosition; timestampSeconds: number }
  | { type: "ddl"; event: DdlEvent }
  | { type: "boundary"; position: BinlogResumePosition; timestampSeconds: number };

export class TransactionAssembler {
  #open = false;
  #gtid: string | null = null;
  #rows: RowsEvent[] = [];

  /** Whether a transaction has begun and not yet committed or rolled back. */
  get inTransaction(): boolean {
    return this.#open;
  }

  /** Feeds one event; returns a finished unit, or null while a transaction is still open. */
  push(event: SourceEvent): AssembledUnit | null {
    switch (event.type) {
      case "begin":
        // A begin without a commit before it means the server dropped the rest (a crash
        // mid-transaction): those rows never committed, so they are discarded.
        this.#open = true;
        this.#gtid = event.gtid;
        this.#rows = [];
        return null;
      case "rows":
        // Row events outside BEGIN happen only when the stream started mid-transaction, which
        // the reader never does; accept them as an implicit begin rather than losing them.
        if (!this.#open) {
          this.#open = true;
          this.#gtid = null;
          this.#rows = [];
        }
        this.#rows.push(event);
        return null;
      case "commit": {
        const unit: AssembledUnit = { type: "transaction", gtid: this.#gtid, xid: event.xid, rows: this.#rows, position: event.position, timestampSeconds: event.timestampSeconds };
        this.#reset();
        return unit;
      }
      case "rollback":
        this.#reset();
        return { type: "boundary", position: event.position, timestampSeconds: event.timestampSeconds };
      case "ddl":
        // DDL commits implicitly; MySQL never logs it inside an open row transaction.
        this.#reset();
        return { type: "ddl", event };
      case "boundary":
        return this.#open ? null : { type: "boundary", position: event.position, timestampSeconds: event.timestampSeconds };
    }
  }

  #reset(): void {
    this.#open = false;
    this.#gtid = null;
    this.#rows = [];
  }
}
