// How the sender cuts batches, keeps sends in flight and acknowledges, against a producer whose
// sends complete when the test says so.
import { describe, expect, it } from "vitest";
import { BatchSender, type BatchSenderOptions } from "../../src/runtime/sink/batch-sender.js";
import type { IdempotentProducer, PartitionMessages } from "../../src/runtime/sink/idempotent-producer.js";

function heldProducer() {
  const sends: { parts: PartitionMessages[]; complete: () => void; fail: (error: Error) => void }[] = [];
  const producer = {
    send: (parts: PartitionMessages[]) => new Promise<void>((complete, fail) => sends.push({ parts, complete, fail })),
  };
  return { producer: producer as unknown as IdempotentProducer, sends };
}

function sender(options: Partial<BatchSenderOptions> = {}) {
  const { producer, sends } = heldProducer();
  const acks: [number, number][] = [];
  const errors: unknown[] = [];
  const batches = new BatchSender(producer, {
    maxBatchBytes: 1_000_000,
    maxPartitionBytes: 1_000_000,
    maxBatchMessages: 1_000,
    maxInFlight: 2,
    onAck: (seq, count) => acks.push([seq, count]),
    onError: (error) => errors.push(error),
    ...options,
  });
  return { batches, sends, acks, errors };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const message = (value: string) => ({ key: null, value: Buffer.from(value) });

describe("batch sender", () => {
  it("groups a burst per partition", async () => {
    const { batches, sends } = sender();
    batches.enqueue("t", 0, message("a"), 1);
    batches.enqueue("t", 1, message("b"), 1);
    batches.enqueue("t", 0, message("c"), 2);
    batches.enqueue("u", 0, message("d"), 2);
    await tick();
    expect(sends).toHaveLength(1);
    expect(sends[0]?.parts.map((p) => [p.topic, p.partition, p.messages.map((m) => String(m.value))])).toEqual([
      ["t", 0, ["a", "c"]],
      ["t", 1, ["b"]],
      ["u", 0, ["d"]],
    ]);
    expect(sends[0]?.parts[0]?.messages[0]).toEqual({ key: null, value: Buffer.from("a") });
  });

  it("starts a new batch at the message, byte and per-partition limits", async () => {
    const { batches, sends } = sender({ maxBatchMessages: 2, maxInFlight: 5 });
    for (let i = 0; i < 5; i++) batches.enqueue("t", 0, message(`m${i}`), i);
    await tick();
    expect(sends.map((s) => s.parts[0]?.messages.length)).toEqual([2, 2, 1]);

    const partitionCap = sender({ maxPartitionBytes: 200, maxInFlight: 5 });
    for (let i = 0; i < 3; i++) partitionCap.batches.enqueue("t", 0, message("x".repeat(100)), i);
    await tick();
    expect(partitionCap.sends).toHaveLength(3);
  });

  it("keeps each topic's part of a batch within that topic's own bound (its max.message.bytes)", async () => {
    const { batches, sends } = sender({ maxPartitionBytes: 10_000, maxInFlight: 10, topicPartitionBytes: new Map([["small", 400]]) });
    for (let i = 0; i < 6; i++) {
      batches.enqueue("small", 0, message("x".repeat(100)), i);
      batches.enqueue("big", 0, message("y".repeat(100)), i);
    }
    await tick();
    const partsOf = (topic: string) => sends.flatMap((s) => s.parts.filter((p) => p.topic === topic).map((p) => p.messages.length));
    // 164 estimated bytes a message: two fit in 400
    expect(partsOf("small")).toEqual([2, 2, 2]);
    expect(partsOf("big").reduce((a, b) => a + b, 0)).toBe(6);
  });

  it("keeps at most maxInFlight batches at the producer and acknowledges runs in order", async () => {
    const { batches, sends, acks } = sender({ maxBatchMessages: 1 });
    for (let i = 0; i < 4; i++) batches.enqueue("t", 0, message(`m${i}`), 10 + Math.floor(i / 2));
    await tick();
    expect(sends).toHaveLength(2);
    expect(batches.unackedBytes).toBeGreaterThan(0);
    sends[0]?.complete();
    await tick();
    expect(acks).toEqual([[10, 1]]);
    expect(sends).toHaveLength(3);
    for (const send of sends.slice(1)) send.complete();
    await tick();
    sends[3]?.complete();
    await batches.flush();
    expect(acks).toEqual([[10, 1], [10, 1], [11, 1], [11, 1]]);
    expect(batches.unackedBytes).toBe(0);
  });

  it("drainedTo resolves once enough is acknowledged, without waiting for everything", async () => {
    const { batches, sends } = sender({ maxBatchMessages: 1 });
    batches.enqueue("t", 0, message("x".repeat(1000)), 1);
    batches.enqueue("t", 0, message("y".repeat(1000)), 2);
    await tick();
    let drained = false;
    const waiting = batches.drainedTo(1100).then(() => (drained = true));
    await tick();
    expect(drained).toBe(false);
    sends[0]?.complete();
    await waiting;
    expect(batches.unackedBytes).toBeGreaterThan(1000);
  });

  it("reports the producer's failure once and stops taking messages", async () => {
    const { batches, sends, errors } = sender({ maxBatchMessages: 1 });
    batches.enqueue("t", 0, message("a"), 1);
    batches.enqueue("t", 0, message("b"), 2);
    await tick();
    sends[0]?.fail(new Error("refused"));
    sends[1]?.fail(new Error("refused too"));
    await tick();
    expect(errors).toEqual([new Error("refused")]);
    batches.enqueue("t", 0, message("c"), 3);
    await tick();
    expect(sends).toHaveLength(2);
    await batches.flush();
  });
});
