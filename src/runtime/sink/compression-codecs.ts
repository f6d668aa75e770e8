// The Kafka compression codecs besides gzip, written as Kafka's Java client writes them into
// record batches (magic 2), so its consumers and ours read each other's topics:
// - snappy: xerial's framing (magic header, then length-prefixed raw snappy blocks), as the
//   Java client's SnappyOutputStream writes; reading also takes raw snappy, which some clients send;
// - lz4: the standard LZ4 frame format with independent blocks;
// - zstd: standard zstd frames; the Java client streams them without a content size, which the
//   pure-JS decoder handles and the WebAssembly one does not, so each direction uses its own.
// All ship prebuilt through npm (napi-rs binaries or WebAssembly), so nothing is compiled or
// downloaded at install time. `registerCodecs` makes every kafkajs client of the process able to
// read them (dts tail, tests) and gives our own producer its compressors.
import kafkajs from "kafkajs";
import { compressFrame, decompressFrame } from "lz4-napi";
import snappy from "snappy";
import * as zstdWasm from "@bokuweb/zstd-wasm";
import { decompress as zstdDecompress } from "fzstd";

const { CompressionCodecs, CompressionTypes } = kafkajs;

export interface Codec {
  compress(data: Buffer): Promise<Buffer>;
  decompress(data: Buffer): Promise<Buffer>;
}

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;
/** xerial's default block size: each block is compressed on its own. */
const XERIAL_BLOCK = 32 * 1024;

export function snappyFrame(data: Buffer): Buffer {
  const header = Buffer.alloc(XERIAL_HEADER_BYTES);
  XERIAL_MAGIC.copy(header);
  header.writeInt32BE(1, 8); // format version
  header.writeInt32BE(1, 12); // oldest compatible version
  const parts: Buffer[] = [header];
  for (let at = 0; at < data.length; at += XERIAL_BLOCK) {
    const block = snappy.compressSync(data.subarray(at, at + XERIAL_BLOCK));
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

export function snappyUnframe(data: Buffer): Buffer {
  if (data.length < XERIAL_HEADER_BYTES || !data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) return snappy.uncompressSync(data) as Buffer;
  const parts: Buffer[] = [];
  let at = XERIAL_HEADER_BYTES;
  while (at + 4 <= data.length) {
    const length = data.readInt32BE(at);
    at += 4;
    if (length < 0 || at + length > data.length) throw new Error("snappy: a xerial block runs past the end of the data");
    parts.push(snappy.uncompressSync(data.subarray(at, at + length)) as Buffer);
    at += length;
  }
  if (at !== data.length) throw new Error("snappy: trailing bytes after the last xerial block");
  return Buffer.concat(parts);
}

const snappyCodec: Codec = {
  compress: async (data) => snappyFrame(data),
  decompress: async (data) => snappyUnframe(data),
};

const lz4Codec: Codec = {
  compress: (data) => compressFrame(data),
  decompress: (data) => decompressFrame(data),
};

let zstdReady: Promise<void> | null = null;
const ZSTD_LEVEL = 3; // the Java client's default

const zstdCodec: Codec = {
  async compress(data) {
    await (zstdReady ??= zstdWasm.init());
    return Buffer.from(zstdWasm.compress(data, ZSTD_LEVEL));
  },
  decompress: async (data) => Buffer.from(zstdDecompress(data)),
};

export type CodecName = "snappy" | "lz4" | "zstd";

export const codecs: Record<CodecName, { type: number; codec: Codec }> = {
  snappy: { type: CompressionTypes.Snappy, codec: snappyCodec },
  lz4: { type: CompressionTypes.LZ4, codec: lz4Codec },
  zstd: { type: CompressionTypes.ZSTD, codec: zstdCodec },
};

/** kafkajs calls compress with its encoder and decompress with the batch's records block. */
function asKafkajsCodec(codec: Codec) {
  return {
    compress: (encoder: { buffer: Buffer }) => codec.compress(encoder.buffer),
    decompress: (buffer: Buffer) => codec.decompress(buffer),
  };
}

let registered = false;

/** Makes every kafkajs client in this process able to read (and write) all codecs. Idempotent. */
export function registerCodecs(): void {
  if (registered) return;
  const slots = CompressionCodecs as unknown as Record<number, () => unknown>;
  for (const { type, codec } of Object.values(codecs)) {
    const adapter = asKafkajsCodec(codec);
    slots[type] = () => adapter;
  }
  registered = true;
}
