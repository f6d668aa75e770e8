// kafkajs' filter of aborted records assumes each partition's aborted transactions come sorted by
// first offset; brokers list them in the order they were aborted. Two producers' transactions
// aborted in the other order than they began: the filter lets one through unless sorted first.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { applyKafkajsFixes, sortAbortedTransactions } from "../../src/runtime/sink/kafkajs-fixes.js";

const require = createRequire(import.meta.url);
type BatchClass = new (topic: string, fetchedOffset: string, partitionData: unknown) => { messages: unknown[] };
const Batch = require("kafkajs/src/consumer/batch.js") as BatchClass;

const abortKey = Buffer.from([0, 0, 0, 0]);
const record = (offset: number, producerId: string) => ({ offset: String(offset), key: Buffer.from("k"), value: Buffer.from("v"), isControlRecord: false, batchContext: { producerId, inTransaction: true } });
const abort = (offset: number, producerId: string) => ({ offset: String(offset), key: abortKey, value: Buffer.alloc(6), isControlRecord: true, batchContext: { producerId, inTransaction: true } });

// P1 began first (offset 10), P2 second (11); P2 was aborted first, so the broker lists it first.
const messages = [record(10, "1"), record(11, "2"), abort(12, "2"), abort(13, "1")];
const inAbortOrder = () => [
  { producerId: "2", firstOffset: "11" },
  { producerId: "1", firstOffset: "10" },
];
const visible = (abortedTransactions: unknown) => new Batch("t", "10", { partition: 0, highWatermark: "14", abortedTransactions, messages }).messages;

describe("kafkajs fixes", () => {
  it("kafkajs alone lets an aborted record through when the list is in abort order", () => {
    expect(visible(inAbortOrder())).toHaveLength(1);
  });

  it("sorted by first offset, every aborted record is filtered", () => {
    const response = sortAbortedTransactions({ responses: [{ partitions: [{ abortedTransactions: inAbortOrder() }] }] });
    const sorted = response.responses[0]?.partitions[0]?.abortedTransactions;
    expect(sorted?.map((t) => t.producerId)).toEqual(["1", "2"]);
    expect(visible(sorted)).toHaveLength(0);
  });

  it("patches every Fetch response decoder once, however often it is applied", async () => {
    applyKafkajsFixes();
    const v11 = require("kafkajs/src/protocol/requests/fetch/v11/response.js") as { decode: unknown };
    const patched = v11.decode;
    applyKafkajsFixes();
    expect(v11.decode).toBe(patched);
  });
});
