// What must hold for every input, however broken: runs inside the sandbox child (sandbox-child.ts)
// so that a hang or a crash in the compiler costs one child process, not the test run. It does
// what `dts check`, `dts plan` and `dts fmt` do with a file and returns what went wrong as short,
// readable violations; the tests only decide which inputs to feed it.
import { compile, diagnosticFormats, Diagnostics, formatSource, renderDiagnostics, type CompileResult, type Diagnostic, type FormatResult, type SourceFile } from "../../src/compiler/index.js";
import { editorLines, matchesOffset, positionsOf, splitsPair } from "./positions.js";
import { commentsOf } from "./rough-tokens.js";
import { cpuMs } from "../cpu-time.js";

export interface FuzzInput {
  files: SourceFile[];
  strict?: boolean;
  /** A password written somewhere in the files; it must not appear in anything printed. */
  secret?: string;
}

/** A diagnostic as `dts check --format json` prints it. */
export interface SeenDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

export interface Outcome {
  violations: string[];
  /** Time of the work a user triggers (compile, three renderings, plan JSON, fmt twice, recompile). */
  ms: number;
  /** The same time by step, to say which one is slow. */
  steps: StepTimes;
  diagnostics: SeenDiagnostic[];
  /** The plan as `dts plan` prints it; null when the compile reported errors. */
  planJson: string | null;
  /** `dts fmt --stdout` per file, null where fmt refused; left out for inputs over 256 KB. */
  formatted: (string | null)[] | null;
}

const catalogCodes = new Set(Object.values(Diagnostics).map((d) => d.code));
/** A compiler bug by the catalog's own words: an internal error, or a plan the schema rejects. */
const bugCodes = new Set([Diagnostics.internalError.code, Diagnostics.planInvalid.code]);
const leakPatterns: [RegExp, string][] = [
  [/^ {4}at .+:\d+:\d+\)?$/m, "a stack trace"],
  [/Maximum call stack/, '"Maximum call stack"'],
  [/Invalid string length/, '"Invalid string length"'],
];

export function excerpt(text: string, max = 160): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max / 2)}…${text.slice(-max / 2)}` : text);
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return excerpt(text, 200);
}

function seen(d: Diagnostic): SeenDiagnostic {
  const { file, line, column, endLine, endColumn } = d.span;
  return { file, line, column, endLine, endColumn, severity: d.severity, code: d.code, message: d.message };
}

function withoutOrigins(planJson: string | null): unknown {
  return planJson === null ? null : JSON.parse(planJson, (key, value: unknown) => (key === "origin" ? undefined : value));
}

export type StepTimes = Record<"compile" | "render" | "fmt" | "recompile", number>;

interface Work {
  steps: StepTimes;
  result?: CompileResult;
  /** Everything printed, by what prints it. */
  rendered: { by: string; text: string }[];
  planJson: string | null;
  formatted: (FormatResult | undefined)[];
  reformatted: (FormatResult | undefined)[];
  recompiled?: CompileResult;
}

/** Everything the CLI would do with the input; each step may throw, which is itself a violation. */
function doWork(input: FuzzInput, violations: string[]): Work {
  const work: Work = { steps: { compile: 0, render: 0, fmt: 0, recompile: 0 }, rendered: [], planJson: null, formatted: [], reformatted: [] };
  const step = <T>(name: string, timeAs: keyof StepTimes, run: () => T): T | undefined => {
    const started = cpuMs();
    try {
      return run();
    } catch (error) {
      violations.push(`${name} threw ${describeError(error)}`);
      return undefined;
    } finally {
      work.steps[timeAs] += cpuMs() - started;
    }
  };
  const options = { strict: input.strict ?? false };
  const texts = new Map(input.files.map((f) => [f.file, f.text]));
  work.result = step("compile()", "compile", () => compile(input.files, options));
  const diagnostics = work.result?.diagnostics ?? [];
  for (const format of diagnosticFormats) {
    const out = step(`rendering diagnostics as ${format}`, "render", () => renderDiagnostics(diagnostics, format, texts));
    if (out !== undefined) work.rendered.push({ by: `dts check --format ${format}`, text: out });
  }
  const plan = work.result?.plan;
  if (plan) work.planJson = step("printing the plan", "render", () => JSON.stringify(plan, null, 2)) ?? null;
  if (work.planJson) work.rendered.push({ by: "dts plan", text: work.planJson });
  for (const file of input.files) {
    const once = step(`fmt of ${file.file}`, "fmt", () => formatSource(file.file, file.text));
    work.formatted.push(once);
    if (once && !once.ok) {
      const out = step(`rendering fmt's diagnostics for ${file.file}`, "render", () => renderDiagnostics(once.diagnostics, "text", texts));
      if (out !== undefined) work.rendered.push({ by: "dts fmt", text: out });
    }
    work.reformatted.push(once?.ok ? step(`fmt of fmt's output for ${file.file}`, "fmt", () => formatSource(file.file, once.text)) : undefined);
  }
  const compiledClean = work.result !== undefined && !work.result.diagnostics.some((d) => d.severity === "error");
  if (compiledClean && work.formatted.every((f) => f?.ok)) {
    const formattedFiles = input.files.map((f, i) => ({ file: f.file, text: (work.formatted[i] as { text: string }).text }));
    work.recompiled = step("compile() of fmt's output", "recompile", () => compile(formattedFiles, options));
  }
  return work;
}

