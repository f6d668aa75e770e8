// One test file: analyse it, compile the specs it tests, run each case against its pipeline.
// Problems in the test file or the specs are diagnostics; a case with a problem inside it is an
// error, and the others still run.
import { compile, DiagnosticBag, sortDiagnostics, type Diagnostic, type ExecutionPlan, type Pipeline, type Span } from "../compiler/index.js";
import { selectPipelines } from "../plan/index.js";
import { analyzeTestFile } from "./analyze.js";
import type { ActualMessage, Failure } from "./compare.js";
import type { TestCase, TestFile } from "./model.js";
import { runCase } from "./run-case.js";

export interface CaseReport {
  file: string;
  name: string;
  span: Span;
  status: "passed" | "failed" | "error";
  failures: Failure[];
  /** Null when the case did not run. */
  actual: ActualMessage[] | null;
  testCase: TestCase;
  pipeline: Pipeline | null;
}

export interface FileReport {
  test: TestFile;
  cases: CaseReport[];
  diagnostics: Diagnostic[];
  /** Texts of the files the diagnostics point into. */
  texts: Map<string, string>;
}

/** Reads a spec file; null when it cannot be read (reported at the test file's `specs`). */
export type ReadSpec = (path: string) => string | null;

const inside = (d: Diagnostic, span: Span) => d.span.file === span.file && d.span.offset >= span.offset && d.span.endOffset <= span.endOffset;

function compileSpecs(test: TestFile, readSpec: ReadSpec, bag: DiagnosticBag, texts: Map<string, string>): ExecutionPlan | null {
  const sources = [];
  for (const path of test.specs) {
    const text = readSpec(path);
    const where = test.specsSpan ?? test.parsed.source.span(0, 0);
    if (text === null) bag.report("missingAttribute", where, `cannot read the spec ${path} that this test file tests`, test.specsSpan ? "name spec files relative to this file" : "put the test beside its spec (orders.test.dts tests orders.dts), or name the specs: specs = [\"orders.dts\"]");
    else sources.push({ file: path, text });
  }
  if (sources.length !== test.specs.length || sources.length === 0) return null;
  for (const s of sources) texts.set(s.file, s.text);
  const result = compile(sources);
  bag.items.push(...result.diagnostics);
  return result.plan;
}

function pipelineFor(testCase: TestCase, plan: ExecutionPlan, bag: DiagnosticBag): Pipeline | null {
  const selection = selectPipelines(plan, testCase.pipeline, { single: true });
  if (selection.ok) return plan.pipelines[selection.indexes[0] as number] as Pipeline;
  bag.report("unknownWord", testCase.pipelineSpan, selection.message, testCase.pipeline === null ? 'name one: pipeline = "name"' : undefined);
  return null;
}

async function runOne(testCase: TestCase, plan: ExecutionPlan | null, file: string, bag: DiagnosticBag): Promise<CaseReport> {
  const report: CaseReport = { file, name: testCase.name, span: testCase.span, status: "error", failures: [], actual: null, testCase, pipeline: null };
  if (!plan || bag.items.some((d) => d.severity === "error" && inside(d, testCase.block.span))) return report;
  const pipeline = (report.pipeline = pipelineFor(testCase, plan, bag));
  if (!pipeline) return report;
  try {
    const outcome = await runCase(testCase, pipeline, bag);
    report.actual = outcome.actual;
    report.failures = outcome.failures;
    report.status = outcome.actual === null ? "error" : outcome.failures.length ? "failed" : "passed";
  } catch (error) {
    // What the runtime refuses (a filter over a column the table lacks, ...) is the case's error.
    bag.report("wrongType", testCase.span, `the pipeline cannot process this case: ${error instanceof Error ? error.message : String(error)}`, "check the case's tables against the spec");
  }
  return report;
}

export async function runTestFile(file: string, text: string, readSpec: ReadSpec): Promise<FileReport> {
  const bag = new DiagnosticBag();
  const test = analyzeTestFile(file, text, bag);
  const texts = new Map([[file, text]]);
  const plan = bag.hasErrors && test.cases.length === 0 ? null : compileSpecs(test, readSpec, bag, texts);
  const cases: CaseReport[] = [];
  for (const testCase of test.cases) cases.push(await runOne(testCase, plan, file, bag));
  if (!bag.hasErrors && test.cases.length === 0 && !test.parsed.hasSyntaxErrors) bag.report("noPipelines", test.parsed.source.span(0, 0), "this test file holds no test blocks", 'add test "name" { ... }');
  return { test, cases, diagnostics: sortDiagnostics(bag.items), texts };
}
