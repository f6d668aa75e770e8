// Small name matchers for differential tests of rule selection: a few names and patterns that
// overlap in every way (exact vs exact, pattern vs exact, equal patterns), and the plain answer
// of whether one accepts a name, compiled once per matcher.
import fc from "fast-check";
import type { NameMatcher } from "../../src/generated/plan.js";
import { nameTest, type NameTest } from "../../src/plan/name-pattern.js";

export const name = fc.constantFrom("a", "b", "ab", "a1", "b2");

export const matcher: fc.Arbitrary<NameMatcher> = fc.oneof(
  name.map((exact) => ({ exact })),
  fc.constantFrom("^(?:a.*)$", "^(?:.*\\d)$", "^(?:b|ab)$").map((pattern) => ({ pattern })),
);

const tests = new Map<string, NameTest>();

export function accepts(matcher: NameMatcher, candidate: string): boolean {
  const key = JSON.stringify(matcher);
  let test = tests.get(key);
  if (!test) tests.set(key, (test = nameTest(matcher)));
  return test(candidate);
}
