import { describe, expect, it } from "vitest";
import { catalog } from "../../src/problems/index.js";
import { runCli } from "./run-cli.js";

describe("dts explain", () => {
  it("prints a code's title, phase, severity and fix", async () => {
    const result = await runCli("explain", "DTS2019");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe(
      [
        "DTS2019  Pipelines reading one server with the same binlog server id",
        "  phase:    meaning",
        "  severity: error",
        "  fix:      give each pipeline reading this server its own server_id",
        "",
      ].join("\n"),
    );
  });

  it("takes the digits alone and several codes, and says when a code has no standard fix", async () => {
    const result = await runCli("explain", "2004", "dts4004");
    expect(result.stdout).toContain("DTS2004  A value of the wrong type for its attribute\n");
    expect(result.stdout).toContain("fix:      none in general");
    expect(result.stdout).toContain("DTS4004  binlog_format = ROW\n  phase:    precheck");
  });

  it("lists every code without an argument", async () => {
    const result = await runCli("explain");
    expect(result.stdout.trim().split("\n")).toHaveLength(catalog.length);
    expect(result.stdout).toMatch(/^DTS5006 {2}error {4}The binlog position the pipeline needs is gone from the source, or never reached the server it reads$/m);
  });

  it("refuses an unknown code with the closest one, exit 2", async () => {
    const result = await runCli("explain", "DTS2040");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no code DTS2040 (did you mean DTS2010?)");
  });
});
