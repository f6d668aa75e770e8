// Which pipeline of the base is which of the new plan (by name, or a rename: same source and
// tables under a new name), and which table rule is which (by database and table matcher).
import type { ObjectRule, Pipeline } from "../generated/plan.js";
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

/** What stays when only the name changes: the server read and the tables selected. */
function identity(pipeline: Pipeline): string {
  const { host, port } = pipeline.source;
  return JSON.stringify([withoutOrigin(host), withoutOrigin(port), pipeline.objects.map(ruleKey).sort()]);
}

export function matchPipelines(base: readonly Pipeline[], next: readonly Pipeline[]): PipelinePair[] {
  const byName = new Map(base.map((p, i) => [p.name, i]));
  const pairs: PipelinePair[] = next.map((p, i) => ({ base: byName.get(p.name) ?? null, next: i, renamed: false }));
  const taken = new Set(pairs.flatMap((p) => (p.base === null ? [] : [p.base])));
  for (const pair of pairs) {
    if (pair.base !== null) continue;
    const wanted = identity(next[pair.next as number] as Pipeline);
    const found = base.findIndex((p, i) => !taken.has(i) && !next.some((n) => n.name === p.name) && identity(p) === wanted);
    if (found < 0) continue;
    taken.add(found);
    Object.assign(pair, { base: found, renamed: true });
  }
  base.forEach((_, i) => {
    if (!taken.has(i)) pairs.push({ base: i, next: null, renamed: false });
  });
  return pairs;
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
  return pairs;
}
