// Inputs that used to take quadratic time or worse in the compiler, checked by how time grows
// with size (test/scaling.ts) rather than against a clock.
import { describe, it } from "vitest";
import { dtsLexer } from "../../grammar/tokens.js";
import type { Item } from "../../src/compiler/ast.js";
import { Body } from "../../src/compiler/analyze/body.js";
import { DiagnosticBag } from "../../src/compiler/diagnostics.js";
import { compile } from "../../src/compiler/index.js";
import { expectNearLinear } from "../scaling.js";

const lex = (text: string) => void dtsLexer.tokenize(text);
const check = (text: string) => void compile([{ file: "big.dts", text }]);

describe("lexing scales linearly", () => {
  it.each([
    ["unclosed strings of escaped quotes", (n: number) => '"\\'.repeat(n)],
    ["unclosed conditions on one line", (n: number) => "filter=(".repeat(n)],
    ["unclosed conditions, one per line", (n: number) => "filter=(\n".repeat(n)],
    ["unclosed conditions with quotes", (n: number) => "filter=('".repeat(n)],
    ["conditions closed on the last line", (n: number) => `${"filter = (a = 1 AND\n".repeat(n)}${")".repeat(n)}`],
  ])("%s", (_, make) => expectNearLinear(make, lex, 2000));

  it("and so does checking such a file", () => {
    expectNearLinear((n) => `pipeline "p" {\n${'"\\'.repeat(n)}\n${"filter=(".repeat(n)}`, check, 1000);
  });

  it("and checking a spec that lists many tables", () => {
    const spec = (n: number) => {
      const tables = Array.from({ length: n }, (_, i) => `    table "t${i}" {}\n`).join("");
      return `pipeline "p" {\n  source mysql { host = "h" user = "u" }\n  destination kafka { brokers = ["k:9092"] topic = "t" }\n  database "d" {\n${tables}  }\n}\n`;
    };
    expectNearLinear(spec, check, 1000);
  });

  it("and reading a block that repeats one kind of block many times (a table block per table)", () => {
    const span = { file: "big.dts", line: 1, column: 1, offset: 0, endLine: 1, endColumn: 2, endOffset: 1 };
    const table: Item = { kind: "block", type: { name: "table", span }, labels: [], items: [], span };
    const blocks = (n: number): Item[] => new Array<Item>(n).fill(table);
    const shape = { owner: "a database block", attributes: [], blocks: { table: "many" } } as const;
    expectNearLinear(blocks, (items) => void new Body(items, shape, new DiagnosticBag()), 20_000);
  });

  it("and checking a long run of syntax errors", () => {
    expectNearLinear((n) => `pipeline "p" {\n${"x = ".repeat(n)}`, check, 1000);
  });
});
