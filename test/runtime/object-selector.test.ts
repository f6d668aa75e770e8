// The selector's index must pick exactly the rule a plain first-match pass over the rules would,
// while a lookup stays cheap when a plan lists many tables.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ObjectRule } from "../../src/generated/plan.js";
import { RuntimeError } from "../../src/runtime/errors.js";
import { ObjectSelector } from "../../src/runtime/select/object-selector.js";
import { accepts, matcher, name } from "../plan/matchers.js";
import { rule } from "../precheck/fixtures.js";
import { expectNearLinear } from "../scaling.js";

function firstMatch(rules: ObjectRule[], database: string, table: string): ObjectRule | null {
  return rules.find((r) => accepts(r.database, database) && (r.table === null || accepts(r.table, table))) ?? null;
}

describe("ObjectSelector index", () => {
  it("picks the same rule as a first-match pass", () => {
    const rules = fc.array(fc.tuple(matcher, fc.option(matcher, { nil: null })), { maxLength: 12 });
    fc.assert(
      fc.property(rules, fc.array(fc.tuple(name, name), { maxLength: 10 }), (specs, tables) => {
        const plan = specs.map(([database, table], i) => rule(database, table, i + 1));
        const selector = new ObjectSelector(plan);
        for (const [database, table] of tables) {
          expect(selector.ruleFor(database, table)).toBe(firstMatch(plan, database, table));
          expect(selector.selectsDatabase(database)).toBe(plan.some((r) => accepts(r.database, database)));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("scales with the number of tables listed one by one", () => {
    const plan = (n: number) => {
      const names = Array.from({ length: n }, (_, i) => `t${i}`);
      return { names, rules: names.map((table, i) => rule({ exact: "shop" }, { exact: table }, i + 1)) };
    };
    // Ten selectors per run, so even the small run takes long enough to time.
    const selectAll = ({ names, rules }: ReturnType<typeof plan>) => {
      for (let round = 0; round < 10; round++) {
        const selector = new ObjectSelector(rules);
        for (const table of names) selector.ruleFor("shop", table);
      }
    };
    expectNearLinear(plan, selectAll, 1000);
  });

  it("selects online schema-change tools' tables only by their exact name", () => {
    const all = rule({ exact: "shop" }, null, 1);
    const glob = rule({ pattern: "^(?:.*)$" }, { pattern: "^(?:.*)$" }, 2);
    const exact = rule({ exact: "shop" }, { exact: "_orders_gho" }, 3);
    const selector = new ObjectSelector([all, glob, exact]);
    expect(selector.ruleFor("shop", "orders")).toBe(all);
    expect(selector.ruleFor("shop", "_orders_new")).toBeNull();
    expect(selector.ruleFor("other", "__orders_old")).toBeNull();
    expect(selector.ruleFor("shop", "_orders_gho")).toBe(exact);
  });

  it("reports a pattern the engine cannot run as a configuration error", () => {
    expect(() => new ObjectSelector([rule({ exact: "shop" }, { pattern: "^(?!tmp).*$" }, 7)])).toThrow(RuntimeError);
    expect(() => new ObjectSelector([rule({ exact: "shop" }, { pattern: "^(?!tmp).*$" }, 7)])).toThrow(/shop\.dts:7:3 .*lookahead/);
  });
});
