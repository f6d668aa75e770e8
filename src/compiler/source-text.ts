// Offsets to 1-based line/column positions for one file.
import type { Span } from "./ast.js";

export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: clamped - (this.lineStarts[low] ?? 0) + 1 };
  }

  /** The span of [start, end); a zero-width span is widened to one character when possible. */
  span(start: number, end: number): Span {
    const from = Math.max(0, Math.min(start, this.text.length));
    let to = Math.max(from, Math.min(end, this.text.length));
    if (to === from && to < this.text.length && this.text[to] !== "\n") to++;
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
