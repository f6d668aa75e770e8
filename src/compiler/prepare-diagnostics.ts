// What every output format prints, decided once: at most diagnosticsShownPerFile diagnostics per
// file and a note counting the rest, messages and hints with secrets masked, control characters
// replaced and cut to a readable length, and each file's text with secrets masked and its line
// table built once.
import { Diagnostics, diagnosticsShownPerFile, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { printable } from "./excerpt.js";
import { redactMessage, redactSource } from "./secrets/redact.js";
import { SourceText } from "./source-text.js";

const maxMessageLength = 200;

export interface PreparedDiagnostics {
  diagnostics: Diagnostic[];
  /** Masked texts of the files that have diagnostics. */
  sources: ReadonlyMap<string, SourceText>;
}

function longestFirst(texts: Set<string>): string[] {
  return [...texts].sort((a, b) => b.length - a.length);
}

function clip(text: string): string {
  return text.length <= maxMessageLength ? text : `${text.slice(0, maxMessageLength - 1)}…`;
}

function hiddenNote(hidden: Diagnostic[]): Diagnostic {
  const first = hidden[0] as Diagnostic;
  const count = hidden.length;
  return {
    code: Diagnostics.tooManyDiagnostics.code,
    severity: hidden.some((d) => d.severity === "error") ? "error" : "warning",
    message: `${count} more diagnostic${count === 1 ? "" : "s"} in this file ${count === 1 ? "is" : "are"} not shown`,
    hint: `fix the first ${diagnosticsShownPerFile} and check again`,
    span: first.span,
  };
}

/** The first diagnostics of each file in position order, then one note for the rest of that file. */
function capPerFile(sorted: Diagnostic[]): Diagnostic[] {
  const shown: Diagnostic[] = [];
  let hidden: Diagnostic[] = [];
  let count = 0;
  sorted.forEach((d, i) => {
    count = i > 0 && sorted[i - 1]?.span.file === d.span.file ? count + 1 : 1;
    if (count <= diagnosticsShownPerFile) shown.push(d);
    else hidden.push(d);
    if (hidden.length && sorted[i + 1]?.span.file !== d.span.file) {
      shown.push(hiddenNote(hidden));
      hidden = [];
    }
  });
  return shown;
}

export function prepareDiagnostics(diagnostics: Diagnostic[], texts: ReadonlyMap<string, string>): PreparedDiagnostics {
  const sources = new Map<string, SourceText>();
  const values = new Set<string>();
  const words = new Set<string>();
  for (const file of new Set(diagnostics.map((d) => d.span.file))) {
    const text = texts.get(file);
    if (text === undefined) continue;
    const redacted = redactSource(text);
    sources.set(file, new SourceText(file, redacted.text));
    redacted.pieces.values.forEach((v) => values.add(v));
    redacted.pieces.words.forEach((w) => words.add(w));
  }
  const pieces = { values: longestFirst(values), words: longestFirst(words) };
  // A decoded string can hold escape sequences; a message must not move the terminal's cursor.
  const redact = (text: string) => clip(printable(redactMessage(text, pieces)));
  const shown = capPerFile(sortDiagnostics(diagnostics)).map((d) => (d.hint === undefined ? { ...d, message: redact(d.message) } : { ...d, message: redact(d.message), hint: redact(d.hint) }));
  return { diagnostics: shown, sources };
}
