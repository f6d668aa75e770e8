// The precheck report as people read it (a table, colour on a terminal) and as CI reads it (JSON).
import type { CheckStatus } from "./check-result.js";
import type { PrecheckReport } from "./index.js";

export interface TextOptions {
  color: boolean;
  /** Wrap details to this many columns; null leaves lines whole. */
  width: number | null;
}

const marks: Record<CheckStatus, string> = { pass: "PASS", warn: "WARN", fail: "FAIL" };
const colors: Record<CheckStatus, string> = { pass: "\u001b[32m", warn: "\u001b[33m", fail: "\u001b[31m" };

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

export function renderText(report: PrecheckReport, options: TextOptions): string {
  const out: string[] = [];
  const paint = (status: CheckStatus, text: string) => (options.color ? `${colors[status]}${text}\u001b[0m` : text);
  for (const pipeline of report.pipelines) {
    out.push(`Pipeline "${pipeline.pipeline}"`);
    const idWidth = Math.max(...pipeline.results.map((r) => r.id.length), 5);
    const indent = " ".repeat(2 + 4 + 2 + idWidth + 2);
    for (const result of pipeline.results) {
      const [first = "", ...rest] = wrap(result.reason, options.width, indent);
      out.push(`  ${paint(result.status, marks[result.status])}  ${result.id.padEnd(idWidth)}  ${first}`);
      for (const line of rest) out.push(`${indent}${line}`);
      if (result.fix) for (const [i, line] of wrap(`fix: ${result.fix}`, options.width, indent).entries()) out.push(`${indent}${i === 0 ? "" : "     "}${line}`);
    }
    const count = (status: CheckStatus) => pipeline.results.filter((r) => r.status === status).length;
    const skipped = pipeline.skipped.length ? `, skipped: ${pipeline.skipped.join(", ")}` : "";
    const verdict = pipeline.ok ? paint("pass", "ready to start") : paint("fail", "will not start");
    out.push(`  ${count("pass")} passed, ${count("warn")} warning(s), ${count("fail")} failed${skipped}: ${verdict}`, "");
  }
  return out.join("\n");
}

export function renderJson(report: PrecheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
