// The layout docs/architecture.md describes, held by a test so it does not drift: small files
// and functions, the CLI reaching each module only through its public entry, and src/plan
// depending on no stage.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const src = join(root, "src");
const maxFileLines = 300;
const maxFunctionLines = 60;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const files = sourceFiles(src).map((path) => ({ path, name: relative(root, path), text: readFileSync(path, "utf8") }));

/** Relative import specifiers of a file, resolved to paths under src/. */
function importsOf(file: { path: string; text: string }): string[] {
  const specifiers = [...file.text.matchAll(/\bfrom\s+"(\.{1,2}\/[^"]+)"|\bimport\s*\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g)].map((m) => (m[1] ?? m[2]) as string);
  return specifiers.map((s) => relative(src, resolve(dirname(file.path), s)));
}

describe("code shape", () => {
  it(`keeps every file in src/ to ${maxFileLines} lines`, () => {
    const long = files.map((f) => ({ file: f.name, lines: f.text.split("\n").length - 1 })).filter((f) => f.lines > maxFileLines);
    expect(long).toEqual([]);
  });

  it(`keeps every function in src/ to ${maxFunctionLines} lines`, () => {
    const long: string[] = [];
    for (const file of files) {
      const tree = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && "body" in node && node.body) {
          const first = tree.getLineAndCharacterOfPosition(node.getStart(tree)).line;
          const last = tree.getLineAndCharacterOfPosition(node.end).line;
          if (last - first + 1 > maxFunctionLines) long.push(`${file.name}:${first + 1} (${last - first + 1} lines)`);
        }
        ts.forEachChild(node, visit);
      };
      visit(tree);
    }
    expect(long).toEqual([]);
  });

  it("lets the CLI reach other modules only through their index.ts", () => {
    const internal = files
      .filter((f) => f.name.startsWith("src/cli/"))
      .flatMap((f) => importsOf(f).filter((target) => !target.startsWith("cli/") && !/^[a-z-]+\/index\.js$/.test(target) && target !== "generated/plan.js").map((target) => `${f.name} → ${target}`));
    expect(internal).toEqual([]);
  });

  it("keeps src/plan free of the stages that use it", () => {
    const stages = files.filter((f) => f.name.startsWith("src/plan/")).flatMap((f) => importsOf(f).filter((t) => !t.startsWith("plan/") && t !== "generated/plan.js").map((t) => `${f.name} → ${t}`));
    expect(stages).toEqual([]);
  });
});
