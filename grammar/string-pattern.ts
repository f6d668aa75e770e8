// A double-quoted string on one line. A custom matcher rather than a plain regex because of
// unclosed strings: the lexer's error recovery retries at every later offset, and the regex
// would scan to the end of the line again at each escaped quote after the opening one, which is
// quadratic on `"\"\"\"…`. Every '"' that a failed scan passed was escaped (an unescaped one would
// have closed the string), so a scan from it would run in step with the failed one and fail at
// the same place: those offsets are answered without scanning.
import type { CustomPatternMatcherFunc } from "chevrotain";

const closed = /"(?:[^"\\\n\r]|\\.)*"/y;
const unclosed = /"(?:[^"\\\n\r]|\\.)*/y;

let failed = { text: "", from: 0, until: 0 };

export const matchString: CustomPatternMatcherFunc = (text, offset) => {
  if (text === failed.text && offset > failed.from && offset < failed.until) return null;
  closed.lastIndex = offset;
  const match = closed.exec(text);
  if (match) return match;
  unclosed.lastIndex = offset;
  const reach = unclosed.exec(text)?.[0].length ?? 0;
  failed = { text, from: offset, until: offset + reach };
  return null;
};
