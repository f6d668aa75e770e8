// dts test end to end: the shipped spec tests pass (this is how `npm test`, and so .ci/run, runs
// `dts test specs/`), a failing case exits 1 in every format, a bad command line exits 2, and
// --update rewrites the file so that the next run passes.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

let dir: string;
const file = (name: string) => join(dir, name);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "dts-test-"));
  cpSync("specs/minimal.dts", file("minimal.dts"));
  // The topic changed: the shipped expectations no longer hold.
  writeFileSync(file("minimal.dts"), readFileSync(file("minimal.dts"), "utf8").replace('"inventory.changes"', '"inventory.all"'));
  cpSync("specs/minimal.test.dts", file("minimal.test.dts"));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("dts test", () => {
  it("passes the shipped spec tests of specs/ and its folders", async () => {
    const result = await runCli("test", "specs/");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^PASS specs\/demo\.test\.dts:3:6: "an order and its items in one transaction"$/m);
    expect(result.stdout).toContain("PASS specs/many-to-one/shards.test.dts:");
    expect(result.stdout).toMatch(/\n\d+ passed, 0 failed\n$/);
    expect(result.stderr).toBe("");
  });

  it("leaves spec tests out of dts check and dts plan on a folder", async () => {
    expect((await runCli("check", "specs/")).code).toBe(0);
    expect((await runCli("plan", "specs/")).code).toBe(0);
  });

  it("exits 1 with a diff when a case fails", async () => {
    const result = await runCli("test", dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`FAIL ${file("minimal.test.dts")}:3:6: "an insert reaches the destination topic in DTS Avro"`);
    expect(result.stdout).toContain(`  ${file("minimal.test.dts")}:20:3: message 1 differs from the expectation`);
    expect(result.stdout).toContain('    -   "topic": "inventory.changes",\n    +   "topic": "inventory.all",');
    expect(result.stdout).toMatch(/\n0 passed, 2 failed\n$/);
  });

  it("--format json and github report the same failures", async () => {
    const json = await runCli("test", "--format", "json", file("minimal.test.dts"));
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { cases: { status: string }[]; passed: number; failed: number };
    expect(parsed.cases.map((c) => c.status)).toEqual(["failed", "failed"]);
    expect([parsed.passed, parsed.failed]).toEqual([0, 2]);
    const github = await runCli("test", "--format=github", file("minimal.test.dts"));
    expect(github.code).toBe(1);
    expect(github.stdout).toMatch(/^::error file=[^,]+minimal\.test\.dts,line=20,col=3,/);
  });

  it("reports problems in a test file as diagnostics and exits 1", async () => {
    writeFileSync(file("minimal.test.dts"), 'test "x" {\n  pipline = "minimal"\n}\n');
    const result = await runCli("test", file("minimal.test.dts"));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${file("minimal.test.dts")}:2:3: error DTS2001: unknown attribute pipline in a test block`);
    expect(result.stdout).toContain("  hint: did you mean pipeline?");
    expect(result.stdout).toMatch(/0 passed, 1 failed, 1 file with errors\n$/);
  });

  it("counts a test file that does not parse in its summary", async () => {
    const broken = join(mkdtempSync(join(tmpdir(), "dts-test-broken-")), "broken.test.dts");
    writeFileSync(broken, 'test "x" {\n  insert {\n');
    const result = await runCli("test", broken);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/0 passed, 0 failed, 1 file with errors\n$/);
  });

  it("--update rewrites the expectations, and the run then passes", async () => {
    const before = readFileSync(file("minimal.test.dts"), "utf8");
    const result = await runCli("test", "--update", dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`${file("minimal.test.dts")}: expectations updated\n`);
    const after = readFileSync(file("minimal.test.dts"), "utf8");
    expect(after).toBe(before.replaceAll('"inventory.changes"', '"inventory.all"'));
    expect((await runCli("test", dir)).code).toBe(0);
    const again = await runCli("test", "--update", dir);
    expect(again.stderr).toBe("");
  });

  it("exits 2 on a usage error", async () => {
    expect((await runCli("test", "--format", "xml", "specs/")).code).toBe(2);
    expect((await runCli("test", "--bogus", "specs/")).code).toBe(2);
    expect((await runCli("test", join(dir, "missing"))).code).toBe(2);
    const empty = mkdtempSync(join(tmpdir(), "dts-test-empty-"));
    const result = await runCli("test", empty);
    rmSync(empty, { recursive: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("holds no .test.dts files");
  });
});

describe("dts test on links", () => {
  it("follows a linked test file and a linked folder, and runs a file reached twice once", async () => {
    mkdirSync(file("real"));
    mkdirSync(file("ci"));
    cpSync("specs/minimal.dts", file("real/minimal.dts"));
    cpSync("specs/minimal.test.dts", file("real/minimal.test.dts"));
    symlinkSync("../real/minimal.dts", file("ci/minimal.dts"));
    symlinkSync("../real/minimal.test.dts", file("ci/minimal.test.dts"));
    symlinkSync("../real", file("ci/linked"));
    symlinkSync("..", file("ci/up"));
    const result = await runCli("test", file("ci"));
    expect(result.stderr).toBe("");
    // ci/linked sorts first: its copy runs, the linked file beside it is the same file.
    expect(result.stdout).toContain(`PASS ${file("ci/linked/minimal.test.dts")}:3:6:`);
    expect(result.stdout).toMatch(/\n2 passed, 0 failed\n$/);
    expect(result.code).toBe(0);
    rmSync(file("ci/linked"));
    expect((await runCli("test", file("ci"))).stdout).toContain(`PASS ${file("ci/minimal.test.dts")}:3:6:`);
  });

  it("a dangling or looping test file link in a folder is a usage error naming it", async () => {
    symlinkSync("nowhere", file("dangling.test.dts"));
    const dangling = await runCli("test", dir);
    expect(dangling.code).toBe(2);
    expect(dangling.stderr).toContain(`cannot read ${file("dangling.test.dts")}: it links to nowhere, which does not exist`);
    rmSync(file("dangling.test.dts"));
    symlinkSync("loopB.test.dts", file("loopA.test.dts"));
    symlinkSync("loopA.test.dts", file("loopB.test.dts"));
    const looping = await runCli("test", dir);
    expect(looping.code).toBe(2);
    expect(looping.stderr).toContain(`cannot read ${file("loopA.test.dts")}: ELOOP`);
  });

  it("a looping link named on the command line is a usage error, not a crash", async () => {
    symlinkSync("loop2.dts", file("loop1.dts"));
    symlinkSync("loop1.dts", file("loop2.dts"));
    const result = await runCli("test", file("loop1.dts"));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot read ${file("loop1.dts")}: ELOOP`);
    expect(result.stderr).not.toContain("unexpected error");
  });
});
