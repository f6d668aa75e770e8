// Snapshot progress rides along with the checkpoint tracker: it becomes part of the safe point
// only once the chunk's messages (and everything registered before) are acknowledged, and later
// stream transactions carry it forward.
import { describe, expect, it } from "vitest";
import { CheckpointTracker } from "../../src/runtime/checkpoint/tracker.js";
import { ProgressReporter } from "../../src/runtime/snapshot/progress-reporter.js";
import { emptyProgress } from "../../src/runtime/snapshot/snapshot-progress.js";
import { createLogger } from "../../src/runtime/logger.js";

const at = (offset: number) => ({ file: "b.000001", offset, gtidSet: null });

describe("CheckpointTracker with snapshot progress", () => {
  it("saves a chunk's progress only after its messages and earlier ones are acked", () => {
    const tracker = new CheckpointTracker(null);
    const first = emptyProgress([["d.t", 10]]);
    const second = structuredClone(first);
    second.tables["d.t"]!.finishedUpTo = ["i:5"];
    const stream = tracker.register(at(100), 1, 1);
    const chunk = tracker.register(at(200), 2, 1, second);
    tracker.ack(chunk, 2);
    expect(tracker.safe).toBeNull();
    tracker.ack(stream, 1);
    expect(tracker.safe?.snapshot?.tables["d.t"]?.finishedUpTo).toEqual(["i:5"]);
    const later = tracker.register(at(300), 1, 2);
    tracker.ack(later, 1);
    expect(tracker.safe?.position.offset).toBe(300);
    expect(tracker.safe?.snapshot).toBe(second);
  });
});

describe("ProgressReporter", () => {
  it("publishes per-table progress as metrics", () => {
    const seen: [string, number, number][] = [];
    const reporter = new ProgressReporter({ log: createLogger({ pretty: false, level: "silent" }), terminal: null, metrics: { setSnapshotProgress: (t, d, n) => void seen.push([t, d, n]) } });
    reporter.addTable("d.t", 100, 0, false);
    reporter.advance("d.t", 40, false);
    reporter.advance("d.t", 90, true);
    expect(seen).toEqual([["d.t", 0, 100], ["d.t", 40, 100], ["d.t", 90, 90]]);
  });
});
