// What a Kafka failure means for the pipeline: worth a retry (a broker restarting, a network
// blip) or not (bad credentials, Kafka refusing the data itself), with the hint the user sees.
import { RuntimeError } from "../errors.js";
import { batchRecordCount, firstRecordKey } from "./record-batch.js";

/** Runs a Kafka client call and turns its failure into a sink-connect error naming the brokers. */
export async function wrapKafka<T>(action: () => Promise<T>, what: string, brokers: string[]): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof RuntimeError) throw error;
    const err = error as { name?: string; message?: string; type?: string };
    const auth = /SASL|authentication|Authentication/i.test(`${err.name} ${err.message} ${err.type}`);
    throw new RuntimeError("sink-connect", `cannot ${what} at ${brokers.join(",")}: ${err.message ?? String(error)}`, {
      cause: error,
      retriable: !auth,
      hint: auth ? "check the destination's auth mechanism, username and password" : "check that Kafka is running and reachable from here",
    });
  }
}

/** What the producer adds to a partition's error: where the refused batch went, its size, and the message's key when it holds one. */
export interface RefusedBatch {
  topic: string;
  partition: number;
  batchBytes: number;
  records: number;
  /** The key of the batch's one message, as text, when it has one and it is known. */
  key?: string;
}

/**
 * Where a refused batch was going, how big it was and, for one message, its key: from the batch
 * itself, or as kept (`key`) when the batch is compressed.
 */
export function refusedBatch(part: { topic: string; partition: number; batch: Buffer; key?: Buffer | null }): RefusedBatch {
  const records = batchRecordCount(part.batch);
  const refused: RefusedBatch = { topic: part.topic, partition: part.partition, batchBytes: part.batch.length, records };
  const key = records === 1 ? (part.key !== undefined ? part.key : firstRecordKey(part.batch)) : null;
  if (key) refused.key = key.toString("utf8");
  return refused;
}

/** A size as people compare it with a limit: bytes below 1 KiB, KiB below 1 MiB, then MiB. */
function megabytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Keys can be as long as the row's key values; the error shows their start. */
const KEY_SHOWN = 200;

/** The table a key of ours names (message-key.ts: a JSON array [database, table, values…]). */
function tableOfKey(key: string): string | null {
  try {
    const parts: unknown = JSON.parse(key);
    if (Array.isArray(parts) && typeof parts[0] === "string" && typeof parts[1] === "string") return `${parts[0]}.${parts[1]}`;
  } catch {
    // Not a key of ours: shown as it is.
  }
  return null;
}

/** Which message: ", the row of db.table with key […]" when the key is known, else nothing. */
function whichRow(key: string | undefined): string {
  if (key === undefined) return "";
  const shown = key.length > KEY_SHOWN ? `${key.slice(0, KEY_SHOWN)}…` : key;
  const table = tableOfKey(key);
  return table === null ? `, the message with key ${shown}` : `, the row of ${table} with key ${shown}`;
}

/** "a message of 3.0 MiB for topic t (partition 2), the row of …" or "a batch of 12 messages (…) for topic …". */
function refusedWhat(batch: RefusedBatch): string {
  const what = batch.records === 1 ? `a message of ${megabytes(batch.batchBytes)}` : `a batch of ${batch.records} messages (${megabytes(batch.batchBytes)})`;
  return `${what} for topic ${batch.topic} (partition ${batch.partition})${batch.records === 1 ? whichRow(batch.key) : ""}`;
}

/** Kafka refusing a batch for its size: which topic, how big, and what to change. */
function tooLargeError(error: unknown, message: string, batch: RefusedBatch): RuntimeError {
  // A batch of several messages may meet a limit lowered since the session read it: the next
  // session reads it again and makes smaller batches. One message is as small as it gets.
  return new RuntimeError("sink-send", `Kafka refused ${refusedWhat(batch)}: ${message}`, {
    cause: error,
    retriable: batch.records > 1,
    hint:
      batch.records === 1
        ? "a single row's message is larger than the topic accepts: raise the topic's max.message.bytes (and the broker's message.max.bytes and replica.fetch.max.bytes to match), or leave the large columns out with the table rule's columns"
        : "batches follow the topic's max.message.bytes as read when a session starts (a changed limit is read again by the next one) when the Kafka user may read topic configs (DescribeConfigs); grant that, or raise the topic's max.message.bytes to at least 1 MiB, which the pipeline's batches stay under",
  });
}

/** The broker setting that bounds one request; a broker drops the connection on a larger one. */
export const REQUEST_LIMIT_SETTING = "socket.request.max.bytes";

