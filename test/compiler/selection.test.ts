// The "selected twice" check (DTS2015) indexes earlier rules instead of comparing every pair;
// it must report exactly what the pairwise comparison did, and stay near-linear in the number
// of tables a spec lists.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { NameMatcher, ObjectRule } from "../../src/generated/plan.js";
import type { Span } from "../../src/compiler/ast.js";
import { checkSelection } from "../../src/compiler/checks/selection.js";
import type { DecodedRule } from "../../src/compiler/decode/objects.js";
import { DiagnosticBag } from "../../src/compiler/diagnostics.js";
import { nameTest } from "../../src/plan/name-pattern.js";
import { expectNearLinear } from "../scaling.js";

function span(line: number): Span {
  return { file: "t.dts", line, column: 1, offset: line, endLine: line, endColumn: 2, endOffset: line + 1 };
}

function decoded(database: NameMatcher, table: NameMatcher | null, line: number): DecodedRule {
  const rule: ObjectRule = {
    origin: { file: "t.dts", line, column: 1 },
    database,
    table,
    target: { database: null, table: null, topic: null },
    columns: { include: null, exclude: [], rename: {} },
    filter: null,
    partition: null,
  };
  return { rule, databaseSpan: span(line), tableSpan: span(line), topicSpan: undefined, partitionSpan: undefined };
}

const tests = new Map<string, (name: string) => boolean>();
function testOf(pattern: string): (name: string) => boolean {
  if (!tests.has(pattern)) tests.set(pattern, nameTest({ pattern }));
  return tests.get(pattern)!;
}

/** The pairwise comparison the index replaced. */
function covers(earlier: NameMatcher | null, later: NameMatcher | null): boolean {
  if (earlier === null) return true;
  if (later === null) return false;
  if ("exact" in earlier) return "exact" in later && later.exact === earlier.exact;
  if ("exact" in later) return testOf(earlier.pattern)(later.exact);
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
  return bag.items.map((d) => [d.span.line, Number(/at t\.dts:(\d+)/.exec(d.message)?.[1])]);
}

const name = fc.constantFrom("a", "b", "ab", "a1");
const matcher: fc.Arbitrary<NameMatcher> = fc.oneof(
  name.map((exact) => ({ exact })),
  fc.constantFrom("^(?:a.*)$", "^(?:.*1)$", "^(?:b|ab)$").map((pattern) => ({ pattern })),
);

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
