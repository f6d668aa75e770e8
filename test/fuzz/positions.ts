// Where a diagnostic may point. Editors end a line at LF, CRLF or a lone CR; columns may count
// UTF-16 units or code points, with or without a leading byte-order mark. The compiler picks a
// convention; these checks accept any of them and reject a position that fits none.

/** Lines as an editor shows them. */
export function editorLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Whether `offset` falls between the two halves of a surrogate pair (an emoji cut in half). */
export function splitsPair(text: string, offset: number): boolean {
  return (text.charCodeAt(offset - 1) & 0xfc00) === 0xd800 && (text.charCodeAt(offset) & 0xfc00) === 0xdc00;
}

/** The line of `offset` and every column it may be reported as. */
function candidatePositions(text: string, offset: number): { line: number; columns: Set<number> } {
  // An offset between the \r and the \n of a CRLF belongs to no column of its line.
  if (text[offset - 1] === "\r" && text[offset] === "\n") return { line: candidatePositions(text, offset - 1).line, columns: new Set() };
  const before = text.slice(0, offset);
  const breaks = before.match(/\r\n|\r(?!\n)|\n/g) ?? [];
  const lastBreak = Math.max(before.lastIndexOf("\n"), before.lastIndexOf("\r"));
  const lineStart = lastBreak + 1;
  const prefix = text.slice(lineStart, offset);
  const units = prefix.length;
  const codePoints = [...prefix].length;
  const columns = new Set([units + 1, codePoints + 1]);
  if (lineStart === 0 && text.startsWith("\uFEFF") && offset > 0) {
    columns.add(units);
    columns.add(codePoints);
  }
  return { line: breaks.length + 1, columns };
}

/** Whether line:column is `offset` under one of the conventions. */
export function matchesOffset(text: string, offset: number, line: number, column: number): boolean {
  const candidates = candidatePositions(text, offset);
  return candidates.line === line && candidates.columns.has(column);
}

/** `offset` as line:column under each convention, for messages. */
export function positionsOf(text: string, offset: number): string {
  const { line, columns } = candidatePositions(text, offset);
  return columns.size ? [...columns].map((c) => `${line}:${c}`).join(" or ") : `the middle of a CRLF on line ${line}`;
}
