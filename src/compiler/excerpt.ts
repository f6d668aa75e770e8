// The source line under a diagnostic and a caret underline. A line longer than fits is cut to a
// window around the span with … at the cut ends, so a one-line file of megabytes prints a short
// excerpt. Control and bidirectional-override characters are replaced one for one, so the
// excerpt cannot move the terminal's cursor or reorder what the reader sees.
import type { Span } from "./ast.js";
import type { SourceText } from "./source-text.js";

/** Code points of source shown at most; with the gutter and markers a line stays under 200 characters. */
const maxWidth = 160;
/** Code points kept before the span when the line is cut. */
const leadingContext = 40;
const ellipsis = "…";

/** One printed character per source character, so columns still line up with the caret. */
export function printable(text: string): string {
  return text.replace(/\t/g, " ").replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "\uFFFD");
}

const isLowSurrogate = (code: number) => (code & 0xfc00) === 0xdc00;
const isHighSurrogate = (code: number) => (code & 0xfc00) === 0xd800;

/** [start, end) of the part of the line to print: all of it, or a window that holds the span's start. */
function window(source: SourceText, line: { start: number; end: number }, from: number): { start: number; end: number } {
  if (source.codePoints(line.start, line.end) <= maxWidth) return line;
  let start = Math.max(line.start, from - leadingContext);
  let end = Math.min(line.end, start + maxWidth);
  start = Math.max(line.start, end - maxWidth);
  // Never cut a surrogate pair in half.
  if (start > line.start && isLowSurrogate(source.text.charCodeAt(start))) start++;
  if (end < line.end && isHighSurrogate(source.text.charCodeAt(end - 1))) end--;
  return { start, end };
}

/** The two excerpt lines: `  12 | source` and `     |    ^^^`. */
export function excerptLines(source: SourceText, span: Span): [string, string] {
  const lineNumber = Math.min(span.line, source.lineCount);
  const line = source.lineBounds(lineNumber);
  const from = Math.max(line.start, Math.min(span.offset, line.end));
  const to = span.endLine === span.line ? Math.max(from, Math.min(span.endOffset, line.end)) : line.end;
  const shown = window(source, line, from);
  const before = shown.start > line.start ? ellipsis : "";
  const after = shown.end < line.end ? ellipsis : "";
  const text = `${before}${printable(source.text.slice(shown.start, shown.end))}${after}`;
  const lead = before.length + source.codePoints(shown.start, from);
  const width = Math.max(1, source.codePoints(from, Math.min(to, shown.end)));
  const gutter = `${String(lineNumber).padStart(4)} | `;
  return [`${gutter}${text}`, `${" ".repeat(gutter.length - 2)}| ${" ".repeat(lead)}${"^".repeat(width)}`];
}
