// Tokens of the .dts language. The lexer knows nothing about pipelines: keys, enum words and
// function names are all Identifiers, interpreted by the compiler, so that a typo is a
// "did you mean" diagnostic rather than a syntax error.
import { createToken, Lexer, type CustomPatternMatcherFunc, type IToken } from "chevrotain";

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\uFEFF]+/, group: Lexer.SKIPPED, line_breaks: true });
// Comments are kept in their own group so that `dts fmt` can put them back.
export const LineComment = createToken({ name: "LineComment", pattern: /(?:#|\/\/)[^\n\r]*/, group: "comments" });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: "comments", line_breaks: true });

export const LCurly = createToken({ name: "LCurly", pattern: "{", label: "'{'" });
export const RCurly = createToken({ name: "RCurly", pattern: "}", label: "'}'" });
export const LBracket = createToken({ name: "LBracket", pattern: "[", label: "'['" });
export const RBracket = createToken({ name: "RBracket", pattern: "]", label: "']'" });
export const RParen = createToken({ name: "RParen", pattern: ")", label: "')'" });
export const Equals = createToken({ name: "Equals", pattern: "=", label: "'='" });
export const Colon = createToken({ name: "Colon", pattern: ":", label: "':'" });
export const Comma = createToken({ name: "Comma", pattern: ",", label: "','" });

/**
 * Finds the end of a parenthesised group starting at `offset`, skipping single- and
 * double-quoted strings; -1 when the group is not closed.
 */
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

/** Keys whose value may be a bare SQL-like condition in parentheses. */
const conditionKeys = new Set(["filter", "where"]);

const matchCondition: CustomPatternMatcherFunc = (text, offset, matchedTokens: IToken[]) => {
  if (text[offset] !== "(") return null;
  const previous = matchedTokens[matchedTokens.length - 1];
  const key = matchedTokens[matchedTokens.length - 2];
  if (previous?.tokenType !== Equals || !key || !conditionKeys.has(key.image)) return null;
  let end = balancedGroupEnd(text, offset);
  if (end < 0) {
    // An unclosed quote inside: take the rest of the line up to its last ')', so the filter
    // parser can say which string is open instead of the lexer failing on the quote.
    const lineEnd = text.indexOf("\n", offset);
    const line = text.slice(offset, lineEnd < 0 ? undefined : lineEnd);
    const close = line.lastIndexOf(")");
    if (close <= 0) return null;
    end = offset + close + 1;
  }
  const match = [text.slice(offset, end)] as unknown as RegExpExecArray;
  return match;
};

/**
 * A row filter written as a bare condition, `filter = (status = 'paid' AND total > 10)`.
 * The whole parenthesised text is one token; the compiler parses it with its own
 * expression grammar so errors point inside it.
 */
export const Condition = createToken({
  name: "Condition",
  pattern: { exec: matchCondition },
  line_breaks: true,
  start_chars_hint: ["("],
  label: "a condition in parentheses",
});
export const LParen = createToken({ name: "LParen", pattern: "(", label: "'('" });

export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\n\r]|\\.)*"/,
  label: "a string",
});
/** A number glued to a unit: durations (720m, 1h30m) and sizes (64MiB). */
export const Quantity = createToken({ name: "Quantity", pattern: /-?\d+(?:\.\d+)?[A-Za-z]+(?:\d+(?:\.\d+)?[A-Za-z]+)*/, label: "a duration or size" });
export const NumberLiteral = createToken({ name: "NumberLiteral", pattern: /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/, label: "a number", longer_alt: Quantity });
/** Names, enum words and function names; hyphens allowed so `dts-avro` is one word. */
export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_-]*/, label: "a name" });

// Order matters: Condition is tried before LParen; NumberLiteral hands over to Quantity
// through longer_alt when a unit follows the digits.
export const allTokens = [
  WhiteSpace,
  BlockComment,
  LineComment,
  LCurly,
  RCurly,
  LBracket,
  RBracket,
  Condition,
  LParen,
  RParen,
  Equals,
  Colon,
  Comma,
  StringLiteral,
  NumberLiteral,
  Quantity,
  Identifier,
];

export const dtsLexer = new Lexer(allTokens, { positionTracking: "full", ensureOptimizations: false });
