// Name patterns run on RE2 (re2js): linear in the name whatever the pattern, and what RE2 leaves
// out is rejected with a reason rather than run with backtracking.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileNamePattern, nameTest } from "../../src/plan/name-pattern.js";
import { expectNearLinear } from "../scaling.js";

function problem(pattern: string): string | undefined {
  const compiled = compileNamePattern(pattern);
  return compiled.ok ? undefined : compiled.message;
}

describe("name patterns", () => {
  it("match whole names", () => {
    const test = nameTest({ pattern: "^(?:tenant_\\d+)$" });
    expect([test("tenant_12"), test("tenant_12x"), test("xtenant_1")]).toEqual([true, false, false]);
    expect(nameTest({ pattern: "order.*" })("order_items")).toBe(true);
    expect(nameTest({ pattern: "order.*" })("my_orders")).toBe(false);
    expect(nameTest({ exact: "Shop" })("shop")).toBe(false);
  });

  it("run catastrophic patterns in time linear in the name", () => {
    const test = nameTest({ pattern: "^(a+)+$" });
    expect(test(`${"a".repeat(50)}!`)).toBe(false);
    expectNearLinear((n) => `${"a".repeat(n)}!`, (name) => void test(name), 20_000);
  });

  it("reject lookaround and backreferences with the reason", () => {
    expect(problem("^(?!tmp_).*$")).toMatch(/lookahead and lookbehind/);
    expect(problem("(?<!x)y")).toMatch(/lookahead and lookbehind/);
    expect(problem("(a)\\1")).toMatch(/backreferences/);
    expect(problem("(?<n>a)\\k<n>")).toMatch(/backreferences/);
    expect(problem("(unclosed")).toBe("missing closing ): (unclosed");
    expect(problem("\\(?=x")).toBeUndefined();
  });

  it("agree with JavaScript regular expressions on the syntax both share", () => {
    const atom = fc.constantFrom("a", "b", "_", ".", "\\d", "[a-c]", "[^b]", "(a|b)", "(?:ab)");
    const quantifier = fc.constantFrom("", "*", "+", "?", "{2}", "{1,3}");
    const pattern = fc.array(fc.tuple(atom, quantifier).map(([a, q]) => a + q), { minLength: 1, maxLength: 5 }).map((parts) => parts.join(""));
    const name = fc.stringMatching(/^[ab_1c]{0,8}$/);
    fc.assert(
      fc.property(pattern, fc.array(name, { maxLength: 5 }), (source, names) => {
        const re2 = nameTest({ pattern: `^(?:${source})$` });
        const js = new RegExp(`^(?:${source})$`, "u");
        for (const n of names) expect(re2(n), `${source} on ${n}`).toBe(js.test(n));
      }),
      { numRuns: 500 },
    );
  });
});
