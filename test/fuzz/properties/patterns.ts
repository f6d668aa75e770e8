// Pathological regular expressions, globs and LIKE patterns. The compiler tests a pattern against
// the exact names that follow it (to find rules that can never apply), so a backtracking-heavy
// regex next to a long name could stall `dts check`; every case must stay within its time bound.
// Invalid patterns must be errors on their own line.
import type { FuzzInput } from "../check-input.js";
import { assertEveryCase } from "../property.js";
import type { Properties } from "./index.js";
import type { Sandbox } from "../sandbox.js";
import { lineOf, spec } from "../template.js";

interface PatternCase {
  name: string;
  text: string;
  /** For invalid patterns: text on the line that must get an error. */
  rejectedOn?: string;
}

const tables = (...blocks: string[]) => spec({ databases: `database "shop" {\n${blocks.map((b) => `  ${b}`).join("\n")}\n}` });
const longName = (unit: string, n: number, end = "!") => `${unit.repeat(n)}${end}`;

/** A pattern followed by a long exact name it almost matches. */
const backtracking: PatternCase[] = [
  { name: "(a+)+$ against a long table name", text: tables('table match("(a+)+$") {}', `table "${longName("a", 40)}" {}`) },
  { name: "(a|a)*$ against a long database name", text: spec({ databases: `database match("(a|a)*$") {}\ndatabase "${longName("a", 40)}" {}` }) },
  { name: "(a|aa)+$ against a long table name", text: tables('table match("(a|aa)+$") {}', `table "${longName("a", 60)}" {}`) },
  { name: "(x+x+)+y against a long table name", text: tables('table match("(x+x+)+y") {}', `table "${longName("x", 40, "")}" {}`) },
  { name: "(.*a){20} against a long table name", text: tables('table match("(.*a){20}") {}', `table "${longName("a", 40, "b")}" {}`) },
  { name: "a glob of twelve stars against a long table name", text: tables(`table glob("${"*a".repeat(12)}b") {}`, `table "${longName("a", 60, "")}" {}`) },
  { name: "nested groups with a backreference", text: tables('table match("(a*)*\\\\1b") {}', `table "${longName("a", 40, "")}" {}`) },
  { name: "an alternation of 5,000 names against 200 tables", text: tables(`table match("${Array.from({ length: 5000 }, (_, i) => `t${i}`).join("|")}") {}`, ...Array.from({ length: 200 }, (_, i) => `table "x${i}" {}`)) },
  { name: "200 patterns against 200 exact tables", text: tables(...Array.from({ length: 200 }, (_, i) => `table match("p${i}_(a+)+") {}`), ...Array.from({ length: 200 }, (_, i) => `table "q${i}_${"a".repeat(20)}" {}`)) },
];

const invalid: PatternCase[] = [
  ["an open group", "("],
  ["an open class", "["],
  ["a reversed range", "a{2,1}"],
  ["a trailing backslash", "\\\\"],
  ["a broken named group", "(?<"],
  ["nothing to repeat", "*a"],
  ["a bad class range", "[z-a]"],
].map(([name, pattern]) => ({ name: `invalid regex: ${name}`, text: tables(`table match("${pattern}") {}`), rejectedOn: `match("${pattern}")` }));

const like = (condition: string) => tables(`table "orders" {\n    filter = (${condition})\n  }`);

const likePatterns: PatternCase[] = [
  { name: "LIKE with fourteen wildcards", text: like(`name LIKE '${"%a".repeat(14)}b'`) },
  { name: "LIKE of escapes only", text: like("name LIKE '\\\\%\\\\_\\\\\\\\'") },
  { name: "LIKE that looks like a regex", text: like("name LIKE '(a+)+$'") },
  { name: "LIKE of 5,000 wildcards", text: like(`name LIKE '${"%".repeat(5000)}'`) },
  { name: "LIKE with an unterminated pattern", text: like("name LIKE 'abc"), rejectedOn: "LIKE 'abc" },
  { name: "LIKE without a pattern", text: like("name LIKE"), rejectedOn: "name LIKE" },
  { name: "LIKE with ESCAPE", text: like("name LIKE 'a!%' ESCAPE '!'"), rejectedOn: "ESCAPE" },
  { name: "REGEXP instead of LIKE", text: like("name REGEXP '(a+)+$'"), rejectedOn: "REGEXP" },
  { name: "NOT LIKE chained 500 times", text: like(Array.from({ length: 500 }, (_, i) => `c${i} NOT LIKE '%${i}%'`).join(" AND ")) },
];

const input = (c: PatternCase): FuzzInput => ({ files: [{ file: "patterns.dts", text: c.text }] });

async function violations(sandbox: Sandbox, c: PatternCase): Promise<string[]> {
  const outcome = await sandbox.check(input(c));
  if (c.rejectedOn === undefined || outcome.violations.some((v) => v.includes("sandbox was killed"))) return outcome.violations;
  const at = lineOf(c.text, c.rejectedOn);
  const rejected = outcome.diagnostics.some((d) => d.severity === "error" && d.line === at);
  return rejected ? outcome.violations : [...outcome.violations, `no error on line ${at}; reported: ${outcome.diagnostics.map((d) => `${d.code} at ${d.line}:${d.column}`).join(", ") || "nothing"}`];
}

export const patternProperties: Properties = {
  "backtracking-heavy regexes and globs next to long names stay within the time bound": async (sandbox: Sandbox) => {
    await assertEveryCase("backtracking patterns", backtracking, (c) => violations(sandbox, c), input, (c) => c.name);
  },

  "invalid regexes are errors on their line": async (sandbox: Sandbox) => {
    await assertEveryCase("invalid regexes", invalid, (c) => violations(sandbox, c), input, (c) => c.name);
  },

  "odd LIKE patterns keep every invariant, and unsupported ones are errors on their line": async (sandbox: Sandbox) => {
    await assertEveryCase("LIKE patterns", likePatterns, (c) => violations(sandbox, c), input, (c) => c.name);
  },
};
