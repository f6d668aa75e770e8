// Syntax errors, table-driven: every error of the input is reported, each at the stated
// range (1-based line:column, end exclusive).
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/index.js";

type Expected = [code: string, range: string, message: RegExp];

const cases: [string, Expected[]][] = [
  ['x { a = = 1 }', [["DTS1003", "1:9-1:10", /expected a value/]]],
  ['x { a = [1, 2 }', [["DTS1003", "1:15-1:16", /expected '\]'/]]],
  ["x { port 3306 }", [["DTS1003", "1:10-1:14", /expected '=' \(an attribute\) or '\{' \(a block\)/]]],
  [
    'a { x = = 1 }\nb { y = }\nc { z = ] }',
    [
      ["DTS1003", "1:9-1:10", /expected a value/],
      ["DTS1003", "2:9-2:10", /expected a value/],
      ["DTS1003", "3:9-3:10", /expected a value/],
    ],
  ],
  ['x {\n  a = "open\n}', [["DTS1002", "2:7-2:12", /not closed/]]],
  ["x { a = 1 ~ }", [["DTS1001", "1:11-1:12", /unexpected character "~"/]]],
  // The comment runs to the end of the file; the '}' it swallowed is no error of its own.
  ['x {\n  /* note\n  a = 1\n}', [["DTS1001", "2:3-2:5", /this comment is never closed: no \*\/ follows its \/\*/]]],
  ["x { a = 'single' }", [["DTS1001", "1:9-1:10", /single quotes/], ["DTS1001", "1:16-1:17", /single quotes/]]],
  ['x {\n  y {\n    a = 1', [["DTS1004", "3:9-3:10", /expected '\}' before the end of the file/]]],
  ['x { a = "bad \\q escape" }', [["DTS1005", "1:14-1:16", /unknown escape \\q/]]],
  // Half of a surrogate pair is no character (the two halves together are one).
  ['x { a = "\\uD800x\\uD83D\\uDE00" b = "\\uDE00" }', [["DTS1005", "1:9-1:30", /half of a surrogate pair/], ["DTS1005", "1:35-1:43", /half of a surrogate pair/]]],
];

function range(d: { span: { line: number; column: number; endLine: number; endColumn: number } }): string {
  return `${d.span.line}:${d.span.column}-${d.span.endLine}:${d.span.endColumn}`;
}

describe("syntax errors", () => {
  it.each(cases)("%j", (text, expected) => {
    const { diagnostics, plan } = compile([{ file: "t.dts", text }]);
    expect(plan).toBeNull();
    expect(diagnostics.map((d) => [d.code, range(d)])).toEqual(expected.map(([code, r]) => [code, r]));
    diagnostics.forEach((d, i) => expect(d.message).toMatch(expected[i]![2]));
  });
});
