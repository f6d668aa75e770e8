// Checks that cannot run because one they depend on failed: status "skip" in the report and
// its JSON, one SKIP line per reason in the text, and no effect on the verdict by themselves.
import { describe, expect, it } from "vitest";
import { fail, pass, skipped } from "../../src/precheck/check-result.js";
import { renderJson, renderText } from "../../src/precheck/render.js";
import type { PrecheckReport } from "../../src/precheck/index.js";

const sourceIds = ["source-version", "binlog-enabled", "binlog-format", "binlog-row-image", "privileges"] as const;

function report(): PrecheckReport {
  const results = [
    fail("source-connection", "nothing listens on db:3306 (connection refused)", "check the host and port in the source block and that the server is running"),
    ...sourceIds.map((id) => skipped(id, "no connection to the source")),
    pass("kafka-brokers", "1 broker(s) answered: k1:9092"),
    skipped("partition-count", "topic metadata cannot be read"),
  ];
  return { ok: false, pipelines: [{ pipeline: "shop", ok: false, skipped: [], results }] };
}

describe("skipped precheck items", () => {
  it("are shown once per reason, listing a few ids and the count", () => {
    const text = renderText(report(), { color: false, width: null });
    expect(text).toContain("  SKIP  source-version, binlog-enabled, … (5 checks): not checked because no connection to the source\n");
    expect(text).toContain("  SKIP  partition-count: not checked because topic metadata cannot be read\n");
    expect(text.match(/SKIP/g)).toHaveLength(2);
    expect(text).not.toContain("WARN");
    expect(text).toContain("  FAIL  source-connection  DTS4001  nothing listens on db:3306");
    expect(text).toContain("1 passed, 0 warning(s), 1 failed, 6 not checked: will not start");
  });

  it("come right after what they depend on, in check order", () => {
    const lines = renderText(report(), { color: false, width: null }).split("\n");
    expect(lines.findIndex((l) => l.includes("SKIP  source-version"))).toBe(lines.findIndex((l) => l.includes("FAIL  source-connection")) + 2);
  });

  it("keep every result with its code and status in JSON", () => {
    const json = JSON.parse(renderJson(report())) as PrecheckReport;
    const results = json.pipelines[0]?.results ?? [];
    expect(results.filter((r) => r.status === "skip").map((r) => r.id)).toEqual([...sourceIds, "partition-count"]);
    expect(results.find((r) => r.id === "binlog-format")).toMatchObject({ code: "DTS4004", status: "skip", reason: "not checked because no connection to the source", fix: null });
  });

  it("do not fail the verdict by themselves", () => {
    const onlySkips = { ok: true, pipelines: [{ pipeline: "shop", ok: true, skipped: [], results: [pass("source-connection", "connected"), skipped("partition-count", "topic metadata cannot be read")] }] };
    expect(renderText(onlySkips, { color: false, width: null })).toContain("1 passed, 0 warning(s), 0 failed, 1 not checked: ready to start");
  });
});
