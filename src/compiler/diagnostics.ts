// The catalog of diagnostics. Codes are stable: tests, CI annotations and users' notes refer
// to them. 1xxx syntax (including row-filter syntax), 2xxx meaning, 3xxx plan.
import type { Span } from "./ast.js";

export type Severity = "error" | "warning";

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  hint?: string;
  span: Span;
}

interface Entry {
  code: string;
  severity: Severity;
}

function entry(code: number, severity: Severity = "error"): Entry {
  return { code: `DTS${code}`, severity };
}

export const Diagnostics = {
  // Syntax
  unexpectedCharacter: entry(1001),
  unterminatedString: entry(1002),
  unexpectedToken: entry(1003),
  unclosedBlock: entry(1004),
  invalidEscape: entry(1005),
  nestingTooDeep: entry(1006),
  filterUnexpectedToken: entry(1101),
  filterUnterminatedString: entry(1102),
  filterUnsupported: entry(1103),
  filterEmpty: entry(1104),
  filterTooDeep: entry(1105),
  // Meaning
  unknownAttribute: entry(2001),
  unknownBlock: entry(2002),
  duplicateKey: entry(2003),
  wrongType: entry(2004),
  unknownWord: entry(2005),
  missingAttribute: entry(2006),
  duplicatePipeline: entry(2007),
  badDuration: entry(2008),
  outOfRange: entry(2009),
  badSize: entry(2010),
  literalSecret: entry(2011, "warning"),
  unknownFunction: entry(2012),
  badArguments: entry(2013),
  badPattern: entry(2014),
  overlappingSelection: entry(2015),
  topicPartitionConflict: entry(2016),
  topicFormatConflict: entry(2017),
  ddlTopicFormatConflict: entry(2018),
  serverIdCollision: entry(2019),
  columnRenameCollision: entry(2020),
  columnListConflict: entry(2021),
  startPositionConflict: entry(2022),
  badTopicName: entry(2023),
  badBroker: entry(2024),
  renameNeedsExactTable: entry(2025),
  badLabel: entry(2026),
  noObjects: entry(2027),
  notApplicable: entry(2028, "warning"),
  badTimezone: entry(2029),
  badTimestamp: entry(2030),
  noPipelines: entry(2031, "warning"),
  badUrl: entry(2032),
  // Plan
  planInvalid: entry(3001),
  // The compiler and its output
  tooManyDiagnostics: entry(3998),
  internalError: entry(3999),
} as const;

/** Diagnostics shown per file; past this a file is not a spec, and more lines would bury the first. */
export const diagnosticsShownPerFile = 100;

export type DiagnosticKind = keyof typeof Diagnostics;

/** Collects diagnostics for one compile; `report` is the only way in, so codes stay in the catalog. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];

  report(kind: DiagnosticKind, span: Span, message: string, hint?: string): void {
    const { code, severity } = Diagnostics[kind];
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
