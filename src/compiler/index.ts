// The compiler's only entry: .dts sources in, a validated ExecutionPlan and diagnostics out.
// compile() never throws on user input.
import type { Item } from "./ast.js";
import { checkSelection } from "./checks/selection.js";
import { checkPipelineNames, checkServerIds, checkTopics } from "./checks/topology.js";
import { checkGroupMode } from "./checks/group-mode.js";
import { DecodeContext } from "./analyze/context.js";
import { decodePipeline } from "./analyze/pipeline.js";
import { DiagnosticBag, Diagnostics, didYouMean, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { emitPlan, planLocations, type EmitInput } from "./emit.js";
import { parseFile, type ParsedFile } from "./parse.js";
import type { ExecutionPlan, SourceLocation } from "../generated/plan.js";
import { validatePlan } from "./validate-plan.js";

export type * from "../generated/plan.js";
export type { Diagnostic, Severity } from "./diagnostics.js";
export type { Span } from "./ast.js";
export { Diagnostics } from "./diagnostics.js";
export { validatePlan, type PlanValidationError, type PlanValidationResult } from "./validate-plan.js";
export { formatSource, type FormatResult } from "./format.js";
export { renderDiagnostics, renderText, flatten, diagnosticFormats, type DiagnosticFormat, type FlatDiagnostic } from "./render-diagnostics.js";
// For languages of the same family (`dts test` files): the parser, the diagnostics and the body reader.
export type { Attribute, Block, CallValue, Item, ListValue, MapValue, StringValue, Value } from "./ast.js";
export { parseFile, type ParsedFile } from "./parse.js";
export { DiagnosticBag, sortDiagnostics } from "./diagnostics.js";
export { Body, type BodyShape } from "./analyze/body.js";

export interface SourceFile {
  file: string;
  text: string;
}

export interface CompileOptions {
  /** Treat warnings about literal secrets as errors (CI). */
  strict?: boolean;
  /** The specs are run by a group of workers (`dts run --group`): every pipeline needs a checkpoint topic. */
  group?: boolean;
}

export interface CompileResult {
  /** Null when any error was reported. */
  plan: ExecutionPlan | null;
  diagnostics: Diagnostic[];
  /** Values of passwords written as literals, keyed by the JSON pointer of their SecretRef in the plan. Never print these. */
  literalSecrets: Record<string, string>;
  /**
   * Where the spec wrote each plan value, keyed by JSON pointer (`/pipelines/0/format`); a value
   * left to its default has no entry. For tools that point into specs, such as plan --diff.
   */
  locations: Record<string, SourceLocation>;
}

function topLevelPipelines(items: Item[], bag: DiagnosticBag) {
  return items.filter((item) => {
    if (item.kind === "block" && item.type.name === "pipeline") return true;
    const name = item.kind === "block" ? item.type : item.name;
    const hint = didYouMean(name.name, ["pipeline"]) ?? 'a .dts file holds pipeline "name" { ... } blocks';
    bag.report(item.kind === "block" ? "unknownBlock" : "unknownAttribute", name.span, `unexpected ${item.kind} ${name.name} at the top level`, hint);
    return false;
  });
}

function decodeAll(parsed: ParsedFile[], bag: DiagnosticBag): EmitInput[] {
  const pipelines: EmitInput[] = [];
  for (const file of parsed) {
    if (file.hasSyntaxErrors) continue;
    for (const block of topLevelPipelines(file.syntax.items, bag)) {
      if (block.kind !== "block") continue;
      const ctx = new DecodeContext(bag);
      const decoded = decodePipeline(ctx, block, file.source);
      if (!decoded) continue;
      checkSelection(decoded.rules, bag);
      pipelines.push({ decoded, secrets: ctx.literalSecrets, block });
    }
  }
  return pipelines;
}

function compileChecked(sources: SourceFile[], options: CompileOptions, bag: DiagnosticBag): CompileResult {
  const parsed = sources.map((s) => parseFile(s.file, s.text, bag));
  const pipelines = decodeAll(parsed, bag);
  const decoded = pipelines.map((p) => p.decoded);
  checkPipelineNames(decoded, bag);
  checkServerIds(decoded, bag);
  checkTopics(decoded, bag);
  if (options.group) checkGroupMode(pipelines.map((p) => p.decoded), bag);
  const first = parsed[0];
  if (first && !bag.items.length && pipelines.length === 0) {
    bag.report("noPipelines", first.source.span(0, 0), "no pipelines are declared");
  }
  if (options.strict) {
    for (const d of bag.items) if (d.code === Diagnostics.literalSecret.code) d.severity = "error";
  }
  if (bag.hasErrors) return { plan: null, diagnostics: sortDiagnostics(bag.items), literalSecrets: {}, locations: {} };

  const { plan, literalSecrets } = emitPlan(pipelines);
  const validation = validatePlan(plan);
  if (!validation.ok) {
    const where = first?.source.span(0, 0);
    for (const error of validation.errors) {
      if (where) bag.report("planInvalid", where, `the compiled plan is invalid at ${error.pointer || "/"}: ${error.message}`);
    }
    return { plan: null, diagnostics: sortDiagnostics(bag.items), literalSecrets: {}, locations: {} };
  }
  // Only plan --diff reads the locations, so check, run and fmt do not pay for the walk.
  let locations: Record<string, SourceLocation> | undefined;
  return {
    plan,
    diagnostics: sortDiagnostics(bag.items),
    literalSecrets,
    get locations() {
      return (locations ??= planLocations(pipelines));
    },
  };
}

export function compile(sources: SourceFile[], options: CompileOptions = {}): CompileResult {
  const bag = new DiagnosticBag();
  try {
    return compileChecked(sources, options, bag);
  } catch (error) {
    // A bug, not the user's fault; report it as a diagnostic rather than crashing `dts check`.
    const file = sources[0]?.file ?? "<input>";
    const span = { file, line: 1, column: 1, offset: 0, endLine: 1, endColumn: 1, endOffset: 0 };
    bag.report("internalError", span, `internal compiler error: ${error instanceof Error ? error.message : String(error)}`);
    return { plan: null, diagnostics: sortDiagnostics(bag.items), literalSecrets: {}, locations: {} };
  }
}
