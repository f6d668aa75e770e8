// Positions as an editor shows them: lines end at \n, \r\n or a lone \r, a byte-order mark is not
// a column, and a column is a Unicode code point. Offsets stay UTF-16 indexes into the text as read.
import { describe, expect, it } from "vitest";
import { compile, renderDiagnostics } from "../../src/compiler/index.js";
import { SourceText } from "../../src/compiler/source-text.js";

type Range = [line: number, column: number, endLine: number, endColumn: number];

/** [what, text, the substring to span, its expected range] */
const ranges: [string, string, string, Range][] = [
  ["\\n", "a\nbc\ndef", "def", [3, 1, 3, 4]],
  ["\\r\\n", "a\r\nbc\r\ndef", "def", [3, 1, 3, 4]],
  ["lone \\r (classic Mac)", "a\rbc\rdef", "def", [3, 1, 3, 4]],
  ["mixed endings", "a\r\nb\rc\nd", "d", [4, 1, 4, 2]],
  ["a span across \\r\\n", "ab\r\ncd", "b\r\nc", [1, 2, 2, 2]],
  ["a BOM before line 1", "\uFEFFpipeline", "pipeline", [1, 1, 1, 9]],
  ["a BOM and line 2", "\uFEFFa\nbc", "bc", [2, 1, 2, 3]],
  ["after an emoji", 'x = "😀" y', "y", [1, 9, 1, 10]],
  ["an emoji itself", 'x = "😀" y', "😀", [1, 6, 1, 7]],
  ["after a flag (two code points)", '"🇩🇪" = 1', "=", [1, 6, 1, 7]],
  ["after CJK", "名前 = 1", "=", [1, 4, 1, 5]],
  ["after a BOM and an emoji", "\uFEFF😀 z", "z", [1, 3, 1, 4]],
];

describe("SourceText positions", () => {
  it.each(ranges)("%s", (_, text, needle, expected) => {
    const start = text.indexOf(needle);
    const span = new SourceText("f.dts", text).span(start, start + needle.length);
    expect([span.line, span.column, span.endLine, span.endColumn]).toEqual(expected);
    // Offsets index the text as read, BOM and surrogate pairs included.
    expect(text.slice(span.offset, span.endOffset)).toBe(needle);
  });

  it("does not widen an empty span over a line break, and widens over a whole emoji", () => {
    const source = new SourceText("f.dts", "a\rb😀");
    expect(source.span(1, 1)).toMatchObject({ offset: 1, endOffset: 1 });
    expect(source.span(3, 3)).toMatchObject({ offset: 3, endOffset: 5, column: 2, endColumn: 3 });
  });

  it("lines and their bounds without the line break", () => {
    const source = new SourceText("f.dts", "\uFEFFab\r\ncd\rx\n");
    expect(source.lineCount).toBe(4);
    expect([1, 2, 3, 4].map((line) => source.lineBounds(line))).toEqual([
      { start: 1, end: 3 },
      { start: 5, end: 7 },
      { start: 8, end: 9 },
      { start: 10, end: 10 },
    ]);
  });
});

/** [what, spec text, the code of the diagnostic, its expected range] */
const diagnostics: [string, string, string, Range][] = [
  ["CR-only line endings", 'pipeline "p" {\r  partiton = x\r}\r', "DTS2001", [2, 3, 2, 11]],
  ["CRLF line endings", 'pipeline "p" {\r\n  partiton = x\r\n}\r\n', "DTS2001", [2, 3, 2, 11]],
  ["a BOM", '\uFEFFpipelin "p" {}\n', "DTS2002", [1, 1, 1, 8]],
  ["an emoji earlier on the line", 'pipeline "p😀" { mode = sideways }\n', "DTS2005", [1, 24, 1, 32]],
  ["an unterminated string before \\r\\n", 'pipeline "p" {\r\n  mode = "sync\r\n}\r\n', "DTS1002", [2, 10, 2, 15]],
];

describe("diagnostic positions", () => {
  it.each(diagnostics)("%s", (_, text, code, expected) => {
    const d = compile([{ file: "f.dts", text }]).diagnostics.find((diagnostic) => diagnostic.code === code);
    expect(d).toBeDefined();
    expect([d!.span.line, d!.span.column, d!.span.endLine, d!.span.endColumn]).toEqual(expected);
  });

  it("prints the right line with the caret under the span in a CR-only file", () => {
    const text = 'pipeline "p" {\r  partiton = x\r}\r';
    const out = renderDiagnostics(compile([{ file: "f.dts", text }]).diagnostics, "text", new Map([["f.dts", text]]));
    expect(out).toContain("f.dts:2:3: error DTS2001");
    expect(out).toContain("   2 |   partiton = x\n     |   ^^^^^^^^\n");
  });

  it("puts the caret under the span after an emoji", () => {
    const text = 'pipeline "p😀" { mode = sideways }\n';
    const out = renderDiagnostics(compile([{ file: "f.dts", text }]).diagnostics, "text", new Map([["f.dts", text]]));
    expect(out).toContain(`   1 | ${text.trimEnd()}\n     | ${" ".repeat(23)}^^^^^^^^\n`);
  });
});
