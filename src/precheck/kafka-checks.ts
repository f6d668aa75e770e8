// Destination prechecks: every seed broker answers, SASL/TLS work, the topics exist (or may
// be created) with enough partitions, and their partition counts match the last checkpoint.
import { existsSync } from "node:fs";
import { join } from "node:path";
import kafkajs, { type Admin, type KafkaConfig } from "kafkajs";
import { pino } from "pino";
import type { Pipeline } from "../generated/plan.js";
import { recordTopics, writtenTopics } from "../plan/topics.js";
import type { Checkpoint } from "../runtime/checkpoint/checkpoint.js";
import { FileCheckpointStore, pipelineStateDir } from "../runtime/checkpoint/file-store.js";
import { readKafkaCheckpoint } from "../runtime/checkpoint/kafka-store.js";
import { RuntimeError } from "../runtime/errors.js";
import { withLogger } from "../runtime/sink/kafka-client.js";
import { probeListener } from "../runtime/sink/listener-probe.js";
import { topicSetting } from "../runtime/sink/topic-limits.js";
import { checkPartitionCounts, countsByTopic } from "../runtime/sink/topics.js";
import { fail, pass, skipped, someOf, unreachable, warn, type CheckResult } from "./check-result.js";

const { Kafka } = kafkajs;
const silent = pino({ level: "silent" });

export interface BrokerProbe {
  broker: string;
  /** network: refused, timed out, unknown host (worth waiting for); protocol: something other than a Kafka listener answered. */
  error: { kind: "auth" | "tls" | "network" | "protocol"; message: string } | null;
}

/** The innermost error kafkajs wrapped (retries wrap connection errors wrap socket errors). */
function innermost(error: unknown): { name?: string; message?: string; code?: string } {
  let current = error as { name?: string; message?: string; code?: string; cause?: unknown; originalError?: unknown };
  for (let depth = 0; depth < 5; depth++) {
    const next = (current.cause ?? current.originalError) as typeof current | undefined;
    if (!next || next === current) break;
    current = next;
  }
  return current;
}

export function classifyKafkaError(error: unknown): NonNullable<BrokerProbe["error"]> {
  const inner = innermost(error);
  const message = inner.message ?? String(error);
  if (inner.name === "KafkaJSSASLAuthenticationError" || /SASL|authenticat/i.test(message)) return { kind: "auth", message };
  if (/CERT|SSL|TLS|EPROTO|self.signed|certificate|wrong version number/i.test(`${inner.code ?? ""} ${message}`)) return { kind: "tls", message };
  return { kind: "network", message };
}

function quickConfig(base: KafkaConfig, brokers: string[]): KafkaConfig {
  return { ...base, brokers, connectionTimeout: 5_000, requestTimeout: 10_000, retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1_000 } };
}

