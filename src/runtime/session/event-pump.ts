// Moves binlog events to Kafka: reader → transaction assembler → skip before the start
// timestamp → snapshot admission → record emitter, pausing the reader while too many bytes wait
// for Kafka's acknowledgement. Runs until a stop request or a failure.
import type { BinlogResumePosition } from "../checkpoint/checkpoint.js";
import type { CheckpointTracker } from "../checkpoint/tracker.js";
import type { Logger } from "../logger.js";
import type { RecordEmitter } from "../record-emitter.js";
import type { BatchSender } from "../sink/batch-sender.js";
import type { SnapshotRun } from "../snapshot/index.js";
import { comparePoints } from "../snapshot/binlog-position.js";
import type { BinlogReader } from "../source/binlog-reader.js";
import type { SourceEvent } from "../source/binlog-events.js";
import type { SpilledRows } from "../source/spilled-rows.js";
import { TransactionAssembler, type AssembledUnit } from "../source/transaction-assembler.js";
import type { SessionSignals } from "./session-signals.js";

export interface EventPumpParts {
  reader: BinlogReader;
  sender: BatchSender;
  tracker: CheckpointTracker;
  emitter: RecordEmitter;
  /** The initial sync running alongside the stream, if any (a live spec change may start one). */
  snapshot: SnapshotRun | null;
  signals: SessionSignals;
  log: Logger;
  /** Unacknowledged bytes above which the reader pauses; it resumes at half. */
  maxUnackedBytes: number;
  /** Data committed before this time is not sent (start_from at a timestamp). */
  skipBeforeSeconds: number | null;
  /**
   * The end of the server's binlog when the session began. An empty queue right after the
   * start may only mean the backlog has not arrived yet: the reader is idle once past this.
   */
  backlogEnd?: { file: string; offset: number } | null;
}

/** A change to apply between two units, once every unit the reader had queued when it was asked for is emitted. */
export interface UnitBoundaryTask {
  /** The boundary at or after this position; null: the next boundary. */
  after: BinlogResumePosition | null;
  run: () => Promise<void>;
  /** The pump ended (stop or failure) before the boundary came. */
  abandon: () => void;
}

/** Rows an open transaction keeps in memory before the rest goes to a temporary file. */
const SPILL_AFTER_ROWS = 5_000;

/**
 * Then rows go to the file this many at a time, and come back as parts of that size: a few
 * milliseconds of reading, so they are garbage before V8 would promote them.
 */
const SPILL_EVERY_ROWS = 500;

/**
 * Binlog bytes of rows an open transaction keeps in memory before the rest goes to the file, and
 * then goes to the file at a time: large rows spill long before 5,000 of them (a transaction of
 * forty 15 MB rows was held whole).
 */
const SPILL_AFTER_BYTES = 16 * 1024 * 1024;
const SPILL_EVERY_BYTES = 4 * 1024 * 1024;

/**
 * Unacknowledged bytes at which sending a spilled transaction waits. Lower than the stream's
 * limit: a part is many small messages, and their objects, not their bytes, fill the heap.
 */
const PART_UNACKED_BYTES = 4 * 1024 * 1024;

type Transaction = Extract<AssembledUnit, { type: "transaction" }>;

/**
 * The unit with every row in memory: the initial sync's reconciliation looks at a whole
 * transaction at once (so a huge one during an initial sync is held whole, as before).
 */
function inMemory(unit: AssembledUnit): AssembledUnit {
  if (unit.type !== "transaction" || !unit.spilled) return unit;
  const rows = [...unit.spilled.batches()].flat();
  unit.spilled.discard();
  return { ...unit, rows: [...rows, ...unit.rows], spilled: undefined };
}

