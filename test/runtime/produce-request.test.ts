// The Produce request body: the transactional id leads it (null for at-least-once), as kafkajs'
// own encoder writes the same request; batches written in place make the same bytes as batches
// copied in.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { laidOutProduceRequest, produceRequest } from "../../src/runtime/sink/produce-request.js";
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
