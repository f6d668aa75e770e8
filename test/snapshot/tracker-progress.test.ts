// Snapshot progress rides along with the checkpoint tracker: it becomes part of the safe point
// only once the chunk's messages (and everything registered before) are acknowledged, and later
// stream transactions carry it forward. Chunks register steps of the table they moved, not
// copies of the whole record.
import { describe, expect, it } from "vitest";
import { CheckpointTracker } from "../../src/runtime/checkpoint/tracker.js";
import { ProgressReporter } from "../../src/runtime/snapshot/progress-reporter.js";
import { emptyProgress } from "../../src/runtime/snapshot/snapshot-progress.js";
import { ProgressLedger } from "../../src/runtime/snapshot/progress-ledger.js";
import { createLogger } from "../../src/runtime/logger.js";

const at = (offset: number) => ({ file: "b.000001", offset, gtidSet: null });

describe("CheckpointTracker with snapshot progress", () => {
  it("saves a chunk's progress only after its messages and earlier ones are acked", () => {
    const tracker = new CheckpointTracker(null);
    const ledger = new ProgressLedger(emptyProgress([["d.t", 10]]));
    const stream = tracker.register(at(100), 1, 1);
    const chunk = tracker.register(at(200), 2, 1, ledger.chunk("d.t", { rows: 2, done: false, finishedUpTo: ["i:5"] }));
    tracker.ack(chunk, 2);
    expect(tracker.safe).toBeNull();
    tracker.ack(stream, 1);
    const saved = tracker.safe?.snapshot;
    expect(saved?.tables["d.t"]?.finishedUpTo).toEqual(["i:5"]);
    const later = tracker.register(at(300), 1, 2);
    tracker.ack(later, 1);
    expect(tracker.safe?.position.offset).toBe(300);
    expect(tracker.safe?.snapshot).toBe(saved);
  });

  it("applies later chunks as steps of one table each, and never changes a safe point it handed out", () => {
    const tracker = new CheckpointTracker(null);
    const ledger = new ProgressLedger(emptyProgress([["d.a", 4], ["d.b", 4]]));
    const first = ledger.chunk("d.a", { rows: 2, done: false, finishedUpTo: ["i:2"] });
    expect(first?.kind).toBe("whole");
    tracker.register(at(100), 0, 1, first);
    const handedOut = structuredClone(tracker.safe?.snapshot);
    const held = tracker.safe?.snapshot;
    const second = ledger.chunk("d.b", { rows: 4, done: true });
    expect(second).toEqual({ kind: "tables", tables: [["d.b", { finishedUpTo: null, done: true, rowsDone: 4, chunksDone: 1 }]] });
    tracker.register(at(200), 0, 1, second);
    tracker.register(at(300), 0, 1, ledger.chunk("d.a", { rows: 2, done: true }));
    expect(ledger.completeIfDone()).toEqual({ kind: "tables", tables: [], complete: true });
    tracker.register(at(400), 0, 1, { kind: "tables", tables: [], complete: true });
    expect(held).toEqual(handedOut);
    expect(tracker.safe?.snapshot).toEqual({ ...ledger.progress });
    expect(tracker.safe?.snapshot?.tables["d.a"]).toEqual({ finishedUpTo: ["i:2"], done: true, rowsDone: 4, chunksDone: 2 });
    expect(tracker.safe?.snapshot?.complete).toBe(true);
  });

  it("starts from the progress of the checkpoint it resumes, without changing it", () => {
    const resumed = emptyProgress([["d.a", 4]]);
    const copy = structuredClone(resumed);
    const tracker = new CheckpointTracker({ position: at(50), eventTimeSeconds: 0, snapshot: resumed });
    tracker.register(at(100), 0, 1, { kind: "tables", tables: [["d.a", { finishedUpTo: ["i:9"], done: false, rowsDone: 9, chunksDone: 1 }]] });
    expect(resumed).toEqual(copy);
    expect(tracker.safe?.snapshot?.tables["d.a"]?.rowsDone).toBe(9);
  });

  it("refuses a step of tables before any progress was registered whole", () => {
    const tracker = new CheckpointTracker(null);
    expect(() => tracker.register(at(100), 0, 1, { kind: "tables", tables: [] })).toThrow(/registered whole/);
  });
});

describe("ProgressLedger", () => {
  it("registers the whole record first, then nothing for registrations that move nothing", () => {
    const ledger = new ProgressLedger(emptyProgress([["d.a", 1]]));
    expect(ledger.unchanged()?.kind).toBe("whole");
    expect(ledger.unchanged()).toBeUndefined();
    expect(ledger.schemaSent()).toEqual({ kind: "tables", tables: [], schemaDone: true });
    expect(ledger.completeIfDone()).toBeNull();
    ledger.chunk("d.a", { rows: 1, done: true });
    expect(ledger.completeIfDone()?.kind).toBe("tables");
    expect(ledger.completeIfDone()).toBeNull();
  });

  it("counts tables already done in the resumed record", () => {
    const start = emptyProgress([["d.a", 1], ["d.b", 1]]);
    start.tables["d.a"]!.done = true;
    const ledger = new ProgressLedger(start);
    expect(ledger.chunk("d.b", { rows: 1, done: true })?.kind).toBe("whole");
    expect(ledger.completeIfDone()).toEqual({ kind: "tables", tables: [], complete: true });
    expect(start.complete).toBe(false);
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

  it("draws, for many tables, the ones being copied and one line for the rest", () => {
    const writes: string[] = [];
    const terminal = { write: (text: string) => void writes.push(text) } as unknown as NodeJS.WriteStream;
    const reporter = new ProgressReporter({ log: createLogger({ pretty: false, level: "silent" }), terminal, intervalMs: 0 });
    for (let i = 0; i < 30; i++) reporter.addTable(`d.t${i}`, 10, 0, false);
    for (let i = 0; i < 25; i++) reporter.advance(`d.t${i}`, 10, true);
    reporter.started("d.t25");
    reporter.advance("d.t25", 4, false);
    const last = (writes.at(-1) as string).split("\n").filter(Boolean);
    expect(last).toHaveLength(2);
    expect(last[0]).toContain("d.t25");
    expect(last[1]).toContain("25 of 30 tables done, 1 being copied, 4 waiting; 254 rows copied");
  });
});
