// Whether a session moved its pipeline forward, which ends an outage for the retry window
// (retry-window.ts): a failing pipeline that still gets somewhere is not given up on. While an
// initial sync is under way, only the copy counts: the binlog position moves with every other
// table's traffic, so a copy failing at the same row again and again would otherwise retry for
// ever instead of running its window out.
import type { SafePoint } from "../checkpoint/tracker.js";
import type { SnapshotProgress } from "../snapshot/snapshot-progress.js";

/** How far a sync got: rows copied (a one-pass table that starts over counts from 0 again), tables done, the schema records. */
function copied(progress: SnapshotProgress | undefined): number {
  if (!progress) return -1;
  let amount = progress.schemaDone ? 1 : 0;
  for (const table of Object.values(progress.tables)) amount += table.rowsDone + (table.done ? 1 : 0);
  return amount;
}

export class SessionProgress {
  readonly #copiedAtStart: number;
  /** Whether a checkpoint this session saved counts as progress. */
  moved = false;

  /** `resumed`: the snapshot record of the checkpoint the session starts from. */
  constructor(resumed: SnapshotProgress | undefined) {
    this.#copiedAtStart = copied(resumed);
  }

  saved(point: SafePoint): void {
    const sync = point.snapshot;
    if (!sync || sync.complete || copied(sync) > this.#copiedAtStart) this.moved = true;
  }
}
