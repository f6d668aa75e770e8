// `pipeline "name" { ... }` → Pipeline, plus the spans cross-pipeline checks point at.
import type { Attribute, Block, Span } from "../ast.js";
import type { InitialSync, Pipeline } from "../../generated/plan.js";
import type { SourceText } from "../source-text.js";
import { Body } from "./body.js";
import type { DecodeContext } from "./context.js";
import { decodeDestination, type DecodedDestination } from "./destination.js";
import { decodeDatabase, type DecodedRule } from "./objects.js";
import { decodePartition } from "./partition.js";
import { ddlTopicRoles } from "../../plan/topics.js";
import { decodeSource, type DecodedSource } from "./source.js";
import { inRange, limits } from "./limits.js";
import { decodeDuration } from "./duration.js";
import { formatSize, parseSize } from "./units.js";

export interface DecodedPipeline {
  pipeline: Pipeline;
  nameSpan: Span;
  source: DecodedSource;
  destination: DecodedDestination;
  rules: DecodedRule[];
  partitionSpan: Span;
  formatSpan: Span;
}

const pipelineShape = {
  owner: "a pipeline block",
  attributes: ["mode", "stop_when_caught_up", "format", "partition", "ddl", "delivery", "retry_window", "max_delay", "initial_sync"],
  blocks: { source: "one", destination: "one", initial_sync: "one", checkpoint: "one", database: "many" },
} as const;

const initialSyncShape = {
  owner: "the initial_sync block",
  attributes: ["schema", "data", "chunk_size", "parallelism", "max_rows_per_second", "max_bytes_per_second"],
} as const;

const pipelineNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** A pipeline's name is its state folder's: most file systems take at most 255 bytes. */
const PIPELINE_NAME_MAX = 200;

function decodeInitialSync(ctx: DecodeContext, body: Body): InitialSync {
  // DTS's default: schema and full data first, then incremental changes.
  const sync: InitialSync = { schema: true, data: true, chunkSize: 1_000, parallelism: 4, throttle: { rowsPerSecond: null, bytesPerSecond: null } };
  const attr = body.attribute("initial_sync");
  if (attr) {
    const enabled = ctx.values.boolean(attr);
    if (enabled === false) return { ...sync, schema: false, data: false };
    return sync;
  }
  const block = body.block("initial_sync");
  if (!block) return sync;
  const inner = new Body(block.items, initialSyncShape, ctx.bag);
  const v = ctx.values;
  const read = <T>(key: string, decode: (a: NonNullable<ReturnType<Body["attribute"]>>) => T | undefined): T | undefined => {
    const a = inner.attribute(key);
    return a ? decode(a) : undefined;
  };
  sync.schema = read("schema", (a) => v.boolean(a)) ?? true;
  sync.data = read("data", (a) => v.boolean(a)) ?? true;
  sync.chunkSize = read("chunk_size", (a) => v.integer(a, limits.chunkSize)) ?? sync.chunkSize;
  sync.parallelism = read("parallelism", (a) => v.integer(a, limits.parallelism)) ?? sync.parallelism;
  sync.throttle.rowsPerSecond = read("max_rows_per_second", (a) => v.integer(a, limits.rowsPerSecond)) ?? null;
  sync.throttle.bytesPerSecond = read("max_bytes_per_second", (a) => decodeBytesPerSecond(ctx, a)) ?? null;
  return sync;
}

function decodeBytesPerSecond(ctx: DecodeContext, attr: Attribute): number | undefined {
  const range = limits.bytesPerSecond;
  const value = attr.value;
  if (value.kind === "number") return ctx.values.integer(attr, range);
  if (value.kind !== "quantity") return ctx.values.wrongType(value, "max_bytes_per_second", "a size such as 64MiB");
  const size = parseSize(value.text);
  if (!size.ok) return void ctx.bag.report("badSize", value.span, size.message, size.hint);
  if (inRange(size.value, range)) return size.value;
  ctx.bag.report("outOfRange", value.span, `max_bytes_per_second must be between ${formatSize(range.min)} and ${formatSize(range.max)}; got ${value.text}`, range.hint);
  return undefined;
}

