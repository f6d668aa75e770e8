import { describe, expect, it } from "vitest";
import { CheckpointTracker } from "../../src/runtime/checkpoint/tracker.js";

const pos = (offset: number) => ({ file: "bin.000001", offset, gtidSet: null });

describe("CheckpointTracker", () => {
  it("moves only past transactions whose every message and every predecessor is acked", () => {
    const tracker = new CheckpointTracker();
    const a = tracker.register(pos(100), 2, 1);
    const b = tracker.register(pos(200), 1, 2);
    const c = tracker.register(pos(300), 3, 3);
    expect(tracker.safe).toBe(null);
    tracker.ack(c, 3);
    tracker.ack(b, 1);
    expect(tracker.safe).toBe(null);
    tracker.ack(a, 1);
    expect(tracker.safe).toBe(null);
    tracker.ack(a, 1);
    expect(tracker.safe?.position.offset).toBe(300);
    expect(tracker.safe?.eventTimeSeconds).toBe(3);
    expect(tracker.unacknowledged).toBe(0);
  });

  it("lets empty transactions through once everything before them is acked", () => {
    const tracker = new CheckpointTracker({ position: pos(10), eventTimeSeconds: 0 });
    expect(tracker.safe?.position.offset).toBe(10);
    tracker.register(pos(20), 0, 0);
    expect(tracker.safe?.position.offset).toBe(20);
    const seq = tracker.register(pos(30), 1, 0);
    tracker.register(pos(40), 0, 0);
    expect(tracker.safe?.position.offset).toBe(20);
    tracker.ack(seq, 1);
    expect(tracker.safe?.position.offset).toBe(40);
  });

  it("hands out sequence numbers before registration and survives compaction", () => {
    const tracker = new CheckpointTracker();
    for (let i = 0; i < 5000; i++) {
      const seq = tracker.nextSeq;
      expect(tracker.register(pos(i + 1), 1, 0)).toBe(seq);
      tracker.ack(seq, 1);
    }
    expect(tracker.safe?.position.offset).toBe(5000);
    const late = tracker.register(pos(6000), 2, 0);
    const later = tracker.register(pos(7000), 1, 0);
    tracker.ack(later, 1);
    tracker.ack(late, 2);
    expect(tracker.safe?.position.offset).toBe(7000);
  });

  it("rejects an ack for more messages than the transaction has", () => {
    const tracker = new CheckpointTracker();
    const seq = tracker.register(pos(1), 1, 0);
    expect(() => tracker.ack(seq, 2)).toThrow(/unexpected ack/);
  });

  it("holds the safe position before a prepared XA branch until its commit's messages are acked", () => {
    const tracker = new CheckpointTracker({ position: pos(10), eventTimeSeconds: 0 });
    const hold = tracker.hold(pos(100), 1);
    tracker.register(pos(200), 0, 2);
    const between = tracker.register(pos(300), 1, 3);
    tracker.ack(between, 1);
    expect(tracker.safe?.position.offset).toBe(10);
    tracker.release(hold, 2);
    tracker.register(pos(400), 0, 4);
    tracker.ack(hold, 1);
    expect(tracker.safe?.position.offset).toBe(10);
    tracker.ack(hold, 1);
    expect(tracker.safe?.position.offset).toBe(400);
    expect(tracker.unacknowledged).toBe(0);
  });

  it("lets a rolled-back XA branch go with no messages", () => {
    const tracker = new CheckpointTracker();
    const hold = tracker.hold(pos(100), 1);
    tracker.register(pos(200), 0, 2);
    expect(tracker.safe).toBe(null);
    tracker.release(hold, 0);
    expect(tracker.safe?.position.offset).toBe(200);
    expect(() => tracker.release(hold, 0)).toThrow(/no hold/);
  });
});
