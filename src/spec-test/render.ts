// `dts test` output: text (a line per case, a readable diff per failure), JSON for tools and
// GitHub annotations, each closing with the count. Diagnostics print as `dts check` prints them.
import { flatten, renderDiagnostics, renderText, type Diagnostic } from "../compiler/index.js";
import type { Failure } from "./compare.js";
import type { CaseReport, FileReport } from "./run-file.js";

export type TestFormat = "text" | "json" | "github";
export const testFormats: readonly TestFormat[] = ["text", "json", "github"];

const where = (s: { file: string; line: number; column: number }) => `${s.file}:${s.line}:${s.column}`;

/** Lines of `a` and `b` as a diff: a longest common subsequence, the rest marked - and +. */
export function lineDiff(a: string[], b: string[]): string[] {
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i++]}`);
      j++;
    }
    else if (j >= b.length || (i < a.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  return out;
}

const jsonLines = (value: unknown) => (value === null ? [] : JSON.stringify(value, null, 2).split("\n"));

/** In a long diff, unchanged runs longer than twice the context shrink to their ends around a `…`. */
function collapse(diff: string[], context = 3): string[] {
  if (diff.length <= 40) return diff;
  const out: string[] = [];
  for (let i = 0; i < diff.length; ) {
    let end = i;
    while (end < diff.length && (diff[end] as string).startsWith("  ")) end++;
    if (end - i > 2 * context + 1) out.push(...diff.slice(i, i + (i === 0 ? 1 : context)), "  …", ...diff.slice(end - (end === diff.length ? 1 : context), end));
    else out.push(...diff.slice(i, end));
    for (i = end; i < diff.length && !(diff[i] as string).startsWith("  "); i++) out.push(diff[i] as string);
  }
  return out;
}

export function renderFailure(failure: Failure): string {
  const lines = [`  ${where(failure.span)}: ${failure.message}`, "    (- expected, + actual)"];
  for (const line of collapse(lineDiff(jsonLines(failure.expected), jsonLines(failure.actual)))) lines.push(`    ${line}`);
  return lines.join("\n");
}

function caseLine(c: CaseReport): string {
  const label = { passed: "PASS", failed: "FAIL", error: "ERROR" }[c.status];
  return `${label} ${where(c.span)}: ${JSON.stringify(c.name)}`;
}

export function summaryLine(reports: FileReport[]): string {
  const cases = reports.flatMap((r) => r.cases);
  const passed = cases.filter((c) => c.status === "passed").length;
  // A file that does not compile runs no case: said here, so "0 failed" does not read as success.
  const broken = reports.filter((r) => r.diagnostics.some((d) => d.severity === "error")).length;
  return `${passed} passed, ${cases.length - passed} failed${broken > 0 ? `, ${broken} file${broken > 1 ? "s" : ""} with errors` : ""}`;
}

function allDiagnostics(reports: FileReport[]): { diagnostics: Diagnostic[]; texts: Map<string, string> } {
  const texts = new Map<string, string>();
  for (const r of reports) for (const [file, text] of r.texts) texts.set(file, text);
  // A spec tested by several files is compiled once per file: show each of its diagnostics once.
  const seen = new Set<string>();
  const diagnostics = reports.flatMap((r) => r.diagnostics).filter((d) => {
    const id = `${d.span.file}:${d.span.offset}:${d.span.endOffset}:${d.code}:${d.message}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
  return { diagnostics, texts };
}

function renderTextReport(reports: FileReport[]): string {
  const blocks: string[] = [];
  for (const c of reports.flatMap((r) => r.cases)) blocks.push([caseLine(c), ...c.failures.map(renderFailure)].join("\n"));
  const { diagnostics, texts } = allDiagnostics(reports);
  if (diagnostics.length) blocks.push(renderText(diagnostics, texts));
  blocks.push(summaryLine(reports));
  return `${blocks.join("\n")}\n`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

function renderGithubReport(reports: FileReport[]): string {
  const out: string[] = [];
  for (const c of reports.flatMap((r) => r.cases)) {
    for (const f of c.failures) {
      const diff = lineDiff(jsonLines(f.expected), jsonLines(f.actual)).join("\n");
      out.push(`::error file=${escapeProperty(f.span.file)},line=${f.span.line},col=${f.span.column},endLine=${f.span.endLine},endColumn=${f.span.endColumn},title=dts test::${escapeData(`test ${JSON.stringify(c.name)}: ${f.message}\n${diff}`)}`);
    }
  }
  const { diagnostics, texts } = allDiagnostics(reports);
  const annotations = renderDiagnostics(diagnostics, "github", texts);
  return `${[...out, ...(annotations ? [annotations.trimEnd()] : []), summaryLine(reports)].join("\n")}\n`;
}

function renderJsonReport(reports: FileReport[]): string {
  const cases = reports.flatMap((r) => r.cases);
  const { diagnostics } = allDiagnostics(reports);
  const passed = cases.filter((c) => c.status === "passed").length;
  const json = {
    cases: cases.map((c) => ({
      file: c.file, line: c.span.line, column: c.span.column, name: c.name, pipeline: c.pipeline?.name ?? null, status: c.status,
      failures: c.failures.map((f) => ({ file: f.span.file, line: f.span.line, column: f.span.column, message: f.message, expected: f.expected, actual: f.actual })),
    })),
    diagnostics: diagnostics.map(flatten),
    passed,
    failed: cases.length - passed,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export function renderReports(reports: FileReport[], format: TestFormat): string {
  if (format === "json") return renderJsonReport(reports);
  if (format === "github") return renderGithubReport(reports);
  return renderTextReport(reports);
}
