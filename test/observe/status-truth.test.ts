// `dts status` must not mislead: a damaged status file is not "never run", a pid that now
// belongs to another program is not our pipeline streaming, and text from the state folder
// cannot drive the terminal.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { currentProcess } from "../../src/runtime/process-identity.js";
import { runCli } from "../cli/run-cli.js";
import { stateDir, status, writeStatusFile } from "./status-fixtures.js";

describe("dts status on a damaged or reused state folder", () => {
  it("says a corrupt status file is unreadable, where and why, and exits 1", async () => {
    const dir = stateDir();
    mkdirSync(join(dir, "orders"));
    writeFileSync(join(dir, "orders", "status.json"), '{"phase": "stream');
    const text = await runCli("status", "--state-dir", dir);
    expect(text.code).toBe(1);
    expect(text.stdout).not.toContain("never run");
    expect(text.stdout).toContain(`unknown: ${join(dir, "orders", "status.json")} is not valid JSON (`);
    const json = JSON.parse((await runCli("status", "--state-dir", dir, "--format", "json")).stdout) as { pipelines: { from: string; problem: string }[] };
    expect(json.pipelines[0]).toMatchObject({ from: "unreadable", problem: expect.stringContaining("is not valid JSON") });
  });

  it("says a status file without the fields it needs is not one", async () => {
    const dir = stateDir();
    mkdirSync(join(dir, "orders"));
    writeFileSync(join(dir, "orders", "status.json"), JSON.stringify({ pipeline: "orders", phase: "streaming" }));
    expect((await runCli("status", "--state-dir", dir)).stdout).toContain("status.json is not a status file: it has no pid");
  });

  it("shows a pipeline whose pid now belongs to another program as not running", async () => {
    const dir = stateDir();
    const updatedAt = new Date(Date.now() - 300_000).toISOString();
    // This test's own pid, alive, but recorded with another start time: the pipeline's process is gone.
    writeStatusFile(dir, status("orders", { pid: process.pid, host: currentProcess().host, processStart: "another-boot/1", updatedAt }));
    const text = await runCli("status", "--state-dir", dir);
    const line = text.stdout.split("\n")[1] ?? "";
    expect(line).toMatch(/^orders\s+not running \(last seen streaming, 5m ago\)\s+-\s+-\s+mysql-bin/);
    expect(text.stdout).not.toContain("undefined");
  });

  it("shows a live pipeline whose status file lacks numbers with dashes, never 'undefineds'", async () => {
    const dir = stateDir();
    writeStatusFile(dir, status("orders", { ...currentProcess(), delaySeconds: undefined as never, eventsPerSecond: undefined as never }));
    const line = (await runCli("status", "--state-dir", dir)).stdout.split("\n")[1] ?? "";
    expect(line).toMatch(/^orders\s+streaming\s+-\s+-\s+mysql-bin/);
  });

  it("escapes control characters from the status file in the table and in JSON", async () => {
    const dir = stateDir();
    const evil = "binlog gone\u001b]0;owned\u0007\u001b[2J\u009b31m\u202e";
    writeStatusFile(dir, status("orders", { phase: "failed", error: { message: evil, hint: null } }));
    writeStatusFile(dir, status("bad\u001b[31mname", { phase: "stopped" }));
    const text = await runCli("status", "--state-dir", dir);
    expect(text.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text.stdout).toContain("failed: binlog gone\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202e");
    expect(text.stdout).toContain("bad\\x1b[31mname");
    const json = (await runCli("status", "--state-dir", dir, "--format", "json")).stdout;
    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    const parsed = JSON.parse(json) as { pipelines: { pipeline: string; error: { message: string } | null }[] };
    expect(parsed.pipelines.find((p) => p.pipeline === "orders")?.error?.message).toBe(evil);
  });

  it("refuses a --state-dir that is a regular file with one line", async () => {
    const dir = stateDir();
    const file = join(dir, "not-a-folder");
    writeFileSync(file, "x");
    const text = await runCli("status", "--state-dir", file);
    expect(text.code).toBe(2);
    expect(text.stderr).toBe(`dts status: --state-dir ${file} is not a directory; name the checkpoint directory of the specs (it holds one folder per pipeline)\nRun "dts status --help" for usage.\n`);
  });
});
