import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validatePlan } from "../../src/compiler/index.js";
import { runCli } from "./run-cli.js";

describe("dts plan", () => {
  it("prints a valid plan", async () => {
    const result = await runCli("plan", "specs/full.dts");
    expect(result.code).toBe(0);
    expect(validatePlan(JSON.parse(result.stdout)).ok).toBe(true);
  });

  it("--pipeline picks one pipeline, and names the choices when it is wrong", async () => {
    const one = await runCli("plan", "--pipeline", "orders-us", "specs/many-to-one/eu.dts", "specs/many-to-one/us.dts");
    expect(JSON.parse(one.stdout).pipelines.map((p: { name: string }) => p.name)).toEqual(["orders-us"]);
    const wrong = await runCli("plan", "--pipeline", "nope", "specs/minimal.dts");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('no pipeline named "nope"; the specs declare: minimal');
  });

  it("never prints a literal password", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dts-plan-"));
    const path = join(dir, "s.dts");
    writeFileSync(path, readFileSync("specs/minimal.dts", "utf8").replace('env("MYSQL_PASSWORD")', '"hunter2"'));
    const result = await runCli("plan", path);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain("hunter2");
    expect(result.stdout).toContain('"literal": "redacted"');
  });

  it("prints nothing on stdout and exits 1 when the spec has errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dts-plan-"));
    const path = join(dir, "bad.dts");
    writeFileSync(path, 'pipeline "p" { mode = sideways }\n');
    const result = await runCli("plan", path);
    expect(result).toMatchObject({ code: 1, stdout: "" });
    expect(result.stderr).toContain("DTS2005");
  });
});

describe("dts fmt", () => {
  it("--check passes on the formatted specs", async () => {
    expect(await runCli("fmt", "--check", "specs", "specs/many-to-one")).toMatchObject({ code: 0, stdout: "" });
  });

  it("--check lists unformatted files and exits 1; without it, rewrites them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dts-fmt-"));
    const path = join(dir, "ugly.dts");
    writeFileSync(path, 'pipeline "p"{mode=sync # keep me\n}\n');
    const check = await runCli("fmt", "--check", path);
    expect(check).toMatchObject({ code: 1, stdout: `${path}: not formatted\n` });
    expect(readFileSync(path, "utf8")).toBe('pipeline "p"{mode=sync # keep me\n}\n');
    expect((await runCli("fmt", path)).code).toBe(0);
    expect(readFileSync(path, "utf8")).toBe('pipeline "p" {\n  mode = sync # keep me\n}\n');
  });

  it("reports syntax errors and leaves the file alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dts-fmt-"));
    const path = join(dir, "broken.dts");
    writeFileSync(path, "pipeline {");
    const result = await runCli("fmt", path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("DTS1004");
    expect(readFileSync(path, "utf8")).toBe("pipeline {");
  });
});
