// The producer's ordering and resend rules, against a scripted broker connection (the real
// broker is exercised by the integration and fault suites; here each response is chosen).
import { afterEach, describe, expect, it, vi } from "vitest";
import { IdempotentProducer } from "../../src/runtime/sink/idempotent-producer.js";
import type { KafkaCluster, ProtocolRequest } from "../../src/runtime/sink/kafka-cluster.js";
import { sendError } from "../../src/runtime/sink/kafka-errors.js";
import { IDLE_MS } from "../../src/runtime/sink/partition-sequences.js";
import type { PartitionResult } from "../../src/runtime/sink/produce-request.js";

interface SentRequest {
  /** [partition, base sequence, record count] per record batch in the request. */
  batches: [number, number, number][];
  /** The record batches' bytes, as they were when the request was written. */
  bytes: Buffer;
  respond: (errorCodes: Record<number, number>) => void;
  fail: (error: Error) => void;
}

/** The broker's socket.request.max.bytes as DescribeConfigs answers it: a number, a failure, or no such call. */
type RequestLimitAnswer = number | Error | null;

function scriptedCluster(requestLimit: RequestLimitAnswer = null) {
  const sent: SentRequest[] = [];
  let refreshes = 0;
  let configReads = 0;
  const describeConfigs = async (request: { resources: { type: number; name: string; configNames: string[] }[] }) => {
    configReads++;
    expect(request.resources).toEqual([{ type: 4, name: "1", configNames: ["socket.request.max.bytes"] }]);
    if (requestLimit instanceof Error) throw requestLimit;
    return { resources: [{ errorCode: 0, configEntries: [{ configName: "socket.request.max.bytes", configValue: String(requestLimit) }] }] };
  };
  const broker = {
    nodeId: 1,
    ...(requestLimit === null ? {} : { describeConfigs }),
    connectionPool: {
      async send<T>(protocol: ProtocolRequest<T>): Promise<T> {
        const { buffer: buf } = await protocol.request.encode();
        const batches: [number, number, number][] = [];
        const bytes = Buffer.from(buf);
        let offset = 2 + 2 + 4 + 4; // transactional id, acks, timeout, topic count (one topic)
        offset += 2 + buf.readInt16BE(offset); // topic name
        const partitions = buf.readInt32BE(offset);
        offset += 4;
        for (let p = 0; p < partitions; p++) {
          const partition = buf.readInt32BE(offset);
          const length = buf.readInt32BE(offset + 4);
          const batch = buf.subarray(offset + 8, offset + 8 + length);
          batches.push([partition, batch.readInt32BE(53), batch.readInt32BE(57)]);
          offset += 8 + length;
        }
        return new Promise<T>((resolve, reject) => {
          sent.push({
            batches,
            bytes,
            respond: (codes) => resolve(batches.map(([partition]) => ({ topic: "t", partition, errorCode: codes[partition] ?? 0 })) as PartitionResult[] as T),
            fail: reject,
          });
        });
      },
    },
  };
  const cluster = {
    connect: async () => undefined,
    refresh: async () => {
      refreshes++;
    },
    forget: () => undefined,
    leaderId: () => 1,
    leaderIds: () => [1],
    broker: async () => broker,
    initProducerId: async () => ({ producerId: 7n, producerEpoch: 0 }),
    disconnect: async () => undefined,
  };
  return { cluster: cluster as unknown as KafkaCluster, sent, refreshes: () => refreshes, configReads: () => configReads };
}

const options = { compression: null, maxInFlight: 5, ackTimeoutMs: 1000, retries: 3, initialRetryMs: 1, maxRetryMs: 2 };
const messages = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/**
 * A connected producer. Each of `established` partitions has had a batch (of one message, its
 * sequence 0) acknowledged, so several of its batches may be in flight; those requests are not
 * in `sent`.
 */
