// Diagnostics for people (file:line:col, the line, an underline), for tools (JSON) and for
// GitHub Actions (workflow annotations). Every format prints what prepareDiagnostics chose, so
// the cap per file and secret masking hold for all of them.
import type { Diagnostic } from "./diagnostics.js";
import { excerptLines } from "./excerpt.js";
import { prepareDiagnostics } from "./prepare-diagnostics.js";
import type { SourceText } from "./source-text.js";

export type DiagnosticFormat = "text" | "json" | "github";
export const diagnosticFormats: readonly DiagnosticFormat[] = ["text", "json", "github"];

export interface FlatDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Diagnostic["severity"];
  code: string;
  message: string;
  hint: string | null;
}

export function flatten(d: Diagnostic): FlatDiagnostic {
  const { file, line, column, endLine, endColumn } = d.span;
  return { file, line, column, endLine, endColumn, severity: d.severity, code: d.code, message: d.message, hint: d.hint ?? null };
}

/** `file:line:col: error DTS2001: message`, the source line, a caret underline and the hint. */
function renderOne(d: Diagnostic, sources: ReadonlyMap<string, SourceText>): string {
  const { file, line, column } = d.span;
  const out = [`${file}:${line}:${column}: ${d.severity} ${d.code}: ${d.message}`];
  const source = sources.get(file);
  if (source) out.push(...excerptLines(source, d.span));
  if (d.hint) out.push(`  hint: ${d.hint}`);
  return out.join("\n");
}

/** The text form without the closing summary: one block per diagnostic, blank lines between. */
export function renderText(diagnostics: Diagnostic[], texts: ReadonlyMap<string, string>): string {
  const prepared = prepareDiagnostics(diagnostics, texts);
  return prepared.diagnostics.map((d) => renderOne(d, prepared.sources)).join("\n\n");
}

/** Workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions */
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function renderGithub(d: Diagnostic): string {
  const { file, line, column, endLine, endColumn } = d.span;
  const level = d.severity === "error" ? "error" : "warning";
  const props = `file=${escapeProperty(file)},line=${line},col=${column},endLine=${endLine},endColumn=${endColumn},title=${escapeProperty(d.code)}`;
  const message = d.hint ? `${d.message} (hint: ${d.hint})` : d.message;
  return `::${level} ${props}::${escapeData(message)}`;
}

/** Counts every diagnostic, shown or not. */
function summary(diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  return [errors && `${errors} error${errors === 1 ? "" : "s"}`, warnings && `${warnings} warning${warnings === 1 ? "" : "s"}`].filter(Boolean).join(", ");
}

export function renderDiagnostics(diagnostics: Diagnostic[], format: DiagnosticFormat, sourceTexts: ReadonlyMap<string, string>): string {
  if (format === "text") return diagnostics.length ? `${renderText(diagnostics, sourceTexts)}\n\n${summary(diagnostics)}\n` : "";
  const { diagnostics: shown } = prepareDiagnostics(diagnostics, sourceTexts);
  if (format === "json") return `${JSON.stringify(shown.map(flatten), null, 2)}\n`;
  return shown.length ? `${shown.map(renderGithub).join("\n")}\n` : "";
}
