import { describe, expect, it } from "vitest";
import { fail, pass, warn } from "../../src/precheck/check-result.js";
import { renderJson, renderText } from "../../src/precheck/render.js";

const report = {
  ok: false,
  pipelines: [{
    pipeline: "shop",
    ok: false,
    skipped: ["timezone" as const],
    results: [
      pass("source-connection", "connected to db:3306 as \"dts\""),
      fail("binlog-format", "binlog_format is STATEMENT; only ROW events carry the changed rows", "SET GLOBAL binlog_format = 'ROW'"),
      warn("table-keys", "shop.log has neither a primary key nor a unique key", "add a primary key"),
    ],
  }],
};

describe("precheck rendering", () => {
  it("prints one line per check with its fix, and a verdict", () => {
    const text = renderText(report, { color: false, width: null });
    expect(text).toContain('Pipeline "shop"');
    expect(text).toMatch(/ {2}FAIL {2}binlog-format {6}DTS4004 {2}binlog_format is STATEMENT/);
    expect(text).toContain("hint: SET GLOBAL binlog_format = 'ROW'");
    expect(text).toContain("1 passed, 1 warning(s), 1 failed, skipped: timezone: will not start");
    expect(text).not.toContain("\u001b[");
  });

  it("wraps long reasons to the terminal width under the reason column", () => {
    const lines = renderText(report, { color: true, width: 70 }).split("\n");
    const checkLines = lines.filter((l) => !l.includes("passed,"));
    expect(checkLines.every((l) => l.replace(/\u001b\[\d+m/g, "").length <= 70)).toBe(true);
    expect(lines).toContain(`${" ".repeat(36)}ROW events carry the changed rows`);
    expect(lines.some((l) => l.includes("\u001b[31mFAIL"))).toBe(true);
  });

  it("emits the report as JSON", () => {
    expect(JSON.parse(renderJson(report))).toEqual(report);
  });
});
