// Row filters, table-driven: what each condition parses to, and where each error points
// (offsets into the filter text, end exclusive).
import { describe, expect, it } from "vitest";
import { parseFilter } from "../../src/compiler/filter/parser.js";

const parsed: [string, unknown][] = [
  ["a = 1", { op: "=", column: "a", value: { number: "1" } }],
  ["a <> 'x'", { op: "!=", column: "a", value: { string: "x" } }],
  ["100 < total", { op: ">", column: "total", value: { number: "100" } }],
  ["price >= -0.25", { op: ">=", column: "price", value: { number: "-0.25" } }],
  ["amount = 123456789012345678901234567890.5", { op: "=", column: "amount", value: { number: "123456789012345678901234567890.5" } }],
  ["`order` = 'it''s'", { op: "=", column: "order", value: { string: "it's" } }],
  ["a IS NULL", { op: "is-null", column: "a", negated: false }],
  ["a is not null", { op: "is-null", column: "a", negated: true }],
  ["a NOT IN (1, 'b', NULL)", { op: "in", column: "a", values: [{ number: "1" }, { string: "b" }, null], negated: true }],
  ["d BETWEEN '2024-01-01' AND '2024-12-31'", { op: "between", column: "d", low: { string: "2024-01-01" }, high: { string: "2024-12-31" }, negated: false }],
  ["name NOT LIKE 'tmp\\_%'", { op: "like", column: "name", pattern: "tmp\\_%", negated: true }],
  ["a = 'line\\nbreak\\\\'", { op: "=", column: "a", value: { string: "line\nbreak\\" } }],
  ["flag = TRUE", { op: "=", column: "flag", value: { number: "1" } }],
  [
    "a = 1 AND b = 2 AND (c = 3 OR d = 4 OR e = 5)",
    {
      op: "and",
      args: [
        { op: "=", column: "a", value: { number: "1" } },
        { op: "=", column: "b", value: { number: "2" } },
        { op: "or", args: [{ op: "=", column: "c", value: { number: "3" } }, { op: "=", column: "d", value: { number: "4" } }, { op: "=", column: "e", value: { number: "5" } }] },
      ],
    },
  ],
  ["NOT NOT a = 1", { op: "not", arg: { op: "not", arg: { op: "=", column: "a", value: { number: "1" } } } }],
  ["a = 1 OR b = 2 AND c = 3", { op: "or", args: [{ op: "=", column: "a", value: { number: "1" } }, { op: "and", args: [{ op: "=", column: "b", value: { number: "2" } }, { op: "=", column: "c", value: { number: "3" } }] }] }],
];

const failures: [string, { kind: string; start: number; end: number; message: RegExp }][] = [
  ["", { kind: "empty", start: 0, end: 0, message: /empty/ }],
  ["a = ", { kind: "syntax", start: 4, end: 4, message: /expected a literal/ }],
  ["a = 'open", { kind: "unterminated", start: 4, end: 9, message: /not closed/ }],
  ["a = b", { kind: "unsupported", start: 4, end: 5, message: /not with another column/ }],
  ["a == 1", { kind: "unsupported", start: 2, end: 4, message: /== is not supported/ }],
  ["lower(a) = 'x'", { kind: "unsupported", start: 0, end: 5, message: /functions such as lower\(\)/ }],
  ["a = 1 b = 2", { kind: "syntax", start: 6, end: 7, message: /after a complete condition/ }],
  ["(a = 1", { kind: "syntax", start: 6, end: 6, message: /expected '\)'/ }],
  ["a = 1)", { kind: "syntax", start: 5, end: 6, message: /no matching/ }],
  ["a IN 1", { kind: "syntax", start: 5, end: 6, message: /expected '\('/ }],
  ["a LIKE b", { kind: "syntax", start: 7, end: 8, message: /quoted pattern/ }],
  ["a = \"x\"", { kind: "unsupported", start: 4, end: 7, message: /double-quoted/ }],
  ["a = NULL", { kind: "unsupported", start: 4, end: 8, message: /NULL is never true/ }],
  ["a ~ 1", { kind: "syntax", start: 2, end: 3, message: /unexpected character "~"/ }],
  ["a IS 1", { kind: "syntax", start: 5, end: 6, message: /expected NULL after IS/ }],
];

describe("row filter parser", () => {
  it.each(parsed)("parses %s", (text, expr) => {
    const result = parseFilter(text);
    expect(result.ok && result.expr).toEqual(expr);
  });

  it.each(failures)("rejects %j", (text, expected) => {
    const result = parseFilter(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ kind: expected.kind, start: expected.start, end: expected.end });
    expect(result.error.message).toMatch(expected.message);
  });

  it("lists the columns a filter reads", () => {
    const result = parseFilter("a = 1 AND (b IS NULL OR a IN (2, 3))");
    expect(result.ok && result.columns).toEqual(["a", "b"]);
  });
});