export async function probeBroker(base: KafkaConfig, broker: string): Promise<BrokerProbe> {
  const admin = new Kafka(quickConfig(base, [broker])).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return { broker, error: null };
  } catch (error) {
    const classified = classifyKafkaError(error);
    // Closed, or reset (MariaDB resets a client that spoke first): something answered there.
    const inner = innermost(error);
    const closed = inner.name === "KafkaJSConnectionClosedError" || /ECONNRESET|EPIPE/.test(`${inner.code ?? ""} ${inner.message ?? ""}`);
    return { broker, error: closed ? await whoAnswered(broker, Boolean(base.ssl), classified, base.sasl !== undefined) : classified };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * kafkajs' "Closed connection": the address accepted the connection, then closed it. Asks it
 * by hand what it is (listener-probe.ts); only a broker that closed on us stays a reach problem.
 */
async function whoAnswered(broker: string, useTls: boolean, closed: NonNullable<BrokerProbe["error"]>, sasl: boolean): Promise<NonNullable<BrokerProbe["error"]>> {
  let answer = await probeListener(broker, useTls);
  // A silent close may be a broker shutting down at that moment: one more look before judging.
  if (answer.kind === "other" && answer.what.startsWith("accepted the connection and closed")) {
    await new Promise((r) => setTimeout(r, 500));
    answer = await probeListener(broker, useTls);
  }
  if (answer.kind === "tls") return { kind: "tls", message: "the listener answered in TLS, but the client spoke plaintext (a TLS or SASL_SSL listener)" };
  if (answer.kind === "other") return { kind: "protocol", message: `${answer.what}: not a Kafka listener this client can talk to` };
  // A broker that answers ApiVersions and closes on the next request without SASL wants SASL.
  if (answer.kind === "kafka" && !sasl) return { kind: "auth", message: "the listener is a Kafka broker, but it closed the connection at the client's first request: it expects SASL authentication (a SASL_PLAINTEXT or SASL_SSL listener)" };
  return closed;
}

/**
 * The client needs one seed broker to find the cluster, so some brokers down is a warning;
 * none answering is a failure of reach, which a run waits out inside its retry window.
 */
export function checkBrokers(probes: readonly BrokerProbe[]): CheckResult {
  const down = probes.filter((p) => p.error?.kind === "network");
  const foreign = probes.filter((p) => p.error?.kind === "protocol");
  if (down.length === 0 && foreign.length === 0) return pass("kafka-brokers", `${probes.length} broker(s) answered: ${probes.map((p) => p.broker).join(", ")}`);
  const problems = [
    ...(foreign.length > 0 ? [`${someOf(foreign.map((p) => `${p.broker} ${p.error?.message}`), 3)}`] : []),
    ...(down.length > 0 ? [`cannot reach ${someOf(down.map((p) => `${p.broker} (${p.error?.message})`), 3)}`] : []),
  ].join("; ");
  const fix =
    foreign.length > 0
      ? "check the brokers list in the destination block: each address must be a Kafka listener (not another server's port); if the listener expects TLS or SASL (SASL_SSL), set the destination's tls and auth to match"
      : "check the brokers list in the destination block, that the brokers run, and firewalls; the addresses must be the listeners this client can reach";
  const up = probes.filter((p) => p.error?.kind !== "network" && p.error?.kind !== "protocol").map((p) => p.broker);
  if (up.length > 0) return warn("kafka-brokers", `${problems}; ${someOf(up, 3)} answered, so the client can still find the cluster`, fix);
  // Waiting helps a broker that is down, not an address where something else answers.
  return foreign.length > 0 ? fail("kafka-brokers", problems, fix) : unreachable("kafka-brokers", problems, fix);
}

/** The brokers that accepted a connection, for the checks that follow. */
export function answeringBrokers(probes: readonly BrokerProbe[]): string[] {
  return probes.filter((p) => p.error === null).map((p) => p.broker);
}

export function checkAuth(destination: Pipeline["destination"], probes: readonly BrokerProbe[]): CheckResult {
  const auth = destination.auth;
  const tls = destination.tls.enabled ? `TLS${destination.tls.caFile ? " with the spec's CA file" : ""}` : "no TLS";
  const user = auth.mechanism !== "none" && typeof auth.username === "string" ? ` as "${auth.username}"` : "";
  const authFailure = probes.find((p) => p.error?.kind === "auth");
  if (authFailure && auth.mechanism === "none") {
    return fail("kafka-auth", `${authFailure.broker}: ${authFailure.error?.message}`, "add an auth block to the destination (mechanism, username and password from env(...) or file(...)) with the SASL mechanism the listener takes");
  }
  if (authFailure) {
    return fail(
      "kafka-auth",
      `SASL ${auth.mechanism}${user} was rejected by ${authFailure.broker}: ${authFailure.error?.message}`,
      "check the username, password and mechanism in the destination's auth block; for SCRAM the broker needs credentials for the user (kafka-configs --alter --add-config 'SCRAM-SHA-256=[password=...]' --entity-type users)",
    );
  }
  const tlsFailure = probes.find((p) => p.error?.kind === "tls");
  if (tlsFailure) {
    return fail(
      "kafka-auth",
      `TLS with ${tlsFailure.broker} failed: ${tlsFailure.error?.message}`,
      destination.tls.enabled ? "check that this address is a TLS listener of the broker, that the CA file given to tls = verify(...) holds the CA that signed its certificate, and that the address matches the certificate" : "the listener expects TLS: set tls = on (or verify(\"ca.pem\")) in the destination block, and for a SASL_SSL listener the auth block too",
    );
  }
  if (probes.every((p) => p.error !== null)) return skipped("kafka-auth", "no broker accepted the connection");
  if (auth.mechanism === "none") return pass("kafka-auth", `no SASL configured, ${tls}; the brokers accepted the connection`);
  return pass("kafka-auth", `SASL ${auth.mechanism}${user} accepted, ${tls}`);
}

export interface TopicFacts {
  /** Partition counts of the topics the pipeline writes that exist. */
  existing: Record<string, number>;
  /** Every topic the cluster has. */
  listed: ReadonlySet<string>;
  /** Existing topics among them with cleanup.policy compact (empty when topic configs cannot be read). */
  compacted?: ReadonlySet<string>;
  /** Existing topics among them whose cleanup.policy was read and does not compact. */
  notCompacted?: ReadonlySet<string>;
  brokerCount: number;
}

export async function readTopicFacts(admin: Admin, topics: readonly string[]): Promise<TopicFacts> {
  const cluster = await admin.describeCluster();
  const names = new Set(await admin.listTopics());
  const present = topics.filter((t) => names.has(t));
  const existing = countsByTopic();
  if (present.length > 0) {
    const metadata = await admin.fetchTopicMetadata({ topics: present });
    for (const topic of metadata.topics) existing[topic.name] = topic.partitions.length;
  }
  return { existing, listed: names, ...(await compaction(admin, present)), brokerCount: cluster.brokers.length };
}

/**
 * The topics among `topics` whose cleanup.policy compacts, and those whose policy does not; both
 * empty when the configs cannot be read (the run then says which topic refused a message and why).
 */
async function compaction(admin: Admin, topics: readonly string[]): Promise<{ compacted: Set<string>; notCompacted: Set<string> }> {
  const policies = [...(await topicSetting(admin, topics, "cleanup.policy"))];
  const compacts = ([, policy]: [string, string]) => policy.split(",").some((p) => p.trim() === "compact");
  return { compacted: new Set(policies.filter(compacts).map(([topic]) => topic)), notCompacted: new Set(policies.filter((entry) => !compacts(entry)).map(([topic]) => topic)) };
}

/** A checkpoint topic that deletes by retention loses the last checkpoint of a pipeline stopped longer than that. */
function uncompactedCheckpoints(pipeline: Pipeline, facts: TopicFacts): CheckResult | null {
  const topic = pipeline.checkpoint.topic;
  if (!topic || !facts.notCompacted?.has(topic)) return null;
  return fail(
    "topics",
    `checkpoint topic ${topic} is not compacted: retention deletes its checkpoints, and a run that then finds none there (a new machine, a lost state folder, a group's other worker) starts as a new pipeline, which skips the changes made meanwhile or copies every row again`,
    `make it compacted (kafka-configs.sh --alter --entity-type topics --entity-name ${topic} --add-config cleanup.policy=compact), or name a new checkpoint topic, which the run creates compacted`,
  );
}

/** Existing record topics with another partition count than create_topics would give them: the run takes what exists. */
function partitionsOtherThanAsked(pipeline: Pipeline, facts: TopicFacts): string {
  const create = pipeline.destination.createTopics;
  if (!create.enabled) return "";
  const other = recordTopics(pipeline).filter((t) => Object.hasOwn(facts.existing, t) && facts.existing[t] !== create.partitions);
  return other.length > 0 ? `; ${someOf(other)} already exist${other.length > 1 ? "" : "s"} with another partition count than create_topics' ${create.partitions}, which the run keeps` : "";
}

export function checkTopics(pipeline: Pipeline, facts: TopicFacts): CheckResult {
  const create = pipeline.destination.createTopics;
  const absent = writtenTopics(pipeline).filter((t) => !Object.hasOwn(facts.existing, t.name));
  const required = absent.filter((t) => t.whenMissing === "fail");
  if (required.length > 0) {
    const names = required.map((t) => t.name);
    const many = names.length > 1;
    // Schema records land on the DDL topic even while DDL is ignored, which is easy to miss.
    const why = required.some((t) => t.roles.includes("schema") && !t.roles.includes("ddl") && !t.roles.includes("data")) ? " (the initial sync writes its schema records to the DDL topic)" : "";
    return fail("topics", `topic${many ? "s" : ""} ${someOf(names)} do${many ? "" : "es"} not exist and create_topics is off${why}`, `create ${many ? "them" : "it"} (kafka-topics.sh --create --topic ${names[0]} --partitions N), or set create_topics = true in the destination block`);
  }
  const missing = absent.map((t) => t.name);
  if (missing.length > 0 && create.replicationFactor > facts.brokerCount) {
    return fail("topics", `${someOf(missing)} would be created with replication factor ${create.replicationFactor}, but the cluster has ${facts.brokerCount} broker(s)`, `set create_topics { replication_factor = ${facts.brokerCount} } or create the topics by hand`);
  }
  const checkpointProblem = uncompactedCheckpoints(pipeline, facts);
  if (checkpointProblem) return checkpointProblem;
  const keyless = writtenTopics(pipeline).filter((t) => facts.compacted?.has(t.name) && (t.roles.includes("ddl") || t.roles.includes("schema")));
  if (keyless.length > 0) {
    const names = keyless.map((t) => t.name);
    return fail("topics", `topic${names.length > 1 ? "s" : ""} ${someOf(names)} ${names.length > 1 ? "are" : "is"} compacted (cleanup.policy=compact) and would get DDL or initial-sync schema records, which have no key: Kafka refuses messages without a key on a compacted topic`, "set ddl_topic in the destination block to a topic that is not compacted (the initial sync writes its schema records there even while ddl = ignore), or make the topic non-compacted; rows of tables without a primary key have no key either (docs/formats.md, Message key)");
  }
  const hashed = (pipeline.partition.policy !== "partition-zero" || pipeline.objects.some((o) => o.partition && o.partition.policy !== "partition-zero"));
  const single = recordTopics(pipeline).filter((t) => facts.existing[t] === 1);
  const existingText = Object.entries(facts.existing).map(([t, n]) => `${t} (${n})`).join(", ");
  const createdData = absent.filter((t) => !t.compacted).map((t) => t.name);
  const createdCheckpoint = absent.filter((t) => t.compacted).map((t) => t.name);
  const created = `${createdData.length > 0 ? `; ${someOf(createdData)} will be created with ${create.partitions} partition(s)` : ""}${createdCheckpoint.length > 0 ? `; checkpoint topic ${createdCheckpoint.join(", ")} will be created compacted` : ""}${partitionsOtherThanAsked(pipeline, facts)}`;
  if (hashed && single.length > 0) {
    return warn("topics", `${someOf(single)} ${single.length > 1 ? "have" : "has"} 1 partition, so the ${pipeline.partition.policy} policy sends everything to partition 0${created}`, "add partitions before the first run (the count must not change afterwards), or use partition = partition-zero");
  }
  return pass("topics", `${existingText ? `existing: ${existingText}` : "no topic exists yet"}${created}`);
}

/** The last checkpoint: the local state folder first, then the checkpoint topic. */
export async function lastCheckpoint(pipeline: Pipeline, kafka: kafkajs.Kafka | null): Promise<{ checkpoint: Checkpoint | null; where: string }> {
  const local = join(pipelineStateDir(pipeline.checkpoint.directory, pipeline.name), "checkpoint.json");
  if (existsSync(local)) return { checkpoint: new FileCheckpointStore(pipeline.checkpoint.directory, pipeline.name).load(), where: local };
  if (pipeline.checkpoint.topic && kafka) {
    return { checkpoint: await readKafkaCheckpoint(kafka, pipeline.checkpoint.topic, pipeline.name, { timeoutMs: 15_000 }), where: `topic ${pipeline.checkpoint.topic}` };
  }
  return { checkpoint: null, where: local };
}

/** Which of `topics` (existing ones) already hold messages; a topic whose offsets cannot be read is left out. */
export async function topicsHoldingMessages(admin: Admin, topics: readonly string[]): Promise<string[]> {
  const holds = await Promise.all(topics.map(async (topic) => (await admin.fetchTopicOffsets(topic).catch(() => [])).some((o) => Number(o.high) > Number(o.low))));
  return topics.filter((_, i) => holds[i]);
}

/** `holding`: the pipeline's topics that already hold messages (asked only when there is no checkpoint). */
export function checkPartitionCount(checkpoint: Checkpoint | null, where: string, facts: TopicFacts, holding: readonly string[] = []): CheckResult {
  if (!checkpoint && holding.length > 0) {
    return warn(
      "partition-count",
      `no checkpoint (${where}), but topic${holding.length > 1 ? "s" : ""} ${someOf(holding)} already hold${holding.length > 1 ? "" : "s"} messages: the run starts as a new pipeline, so the initial sync sends every row again (and without one, changes made since the last run are skipped)`,
      "if this pipeline ran before, point checkpoint.directory at its state folder (or keep checkpoints in Kafka with checkpoint.topic); if a fresh start is meant, ignore this",
    );
  }
  if (!checkpoint) return pass("partition-count", `no checkpoint yet (${where}); the counts are recorded on the first run`);
  const comparable = Object.keys(checkpoint.partitionCounts).filter((t) => Object.hasOwn(facts.existing, t));
  try {
    checkPartitionCounts(checkpoint.partitionCounts, facts.existing);
  } catch (error) {
    if (error instanceof RuntimeError) return fail("partition-count", error.message, error.hint ?? "restore the partition count");
    throw error;
  }
  const recorded = Object.keys(checkpoint.partitionCounts).filter((t) => !Object.hasOwn(facts.existing, t));
  const gone = recorded.filter((t) => !facts.listed.has(t));
  if (gone.length > 0) return warn("partition-count", `${someOf(gone)} recorded in the checkpoint (${where}) no longer exist${gone.length > 1 ? "" : "s"}`, "a recreated topic starts empty: consumers miss what was sent before; start over with a fresh state folder if that is intended");
  const left = recorded.filter((t) => facts.listed.has(t));
  if (left.length > 0) return warn("partition-count", `the spec no longer writes topic${left.length > 1 ? "s" : ""} ${someOf(left)}, which the checkpoint (${where}) records`, "what was sent there stays; a topic the spec now writes instead gets the changes from the checkpoint on, not the rows sent before (an initial sync into it needs a fresh state folder)");
  return pass("partition-count", `${comparable.length} topic(s) have the partition counts recorded in ${where}`);
}

/** The resolved settings with kafkajs kept quiet: the checks report what goes wrong themselves. */
export function baseKafkaConfig(config: KafkaConfig): KafkaConfig {
  return withLogger(config, silent);
}
