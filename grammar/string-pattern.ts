// A double-quoted string on one line. A custom matcher rather than a plain regex because of
// unclosed strings: the lexer's error recovery retries at every later offset, and the regex
// would scan to the end of the line again at each escaped quote after the opening one, which is
// quadratic on `"\"\"\"…`. Every '"' that a failed scan passed was escaped (an unescaped one would
// have closed the string), so a scan from it would run in step with the failed one and fail at
// the same place: those offsets are answered without scanning. The last failure is kept per
// lexing run, keyed by the run's token array.
import type { CustomPatternMatcherFunc, IToken } from "chevrotain";

const closed = /"(?:[^"\\\n\r]|\\.)*"/y;
const unclosed = /"(?:[^"\\\n\r]|\\.)*/y;

const lastFailure = new WeakMap<IToken[], { from: number; until: number }>();

export const matchString: CustomPatternMatcherFunc = (text, offset, matchedTokens: IToken[]) => {
  const failed = lastFailure.get(matchedTokens);
  if (failed && offset > failed.from && offset < failed.until) return null;
  closed.lastIndex = offset;
  const match = closed.exec(text);
  if (match) return match;
  unclosed.lastIndex = offset;
  const reach = unclosed.exec(text)?.[0].length ?? 0;
  lastFailure.set(matchedTokens, { from: offset, until: offset + reach });
  return null;
};
