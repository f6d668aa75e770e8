// Offsets to 1-based line/column positions for one file, as editors count them: a line ends at
// \n, \r\n or a lone \r; a leading byte-order mark is not part of line 1; a column counts Unicode
// code points, so an emoji is one column although it is two UTF-16 units. Offsets stay 0-based
// UTF-16 indexes into the text as read (BOM included), so text.slice(offset, endOffset) is always
// the spanned source. Both tables are built in one pass, so every position costs a binary search
// instead of a scan of the file.
import type { Span } from "./ast.js";

export const byteOrderMark = "\uFEFF";

/** Index of the first entry in the sorted `values` that is >= `target`. */
function lowerBound(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((values[mid] as number) < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

function isLineBreak(code: number): boolean {
  return code === 10 || code === 13;
}

export class SourceText {
  /** Offset where each line starts; line 1 starts after the BOM. */
  private readonly lineStarts: number[];
  /** Offsets of the first unit of every surrogate pair: the only places where units and code points differ. */
  private readonly pairStarts: number[] = [];
  /** 1 when the text starts with a byte-order mark, else 0. */
  readonly contentStart: number;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.contentStart = text.startsWith(byteOrderMark) ? 1 : 0;
    this.lineStarts = [this.contentStart];
    for (let i = this.contentStart; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10 || (code === 13 && text.charCodeAt(i + 1) !== 10)) this.lineStarts.push(i + 1);
      else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) this.pairStarts.push(i++);
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  private clamp(offset: number): number {
    return Math.max(this.contentStart, Math.min(offset, this.text.length));
  }

  /** The 1-based line holding `offset`. */
  lineAt(offset: number): number {
    return lowerBound(this.lineStarts, this.clamp(offset) + 1);
  }

  /** [start, end) of a 1-based line, without its line break. */
  lineBounds(line: number): { start: number; end: number } {
    const index = Math.max(0, Math.min(line, this.lineStarts.length) - 1);
    const start = this.lineStarts[index] as number;
    let end = this.lineStarts[index + 1] ?? this.text.length;
    while (end > start && isLineBreak(this.text.charCodeAt(end - 1))) end--;
    return { start, end };
  }

  /** Code points in [start, end): units minus the surrogate pairs wholly inside. */
  codePoints(start: number, end: number): number {
    if (end <= start) return 0;
    return end - start - (lowerBound(this.pairStarts, end - 1) - lowerBound(this.pairStarts, start));
  }

  position(offset: number): { line: number; column: number } {
    const clamped = this.clamp(offset);
    const line = this.lineAt(clamped);
    return { line, column: this.codePoints(this.lineStarts[line - 1] as number, clamped) + 1 };
  }

  /** The span of [start, end); a zero-width span is widened to one character when possible. */
  span(start: number, end: number): Span {
    const from = this.clamp(start);
    let to = Math.max(from, this.clamp(end));
    if (to === from && to < this.text.length && !isLineBreak(this.text.charCodeAt(to))) to += this.pairStarts[lowerBound(this.pairStarts, to)] === to ? 2 : 1;
    const a = this.position(from);
    const b = this.position(to);
    return { file: this.file, line: a.line, column: a.column, offset: from, endLine: b.line, endColumn: b.column, endOffset: to };
  }
}

/** The smallest span covering both. */
export function joinSpans(a: Span, b: Span): Span {
  const first = a.offset <= b.offset ? a : b;
  const last = a.endOffset >= b.endOffset ? a : b;
  return { ...first, endLine: last.endLine, endColumn: last.endColumn, endOffset: last.endOffset };
}