interface Problem {
  /** Problems of one kind are reported once, with a count. */
  kind: string;
  text: string;
}

/** Offsets are compared with positions for the first diagnostics only: each comparison scans the file. */
const diagnosticsComparedWithOffsets = 100;

function checkDiagnostic(d: Diagnostic, index: number, input: FuzzInput, where: string): Problem | undefined {
  const at = `${where} ${d.code} at ${d.span.line}:${d.span.column} (${excerpt(d.message, 120)})`;
  const problem = (kind: string, text: string): Problem => ({ kind: `${where} ${d.code} ${kind}`, text });
  if (bugCodes.has(d.code)) return problem("bug", `${where} reports a compiler bug: ${d.code} at ${d.span.line}:${d.span.column}: ${excerpt(d.message, 200)}`);
  if (!catalogCodes.has(d.code)) return problem("code", `${at} has a code outside the catalog`);
  if (d.severity !== "error" && d.severity !== "warning") return problem("severity", `${at} has severity ${String(d.severity)}`);
  if (typeof d.message !== "string" || d.message.trim() === "") return problem("message", `${at} has no message`);
  const file = input.files.find((f) => f.file === d.span.file);
  if (!file) return problem("file", `${at} names a file that was not compiled: ${d.span.file}`);
  const lines = editorLines(file.text);
  const { line, column, endLine, endColumn, offset, endOffset } = d.span;
  const lineCount = `the file has ${lines.length} line${lines.length === 1 ? "" : "s"}`;
  const isCount = (n: number) => Number.isInteger(n) && n >= 1;
  if (!isCount(line) || line > lines.length) return problem("line", `${at} starts on a line outside the file (${lineCount})`);
  if (!isCount(endLine) || endLine > lines.length) return problem("endLine", `${at} ends on line ${endLine}, outside the file (${lineCount})`);
  const startLength = (lines[line - 1] as string).length;
  if (!isCount(column) || column > startLength + 1) return problem("column", `${at} starts at column ${column} but line ${line} has ${startLength} characters`);
  const endLength = (lines[endLine - 1] as string).length;
  if (!isCount(endColumn) || endColumn > endLength + 1) return problem("endColumn", `${at} ends at ${endLine}:${endColumn} but line ${endLine} has ${endLength} characters`);
  if (endLine < line || (endLine === line && endColumn < column)) return problem("order", `${at} ends (${endLine}:${endColumn}) before it starts`);
  if (!(offset >= 0 && offset <= endOffset && endOffset <= file.text.length)) return problem("offset", `${at} has offsets ${offset}..${endOffset} outside 0..${file.text.length}`);
  if (index >= diagnosticsComparedWithOffsets) return undefined;
  if (splitsPair(file.text, offset) || splitsPair(file.text, endOffset)) return problem("pair", `${at} starts or ends inside a surrogate pair (an emoji cut in half)`);
  if (!matchesOffset(file.text, offset, line, column)) return problem("start", `${at} does not agree with its offset ${offset}, which is at ${positionsOf(file.text, offset)}`);
  if (!matchesOffset(file.text, endOffset, endLine, endColumn)) return problem("end", `${at} ends at ${endLine}:${endColumn}, which does not agree with its end offset ${endOffset} (at ${positionsOf(file.text, endOffset)})`);
  return undefined;
}

/** Characters that move a terminal's cursor or reorder what a reader sees (ESC, CSI, bidi overrides). */
const terminalControls = /[\u001b\u009b\u202a-\u202e\u2066-\u2069]/;

