// Golden cases: each test/compiler/cases/<name>.dts (or a folder <name>/ of .dts files compiled
// together) has <name>.plan.json when it compiles and <name>.diagnostics.txt when it reports
// anything. `npm run test:accept` rewrites them; review the diff before committing.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, renderText } from "../../src/compiler/index.js";

const casesDir = join(import.meta.dirname, "cases");
const accept = process.env["ACCEPT"] === "1";

function sourcesOf(name: string): { file: string; text: string }[] {
  const path = join(casesDir, name);
  const files = statSync(path).isDirectory()
    ? readdirSync(path).filter((f) => f.endsWith(".dts")).sort().map((f) => `${name}/${f}`)
    : [name];
  return files.map((file) => ({ file, text: readFileSync(join(casesDir, file), "utf8") }));
}

function expectFile(path: string, actual: string | undefined): void {
  if (accept) {
    if (actual === undefined) rmSync(path, { force: true });
    else writeFileSync(path, actual);
    return;
  }
  const expected = existsSync(path) ? readFileSync(path, "utf8") : undefined;
  expect(actual, path).toBe(expected);
}

const cases = readdirSync(casesDir).filter((f) => f.endsWith(".dts") || statSync(join(casesDir, f)).isDirectory()).sort();

describe("golden cases", () => {
  it("has cases", () => expect(cases.length).toBeGreaterThan(10));

  for (const name of cases) {
    it(name, () => {
      const sources = sourcesOf(name);
      const result = compile(sources, { strict: name.includes("strict") });
      const texts = new Map(sources.map((s) => [s.file, s.text]));
      const base = join(casesDir, name.replace(/\.dts$/, ""));
      const diagnostics = result.diagnostics.length ? `${renderText(result.diagnostics, texts)}\n` : undefined;
      expectFile(`${base}.diagnostics.txt`, diagnostics);
      expectFile(`${base}.plan.json`, result.plan ? `${JSON.stringify(result.plan, null, 2)}\n` : undefined);
      // Every span must point inside its file.
      for (const d of result.diagnostics) {
        const text = sources.find((s) => s.file === d.span.file)?.text;
        expect(text, d.span.file).toBeDefined();
        expect(d.span.endOffset).toBeLessThanOrEqual(text!.length);
      }
    });
  }
});
