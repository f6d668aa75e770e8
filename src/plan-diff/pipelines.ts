// One pipeline compared across the two plans: its settings through the field table, its table
// rules one by one, and whatever plan path neither accounts for.
import type { ObjectRule, Pipeline } from "../generated/plan.js";
import type { Draft } from "./change.js";
import { differingPaths, longestPrefix, valueAt } from "./deep-diff.js";
import { ruleName, valueText } from "./describe.js";
import { matchRules } from "./match.js";
import { fieldText, pipelineFields, type FieldRule, type Sides } from "./pipeline-fields.js";
import { tableChanges } from "./tables.js";

export interface PipelineSides extends Sides {
  renamed: boolean;
  /** Plan paths inside the pipeline whose literal secret differs (the values are never shown). */
  secretPaths: string[];
}

const fieldPaths = pipelineFields.map((f) => f.path);

export function unclassified(path: string, from: unknown, to: unknown, at: string[], table: string | null = null): Draft {
  const why = "dts plan --diff does not know what this setting does; review it by hand";
  return { change: `${path} changed`, severity: "caution", why, from: valueText(from), to: valueText(to), at, table };
}

/** A default the rules inherit: reported per table, or once as safe when no table uses it. */
function inheritedDefault(field: FieldRule, { base, next }: Sides): Draft[] {
  const own = (rule: ObjectRule) => (field.path === "partition" ? rule.partition : rule.target.topic);
  if ([...base.objects, ...next.objects].some((rule) => own(rule) === null)) return [];
  const from = fieldText(field, valueAt(base, field.path));
  const to = fieldText(field, valueAt(next, field.path));
  return [{ change: `${field.what} changed`, severity: "safe", why: "every table sets its own, so none uses the default", from, to, at: [field.path] }];
}

function settingChanges(sides: PipelineSides): Draft[] {
  const paths = [...new Set([...differingPaths({ ...sides.base, objects: [] }, { ...sides.next, objects: [] }), ...sides.secretPaths])];
  const groups = new Map<FieldRule | undefined, string[]>();
  for (const path of paths) {
    const field = pipelineFields.find((f) => f.path === longestPrefix(path, fieldPaths));
    groups.set(field, [...(groups.get(field) ?? []), path]);
  }
  return [...groups].flatMap(([field, grouped]): Draft[] => {
    if (!field) return grouped.map((p) => unclassified(p, valueAt(sides.base, p), valueAt(sides.next, p), [p]));
    if (field.judge === "matching") return [];
    if (field.judge === "tables") return inheritedDefault(field, sides);
    const from = valueAt(sides.base, field.path);
    const to = valueAt(sides.next, field.path);
    const secretOnly = differingPaths(from, to).length === 0;
    const verdict = field.judge(sides, from, to);
    if (secretOnly) return [{ change: `${field.what} changed`, ...verdict, from: null, to: null, at: grouped }];
    return [{ change: `${field.what} changed`, ...verdict, from: fieldText(field, from), to: fieldText(field, to), at: [field.path] }];
  });
}

function addedTable(pipeline: Pipeline, rule: ObjectRule, index: number): Draft {
  // The initial sync covers the tables a pipeline starts with; one that already ran streams only
  // the new table's changes (issue 15 brings syncing tables added later).
  const why = pipeline.initialSync.data
    ? "a running pipeline sends its changes from its next start but does not copy its existing rows (the initial sync covers the tables it started with); a new pipeline copies them first"
    : "its changes are sent from the pipeline's next start; the initial data sync is off";
  return { change: "table added", severity: "caution", why, from: null, to: ruleName(rule), at: [`objects/${index}`], table: ruleName(rule) };
}

function removedTable(rule: ObjectRule, index: number): Draft {
  return { change: "table removed", severity: "caution", why: "its changes stop being sent", from: ruleName(rule), to: null, at: [`objects/${index}`], table: ruleName(rule), side: "base" };
}

function ruleChanges({ base, next }: PipelineSides): Draft[] {
  const pairs = matchRules(base.objects, next.objects);
  const drafts = pairs.flatMap((pair): Draft[] => {
    const b = pair.base === null ? undefined : base.objects[pair.base];
    const n = pair.next === null ? undefined : next.objects[pair.next];
    if (!b) return n ? [addedTable(next, n, pair.next as number)] : [];
    if (!n) return [removedTable(b, pair.base as number)];
    const { drafts: changes, unclaimed } = tableChanges({ base: { pipeline: base, rule: b }, next: { pipeline: next, rule: n, index: pair.next as number } });
    return [...changes, ...unclaimed.map((p) => unclassified(`objects/${p}`, valueAt(b, p), valueAt(n, p), [`objects/${pair.next}/${p}`, `objects/${pair.next}`], ruleName(n)))];
  });
  const order = pairs.flatMap((p) => (p.base !== null && p.next !== null ? [p.base] : []));
  if (order.some((b, i) => i > 0 && b < (order[i - 1] as number))) {
    const why = "a table that several rules match is handled by the first; the new order may give it another topic, filter or columns";
    drafts.push({ change: "table rules reordered", severity: "caution", why, from: null, to: null, at: ["objects"] });
  }
  return drafts;
}

export function pipelineChanges(sides: PipelineSides): Draft[] {
  const renamed: Draft[] = sides.renamed
    ? [{ change: "pipeline renamed", severity: "breaking", why: "its checkpoint is kept under the old name, so it starts over as a new pipeline (with an initial sync again, if it has one)", from: sides.base.name, to: sides.next.name, at: ["name"] }]
    : [];
  return [...renamed, ...settingChanges(sides), ...ruleChanges(sides)];
}
