// runPrechecks: every check `dts precheck` shows and `dts run` requires before it starts,
// one report per pipeline. The source and the destination are examined in parallel; a check
// that depends on a failed one is reported as skipped rather than guessed.
import kafkajs from "kafkajs";
import type { ExecutionPlan, Pipeline } from "../generated/plan.js";
import { recordTopics, writtenTopics } from "../plan/topics.js";
import { RuntimeError } from "../runtime/errors.js";
import { resolveConnections, selectedIndexes, type PipelineConnections } from "../runtime/index.js";
import type { LiteralSecrets } from "../runtime/secrets.js";
import { checkIds, fail, skipped, type CheckId, type CheckResult } from "./check-result.js";
import { answeringBrokers, baseKafkaConfig, checkAuth, checkBrokers, checkPartitionCount, checkTopics, lastCheckpoint, probeBroker, readTopicFacts, topicsHoldingMessages, type TopicFacts } from "./kafka-checks.js";
import { checkPrivileges } from "./privileges.js";
import { checkRetention, checkServerSettings, checkTimezone } from "./server-settings.js";
import { checkServerId } from "./server-id.js";
import { checkStateFolder } from "./state-folder.js";
import { connectSourceServers } from "./source-connection.js";
import { gatherSourceFacts, type SourceFacts } from "./source-facts.js";
import { checkTableColumns, readRuleColumns } from "./table-columns.js";
import { checkForeignKeyCascades, checkKeylessOnCompacted, checkTableEngines, checkTableKeys, checkTablesExist } from "./tables.js";

export { renderJson, renderText, type TextOptions } from "./render.js";
export { checkIds, type CheckId, type CheckResult, type CheckStatus } from "./check-result.js";
export { onlyUnreachable, precheckRefusal, startCheck, type StartCheck } from "./start-check.js";

export interface PipelinePrecheck {
  pipeline: string;
  /** In the order of `checkIds`, without the skipped ones. */
  results: CheckResult[];
  skipped: CheckId[];
  /** True when no result is a failure. */
  ok: boolean;
}

export interface PrecheckReport {
  pipelines: PipelinePrecheck[];
  ok: boolean;
}

export interface PrecheckOptions {
  /** Check ids to leave out (`--skip-precheck`). */
  skip?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Settings the caller already resolved, by pipeline name (`dts run` reads its secrets once). */
  connections?: ReadonlyMap<string, PipelineConnections>;
}

const sourceCheckIds: CheckId[] = ["source-version", "binlog-enabled", "binlog-format", "binlog-row-image", "binlog-row-metadata", "binlog-transaction-compression", "server-id", "gtid-mode", "privileges", "tables-exist", "table-keys", "table-engines", "foreign-key-cascades", "table-columns", "binlog-retention", "timezone"];

/** Ids in `skip` that name no check; a caller should reject them as a usage error. */
export function unknownCheckIds(skip: readonly string[]): string[] {
  return skip.filter((id) => !(checkIds as readonly string[]).includes(id));
}

/** Check results, with the facts a check of both sides needs (null when they could not be read). */
interface SideChecks<T> {
  results: CheckResult[];
  facts: T | null;
}

async function sourceChecks(plan: ExecutionPlan, index: number, connections: PipelineConnections, env: NodeJS.ProcessEnv): Promise<SideChecks<SourceFacts>> {
  const pipeline = plan.pipelines[index] as Pipeline;
  const { conn, result } = await connectSourceServers(pipeline, connections.sourceServers);
  if (!conn) return { results: [result, ...sourceCheckIds.map((id) => skipped(id, "no connection to the source"))], facts: null };
  try {
    let facts: SourceFacts;
    try {
      facts = await gatherSourceFacts(conn);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { results: [result, fail("source-version", `the server's settings cannot be read: ${message}`, "check that the account may run SHOW GLOBAL VARIABLES"), ...sourceCheckIds.slice(1).map((id) => skipped(id, "the server's settings cannot be read"))], facts: null };
    }
    const results = [
      result,
      ...checkServerSettings(facts, pipeline),
      checkServerId(facts, plan, index, env),
      checkPrivileges(facts, pipeline),
      checkTablesExist(facts, pipeline),
      checkTableKeys(facts, pipeline),
      checkTableEngines(facts, pipeline),
      checkForeignKeyCascades(facts, pipeline),
      checkTableColumns(facts, pipeline, await readRuleColumns(conn, pipeline, facts)),
      checkRetention(facts, pipeline),
      checkTimezone(facts, pipeline),
    ];
    return { results, facts };
  } finally {
    await conn.end().catch(() => undefined);
  }
}

