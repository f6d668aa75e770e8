// A live spec change waits in the event pump for its unit boundary: it runs right after the
// first unit at or past the position the reader had reached when it was asked, never in the
// middle of a transaction; an initial sync it starts is served at once; and it is abandoned (never left hanging) when the pump ends first.
import { describe, expect, it } from "vitest";
import type { BinlogResumePosition } from "../../src/runtime/checkpoint/checkpoint.js";
import { CheckpointTracker } from "../../src/runtime/checkpoint/tracker.js";
import { createLogger } from "../../src/runtime/logger.js";
import { EventPump, type EventPumpParts } from "../../src/runtime/session/event-pump.js";
import type { SnapshotRun } from "../../src/runtime/snapshot/index.js";
import { SessionSignals } from "../../src/runtime/session/session-signals.js";
import type { SourceEvent } from "../../src/runtime/source/binlog-events.js";
import { BinlogTableMap } from "../../src/runtime/source/table-map.js";

const at = (offset: number): BinlogResumePosition => ({ file: "mysql-bin.000001", offset, gtidSet: null });
const map = new BinlogTableMap("d", "t", 1, ["id"], null);
const transaction = (id: number, offset: number): SourceEvent[] => [
  { type: "begin", gtid: null, timestampSeconds: 1 },
  { type: "rows", kind: "insert", database: "d", table: "t", tableMap: map, rows: [[id]], timestampSeconds: 1 },
  { type: "commit", xid: String(id), position: at(offset), timestampSeconds: 1 },
];

function pumpOver(batches: SourceEvent[][], signals: SessionSignals) {
  const log: string[] = [];
  let position = at(4);
  const reader = {
    take: () => {
      const batch = batches.shift() ?? [];
      for (const event of batch) if ("position" in event) position = event.position;
      return batch;
    },
    waitForEvents: () => new Promise<void>(() => undefined),
    currentPosition: () => position,
    get hasQueuedEvents() {
      return batches.length > 0;
    },
    /** Events arriving from the server: the real reader's position moves as it parses them, before the pump takes them. */
    arrive: (batch: SourceEvent[]) => {
      batches.push(batch);
      for (const event of batch) if ("position" in event) position = event.position;
    },
    pause: () => undefined,
    resume: () => undefined,
    interrupt: () => undefined,
  };
  const emitter = {
    needsPreparation: () => false,
    emit: (unit: { type: string; position?: BinlogResumePosition }) => log.push(`${unit.type}@${unit.position?.offset}`),
  };
  const parts = { reader, sender: { unackedBytes: 0 }, tracker: new CheckpointTracker(), emitter, snapshot: null, signals, log: createLogger({ level: "silent" }), maxUnackedBytes: 1 << 20, skipBeforeSeconds: null } as unknown as EventPumpParts;
  return { pump: new EventPump(parts), log, reader };
}

describe("a change waiting for its unit boundary", () => {
  it("runs after the first unit at or past the reader's position, between whole transactions", async () => {
    const signals = new SessionSignals();
    const { pump, log } = pumpOver([[...transaction(1, 100), ...transaction(2, 200).slice(0, 2)], [...transaction(2, 200).slice(2), ...transaction(3, 300)]], signals);
    pump.atBoundary({ after: at(150), run: async () => void log.push("change"), abandon: () => log.push("abandoned") });
    const running = pump.run();
    await new Promise((r) => setTimeout(r, 20));
    signals.requestStop();
    await running;
    expect(log).toEqual(["transaction@100", "transaction@200", "change", "transaction@300"]);
  });

  it("runs once the reader is idle: everything it had queued is sent", async () => {
    const signals = new SessionSignals();
    const { pump, log } = pumpOver([transaction(1, 100)], signals);
    pump.atBoundary({ after: at(999), run: async () => void log.push("change"), abandon: () => log.push("abandoned") });
    const running = pump.run();
    await new Promise((r) => setTimeout(r, 20));
    signals.requestStop();
    await running;
    expect(log).toEqual(["transaction@100", "change"]);
  });

  it("lets an initial sync that a change started on an idle stream work at once, not at the next binlog event", async () => {
    const signals = new SessionSignals();
    const { pump, log } = pumpOver([transaction(1, 100)], signals);
    const snapshot = {
      complete: false,
      onIdle: async () => void log.push("snapshot idle"),
      whenWork: () => new Promise<void>(() => undefined),
    };
    pump.atBoundary({ after: at(999), run: async () => void (pump.snapshot = snapshot as unknown as SnapshotRun), abandon: () => log.push("abandoned") });
    const running = pump.run();
    await new Promise((r) => setTimeout(r, 20));
    signals.requestStop();
    await running;
    expect(log).toEqual(["transaction@100", "snapshot idle"]);
  });

  it("hands events that arrived while a change ran to the stream before telling the sync where the reader is", async () => {
    const signals = new SessionSignals();
    const { pump, log, reader } = pumpOver([transaction(1, 100)], signals);
    const snapshot = {
      complete: false,
      // A chunk whose high watermark the position passed is closed here: its rows must not come again after.
      onIdle: async (position: BinlogResumePosition) => void log.push(`snapshot idle@${position.offset}`),
      admit: async (unit: unknown) => unit,
      whenWork: () => new Promise<void>(() => undefined),
    };
    const change = async () => {
      pump.snapshot = snapshot as unknown as SnapshotRun;
      reader.arrive(transaction(2, 200));
      log.push("change");
    };
    pump.atBoundary({ after: at(999), run: change, abandon: () => log.push("abandoned") });
    const running = pump.run();
    await new Promise((r) => setTimeout(r, 20));
    signals.requestStop();
    await running;
    expect(log).toEqual(["transaction@100", "change", "transaction@200", "snapshot idle@200"]);
  });

  it("is abandoned when the pump ends before the boundary", async () => {
    const signals = new SessionSignals();
    const { pump, log } = pumpOver([transaction(1, 100)], signals);
    pump.atBoundary({ after: at(999), run: async () => void log.push("change"), abandon: () => log.push("abandoned") });
    signals.fail(new Error("the stream broke"));
    await expect(pump.run()).rejects.toThrow("the stream broke");
    expect(log).toEqual(["abandoned"]);
  });
});
