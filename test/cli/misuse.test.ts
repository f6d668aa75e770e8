// Misusing the CLI ends in one line that says what is wrong and what to do, with exit code 2,
// before anything connects: never a stack trace, never a hang.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../../src/cli/main.js";
import { RuntimeError } from "../../src/runtime/errors.js";
import { runCli, type CliResult } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "dts-misuse-"));

/** A pipeline whose source cannot be reached: a precheck that ran would print its failures. */
function writeSpec(): string {
  const path = join(dir, "shop.dts");
  writeFileSync(path, `pipeline "shop" {
  source mysql {
    host      = "127.0.0.1"
    port      = 1
    user      = "dts"
    password  = env("DTS_MISUSE_PASSWORD")
    server_id = 4711
  }
  destination kafka {
    brokers = ["127.0.0.1:1"]
    topic   = "shop.changes"
  }
  checkpoint { directory = "${join(dir, "state")}" }
  database "shop" {}
}
`);
  return path;
}

function expectOneUsageLine(result: CliResult, message: string | RegExp): void {
  expect(result.code).toBe(2);
  const [first, second, ...rest] = result.stderr.split("\n");
  if (typeof message === "string") expect(first).toBe(message);
  else expect(first).toMatch(message);
  expect(second).toMatch(/^Run "dts \w+ --help" for usage\.$/);
  expect(rest.join("")).toBe("");
  expect(result.stdout).toBe("");
}

afterEach(() => {
  delete process.env.DTS_LOG_LEVEL;
});

describe("dts run, misused", () => {
  it("names the pipelines when --pipeline names none of them, with a did-you-mean", async () => {
    const spec = writeSpec();
    expectOneUsageLine(await runCli("run", "--pipeline", "nope", spec), 'dts run: no pipeline named "nope"; the specs declare: shop');
    expectOneUsageLine(await runCli("run", "--pipeline", "shopp", spec), 'dts run: no pipeline named "shopp"; the specs declare: shop (did you mean shop?)');
  });

  it("refuses a plan without pipelines", async () => {
    const plan = join(dir, "empty.json");
    writeFileSync(plan, JSON.stringify({ planVersion: 1, pipelines: [] }));
    // The command line is right; the file it names is wrong: exit 1, without the usage line.
    expect(await runCli("run", "--plan", plan)).toEqual({ code: 1, stdout: "", stderr: `dts run: plan ${plan} holds no pipelines; make it with \`dts plan <spec files> > ${plan}\`\n` });
  });

  it("refuses a spec that is not UTF-8 at its first foreign byte, with exit 1", async () => {
    const spec = join(mkdtempSync(join(tmpdir(), "dts-latin1-")), "latin1.dts");
    writeFileSync(spec, Buffer.concat([Buffer.from('\uFEFFpipeline "p" {\n  # caf'), Buffer.from([0xe9]), Buffer.from(" \u20ac\n}\n")]));
    for (const command of ["check", "fmt", "plan"]) {
      expect(await runCli(command, spec)).toEqual({ code: 1, stdout: "", stderr: `dts ${command}: ${spec}:2:8: the spec file is not UTF-8 text (byte 0xE9 here); save it as UTF-8\n` });
    }
  });

  it("refuses an unknown log level from the flag or the environment before anything connects", async () => {
    const spec = writeSpec();
    expectOneUsageLine(await runCli("run", "--log-level", "bogus", spec), 'dts run: --log-level must be one of trace, debug, info, warn, error, fatal, silent; got "bogus"');
    process.env.DTS_LOG_LEVEL = "loud";
    expectOneUsageLine(await runCli("run", spec), 'dts run: DTS_LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent; got "loud"');
  });
});

describe("files that are not spec files", () => {
  it("refuses a device instead of reading it forever", async () => {
    expectOneUsageLine(await runCli("check", "/dev/zero"), "dts check: cannot read spec file /dev/zero: it is a device; name a regular file");
  });

  it("refuses a named pipe instead of waiting for a writer", async () => {
    const fifo = join(dir, "pipe.dts");
    execFileSync("mkfifo", [fifo]);
    expectOneUsageLine(await runCli("check", fifo), `dts check: cannot read spec file ${fifo}: it is a named pipe (FIFO); name a regular file`);
    expectOneUsageLine(await runCli("check", dir), `dts check: cannot read spec file ${fifo}: it is a named pipe (FIFO); name a regular file`);
  });

  it("refuses a file larger than any spec, and a plan that is a device", async () => {
    const big = join(dir, "huge.dts");
    writeFileSync(big, Buffer.alloc(9 * 1024 * 1024, 0x20));
    expectOneUsageLine(await runCli("check", big), `dts check: spec file ${big} is 9 MiB, more than the 8 MiB a spec file may have; is it the right file?`);
    expectOneUsageLine(await runCli("run", "--plan", "/dev/zero"), "dts run: cannot read plan /dev/zero: it is a device; name a regular file");
  });

  it("names a missing file", async () => {
    expectOneUsageLine(await runCli("check", join(dir, "missing.dts")), `dts check: cannot read ${join(dir, "missing.dts")}: no such file or directory`);
  });
});

describe("unknown commands", () => {
  it("suggests the closest command", async () => {
    const result = await runCli("stauts");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('dts: unknown command "stauts" (did you mean status?). Run "dts --help" to see the commands.\n');
  });
});

describe("errors nobody expected", () => {
  afterEach(() => {
    delete commands.boom;
  });

  function register(error: unknown): void {
    commands.boom = { summary: "fails", help: "Usage: dts boom", run: async () => Promise.reject(error) };
  }

  it("prints a runtime error as one line with its hint, exit 1", async () => {
    register(new RuntimeError("checkpoint", "checkpoint /x/orders/checkpoint.json is damaged", { hint: "delete /x/orders to start over" }));
    expect(await runCli("boom")).toEqual({ code: 1, stdout: "", stderr: "dts boom: error DTS5011: checkpoint /x/orders/checkpoint.json is damaged\n  hint: delete /x/orders to start over\n" });
  });

  it("prints a bug as one line, and its stack only with --verbose", async () => {
    register(new TypeError("cannot read properties of undefined"));
    const plain = await runCli("boom");
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe("dts boom: unexpected error: cannot read properties of undefined\n  run it again with --verbose to see where it failed, and report it as a bug\n");
    expect((await runCli("boom", "--verbose")).stderr).toMatch(/unexpected error: cannot read properties of undefined\nTypeError: .*\n +at /);
  });
});
