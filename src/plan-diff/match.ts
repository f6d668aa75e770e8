// Which pipeline of the base is which of the new plan (by name, or a rename: same source and
// some tables under a new name), and which table rule is which (by database and table matcher,
// or an exact name and a pattern that selects it).
import type { ObjectRule, Pipeline } from "../generated/plan.js";
import { tableSelectionTest } from "../plan/index.js";
import { withoutOrigin } from "./describe.js";

export interface Pair {
  base: number | null;
  next: number | null;
}

export interface PipelinePair extends Pair {
  renamed: boolean;
}

function ruleKey(rule: ObjectRule): string {
  return JSON.stringify([rule.database, rule.table]);
}

/** The server a pipeline reads. */
function sourceKey(pipeline: Pipeline): string {
  const { host, port } = pipeline.source;
  return JSON.stringify([withoutOrigin(host), withoutOrigin(port)]);
}

/** What stays when only the name changes: the server read and the tables selected. */
function identity(pipeline: Pipeline): string {
  return JSON.stringify([sourceKey(pipeline), pipeline.objects.map(ruleKey).sort()]);
}

/** How many table rules two pipelines reading one server share; 0 for different servers. */
function sharedRules(a: Pipeline, b: Pipeline): number {
  if (sourceKey(a) !== sourceKey(b)) return 0;
  const keys = new Set(a.objects.map(ruleKey));
  return b.objects.filter((rule) => keys.has(ruleKey(rule))).length;
}

/** The free base pipeline most like `pipeline`: same server and tables, or (`partly`) the most tables in common. */
function renamedFrom(base: readonly Pipeline[], pipeline: Pipeline, free: (i: number) => boolean, partly: boolean): number {
  if (!partly) return base.findIndex((p, i) => free(i) && identity(p) === identity(pipeline));
  let best = -1;
  let most = 0;
  base.forEach((p, i) => {
    const shared = free(i) ? sharedRules(p, pipeline) : 0;
    if (shared > most) [best, most] = [i, shared];
  });
  return best;
}

/**
 * Pipelines paired by name; an added one and a removed one reading the same server are a rename
 * when they select the same tables, then when they share some (a rename with other changes
 * loses its checkpoint all the same).
 */
export function matchPipelines(base: readonly Pipeline[], next: readonly Pipeline[]): PipelinePair[] {
  const byName = new Map(base.map((p, i) => [p.name, i]));
  const pairs: PipelinePair[] = next.map((p, i) => ({ base: byName.get(p.name) ?? null, next: i, renamed: false }));
  const taken = new Set(pairs.flatMap((p) => (p.base === null ? [] : [p.base])));
  const free = (i: number) => !taken.has(i) && !next.some((n) => n.name === (base[i] as Pipeline).name);
  for (const partly of [false, true]) {
    for (const pair of pairs) {
      if (pair.base !== null) continue;
      const found = renamedFrom(base, next[pair.next as number] as Pipeline, free, partly);
      if (found < 0) continue;
      taken.add(found);
      Object.assign(pair, { base: found, renamed: true });
    }
  }
  base.forEach((_, i) => {
    if (!taken.has(i)) pairs.push({ base: i, next: null, renamed: false });
  });
  return pairs;
}

/** Whether `wide`'s table matcher (a pattern, or every table) selects the table `exact` names, in the same databases. */
function covers(wide: ObjectRule, exact: ObjectRule): boolean {
  if (exact.table === null || !("exact" in exact.table) || (wide.table !== null && "exact" in wide.table)) return false;
  return JSON.stringify(wide.database) === JSON.stringify(exact.database) && tableSelectionTest(wide.table)(exact.table.exact);
}

/**
 * Left-over rules where one side names a table exactly and the other selects it by a pattern are
 * the same table under another selector: paired, so a topic or column change shows. A pattern
 * may stand for several exact names; an exact name goes with the first pattern that selects it,
 * as the first matching rule handles a table.
 */
function joinSelectorChanges(base: readonly ObjectRule[], next: readonly ObjectRule[], pairs: Pair[]): Pair[] {
  const lonelyBase = pairs.flatMap((p) => (p.next === null ? [p.base as number] : []));
  const lonelyNext = pairs.flatMap((p) => (p.base === null ? [p.next as number] : []));
  const joined = new Map<number, number[]>();
  const used = new Set<number>();
  const join = (b: number, n: number) => {
    joined.set(n, [...(joined.get(n) ?? []), b]);
    used.add(b);
  };
  for (const b of lonelyBase) {
    const n = lonelyNext.find((n) => covers(next[n] as ObjectRule, base[b] as ObjectRule));
    if (n !== undefined) join(b, n);
  }
  for (const n of lonelyNext) {
    const b = joined.has(n) ? undefined : lonelyBase.find((b) => covers(base[b] as ObjectRule, next[n] as ObjectRule));
    if (b !== undefined) join(b, n);
  }
  return pairs.flatMap((p): Pair[] => {
    if (p.base === null) return (joined.get(p.next as number) ?? [null]).map((b) => ({ base: b, next: p.next }));
    return p.next === null && used.has(p.base) ? [] : [p];
  });
}

/** Rules paired by matcher; the n-th rule with one key pairs with the n-th on the other side. */
export function matchRules(base: readonly ObjectRule[], next: readonly ObjectRule[]): Pair[] {
  const keyed = (rules: readonly ObjectRule[]) => {
    const seen = new Map<string, number>();
    return rules.map((rule) => {
      const key = ruleKey(rule);
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      return `${key}#${n}`;
    });
  };
  const baseKeys = keyed(base);
  const index = new Map(baseKeys.map((k, i) => [k, i]));
  const pairs: Pair[] = keyed(next).map((key, i) => ({ base: index.get(key) ?? null, next: i }));
  const used = new Set(pairs.map((p) => p.base));
  baseKeys.forEach((_, i) => {
    if (!used.has(i)) pairs.push({ base: i, next: null });
  });
  return joinSelectorChanges(base, next, pairs);
}
