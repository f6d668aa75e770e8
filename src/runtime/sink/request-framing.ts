// Produce requests framed in place. kafkajs 2.2.4 (pinned) frames every request twice
// (protocol/request.js): the header and the body go into a new Encoder, and that Encoder into
// another with the size in front, each growing a zero-filled buffer and copying the whole body.
// For Produce requests of a megabyte that was 5% of the CPU of an initial sync and much of its
// garbage. A body built with free room in front (framedBody) is adopted instead: the few bytes
// kafkajs wrote before it go into that room, and the body is never copied. Everything else
// kafkajs encodes goes its usual way, and so does a body whose room is too small.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * Room to keep in front of a body: the size (4), API key and version (4), correlation id (4)
 * and the client id (2 + its bytes). Client ids longer than this leaves are copied as before.
 */
export const FRAME_ROOM = 256;

const frameOf = Symbol("dts: body with free room in front");

interface Frame {
  /** The whole allocation; the bytes before `start` are free. */
  whole: Buffer;
  start: number;
}

/** What kafkajs' Encoder.writeEncoder accepts: `buf` is checked, `buffer` is copied. */
interface EncoderLike {
  buf: Buffer;
  offset?: number;
  readonly buffer: Buffer;
  [frameOf]?: Frame;
}

export interface FramedBody {
  buf: Buffer;
  buffer: Buffer;
}

/** A request body written at `start` of `whole`, with the bytes before it free for the header. */
export function framedBody(whole: Buffer, start: number): FramedBody {
  const buffer = whole.subarray(start);
  const body: EncoderLike = { buf: whole, buffer, [frameOf]: { whole, start } };
  return body;
}

/** Whether `value` still holds the bytes right after its frame's free room (not copied since). */
function adoptable(value: EncoderLike, frame: Frame): boolean {
  const bytes = value.buffer;
  return bytes.buffer === frame.whole.buffer && bytes.byteOffset === frame.whole.byteOffset + frame.start;
}

type WriteEncoder = (this: EncoderLike, value: EncoderLike) => EncoderLike;

/**
 * Instead of copying a framed body after the `offset` bytes this encoder holds, write those
 * bytes into the body's free room and take the result as this encoder's buffer; it keeps the
 * remaining room, so the outer encoder (the size prefix) adopts it the same way.
 */
function adoptingWriteEncoder(original: WriteEncoder): WriteEncoder {
  return function writeEncoder(this: EncoderLike, value: EncoderLike): EncoderLike {
    const frame = value?.[frameOf];
    const held = this.offset ?? 0;
    if (frame === undefined || held > frame.start || !Buffer.isBuffer(value.buf) || !adoptable(value, frame)) return original.call(this, value);
    const start = frame.start - held;
    this.buf.copy(frame.whole, start, 0, held);
    const length = held + value.buffer.length;
    this.buf = frame.whole.subarray(start, start + length);
    this.offset = length;
    this[frameOf] = { whole: frame.whole, start };
    return this;
  };
}

const patched = Symbol("dts: adopts framed bodies");

/** Patches kafkajs' Encoder once per process; it is shared by every kafkajs client in it. */
export function applyRequestFraming(): void {
  const Encoder = require("kafkajs/src/protocol/encoder.js") as { prototype: { writeEncoder: WriteEncoder; [patched]?: true } };
  const proto = Encoder.prototype;
  if (proto[patched]) return;
  proto.writeEncoder = adoptingWriteEncoder(proto.writeEncoder);
  proto[patched] = true;
}
