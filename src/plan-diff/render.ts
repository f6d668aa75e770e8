// The change list as text for a terminal, JSON for tools, or GitHub Actions annotations.
// Values are spec text (topics, columns, filters, env and file references), never secrets.
import { severities, type PlanChange, type Severity } from "./change.js";

export type ChangeFormat = "text" | "json" | "github" | "markdown";
export const changeFormats: readonly ChangeFormat[] = ["text", "json", "github", "markdown"];

export function where(c: PlanChange): string {
  return c.file === null ? "" : `${c.file}:${c.line}:${c.column}${c.side === "base" ? " (in the base)" : ""}`;
}

/** "topic changed: a → b", "table added: shop.x", or just the change. */
export function headline(c: PlanChange): string {
  const values = c.from !== null && c.to !== null ? `${c.from} → ${c.to}` : (c.to ?? c.from);
  return values === null ? c.change : `${c.change}: ${values}`;
}

export function subject(c: PlanChange): string {
  return c.table === null ? `pipeline "${c.pipeline}"` : `pipeline "${c.pipeline}" ${c.table}`;
}

export function summary(changes: readonly PlanChange[]): string {
  if (changes.length === 0) return "no changes";
  const count = (s: Severity) => changes.filter((c) => c.severity === s).length;
  return `${changes.length} change${changes.length === 1 ? "" : "s"}: ${severities.map((s) => `${count(s)} ${s}`).join(", ")}`;
}

function renderText(changes: readonly PlanChange[]): string {
  const lines = changes.map((c) => `${where(c)}: ${c.severity}: ${subject(c)}: ${headline(c)}\n  ${c.why}`);
  return [...lines, summary(changes)].join("\n") + "\n";
}

/** Workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions */
const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
const levels: Record<Severity, string> = { breaking: "error", caution: "warning", safe: "notice" };

function annotation(c: PlanChange): string {
  const title = escapeProperty(`${c.severity}: ${c.change}`);
  // A removal points into the base, which the pull request no longer has: no file to annotate.
  const props = c.side === "new" && c.file !== null ? `file=${escapeProperty(c.file)},line=${c.line},col=${c.column},title=${title}` : `title=${title}`;
  const before = c.side === "base" ? ` (was at ${where(c)})` : "";
  return `::${levels[c.severity]} ${props}::${escapeData(`${subject(c)}: ${headline(c)}${before}. ${c.why}`)}`;
}

export function renderJson(changes: readonly PlanChange[]): string {
  return `${JSON.stringify(changes, null, 2)}\n`;
}

export function renderChanges(changes: readonly PlanChange[], format: Exclude<ChangeFormat, "markdown">): string {
  if (format === "json") return renderJson(changes);
  if (format === "github") return changes.map(annotation).join("\n") + (changes.length ? "\n" : "");
  return renderText(changes);
}
