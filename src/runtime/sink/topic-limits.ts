// How many bytes one partition's part of a produce request may hold, per topic. Kafka refuses
// a record batch larger than the topic's max.message.bytes (1 MiB by default, and often set
// lower per topic), so a batch of small rows that fits the default could never be delivered
// to such a topic. Read once per topic with DescribeConfigs; a topic whose setting cannot be
// read (no DescribeConfigs permission) keeps the default bound.
import kafkajs, { type Admin } from "kafkajs";

/** Below the broker default (1 MiB plus a little) with room for the request's framing. */
export const DEFAULT_PARTITION_BYTES = 900 * 1024;
/** Kept free of a topic's limit for the record batch's header and our size estimate's slack. */
const BATCH_OVERHEAD = 1024;

/** The partition-part bound for a topic whose max.message.bytes is `limit`. */
export function partitionBytesFor(limit: number): number {
  return Math.max(1, Math.min(DEFAULT_PARTITION_BYTES, limit - BATCH_OVERHEAD));
}

/** Adds the bound of each of `topics` to `into` (topic → bytes); topics it cannot read are left out. */
export async function readPartitionBytes(admin: Admin, topics: readonly string[], into: Map<string, number>): Promise<void> {
  if (topics.length === 0) return;
  let described;
  try {
    described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: kafkajs.ConfigResourceTypes.TOPIC, name, configNames: ["max.message.bytes"] })),
    });
  } catch {
    return;
  }
  for (const resource of described.resources) {
    const value = Number(resource.configEntries.find((entry) => entry.configName === "max.message.bytes")?.configValue);
    if (resource.errorCode === 0 && Number.isFinite(value) && value > 0) into.set(resource.resourceName, partitionBytesFor(value));
  }
}
