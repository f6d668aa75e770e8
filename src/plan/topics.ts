// Which Kafka topics a pipeline writes, worked out in one place: the compiler checks them for
// conflicts, the precheck checks that they exist, the session creates and opens them and
// `dts tail` reads them. When two of these decided on their own, a precheck could pass for a
// pipeline whose run then failed on a topic the precheck never looked at.
import type { ObjectRule, Pipeline } from "../generated/plan.js";

/**
 * Why the pipeline writes a topic: row changes (`data`), captured DDL (`ddl`), the initial
 * sync's schema records (`schema`, sent to the DDL topic even while DDL is ignored), or the
 * checkpoints kept in Kafka (`checkpoint`).
 */
export type TopicRole = "data" | "ddl" | "schema" | "checkpoint";

export interface WrittenTopic {
  name: string;
  /** Every reason the pipeline writes it, in the order above; never empty. */
  roles: TopicRole[];
  /**
   * What a run does when the topic is missing: `create` it (create_topics is on, or it is the
   * checkpoint topic, which the runtime always creates compacted), or `fail`.
   */
  whenMissing: "create" | "fail";
  /** Created with cleanup.policy=compact and one partition (the checkpoint topic). */
  compacted: boolean;
}

/** The topic a rule's rows go to. */
export function ruleTopic(pipeline: Pipeline, rule: ObjectRule): string {
  return rule.target.topic ?? pipeline.destination.topic;
}

/** The roles under which the pipeline writes its DDL topic; empty when it writes none there. */
export function ddlTopicRoles(pipeline: Pipeline): ("ddl" | "schema")[] {
  return [...(pipeline.ddl === "capture" ? (["ddl"] as const) : []), ...(pipeline.initialSync.schema ? (["schema"] as const) : [])];
}

const roleOrder: readonly TopicRole[] = ["data", "ddl", "schema", "checkpoint"];

/** Every topic the pipeline writes, data topics first, each once. */
export function writtenTopics(pipeline: Pipeline): WrittenTopic[] {
  const roles = new Map<string, Set<TopicRole>>();
  const add = (name: string, role: TopicRole) => roles.set(name, (roles.get(name) ?? new Set()).add(role));
  add(pipeline.destination.topic, "data");
  for (const role of ddlTopicRoles(pipeline)) add(pipeline.destination.ddlTopic, role);
  for (const rule of pipeline.objects) add(ruleTopic(pipeline, rule), "data");
  if (pipeline.checkpoint.topic) add(pipeline.checkpoint.topic, "checkpoint");
  return [...roles].map(([name, set]) => {
    const checkpoint = set.has("checkpoint");
    return { name, roles: roleOrder.filter((r) => set.has(r)), whenMissing: checkpoint || pipeline.destination.createTopics.enabled ? "create" : "fail", compacted: checkpoint };
  });
}

/** The topics records go to (rows, DDL and schema records): what the producer writes. */
export function recordTopics(pipeline: Pipeline): string[] {
  return writtenTopics(pipeline).filter((t) => t.roles.some((r) => r !== "checkpoint")).map((t) => t.name);
}

/** The checkpoint topic, when checkpoints are kept in Kafka. */
export function checkpointTopics(pipeline: Pipeline): string[] {
  return writtenTopics(pipeline).filter((t) => t.roles.includes("checkpoint")).map((t) => t.name);
}
