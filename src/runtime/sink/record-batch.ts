// Kafka record batch v2 (magic 2), the unit the broker stores and deduplicates: a 61-byte header
// carrying the idempotent producer's id, epoch and first sequence number, then the records,
// optionally compressed as one block. Records are measured first, then written once into their
// place: a batch of its own, or straight into a Produce request (produce-request.ts).
import { crc32c } from "./crc32c.js";

export interface RecordInput {
  key: Buffer | string | null;
  value: Buffer | string;
  headers?: Record<string, string | Buffer>;
}

export interface BatchIdentity {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  /** Milliseconds since the epoch, the create time of every record in the batch. */
  timestamp: number;
  /** Part of a Kafka transaction: read_committed consumers see it only once the transaction commits. */
  transactional?: boolean;
}

const TRANSACTIONAL_ATTRIBUTE = 0x10;

/** Compresses the records block; `attribute` is the codec's value in the batch attributes. */
export interface BatchCompression {
  attribute: number;
  compress: (records: Buffer) => Promise<Buffer>;
}

const HEADER_BYTES = 61;
const CRC_OFFSET = 17;
const ATTRIBUTES_OFFSET = 21;
const RECORD_COUNT_OFFSET = 57;

function byteLength(value: Buffer | string): number {
  return typeof value === "string" ? Buffer.byteLength(value) : value.length;
}

/** Bytes of a zigzag varint holding a 32-bit signed value. */
function varintSize(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let size = 1;
  while (v >= 0x80) {
    v >>>= 7;
    size++;
  }
  return size;
}

function writeVarint(buf: Buffer, offset: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    buf[offset++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[offset++] = v;
  return offset;
}

function writeBytes(buf: Buffer, offset: number, value: Buffer | string, length: number): number {
  offset = writeVarint(buf, offset, length);
  if (typeof value === "string") buf.write(value, offset, length, "utf8");
  else value.copy(buf, offset);
  return offset + length;
}

const NO_HEADERS: readonly [string, string | Buffer][] = [];

function headerEntries(headers: Record<string, string | Buffer> | undefined): readonly [string, string | Buffer][] {
  return headers ? Object.entries(headers) : NO_HEADERS;
}

/** Size of one record's body (everything after its length prefix). */
function recordBodySize(record: RecordInput, offsetDelta: number, keyLength: number, valueLength: number): number {
  let size = 1 + 1 + varintSize(offsetDelta); // attributes, timestamp delta 0, offset delta
  size += keyLength < 0 ? 1 : varintSize(keyLength) + keyLength;
  size += varintSize(valueLength) + valueLength;
  const headers = headerEntries(record.headers);
  size += varintSize(headers.length);
  for (const [name, value] of headers) {
    const nameLength = Buffer.byteLength(name);
    const length = byteLength(value);
    size += varintSize(nameLength) + nameLength + varintSize(length) + length;
  }
  return size;
}

/** Each record's lengths, measured once and then written; `total` is the records block's size. */
export interface MeasuredRecords {
  records: readonly RecordInput[];
  bodySizes: Int32Array;
  keyLengths: Int32Array;
  valueLengths: Int32Array;
  total: number;
}

export function measureRecords(records: readonly RecordInput[]): MeasuredRecords {
  const count = records.length;
  const bodySizes = new Int32Array(count);
  const keyLengths = new Int32Array(count);
  const valueLengths = new Int32Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const record = records[i] as RecordInput;
    const keyLength = record.key === null ? -1 : byteLength(record.key);
    const valueLength = byteLength(record.value);
    const body = recordBodySize(record, i, keyLength, valueLength);
    keyLengths[i] = keyLength;
    valueLengths[i] = valueLength;
    bodySizes[i] = body;
    total += varintSize(body) + body;
  }
  return { records, bodySizes, keyLengths, valueLengths, total };
}

/** The records block at `offset`: each record as length, attributes, deltas, key, value and headers. */
function writeRecords(buf: Buffer, offset: number, measured: MeasuredRecords): void {
  const { records, bodySizes, keyLengths, valueLengths } = measured;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as RecordInput;
    offset = writeVarint(buf, offset, bodySizes[i] as number);
    buf[offset++] = 0; // record attributes: none defined
    buf[offset++] = 0; // timestamp delta: every record carries the batch timestamp
    offset = writeVarint(buf, offset, i);
    const keyLength = keyLengths[i] as number;
    offset = keyLength < 0 ? writeVarint(buf, offset, -1) : writeBytes(buf, offset, record.key as Buffer | string, keyLength);
    offset = writeBytes(buf, offset, record.value, valueLengths[i] as number);
    const headers = headerEntries(record.headers);
    offset = writeVarint(buf, offset, headers.length);
    for (const [name, value] of headers) {
      offset = writeBytes(buf, offset, name, Buffer.byteLength(name));
      offset = writeBytes(buf, offset, value, byteLength(value));
    }
  }
}

