// Buffers the row events of a transaction and releases them together at its commit (XID, or a
// COMMIT query for non-transactional engines); a ROLLBACK drops them. A transaction larger than
// `spillAfterRows` rows or `spillAfterBytes` bytes keeps its earlier rows in a temporary file
// (spilled-rows.ts), so memory stays bounded however large it is and however large its rows.
// Only whole transactions leave here, so a checkpoint taken after one is always a transaction
// boundary.
//
// An XA branch is different: XA PREPARE ends its events, but its rows only count once an
// XA COMMIT for its id arrives, possibly after other transactions; XA ROLLBACK discards them.
// Prepared branches wait here by id, and the "xa-prepare" unit tells the emitter to hold the
// checkpoint before the branch until its fate is known (a crash then re-reads the prepare).
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import type { SourceEvent } from "./binlog-events.js";
import { Savepoints, type SavepointMark } from "./savepoints.js";
import { EMPTY_SPILL, SpilledRows } from "./spilled-rows.js";

export type RowsEvent = Extract<SourceEvent, { type: "rows" }>;
export type DdlEvent = Extract<SourceEvent, { type: "ddl" }>;

/** XA COMMIT of a branch: `prepared` is false when its XA PREPARE came before the stream's start. */
export interface XaCompletion {
  id: string;
  prepared: boolean;
}

export type AssembledUnit =
  /** `spilled`: the transaction's first rows, kept on disk; `rows` are the ones after them. */
  | { type: "transaction"; gtid: string | null; xid: string; rows: RowsEvent[]; position: BinlogResumePosition; timestampSeconds: number; xa?: XaCompletion; spilled?: SpilledRows }
  | { type: "ddl"; event: DdlEvent }
  | { type: "boundary"; position: BinlogResumePosition; timestampSeconds: number }
  /**
   * A branch was prepared: its rows wait for XA COMMIT; the checkpoint must not pass it while it
   * has rows of selected tables (`holdsRows`). One without them has nothing to lose.
   */
  | { type: "xa-prepare"; xaId: string; position: BinlogResumePosition; timestampSeconds: number; holdsRows: boolean }
  /** A prepared branch was rolled back: nothing to send, the checkpoint may pass it. */
  | { type: "xa-rollback"; xaId: string; position: BinlogResumePosition; timestampSeconds: number };

interface PreparedBranch {
  gtid: string | null;
  rows: RowsEvent[];
}

export interface AssemblerOptions {
  /**
   * Rows an open transaction holds in memory before they go to a temporary file (null: never).
   * XA branches are not spilled: they may wait for their XA COMMIT across other transactions.
   */
  spillAfterRows?: number | null;
  /**
   * Once a transaction spills, its rows go to the file whenever this many wait (default:
   * spillAfterRows). Small, so rows die young: rows held across two young-generation
   * collections are promoted, and the old generation grows with them until a full collection.
   */
  spillEveryRows?: number;
  /** Binlog bytes of rows events an open transaction holds before they go to the file (default: never by size). */
  spillAfterBytes?: number;
  /** Once spilling, rows go to the file whenever this many bytes wait (default: spillAfterBytes). */
  spillEveryBytes?: number;
}

export class TransactionAssembler {
  #open = false;
  #gtid: string | null = null;
  /** The GTID of the last DDL, for rows it logged without a BEGIN (MySQL's CREATE TABLE … SELECT). */
  #ddlGtid: string | null = null;
  #xaId: string | null = null;
  #rows: RowsEvent[] = [];
  #rowCount = 0;
  #byteCount = 0;
  #spilled: SpilledRows | null = null;
  readonly #savepoints = new Savepoints();
  /** Infinity: never. */
  readonly #spillAfterRows: number;
  readonly #spillEveryRows: number;
  readonly #spillAfterBytes: number;
  readonly #spillEveryBytes: number;
  readonly #prepared = new Map<string, PreparedBranch>();

  constructor(options: AssemblerOptions = {}) {
    this.#spillAfterRows = options.spillAfterRows ?? Infinity;
    this.#spillEveryRows = options.spillEveryRows ?? this.#spillAfterRows;
    this.#spillAfterBytes = options.spillAfterBytes ?? Infinity;
    this.#spillEveryBytes = options.spillEveryBytes ?? this.#spillAfterBytes;
  }

