// dts plan --diff end to end: a throwaway git repository with two commits of a spec, compared
// with HEAD~1, a folder and a file, with the exit codes CI relies on.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const shop = readFileSync(join(import.meta.dirname, "../plan-diff/fixtures/shop.dts"), "utf8");
let repo = "";
let spec = "";

function git(...args: string[]): void {
  execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: repo, stdio: "ignore" });
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "dts-plan-diff-"));
  mkdirSync(join(repo, "specs"));
  spec = join(repo, "specs", "shop.dts");
  git("init", "-q");
  writeFileSync(spec, shop);
  writeFileSync(join(repo, "specs", "gone.dts"), shop.replace('pipeline "shop"', 'pipeline "gone"').replace("db.internal", "db9.internal").replace(/shop\.(orders|changes)/g, "gone.$1"));
  git("add", ".");
  git("commit", "-q", "-m", "one");
  writeFileSync(spec, shop.replace('"shop.orders"', '"shop.orders.v2"').replace("chunk_size          = 5000", "chunk_size = 100"));
  rmSync(join(repo, "specs", "gone.dts"));
  git("add", "-A");
  git("commit", "-q", "-m", "two");
});

describe("dts plan --diff", () => {
  it("lists the changes since HEAD~1 and exits 0 without --fail-on", async () => {
    const result = await runCli("plan", "--diff", "HEAD~1", spec);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")).toEqual([
      `${spec}:25:5: safe: pipeline "shop": initial sync chunk size changed: 5000 → 100`,
      "  only how many rows one snapshot query reads",
      `${spec}:31:7: breaking: pipeline "shop" shop.orders: topic changed: shop.orders → shop.orders.v2`,
      "  the table moves to another topic; consumers of shop.orders stop receiving its rows",
      `${spec}:31:7: caution: pipeline "shop": new topic: shop.orders.v2`,
      "  the run creates it when missing with 6 partition(s)",
      "3 changes: 1 breaking, 1 caution, 1 safe",
      "",
    ]);
  });

  it("exits 1 with --fail-on when a change is that severe, and 0 when none is", async () => {
    expect((await runCli("plan", "--diff", "HEAD~1", spec, "--fail-on", "breaking")).code).toBe(1);
    expect((await runCli("plan", "--diff", "HEAD~1", spec, "--fail-on", "caution")).code).toBe(1);
    expect(await runCli("plan", "--diff", "HEAD", spec, "--fail-on", "caution")).toMatchObject({ code: 0, stdout: "no changes\n" });
  });

  it("reads a folder at the revision, so a deleted spec's pipeline shows as removed", async () => {
    const result = await runCli("plan", "--diff", "HEAD~1", join(repo, "specs"), "--format", "json");
    const changes = JSON.parse(result.stdout) as { pipeline: string; change: string; side: string; file: string; line: number }[];
    expect(changes).toContainEqual(expect.objectContaining({ pipeline: "gone", change: "pipeline removed", side: "base", file: join(repo, "specs", "gone.dts"), line: 2 }));
    expect(changes.map((c) => c.change)).toContain("topic changed");
  });

  it("compares with a spec file as the base, and prints GitHub annotations and Markdown", async () => {
    const github = await runCli("plan", "--diff", join(import.meta.dirname, "../plan-diff/fixtures/shop.dts"), spec, "--format", "github");
    expect(github.stdout).toContain(`::error file=${spec},line=31,col=7,title=breaking%3A topic changed::pipeline "shop" shop.orders: topic changed: shop.orders → shop.orders.v2.`);
    const markdown = await runCli("plan", "--diff", "HEAD~1", spec, "--format", "markdown");
    expect(markdown.stdout).toMatch(/^### dts plan --diff: 3 changes: 1 breaking, 1 caution, 1 safe\n\n\| severity \|/);
  });

  it("names the side whose spec does not compile, and exits 1", async () => {
    const broken = join(repo, "broken.dts");
    writeFileSync(broken, 'pipeline "p" { mode = sideways }\n');
    const result = await runCli("plan", "--diff", broken, spec);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the base ${broken} does not compile:`);
    expect(result.stderr).toContain("DTS2005");
    const newSide = await runCli("plan", "--diff", spec, broken);
    expect(newSide.code).toBe(1);
    expect(newSide.stderr).toContain(`the new side (${broken}) does not compile:`);
  });

  it("never prints a literal password, and says it changed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dts-plan-diff-"));
    const write = (name: string, value: string) => {
      writeFileSync(join(dir, name), shop.replace('env("DB_PASSWORD")', `"${value}"`));
      return join(dir, name);
    };
    const result = await runCli("plan", "--diff", write("a.dts", "hunter2"), write("b.dts", "swordfish"), "--format", "json");
    expect(result.stdout + result.stderr).not.toMatch(/hunter2|swordfish/);
    expect(JSON.parse(result.stdout)).toEqual([expect.objectContaining({ change: "source password changed", from: null, to: null })]);
  });

  it("treats an unknown base and --fail-on without --diff as usage errors", async () => {
    expect((await runCli("plan", "--diff", "no-such-rev", spec)).code).toBe(2);
    expect((await runCli("plan", "--fail-on", "breaking", spec)).code).toBe(2);
    expect((await runCli("plan", "--diff", "HEAD", spec, "--fail-on", "safe")).code).toBe(2);
    expect((await runCli("plan", "--diff", "HEAD", spec, "--format", "yaml")).code).toBe(2);
  });
});
