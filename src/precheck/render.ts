// The precheck report as people read it (a table, colour on a terminal) and as CI reads it
// (JSON, every result with its code and status). Checks skipped for one reason share one line.
import { formatLocation } from "../problems/index.js";
import type { CheckResult, CheckStatus } from "./check-result.js";
import type { PipelinePrecheck, PrecheckReport } from "./index.js";

export interface TextOptions {
  color: boolean;
  /** Wrap details to this many columns; null leaves lines whole. */
  width: number | null;
}

const marks: Record<CheckStatus, string> = { pass: "PASS", warn: "WARN", fail: "FAIL", skip: "SKIP" };
const colors: Record<CheckStatus, string> = { pass: "\u001b[32m", warn: "\u001b[33m", fail: "\u001b[31m", skip: "\u001b[2m" };
const codeWidth = "DTS0000".length;

function wrap(text: string, width: number | null, indent: string): string[] {
  if (width === null || width - indent.length < 30) return [text];
  const room = width - indent.length;
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** `a, b, … (12 checks)`: a few ids, the count when there are more. */
function skippedIds(ids: readonly string[]): string {
  if (ids.length === 1) return ids[0] as string;
  const shown = ids.length <= 3 ? ids.join(", ") : `${ids.slice(0, 2).join(", ")}, …`;
  return `${shown} (${ids.length} checks)`;
}

/** The report's lines in check order, skipped checks gathered at the first one of each reason. */
function groupSkips(results: readonly CheckResult[]): (CheckResult | { reason: string; ids: string[] })[] {
  const rows: (CheckResult | { reason: string; ids: string[] })[] = [];
  const groups = new Map<string, { reason: string; ids: string[] }>();
  for (const result of results) {
    if (result.status !== "skip") rows.push(result);
    else {
      const group = groups.get(result.reason);
      if (group) group.ids.push(result.id);
      else {
        const fresh = { reason: result.reason, ids: [result.id] };
        groups.set(result.reason, fresh);
        rows.push(fresh);
      }
    }
  }
  return rows;
}

function renderPipeline(pipeline: PipelinePrecheck, options: TextOptions): string[] {
  const paint = (status: CheckStatus, text: string) => (options.color ? `${colors[status]}${text}\u001b[0m` : text);
  const out = [`Pipeline "${pipeline.pipeline}"`];
  const idWidth = Math.max(...pipeline.results.filter((r) => r.status !== "skip").map((r) => r.id.length), 5);
  const indent = " ".repeat(2 + 4 + 2 + idWidth + 2 + codeWidth + 2);
  for (const row of groupSkips(pipeline.results)) {
    if (!("status" in row)) {
      const [first = "", ...rest] = wrap(`${skippedIds(row.ids)}: ${row.reason}`, options.width, indent);
      out.push(`  ${paint("skip", marks.skip)}  ${first}`, ...rest.map((line) => `${indent}${line}`));
      continue;
    }
    const reason = row.location ? `${formatLocation(row.location)}: ${row.reason}` : row.reason;
    const [first = "", ...rest] = wrap(reason, options.width, indent);
    out.push(`  ${paint(row.status, marks[row.status])}  ${row.id.padEnd(idWidth)}  ${row.code.padEnd(codeWidth)}  ${first}`);
    for (const line of rest) out.push(`${indent}${line}`);
    if (row.fix) for (const [i, line] of wrap(`hint: ${row.fix}`, options.width, indent).entries()) out.push(`${indent}${i === 0 ? "" : "      "}${line}`);
  }
  const count = (status: CheckStatus) => pipeline.results.filter((r) => r.status === status).length;
  const notChecked = count("skip") ? `, ${count("skip")} not checked` : "";
  const skipped = pipeline.skipped.length ? `, skipped: ${pipeline.skipped.join(", ")}` : "";
  const verdict = pipeline.ok ? paint("pass", "ready to start") : paint("fail", "will not start");
  out.push(`  ${count("pass")} passed, ${count("warn")} warning(s), ${count("fail")} failed${notChecked}${skipped}: ${verdict}`, "");
  return out;
}

export function renderText(report: PrecheckReport, options: TextOptions): string {
  return report.pipelines.flatMap((pipeline) => renderPipeline(pipeline, options)).join("\n");
}

export function renderJson(report: PrecheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
