// One table rule compared across the two plans, by what its consumers receive: the topic and
// partition policy it ends up with (its own, or the pipeline's default), the names it is sent
// under, its columns and its filter.
import type { NameMatcher, ObjectRule, PartitionPolicy, Pipeline } from "../generated/plan.js";
import { columnNameKey, ruleTopic } from "../plan/index.js";
import type { Draft } from "./change.js";
import { columnChanges } from "./columns.js";
import { differingPaths } from "./deep-diff.js";
import { partitionText, ruleName } from "./describe.js";

export interface RuleSides {
  base: { pipeline: Pipeline; rule: ObjectRule };
  next: { pipeline: Pipeline; rule: ObjectRule; index: number };
}

/** Rule fields the comparisons below account for; a difference elsewhere falls to the generic report. */
export const ruleFields = ["database", "table", "target/database", "target/table", "target/topic", "partition", "columns", "filter"] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A policy or filter with its column names in one case: the runtime finds columns in any case. */
function columnsFolded<T>(value: T): T {
  if (value === undefined || value === null) return value;
  return JSON.parse(JSON.stringify(value), (key, v: unknown) => (key === "column" && typeof v === "string" ? columnNameKey(v) : key === "columns" && Array.isArray(v) ? v.map((c) => columnNameKey(String(c))) : v)) as T;
}
const sameColumns = (a: unknown, b: unknown) => same(columnsFolded(a), columnsFolded(b));

function topicChange({ base, next }: RuleSides, at: string): Draft[] {
  const from = ruleTopic(base.pipeline, base.rule);
  const to = ruleTopic(next.pipeline, next.rule);
  const where = [`${at}/target/topic`, "destination/topic"];
  if (from !== to) return [{ change: "topic changed", severity: "breaking", why: `the table moves to another topic; consumers of ${from} stop receiving its rows`, from, to, at: where }];
  if (base.rule.target.topic === next.rule.target.topic) return [];
  return [{ change: next.rule.target.topic ? "topic written out" : "topic left to the default", severity: "safe", why: "the table stays on the same topic", from, to, at: where }];
}

function partitionChange({ base, next }: RuleSides, at: string): Draft[] {
  const from: PartitionPolicy = base.rule.partition ?? base.pipeline.partition;
  const to: PartitionPolicy = next.rule.partition ?? next.pipeline.partition;
  const where = [`${at}/partition`, "partition"];
  if (!sameColumns(from, to)) {
    const keys = from.policy === "columns-hash" && to.policy === "columns-hash";
    const why = "rows of one key may land on another partition, so per-key order across the change is lost";
    return [{ change: keys ? "key columns changed" : "partition policy changed", severity: "breaking", why, from: partitionText(from), to: partitionText(to), at: where }];
  }
  if (sameColumns(base.rule.partition, next.rule.partition)) return [];
  return [{ change: next.rule.partition ? "partition policy written out" : "partition policy left to the default", severity: "safe", why: "the same policy applies", from: partitionText(from), to: partitionText(to), at: where }];
}

function exactName(matcher: NameMatcher | null): string | null {
  return matcher !== null && "exact" in matcher ? matcher.exact : null;
}

function renameChange(sides: RuleSides, at: string, part: "database" | "table"): Draft[] {
  const from = sides.base.rule.target[part];
  const to = sides.next.rule.target[part];
  // A rename to the name the source already has changes nothing consumers see.
  const shown = (rule: typeof sides.base.rule) => rule.target[part] ?? exactName(rule[part]);
  if (from === to || (shown(sides.base.rule) !== null && shown(sides.base.rule) === shown(sides.next.rule))) return [];
  const own = "its source name";
  return [{ change: `${part} renamed`, severity: "breaking", why: `consumers see the ${part} under another name`, from: from ?? own, to: to ?? own, at: [`${at}/target/${part}`, at] }];
}

function filterChange({ base, next }: RuleSides, at: string): Draft[] {
  const from = base.rule.filter;
  const to = next.rule.filter;
  const where = [`${at}/filter`, at];
  if (sameColumns(from?.expr, to?.expr)) {
    if (from?.text === to?.text) return [];
    return [{ change: "filter rewritten", severity: "safe", why: "the condition means the same", from: from?.text ?? null, to: to?.text ?? null, at: where }];
  }
  const change = from === null ? "filter added" : to === null ? "filter removed" : "filter changed";
  const why = to === null ? "every row is sent, including ones the filter held back" : "rows start or stop being sent";
  return [{ change, severity: "caution", why, from: from?.text ?? null, to: to?.text ?? null, at: where }];
}

/** A rule paired across a selector change (an exact name ↔ a pattern selecting it, match.ts). */
function selectorChange({ base, next }: RuleSides, at: string): Draft[] {
  if (same(base.rule.table, next.rule.table)) return [];
  const widened = exactName(base.rule.table) !== null;
  const why = widened
    ? `the rule now selects every table ${ruleName(next.rule)} matches: others than ${ruleName(base.rule)} start streaming, without their existing rows`
    : `the rule selects only ${ruleName(next.rule)} now: the other tables ${ruleName(base.rule)} matched stop streaming unless another rule selects them`;
  return [{ change: "table selector changed", severity: "caution", why, from: ruleName(base.rule), to: ruleName(next.rule), at: [`${at}/table`, at] }];
}

/** Every change of one rule pair; `unclaimed` lists differing plan paths no comparison covers. */
export function tableChanges(sides: RuleSides): { drafts: Draft[]; unclaimed: string[] } {
  const at = `objects/${sides.next.index}`;
  // Across a selector change the table at stake is the one named exactly.
  const named = exactName(sides.next.rule.table) === null && exactName(sides.base.rule.table) !== null ? sides.base.rule : sides.next.rule;
  const drafts = [
    ...selectorChange(sides, at),
    ...topicChange(sides, at),
    ...partitionChange(sides, at),
    ...renameChange(sides, at, "database"),
    ...renameChange(sides, at, "table"),
    ...columnChanges(sides.base.rule.columns, sides.next.rule.columns, `${at}/columns`),
    ...filterChange(sides, at),
  ].map((d) => ({ ...d, table: ruleName(named) }));
  const claimed = (path: string) => ruleFields.some((f) => path === f || path.startsWith(`${f}/`));
  return { drafts, unclaimed: differingPaths(sides.base.rule, sides.next.rule).filter((p) => !claimed(p)) };
}
