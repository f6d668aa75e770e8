// Golden outputs: each test/plan-diff/golden/<case>/ holds base.dts and new.dts (both compiled
// as shop.dts) with the text and Markdown plan --diff prints for them. `ACCEPT=1 npx vitest run
// --project unit test/plan-diff` rewrites them; review the diff before committing.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diffPlans, renderChanges, renderMarkdown } from "../../src/plan-diff/index.js";
import { side } from "./helpers.js";

const casesDir = join(import.meta.dirname, "golden");
const accept = process.env["ACCEPT"] === "1";

function expectFile(path: string, actual: string): void {
  if (accept) return writeFileSync(path, actual);
  expect(actual, path).toBe(existsSync(path) ? readFileSync(path, "utf8") : undefined);
}

describe("plan --diff golden outputs", () => {
  for (const name of readdirSync(casesDir).sort()) {
    it(name, () => {
      const read = (file: string) => readFileSync(join(casesDir, name, file), "utf8");
      const changes = diffPlans(side(read("base.dts")), side(read("new.dts")));
      expectFile(join(casesDir, name, "expected.txt"), renderChanges(changes, "text"));
      expectFile(join(casesDir, name, "expected.md"), renderMarkdown(changes));
    });
  }
});