/** The type of the producer's error for a batch that no request the broker reads can hold. */
export const REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE";

/** The producer's error for a batch larger than any request the broker reads (`limit`: its socket.request.max.bytes). */
export function requestTooLarge(part: { topic: string; partition: number; batch: Buffer; key?: Buffer | null }, limit: number): Error {
  const message = `a request holding it would be larger than the broker's ${REQUEST_LIMIT_SETTING} (${megabytes(limit)}), and the broker would close the connection`;
  return Object.assign(new Error(message), { type: REQUEST_TOO_LARGE, retriable: false, requestLimit: limit }, refusedBatch(part));
}

/** A batch the producer did not send because no request the broker reads can hold it. */
function requestTooLargeError(error: unknown, message: string, batch: RefusedBatch): RuntimeError {
  return new RuntimeError("sink-send", `Kafka cannot take ${refusedWhat(batch)}: ${message}`, {
    cause: error,
    retriable: false,
    hint:
      batch.records === 1
        ? `raise ${REQUEST_LIMIT_SETTING} on every broker above the message's size (the topic's max.message.bytes and the brokers' message.max.bytes and replica.fetch.max.bytes must allow it too), leave the large columns out or make them smaller (columns { exclude = [...] } in the table rule), or set the destination's compression (e.g. "zstd"): Kafka counts a message's compressed size`
        : `raise ${REQUEST_LIMIT_SETTING} on every broker to at least 2 MiB, which the pipeline's batches stay under`,
  });
}

/** The refused batch's fields the producer added to an error, when it did. */
function refusedFields(err: Partial<RefusedBatch>): RefusedBatch | null {
  const { topic, partition, batchBytes, records, key } = err;
  if (topic === undefined || partition === undefined || batchBytes === undefined || records === undefined) return null;
  return { topic, partition, batchBytes, records, key };
}

/** Connection trouble is worth retrying; Kafka refusing the data itself (size, authorization) is not. */
export function sendError(error: unknown): RuntimeError {
  // Already judged where it was raised (a fenced transactional id must not be retried).
  if (error instanceof RuntimeError && error.code !== "sink-send") return error;
  const err = error as { message?: string; type?: string; retriable?: boolean; cause?: { type?: string; retriable?: boolean } } & Partial<RefusedBatch>;
  const type = err.type ?? err.cause?.type;
  const message = err.message ?? String(error);
  const batch = refusedFields(err);
  if (type === REQUEST_TOO_LARGE && batch) return requestTooLargeError(error, message, batch);
  if (type !== undefined && /TOO_LARGE/.test(type) && batch) return tooLargeError(error, message, batch);
  if (type === "INVALID_RECORD" && err.topic !== undefined) {
    // What a broker says when a compacted topic gets a message without a key.
    return new RuntimeError("sink-send", `Kafka refused the messages for topic ${err.topic} (partition ${err.partition}): ${message}`, {
      cause: error,
      retriable: false,
      hint: "if the topic is compacted (cleanup.policy=compact), it refuses messages without a key: DDL and schema records and rows of tables without a primary key have none (docs/formats.md, Message key); send DDL to a non-compacted ddl_topic and give key-less tables a non-compacted topic, or make the topic non-compacted",
    });
  }
  const refused = type !== undefined && /TOO_LARGE|INVALID_RECORD|AUTHORIZATION_FAILED|CORRUPT_MESSAGE|INVALID_REQUIRED_ACKS|UNSUPPORTED_COMPRESSION_TYPE/.test(type);
  // No answer at all (a broker gone, a connection dropped, a request timed out) is not Kafka refusing the data.
  if (!refused && type === undefined && unanswered(err)) {
    return new RuntimeError("sink-connect", `Kafka did not answer while messages were sent: ${message}`, { cause: error, retriable: true, hint: "check that the brokers are running and reachable from here; the pipeline retries within its retry window" });
  }
  return new RuntimeError("sink-send", `Kafka did not accept messages: ${message}`, {
    cause: error,
    retriable: !refused,
    ...(refused ? { hint: "check the topic's and broker's limits (message.max.bytes) and the user's ACLs" } : {}),
  });
}

/** kafkajs's errors for a connection that failed or a request that got no answer in time. */
function unanswered(err: { name?: string; message?: string; cause?: unknown }): boolean {
  const names = [err.name, (err.cause as { name?: string } | undefined)?.name];
  return names.some((name) => name === "KafkaJSConnectionError" || name === "KafkaJSRequestTimeoutError" || name === "KafkaJSConnectionClosedError") || /^(Connection error|Connection timeout|Closed connection)|timed out$/.test(err.message ?? "");
}
