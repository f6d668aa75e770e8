// What exactly-once delivery (delivery = exactly-once) adds to a session's Kafka side: the
// pipeline's transactional id, taken before the checkpoint is read so that a transaction an
// earlier run left open is aborted first (the reader waits for open transactions to end:
// read-to-end.ts), and
// where the checkpoint record goes inside each transaction.
import { Partitioners, type Admin, type Kafka } from "kafkajs";
import type { Pipeline } from "../../generated/plan.js";
import { KafkaCluster } from "../sink/kafka-cluster.js";
import { KafkaTransactions } from "../sink/kafka-transactions.js";

/**
 * How long the coordinator lets a transaction stay open. A source transaction never spans two,
 * so this bounds how long the largest one may take to send; under the brokers' default
 * transaction.max.timeout.ms (15 min). A run that dies leaves nothing open for long: the next
 * one aborts it when it takes the id.
 */
export const TRANSACTION_TIMEOUT_MS = 300_000;

export function isExactlyOnce(pipeline: Pipeline): boolean {
  return pipeline.delivery === "exactly-once";
}

/** One id per pipeline and checkpoint topic: every run of the pipeline, on any machine, shares it, so a newer run fences an older one. */
export function transactionalIdOf(pipeline: Pipeline): string {
  return `dts:${pipeline.checkpoint.topic ?? ""}:${pipeline.name}`;
}

/** Connects a cluster view and takes the pipeline's transactional id (a new epoch). */
export async function takeTransactionalId(kafka: Kafka, pipeline: Pipeline): Promise<{ cluster: KafkaCluster; transactions: KafkaTransactions }> {
  const cluster = new KafkaCluster(kafka);
  await cluster.connect([]);
  const transactions = new KafkaTransactions(cluster, { transactionalId: transactionalIdOf(pipeline), timeoutMs: TRANSACTION_TIMEOUT_MS });
  await transactions.init();
  return { cluster, transactions };
}

/** The checkpoint topic's partition for the pipeline's key, as every Kafka client's default partitioner picks it. */
export async function checkpointPlacement(admin: Admin, pipeline: Pipeline): Promise<{ topic: string; partition: number; key: string }> {
  const topic = pipeline.checkpoint.topic as string;
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitionMetadata = metadata.topics[0]?.partitions ?? [{ partitionId: 0, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }];
  const partition = Partitioners.DefaultPartitioner()({ topic, partitionMetadata, message: { key: pipeline.name, value: null } });
  return { topic, partition, key: pipeline.name };
}
