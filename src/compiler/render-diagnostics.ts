// Diagnostics for people (file:line:col, the line, an underline), for tools (JSON) and for
// GitHub Actions (workflow annotations).
import { Diagnostics, type Diagnostic } from "./diagnostics.js";

const literalSecretCode = Diagnostics.literalSecret.code;

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

function lineOf(text: string, line: number): string {
  return (text.split("\n")[line - 1] ?? "").replace(/\r$/, "");
}

/** `file:line:col: error DTS2001: message`, the source line, a caret underline and the hint. */
export function renderText(d: Diagnostic, texts: ReadonlyMap<string, string>): string {
  const { file, line, column, endLine, endColumn } = d.span;
  const out = [`${file}:${line}:${column}: ${d.severity} ${d.code}: ${d.message}`];
  const text = texts.get(file);
  if (text !== undefined) {
    const source = lineOf(text, line).replace(/\t/g, " ");
    const gutter = `${String(line).padStart(4)} | `;
    const width = endLine === line ? Math.max(1, endColumn - column) : Math.max(1, source.length - column + 1);
    out.push(`${gutter}${source}`, `${" ".repeat(gutter.length - 2)}| ${" ".repeat(column - 1)}${"^".repeat(width)}`);
  }
  if (d.hint) out.push(`  hint: ${d.hint}`);
  return out.join("\n");
}

/** Workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions */
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function renderGithub(d: Diagnostic): string {
  const { file, line, column, endLine, endColumn } = d.span;
  const level = d.severity === "error" ? "error" : "warning";
  const props = `file=${escapeProperty(file)},line=${line},col=${column},endLine=${endLine},endColumn=${endColumn},title=${escapeProperty(d.code)}`;
  const message = d.hint ? `${d.message} (hint: ${d.hint})` : d.message;
  return `::${level} ${props}::${escapeData(message)}`;
}

/**
 * The source texts with every literal secret (the spans of DTS2011) starred out, so that the
 * excerpt under any diagnostic never shows a password.
 */
export function maskLiteralSecrets(diagnostics: Diagnostic[], texts: ReadonlyMap<string, string>): Map<string, string> {
  const masked = new Map(texts);
  for (const d of diagnostics) {
    if (d.code !== literalSecretCode) continue;
    const text = masked.get(d.span.file);
    if (text === undefined) continue;
    const { offset, endOffset } = d.span;
    const inner = text.slice(offset + 1, endOffset - 1).replace(/[^\n]/g, "*");
    masked.set(d.span.file, `${text.slice(0, offset + 1)}${inner}${text.slice(endOffset - 1)}`);
  }
  return masked;
}

export function renderDiagnostics(diagnostics: Diagnostic[], format: DiagnosticFormat, sourceTexts: ReadonlyMap<string, string>): string {
  const texts = maskLiteralSecrets(diagnostics, sourceTexts);
  if (format === "json") return `${JSON.stringify(diagnostics.map(flatten), null, 2)}\n`;
  if (diagnostics.length === 0) return "";
  if (format === "github") return `${diagnostics.map(renderGithub).join("\n")}\n`;
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const summary = [errors && `${errors} error${errors === 1 ? "" : "s"}`, warnings && `${warnings} warning${warnings === 1 ? "" : "s"}`].filter(Boolean).join(", ");
  return `${diagnostics.map((d) => renderText(d, texts)).join("\n\n")}\n\n${summary}\n`;
}
