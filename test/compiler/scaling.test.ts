// Inputs that used to take quadratic time or worse in the compiler, checked by how time grows
// with size (test/scaling.ts) rather than against a clock.
import { describe, it } from "vitest";
import { dtsLexer } from "../../grammar/tokens.js";
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

  it("and checking a long run of syntax errors", () => {
    expectNearLinear((n) => `pipeline "p" {\n${"x = ".repeat(n)}`, check, 1000);
  });
});
