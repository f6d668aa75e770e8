// Repeated runs folded into one row per system: each figure the median of the runs, peak RSS
// the highest, failed runs left out and counted.
import { describe, expect, it } from "vitest";
import { resultTable } from "../../bench/lib/report.js";
import { median, mergeRounds } from "../../bench/lib/rounds.js";
import type { Measurement } from "../../bench/workloads/harness.js";

const MB = 1024 * 1024;

function run(system: string, isPeer: boolean, seconds: number, cpuSeconds: number, rssMb: number, extra: Record<string, number | string> = {}): Measurement {
  return { system, isPeer, status: "ok", rows: 1_000_000, seconds, bytes: 500 * MB * (4 / seconds), cpuSeconds, peakRssBytes: rssMb * MB, extra };
}

describe("median", () => {
  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});

describe("mergeRounds", () => {
  it("keeps a system measured once as it is", () => {
    const once = run("ours", false, 4, 3.6, 150);
    expect(mergeRounds([once])).toEqual([once]);
  });

  it("folds each system's runs, in the order the systems first ran", () => {
    const merged = mergeRounds([
      run("ours", false, 4, 4, 150, { "first message after s": 0.5 }),
      run("peer", true, 16, 20, 1400),
      run("ours", false, 5, 3, 170, { "first message after s": 0.4 }),
      run("peer", true, 20, 30, 1300),
      run("ours", false, 8, 5, 160, { "first message after s": 0.9 }),
      run("peer", true, 15, 25, 1500),
    ]);
    expect(merged.map((m) => m.system)).toEqual(["ours", "peer"]);
    const [ours, peer] = merged as [Measurement, Measurement];
    // rows/s, MB/s and CPU per row are each the median of the runs' figures.
    expect(ours.rows / ours.seconds).toBe(200_000);
    expect((ours.cpuSeconds / ours.rows) * 1_000_000).toBeCloseTo(4);
    expect(ours.bytes / ours.seconds / MB).toBeCloseTo(80); // 125, 80 and 31.25 MB/s
    expect(ours.peakRssBytes).toBe(170 * MB);
    expect(ours.extra).toMatchObject({ runs: "3", "rows/s, lowest–highest": "125k–250k", "first message after s": 0.5 });
    expect(peer.rows / peer.seconds).toBe(62_500);
    expect(peer.isPeer).toBe(true);
    // Ratios are taken between the medians.
    expect(resultTable(merged)).toContain("| rows/s | 3.20× |");
  });

  it("leaves failed runs out and says so; a system that never ran keeps its failure", () => {
    const failed = (system: string): Measurement => ({ ...run(system, false, 0, 0, 0), status: "failed", reason: "it broke" });
    const merged = mergeRounds([run("ours", false, 4, 4, 150), failed("ours"), run("ours", false, 6, 4, 150), failed("never"), failed("never")]);
    const [ours, never] = merged as [Measurement, Measurement];
    expect(ours.status).toBe("ok");
    expect(ours.seconds).toBe(5);
    expect(ours.extra.runs).toMatch(/^2 of 3/);
    expect(never).toMatchObject({ status: "failed", reason: "it broke" });
  });
});
