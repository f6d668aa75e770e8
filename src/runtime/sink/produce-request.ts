// The Produce request (API key 0) and its response, encoded here so that a request is one buffer,
// with its record batches copied in or written in place. Version 3 is the first with record
// batch v2 and the oldest Kafka 4 still accepts; brokers refuse zstd batches below version 7
// (UNSUPPORTED_COMPRESSION_TYPE), so zstd is sent as 7, whose request body is the same and whose
// response adds log_start_offset.
import type { ProtocolRequest } from "./kafka-cluster.js";
import { FRAME_ROOM, framedBody, type FramedBody } from "./request-framing.js";

export interface PartitionRecords {
  partition: number;
  /** One encoded record batch (see record-batch.ts). */
  batch: Buffer;
}

export interface TopicRecords {
  topic: string;
  partitions: PartitionRecords[];
}

export interface PartitionResult {
  topic: string;
  partition: number;
  errorCode: number;
}

const PRODUCE = { apiKey: 0, apiName: "Produce" };
const ZSTD_ATTRIBUTE = 4;

/** The Produce version for batches with this compression attribute. */
export function produceVersion(compressionAttribute: number): number {
  return compressionAttribute === ZSTD_ATTRIBUTE ? 7 : 3;
}

/** A record batch's place in a request body: its length, and what writes it there. */
export interface BatchPlace {
  topic: string;
  partition: number;
  length: number;
  write: (target: Buffer) => void;
}

/** Bytes of the body's fixed fields: transactional id (null: -1), acks, timeout, topic count. */
function fixedBodyBytes(transactionalId: string | null): number {
  return 2 + (transactionalId === null ? 0 : Buffer.byteLength(transactionalId)) + 2 + 4 + 4;
}

/** Bytes of a topic's name and partition count in the body. */
const topicBytes = (topic: string): number => 2 + Buffer.byteLength(topic) + 4;

/** Bytes of a partition's record batch in the body, with its index and length. */
const placeBytes = (length: number): number => 4 + 4 + length;

/** The request body, with room in front for kafkajs to write the request header into (request-framing.ts). */
function writeProduceBody(topics: readonly { topic: string; places: readonly BatchPlace[] }[], acks: number, timeoutMs: number, transactionalId: string | null): FramedBody {
  const idLength = transactionalId === null ? 0 : Buffer.byteLength(transactionalId);
  let size = fixedBodyBytes(transactionalId);
  for (const { topic, places } of topics) {
    size += topicBytes(topic);
    for (const place of places) size += placeBytes(place.length);
  }
  const buf = Buffer.allocUnsafe(FRAME_ROOM + size);
  let offset = buf.writeInt16BE(transactionalId === null ? -1 : idLength, FRAME_ROOM);
  if (transactionalId !== null) offset += buf.write(transactionalId, offset, idLength, "utf8");
  offset = buf.writeInt16BE(acks, offset);
  offset = buf.writeInt32BE(timeoutMs, offset);
  offset = buf.writeInt32BE(topics.length, offset);
  for (const { topic, places } of topics) {
    const nameLength = Buffer.byteLength(topic);
    offset = buf.writeInt16BE(nameLength, offset);
    offset += buf.write(topic, offset, nameLength, "utf8");
    offset = buf.writeInt32BE(places.length, offset);
    for (const place of places) {
      offset = buf.writeInt32BE(place.partition, offset);
      offset = buf.writeInt32BE(place.length, offset);
      place.write(buf.subarray(offset, offset + place.length));
      offset += place.length;
    }
  }
  return framedBody(buf, FRAME_ROOM);
}

/**
 * The most a request header takes (API key, version, correlation id, and the client id, a string
 * of up to 32767 bytes): the broker's limit counts the header and the body.
 */
const HEADER_MOST = 2 + 2 + 4 + 2 + 0x7fff;

/** A record batch on its way into a Produce request. */
export interface SizedBatch {
  topic: string;
  batch: Buffer;
}

/**
 * `batches` in runs, in order, that each make a request of at most `limit` bytes as the broker
 * counts them (socket.request.max.bytes); `tooLarge` is a batch that no request of that size can
 * hold, and then there are no runs.
 */