export class EventPump {
  readonly #p: EventPumpParts;
  /** Tasks waiting for their unit boundary, in the order asked. */
  #tasks: UnitBoundaryTask[] = [];
  readonly #assembler = new TransactionAssembler({ spillAfterRows: SPILL_AFTER_ROWS, spillEveryRows: SPILL_EVERY_ROWS, spillAfterBytes: SPILL_AFTER_BYTES, spillEveryBytes: SPILL_EVERY_BYTES });
  /** Whether the open transaction's spilling was logged. */
  #spillNoted = false;
  #skipBeforeSeconds: number | null;
  /** True while the reader has handed over everything the server sent so far. */
  readerIdle = false;

  constructor(parts: EventPumpParts) {
    this.#p = parts;
    this.#skipBeforeSeconds = parts.skipBeforeSeconds;
  }

  /** The initial sync beside the stream; a live change sets one for the tables it adds. */
  set snapshot(run: SnapshotRun | null) {
    this.#p.snapshot = run;
  }

  /** Runs `task` at the first unit boundary at or after `task.after` (or when the reader is idle). */
  atBoundary(task: UnitBoundaryTask): void {
    this.#tasks.push(task);
    this.#p.reader.interrupt();
  }

  /** Runs the waiting tasks whose boundary this is, in order; `position` null: the reader is idle. */
  async #runTasks(position: BinlogResumePosition | null): Promise<void> {
    while (this.#tasks.length > 0) {
      const task = this.#tasks[0] as UnitBoundaryTask;
      if (position && task.after && comparePoints(position, task.after) < 0) return;
      this.#tasks.shift();
      await task.run();
    }
  }

  /** Resolves on a stop request; rejects with the session's first failure. */
  async run(): Promise<void> {
    const { reader, signals } = this.#p;
    try {
      while (!signals.halted) {
        const events = reader.take();
        if (events.length === 0) {
          await this.#idle();
          continue;
        }
        this.readerIdle = false;
        await this.#handle(events);
        await this.#relieve();
      }
    } finally {
      for (const task of this.#tasks.splice(0)) task.abandon();
    }
    signals.throwIfFailed();
  }

  /** Nothing to read: lets the snapshot catch up, then waits for events, snapshot work or a signal. */
  async #idle(): Promise<void> {
    const { reader, signals } = this.#p;
    await this.#runTasks(null);
    // Events that arrived while the tasks ran come first: the reader's position, which tells the
    // sync that the stream passed a chunk's high watermark, is past them, and a chunk closed
    // before they were handled would get its rows again from the stream (sent twice).
    if (reader.hasQueuedEvents) return;
    // Read after the tasks: a live change among them may have started a sync of added tables.
    const snapshot = this.#p.snapshot;
    if (snapshot && !snapshot.complete) await snapshot.onIdle(reader.currentPosition());
    this.readerIdle = this.#backlogRead();
    if (this.#tasks.length > 0) return;
    const snapshotWork = snapshot && !snapshot.complete ? [snapshot.whenWork()] : [];
    await signals.race([reader.waitForEvents(), ...snapshotWork]);
  }

  async #handle(events: SourceEvent[]): Promise<void> {
    const { emitter } = this.#p;
    for (const event of events) {
      let unit = this.#assembler.push(event);
      if (!unit) {
        this.#noteSpilling();
        continue;
      }
      this.#spillNoted = false;
      if (this.#skipped(unit)) continue;
      if (unit.type === "transaction" && unit.xa && !unit.xa.prepared) this.#warnUnseenXaPrepare(unit);
      const snapshot = this.#p.snapshot;
      if (snapshot && !snapshot.complete) {
        unit = await snapshot.admit(inMemory(unit));
        // Let through because the sync failed or stopped meanwhile: it may not follow its rows.
        if (this.#p.signals.halted) return;
      }
      if (unit.type === "transaction" && unit.spilled) await this.#emitInParts(unit);
      else {
        if (emitter.needsPreparation(unit)) await emitter.prepare(unit);
        emitter.emit(unit);
      }
      if (this.#tasks.length > 0) await this.#runTasks(unit.type === "ddl" ? unit.event.position : unit.position);
    }
  }

  /** Says once per transaction that a large one is being read (nothing is sent until its COMMIT, so the delay grows meanwhile). */
  #noteSpilling(): void {
    if (this.#spillNoted || this.#assembler.spilledRows === 0) return;
    this.#spillNoted = true;
    this.#p.log.info({ rowsSoFar: this.#assembler.spilledRows }, "reading a large transaction: its rows go to a temporary file and are sent at its COMMIT");
  }

  /** A transaction whose first rows were spilled to disk: read back and sent a part at a time, with back-pressure between parts. */
  async #emitInParts(unit: Transaction): Promise<void> {
    const { emitter } = this.#p;
    const spilled = unit.spilled as SpilledRows;
    this.#p.log.info({ rows: spilled.rowCount + unit.rows.reduce((n, e) => n + e.rows.length, 0), position: unit.position }, "sending a large transaction in parts");
    try {
      const parts = emitter.beginParts(unit);
      for (const rows of spilled.batches()) {
        const part = { ...unit, rows, spilled: undefined };
        if (emitter.needsPreparation(part)) await emitter.prepare(part);
        emitter.emitPart(parts, unit, rows);
        // Lets the sender run between parts, then waits while too much is unacknowledged.
        await new Promise((resolve) => setImmediate(resolve));
        await this.#relieve(Math.min(this.#p.maxUnackedBytes, PART_UNACKED_BYTES));
      }
      if (emitter.needsPreparation(unit)) await emitter.prepare(unit);
      emitter.finishParts(parts, unit);
    } finally {
      spilled.discard();
    }
  }

  #backlogRead(): boolean {
    const end = this.#p.backlogEnd;
    if (!end) return true;
    const at = this.#p.reader.currentPosition();
    if (at.file === "" || comparePoints(at, end) < 0) return false;
    this.#p.backlogEnd = null;
    return true;
  }

  /** Drops data committed before the start timestamp, until the first unit at or after it. */
  #skipped(unit: AssembledUnit): boolean {
    // Only data can be skipped: an XA prepare must reach the emitter so its commit is sent.
    if (this.#skipBeforeSeconds === null || (unit.type !== "transaction" && unit.type !== "ddl")) return false;
    if ((unit.type === "ddl" ? unit.event.timestampSeconds : unit.timestampSeconds) >= this.#skipBeforeSeconds) {
      this.#skipBeforeSeconds = null;
      return false;
    }
    // Emitting a transaction without its rows moves the position and ends an XA hold.
    if (unit.type === "ddl") this.#p.tracker.register(unit.event.position, 0, 0);
    else {
      unit.spilled?.discard();
      this.#p.emitter.emit({ ...unit, rows: [], spilled: undefined, timestampSeconds: 0 });
    }
    return true;
  }

  /** Back-pressure: above the limit the reader pauses until Kafka has acknowledged down to half. */
  async #relieve(maxUnackedBytes = this.#p.maxUnackedBytes): Promise<void> {
    const { reader, sender, signals } = this.#p;
    if (sender.unackedBytes <= maxUnackedBytes) return;
    const lowWater = maxUnackedBytes / 2;
    reader.pause();
    while (sender.unackedBytes > lowWater && !signals.halted) await signals.race([sender.drainedTo(lowWater)]);
    reader.resume();
  }

  /** An XA COMMIT whose XA PREPARE (and so its rows) lies before where this stream began. */
  #warnUnseenXaPrepare(unit: Extract<AssembledUnit, { type: "transaction" }>): void {
    this.#p.log.warn(
      { xa: unit.xa?.id, position: unit.position },
      "an XA transaction committed whose XA PREPARE is before this pipeline's start position: if it wrote to selected tables, its rows were never in the stream read here and are not sent; run an initial sync of the tables it touched if they matter",
    );
  }
}
