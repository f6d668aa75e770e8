// Which way a running pipeline takes a changed spec, setting by setting: live at one binlog
// position (tables, mapping, filters), by a new session from the checkpoint (connections,
// checkpoint settings), or refused because consumers would break mid-stream (format,
// partitioning) unless the operator allows it. The list of changes shown is `dts plan --diff`'s.
import type { ExecutionPlan, ObjectRule, Pipeline } from "../generated/plan.js";
import { ddlTopicRoles } from "../plan/index.js";
import { diffPlans, registryFramingChanges, registryInUse } from "../plan-diff/index.js";

export interface ReloadJudgement {
  how: "live" | "restart" | "unchanged";
  /** What changed, one line each (table: change). */
  changes: string[];
  /** Set when the change must not be applied to the running pipeline as asked. */
  refusal: { reason: string; hint: string } | null;
}

/** Settings a running pipeline takes at a unit boundary (the runner adopts the rest of the pipeline with them). */
const liveFields = new Set(["objects", "destination/topic", "ddl", "initialSync", "stopWhenCaughtUp", "mode", "retryWindowSeconds"]);

type Sides = { base: Pipeline; next: Pipeline };

/** Settings whose change breaks consumers mid-stream: why, or null when it does not for these pipelines. */
const breakingFields: Readonly<Record<string, (sides: Sides) => string | null>> = {
  format: () => "the message format changes, so consumers meet messages their decoder cannot read",
  partition: () => "the default partition policy changes, so keys move to other partitions and per-key order breaks",
  "destination/createTopics/partitions": ({ next }) => (next.destination.createTopics.enabled ? "topics created from now on get another partition count, so keys hash differently than in existing topics" : null),
  "destination/schemaRegistry": (sides) => (registryFramingChanges(sides) ? "DTS Avro values start or stop carrying a registered schema id" : null),
  "destination/ddlTopic": ({ base, next }) => (ddlTopicRoles(base).length || ddlTopicRoles(next).length ? "DDL and schema records move to another topic" : null),
};

/** Judged settings that, though they break nothing, only a new session takes (the encoder's registry client). */
const sessionFields: Readonly<Record<string, (sides: Sides) => boolean>> = {
  "destination/schemaRegistry": registryInUse,
};

/** Settings a running pipeline cannot take at all, with what to do instead. */
const unchangeableFields: Readonly<Record<string, string>> = {
  "checkpoint/directory": "the state folder would move under the running pipeline; stop it, move its state folder to the new directory and start it again",
};

const isLocation = (v: unknown) => typeof v === "object" && v !== null && "file" in v && "line" in v && "column" in v;

/** Plan values without their spec locations, which move whenever the text around them does. */
function withoutOrigins(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutOrigins);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key, v]) => !(key === "origin" && isLocation(v))).map(([key, v]) => [key, withoutOrigins(v)]));
}

const same = (a: unknown, b: unknown) => JSON.stringify(withoutOrigins(a)) === JSON.stringify(withoutOrigins(b));
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const judged = (path: string) => liveFields.has(path) || path in breakingFields || path in unchangeableFields;

/** Paths (`source/host`, `destination/createTopics/partitions`, …) of the settings that differ, as deep as the rules above name them. */
function changedFields(a: unknown, b: unknown, path = ""): string[] {
  if (same(a, b)) return [];
  if (path !== "" && (judged(path) || !isPlainObject(a) || !isPlainObject(b))) return [path];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  return [...keys].filter((key) => !(path === "" && key === "origin")).flatMap((key) => changedFields((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}/${key}` : key));
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

/** Why `next` would break consumers of what `base` sent (empty when it would not). */
export function breakingChanges(base: Pipeline, next: Pipeline, fields = changedFields(base, next)): string[] {
  return [
    ...fields.flatMap((f) => breakingFields[f]?.({ base, next }) ?? []),
    ...repartitionedRules(base, next).map((at) => `the table rule at ${at} changes its partition policy, so its keys move to other partitions and per-key order breaks`),
  ];
}

function planOf(pipeline: Pipeline): ExecutionPlan {
  return { planVersion: 1, pipelines: [pipeline] };
}

/** How `next` replaces `base` in a running pipeline; `connectionsChanged` when resolved secrets or endpoints differ. */
export function judgeReload(base: Pipeline, next: Pipeline, options: { allowBreaking: boolean; connectionsChanged: boolean }): ReloadJudgement {
  const diffed = diffPlans({ plan: planOf(base) }, { plan: planOf(next) }).map((c) => (c.table ? `${c.table}: ${c.change}` : c.change));
  const fields = changedFields(base, next);
  const changes = [...diffed, ...(diffed.length === 0 ? fields.map((f) => `${f} changed`) : []), ...(options.connectionsChanged ? ["a secret or endpoint the spec reads changed"] : [])];
  if (fields.length === 0 && !options.connectionsChanged) return { how: "unchanged", changes, refusal: null };
  const unchangeable = fields.filter((f) => f in unchangeableFields);
  if (unchangeable.length > 0) return { how: "restart", changes, refusal: { reason: `${unchangeable.join(", ")} changed`, hint: unchangeableFields[unchangeable[0] as string] as string } };
  const breaking = breakingChanges(base, next, fields);
  // A setting that breaks nothing for these pipelines (a DDL topic nothing is written to) goes live.
  const restart = options.connectionsChanged || fields.some((f) => !judged(f) || sessionFields[f]?.({ base, next }));
  if (breaking.length > 0 && !options.allowBreaking) {
    return { how: "restart", changes, refusal: { reason: `the change would break consumers mid-stream: ${breaking.join("; ")}`, hint: "reload with --allow-breaking to apply it anyway (from the checkpoint, by a new session); a restart with the changed spec is refused the same way unless dts run is given --allow-breaking" } };
  }
  return { how: restart || breaking.length > 0 ? "restart" : "live", changes, refusal: null };
}
