// Topic settings the pipeline follows, read with DescribeConfigs (a user without that permission
// gets the broker defaults' behaviour: the calls answer nothing rather than fail).
//
// How many bytes one partition's part of a produce request may hold, per topic: Kafka refuses a
// record batch larger than the topic's max.message.bytes (1 MiB by default, and often set lower
// per topic), so a batch of small rows that fits the default could never be delivered to such a
// topic. A topic whose setting cannot be read keeps the default bound.
import kafkajs, { type Admin } from "kafkajs";

/** Below the broker default (1 MiB plus a little) with room for the request's framing. */
export const DEFAULT_PARTITION_BYTES = 900 * 1024;
/** Kept free of a topic's limit for the record batch's header and our size estimate's slack. */
const BATCH_OVERHEAD = 1024;

/** The partition-part bound for a topic whose max.message.bytes is `limit`. */
export function partitionBytesFor(limit: number): number {
  return Math.max(1, Math.min(DEFAULT_PARTITION_BYTES, limit - BATCH_OVERHEAD));
}

/** One setting of each of `topics` (topic → value); topics it cannot read, or all without the permission, are left out. */
export async function topicSetting(admin: Admin, topics: readonly string[], setting: string): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  if (topics.length === 0) return values;
  try {
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: topics.map((name) => ({ type: kafkajs.ConfigResourceTypes.TOPIC, name, configNames: [setting] })) });
    for (const resource of described.resources) {
      const value = resource.configEntries.find((entry) => entry.configName === setting)?.configValue;
      if (resource.errorCode === 0 && typeof value === "string") values.set(resource.resourceName, value);
    }
  } catch {
    // No DescribeConfigs permission: the caller keeps its default.
  }
  return values;
}

/** Adds the bound of each of `topics` to `into` (topic → bytes); topics it cannot read are left out. */
export async function readPartitionBytes(admin: Admin, topics: readonly string[], into: Map<string, number>): Promise<void> {
  for (const [topic, text] of await topicSetting(admin, topics, "max.message.bytes")) {
    const limit = Number(text);
    if (Number.isFinite(limit) && limit > 0) into.set(topic, partitionBytesFor(limit));
  }
}
