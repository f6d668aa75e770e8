// `dts plan | head`: the reader goes away before the output is written, and the command ends
// with exit 0 rather than an unhandled EPIPE and its stack.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const repoRoot = new URL("../..", import.meta.url).pathname;

/** A spec whose plan is far larger than a pipe's buffer. */
function largeSpec(): string {
  const tables = Array.from({ length: 4000 }, (_, i) => `    table "t${i}" { topic = "t${i}" }`).join("\n");
  const text = `pipeline "big" {\n  source mysql {\n    host = "db"\n    user = "u"\n    password = env("P")\n  }\n  destination kafka {\n    brokers = ["k:9092"]\n    topic = "all"\n  }\n  database "shop" {\n${tables}\n  }\n}\n`;
  const file = join(mkdtempSync(join(tmpdir(), "dts-closed-")), "big.dts");
  writeFileSync(file, text);
  return file;
}

/** Runs the CLI, reads its first chunk of output, then closes the pipe. */
function readFirstChunk(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.once("data", () => child.stdout.destroy());
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

describe("output read only in part", () => {
  it.each([["plan"], ["fmt", "--stdout"]])("dts %s ends with exit 0 and no trace when the reader goes away", async (...command) => {
    const file = largeSpec();
    const { code, stderr } = await readFirstChunk([...command, file]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
  }, 30_000);
});
