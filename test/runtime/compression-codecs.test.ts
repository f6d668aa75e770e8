// The codecs' framing, as Kafka's Java client writes and reads it: xerial-framed snappy (and raw
// snappy on reading), LZ4 frames with independent blocks, zstd frames with or without a content
// size; and kafkajs reading every codec once registered.
import { randomBytes } from "node:crypto";
import kafkajs from "kafkajs";
import snappy from "snappy";
import { describe, expect, it } from "vitest";
import { codecs, registerCodecs, snappyFrame, snappyUnframe } from "../../src/runtime/sink/compression-codecs.js";
import { batchCompression } from "../../src/runtime/sink/kafka-client.js";
import { decodeProduceResponse, produceVersion } from "../../src/runtime/sink/produce-request.js";

const sample = Buffer.concat([Buffer.from("row ".repeat(30_000)), randomBytes(50_000), Buffer.from("tail")]);

describe("compression codecs", () => {
  it.each(["snappy", "lz4", "zstd"] as const)("%s round-trips empty, small and multi-block data", async (name) => {
    const { codec } = codecs[name];
    for (const data of [Buffer.alloc(0), Buffer.from("x"), sample]) expect((await codec.decompress(await codec.compress(data))).equals(data)).toBe(true);
  });

  it("writes snappy in xerial's framing: magic, version 1, compatible 1, then 32 KiB blocks", () => {
    const framed = snappyFrame(sample);
    expect(framed.subarray(0, 16).toString("hex")).toBe("82534e41505059000000000100000001");
    const first = framed.readInt32BE(16);
    expect(snappy.uncompressSync(framed.subarray(20, 20 + first)).length).toBe(32 * 1024);
    expect(snappyUnframe(framed).equals(sample)).toBe(true);
  });

  it("reads raw snappy, which some clients send without framing", () => {
    expect(snappyUnframe(snappy.compressSync(sample)).equals(sample)).toBe(true);
  });

  it("rejects a xerial block that runs past the end", () => {
    const framed = snappyFrame(Buffer.from("hello hello hello"));
    expect(() => snappyUnframe(framed.subarray(0, framed.length - 2))).toThrow(/runs past the end/);
  });

  it("writes LZ4 frames with independent blocks, as Kafka's reader requires", async () => {
    const frame = await codecs.lz4.codec.compress(sample);
    expect(frame.readUInt32LE(0)).toBe(0x184d2204);
    const flags = frame[4] as number;
    expect(flags >> 6).toBe(1); // frame format version 01
    expect(flags & 0x20).toBe(0x20); // block independence
  });

  it("reads a zstd frame without a content size, as Java's streaming compressor writes it", async () => {
    // Built by hand from the format: no content size, a 2 MiB window, raw blocks of 128 KiB.
    const data = Buffer.concat([sample, sample, sample, sample, sample, sample, sample, sample]);
    const parts = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58])];
    for (let at = 0; at < data.length; at += 128 * 1024) {
      const block = data.subarray(at, at + 128 * 1024);
      const last = at + block.length >= data.length ? 1 : 0;
      const header = Buffer.alloc(3);
      header.writeUIntLE((block.length << 3) | last, 0, 3); // block type 0: raw
      parts.push(header, block);
    }
    expect((await codecs.zstd.codec.decompress(Buffer.concat(parts))).equals(data)).toBe(true);
  });

  it("gives the producer each codec's attribute and lets kafkajs read every codec", async () => {
    registerCodecs();
    const types = kafkajs.CompressionCodecs as unknown as Record<number, () => { decompress(b: Buffer): Promise<Buffer> }>;
    for (const name of ["snappy", "lz4", "zstd", "gzip"] as const) {
      const compression = await batchCompression(name);
      const compressed = await compression!.compress(sample);
      expect((await types[compression!.attribute]!().decompress(compressed)).equals(sample)).toBe(true);
    }
    expect(await batchCompression("none")).toBeNull();
  });

  it("sends zstd batches as Produce v7 (brokers refuse zstd below it) and reads v7's longer partition results", () => {
    expect(produceVersion(codecs.zstd.type)).toBe(7);
    expect([codecs.snappy.type, codecs.lz4.type, 1, 0].map(produceVersion)).toEqual([3, 3, 3, 3]);
    const response = Buffer.alloc(4 + 2 + 1 + 4 + 2 * (4 + 2 + 8 + 8 + 8) + 4);
    let at = response.writeInt32BE(1, 0);
    at = response.writeInt16BE(1, at);
    at += response.write("t", at);
    at = response.writeInt32BE(2, at);
    for (const [partition, code] of [[0, 0], [1, 76]] as const) {
      at = response.writeInt32BE(partition, at);
      at = response.writeInt16BE(code, at);
      at += 24; // base offset, log append time, log start offset
    }
    expect(decodeProduceResponse(response, 7)).toEqual([{ topic: "t", partition: 0, errorCode: 0 }, { topic: "t", partition: 1, errorCode: 76 }]);
  });
});
