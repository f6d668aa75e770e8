// `dts test --update`: rewrites the expect blocks of cases that failed from the messages they
// produced, laid out as `dts fmt` lays them out; every other byte of the file stays as it was.
// When a case produced as many messages as it expects, only the blocks that differ are
// rewritten; otherwise all of its blocks are. Comments in a rewritten block are kept above it.
// An expectation keeps the fields its author chose to check; a new one gets the format's usual
// fields. Running it twice changes nothing.
import { DiagnosticBag, formatSource, parseFile, type Span } from "../compiler/index.js";
import { actualShape, compareMessages, type ActualMessage } from "./compare.js";
import { dtsText } from "./dts-values.js";
import type { Expectation } from "./model.js";
import { defaultFields } from "./run-case.js";
import type { CaseReport } from "./run-file.js";

interface Edit {
  start: number;
  end: number;
  text: string;
}

function blockText(actual: ActualMessage, e: Expectation | null, fields: readonly string[]): string {
  const shape = actualShape(actual, e, fields);
  const lines = [`expect ${JSON.stringify(actual.topic)} {`];
  for (const name of ["partition", "key", "value"]) if (Object.hasOwn(shape, name)) lines.push(`${name} = ${dtsText(shape[name])}`);
  return `${lines.join("\n")}\n}`;
}

/** The expect blocks for `actual` (paired with the expectations at the same places), formatted, indented by `indent`, each line ending in `eol`. */
function expectBlocks(c: CaseReport, actual: ActualMessage[], expectations: readonly (Expectation | null)[], indent: string, eol: string): string {
  const fields = defaultFields[c.pipeline?.format ?? "dts-avro"];
  const source = actual.map((a, i) => blockText(a, expectations[i] ?? null, fields)).join("\n\n");
  const formatted = formatSource(c.file, `${source}\n`);
  if (!formatted.ok) throw new Error(`dts test --update produced text that does not parse: ${formatted.diagnostics[0]?.message ?? ""}`);
  return indented(formatted.text.split("\n").slice(0, -1), indent, eol);
}

const indented = (lines: string[], indent: string, eol: string) => lines.map((line) => (line === "" ? "" : indent + line) + eol).join("");

const lineStart = (text: string, offset: number) => text.lastIndexOf("\n", offset - 1) + 1;
const indentAt = (text: string, offset: number) => /^[ \t]*/.exec(text.slice(lineStart(text, offset)))?.[0] ?? "";

/** Just past the line break after `offset` (or the end of the text). */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf("\n", offset);
  return newline < 0 ? text.length : newline + 1;
}

/** Runs of expect blocks with only blank space between them, each as one span of whole lines. */
function regions(text: string, spans: Span[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && /^\s*$/.test(text.slice(last.end, span.offset))) last.end = lineEnd(text, span.endOffset);
    else out.push({ start: lineStart(text, span.offset), end: lineEnd(text, span.endOffset) });
  }
  return out;
}

/** The file's comments, to keep those inside blocks that are rewritten. */
type Comments = { text: string; span: Span }[];

/** The comments within text[start, end), each on its own line. */
const commentsIn = (comments: Comments, start: number, end: number) => comments.filter((k) => k.span.offset >= start && k.span.endOffset <= end).map((k) => k.text);

/** Whole lines of the block at `span`. */
const blockLines = (text: string, span: Span) => ({ start: lineStart(text, span.offset), end: lineEnd(text, span.endOffset) });

/** With as many messages as expectations: only the blocks that differ, each in place. */
function blockEdits(text: string, comments: Comments, c: CaseReport, actual: ActualMessage[], eol: string): Edit[] {
  const fields = defaultFields[c.pipeline?.format ?? "dts-avro"];
  return c.testCase.expectations.flatMap((e, i) => {
    const a = actual[i] as ActualMessage;
    if (compareMessages([e], [a], c.testCase.block.span, fields).length === 0) return [];
    const { start, end } = blockLines(text, e.block.span);
    const indent = indentAt(text, start);
    return [{ start, end, text: indented(commentsIn(comments, start, end), indent, eol) + expectBlocks(c, [a], [e], indent, eol) }];
  });
}

function caseEdits(text: string, comments: Comments, c: CaseReport, eol: string): Edit[] {
  const actual = c.actual as ActualMessage[];
  const expectations = c.testCase.expectations;
  if (actual.length > 0 && actual.length === expectations.length) return blockEdits(text, comments, c, actual, eol);
  const caseIndent = indentAt(text, c.testCase.block.span.offset);
  const blocks = expectBlocks(c, actual, expectations, `${caseIndent}  `, eol);
  const found = regions(text, expectations.map((e) => e.block.span));
  if (found.length === 0) {
    if (actual.length === 0) return [];
    // Before the case's closing brace, after a blank line as fmt separates blocks.
    const close = c.testCase.block.span.endOffset - 1;
    const ownLine = /^[ \t]*$/.test(text.slice(lineStart(text, close), close));
    const at = ownLine ? lineStart(text, close) : close;
    return [{ start: at, end: at, text: `${ownLine ? "" : eol}${eol}${blocks}` }];
  }
  const [first, ...rest] = found as [{ start: number; end: number }, ...{ start: number; end: number }[]];
  const kept = indented(found.flatMap((r) => commentsIn(comments, r.start, r.end)), `${caseIndent}  `, eol);
  // With no message left, the blank line that led into the blocks goes too (unless comments stay).
  const lead = actual.length === 0 && kept === "" && /\n[ \t]*\r?\n$/.test(text.slice(0, first.start)) ? lineStart(text, first.start - 1) : first.start;
  const edits: Edit[] = [{ start: lead, end: first.end, text: kept + blocks }];
  for (const r of rest) edits.push({ start: r.start, end: r.end, text: "" });
  return edits;
}

/** The file with the expectations of every case that failed rewritten; cases that passed or did not run keep theirs. */
export function updateExpectations(text: string, cases: CaseReport[]): string {
  const eol = (text.match(/\r\n/g)?.length ?? 0) * 2 > (text.match(/\n/g)?.length ?? 0) ? "\r\n" : "\n";
  const failed = cases.filter((c) => c.actual !== null && c.status === "failed");
  if (failed.length === 0) return text;
  const comments = parseFile(failed[0]?.file ?? "", text, new DiagnosticBag()).syntax.comments;
  const edits = failed.flatMap((c) => caseEdits(text, comments, c, eol));
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}
