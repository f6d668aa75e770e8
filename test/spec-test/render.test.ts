// What a failing case looks like: the case line, where the expectation is, and expected against
// actual as a line diff (golden text; ACCEPT=1 rewrites it). JSON and GitHub carry the same.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderReports, runTestFile } from "../../src/spec-test/index.js";
import { lineDiff } from "../../src/spec-test/render.js";
import { readText } from "./helpers.js";

const accept = process.env["ACCEPT"] === "1";
const golden = join(import.meta.dirname, "golden", "failure.txt");

/** full.test.dts against full.dts with the column rename changed. */
async function failingReport() {
  const file = "specs/full.test.dts";
  const report = await runTestFile(file, readText(file), (path) => readText(path).replace('rename  = { total = "amount_cents" }', 'rename  = { total = "amount" }'));
  return [{ ...report, cases: report.cases.slice(0, 2) }];
}

describe("dts test output", () => {
  it("shows a failure as a readable diff at the expectation's file:line:col", async () => {
    const text = renderReports(await failingReport(), "text");
    if (accept || !existsSync(golden)) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, "utf8"));
  });

  it("prints JSON with each case's status and failures", async () => {
    const json = JSON.parse(renderReports(await failingReport(), "json")) as { cases: { status: string; failures: { line: number; expected: unknown; actual: unknown }[] }[]; passed: number; failed: number };
    expect(json.cases.map((c) => c.status)).toEqual(["failed", "failed"]);
    expect(json.cases[0]?.failures[0]).toMatchObject({ line: 34, expected: { value: { after: { amount_cents: "25.50" } } }, actual: { value: { after: { amount: "25.50" } } } });
    expect([json.passed, json.failed]).toEqual([0, 2]);
  });

  it("prints GitHub annotations at the expectations", async () => {
    const text = renderReports(await failingReport(), "github");
    expect(text).toMatch(/^::error file=specs\/full\.test\.dts,line=34,col=3,endLine=51,endColumn=4,title=dts test::test "a paid order/);
    expect(text.trimEnd().split("\n").at(-1)).toBe("0 passed, 2 failed");
  });

  it("diffs lines by their longest common subsequence", () => {
    expect(lineDiff(["a", "b", "c"], ["a", "x", "c", "d"])).toEqual(["  a", "- b", "+ x", "  c", "+ d"]);
  });
});
