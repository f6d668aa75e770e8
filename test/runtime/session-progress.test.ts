// What counts as a session moving its pipeline forward, for the retry window: any saved checkpoint
// while no initial sync is under way; during one, only rows copied beyond where the session began,
// so a copy failing at one row retries within the window even while the binlog moves on.
import { describe, expect, it } from "vitest";
import type { SafePoint } from "../../src/runtime/checkpoint/tracker.js";
import { SessionProgress } from "../../src/runtime/session/session-progress.js";
import type { SnapshotProgress } from "../../src/runtime/snapshot/snapshot-progress.js";

const sync = (rowsDone: number, complete = false): SnapshotProgress => ({
  tables: { "shop.orders": { finishedUpTo: null, done: false, rowsDone, chunksDone: 1 }, "shop.items": { finishedUpTo: null, done: true, rowsDone: 10, chunksDone: 1 } },
  estimates: {},
  schemaDone: true,
  complete,
});
const point = (snapshot?: SnapshotProgress): SafePoint => ({ position: { file: "b.000001", offset: 400, gtidSet: null }, eventTimeSeconds: 1, ...(snapshot ? { snapshot } : {}) }) as SafePoint;

describe("SessionProgress", () => {
  it("counts any saved checkpoint once no initial sync is under way", () => {
    const progress = new SessionProgress(undefined);
    progress.saved(point());
    expect(progress.moved).toBe(true);
    const finished = new SessionProgress(sync(500));
    finished.saved(point(sync(500, true)));
    expect(finished.moved).toBe(true);
  });

  it("during a sync counts only rows copied beyond where the session began", () => {
    const progress = new SessionProgress(sync(500));
    // The binlog moved; the copy did not (a one-pass table that started over is below it too).
    progress.saved(point(sync(500)));
    progress.saved(point(sync(200)));
    expect(progress.moved).toBe(false);
    progress.saved(point(sync(501)));
    expect(progress.moved).toBe(true);
  });

  it("counts the first rows of a sync that began in this session", () => {
    const progress = new SessionProgress(undefined);
    progress.saved(point(sync(0)));
    expect(progress.moved).toBe(true);
  });
});
