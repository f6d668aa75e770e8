// The initial sync's progress as the copy moves it, and the step each registration hands the
// checkpoint tracker (snapshot-progress.ts): the first carries the whole record, later ones
// only the table a chunk moved. Cloning the whole record per chunk, as before, made a sync of
// thousands of small tables quadratic (3,000 tables spent 59% of the time cloning).
import { cloneProgress, type ProgressStep, type SnapshotProgress, type TableSnapshotProgress } from "./snapshot-progress.js";

export interface ChunkOutcome {
  rows: number;
  done: boolean;
  /** The encoded key the table is finished up to; undefined leaves it as it was. */
  finishedUpTo?: string[];
}

export class ProgressLedger {
  readonly #progress: SnapshotProgress;
  /** Tables not done yet, so that completion is not a walk over every table per chunk. */
  #left: number;
  #wholeRegistered = false;

  constructor(start: SnapshotProgress) {
    this.#progress = cloneProgress(start);
    this.#left = Object.values(this.#progress.tables).filter((t) => !t.done).length;
  }

  /** The live record; read it, change it only through this class. */
  get progress(): SnapshotProgress {
    return this.#progress;
  }

  table(id: string): TableSnapshotProgress | undefined {
    return Object.hasOwn(this.#progress.tables, id) ? this.#progress.tables[id] : undefined;
  }

  /** A one-pass table starts over: its earlier count is not resumed. Returns that count. */
  restart(id: string): number {
    const entry = this.table(id);
    const before = entry?.rowsDone ?? 0;
    if (entry) entry.rowsDone = 0;
    return before;
  }

  /** Records a chunk (or one-pass batch) of table `id`; returns the step to register with its messages. */
  chunk(id: string, outcome: ChunkOutcome): ProgressStep | undefined {
    const entry = this.table(id);
    if (!entry) return this.#step([]);
    if (outcome.finishedUpTo !== undefined) entry.finishedUpTo = outcome.finishedUpTo;
    if (outcome.done && !entry.done) this.#left--;
    entry.done = outcome.done;
    entry.rowsDone += outcome.rows;
    entry.chunksDone++;
    return this.#step([id]);
  }

  /** The step of a registration that moved nothing (schema records). */
  unchanged(): ProgressStep | undefined {
    return this.#step([]);
  }

  schemaSent(): ProgressStep {
    this.#progress.schemaDone = true;
    return this.#whole() ?? { kind: "tables", tables: [], schemaDone: true };
  }

  /** Marks the sync complete once every table is done; null while some are not (or it already was). */
  completeIfDone(): ProgressStep | null {
    if (this.#progress.complete || this.#left > 0) return null;
    this.#progress.complete = true;
    return this.#whole() ?? { kind: "tables", tables: [], complete: true };
  }

  /** The whole record, for the first registration only. */
  #whole(): ProgressStep | undefined {
    if (this.#wholeRegistered) return undefined;
    this.#wholeRegistered = true;
    return { kind: "whole", progress: cloneProgress(this.#progress) };
  }

  #step(ids: string[]): ProgressStep | undefined {
    const whole = this.#whole();
    if (whole || ids.length === 0) return whole;
    // A copy of each entry: the ledger goes on changing its own.
    return { kind: "tables", tables: ids.map((id) => [id, { ...(this.#progress.tables[id] as TableSnapshotProgress) }]) };
  }
}
