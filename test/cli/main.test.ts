import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/main.js";
import { runCli } from "./run-cli.js";

describe("dts", () => {
  it("--version prints the package version", async () => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(await runCli("--version")).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("--help lists every registered command", async () => {
    const result = await runCli("--help");
    expect(result.code).toBe(0);
    for (const name of Object.keys(commands)) expect(result.stdout).toContain(`  ${name} `);
  });

  it("no arguments prints help and exits 2", async () => {
    const result = await runCli();
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("Usage: dts <command>");
  });

  it.each(Object.keys(commands))("%s --help prints its usage", async (name) => {
    const result = await runCli(name, "--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: dts ${name}`);
  });

  it("an unknown command is a usage error with a pointer to help", async () => {
    const result = await runCli("chekc");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "chekc"');
  });
});
