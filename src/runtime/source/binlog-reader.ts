// Wraps zongji: opens the replication stream at a transaction boundary, reduces its events to
// SourceEvents (capturing file, offset and GTID set synchronously, the only time they are
// coherent), and queues them. zongji does not reconnect: a broken stream surfaces as an error.
import ZongJi, { type AnyBinlogEvent, type TableMapEvent, type ZongJiOptions } from "@vlasky/zongji";
import type { ConnectionOptions } from "mysql2";
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import { RuntimeError } from "../errors.js";
import type { SourceEvent } from "./binlog-events.js";
import { wrapStreamError } from "./binlog-stream-error.js";
import { followBinlogChecksums } from "./binlog-checksum.js";
import { loadDataEvent } from "./dml-statement.js";
import { EventQueue } from "./event-queue.js";
import { isDdl } from "./ddl-statement.js";
import { statementDialect } from "./statement-dialect.js";
import { prepareDumpSession, SilenceWatchdog, type DataSource } from "./binlog-heartbeat.js";
import { noteTableMap, rowsSourceEvent, tableMetadataError, unmappedRowsError, type ZongjiRowsEvent } from "./rows-event.js";
import { foldStandaloneGtid, installZongjiFixes, seedGtidTracking, selectTables, UNMAPPED_ROWS, type UnmappedRows } from "./zongji-fixes.js";
import { savepointStatement } from "./savepoints.js";
import { StreamPosition } from "./stream-position.js";
import { parseXaStatement, xaKey } from "./xa-statement.js";

/** Where the stream opens; always a transaction boundary. */
export type StreamStart =
  /** `gtidSeed`: the server's GTID state at that position (MariaDB), so the checkpoint carries GTIDs from the first transaction. */
  | { kind: "position"; file: string; offset: number; gtidSeed?: string }
  /** `heldByServer`: the server's binlog was seen to hold the set (gtid-start-check.ts). */
  | { kind: "gtid"; gtidSet: string; heldByServer?: boolean }
  | { kind: "latest" };

const includeEvents = ["tablemap", "writerows", "updaterows", "deleterows", "xid", "query", "gtid", "anonymousgtid", "mariadbgtid", "heartbeat", "rotate", "xaprepare"];

/** Events queued before the reader stops reading the socket until the pump takes them. */
const MAX_QUEUED_EVENTS = 512;

/** XA ids as zongji parses them from MariaDB GTID and XA_PREPARE events. */
interface XaIdFields { xidFormatId: number; xidGtrid: Buffer; xidBqual: Buffer }

export class BinlogReader {
  readonly #zongji: ZongJi;
  readonly #queue = new EventQueue(MAX_QUEUED_EVENTS, { full: () => this.#holdSocket(), drained: () => this.#releaseSocket() });
  #error: unknown = null;
  readonly #at: StreamPosition;
  #pendingGtid: string | null = null;
  /** MariaDB: the open event group is standalone (one statement, no BEGIN), which its query ends. */
  #standalone = false;
  #paused = false;
  #stopped = false;
  /** host:port of the source, for errors. */
  readonly #address: string;
  readonly #watchdog: SilenceWatchdog;
  /** Told of statements other than transaction control, DDL too (CREATE TABLE … SELECT): data changes logged as SQL, dml-statement.ts. */
  onOtherStatement: ((sql: string, database: string, position: BinlogResumePosition) => void) | null = null;
  /** Told when the reader stopped: the statements it reported are all there will be. */
  onStopped: (() => void) | null = null;

  /**
   * `selects` says which tables' rows the pipeline wants; the others' table maps are not kept.
   * The server is asked for a heartbeat every `heartbeatPeriodSeconds` of idleness.
   */
  constructor(options: ConnectionOptions, serverId: number, start: StreamStart, selects?: (database: string, table: string) => boolean, heartbeatPeriodSeconds = 10) {
    this.#zongji = new ZongJi(options);
    this.#at = new StreamPosition(this.#zongji, start);
    followBinlogChecksums(this.#zongji, (event) => this.#onUnparsedEvent(event));
    if (selects) selectTables(this.#zongji, selects);
    this.#zongji.on("binlog", (event: AnyBinlogEvent) => this.#onEvent(event));
    this.#zongji.on("error", (error: Error) => this.#fail(error));
    this.#zongji.on(UNMAPPED_ROWS, (...args: unknown[]) => this.#fail(unmappedRowsError("rows", (args[0] as UnmappedRows).tableId, this.#where())));
    this.#address = `${options.host ?? "localhost"}:${options.port ?? 3306}`;
    this.#watchdog = new SilenceWatchdog(heartbeatPeriodSeconds, this.#address, (error) => this.#fail(error));
    this.#zongji.once("ready", () => prepareDumpSession(this.#zongji, heartbeatPeriodSeconds, (error) => this.#fail(error)));
    this.#startOptions = { serverId, includeEvents };
    const seed = start.kind === "position" ? start.gtidSeed : undefined;
    // An empty seed too: the stream then reports GTIDs from its first transaction.
    if (seed !== undefined) this.#zongji.on("ready", () => seedGtidTracking(this.#zongji, seed));
    if (start.kind === "position") Object.assign(this.#startOptions, { filename: start.file, position: start.offset });
    else if (start.kind === "gtid") this.#startOptions.gtidSet = start.gtidSet;
    else this.#startOptions.startAtEnd = true;
  }

  readonly #startOptions: ZongJiOptions;

  /** Resolves once the server accepted the dump request. */
  async start(): Promise<void> {
    await installZongjiFixes();
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        this.#zongji.off("ready", settle).off("error", settle);
        if (error) reject(error);
        else resolve();
      };
      this.#zongji.once("ready", settle);
      this.#zongji.once("error", settle);
      this.#zongji.start(this.#startOptions);
    });
    // mysql2 keeps the socket as `stream` (not in its typings).
    this.#watchdog.start((this.#zongji.connection as unknown as { stream?: DataSource } | null)?.stream ?? null);
  }