function checkOutputs(work: Work, input: FuzzInput, violations: string[]): void {
  const shown = (o: { by: string; text: string }, at: number) => `${o.by} prints ${excerpt(o.text.slice(Math.max(0, at - 100), at + 60), 240)}`;
  for (const [pattern, what] of leakPatterns) {
    const hit = work.rendered.find((o) => pattern.test(o.text));
    if (hit) violations.push(`the output shows ${what}: ${shown(hit, hit.text.search(pattern))}`);
  }
  const forTerminals = work.rendered.filter((o) => !o.by.includes("json") && o.by !== "dts plan");
  const control = forTerminals.find((o) => terminalControls.test(o.text));
  if (control) violations.push(`the output holds a terminal control character: ${shown(control, control.text.search(terminalControls))}`);
  const secret = input.secret;
  if (secret !== undefined) {
    // The random tail alone is as telling as the whole secret: nothing else could print it.
    const tail = secret.slice(-10);
    const hit = work.rendered.find((o) => o.text.includes(tail));
    if (hit) violations.push(`the secret ${JSON.stringify(secret)} is printed: ${shown(hit, hit.text.indexOf(tail))}`);
  }
}

function checkFormatting(work: Work, input: FuzzInput, violations: string[]): void {
  input.files.forEach((file, i) => {
    const once = work.formatted[i];
    const twice = work.reformatted[i];
    if (!once?.ok || !twice) return;
    if (!twice.ok) violations.push(`fmt's output for ${file.file} does not parse: ${twice.diagnostics.map((d) => `${d.code} at ${d.span.line}:${d.span.column}`).join(", ")}`);
    else if (twice.text !== once.text) violations.push(`fmt is not idempotent on ${file.file}: ${firstDifference(once.text, twice.text)}`);
    const before = commentsOf(file.text);
    const after = commentsOf(once.text);
    const lost = before.find((c, k) => c !== after[k]) ?? (before.length !== after.length ? after[before.length] : undefined);
    if (lost !== undefined) violations.push(`fmt does not keep the comments of ${file.file} (${before.length} before, ${after.length} after; first difference: ${excerpt(lost, 80)})`);
  });
  const result = work.result;
  if (!result || result.diagnostics.some((d) => d.severity === "error")) return;
  const refused = input.files.filter((_, i) => !work.formatted[i]?.ok).map((f) => f.file);
  if (refused.length) violations.push(`fmt refuses ${refused.join(", ")}, which compile${refused.length === 1 ? "s" : ""} without errors`);
  const again = work.recompiled;
  if (!again) return;
  const before = withoutOrigins(work.planJson);
  const after = withoutOrigins(again.plan ? JSON.stringify(again.plan) : null);
  if (JSON.stringify(after) !== JSON.stringify(before)) violations.push(`fmt changes the plan: ${firstDifference(JSON.stringify(before), JSON.stringify(after))}`);
  const codes = (r: CompileResult) => r.diagnostics.map((d) => d.code).join(" ");
  if (codes(again) !== codes(result)) violations.push(`fmt changes the diagnostics from [${codes(result)}] to [${codes(again)}]`);
}

export function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 40);
  return `first difference at character ${i}: ${excerpt(a.slice(from, i + 40), 100)} vs ${excerpt(b.slice(from, i + 40), 100)}`;
}

/** Runs the input once, timed, and checks every invariant but the time bound, which sandbox.ts checks. */
export function checkInput(input: FuzzInput): Outcome {
  const violations: string[] = [];
  const started = cpuMs();
  const work = doWork(input, violations);
  const ms = cpuMs() - started;
  const diagnostics = work.result?.diagnostics ?? [];
  const fmtDiagnostics = work.formatted.flatMap((f) => (f && !f.ok ? f.diagnostics : []));
  // One line per kind of problem keeps a report about 10,000 bad diagnostics readable.
  const problems = new Map<string, { text: string; count: number }>();
  const note = (problem: Problem | undefined) => {
    if (!problem) return;
    const known = problems.get(problem.kind);
    if (known) known.count++;
    else problems.set(problem.kind, { text: problem.text, count: 1 });
  };
  diagnostics.forEach((d, i) => note(checkDiagnostic(d, i, input, "compile()")));
  fmtDiagnostics.forEach((d, i) => note(checkDiagnostic(d, i, input, "fmt")));
  for (const { text, count } of problems.values()) violations.push(count > 1 ? `${text} (and ${count - 1} more like it)` : text);
  checkOutputs(work, input, violations);
  checkFormatting(work, input, violations);
  const total = input.files.reduce((n, f) => n + f.text.length, 0);
  const formatted = total > 256 * 1024 ? null : work.formatted.map((f) => (f?.ok ? f.text : null));
  return { violations, ms, steps: work.steps, diagnostics: diagnostics.slice(0, 200).map(seen), planJson: work.planJson, formatted };
}

/** Only the time of the work, for growth measurements; the checks above would distort it. */
export function timeInput(input: FuzzInput): { ms: number; steps: StepTimes } {
  const started = cpuMs();
  const { steps } = doWork(input, []);
  return { ms: cpuMs() - started, steps };
}