function decodeRetry(ctx: DecodeContext, body: Body): number {
  const attr = body.attribute("retry_window");
  return (attr ? decodeDuration(ctx, attr, limits.retryWindow, { unit: "m", examples: "720m or 12h" }) : undefined) ?? 720 * 60;
}

/** Without max_delay the delay does not decide readiness. */
function decodeMaxDelay(ctx: DecodeContext, body: Body): number | null {
  const attr = body.attribute("max_delay");
  return (attr ? decodeDuration(ctx, attr, limits.maxDelay, { unit: "s", examples: "5m or 30s" }) : undefined) ?? null;
}

function decodeCheckpoint(ctx: DecodeContext, body: Body): Pipeline["checkpoint"] {
  const checkpoint: Pipeline["checkpoint"] = { directory: ".dts-state", topic: null };
  const block = body.block("checkpoint");
  if (!block) return checkpoint;
  const inner = new Body(block.items, { owner: "the checkpoint block", attributes: ["directory", "topic"] }, ctx.bag);
  const directory = inner.attribute("directory");
  const topic = inner.attribute("topic");
  checkpoint.directory = (directory ? ctx.values.string(directory) : undefined) || checkpoint.directory;
  checkpoint.topic = (topic ? ctx.values.string(topic) : undefined) ?? null;
  return checkpoint;
}

function decodePipelineName(ctx: DecodeContext, block: Block): { name: string; nameSpan: Span } {
  const label = block.labels[0];
  const name = label?.kind === "string" ? label.value : "pipeline";
  if (label?.kind !== "string" || block.labels.length !== 1 || !pipelineNamePattern.test(label.value)) {
    ctx.bag.report("badLabel", label?.span ?? block.type.span, 'a pipeline has one quoted name of letters, digits, ".", "_" or "-": pipeline "orders-to-kafka" { ... }');
  } else if (name.length > PIPELINE_NAME_MAX) {
    ctx.bag.report("badLabel", label.span, `a pipeline's name is at most ${PIPELINE_NAME_MAX} characters (it names the pipeline's state folder); this one has ${name.length}`, "shorten it");
  }
  return { name, nameSpan: label?.span ?? block.type.span };
}

type PipelineSettings = Pick<Pipeline, "mode" | "stopWhenCaughtUp" | "format" | "partition" | "ddl" | "initialSync" | "retryWindowSeconds" | "checkpoint"> & {
  maxDelaySeconds: number | null;
  delivery: NonNullable<Pipeline["delivery"]>;
};

/** The pipeline's own attributes and the initial_sync and checkpoint blocks. */
function decodeSettings(ctx: DecodeContext, body: Body): PipelineSettings {
  const v = ctx.values;
  const word = <T extends string>(key: string, options: readonly T[]): T | undefined => {
    const attr = body.attribute(key);
    return attr ? v.word(attr, options) : undefined;
  };
  const mode = word("mode", ["sync", "migrate"] as const) ?? "sync";
  const stopAttr = body.attribute("stop_when_caught_up");
  const stopWhenCaughtUp = stopAttr ? (v.boolean(stopAttr) ?? false) : false;
  if (stopAttr && stopWhenCaughtUp && mode !== "migrate") {
    ctx.bag.report("notApplicable", stopAttr.name.span, "stop_when_caught_up only applies to mode = migrate; a sync pipeline runs until stopped");
  }
  const format = word("format", ["dts-avro", "canal-json"] as const) ?? "dts-avro";
  const partitionAttr = body.attribute("partition");
  const partition = (partitionAttr ? decodePartition(ctx, partitionAttr) : undefined) ?? { policy: "partition-zero" as const };
  const ddl = word("ddl", ["ignore", "capture"] as const) ?? "ignore";
  const delivery = word("delivery", ["at-least-once", "exactly-once"] as const) ?? "at-least-once";
  const initialSync = decodeInitialSync(ctx, body);
  const retryWindowSeconds = decodeRetry(ctx, body);
  const checkpoint = decodeCheckpoint(ctx, body);
  const deliveryAttr = body.attribute("delivery");
  if (delivery === "exactly-once" && checkpoint.topic === null && deliveryAttr) {
    ctx.bag.report("exactlyOnceNeedsCheckpointTopic", deliveryAttr.value.span, "delivery = exactly-once needs a checkpoint topic: the checkpoint is written in the same Kafka transaction as the messages");
  }
  return { mode, stopWhenCaughtUp, format, partition, ddl, delivery, initialSync, retryWindowSeconds, maxDelaySeconds: decodeMaxDelay(ctx, body), checkpoint };
}

