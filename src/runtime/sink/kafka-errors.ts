// What a Kafka failure means for the pipeline: worth a retry (a broker restarting, a network
// blip) or not (bad credentials, Kafka refusing the data itself), with the hint the user sees.
import { RuntimeError } from "../errors.js";
import { batchRecordCount } from "./record-batch.js";

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

/** What the producer adds to a partition's error: where the refused batch went and its size. */
export interface RefusedBatch {
  topic: string;
  partition: number;
  batchBytes: number;
  records: number;
}

/** Where a refused batch was going and how big it was, for the error the user sees. */
export function refusedBatch(part: { topic: string; partition: number; batch: Buffer }): RefusedBatch {
  return { topic: part.topic, partition: part.partition, batchBytes: part.batch.length, records: batchRecordCount(part.batch) };
}

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/** Kafka refusing a batch for its size: which topic, how big, and what to change. */
function tooLargeError(error: unknown, message: string, batch: RefusedBatch): RuntimeError {
  const what = batch.records === 1 ? `a message of ${megabytes(batch.batchBytes)}` : `a batch of ${batch.records} messages (${megabytes(batch.batchBytes)})`;
  return new RuntimeError("sink-send", `Kafka refused ${what} for topic ${batch.topic} (partition ${batch.partition}): ${message}`, {
    cause: error,
    retriable: false,
    hint:
      batch.records === 1
        ? "a single row's message is larger than the topic accepts: raise the topic's max.message.bytes (and the broker's message.max.bytes and replica.fetch.max.bytes to match), or leave the large columns out with the table rule's columns"
        : "batches follow the topic's max.message.bytes when the Kafka user may read topic configs (DescribeConfigs); grant that, or raise the topic's max.message.bytes to at least 1 MiB, which the pipeline's batches stay under",
  });
}

/** Connection trouble is worth retrying; Kafka refusing the data itself (size, authorization) is not. */
export function sendError(error: unknown): RuntimeError {
  // Already judged where it was raised (a fenced transactional id must not be retried).
  if (error instanceof RuntimeError && error.code !== "sink-send") return error;
  const err = error as { message?: string; type?: string; retriable?: boolean; cause?: { type?: string; retriable?: boolean } } & Partial<RefusedBatch>;
  const type = err.type ?? err.cause?.type;
  const message = err.message ?? String(error);
  if (type !== undefined && /TOO_LARGE/.test(type) && err.topic !== undefined && err.batchBytes !== undefined && err.records !== undefined && err.partition !== undefined) {
    return tooLargeError(error, message, { topic: err.topic, partition: err.partition, batchBytes: err.batchBytes, records: err.records });
  }
  if (type === "INVALID_RECORD" && err.topic !== undefined) {
    // What a broker says when a compacted topic gets a message without a key.
    return new RuntimeError("sink-send", `Kafka refused the messages for topic ${err.topic} (partition ${err.partition}): ${message}`, {
      cause: error,
      retriable: false,
      hint: "if the topic is compacted (cleanup.policy=compact), it refuses messages without a key: DDL and schema records and rows of tables without a primary key have none (docs/formats.md, Message key); send DDL to a non-compacted ddl_topic and give key-less tables a non-compacted topic, or make the topic non-compacted",
    });
  }
  const refused = type !== undefined && /TOO_LARGE|INVALID_RECORD|AUTHORIZATION_FAILED|CORRUPT_MESSAGE|INVALID_REQUIRED_ACKS|UNSUPPORTED_COMPRESSION_TYPE/.test(type);
  return new RuntimeError("sink-send", `Kafka did not accept messages: ${message}`, {
    cause: error,
    retriable: !refused,
    ...(refused ? { hint: "check the topic's and broker's limits (message.max.bytes) and the user's ACLs" } : {}),
  });
}
