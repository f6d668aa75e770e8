// Pipeline settings by plan path: what a change of each does to consumers and to the running
// pipeline. test/plan-diff/coverage.test.ts walks the plan schema so that every field is here.
import type { Pipeline, SourceHeartbeat } from "../generated/plan.js";
import { ddlTopicRoles } from "../plan/index.js";
import type { Severity } from "./change.js";
import { durationText, valueText } from "./describe.js";

type HeartbeatTable = NonNullable<SourceHeartbeat["table"]>;

export interface Sides {
  base: Pipeline;
  next: Pipeline;
}

interface Verdict {
  severity: Severity;
  why: string;
}

export interface FieldRule {
  /** Plan path inside a pipeline; a change anywhere under it is this field's. */
  path: string;
  what: string;
  /** "tables" when the per-table comparison reports it (the value is a default for rules). */
  judge: Judge | "tables" | "matching";
  text?: (value: unknown) => string | null;
}

type Judge = (sides: Sides, from: unknown, to: unknown) => Verdict;

const fixed = (severity: Severity, why: string) => () => ({ severity, why });
/** The first verdict when `test` holds for the change, else the second. */
function either(test: (sides: Sides, from: unknown, to: unknown) => unknown, yes: [Severity, string], no: [Severity, string]): Judge {
  return (sides, from, to) => {
    const [severity, why] = test(sides, from, to) ? yes : no;
    return { severity, why };
  };
}
const connects = (what: string) => fixed("caution", `the pipeline reconnects with other ${what}; run dts precheck, as a wrong one stops it at start`);

type SchemaRegistry = Pipeline["destination"]["schemaRegistry"];

/**
 * Whether DTS Avro values start or stop carrying a registered schema id: a registry added or
 * removed where either side writes dts-avro. Another URL, user or password is only another
 * connection. `dts reload` refuses the same change (src/reload/judge.ts).
 */
export function registryFramingChanges(sides: Sides): boolean {
  const { base, next } = sides;
  return registryInUse(sides) && (base.destination.schemaRegistry === null) !== (next.destination.schemaRegistry === null);
}

/** Whether either side writes DTS Avro, the only format that uses a schema registry. */
export const registryInUse = ({ base, next }: Sides): boolean => base.format === "dts-avro" || next.format === "dts-avro";

const registryJudge: Judge = (sides, from, to) => {
  if (registryFramingChanges(sides)) return { severity: "breaking", why: "DTS Avro values start or stop carrying a registered schema id; consumers must decode them the new way" };
  if (!registryInUse(sides)) return { severity: "safe", why: "only dts-avro uses a schema registry" };
  const [a, b] = [from as SchemaRegistry, to as SchemaRegistry];
  if (a?.url === b?.url) return connects("schema registry credentials")();
  return { severity: "caution", why: "the pipeline registers its schemas at another address or as another user; if it is another registry, consumers must look the schema ids up there; run dts precheck, as a wrong one stops it at start" };
};

/** The URL (which never holds a password) and the password's reference, never its value. */
function registryText(value: unknown): string | null {
  const registry = value as SchemaRegistry | undefined;
  if (!registry) return null;
  const password = registry.password === undefined ? null : valueText(registry.password);
  return password === null ? valueText(registry.url) : `${valueText(registry.url)} (password ${password})`;
}