/** Without start_from, the stream starts where the initial data sync leaves off, or at the latest position. */
function resolveStartFrom(ctx: DecodeContext, decodedSource: DecodedSource, initialSync: InitialSync): void {
  const start = decodedSource.explicitStart;
  if (!start) {
    decodedSource.source.startFrom = initialSync.data ? { kind: "after-initial-sync" } : { kind: "latest" };
  } else if (initialSync.data && start.kind !== "after-initial-sync") {
    ctx.bag.report("startPositionConflict", start.span, "start_from conflicts with the initial data sync, which starts from its own snapshot position", "set initial_sync { data = false } to start from a binlog position, or remove start_from");
  } else if (!initialSync.data && start.kind === "after-initial-sync") {
    ctx.bag.report("startPositionConflict", start.span, "start_from = initial_sync needs the initial data sync, which is turned off", "remove data = false, or start from latest, earliest, position(), gtid() or timestamp()");
  }
}

export function decodePipeline(ctx: DecodeContext, block: Block, source: SourceText): DecodedPipeline | undefined {
  const { name, nameSpan } = decodePipelineName(ctx, block);
  const body = new Body(block.items, pipelineShape, ctx.bag);
  const sourceBlock = body.block("source");
  const destinationBlock = body.block("destination");
  if (!sourceBlock) ctx.missing(nameSpan, "a source block", `pipeline "${name}"`, "source mysql { host = ... }");
  if (!destinationBlock) ctx.missing(nameSpan, "a destination block", `pipeline "${name}"`, "destination kafka { brokers = [...] topic = ... }");
  const databases = body.blockList("database");
  if (databases.length === 0) ctx.bag.report("noObjects", nameSpan, `pipeline "${name}" selects no databases or tables`, 'add database "shop" { } (all its tables) or database "shop" { table "orders" { } }');
  const settings = decodeSettings(ctx, body);

  if (!sourceBlock || !destinationBlock) {
    for (const db of databases) decodeDatabase(ctx, db, source);
    return undefined;
  }

  const decodedSource = decodeSource(ctx, sourceBlock, name);
  const decodedDestination = decodeDestination(ctx, destinationBlock, name);
  resolveStartFrom(ctx, decodedSource, settings.initialSync);
  if (decodedDestination.schemaRegistryKey && settings.format !== "dts-avro") {
    ctx.bag.report("notApplicable", decodedDestination.schemaRegistryKey, "schema_registry is only used by format = dts-avro");
  }

  const rules = databases.flatMap((db) => decodeDatabase(ctx, db, source));
  // Keys in the schema's order, which the emitted plan JSON keeps.
  const pipeline: Pipeline = {
    name,
    origin: { file: block.span.file, line: block.span.line, column: block.span.column },
    mode: settings.mode,
    stopWhenCaughtUp: settings.stopWhenCaughtUp,
    format: settings.format,
    source: decodedSource.source,
    destination: decodedDestination.destination,
    initialSync: settings.initialSync,
    partition: settings.partition,
    ddl: settings.ddl,
    ...(settings.delivery === "exactly-once" ? { delivery: settings.delivery } : {}),
    retryWindowSeconds: settings.retryWindowSeconds,
    maxDelaySeconds: settings.maxDelaySeconds,
    checkpoint: settings.checkpoint,
    objects: rules.map((r) => r.rule) as Pipeline["objects"],
  };
  if (decodedDestination.ddlTopicKey && ddlTopicRoles(pipeline).length === 0) {
    ctx.bag.report("notApplicable", decodedDestination.ddlTopicKey, "ddl_topic has no effect while DDL is ignored", "set ddl = capture in the pipeline to send DDL there");
  }
  const spanOf = (key: string) => body.attribute(key)?.value.span ?? nameSpan;
  return { pipeline, nameSpan, source: decodedSource, destination: decodedDestination, rules, partitionSpan: spanOf("partition"), formatSpan: spanOf("format") };
}
