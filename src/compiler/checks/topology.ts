// Checks across pipelines, in one file or many: names, binlog server ids, and topics that
// several pipelines or tables write to (many-to-one) without agreeing on format or partitioning,
// or that mix captured DDL into Canal JSON rows.
import type { Span } from "../ast.js";
import type { MysqlSource, Pipeline } from "../../generated/plan.js";
import type { DiagnosticBag } from "../diagnostics.js";
import type { DecodedPipeline } from "../analyze/pipeline.js";
import { describePartition } from "../analyze/partition.js";
import { ddlTopicRoles, ruleTopic, writtenTopics } from "../../plan/topics.js";

function where(span: Span): string {
  return `${span.file}:${span.line}`;
}

function refKey(value: MysqlSource["host"] | MysqlSource["port"]): string {
  return typeof value === "object" ? `env:${value.env}` : String(value);
}

export function checkPipelineNames(pipelines: DecodedPipeline[], bag: DiagnosticBag): void {
  const seen = new Map<string, DecodedPipeline>();
  for (const p of pipelines) {
    const first = seen.get(p.pipeline.name);
    if (first) bag.report("duplicatePipeline", p.nameSpan, `pipeline "${p.pipeline.name}" is already declared at ${where(first.nameSpan)}`);
    else seen.set(p.pipeline.name, p);
  }
}

export function checkServerIds(pipelines: DecodedPipeline[], bag: DiagnosticBag): void {
  const seen = new Map<string, DecodedPipeline>();
  for (const p of pipelines) {
    const { host, port, serverId } = p.pipeline.source;
    const key = `${refKey(host)}:${refKey(port)}#${serverId}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, p);
      continue;
    }
    // An explicit id clashes with another pipeline's: the catalog's hint. A default one: set one.
    const hint = p.source.serverIdExplicit ? undefined : "set a distinct server_id in this pipeline's source block";
    bag.report("serverIdCollision", p.source.serverIdSpan, `pipelines "${first.pipeline.name}" and "${p.pipeline.name}" both read ${refKey(host)}:${refKey(port)} as binlog replica ${serverId}; the server disconnects one of them`, hint);
  }
}

interface TopicUse {
  pipeline: Pipeline;
  format: Pipeline["format"];
  formatSpan: Span;
  partition: string | null;
  partitionSpan: Span;
  kind: "data" | "ddl";
}

/** Topics are identified per cluster; brokers lists are compared as sets. */
function topicKey(pipeline: Pipeline, topic: string): string {
  return `${[...pipeline.destination.brokers].sort().join(",")}/${topic}`;
}

export function checkTopics(pipelines: DecodedPipeline[], bag: DiagnosticBag): void {
  const uses = new Map<string, TopicUse>();
  // One report per pipeline and topic, however many of its tables share the conflict.
  const reported = new Set<string>();
  const record = (key: string, use: TopicUse, topic: string) => {
    const first = uses.get(key);
    if (!first) {
      uses.set(key, use);
      return;
    }
    const once = (what: string) => {
      const id = `${use.pipeline.name}/${key}/${what}`;
      if (reported.has(id)) return false;
      reported.add(id);
      return true;
    };
    if (first.format !== use.format) {
      if (!once("format")) return;
      const kind = first.kind === "ddl" || use.kind === "ddl" ? "ddlTopicFormatConflict" : "topicFormatConflict";
      const what = use.kind === "ddl" ? "DDL topic" : "topic";
      bag.report(kind, use.formatSpan, `${what} "${topic}" gets ${use.format} here but ${first.format} from pipeline "${first.pipeline.name}" at ${where(first.formatSpan)}`);
      return;
    }
    if (use.kind === "data" && first.kind === "data" && first.partition !== use.partition && once("partition")) {
      bag.report("topicPartitionConflict", use.partitionSpan, `topic "${topic}" is partitioned by ${use.partition} here but by ${first.partition} at ${where(first.partitionSpan)}`);
    }
  };
  for (const p of pipelines) {
    const { pipeline } = p;
    for (const rule of p.rules) {
      const topic = ruleTopic(pipeline, rule.rule);
      const policy = rule.rule.partition ?? pipeline.partition;
      const partitionSpan = rule.partitionSpan ?? p.partitionSpan;
      const formatSpan = rule.rule.target.topic !== null ? (rule.topicSpan ?? p.formatSpan) : p.formatSpan;
      record(topicKey(pipeline, topic), { pipeline, format: pipeline.format, formatSpan, partition: describePartition(policy), partitionSpan, kind: "data" }, topic);
    }
    // Captured DDL and the initial sync's schema records both go to the DDL topic.
    if (ddlTopicRoles(pipeline).length > 0) {
      const topic = pipeline.destination.ddlTopic;
      const key = topicKey(pipeline, topic);
      const first = uses.get(key);
      if (!first || first.pipeline !== pipeline) {
        const span = p.destination.ddlTopicSpan;
        record(key, { pipeline, format: pipeline.format, formatSpan: span, partition: null, partitionSpan: span, kind: "ddl" }, topic);
      }
    }
  }
  checkCanalDdlTopics(pipelines, bag);
}

/**
 * Flink's canal-json format skips CREATE and fails the job on any other DDL message
 * (docs/formats.md, "DDL in a Canal JSON topic: Flink"): warn where a Canal JSON pipeline's
 * captured DDL shares a topic with its rows. Schema records of the initial sync are CREATE TABLE.
 */
function checkCanalDdlTopics(pipelines: DecodedPipeline[], bag: DiagnosticBag): void {
  for (const p of pipelines) {
    if (p.pipeline.format !== "canal-json") continue;
    const shared = writtenTopics(p.pipeline).find((t) => t.roles.includes("data") && t.roles.includes("ddl"));
    if (shared) bag.report("canalDdlInDataTopic", p.destination.ddlTopicSpan, `captured DDL goes to "${shared.name}", which also carries the rows of pipeline "${p.pipeline.name}"`);
  }
}