export function requestRuns<T extends SizedBatch>(batches: readonly T[], limit: number, transactionalId: string | null): { runs: T[][]; tooLarge: T | null } {
  const fixed = HEADER_MOST + fixedBodyBytes(transactionalId);
  const runs: T[][] = [];
  let run: T[] = [];
  let topics = new Set<string>();
  let bytes = fixed;
  for (const sized of batches) {
    const alone = topicBytes(sized.topic) + placeBytes(sized.batch.length);
    if (fixed + alone > limit) return { runs: [], tooLarge: sized };
    let added = topics.has(sized.topic) ? placeBytes(sized.batch.length) : alone;
    if (bytes + added > limit) {
      runs.push(run);
      run = [];
      topics = new Set();
      bytes = fixed;
      added = alone;
    }
    bytes += added;
    topics.add(sized.topic);
    run.push(sized);
  }
  if (run.length > 0) runs.push(run);
  return { runs, tooLarge: null };
}

/** The request body around record batches already encoded: each is copied into its place. */
function encodeProduceBody(topics: readonly TopicRecords[], acks: number, timeoutMs: number, transactionalId: string | null): FramedBody {
  const placed = topics.map(({ topic, partitions }) => ({ topic, places: partitions.map(({ partition, batch }) => ({ topic, partition, length: batch.length, write: (target: Buffer) => batch.copy(target) })) }));
  return writeProduceBody(placed, acks, timeoutMs, transactionalId);
}

/** Every partition's error code (0 for success); throttle time is ignored. */
export function decodeProduceResponse(payload: Buffer, version = 3): PartitionResult[] {
  const partitionBytes = 4 + 2 + 8 + 8 + (version >= 5 ? 8 : 0); // partition, error code, base offset, log append time[, log start offset]
  const results: PartitionResult[] = [];
  let offset = 0;
  const topicCount = payload.readInt32BE(offset);
  offset += 4;
  for (let t = 0; t < topicCount; t++) {
    const nameLength = payload.readInt16BE(offset);
    offset += 2;
    const topic = payload.toString("utf8", offset, offset + nameLength);
    offset += nameLength;
    const partitionCount = payload.readInt32BE(offset);
    offset += 4;
    for (let p = 0; p < partitionCount; p++) {
      const partition = payload.readInt32BE(offset);
      const errorCode = payload.readInt16BE(offset + 4);
      offset += partitionBytes;
      results.push({ topic, partition, errorCode });
    }
  }
  return results;
}

/** A Produce request as kafkajs' connection sends it. */
export type ProduceRequest = ProtocolRequest<PartitionResult[]>;

function asProtocolRequest(encode: () => FramedBody, version: number): ProduceRequest {
  return {
    request: { ...PRODUCE, apiVersion: version, encode: async () => encode() },
    response: {
      decode: async (payload) => decodeProduceResponse(payload, version),
      parse: async (results) => results,
    },
  };
}

/** A Produce request in the form kafkajs' connection sends; it resolves with per-partition results. */
export function produceRequest(topics: readonly TopicRecords[], acks: number, timeoutMs: number, version = 3, transactionalId: string | null = null): ProduceRequest {
  return asProtocolRequest(() => encodeProduceBody(topics, acks, timeoutMs, transactionalId), version);
}

/**
 * A Produce request whose record batches are written straight into its body, so no batch is
 * copied into it (for an initial sync or a catch-up, a copy of everything sent). Partitions go
 * under their topic, topics in the order first seen. `batches` are the batches' views in the
 * order of `places`, kept for resends; the request itself is sent once.
 */
export function laidOutProduceRequest(places: readonly BatchPlace[], acks: number, timeoutMs: number, version: number, transactionalId: string | null): { request: ProduceRequest; batches: Buffer[] } {
  const byTopic = new Map<string, BatchPlace[]>();
  const batches = new Array<Buffer>(places.length);
  places.forEach((place, i) => {
    const viewed: BatchPlace = {
      ...place,
      write: (target) => {
        batches[i] = target;
        place.write(target);
      },
    };
    const list = byTopic.get(place.topic);
    if (list) list.push(viewed);
    else byTopic.set(place.topic, [viewed]);
  });
  const body = writeProduceBody([...byTopic].map(([topic, list]) => ({ topic, places: list })), acks, timeoutMs, transactionalId);
  return { request: asProtocolRequest(() => body, version), batches };
}
