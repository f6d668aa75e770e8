// Topic housekeeping before the first send: create missing topics when the plan allows it, and
// read each topic's real partition count, which the partitioner needs and the checkpoint records.
import type { Admin } from "kafkajs";
import type { KafkaDestination } from "../../generated/plan.js";
import { RuntimeError } from "../errors.js";
import type { Logger } from "../logger.js";

export interface TopicCreation {
  /** The checkpoint topics, created compacted with one partition. */
  compacted?: readonly string[];
  /** Partition counts the checkpoint recorded: a recorded topic that was deleted comes back with its count, so keys keep their partitions. */
  recorded?: Readonly<Record<string, number>>;
  log?: Logger;
}

export async function ensureTopics(admin: Admin, topics: readonly string[], settings: KafkaDestination["createTopics"], options: TopicCreation = {}): Promise<void> {
  const { compacted = [], recorded = countsByTopic(), log } = options;
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  const recreated = missing.filter((t) => Object.hasOwn(recorded, t));
  if (recreated.length > 0 && settings.enabled) {
    log?.warn({ topics: recreated }, "topics the pipeline wrote before are gone: they are created again, with the partition counts the checkpoint recorded; what was in them is lost to consumers");
  }
  const missingCompacted = compacted.filter((t) => !existing.has(t));
  if (missing.length > 0 && !settings.enabled) {
    throw new RuntimeError("topic", `Kafka topic${missing.length > 1 ? "s" : ""} ${missing.join(", ")} do${missing.length > 1 ? "" : "es"} not exist`, {
      hint: "create the topics, or set create_topics = true in the destination block",
    });
  }
  const toCreate = [
    ...missing.map((topic) => ({ topic, numPartitions: Object.hasOwn(recorded, topic) ? (recorded[topic] as number) : settings.partitions, replicationFactor: settings.replicationFactor })),
    ...missingCompacted.map((topic) => ({ topic, numPartitions: 1, replicationFactor: settings.replicationFactor, configEntries: [{ name: "cleanup.policy", value: "compact" }] })),
  ];
  if (toCreate.length === 0) return;
  try {
    await admin.createTopics({ topics: toCreate, waitForLeaders: true });
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === "TOPIC_ALREADY_EXISTS") return;
    throw new RuntimeError("topic", `cannot create Kafka topics ${toCreate.map((t) => t.topic).join(", ")}: ${(error as Error).message}`, {
      cause: error,
      retriable: (error as { retriable?: boolean }).retriable === true,
      hint: "check that the Kafka user may create topics, or create them by hand",
    });
  }
}

export async function fetchPartitionCounts(admin: Admin, topics: readonly string[]): Promise<Record<string, number>> {
  const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
  const counts = countsByTopic();
  for (const topic of metadata.topics) counts[topic.name] = topic.partitions.length;
  for (const topic of topics) {
    if (!counts[topic]) throw new RuntimeError("topic", `Kafka reports no partitions for topic ${topic}`, { retriable: true });
  }
  return counts;
}

/** Counts keyed by topic name: `__proto__` and `constructor` are legal topic names, so no prototype. */
export function countsByTopic(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}

/** Refuses a restart when a topic's partition count differs from the one the checkpoint saw. */
export function checkPartitionCounts(recorded: Record<string, number>, current: Record<string, number>): void {
  for (const [topic, count] of Object.entries(recorded)) {
    const now = Object.hasOwn(current, topic) ? current[topic] : undefined;
    if (now !== undefined && now !== count) {
      throw new RuntimeError("partition-count-changed", `topic ${topic} now has ${now} partitions but had ${count} when the pipeline last ran; keys would move to other partitions and per-key order would break`, {
        hint: `restore ${count} partitions (recreate the topic), or start the pipeline over on a new topic with a fresh state folder (and a new checkpoint topic, if the spec keeps checkpoints in Kafka)`,
      });
    }
  }
}
