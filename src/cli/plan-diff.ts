// dts plan --diff BASE [specs...]: compile the specs as they are and as they were in BASE (a
// spec file or folder, or a git revision), and list what the change does to consumers.
import { existsSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { compile, diagnosticFormats, renderDiagnostics, type CompileOptions, type DiagnosticFormat } from "../compiler/index.js";
import { diffPlans, reaches, renderChanges, renderMarkdown, type ChangeFormat, type PlanSide, type Severity } from "../plan-diff/index.js";
import { ExitCode, UsageError } from "./command.js";
import { isRevision, readSpecsAtRevision } from "./spec-revision.js";
import { readSpecFiles, requirePipeline, type SpecFile } from "./spec-files.js";
import { printableJsonText, printableLines } from "../runtime/index.js";

export interface PlanDiffOptions {
  format: ChangeFormat;
  failOn: Severity | undefined;
  pipeline: string | undefined;
  compile: CompileOptions;
}

/** Where git looks for BASE: the folder of the first spec named (or the current one). */
function repositoryOf(paths: string[]): string {
  const first = paths[0] ?? ".";
  return statSync(first, { throwIfNoEntry: false })?.isDirectory() ? first : dirname(first);
}

function readBase(base: string, paths: string[]): { files: SpecFile[]; label: string } {
  if (existsSync(base)) return { files: readSpecFiles([base]), label: `the base ${base}` };
  if (!isRevision(base, repositoryOf(paths))) throw new UsageError(`--diff ${base}: no such spec file or folder, and not a git revision here`);
  return { files: readSpecsAtRevision(base, paths), label: `the base (${base})` };
}

/** Compiles one side; on errors prints its diagnostics under a line naming the side. */
function compileSide(files: SpecFile[], label: string, options: PlanDiffOptions): PlanSide | null {
  const result = compile(files, options.compile);
  if (result.plan) return { plan: result.plan, locations: result.locations, literalSecrets: result.literalSecrets };
  const format: DiagnosticFormat = (diagnosticFormats as readonly string[]).includes(options.format) ? (options.format as DiagnosticFormat) : "text";
  if (format === "text") process.stderr.write(`${label} does not compile:\n`);
  process.stderr.write(renderDiagnostics(result.diagnostics, format, new Map(files.map((f) => [f.file, f.text]))));
  return null;
}

export function runPlanDiff(base: string, specPaths: string[], options: PlanDiffOptions): number {
  const paths = specPaths.length ? specPaths : ["."];
  const next = readSpecFiles(paths);
  const before = readBase(base, paths);
  const baseSide = compileSide(before.files, before.label, options);
  const nextSide = compileSide(next, `the new side (${paths.join(", ")})`, options);
  if (!baseSide || !nextSide) return ExitCode.failure;
  const name = options.pipeline;
  if (name !== undefined && !baseSide.plan.pipelines.some((p) => p.name === name)) requirePipeline(nextSide.plan, name);
  const changes = diffPlans(baseSide, nextSide).filter((c) => name === undefined || c.pipeline === name);
  const output = options.format === "markdown" ? renderMarkdown(changes) : renderChanges(changes, options.format);
  process.stdout.write(options.format === "json" ? printableJsonText(output) : printableLines(output));
  return options.failOn && reaches(changes, options.failOn) ? ExitCode.failure : ExitCode.ok;
}
