// The change list as a pull request comment: a headline with the counts, then one table row per
// change, breaking ones first.
import { severities, type PlanChange } from "./change.js";
import { summary, where } from "./render.js";

/** Text on one line, with the pipes that would end a table cell escaped. */
function cell(text: string): string {
  return text.replace(/\r\n|\r|\n/g, " ").replace(/\|/g, "\\|");
}

const prose = (text: string) => cell(text.replace(/[\\*_[\]<>`]/g, "\\$&"));

function code(text: string | null): string {
  if (text === null) return "";
  const escaped = cell(text);
  return text.includes("`") ? prose(text) : `\`${escaped}\``;
}

const marks = { breaking: "**breaking**", caution: "caution", safe: "safe" } as const;

export function renderMarkdown(changes: readonly PlanChange[]): string {
  const head = `### dts plan --diff: ${summary(changes)}\n`;
  if (changes.length === 0) return `${head}\nThe compiled plans are the same: consumers and running pipelines see no difference.\n`;
  const sorted = [...changes].sort((a, b) => severities.indexOf(a.severity) - severities.indexOf(b.severity));
  const rows = sorted.map((c) => {
    const table = c.table === null ? "" : code(c.table);
    return `| ${marks[c.severity]} | ${code(c.pipeline)} | ${table} | ${prose(c.change)} | ${code(c.from)} | ${code(c.to)} | ${prose(c.why)} | ${prose(where(c))} |`;
  });
  return [head, "| severity | pipeline | table | change | from | to | why | where |", "|---|---|---|---|---|---|---|---|", ...rows].join("\n") + "\n";
}
