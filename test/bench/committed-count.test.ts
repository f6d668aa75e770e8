// The benchmark's count of committed records in a transactional topic: commit markers and the
// records of aborted transactions are not counted, a batch the broker cut short is left for the
// next fetch, and the Fetch response is read field by field.
import { describe, expect, it } from "vitest";
import { countBatches, decodeFetchResponse, type PartitionCursor, type PartitionFetch } from "../../bench/lib/committed-count.js";
import { encodeRecordBatch } from "../../src/runtime/sink/record-batch.js";

const CONTROL_AND_TRANSACTIONAL = 0x30;

/** A transactional batch of `count` records at `baseOffset`, as our producer writes it and the broker stores it. */
async function batch(baseOffset: number, count: number, producerId: bigint, control = false): Promise<Buffer> {
  const records = Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: "v".repeat(40) }));
  const encoded = await encodeRecordBatch(records, { producerId, producerEpoch: 0, baseSequence: 0, timestamp: 1_700_000_000_000, transactional: true }, null);
  encoded.writeBigInt64BE(BigInt(baseOffset), 0);
  if (control) encoded.writeInt16BE(CONTROL_AND_TRANSACTIONAL, 21);
  return encoded;
}

function fetched(records: Buffer, aborted: PartitionFetch["aborted"] = []): PartitionFetch {
  return { errorCode: 0, lastStableOffset: 0n, aborted, records };
}

function cursor(next = 0n): PartitionCursor {
  return { next, records: 0, aborting: new Set() };
}

describe("countBatches", () => {
  it("counts the records of committed transactions and not their markers", async () => {
    const log = Buffer.concat([await batch(0, 3, 7n), await batch(3, 1, 7n, true), await batch(4, 2, 7n), await batch(6, 1, 7n, true)]);
    const c = cursor();
    countBatches(c, fetched(log));
    expect(c).toMatchObject({ records: 5, next: 7n });
  });

  it("skips an aborted transaction's records up to its abort marker, and counts the same producer after it", async () => {
    const log = Buffer.concat([
      await batch(0, 2, 1n), await batch(2, 4, 2n), await batch(6, 1, 1n, true), await batch(7, 1, 2n, true), await batch(8, 3, 2n), await batch(11, 1, 2n, true),
    ]);
    const c = cursor();
    countBatches(c, fetched(log, [{ producerId: 2n, firstOffset: 2n }]));
    expect(c).toMatchObject({ records: 5, next: 12n });
    expect(c.aborting.size).toBe(0);
  });

  it("leaves a batch cut short for the next fetch, and counts a batch it has passed only once", async () => {
    const first = await batch(0, 3, 1n);
    const second = await batch(3, 2, 1n);
    const c = cursor();
    countBatches(c, fetched(Buffer.concat([first, second.subarray(0, second.length - 5)])));
    expect(c).toMatchObject({ records: 3, next: 3n });
    countBatches(c, fetched(Buffer.concat([first, second])));
    expect(c).toMatchObject({ records: 5, next: 5n });
  });
});

describe("decodeFetchResponse", () => {
  it("reads a Fetch v4 response's error, last stable offset, aborted transactions and records", async () => {
    const records = await batch(0, 2, 9n);
    const topic = Buffer.from("bench.t");
    const head = Buffer.alloc(4 + 4 + 2 + topic.length + 4 + 4 + 2 + 8 + 8 + 4 + 32 + 4);
    let at = head.writeInt32BE(0, 0); // throttle
    at = head.writeInt32BE(1, at);
    at = head.writeInt16BE(topic.length, at);
    at += topic.copy(head, at);
    at = head.writeInt32BE(1, at);
    at = head.writeInt32BE(0, at); // partition
    at = head.writeInt16BE(0, at); // error code
    at = head.writeBigInt64BE(20n, at); // high watermark
    at = head.writeBigInt64BE(17n, at); // last stable offset
    at = head.writeInt32BE(2, at);
    at = head.writeBigInt64BE(5n, at);
    at = head.writeBigInt64BE(12n, at);
    at = head.writeBigInt64BE(4n, at);
    at = head.writeBigInt64BE(3n, at);
    head.writeInt32BE(records.length, at);
    const decoded = decodeFetchResponse(Buffer.concat([head, records]));
    expect(decoded).toMatchObject({ errorCode: 0, lastStableOffset: 17n, aborted: [{ producerId: 4n, firstOffset: 3n }, { producerId: 5n, firstOffset: 12n }] });
    expect(decoded.records?.equals(records)).toBe(true);
  });
});
