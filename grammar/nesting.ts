// How deeply a spec nests blocks, lists, maps and calls. The parser, the CST-to-syntax visitor
// and the formatter each recurse once per level, so a file nested a few hundred levels deep
// would overflow the stack in one of them. One linear pass over the tokens finds the first
// bracket past the limit before any of them runs; real specs nest five or six levels.
import type { IToken, TokenType } from "chevrotain";
import { LBracket, LCurly, LParen, RBracket, RCurly, RParen } from "./tokens.js";

export const maxNestingDepth = 64;

const closerOf = new Map<TokenType, TokenType>([
  [LCurly, RCurly],
  [LBracket, RBracket],
  [LParen, RParen],
]);

/**
 * The first opening bracket that nests deeper than `limit`, or undefined. A closer pops back to
 * its own opener (as the parser's recovery resyncs to it) and a stray closer changes nothing, so
 * the count never falls below the depth the parser reaches.
 */
export function firstTooDeep(tokens: readonly IToken[], limit = maxNestingDepth): IToken | undefined {
  const expectedClosers: TokenType[] = [];
  for (const token of tokens) {
    const closer = closerOf.get(token.tokenType);
    if (closer) {
      if (expectedClosers.length >= limit) return token;
      expectedClosers.push(closer);
      continue;
    }
    const open = expectedClosers.lastIndexOf(token.tokenType);
    if (open >= 0) expectedClosers.length = open;
  }
  return undefined;
}
