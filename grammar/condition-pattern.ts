// Where a bare condition (`filter = (status = 'paid')`) ends: the ')' that balances its '(',
// skipping quoted strings. The lexer asks at every '(' after `filter =`, and error recovery asks
// again after each failure, so a plain scan to the end of the text per question is quadratic on
// a file of unclosed conditions. Answers are kept for one lexing run instead:
// - a scan that fails has matched every '(' it passed outside quotes, and a later condition
//   starting at one of those would scan in step with it (same quote state), so it gets that
//   answer without scanning;
// - a later '(' that the failed scan passed inside a quote scans afresh. Quote states move in
//   step from then on and there are only three ("outside", "in '", 'in "'), so at most three
//   failed scans per run reach the end of the text.
import type { CustomPatternMatcherFunc, IToken } from "chevrotain";

const singleQuote = 39;
const doubleQuote = 34;
const openParen = 40;
const closeParen = 41;

/** What the scans of one lexing run found, for the text of that run. */
class ConditionExtents {
  /** '(' offset → offset just past its ')', or -1 when it is never closed. */
  readonly #ends = new Map<number, number>();
  #line = { from: -1, end: -1, lastClose: -1 };

  /** The offset just past the ')' that closes the '(' at `offset`, or -1. */
  groupEnd(text: string, offset: number): number {
    return this.#ends.get(offset) ?? this.#scan(text, offset);
  }

  #scan(text: string, offset: number): number {
    const open: number[] = [];
    for (let i = offset; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === singleQuote || ch === doubleQuote) {
        const close = text.indexOf(text[i] as string, i + 1);
        if (close < 0) break;
        i = close;
      } else if (ch === openParen) {
        open.push(i);
      } else if (ch === closeParen) {
        const start = open.pop() as number;
        if (open.length === 0) return i + 1;
        this.#ends.set(start, i + 1);
      }
    }
    for (const start of open) this.#ends.set(start, -1);
    return -1;
  }

  /** The last ')' after `offset` on its line, or -1; one backward scan per line. */
  lastCloseOnLine(text: string, offset: number): number {
    const line = this.#line;
    if (offset < line.from || offset >= line.end) {
      const newline = text.indexOf("\n", offset);
      const end = newline < 0 ? text.length : newline;
      let lastClose = -1;
      for (let i = end - 1; i > offset; i--) {
        if (text.charCodeAt(i) === closeParen) {
          lastClose = i;
          break;
        }
      }
      this.#line = { from: offset, end, lastClose };
    }
    return this.#line.lastClose > offset ? this.#line.lastClose : -1;
  }
}

/** Keyed by the run's token array, which Chevrotain passes to every call of one run. */
const runs = new WeakMap<IToken[], ConditionExtents>();

/** Keys whose value may be a bare SQL-like condition in parentheses. */
const conditionKeys = new Set(["filter", "where"]);

export const matchCondition: CustomPatternMatcherFunc = (text, offset, matchedTokens: IToken[]) => {
  if (text.charCodeAt(offset) !== openParen) return null;
  const previous = matchedTokens[matchedTokens.length - 1];
  const key = matchedTokens[matchedTokens.length - 2];
  if (previous?.tokenType.name !== "Equals" || !key || !conditionKeys.has(key.image)) return null;
  let extents = runs.get(matchedTokens);
  if (!extents) runs.set(matchedTokens, (extents = new ConditionExtents()));
  let end = extents.groupEnd(text, offset);
  if (end < 0) {
    // An unclosed quote inside: take the rest of the line up to its last ')', so the filter
    // parser can say which string is open instead of the lexer failing on the quote.
    const close = extents.lastCloseOnLine(text, offset);
    if (close < 0) return null;
    end = close + 1;
  }
  return [text.slice(offset, end)] as unknown as RegExpExecArray;
};