/** Bytes of the uncompressed record batch of these records. */
export function batchLength(measured: MeasuredRecords): number {
  return HEADER_BYTES + measured.total;
}

/** Writes the uncompressed record batch into `target`, exactly batchLength() bytes (a Produce request's place for it). */
export function writeRecordBatch(target: Buffer, measured: MeasuredRecords, identity: BatchIdentity): void {
  if (measured.records.length === 0) throw new Error("a record batch needs at least one record");
  writeRecords(target, HEADER_BYTES, measured);
  writeBatchHeader(target, measured.records.length, identity, 0);
}

/** Writes the v2 header into buf[0, 61) in front of the records already there, and checksums it. */
function writeBatchHeader(buf: Buffer, count: number, identity: BatchIdentity, compressionAttribute: number): Buffer {
  buf.writeBigInt64BE(0n, 0); // base offset: the broker assigns offsets
  buf.writeInt32BE(buf.length - 12, 8); // batch length: everything after this field
  buf.writeInt32BE(-1, 12); // partition leader epoch: set by the broker
  buf.writeInt8(2, 16); // magic
  // Create-time timestamps; not a control batch.
  buf.writeInt16BE(compressionAttribute | (identity.transactional ? TRANSACTIONAL_ATTRIBUTE : 0), ATTRIBUTES_OFFSET);
  buf.writeInt32BE(count - 1, 23); // last offset delta
  buf.writeBigInt64BE(BigInt(identity.timestamp), 27); // first timestamp
  buf.writeBigInt64BE(BigInt(identity.timestamp), 35); // max timestamp
  buf.writeBigInt64BE(identity.producerId, 43);
  buf.writeInt16BE(identity.producerEpoch, 51);
  buf.writeInt32BE(identity.baseSequence, 53);
  buf.writeInt32BE(count, RECORD_COUNT_OFFSET);
  buf.writeUInt32BE(crc32c(buf, ATTRIBUTES_OFFSET), CRC_OFFSET);
  return buf;
}

/** The number of records a written batch holds (from its header, compressed or not). */
export function batchRecordCount(batch: Buffer): number {
  return batch.readInt32BE(RECORD_COUNT_OFFSET);
}

/** A zigzag varint at `offset`, as a 32-bit signed value, and the offset after it. */
function readVarint(buf: Buffer, offset: number): [number, number] {
  let raw = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = buf[offset++] as number;
    raw |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80 && shift < 35);
  return [(raw >>> 1) ^ -(raw & 1), offset];
}

const COMPRESSION_BITS = 0x07;

/**
 * The first record's key, read back from a written batch (for the error that names a refused
 * message): null when it has none; undefined when the records are compressed.
 */
export function firstRecordKey(batch: Buffer): Buffer | null | undefined {
  if ((batch.readInt16BE(ATTRIBUTES_OFFSET) & COMPRESSION_BITS) !== 0) return undefined;
  let offset = readVarint(batch, HEADER_BYTES)[1] + 1; // record length, attributes
  offset = readVarint(batch, offset)[1]; // timestamp delta
  offset = readVarint(batch, offset)[1]; // offset delta
  const [keyLength, keyStart] = readVarint(batch, offset);
  return keyLength < 0 ? null : batch.subarray(keyStart, keyStart + keyLength);
}

/** One record batch of `records`, compressed when a codec is given; the records are copied before the first await. */
export async function encodeRecordBatch(records: readonly RecordInput[], identity: BatchIdentity, compression: BatchCompression | null): Promise<Buffer> {
  if (records.length === 0) throw new Error("a record batch needs at least one record");
  const measured = measureRecords(records);
  if (!compression) {
    const batch = Buffer.allocUnsafe(batchLength(measured));
    writeRecordBatch(batch, measured, identity);
    return batch;
  }
  const block = Buffer.allocUnsafe(measured.total);
  writeRecords(block, 0, measured);
  const compressed = await compression.compress(block);
  const buf = Buffer.allocUnsafe(HEADER_BYTES + compressed.length);
  compressed.copy(buf, HEADER_BYTES);
  return writeBatchHeader(buf, records.length, identity, compression.attribute);
}