export const pipelineFields: readonly FieldRule[] = [
  { path: "name", what: "name", judge: "matching" },
  { path: "objects", what: "tables", judge: "tables" },
  { path: "destination/topic", what: "default topic", judge: "tables" },
  { path: "partition", what: "default partition policy", judge: "tables" },
  { path: "format", what: "format", judge: fixed("breaking", "every message is encoded differently; consumers must switch decoders at the same moment") },
  { path: "mode", what: "mode", judge: fixed("caution", "a migrate pipeline finishes, a sync pipeline runs until stopped") },
  { path: "stopWhenCaughtUp", what: "stop_when_caught_up", judge: fixed("caution", "decides whether the run finishes once the binlog is caught up") },
  {
    path: "delivery",
    what: "delivery",
    text: (v) => (typeof v === "string" ? v : "at-least-once"),
    judge: fixed("caution", "with exactly-once, consumers must read with isolation.level=read_committed and see messages at each Kafka commit (about every 100 ms); a new session starts from the checkpoint"),
  },
  { path: "ddl", what: "DDL mode", judge: fixed("caution", "DDL statements start or stop being sent to the DDL topic") },
  {
    path: "retryWindowSeconds",
    what: "retry window",
    text: (v) => (typeof v === "number" ? durationText(v) : null),
    judge: either((_, from, to) => (to as number) < (from as number), ["caution", "a shorter outage now fails the pipeline"], ["safe", "the pipeline waits longer before failing on a lost connection"]),
  },
  { path: "source/host", what: "source host", judge: fixed("caution", "the checkpoint's binlog position belongs to the old server; resuming is only right on the same server or a replica with the same GTIDs") },
  { path: "source/port", what: "source port", judge: fixed("caution", "the checkpoint's binlog position belongs to the old server; resuming is only right on the same server") },
  {
    path: "source/failover",
    what: "failover servers",
    text: (v) => (Array.isArray(v) ? (v as { host: string; port: number }[]).map((a) => `${a.host}:${a.port}`).join(", ") || "none" : "none"),
    judge: fixed("caution", "the pipeline moves to these servers when the one it reads cannot be reached; each must replicate the same transactions with GTIDs and log_slave_updates"),
  },
  { path: "source/user", what: "source user", judge: connects("credentials") },
  { path: "source/password", what: "source password", judge: connects("credentials") },
  { path: "source/tls", what: "source TLS", judge: connects("TLS settings") },
  { path: "source/serverId", what: "binlog server id", judge: fixed("caution", "it must stay unique among the server's replicas; dts precheck checks it") },
  { path: "source/timezone", what: "source time zone", judge: fixed("caution", "TIMESTAMP values are read in another zone; consumers see shifted times unless it matches the server") },
  { path: "source/heartbeat/periodSeconds", what: "binlog heartbeat period", text: (v) => (typeof v === "number" ? durationText(v) : null), judge: fixed("safe", "only how often an idle server proves the stream alive; a stream silent for two periods is reconnected") },
  {
    path: "source/heartbeat/table",
    what: "heartbeat table",
    text: (v) => {
      const table = v as HeartbeatTable | null;
      return table ? `${table.database}.${table.table} every ${durationText(table.intervalSeconds)}` : null;
    },
    judge: (_, from, to) => {
      const [a, b] = [from as HeartbeatTable | null, to as HeartbeatTable | null];
      if (!b) return { severity: "safe", why: "the pipeline stops writing heartbeat rows; an idle server's checkpoint then moves only with other writes" };
      if (a && a.database === b.database && a.table === b.table) return { severity: "safe", why: "only how often the heartbeat row is written" };
      return { severity: "caution", why: "the pipeline writes a row there on the source; it needs INSERT, UPDATE and CREATE on the table (dts precheck checks them)" };
    },
  },
  { path: "maxDelaySeconds", what: "max_delay", text: (v) => (typeof v === "number" ? durationText(v) : null), judge: fixed("safe", "only decides when /readyz reports the pipeline not ready") },
  { path: "source/startFrom", what: "start position", judge: fixed("safe", "only used by a pipeline without a checkpoint; a running one resumes where it was") },
  { path: "destination/brokers", what: "brokers", judge: fixed("caution", "if they are another cluster, consumers of the old one stop receiving rows and the run needs its topics there") },
  { path: "destination/clientId", what: "Kafka client id", judge: fixed("safe", "only names the client in Kafka's logs and quotas") },
  {
    path: "destination/ddlTopic",
    what: "DDL topic",
    judge: either(({ base, next }) => ddlTopicRoles(base).length || ddlTopicRoles(next).length, ["breaking", "DDL and schema records move to another topic; consumers of the old one stop receiving them"], ["safe", "the pipeline writes nothing there while DDL is ignored and the initial schema sync is off"]),
  },
  { path: "destination/auth", what: "Kafka authentication", judge: connects("Kafka credentials") },
  { path: "destination/tls", what: "Kafka TLS", judge: connects("TLS settings") },
  { path: "destination/schemaRegistry", what: "schema registry", text: registryText, judge: registryJudge },
  {
    path: "destination/createTopics/enabled",
    what: "create_topics",
    judge: either((_, __, to) => to, ["safe", "a missing topic is created instead of stopping the run"], ["caution", "a missing topic now stops the run instead of being created"]),
  },
  {
    path: "destination/createTopics/partitions",
    what: "partition count of created topics",
    judge: either(({ next }) => next.destination.createTopics.enabled, ["breaking", "topics created from now on get another partition count, so keys hash to other partitions than in existing topics"], ["safe", "create_topics is off, so no topic is created with it"]),
  },
  { path: "destination/createTopics/replicationFactor", what: "replication factor of created topics", judge: fixed("safe", "only topics created from now on get it; messages are the same") },
  { path: "destination/compression", what: "compression", judge: fixed("safe", "Kafka consumers decompress transparently") },
  { path: "initialSync/schema", what: "initial schema sync", judge: fixed("caution", "decides whether tables the pipeline starts on get their schema record first") },
  { path: "initialSync/data", what: "initial data sync", judge: fixed("caution", "decides whether tables the pipeline starts on get their existing rows copied first") },
  { path: "initialSync/chunkSize", what: "initial sync chunk size", judge: fixed("safe", "only how many rows one snapshot query reads") },
  { path: "initialSync/parallelism", what: "initial sync parallelism", judge: fixed("safe", "only how many tables are copied at once") },
  { path: "initialSync/throttle", what: "initial sync throttle", judge: fixed("safe", "only how fast the initial sync reads") },
  {
    path: "checkpoint/directory",
    what: "checkpoint directory",
    judge: either(({ next }) => next.checkpoint.topic, ["caution", "the local checkpoint is looked for elsewhere; the pipeline resumes from the copy in the checkpoint topic"], ["breaking", "the pipeline looks for its checkpoint elsewhere and, unless the state is moved, starts over: consumers see every row again"]),
  },
  {
    path: "checkpoint/topic",
    what: "checkpoint topic",
    judge: either((_, from) => from === null, ["safe", "checkpoints are also copied to Kafka"], ["caution", "a pipeline moved to another machine finds no checkpoint in the old topic"]),
  },
];

export function fieldText(rule: FieldRule | undefined, value: unknown): string | null {
  return rule?.text ? rule.text(value) : valueText(value);
}