  /** When the server last sent an event, a heartbeat or any byte (ms since the epoch); null before the first. */
  get lastContactAt(): number | null {
    return this.#watchdog.lastContactAt;
  }

  get heartbeatPeriodSeconds(): number {
    return this.#watchdog.periodSeconds;
  }

  get serverVersion(): string {
    return this.#zongji.serverVersion ?? "";
  }

  get isMariaDb(): boolean {
    return this.#zongji.isMariaDb;
  }

  /** The stream's current resume point (a transaction boundary), for a checkpoint taken at start. */
  currentPosition(): BinlogResumePosition {
    return this.#at.idle();
  }

  /** Whether events wait to be taken. */
  get hasQueuedEvents(): boolean { return this.#queue.length > 0; }

  /** Takes every queued event; throws the stream's error once the queue is empty. */
  take(): SourceEvent[] {
    if (this.#queue.length === 0 && this.#error !== null) throw this.#error;
    return this.#queue.take();
  }

  /** Resolves when events are queued or the stream failed. */
  async waitForEvents(): Promise<void> {
    if (this.#queue.length > 0 || this.#error !== null) return;
    await this.#queue.wait();
  }

  /** Ends a pending waitForEvents early: the pump has other work (a live spec change). */
  interrupt(): void {
    this.#queue.wake();
  }

  /** Stops reading from the socket (backpressure); events already parsed stay queued. */
  pause(): void {
    if (this.#paused || this.#stopped) return;
    this.#paused = true;
    this.#holdSocket();
  }

  resume(): void {
    if (!this.#paused || this.#stopped) return;
    this.#paused = false;
    this.#releaseSocket();
  }

  /** The socket is not read (back-pressure or a full queue): the server cannot be heard, so silence does not count. */
  #holdSocket(): void {
    this.#watchdog.suspend();
    this.#zongji.connection?.pause();
  }

  /** Reads the socket again once neither the pump nor the queue holds it. */
  #releaseSocket(): void {
    if (this.#paused || this.#queue.full || this.#stopped) return;
    this.#watchdog.resume();
    this.#zongji.connection?.resume();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#watchdog.stop();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2_000);
      this.#zongji.once("stopped", () => {
        clearTimeout(timer);
        resolve();
      });
      this.#zongji.stop();
    });
    this.#queue.wake();
    this.onStopped?.();
  }

  #fail(error: unknown): void {
    if (this.#stopped || this.#error !== null) return;
    this.#watchdog.stop();
    this.#error = tableMetadataError(error, this.#where()) ?? wrapStreamError(error);
    this.#queue.wake();
  }

