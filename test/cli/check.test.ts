import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "dts-cli-"));
  writeFileSync(file("bad.dts"), `pipeline "p" {\n  partiton = table-hash\n  source mysql {\n    host = "db"\n    user = "u"\n  }\n  destination kafka {\n    brokers = ["k:9092"]\n    topic = "t"\n  }\n  database "d" {}\n}\n`);
  writeFileSync(file("secret.dts"), readFileSync(file("bad.dts"), "utf8").replace("  partiton = table-hash\n", "").replace('user = "u"', 'user = "u"\n    password = "pw"'));
});

describe("dts check", () => {
  it("exits 0 on the example specs", async () => {
    const result = await runCli("check", "specs", "specs/many-to-one");
    expect(result).toMatchObject({ code: 0, stdout: "" });
  });

  it("checks each folder below a directory as a set of its own, and a file named twice once", async () => {
    const root = mkdtempSync(join(tmpdir(), "dts-check-tree-"));
    // Two environments with the same pipeline: fine apart, a duplicate together.
    for (const env of ["prod", "staging/eu"]) {
      mkdirSync(join(root, env), { recursive: true });
      cpSync("specs/minimal.dts", join(root, env, "minimal.dts"));
    }
    mkdirSync(join(root, ".hidden"));
    writeFileSync(join(root, ".hidden", "broken.dts"), "pipeline {");
    expect(await runCli("check", root)).toMatchObject({ code: 0, stdout: "" });
    expect(await runCli("check", "specs/minimal.dts", "./specs/minimal.dts")).toMatchObject({ code: 0, stdout: "" });
    writeFileSync(join(root, "staging", "broken.dts"), 'pipeline "b" { source mysql { host = } }\n');
    const broken = await runCli("check", root);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`${join(root, "staging", "broken.dts")}:1:`);
  });

  it("prints file:line:col, the line, an underline and the hint, and exits 1", async () => {
    const result = await runCli("check", file("bad.dts"));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${file("bad.dts")}:2:3: error DTS2001: unknown attribute partiton in a pipeline block`);
    expect(result.stdout).toContain("   2 |   partiton = table-hash\n     |   ^^^^^^^^\n  hint: did you mean partition?");
    expect(result.stdout).toMatch(/1 error\n$/);
  });

  it("--format json prints one array of flat diagnostics", async () => {
    const result = await runCli("check", "--format", "json", file("bad.dts"));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([
      { file: file("bad.dts"), line: 2, column: 3, endLine: 2, endColumn: 11, severity: "error", code: "DTS2001", message: "unknown attribute partiton in a pipeline block", hint: "did you mean partition?" },
    ]);
  });

  it("--format json prints [] when clean", async () => {
    const result = await runCli("check", "--format=json", "specs/minimal.dts");
    expect(result).toMatchObject({ code: 0 });
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it("--format github prints workflow annotations", async () => {
    const result = await runCli("check", "--format", "github", file("bad.dts"));
    expect(result.stdout.trim()).toBe(`::error file=${file("bad.dts")},line=2,col=3,endLine=2,endColumn=11,title=DTS2001::unknown attribute partiton in a pipeline block (hint: did you mean partition?)`);
  });

  it("warns on a literal password, and fails on it with --strict", async () => {
    const lenient = await runCli("check", file("secret.dts"));
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain("warning DTS2011");
    expect(lenient.stdout).not.toContain('"pw"');
    expect(lenient.stdout).toContain('password = "**"');
    const strict = await runCli("check", "--strict", file("secret.dts"));
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("error DTS2011");
  });

  it("exits 2 on usage errors", async () => {
    expect((await runCli("check")).code).toBe(2);
    expect((await runCli("check", "--format", "xml", "specs/minimal.dts")).stderr).toContain("--format must be one of text, json, github");
    expect((await runCli("check", "--bogus", "specs/minimal.dts")).code).toBe(2);
    const missing = await runCli("check", file("missing.dts"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read");
  });
});
