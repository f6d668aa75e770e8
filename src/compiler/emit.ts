// Checked pipelines → ExecutionPlan, plus the literal secrets keyed by their plan pointers and
// where the spec wrote each plan value (for tools such as `dts plan --diff`; the runtime never
// sees these locations, only the `origin` the plan carries on pipelines and rules).
import type { Attribute, Block, Item } from "./ast.js";
import type { ExecutionPlan, ObjectRule, SourceLocation } from "../generated/plan.js";
import { origin as at, type LiteralSecret } from "./analyze/context.js";
import type { DecodedPipeline } from "./analyze/pipeline.js";

export interface EmittedPlan {
  plan: ExecutionPlan;
  literalSecrets: Record<string, string>;
}

export interface EmitInput {
  decoded: DecodedPipeline;
  secrets: LiteralSecret[];
  /** The pipeline block the plan was decoded from. */
  block: Block;
}

const planSchemaId = "https://dts-kafka.dev/schemas/plan/v1/plan.schema.json";

export function emitPlan(pipelines: EmitInput[]): EmittedPlan {
  const literalSecrets: Record<string, string> = {};
  pipelines.forEach(({ secrets }, index) => {
    for (const secret of secrets) literalSecrets[`/pipelines/${index}${secret.pointer}`] = secret.value;
  });
  return {
    plan: { $schema: planSchemaId, planVersion: 1, pipelines: pipelines.map(({ decoded }) => decoded.pipeline) },
    literalSecrets,
  };
}

/** Where the spec wrote each plan value, keyed by JSON pointer; only tools that point into specs ask for it. */
export function planLocations(pipelines: EmitInput[]): Record<string, SourceLocation> {
  const locations: Record<string, SourceLocation> = {};
  pipelines.forEach(({ decoded, block }, index) => recordLocations(block, decoded.pipeline.objects, `/pipelines/${index}`, locations));
  return locations;
}

/** Spec attributes whose plan field is not their path in camelCase. */
const renamedFields: Record<string, string> = {
  retry_window: "retryWindowSeconds",
  max_delay: "maxDelaySeconds",
  "source/heartbeat/period": "source/heartbeat/periodSeconds",
  "source/heartbeat/interval": "source/heartbeat/table/intervalSeconds",
  "initial_sync/max_rows_per_second": "initialSync/throttle/rowsPerSecond",
  "initial_sync/max_bytes_per_second": "initialSync/throttle/bytesPerSecond",
};

const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const escapeKey = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

function recordLocations(block: Block, rules: readonly ObjectRule[], prefix: string, out: Record<string, SourceLocation>): void {
  out[prefix] = at(block.span);
  out[`${prefix}/name`] = at(block.labels[0]?.span ?? block.span);
  const settings = (items: Item[], path: string): void => {
    for (const item of items) {
      const key = path ? `${path}/${item.kind === "block" ? item.type.name : item.name.name}` : item.kind === "block" ? item.type.name : item.name.name;
      if (item.kind === "block" && item.type.name === "database") continue;
      const field = renamedFields[key] ?? key.split("/").map(camel).join("/");
      out[`${prefix}/${field}`] = at(item.span);
      if (item.kind === "block") settings(item.items, key);
    }
  };
  settings(block.items, "");
  const ruleAt = new Map(rules.map((rule, index) => [startKey(rule.origin), index]));
  for (const item of block.items) {
    if (item.kind === "block" && item.type.name === "database") recordRuleLocations(item, ruleAt, prefix, out);
  }
}

const attributes = (items: Item[]) => items.filter((i): i is Attribute => i.kind === "attribute");
const startKey = (at: SourceLocation) => `${at.line}:${at.column}:${at.file}`;

/** A database block's rules are the ones whose origin is its own header or one of its tables'. */
function recordRuleLocations(database: Block, ruleAt: ReadonlyMap<string, number>, prefix: string, out: Record<string, SourceLocation>): void {
  const tables = database.items.filter((i): i is Block => i.kind === "block" && i.type.name === "table");
  const defaults = attributes(database.items);
  for (const table of tables.length ? tables : [database]) {
    const index = ruleAt.get(startKey(at(table.type.span)));
    if (index === undefined) continue;
    const base = `${prefix}/objects/${index}`;
    out[base] = at(table.span);
    out[`${base}/database`] = at(database.labels[0]?.span ?? database.span);
    if (table !== database) out[`${base}/table`] = at(table.labels[0]?.span ?? table.span);
    const overrides: Record<string, string> = { rename: "target/table", topic: "target/topic", partition: "partition", filter: "filter" };
    for (const attr of defaults) {
      if (attr.name.name === "rename") out[`${base}/target/database`] = at(attr.span);
      else if (overrides[attr.name.name]) out[`${base}/${overrides[attr.name.name]}`] = at(attr.span);
    }
    if (table === database) continue;
    for (const attr of attributes(table.items)) if (overrides[attr.name.name]) out[`${base}/${overrides[attr.name.name]}`] = at(attr.span);
    const columns = table.items.find((i): i is Block => i.kind === "block" && i.type.name === "columns");
    if (!columns) continue;
    out[`${base}/columns`] = at(columns.span);
    for (const attr of attributes(columns.items)) {
      out[`${base}/columns/${attr.name.name}`] = at(attr.span);
      if (attr.value.kind === "map") for (const entry of attr.value.entries) out[`${base}/columns/${attr.name.name}/${escapeKey(entry.key.name)}`] = at(entry.span);
    }
  }
}
