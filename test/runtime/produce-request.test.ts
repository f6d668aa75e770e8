// The Produce request body: the transactional id leads it (null for at-least-once), as kafkajs'
// own encoder writes the same request.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { produceRequest } from "../../src/runtime/sink/produce-request.js";

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
});
