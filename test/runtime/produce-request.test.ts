// The Produce request body: the transactional id leads it (null for at-least-once), as kafkajs'
// own encoder writes the same request; batches written in place make the same bytes as batches
// copied in.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { laidOutProduceRequest, produceRequest, requestRuns } from "../../src/runtime/sink/produce-request.js";
import { batchLength, encodeRecordBatch, measureRecords, writeRecordBatch } from "../../src/runtime/sink/record-batch.js";

const require = createRequire(import.meta.url);
const kafkajsProduceV3 = require("kafkajs/src/protocol/requests/produce/v3/request.js") as (request: {
  transactionalId: string | null;
  acks: number;
  timeout: number;
  topicData: { topic: string; partitions: { partition: number; firstSequence?: number; messages: never[] }[] }[];
}) => { encode: () => Promise<{ buffer: Buffer }> };

async function body(transactionalId: string | null): Promise<Buffer> {
  const request = produceRequest([{ topic: "t", partitions: [] }], -1, 30_000, 3, transactionalId);
  return (await request.request.encode()).buffer;
}

describe("produceRequest", () => {
  it("writes the transactional id, or null, where kafkajs writes it", async () => {
    for (const id of [null, "dts:checkpoints:orders"]) {
      const theirs = await kafkajsProduceV3({ transactionalId: id, acks: -1, timeout: 30_000, topicData: [{ topic: "t", partitions: [] }] }).encode();
      expect((await body(id)).equals(theirs.buffer)).toBe(true);
    }
  });

  it("writes record batches in place as the same request that copies them in, grouped by topic", async () => {
    const parts = [
      { topic: "orders", partition: 1, messages: [{ key: "a", value: "1" }, { key: null, value: Buffer.from("2") }] },
      { topic: "users", partition: 0, messages: [{ key: "u", value: "x".repeat(300) }] },
      { topic: "orders", partition: 0, messages: [{ key: "b", value: "3", headers: { h: "v" } }] },
    ];
    const identity = (baseSequence: number) => ({ producerId: 9n, producerEpoch: 2, baseSequence, timestamp: 1_700_000_000_000 });
    const places = parts.map((p, i) => {
      const measured = measureRecords(p.messages);
      return { topic: p.topic, partition: p.partition, length: batchLength(measured), write: (target: Buffer) => writeRecordBatch(target, measured, identity(i)) };
    });
    const laidOut = laidOutProduceRequest(places, -1, 30_000, 3, "dts:orders");
    const encoded = await Promise.all(parts.map((p, i) => encodeRecordBatch(p.messages, identity(i), null)));
    const copied = produceRequest(
      [
        { topic: "orders", partitions: [{ partition: 1, batch: encoded[0] as Buffer }, { partition: 0, batch: encoded[2] as Buffer }] },
        { topic: "users", partitions: [{ partition: 0, batch: encoded[1] as Buffer }] },
      ],
      -1,
      30_000,
      3,
      "dts:orders",
    );
    expect((await laidOut.request.request.encode()).buffer).toEqual((await copied.request.encode()).buffer);
    expect(laidOut.batches).toEqual(encoded);
  });
});

describe("requestRuns", () => {
  // The broker counts the request header, reckoned at its largest (a client id of 32767 bytes).
  const header = 2 + 2 + 4 + 2 + 32_767;
  const batch = (topic: string, partition: number, length: number) => ({ topic, partition, batch: Buffer.alloc(length) });
  /** What the broker counts for a request of these batches: the header and the body produceRequest writes. */
  async function requestBytes(batches: ReturnType<typeof batch>[], transactionalId: string | null): Promise<number> {
    const topics = [...new Set(batches.map((b) => b.topic))].map((topic) => ({ topic, partitions: batches.filter((b) => b.topic === topic).map((b) => ({ partition: b.partition, batch: b.batch })) }));
    return header + (await produceRequest(topics, -1, 30_000, 3, transactionalId).request.encode()).buffer.length;
  }

  it("keeps batches in order, in requests as large as the limit allows and no larger", async () => {
    const batches = [batch("orders", 0, 3000), batch("orders", 1, 3000), batch("users", 0, 3000), batch("orders", 2, 10), batch("users", 1, 5000)];
    for (const transactionalId of [null, "dts:orders"]) {
      const exact = await requestBytes(batches.slice(0, 2), transactionalId);
      const { runs, tooLarge } = requestRuns(batches, exact, transactionalId);
      expect(tooLarge).toBeNull();
      expect(runs.flat()).toEqual(batches);
      expect(runs.map((run) => run.length)).toEqual([2, 2, 1]);
      for (const run of runs) expect(await requestBytes(run, transactionalId)).toBeLessThanOrEqual(exact);
      expect(requestRuns(batches, exact - 1, transactionalId).runs.map((run) => run.length)).toEqual([1, 1, 2, 1]);
    }
  });

  it("names a batch that no request of the limit holds", async () => {
    const big = batch("orders", 3, 5000);
    const limit = await requestBytes([big], null);
    expect(requestRuns([batch("orders", 0, 10), big], limit, null).tooLarge).toBeNull();
    expect(requestRuns([batch("orders", 0, 10), big], limit - 1, null)).toEqual({ runs: [], tooLarge: big });
  });
});
