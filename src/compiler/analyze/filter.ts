// `filter = "status = 'paid'"` or `filter = (status = 'paid')` → RowFilter, with errors placed
// inside the condition.
import type { Attribute, Span } from "../ast.js";
import type { RowFilter } from "../../generated/plan.js";
import { parseFilter, type FilterError } from "../filter/parser.js";
import type { DiagnosticBag } from "../diagnostics.js";
import type { DecodeContext } from "./context.js";
import type { SourceText } from "../source-text.js";

const errorKinds: Record<FilterError["kind"], "filterUnexpectedToken" | "filterUnterminatedString" | "filterUnsupported" | "filterEmpty" | "filterTooDeep"> = {
  syntax: "filterUnexpectedToken",
  unterminated: "filterUnterminatedString",
  unsupported: "filterUnsupported",
  empty: "filterEmpty",
  nesting: "filterTooDeep",
};

function report(bag: DiagnosticBag, source: SourceText, base: number | undefined, whole: Span, error: FilterError): void {
  const span = base === undefined ? whole : source.span(base + error.start, base + error.end);
  bag.report(errorKinds[error.kind], span, error.message, error.hint);
}

export function decodeFilter(ctx: DecodeContext, attr: Attribute, source: SourceText): RowFilter | undefined {
  const value = attr.value;
  let text: string;
  let base: number | undefined;
  if (value.kind === "condition") {
    text = value.text;
    base = value.span.offset;
  } else if (value.kind === "string") {
    text = value.value;
    // Offsets inside the string map onto the file only when no escape changed its length.
    const raw = source.text.slice(value.span.offset + 1, value.span.endOffset - 1);
    base = raw === text ? value.span.offset + 1 : undefined;
  } else {
    return ctx.values.wrongType(value, "filter", "a condition in parentheses or a string", "e.g. filter = (status = 'paid' AND total > 100)");
  }
  const result = parseFilter(text, { parenthesised: value.kind === "condition" });
  if (!result.ok) {
    report(ctx.bag, source, base, value.span, result.error);
    return undefined;
  }
  const written = value.kind === "condition" ? text.slice(1, -1).trim() : text.trim();
  return { text: written, expr: result.expr };
}
