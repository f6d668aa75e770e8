// The result tables: every figure of ours gets a ratio to each peer in a column of its own, and a
// peer without figures leaves its column empty rather than hiding the others.
import { describe, expect, it } from "vitest";
import { resultTable } from "../../bench/lib/report.js";
import type { Measurement } from "../../bench/workloads/harness.js";

function measured(system: string, isPeer: boolean, rows: number, seconds: number, extra: Record<string, number> = {}): Measurement {
  return { system, isPeer, status: "ok", rows, seconds, bytes: rows * 1024, cpuSeconds: rows / 100_000, peakRssBytes: 100 * 1024 * 1024, extra };
}

describe("resultTable", () => {
  it("gives one ratio column per (ours, peer) pair", () => {
    const lines = resultTable([
      measured("ours", false, 60_000, 1, { "catch-up s": 1 }),
      measured("Maxwell", true, 20_000, 1, { "catch-up s": 4 }),
      measured("Debezium", true, 30_000, 1, { "catch-up s": 2 }),
    ]);
    expect(lines).toContain("| figure | ours ÷ Maxwell | ours ÷ Debezium |");
    expect(lines).toContain("| rows/s | 3.00× | 2.00× |");
    expect(lines).toContain("| catch-up s | 0.25× | 0.50× |");
  });

  it("shows a dash and says why when a peer has no figure", () => {
    const lines = resultTable([
      measured("ours", false, 60_000, 1),
      measured("Maxwell", true, 20_000, 1),
      { ...measured("Debezium", true, 0, 0), status: "failed", reason: "connector failed" },
    ]);
    expect(lines).toContain("| rows/s | 3.00× | - |");
    expect(lines).toContain("| Debezium | failed: connector failed |");
    expect(lines.join("\n")).toMatch(/Ratios to Debezium are missing/);
  });

  it("prints no ratio table when no peer ran", () => {
    expect(resultTable([measured("ours", false, 1000, 1)]).join("\n")).not.toMatch(/÷/);
  });
});

describe("resultTable with exactly-once beside at-least-once", () => {
  it("gives each exactly-once row a ratio to the at-least-once row of its format", () => {
    const lines = resultTable([
      measured("ours (Avro)", false, 60_000, 1, { "p99 ms": 4 }),
      { ...measured("ours (Avro, exactly-once)", false, 45_000, 1, { "p99 ms": 100 }), variantOf: "ours (Avro)" },
      measured("ours (JSON)", false, 50_000, 1),
      { ...measured("ours (JSON, exactly-once)", false, 0, 0), status: "failed", reason: "timed out", variantOf: "ours (JSON)" },
    ]);
    expect(lines).toContain("| figure | ours (Avro, exactly-once) ÷ ours (Avro) | ours (JSON, exactly-once) ÷ ours (JSON) |");
    expect(lines).toContain("| rows/s | 0.75× | - |");
    expect(lines).toContain("| p99 ms | 25.00× | - |");
    expect(lines.join("\n")).toMatch(/Ratios for ours \(JSON, exactly-once\) are missing/);
  });
});