  /** Where the stream is, for errors: the source and the last transaction boundary read. */
  #where(): string {
    const { file, offset } = this.#at.current();
    return `from ${this.#address} (after ${file}:${offset})`;
  }

  #onEvent(event: AnyBinlogEvent): void {
    // After a failure nothing more is queued: a transaction missing rows must not commit.
    if (this.#stopped || this.#error !== null) return;
    this.#watchdog.contact();
    const timestampSeconds = Math.floor(event.timestamp / 1000);
    switch (event.getEventName()) {
      case "tablemap":
        noteTableMap(event as TableMapEvent, this.#zongji.isMariaDb);
        return;
      case "writerows":
      case "updaterows":
      case "deleterows": {
        const rows = rowsSourceEvent(event.getEventName(), event as AnyBinlogEvent & ZongjiRowsEvent, timestampSeconds, () => this.#where());
        if (rows instanceof RuntimeError) return this.#fail(rows);
        this.#queue.push(rows);
        return;
      }
      case "xid":
        this.#queue.push({ type: "commit", xid: String((event as { xid: number | string }).xid), position: this.#at.current(), timestampSeconds });
        return;
      case "mariadbgtid": {
        const gtidEvent = event as AnyBinlogEvent & Partial<XaIdFields> & { gtid: string; standalone: boolean; preparedXa?: boolean };
        this.#at.transactionRead();
        this.#standalone = gtidEvent.standalone;
        if (gtidEvent.standalone) this.#pendingGtid = gtidEvent.gtid;
        else if (gtidEvent.preparedXa) this.#queue.push({ type: "begin", gtid: gtidEvent.gtid, xaId: xaIdOf(gtidEvent as XaIdFields), timestampSeconds });
        else this.#queue.push({ type: "begin", gtid: gtidEvent.gtid, timestampSeconds });
        return;
      }
      case "xaprepare": {
        const prepare = event as AnyBinlogEvent & XaIdFields & { onePhase: boolean; gtid?: string };
        this.#queue.push({ type: "xa-prepare", xaId: xaIdOf(prepare), onePhase: prepare.onePhase, position: this.#at.afterPrepare(prepare.gtid), timestampSeconds });
        return;
      }
      case "gtid":
        this.#at.transactionRead();
        this.#pendingGtid = (event as { gtid: string }).gtid;
        return;
      case "anonymousgtid":
        this.#pendingGtid = null;
        return;
      case "query":
        this.#onQuery(event as AnyBinlogEvent & { query: string; schema: string }, timestampSeconds);
        return;
      case "heartbeat":
        // The server sends one only when it has nothing newer: everything up to now is read.
        this.#queue.push({ type: "boundary", position: this.#at.idle(), timestampSeconds: Math.floor(Date.now() / 1000) });
        return;
      default:
        return;
    }
  }

  #onQuery(event: { query: string; schema: string }, timestampSeconds: number): void {
    const sql = event.query;
    const keyword = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
    if (this.#standalone) this.#standalone = foldStandaloneGtid(this.#zongji);
    if (keyword === "XA") {
      this.#onXaQuery(sql, timestampSeconds);
    } else if (keyword === "BEGIN") {
      this.#queue.push({ type: "begin", gtid: this.#pendingGtid, timestampSeconds });
      this.#pendingGtid = null;
    } else if (keyword === "COMMIT") {
      this.#queue.push({ type: "commit", xid: "", position: this.#at.current(), timestampSeconds });
    } else if (keyword === "SAVEPOINT" || keyword === "ROLLBACK") {
      this.#queue.push(savepointStatement(sql) ?? { type: "rollback", position: this.#at.current(), timestampSeconds });
    } else if (isDdl(sql, statementDialect(this.serverVersion))) {
      this.onOtherStatement?.(sql, event.schema, this.#at.current());
      this.#queue.push({ type: "ddl", database: event.schema, sql, gtid: this.#pendingGtid, position: this.#at.current(), timestampSeconds });
      this.#pendingGtid = null;
    } else {
      this.onOtherStatement?.(sql, event.schema, this.#at.current());
      this.#queue.push({ type: "boundary", position: this.#at.current(), timestampSeconds });
    }
  }

  /** zongji leaves a LOAD DATA logged as a statement (EXECUTE_LOAD_QUERY) unparsed: its text is read here. */
  #onUnparsedEvent(event: Buffer): void {
    const load = loadDataEvent(event);
    if (load && !this.#stopped && this.#error === null) this.onOtherStatement?.(load.sql, load.database, this.#at.current());
  }

  /** MySQL logs XA START/COMMIT/ROLLBACK as queries; MariaDB only XA END, COMMIT and ROLLBACK. */
  #onXaQuery(sql: string, timestampSeconds: number): void {
    const xa = parseXaStatement(sql);
    const gtid = this.#pendingGtid;
    if (xa?.verb === "start") {
      this.#queue.push({ type: "begin", gtid, xaId: xa.id, timestampSeconds });
      this.#pendingGtid = null;
    } else if (xa?.verb === "prepare" || (xa?.verb === "commit" && xa.onePhase)) {
      this.#queue.push({ type: "xa-prepare", xaId: xa.id, onePhase: xa.onePhase, position: this.#at.current(), timestampSeconds });
    } else if (xa?.verb === "commit" || xa?.verb === "rollback") {
      const type = xa.verb === "commit" ? ("xa-commit" as const) : ("xa-rollback" as const);
      this.#queue.push({ type, xaId: xa.id, gtid, position: this.#at.current(), timestampSeconds });
      this.#pendingGtid = null;
    } else {
      // XA END (and anything unparsable) only closes the branch's statements: no data, no commit.
      this.#queue.push({ type: "boundary", position: this.#at.current(), timestampSeconds });
    }
  }
}

function xaIdOf(event: XaIdFields): string {
  return xaKey(event.xidFormatId, event.xidGtrid, event.xidBqual);
}
