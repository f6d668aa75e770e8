// A running pipeline's checkpoints: the one it resumes from, each new one saved to the state
// folder and, with a checkpoint topic, copied to Kafka. A pipeline that starts without a saved
// checkpoint (a new worker of a group, a lost state folder) takes the topic's last one before
// its first session, so that it knows from the start which server of the source it read.
import type { Pipeline } from "../../generated/plan.js";
import type { PipelineConnections } from "../connections.js";
import { describeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { runtimeCodes } from "../../problems/runtime-codes.js";
import type { PipelineStatus } from "../status.js";
import { isExactlyOnce } from "../session/exactly-once.js";
import { createKafka } from "../sink/kafka-client.js";
import { wrapKafka } from "../sink/kafka-errors.js";
import type { Checkpoint } from "./checkpoint.js";
import { FileCheckpointStore } from "./file-store.js";
import { KafkaCheckpointPublisher, readKafkaCheckpoint } from "./kafka-store.js";

export class PipelineCheckpoints {
  readonly #store: FileCheckpointStore;
  readonly #log: Logger;
  #current: Checkpoint | null;
  #publisher: KafkaCheckpointPublisher | null = null;
  /** Whether the topic was read for a checkpoint the state folder lacked. */
  #topicRead = false;
  /** While copies to the checkpoint topic fail: since when, and the last error. */
  #copyFailing: { since: number; error: unknown; topic: string | null } | null = null;

  constructor(pipeline: Pipeline, log: Logger) {
    this.#store = new FileCheckpointStore(pipeline.checkpoint.directory, pipeline.name);
    this.#log = log;
    this.#current = this.#store.load();
  }

  /** The checkpoint to resume from; null before the first. */
  get current(): Checkpoint | null {
    return this.#current;
  }

  /** Takes a checkpoint found elsewhere (the checkpoint topic) as the current one. */
  adopt(checkpoint: Checkpoint): void {
    this.#store.save(checkpoint);
    this.#current = checkpoint;
  }

  /** Saves a new checkpoint, and copies it to the checkpoint topic when there is one. */
  save(checkpoint: Checkpoint, topic: string | null): void {
    this.adopt(checkpoint);
    this.#publisher?.publish(checkpoint, {
      failed: (error) => {
        if (!this.#copyFailing) this.#log.warn({ err: describeError(error), topic }, "cannot copy the checkpoint to Kafka; will retry with each new checkpoint");
        this.#copyFailing = { since: this.#copyFailing?.since ?? Date.now(), error, topic };
      },
      copied: () => {
        if (this.#copyFailing) this.#log.info({ topic }, "checkpoint copied to Kafka again");
        this.#copyFailing = null;
      },
    });
  }

  /**
   * The status error while copies to the checkpoint topic fail: the state folder has the
   * checkpoint, but a run elsewhere (a group's other worker, a new machine) would not find it.
   */
  get copyProblem(): PipelineStatus["error"] {
    const failing = this.#copyFailing;
    if (!failing) return null;
    return {
      message: `checkpoint not copied to topic ${failing.topic ?? ""} since ${new Date(failing.since).toISOString()}: ${describeError(failing.error)}`,
      hint: "the state folder has the checkpoint; check that the checkpoint topic exists and the Kafka user may write it (a new session creates a missing topic: restart the pipeline)",
      code: runtimeCodes["sink-send"].code,
    };
  }

  /**
   * Before the first session, once: the checkpoint topic's last checkpoint when the state folder
   * has none. The session reads the topic again (exactly-once takes the topic's over the folder's).
   */
  async loadFromTopic(pipeline: Pipeline, kafka: PipelineConnections["kafka"]): Promise<Checkpoint | null> {
    const topic = pipeline.checkpoint.topic;
    if (this.#current || this.#topicRead || !topic) return this.#current;
    const client = createKafka(kafka, this.#log);
    const found = await wrapKafka(() => readKafkaCheckpoint(client, topic, pipeline.name, { log: this.#log }), `read checkpoints from topic ${topic}`, pipeline.destination.brokers);
    this.#topicRead = true;
    if (found) this.adopt(found);
    return found;
  }

  /** With a checkpoint topic (and not exactly-once, which commits its own), every saved checkpoint is also copied to Kafka. */
  openPublisher(pipeline: Pipeline, kafka: PipelineConnections["kafka"]): void {
    const topic = pipeline.checkpoint.topic;
    this.#publisher = !topic || isExactlyOnce(pipeline) ? null : new KafkaCheckpointPublisher(createKafka(kafka, this.#log), topic);
  }

  async closePublisher(): Promise<void> {
    const publisher = this.#publisher;
    this.#publisher = null;
    await publisher?.close();
  }
}
