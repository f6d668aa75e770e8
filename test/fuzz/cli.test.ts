// The CLI as a user runs it, one process per command: on a 5,000-level nesting, 64 KB of random
// bytes, a 100 KB line, a misspelt password and a backtracking regex, `dts check`, `dts plan`
// (with JSON diagnostics) and `dts fmt --check` exit 0 or 1, print no stack trace and no secret,
// and finish within a multiple of `dts check specs/full.dts` timed in the same run. Each process
// costs a second or two of starting up, so there are few of them.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spec } from "./template.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
/**
 * A CLI run may take this many times as long as checking specs/full.dts; starting node and tsx
 * dominates both (the heaviest command here takes under twice the baseline on an idle machine).
 */
const maxSlowdown = 6;
const secret = "S3cr3t-XYZ-Qm7Kp2Vx9T";

function randomBytes(count: number, seed: number): Buffer {
  const bytes = Buffer.alloc(count);
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

const files: Record<string, string | Buffer> = {
  "deep.dts": spec({ pipeline: `${"x { ".repeat(5000)}${"} ".repeat(5000)}` }),
  "deep-open.dts": spec({ brokers: `brokers = ${"[".repeat(5000)}` }),
  "junk.dts": randomBytes(64 * 1024, 42),
  "long-line.dts": spec({ pipeline: Array.from({ length: 9000 }, (_, i) => `x${i} = ${i}`).join(" ") }),
  "secret.dts": spec({ source: `pasword = "${secret}"`, destination: `auth {\n  mechanism = plain\n  username  = "svc"\n  password  = '${secret}'\n}` }).replace("pipeline", "pipeline = ="),
  "regex.dts": spec({ databases: `database "shop" {\n  table match("(a+)+$") {}\n  table "${"a".repeat(40)}!" {}\n}` }),
};

interface Run {
  code: number | null;
  output: string;
  ms: number;
  killed: boolean;
}

function dts(args: string[], deadlineMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer) => {
      if (output.length < 4 * 1024 * 1024) output += chunk.toString();
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, deadlineMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: performance.now() - started, killed });
    });
  });
}

const path = (name: string) => join(dir, name);
const specs = Object.keys(files).filter((f) => f !== "regex.dts");

/**
 * Each command line gets every file but the regex one at once (the output names the file of
 * each problem); the regex file runs alone, so a hang on it blames only itself.
 */
const commands: Record<string, () => string[]> = {
  "dts check": () => ["check", ...specs.map(path)],
  "dts plan --format json": () => ["plan", "--format", "json", ...specs.map(path)],
  "dts fmt --check": () => ["fmt", "--check", ...specs.map(path)],
  "dts check regex.dts": () => ["check", path("regex.dts")],
};

let dir: string;
const runs = new Map<string, Run>();

/** Two processes at a time: more would only make each slower on a small machine. */
async function runAll(deadlineMs: number): Promise<void> {
  const queue = Object.entries(commands);
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) runs.set(next[0], await dts(next[1](), deadlineMs));
  };
  await Promise.all([worker(), worker()]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dts-fuzz-cli-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  // Timed two at a time, as the commands run.
  const baseline = await Promise.all([dts(["check", "specs/full.dts"], 60_000), dts(["check", "specs/full.dts"], 60_000)]);
  await runAll(maxSlowdown * Math.max(...baseline.map((r) => r.ms)));
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the dts process", () => {
  it.each(Object.keys(commands))("%s exits 0 or 1 without a stack trace or the secret, in time", (name) => {
    const run = runs.get(name) as Run;
    const problems: string[] = [];
    if (run.killed) problems.push(`did not finish within ${maxSlowdown}× the time of dts check specs/full.dts; killed`);
    else if (run.code !== 0 && run.code !== 1) problems.push(`exit code ${run.code}`);
    const shown = (at: number) => JSON.stringify(run.output.slice(Math.max(0, at - 120), at + 120));
    for (const [pattern, what] of [
      [/^ {4}at .+:\d+:\d+\)?$/m, "a stack trace"],
      [/Maximum call stack/, '"Maximum call stack"'],
      [/Invalid string length/, '"Invalid string length"'],
      [new RegExp(secret.slice(-10)), "the secret"],
    ] as const) {
      const at = run.output.search(pattern);
      if (at >= 0) problems.push(`prints ${what}: ${shown(at)}`);
    }
    expect(problems, `output starts: ${JSON.stringify(run.output.slice(0, 300))}`).toEqual([]);
  });
});
