// The seeds of the mutation properties: every shipped spec and every golden case. A folder is
// one entry whose files compile together, as `dts check specs/many-to-one/` does. Sorted by size,
// so that fast-check, which shrinks an index towards 0, ends on the smallest file that fails.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { SourceFile } from "../../src/compiler/index.js";

export interface CorpusEntry {
  name: string;
  files: SourceFile[];
}

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Specs only: a spec test (`.test.dts`) is not a compiler input and would only seed its own diagnostics. */
function dtsIn(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".dts") && !f.endsWith(".test.dts")).sort().map((f) => join(dir, f));
}

function entriesIn(dir: string): CorpusEntry[] {
  const read = (path: string): SourceFile => ({ file: relative(root, path), text: readFileSync(path, "utf8") });
  const files = dtsIn(dir).map((path) => ({ name: relative(root, path), files: [read(path)] }));
  const folders = readdirSync(dir)
    .map((d) => join(dir, d))
    .filter((d) => statSync(d).isDirectory() && dtsIn(d).length > 0)
    .map((d) => ({ name: `${relative(root, d)}/`, files: dtsIn(d).map(read) }));
  return [...files, ...folders];
}

const size = (e: CorpusEntry) => e.files.reduce((n, f) => n + f.text.length, 0);

export const corpus: CorpusEntry[] = [...entriesIn(join(root, "specs")), ...entriesIn(join(root, "test/compiler/cases"))].sort((a, b) => size(a) - size(b) || a.name.localeCompare(b.name));
