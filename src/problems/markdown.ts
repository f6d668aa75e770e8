// docs/errors.md, produced from the catalog so the page lists exactly the codes there are.
import { catalog, phaseTitles } from "./catalog.js";
import type { Phase } from "./entry.js";

/** Text as a table cell shows it literally: backslashes, pipes, stars and angle brackets escaped. */
function cell(text: string): string {
  return text.replace(/[\\|*<]/g, (ch) => `\\${ch}`);
}

export function catalogMarkdown(): string {
  const out = [
    "# Error codes",
    "",
    "Every diagnostic, precheck item and runtime error carries a code. `dts explain CODE` prints an",
    "entry; this page lists them all. It is generated from `src/problems/` (a test fails when it is",
    "stale; `ACCEPT=1 npx vitest run --project unit test/problems` rewrites it).",
    "",
    "The fix is the standard one; a message may give a more specific hint for its case.",
  ];
  for (const phase of Object.keys(phaseTitles) as Phase[]) {
    out.push("", `## ${phaseTitles[phase]}`, "", "| code | severity | meaning | fix |", "|---|---|---|---|");
    for (const entry of catalog.filter((e) => e.phase === phase)) {
      out.push(`| ${entry.code} | ${entry.severity} | ${cell(entry.title)} | ${entry.fix ? cell(entry.fix) : "—"} |`);
    }
  }
  return `${out.join("\n")}\n`;
}
