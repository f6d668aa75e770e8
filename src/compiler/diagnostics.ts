// The compiler's diagnostics. Their codes, titles and standard hints are the compiler's part of
// the one catalog in src/problems (1xxx syntax, 2xxx meaning, 3xxx plan); `report` is the only
// way in, so every diagnostic carries a catalogued code.
import type { Span } from "./ast.js";
import { compilerCodes, type CompilerKind, type Severity } from "../problems/index.js";

export type { Severity };

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  hint?: string;
  span: Span;
}

export const Diagnostics = compilerCodes;

/** Diagnostics shown per file; past this a file is not a spec, and more lines would bury the first. */
export const diagnosticsShownPerFile = 100;

export type DiagnosticKind = CompilerKind;

/** Collects diagnostics for one compile; a report without a hint takes the catalog's standard fix. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];

  report(kind: DiagnosticKind, span: Span, message: string, specificHint?: string): void {
    const { code, severity, fix } = Diagnostics[kind];
    const hint = specificHint ?? fix ?? undefined;
    this.items.push(hint === undefined ? { code, severity, message, span } : { code, severity, message, hint, span });
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }
}

/** Sorts by file, then position, then code, so output is stable. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.span.file.localeCompare(b.span.file) || a.span.offset - b.span.offset || a.span.endOffset - b.span.endOffset || a.code.localeCompare(b.code),
  );
}

export { didYouMean } from "../plan/did-you-mean.js";
