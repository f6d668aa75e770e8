import { createRequire } from "node:module";
import { gzipSync, gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32c, crc32cTables } from "../../src/runtime/sink/crc32c.js";
import { encodeRecordBatch, firstRecordKey, type RecordInput } from "../../src/runtime/sink/record-batch.js";

// kafkajs' own decoders serve as an independent reader of what we encode.
const require = createRequire(import.meta.url);
const Decoder = require("kafkajs/src/protocol/decoder.js") as new (buffer: Buffer) => unknown;
const decodeRecordBatch = require("kafkajs/src/protocol/recordBatch/v0/decoder.js") as (decoder: unknown) => Promise<DecodedBatch>;
const kafkajsCrc32c = require("kafkajs/src/protocol/recordBatch/crc32C/index.js") as (buffer: Buffer) => number;

interface DecodedBatch {
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  firstTimestamp: string;
  lastOffsetDelta: number;
  records: { key: Buffer | null; value: Buffer; headers: Record<string, Buffer>; offset: string; timestamp: string }[];
}

const identity = { producerId: 4242n, producerEpoch: 3, baseSequence: 17, timestamp: 1_732_000_000_123 };

async function roundTrip(records: RecordInput[], compress = false): Promise<DecodedBatch> {
  const compression = compress ? { attribute: 1, compress: async (block: Buffer) => gzipSync(block) } : null;
  const batch = await encodeRecordBatch(records, identity, compression);
  expect(batch.readUInt32BE(17)).toBe(crc32c(batch, 21));
  return decodeRecordBatch(new Decoder(batch));
}

describe("crc32c", () => {
  it("matches the standard check value", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    expect(crc32cTables(Buffer.from("123456789"))).toBe(0xe3069283);
  });

  it("agrees with kafkajs' implementation on any bytes and offsets", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(20), (bytes, skip) => {
        const buf = Buffer.from(bytes);
        const start = Math.min(skip, buf.length);
        const expected = kafkajsCrc32c(buf.subarray(start)) >>> 0;
        expect(crc32c(buf, start)).toBe(expected);
        expect(crc32cTables(buf, start)).toBe(expected);
      }),
    );
  });
});

describe("record batch v2", () => {
  it("carries the producer identity, sequence and timestamp", async () => {
    const decoded = await roundTrip([{ key: "k1", value: Buffer.from("v1") }, { key: null, value: "v2" }]);
    expect(decoded.producerId).toBe("4242");
    expect(decoded.producerEpoch).toBe(3);
    expect(decoded.firstSequence).toBe(17);
    expect(decoded.lastOffsetDelta).toBe(1);
    expect(decoded.firstTimestamp).toBe(String(identity.timestamp));
    expect(decoded.records.map((r) => [r.key?.toString() ?? null, r.value.toString(), r.offset])).toEqual([
      ["k1", "v1", "0"],
      [null, "v2", "1"],
    ]);
  });

  it("round-trips keys, values and headers of any size and text, compressed or not", async () => {
    const record = fc.record({
      key: fc.option(fc.oneof(fc.string({ unit: "grapheme" }), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)))),
      value: fc.oneof(fc.string({ unit: "grapheme", maxLength: 300 }), fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b))),
      // Prefixed names: kafkajs' decoder collects headers into a plain object, where names such as
      // "toString" collide with Object.prototype.
      headers: fc.option(fc.dictionary(fc.string({ maxLength: 10 }).map((name) => `h-${name}`), fc.string({ maxLength: 20 }), { maxKeys: 3 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 150 }), fc.boolean(), async (records, compress) => {
        const decoded = await roundTrip(records as RecordInput[], compress);
        expect(decoded.records).toHaveLength(records.length);
        decoded.records.forEach((got, i) => {
          const want = records[i] as RecordInput;
          expect(got.key === null ? null : got.key).toEqual(want.key === null ? null : Buffer.from(want.key));
          expect(got.value).toEqual(Buffer.from(want.value));
          const headers = Object.fromEntries(Object.entries(got.headers).map(([k, v]) => [k, v.toString()]));
          expect(headers).toEqual(want.headers ?? {});
        });
      }),
      { numRuns: 60 },
    );
  });

  it("compresses the records block as one unit", async () => {
    const records = Array.from({ length: 500 }, (_, i) => ({ key: `key-${i}`, value: "a repetitive value ".repeat(10) }));
    const plain = await encodeRecordBatch(records, identity, null);
    const gzipped = await encodeRecordBatch(records, identity, { attribute: 1, compress: async (block) => gzipSync(block) });
    expect(gzipped.length).toBeLessThan(plain.length / 5);
    expect(gzipped.readInt16BE(21) & 7).toBe(1);
    expect(gunzipSync(gzipped.subarray(61))).toEqual(plain.subarray(61));
  });
});

describe("firstRecordKey", () => {
  it("reads the first record's key back from an uncompressed batch, of any length", async () => {
    await fc.assert(
      fc.asyncProperty(fc.option(fc.string({ unit: "grapheme", maxLength: 400 })), fc.integer({ min: 0, max: 20_000 }), async (key, valueLength) => {
        const batch = await encodeRecordBatch([{ key, value: "v".repeat(valueLength) }, { key: "second", value: "w" }], identity, null);
        expect(firstRecordKey(batch)).toEqual(key === null ? null : Buffer.from(key));
      }),
    );
    const batch = await encodeRecordBatch([{ key: '["shop","orders","42"]', value: "x".repeat(200_000) }], identity, null);
    expect(firstRecordKey(batch)?.toString()).toBe('["shop","orders","42"]');
  });

  it("does not read compressed records", async () => {
    const gzipped = await encodeRecordBatch([{ key: "k", value: "v" }], identity, { attribute: 1, compress: async (block) => gzipSync(block) });
    expect(firstRecordKey(gzipped)).toBeUndefined();
  });
});

describe("transactional record batches", () => {
  it("set the transactional attribute only when asked, and kafkajs reads it as such", async () => {
    const records = [{ key: Buffer.from("k"), value: Buffer.from("v") }];
    const plain = (await decodeRecordBatch(new Decoder(await encodeRecordBatch(records, identity, null)))) as unknown as { inTransaction: boolean };
    const transactional = (await decodeRecordBatch(new Decoder(await encodeRecordBatch(records, { ...identity, transactional: true }, null)))) as unknown as { inTransaction: boolean };
    expect(plain.inTransaction).toBe(false);
    expect(transactional.inTransaction).toBe(true);
  });
});
