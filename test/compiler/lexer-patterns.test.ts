// The string and condition tokens remember what earlier scans of the same text found, to stay
// linear. Checked against the straightforward scans they replaced: on any text both lexers give
// the same tokens and the same errors.
import { createToken, Lexer, type CustomPatternMatcherFunc, type IToken, type TokenType } from "chevrotain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allTokens, Condition, dtsLexer, Equals, StringLiteral } from "../../grammar/tokens.js";

function balancedGroupEnd(text: string, offset: number): number {
  let depth = 0;
  for (let i = offset; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      const close = text.indexOf(ch, i + 1);
      if (close < 0) return -1;
      i = close;
    } else if (ch === "(") {
      depth++;
    } else if (ch === ")") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const scanCondition: CustomPatternMatcherFunc = (text, offset, matchedTokens: IToken[]) => {
  if (text[offset] !== "(") return null;
  const key = matchedTokens[matchedTokens.length - 2];
  if (matchedTokens[matchedTokens.length - 1]?.tokenType !== Equals || !key || !["filter", "where"].includes(key.image)) return null;
  let end = balancedGroupEnd(text, offset);
  if (end < 0) {
    const lineEnd = text.indexOf("\n", offset);
    const close = text.slice(offset, lineEnd < 0 ? undefined : lineEnd).lastIndexOf(")");
    if (close <= 0) return null;
    end = offset + close + 1;
  }
  return [text.slice(offset, end)] as unknown as RegExpExecArray;
};

const reference: Map<TokenType, TokenType> = new Map([
  [Condition, createToken({ name: "Condition", pattern: { exec: scanCondition }, line_breaks: true, start_chars_hint: ["("] })],
  [StringLiteral, createToken({ name: "StringLiteral", pattern: /"(?:[^"\\\n\r]|\\.)*"/ })],
]);
const referenceLexer = new Lexer(allTokens.map((t) => reference.get(t) ?? t), { positionTracking: "full", ensureOptimizations: false });

function summary(lexer: Lexer, text: string) {
  const result = lexer.tokenize(text);
  return {
    tokens: result.tokens.map((t) => `${t.tokenType.name}@${t.startOffset}:${t.image}`),
    errors: result.errors.map((e) => `${e.offset}+${e.length}`),
  };
}

const fragments = ["filter = (", "where=(", "(", ")", "'", '"', "\\", '\\"', "\n", "a", " ", "=", "x = 1", "# c", "}"];
const text = fc.array(fc.constantFrom(...fragments), { maxLength: 40 }).map((parts) => parts.join(""));

describe("string and condition tokens", () => {
  it("match the plain scans on any text", () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(summary(dtsLexer, t)).toEqual(summary(referenceLexer, t));
      }),
      { numRuns: 2000 },
    );
  });

  it("find a closed condition after an unclosed one", () => {
    const source = "a { filter = (b = 1 }\nb { filter = (c = 2) }\nc { filter = (d = 'x\ne { filter = (f = 'y') }";
    const conditions = dtsLexer.tokenize(source).tokens.filter((t) => t.tokenType === Condition).map((t) => t.image);
    expect(conditions).toEqual(["(c = 2)", "(f = 'y')"]);
  });
});
