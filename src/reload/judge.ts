// Which way a running pipeline takes a changed spec, setting by setting: live at one binlog
// position (tables, mapping, filters), by a new session from the checkpoint (connections,
// checkpoint settings), or refused because consumers would break mid-stream (format,
// partitioning) unless the operator allows it. The list of changes shown is `dts plan --diff`'s.
import type { ExecutionPlan, ObjectRule, Pipeline } from "../generated/plan.js";
import { diffPlans } from "../plan-diff/index.js";

export interface ReloadJudgement {
  how: "live" | "restart" | "unchanged";
  /** What changed, one line each (table: change). */
  changes: string[];
  /** Set when the change must not be applied to the running pipeline as asked. */
  refusal: { reason: string; hint: string } | null;
}

/** Settings a running session takes at a unit boundary. */
const liveFields = new Set(["objects", "destination/topic", "ddl", "initialSync", "stopWhenCaughtUp"]);

/** Settings whose change breaks consumers mid-stream, with why. */
const breakingFields: Readonly<Record<string, string>> = {
  format: "the message format changes, so consumers meet messages their decoder cannot read",
  partition: "the default partition policy changes, so keys move to other partitions and per-key order breaks",
  "destination/createTopics/partitions": "topics created from now on get another partition count, so keys hash differently than in existing topics",
  "destination/schemaRegistry": "DTS Avro values start or stop carrying a registered schema id",
  "destination/ddlTopic": "DDL and schema records move to another topic",
};

/** Plan values without their spec locations, which move whenever the text around them does. */
function withoutOrigins(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutOrigins);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "origin").map(([key, v]) => [key, withoutOrigins(v)]));
}

const same = (a: unknown, b: unknown) => JSON.stringify(withoutOrigins(a)) === JSON.stringify(withoutOrigins(b));

/** Paths (`source`, `destination/brokers`, …) of the pipeline settings that differ. */
function changedFields(base: Pipeline, next: Pipeline): string[] {
  const fields: string[] = [];
  for (const key of new Set([...Object.keys(base), ...Object.keys(next)])) {
    const a = (base as unknown as Record<string, unknown>)[key];
    const b = (next as unknown as Record<string, unknown>)[key];
    if (key === "origin" || same(a, b)) continue;
    if (key !== "destination") fields.push(key);
    else for (const sub of new Set([...Object.keys(a as object), ...Object.keys(b as object)])) {
      if (!same((a as Record<string, unknown>)[sub], (b as Record<string, unknown>)[sub])) fields.push(`destination/${sub}`);
    }
  }
  return fields;
}

const ruleKey = (rule: ObjectRule) => JSON.stringify([rule.database, rule.table]);

/** Tables whose own partition policy changed (a rule kept with another `partition`). */
function repartitionedRules(base: Pipeline, next: Pipeline): string[] {
  const before = new Map(base.objects.map((rule) => [ruleKey(rule), rule]));
  return next.objects.filter((rule) => {
    const old = before.get(ruleKey(rule));
    return old !== undefined && !same(old.partition, rule.partition);
  }).map((rule) => `${rule.origin.file}:${rule.origin.line}:${rule.origin.column}`);
}

function planOf(pipeline: Pipeline): ExecutionPlan {
  return { planVersion: 1, pipelines: [pipeline] };
}

/** How `next` replaces `base` in a running pipeline; `connectionsChanged` when resolved secrets or endpoints differ. */
export function judgeReload(base: Pipeline, next: Pipeline, options: { allowBreaking: boolean; connectionsChanged: boolean }): ReloadJudgement {
  const changes = diffPlans({ plan: planOf(base) }, { plan: planOf(next) }).map((c) => (c.table ? `${c.table}: ${c.change}` : c.change));
  const fields = changedFields(base, next);
  const breaking = [
    ...fields.filter((f) => f in breakingFields).map((f) => breakingFields[f] as string),
    ...repartitionedRules(base, next).map((at) => `the table rule at ${at} changes its partition policy, so its keys move to other partitions and per-key order breaks`),
  ];
  const restart = options.connectionsChanged || fields.some((f) => !liveFields.has(f) && !(f in breakingFields));
  if (fields.length === 0 && !options.connectionsChanged) return { how: "unchanged", changes, refusal: null };
  if (breaking.length > 0 && !options.allowBreaking) {
    return { how: "restart", changes, refusal: { reason: `the change would break consumers mid-stream: ${breaking.join("; ")}`, hint: "reload with --allow-breaking to apply it anyway (from the checkpoint, by a new session), or stop the pipeline and start it again" } };
  }
  return { how: restart || breaking.length > 0 ? "restart" : "live", changes: changes.length ? changes : fields.map((f) => `${f} changed`), refusal: null };
}
