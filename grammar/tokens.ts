// Tokens of the .dts language. The lexer knows nothing about pipelines: keys, enum words and
// function names are all Identifiers, interpreted by the compiler, so that a typo is a
// "did you mean" diagnostic rather than a syntax error.
import { createToken, Lexer } from "./chevrotain.js";
import { matchCondition } from "./condition-pattern.js";
import { matchString } from "./string-pattern.js";

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
  pattern: { exec: matchString },
  line_breaks: false,
  start_chars_hint: ['"'],
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
