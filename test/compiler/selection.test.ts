// The "selected twice" check (DTS2015) indexes earlier rules instead of comparing every pair;
// it must report exactly what the pairwise comparison did, and stay near-linear in the number
// of tables a spec lists.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { NameMatcher } from "../../src/generated/plan.js";
import type { Span } from "../../src/compiler/ast.js";
import { checkSelection } from "../../src/compiler/checks/selection.js";
import type { DecodedRule } from "../../src/compiler/analyze/objects.js";
import { DiagnosticBag } from "../../src/compiler/diagnostics.js";
import { accepts, matcher } from "../plan/matchers.js";
import { rule } from "../precheck/fixtures.js";
import { expectNearLinear } from "../scaling.js";

function decoded(database: NameMatcher, table: NameMatcher | null, line: number): DecodedRule {
  const span: Span = { file: "shop.dts", line, column: 1, offset: line, endLine: line, endColumn: 2, endOffset: line + 1 };
  return { rule: rule(database, table, line), databaseSpan: span, tableSpan: span, topicSpan: undefined, partitionSpan: undefined };
}

/** The pairwise comparison the index replaced. */
function covers(earlier: NameMatcher | null, later: NameMatcher | null): boolean {
  if (earlier === null) return true;
  if (later === null) return false;
  if ("exact" in earlier) return "exact" in later && later.exact === earlier.exact;
  if ("exact" in later) return accepts(earlier, later.exact);
  return earlier.pattern === later.pattern;
}

function pairwise(rules: DecodedRule[]): [number, number][] {
  const found: [number, number][] = [];
  rules.forEach((later, i) => {
    const earlier = rules.slice(0, i).find((e) => covers(e.rule.database, later.rule.database) && covers(e.rule.table, later.rule.table));
    if (earlier) found.push([later.rule.origin.line, earlier.rule.origin.line]);
  });
  return found;
}

function indexed(rules: DecodedRule[]): [number, number][] {
  const bag = new DiagnosticBag();
  checkSelection(rules, bag);
  return bag.items.map((d) => [d.span.line, Number(/at shop\.dts:(\d+)/.exec(d.message)?.[1])]);
}

describe("selected twice (DTS2015)", () => {
  it("reports the same rules, each against the same earlier rule, as comparing every pair", () => {
    const rules = fc.array(fc.tuple(matcher, fc.option(matcher, { nil: null })), { maxLength: 12 });
    fc.assert(
      fc.property(rules, (specs) => {
        const list = specs.map(([database, table], i) => decoded(database, table, i + 1));
        expect(indexed(list)).toEqual(pairwise(list));
      }),
      { numRuns: 1000 },
    );
  });

  it("scales near-linearly with the number of tables a spec lists", () => {
    const rules = (n: number) => Array.from({ length: n }, (_, i) => decoded({ exact: "shop" }, { exact: `t${i}` }, i + 1));
    expectNearLinear(rules, (list) => expect(indexed(list)).toEqual([]), 4000);
  });
});