async function destinationChecks(pipeline: Pipeline, connections: PipelineConnections): Promise<SideChecks<TopicFacts>> {
  const base = baseKafkaConfig(connections.kafka);
  const probes = await Promise.all(pipeline.destination.brokers.map((broker) => probeBroker(base, broker)));
  const results = [checkBrokers(probes), checkAuth(pipeline.destination, probes)];
  const answering = answeringBrokers(probes);
  if (answering.length === 0) return { results: [...results, skipped("topics", "no broker accepted the connection"), skipped("partition-count", "no broker accepted the connection")], facts: null };
  // Only brokers that answered: a dead seed broker must not fail the checks that follow.
  const kafka = new kafkajs.Kafka({ ...base, brokers: answering, retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2_000 } });
  const admin = kafka.admin();
  let facts: TopicFacts | null = null;
  try {
    await admin.connect();
    const topics = await readTopicFacts(admin, writtenTopics(pipeline).map((t) => t.name));
    facts = topics;
    results.push(checkTopics(pipeline, topics));
    try {
      const { checkpoint, where } = await lastCheckpoint(pipeline, kafka);
      // A missing checkpoint beside topics with messages is most often a state folder not carried over.
      const holding = checkpoint ? [] : await topicsHoldingMessages(admin, recordTopics(pipeline).filter((t) => Object.hasOwn(topics.existing, t)).slice(0, 20));
      results.push(checkPartitionCount(checkpoint, where, topics, holding));
    } catch (error) {
      results.push(fail("partition-count", `the last checkpoint cannot be read: ${error instanceof Error ? error.message : String(error)}`, error instanceof RuntimeError && error.hint ? error.hint : "check the state folder and the checkpoint topic"));
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    results.push(fail("topics", `cannot read topic metadata: ${message}`, "check that the Kafka user may describe topics"), skipped("partition-count", "topic metadata cannot be read"));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  return { results, facts };
}

async function precheckPipeline(plan: ExecutionPlan, index: number, connections: PipelineConnections, skip: ReadonlySet<string>, env: NodeJS.ProcessEnv): Promise<PipelinePrecheck> {
  const pipeline = plan.pipelines[index] as Pipeline;
  const [source, destination] = await Promise.all([sourceChecks(plan, index, connections, env), destinationChecks(pipeline, connections)]);
  const byId = new Map([...source.results, ...destination.results, checkStateFolder(pipeline)].map((r) => [r.id, r]));
  const keyless = source.facts && destination.facts ? checkKeylessOnCompacted(source.facts, pipeline, destination.facts) : null;
  if (keyless) byId.set(keyless.id, keyless);
  const results = checkIds.filter((id) => !skip.has(id)).flatMap((id) => (byId.has(id) ? [byId.get(id) as CheckResult] : []));
  return { pipeline: pipeline.name, results, skipped: checkIds.filter((id) => skip.has(id)), ok: results.every((r) => r.status !== "fail") };
}

/**
 * Runs the prechecks of the named pipeline, or of every pipeline when `pipelineName` is null.
 * Throws RuntimeError("config") for an unknown pipeline or check id, and RuntimeError("secret")
 * or ("config") for settings that cannot be resolved, before anything connects; never for a
 * failed check.
 */
export async function runPrechecks(plan: ExecutionPlan, pipelineName: string | null, literalSecrets: LiteralSecrets, options: PrecheckOptions = {}): Promise<PrecheckReport> {
  const skip = options.skip ?? [];
  const unknown = unknownCheckIds(skip);
  if (unknown.length > 0) throw new RuntimeError("config", `unknown precheck id${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`, { hint: `precheck ids: ${checkIds.join(", ")}` });
  const indexes = selectedIndexes(plan, pipelineName);
  const skipSet = new Set(skip);
  const env = options.env ?? process.env;
  const connections = indexes.map((index) => options.connections?.get((plan.pipelines[index] as Pipeline).name) ?? resolveConnections(plan, index, literalSecrets, env));
  const pipelines = [];
  for (const [i, index] of indexes.entries()) pipelines.push(await precheckPipeline(plan, index, connections[i] as PipelineConnections, skipSet, env));
  return { pipelines, ok: pipelines.every((p) => p.ok) };
}