async function started(maxInFlight = 5, established: number[] = [], requestLimit: RequestLimitAnswer = null) {
  const script = scriptedCluster(requestLimit);
  const producer = new IdempotentProducer(script.cluster, { ...options, maxInFlight });
  await producer.connect(["t"]);
  if (established.length > 0) {
    const first = producer.send(established.map((partition) => ({ topic: "t", partition, messages: messages(1) })));
    await settle();
    script.sent.splice(0).forEach((request) => request.respond({}));
    await first;
  }
  return { ...script, producer };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("idempotent producer", () => {
  it("numbers each partition's batches and completes sends in call order", async () => {
    const { producer, sent } = await started(5, [0, 1]);
    const done: number[] = [];
    const sends = [3, 2, 4].map((n, i) => producer.send([{ topic: "t", partition: 0, messages: messages(n) }, { topic: "t", partition: 1, messages: messages(1) }]).then(() => done.push(i)));
    await settle();
    expect(sent.map((r) => r.batches)).toEqual([
      [[0, 1, 3], [1, 1, 1]],
      [[0, 4, 2], [1, 2, 1]],
      [[0, 6, 4], [1, 3, 1]],
    ]);
    sent[2]?.respond({});
    sent[1]?.respond({});
    await settle();
    expect(done).toEqual([]);
    sent[0]?.respond({});
    await Promise.all(sends);
    expect(done).toEqual([0, 1, 2]);
  });

  it("copies the messages before send returns: their memory may be reused at once, resends included", async () => {
    // A stand-in codec that keeps the bytes as they are, to cover the compressed path's await.
    const copying = { attribute: 1, compress: async (records: Buffer) => Buffer.from(records) };
    for (const compression of [null, copying]) {
      const script = scriptedCluster();
      const producer = new IdempotentProducer(script.cluster, { ...options, compression });
      await producer.connect(["t"]);
      const reused = [{ key: Buffer.from("key-1"), value: Buffer.from("value-1") }];
      const send = producer.send([{ topic: "t", partition: 0, messages: reused }]);
      for (const m of reused) {
        m.key.fill("X");
        m.value.fill("X");
      }
      await settle();
      script.sent[0]?.fail(Object.assign(new Error("connection lost"), { name: "KafkaJSConnectionError" }));
      await settle();
      script.sent[1]?.respond({});
      await send;
      expect(script.sent).toHaveLength(2);
      // The first request had the batch written into it, the resend a copy: the same bytes.
      expect(script.sent[1]?.bytes).toEqual(script.sent[0]?.bytes);
      for (const request of script.sent) {
        expect(request.bytes.includes("key-1") && request.bytes.includes("value-1")).toBe(true);
        expect(request.bytes.includes("XXXXX")).toBe(false);
      }
    }
  });

  it("keeps at most maxInFlight sends on the wire", async () => {
    const { producer, sent } = await started(2, [0]);
    const sends = [1, 2, 3].map(() => producer.send([{ topic: "t", partition: 0, messages: messages(1) }]));
    await settle();
    expect(sent).toHaveLength(2);
    sent[0]?.respond({});
    await settle();
    expect(sent).toHaveLength(3);
    sent[1]?.respond({});
    sent[2]?.respond({});
    await Promise.all(sends);
  });

  it("after a failure, waits for the requests in flight, then resends every unacknowledged batch with its sequence", async () => {
    const { producer, sent, refreshes } = await started(5, [0]);
    const sends = [2, 2, 2].map((n) => producer.send([{ topic: "t", partition: 0, messages: messages(n) }]));
    await settle();
    const refreshesBefore = refreshes();
    sent[0]?.fail(Object.assign(new Error("connection lost"), { name: "KafkaJSConnectionError" }));
    sent[1]?.respond({ 0: 45 }); // OUT_OF_ORDER_SEQUENCE_NUMBER: its predecessor is missing
    await settle();
    expect(sent).toHaveLength(3); // nothing is resent while a request is still out
    sent[2]?.respond({ 0: 45 });
    await settle();
    expect(refreshes()).toBeGreaterThan(refreshesBefore);
    expect(sent.slice(3).map((r) => r.batches)).toEqual([[[0, 1, 2]], [[0, 3, 2]], [[0, 5, 2]]]);
    sent[3]?.respond({});
    sent[4]?.respond({ 0: 46 }); // DUPLICATE_SEQUENCE_NUMBER: already written
    sent[5]?.respond({});
    await Promise.all(sends);
  });

  it("once disconnected while it waits to resend, fails the sends and sends nothing more", async () => {
    const script = scriptedCluster();
    const producer = new IdempotentProducer(script.cluster, { ...options, initialRetryMs: 50, maxRetryMs: 50 });
    await producer.connect(["t"]);
    const send = producer.send([{ topic: "t", partition: 0, messages: messages(2) }]);
    const outcome = send.then(() => "sent", (error: Error) => error.name);
    await settle();
    script.sent[0]?.fail(Object.assign(new Error("connection lost"), { name: "KafkaJSConnectionError" }));
    await settle();
    await producer.disconnect();
    expect(await outcome).toBe("KafkaClusterClosedError");
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(script.sent).toHaveLength(1);
    expect(script.refreshes()).toBe(0);
  });

  it("resends only the partitions that were not acknowledged", async () => {
    const { producer, sent } = await started();
    const send = producer.send([{ topic: "t", partition: 0, messages: messages(1) }, { topic: "t", partition: 1, messages: messages(1) }]);
    await settle();
    sent[0]?.respond({ 1: 6 }); // NOT_LEADER_FOR_PARTITION on partition 1 only
    await settle();
    expect(sent[1]?.batches).toEqual([[1, 0, 1]]);
    sent[1]?.respond({});
    await send;
  });

  it("sends one batch of a partition at a time until the broker acknowledged one, then several", async () => {
    const { producer, sent } = await started();
    const sends = [1, 2, 3].map(() => producer.send([{ topic: "t", partition: 0, messages: messages(1) }]));
    await settle();
    expect(sent.map((r) => r.batches)).toEqual([[[0, 0, 1]]]);
    sent[0]?.respond({});
    await settle();
    expect(sent.slice(1).map((r) => r.batches)).toEqual([[[0, 1, 1]], [[0, 2, 1]]]);
    sent[1]?.respond({});
    sent[2]?.respond({});
    await Promise.all(sends);
    // A send waits as a whole for a partition of it that is new, however established the others are.
    const mixed = [producer.send([{ topic: "t", partition: 0, messages: messages(1) }, { topic: "t", partition: 1, messages: messages(1) }]), producer.send([{ topic: "t", partition: 1, messages: messages(1) }])];
    await settle();
    expect(sent.slice(3).map((r) => r.batches)).toEqual([[[0, 3, 1], [1, 0, 1]]]);
    sent[3]?.respond({});
    await settle();
    expect(sent.slice(4).map((r) => r.batches)).toEqual([[[1, 1, 1]]]);
    sent[4]?.respond({});
    await Promise.all(mixed);
  });

  it("writes nothing behind a partition's first batch that the broker refuses for good", async () => {
    // A broker without state of the producer id would take the second batch's sequence 1 as a start.
    const { producer, sent } = await started();
    const outcomes = [1, 2, 3].map(() => producer.send([{ topic: "t", partition: 0, messages: messages(1) }]).catch((error: { type?: string }) => error.type));
    await settle();
    sent[0]?.respond({ 0: 10 }); // MESSAGE_TOO_LARGE
    expect(await Promise.all(outcomes)).toEqual(["MESSAGE_TOO_LARGE", "MESSAGE_TOO_LARGE", "MESSAGE_TOO_LARGE"]);
    await settle();
    expect(sent).toHaveLength(1);
  });

  it("sends one batch at a time again once a partition had nothing acknowledged for a while", async () => {
    // The broker forgets a producer's state for a partition after producer.id.expiration.ms.
    vi.useFakeTimers({ toFake: ["Date"] });
    const { producer, sent } = await started(5, [0]);
    vi.setSystemTime(Date.now() + IDLE_MS + 1);
    const sends = [1, 2].map(() => producer.send([{ topic: "t", partition: 0, messages: messages(1) }]));
    await settle();
    expect(sent).toHaveLength(1);
    sent[0]?.respond({});
    await settle();
    expect(sent).toHaveLength(2);
    sent[1]?.respond({});
    await Promise.all(sends);
  });

  it("cuts a send into requests no larger than the broker's socket.request.max.bytes, read once", async () => {
    // The limit counts the request header at its largest (a client id of 32767 bytes): 32777 bytes.
    const limit = 32_777 + 12 + 2 * 1_000;
    const { producer, sent, configReads } = await started(5, [0, 1, 2], limit);
    const value = "v".repeat(900);
    const sends = [1, 2].map(() => producer.send([0, 1, 2].map((partition) => ({ topic: "t", partition, messages: [{ key: null, value }] }))));
    await settle();
    expect(sent.map((r) => r.batches)).toEqual([[[0, 1, 1], [1, 1, 1]], [[2, 1, 1]], [[0, 2, 1], [1, 2, 1]], [[2, 2, 1]]]);
    for (const request of sent) expect(32_777 + request.bytes.length).toBeLessThanOrEqual(limit);
    sent.forEach((request) => request.respond({}));
    await Promise.all(sends);
    expect(configReads()).toBe(1);
  });

  it("fails at once, sending none of it, when one batch is larger than any request the broker reads", async () => {
    const { producer, sent } = await started(5, [0, 1], 40_000);
    const key = '["shop","orders","42"]';
    const failed = producer.send([{ topic: "t", partition: 1, messages: messages(1) }, { topic: "t", partition: 0, messages: [{ key, value: "x".repeat(10_000) }] }]).catch((error: unknown) => error);
    const error = sendError(await failed);
    expect(error.message).toMatch(/^Kafka cannot take a message of 9\.9 KiB for topic t \(partition 0\), the row of shop\.orders with key \["shop","orders","42"\]: a request holding it would be larger than the broker's socket\.request\.max\.bytes \(39\.1 KiB\)/);
    expect(error.hint).toContain("raise socket.request.max.bytes");
    expect(error.retriable).toBe(false);
    expect(error.problemCode).toBe("DTS5008");
    await settle();
    expect(sent).toHaveLength(0);
  });

  it("takes the default 100 MiB when the broker does not answer DescribeConfigs", async () => {
    const { producer, sent, configReads } = await started(5, [], new Error("Cluster authorization failed"));
    const send = producer.send([{ topic: "t", partition: 0, messages: [{ key: null, value: "x".repeat(100_000) }] }]);
    await settle();
    sent[0]?.respond({});
    await send;
    expect(configReads()).toBe(1);
  });

  it("fails every send when the broker refuses a batch for good", async () => {
    const { producer, sent } = await started();
    const first = producer.send([{ topic: "t", partition: 0, messages: messages(1) }]);
    const second = producer.send([{ topic: "t", partition: 0, messages: messages(1) }]);
    await settle();
    sent[0]?.respond({ 0: 10 }); // MESSAGE_TOO_LARGE
    await expect(first).rejects.toMatchObject({ type: "MESSAGE_TOO_LARGE", topic: "t", partition: 0, records: 1, key: "k0" });
    await expect(second).rejects.toMatchObject({ type: "MESSAGE_TOO_LARGE" });
    await expect(producer.send([{ topic: "t", partition: 0, messages: messages(1) }])).rejects.toMatchObject({ type: "MESSAGE_TOO_LARGE" });
  });

  it("fails every send, and sends nothing, when a batch cannot be encoded", async () => {
    for (const compression of [null, { attribute: 1, compress: async (records: Buffer) => Buffer.from(records) }]) {
      const script = scriptedCluster();
      const producer = new IdempotentProducer(script.cluster, { ...options, compression });
      await producer.connect(["t"]);
      const empty = producer.send([{ topic: "t", partition: 0, messages: [] }]);
      await expect(empty).rejects.toThrow(/at least one record/);
      await expect(producer.send([{ topic: "t", partition: 0, messages: messages(1) }])).rejects.toThrow(/at least one record/);
      await settle();
      expect(script.sent).toHaveLength(0);
    }
  });

  it("gives up after its retries, with the error of the last attempt", async () => {
    const { producer, sent } = await started();
    const send = producer.send([{ topic: "t", partition: 0, messages: messages(1) }]);
    const outcome = send.catch((error: Error) => error);
    for (let attempt = 0; attempt <= options.retries; attempt++) {
      await settle();
      sent[attempt]?.fail(Object.assign(new Error(`timeout ${attempt}`), { name: "KafkaJSRequestTimeoutError" }));
    }
    expect((await outcome as Error).message).toBe(`timeout ${options.retries}`);
    expect(sent).toHaveLength(options.retries + 1);
  });
});
