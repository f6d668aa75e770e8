// Checkpoints mirrored to a compacted Kafka topic (key = pipeline name), so a pipeline whose
// local state folder is gone (moved to another machine) can resume where it left off.
// The local file stays the primary copy; the topic is written after it, latest value wins.
import type { Logger } from "../logger.js";
import type { Kafka, Producer } from "kafkajs";
import { RuntimeError } from "../errors.js";
import { readToEnd } from "../sink/read-to-end.js";
import { checkpointProblem, type Checkpoint } from "./checkpoint.js";

export class KafkaCheckpointPublisher {
  readonly #producer: Producer;
  readonly #topic: string;
  #connected: Promise<void> | null = null;
  #inFlight: Promise<void> | null = null;
  #next: Checkpoint | null = null;

  constructor(kafka: Kafka, topic: string) {
    this.#producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    this.#topic = topic;
  }

  /** Queues the checkpoint; only the newest pending one is sent. Failures are retried on the next call. */
  publish(checkpoint: Checkpoint, outcome: { failed: (error: unknown) => void; copied: () => void }): void {
    this.#next = checkpoint;
    if (!this.#inFlight) this.#inFlight = this.#drain(outcome);
  }

  async #drain(outcome: { failed: (error: unknown) => void; copied: () => void }): Promise<void> {
    try {
      this.#connected ??= this.#producer.connect();
      await this.#connected;
      while (this.#next) {
        const checkpoint = this.#next;
        this.#next = null;
        await this.#producer.send({ topic: this.#topic, acks: -1, messages: [{ key: checkpoint.pipeline, value: JSON.stringify(checkpoint) }] });
      }
      outcome.copied();
    } catch (error) {
      this.#connected = null;
      outcome.failed(error);
    } finally {
      this.#inFlight = null;
    }
  }

  async close(): Promise<void> {
    await this.#inFlight;
    await this.#producer.disconnect().catch(() => undefined);
  }
}

/** The newest checkpoint of `pipeline` in the topic, or null when it holds none. */
export async function readKafkaCheckpoint(kafka: Kafka, topic: string, pipeline: string, options: { timeoutMs?: number; log?: Pick<Logger, "warn"> } = {}): Promise<Checkpoint | null> {
  const { timeoutMs = 30_000, log } = options;
  const newest: { value: Checkpoint | RuntimeError | null } = { value: null };
  // read_committed: checkpoints of aborted transactions (exactly-once delivery) never count.
  await readToEnd(
    kafka,
    topic,
    (partition, message) => {
      // A tombstone deletes the key, as compaction will: the pipeline starts over.
      if (message.key?.toString() === pipeline) newest.value = message.value ? parseKafkaCheckpoint(message.value, pipeline, `topic ${topic} partition ${partition} offset ${message.offset}`) : null;
    },
    {
      groupId: `dts-checkpoint-reader-${pipeline}-${process.pid}-${Date.now()}`,
      timeoutMs,
      onOpenTransactions: () =>
        log?.warn({ topic }, "transactions on the checkpoint topic stayed open (a run that died mid-transaction; aborted when its pipeline runs again, or after the transaction timeout): resuming from the newest checkpoint committed before them, so changes this pipeline committed after them, if any, are sent again"),
    },
  );
  // Only the newest copy counts: resuming from an older one would silently send again what it sent since.
  if (newest.value instanceof RuntimeError) throw newest.value;
  return newest.value;
}

/** The checkpoint a message holds, or the error saying why it cannot be resumed from. */
function parseKafkaCheckpoint(value: Buffer, pipeline: string, where: string): Checkpoint | RuntimeError {
  const hint = `publish a good checkpoint under key "${pipeline}", or delete the key (a tombstone) to start "${pipeline}" over`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString("utf8"));
  } catch (error) {
    return new RuntimeError("checkpoint", `the checkpoint of pipeline "${pipeline}" at ${where} is not valid JSON`, { cause: error, hint });
  }
  const problem = checkpointProblem(parsed);
  if (problem) return new RuntimeError("checkpoint", `the checkpoint of pipeline "${pipeline}" at ${where} is damaged: ${problem}`, { hint });
  const checkpoint = parsed as Checkpoint;
  if (checkpoint.pipeline !== pipeline) return new RuntimeError("checkpoint", `the checkpoint under key "${pipeline}" at ${where} belongs to pipeline "${checkpoint.pipeline}"`, { hint });
  return checkpoint;
}
