// A group as its coordinator describes it (DescribeGroups): its state and, once it is stable,
// each member's worker id, status endpoint and assigned pipelines. For `dts status --group`.
import type { KafkaConfig } from "kafkajs";
import { RuntimeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { createKafka } from "../sink/kafka-client.js";
import { KafkaCluster, type DescribedGroup } from "../sink/kafka-cluster.js";
import { decodeAssignment, decodeMetadata, PROTOCOL_TYPE } from "./group-protocol.js";

export interface GroupDescription {
  /** Stable, PreparingRebalance, CompletingRebalance, Empty or Dead. */
  state: string;
  members: { worker: string; status: string | null; pipelines: string[] }[];
}

/** How long to wait for a rebalance to settle: the coordinator shows assignments only once the group is stable. */
const settleMs = 15_000;

export async function describeGroup(kafka: KafkaConfig, group: string, log: Logger): Promise<GroupDescription> {
  const cluster = new KafkaCluster(createKafka(kafka, log));
  let described: DescribedGroup;
  try {
    await cluster.connect([]);
    described = await describeSettled(cluster, group);
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
  if (described.protocolType !== "" && described.protocolType !== PROTOCOL_TYPE) {
    throw new Error(`${group} is a Kafka group of protocol type "${described.protocolType}", not a group of dts workers`);
  }
  const members = described.members.flatMap((m) => {
    const metadata = decodeMetadata(m.memberMetadata);
    return metadata ? [{ worker: metadata.worker, status: metadata.status, pipelines: decodeAssignment(m.memberAssignment).pipelines }] : [];
  });
  return { state: described.state, members };
}

async function describeSettled(cluster: KafkaCluster, group: string): Promise<DescribedGroup> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const coordinator = await cluster.groupCoordinator(group);
    const { groups } = await coordinator.describeGroups({ groupIds: [group] });
    const described = groups[0];
    if (!described) throw new Error(`the coordinator did not describe the group ${group}`);
    const settling = described.state === "PreparingRebalance" || described.state === "CompletingRebalance";
    if (!settling || Date.now() > deadline) return described;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Refuses a --group name that a Kafka group of another kind (a consumer group) holds. The broker
 * refuses a JoinGroup only while that group has live members; once its consumers stopped it is
 * Empty, yet it keeps its protocol type and offsets, and workers joining it would take its name.
 */
export async function refuseForeignGroup(cluster: KafkaCluster, group: string): Promise<void> {
  await cluster.connect([]);
  const coordinator = await cluster.groupCoordinator(group);
  const { groups } = await coordinator.describeGroups({ groupIds: [group] });
  const type = groups[0]?.protocolType ?? "";
  if (type === "" || type === PROTOCOL_TYPE) return;
  throw new RuntimeError("config", `cannot join the group ${group}: it is a Kafka group of protocol type "${type}" (state ${groups[0]?.state ?? "unknown"}), not a group of dts workers`, {
    hint: "a Kafka consumer group of that name exists: give the workers another --group name",
  });
}
