// The Produce requests a dispatch becomes: its batches grouped by their leader broker, and cut
// into requests no larger than that broker reads, its socket.request.max.bytes (100 MiB by
// default). A broker closes the connection on a larger request without an answer, so the
// producer would see only lost connections ("write EPIPE") and send the same request again until
// it gave up. Each broker's setting is read once, with DescribeConfigs, when a request first goes
// to it; a broker that does not answer that (no DescribeConfigs permission on the cluster)
// counts as having the default.
import { REQUEST_LIMIT_SETTING, requestTooLarge } from "./kafka-errors.js";
import type { ClusterBroker, KafkaCluster } from "./kafka-cluster.js";
import { requestRuns, type SizedBatch } from "./produce-request.js";

export const DEFAULT_REQUEST_LIMIT = 100 * 1024 * 1024;
const BROKER_RESOURCE = 4;

/** kafkajs' broker answers DescribeConfigs as well; ClusterBroker (kafka-cluster.ts) does not declare it. */
interface ConfigDescriber {
  describeConfigs(request: { resources: { type: number; name: string; configNames: string[] }[] }): Promise<{ resources: { errorCode: number; configEntries: { configName: string; configValue: string | null }[] }[] }>;
}

async function readRequestLimit(broker: ClusterBroker & Partial<ConfigDescriber>): Promise<number> {
  if (typeof broker.describeConfigs !== "function") return DEFAULT_REQUEST_LIMIT;
  try {
    const described = await broker.describeConfigs({ resources: [{ type: BROKER_RESOURCE, name: String(broker.nodeId), configNames: [REQUEST_LIMIT_SETTING] }] });
    const resource = described.resources[0];
    const value = Number(resource?.configEntries.find((entry) => entry.configName === REQUEST_LIMIT_SETTING)?.configValue);
    return resource?.errorCode === 0 && Number.isFinite(value) && value > 0 ? value : DEFAULT_REQUEST_LIMIT;
  } catch {
    return DEFAULT_REQUEST_LIMIT;
  }
}

/** Each broker's request limit, read at its first use and kept. */
export class BrokerRequestLimits {
  readonly #byNode = new Map<number, Promise<number>>();

  of(broker: ClusterBroker): Promise<number> {
    let limit = this.#byNode.get(broker.nodeId);
    if (!limit) this.#byNode.set(broker.nodeId, (limit = readRequestLimit(broker)));
    return limit;
  }
}

/** A record batch bound for a partition. */
export interface PartitionBatch extends SizedBatch {
  partition: number;
  /** A compressed batch's one message's key, kept for the error that names a refused message. */
  key?: Buffer | null;
}

/** Batches going to one broker in one request. */
export interface LeaderRequest<T extends PartitionBatch> {
  broker: ClusterBroker;
  parts: T[];
}

/**
 * `parts` grouped by their leader, in requests no larger than its broker reads, in order. A batch
 * that no such request holds throws, for good (requestTooLarge): no retry can send it.
 */
export async function leaderRequests<T extends PartitionBatch>(cluster: KafkaCluster, limits: BrokerRequestLimits, parts: readonly T[], transactionalId: string | null): Promise<LeaderRequest<T>[]> {
  const byLeader = new Map<number, T[]>();
  for (const part of parts) {
    const leader = cluster.leaderId(part.topic, part.partition);
    let list = byLeader.get(leader);
    if (!list) byLeader.set(leader, (list = []));
    list.push(part);
  }
  const requests: LeaderRequest<T>[] = [];
  for (const [leader, group] of byLeader) {
    const broker = await cluster.broker(leader);
    const limit = await limits.of(broker);
    const { runs, tooLarge } = requestRuns(group, limit, transactionalId);
    if (tooLarge) throw requestTooLarge(tooLarge, limit);
    for (const run of runs) requests.push({ broker, parts: run });
  }
  return requests;
}