  /** Rows of the open transaction kept in its temporary file so far (0: none). */
  get spilledRows(): number {
    return this.#spilled?.rowCount ?? 0;
  }

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
        this.#reset();
        this.#open = true;
        this.#gtid = event.gtid;
        this.#xaId = event.xaId ?? null;
        return null;
      case "rows":
        // Row events outside BEGIN follow MySQL's CREATE TABLE … SELECT, or a stream started
        // mid-transaction, which the reader never does; accept them as an implicit begin.
        if (!this.#open) {
          const gtid = this.#ddlGtid;
          this.#reset();
          this.#open = true;
          this.#gtid = gtid;
        }
        this.#rows.push(event);
        this.#rowCount += event.rows.length;
        this.#byteCount += event.bytes ?? 0;
        if (this.#xaId === null && this.#overSpillLimit()) this.#spill();
        return null;
      case "commit": {
        const unit: AssembledUnit = { type: "transaction", gtid: this.#gtid, xid: event.xid, rows: this.#rows, position: event.position, timestampSeconds: event.timestampSeconds };
        if (this.#spilled) unit.spilled = this.#spilled;
        this.#spilled = null;
        this.#reset();
        return unit;
      }
      case "rollback":
        this.#reset();
        return { type: "boundary", position: event.position, timestampSeconds: event.timestampSeconds };
      case "ddl":
        return this.#ddl(event);
      case "savepoint":
        if (this.#open) this.#savepoints.set(event.name, { spilled: this.#spilled?.mark() ?? EMPTY_SPILL, events: this.#rows.length, rows: this.#rowCount, bytes: this.#byteCount });
        return null;
      case "rollback-to-savepoint": {
        const mark = this.#open ? this.#savepoints.rollbackTo(event.name) : undefined;
        if (mark) this.#rollBackTo(mark);
        return null;
      }
      case "boundary":
        return this.#open ? null : { type: "boundary", position: event.position, timestampSeconds: event.timestampSeconds };
      case "xa-prepare":
        return this.#prepare(event);
      case "xa-commit":
        return this.#completeXa(event);
      case "xa-rollback":
        return this.#rollbackXa(event);
    }
  }

  #ddl(event: DdlEvent): AssembledUnit {
    // CREATE TABLE … SELECT: MariaDB logs BEGIN (its GTID), the CREATE, the rows and the COMMIT;
    // MySQL the GTID, the CREATE, the rows and the XID. The rows belong to the statement's
    // transaction and carry its GTID.
    if (this.#open && this.#rows.length === 0 && event.gtid === null) return { type: "ddl", event: { ...event, gtid: this.#gtid } };
    // Any other DDL commits implicitly; it is never logged inside an open row transaction.
    this.#reset();
    this.#ddlGtid = event.gtid;
    return { type: "ddl", event };
  }

  /** Prepared branches whose XA COMMIT or XA ROLLBACK has not been read yet. */
  get preparedBranches(): number {
    return this.#prepared.size;
  }

  #prepare(event: Extract<SourceEvent, { type: "xa-prepare" }>): AssembledUnit {
    const { position, timestampSeconds } = event;
    const rows = this.#open ? this.#rows : [];
    const gtid = this.#gtid;
    this.#reset();
    if (event.onePhase) return { type: "transaction", gtid, xid: "", rows, position, timestampSeconds };
    this.#prepared.set(event.xaId, { gtid, rows });
    return { type: "xa-prepare", xaId: event.xaId, position, timestampSeconds, holdsRows: rows.length > 0 };
  }

  #completeXa(event: Extract<SourceEvent, { type: "xa-commit" }>): AssembledUnit {
    const branch = this.#prepared.get(event.xaId);
    this.#prepared.delete(event.xaId);
    const { position, timestampSeconds } = event;
    const xa = { id: event.xaId, prepared: branch !== undefined };
    return { type: "transaction", gtid: event.gtid ?? branch?.gtid ?? null, xid: "", rows: branch?.rows ?? [], position, timestampSeconds, xa };
  }

  #rollbackXa(event: Extract<SourceEvent, { type: "xa-rollback" }>): AssembledUnit {
    const { position, timestampSeconds } = event;
    // An XA ROLLBACK of a branch that was never prepared ends it while still open.
    if (this.#open && this.#xaId === event.xaId) this.#reset();
    if (!this.#prepared.delete(event.xaId)) return { type: "boundary", position, timestampSeconds };
    return { type: "xa-rollback", xaId: event.xaId, position, timestampSeconds };
  }

  /** Whether the rows held in memory passed the count or the size at which they go to the file. */
  #overSpillLimit(): boolean {
    if (this.#spilled) return this.#rowCount > this.#spillEveryRows || this.#byteCount > this.#spillEveryBytes;
    return this.#rowCount > this.#spillAfterRows || this.#byteCount > this.#spillAfterBytes;
  }

  /** Moves the rows held so far to the transaction's file, in parts that end where savepoints stand. */
  #spill(): void {
    const file = (this.#spilled ??= new SpilledRows());
    let from = 0;
    for (const cut of [...this.#savepoints.inMemoryCuts(), this.#rows.length]) {
      // Without savepoints the one part is the whole list, appended without a copy.
      if (cut > from) file.append(from === 0 && cut === this.#rows.length ? this.#rows : this.#rows.slice(from, cut));
      this.#savepoints.moveToFile(cut, file.mark());
      from = cut;
    }
    this.#rows = [];
    this.#rowCount = 0;
    this.#byteCount = 0;
  }

  /** Drops the rows logged after a savepoint the transaction rolled back to. */
  #rollBackTo(mark: SavepointMark): void {
    this.#spilled?.truncate(mark.spilled);
    this.#rows.length = mark.events;
    this.#rowCount = mark.rows;
    this.#byteCount = mark.bytes;
  }

  #reset(): void {
    this.#open = false;
    this.#gtid = null;
    this.#ddlGtid = null;
    this.#xaId = null;
    this.#rows = [];
    this.#rowCount = 0;
    this.#byteCount = 0;
    this.#savepoints.clear();
    // Rolled back, or cut short by a new BEGIN: its rows never committed.
    this.#spilled?.discard();
    this.#spilled = null;
  }
}
