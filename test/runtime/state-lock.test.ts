// One run per state folder: the lock file names its owner, refuses a second run while that
// owner lives, is taken over (with a log line) once it is gone, and goes away on every exit.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { lockStateFolders, stateLockHeld, stateLockPath, StateLock, type LockOwner } from "../../src/runtime/checkpoint/state-lock.js";
import { RuntimeError } from "../../src/runtime/errors.js";
import type { Logger } from "../../src/runtime/logger.js";
import { currentProcess, processLiveness } from "../../src/runtime/process-identity.js";
import { deadPid } from "../observe/status-fixtures.js";

function folder(): string {
  const stateDir = join(mkdtempSync(join(tmpdir(), "dts-lock-")), "orders");
  mkdirSync(stateDir);
  return stateDir;
}

function recordingLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = { warn: (_fields: object, message: string) => void lines.push(message) } as unknown as Logger;
  return { log, lines };
}

function writeLock(stateDir: string, owner: Partial<LockOwner>): void {
  const full: LockOwner = { pipeline: "orders", pid: deadPid, host: hostname(), processStart: null, startedAt: "2026-11-23T09:00:00.000Z", command: "dts run shop.dts", ...owner };
  writeFileSync(stateLockPath(stateDir), JSON.stringify(full));
}

async function refusal(stateDir: string): Promise<RuntimeError> {
  try {
    await StateLock.acquire(stateDir, "orders", { stopCommand: (owner) => `dts stop --pipeline ${owner.pipeline} shop.dts` });
  } catch (error) {
    if (error instanceof RuntimeError) return error;
    throw error;
  }
  throw new Error("the lock was granted twice");
}

describe("process identity", () => {
  it("knows this process, a dead pid, a reused pid and a process on another host", () => {
    const self = currentProcess();
    expect(processLiveness(self)).toBe("running");
    expect(processLiveness({ pid: deadPid })).toBe("gone");
    expect(processLiveness({ ...self, processStart: "another-boot/12345" })).toBe("gone");
    expect(processLiveness({ ...self, host: "elsewhere.example" })).toBe("unknown");
  });
});

describe("state folder lock", () => {
  it("records who holds it and releases it", async () => {
    const stateDir = folder();
    const lock = await StateLock.acquire(stateDir, "orders", { command: "dts run shop.dts" });
    const owner = JSON.parse(readFileSync(stateLockPath(stateDir), "utf8")) as LockOwner;
    expect(owner).toMatchObject({ pipeline: "orders", pid: process.pid, host: hostname(), command: "dts run shop.dts" });
    expect(Date.parse(owner.startedAt)).not.toBeNaN();
    expect(stateLockHeld(stateDir)).toBe(true);
    lock.release();
    expect(existsSync(stateLockPath(stateDir))).toBe(false);
  });

  it("refuses a second run while the first lives, saying who, since when, where and how to stop it", async () => {
    const stateDir = folder();
    const lock = await StateLock.acquire(stateDir, "orders");
    const error = await refusal(stateDir);
    expect(error.code).toBe("state-locked");
    expect(error.message).toBe(`pipeline "orders" is already running as pid ${process.pid} since ${lock.owner.startedAt} (state folder ${stateDir}); stop it with \`dts stop --pipeline orders shop.dts\``);
    expect(error.hint).toContain(stateLockPath(stateDir));
    lock.release();
  });

  it("takes over the lock of a process that is gone, with a log line", async () => {
    const stateDir = folder();
    writeLock(stateDir, { pid: deadPid });
    const { log, lines } = recordingLog();
    const lock = await StateLock.acquire(stateDir, "orders", { log });
    expect(lines).toEqual([`taking over the lock of pid ${deadPid} (started 2026-11-23T09:00:00.000Z), which no longer runs`]);
    expect(lock.owner.pid).toBe(process.pid);
    lock.release();
  });

  it("takes over a lock whose pid now belongs to another program", async () => {
    const stateDir = folder();
    writeLock(stateDir, { pid: process.pid, processStart: "another-boot/1" });
    const lock = await StateLock.acquire(stateDir, "orders");
    expect(JSON.parse(readFileSync(stateLockPath(stateDir), "utf8")).processStart).toBe(currentProcess().processStart);
    lock.release();
  });

  it("refuses a lock held on another host, which it cannot check", async () => {
    const stateDir = folder();
    writeLock(stateDir, { host: "elsewhere.example", pid: 4242 });
    expect((await refusal(stateDir)).message).toMatch(/already running as pid 4242 on host elsewhere\.example .*on elsewhere\.example$/);
  });

  it("takes over a damaged lock once it is old, not while its writer may still be writing", async () => {
    const stateDir = folder();
    writeFileSync(stateLockPath(stateDir), "");
    const old = new Date(Date.now() - 60_000);
    utimesSync(stateLockPath(stateDir), old, old);
    const { log, lines } = recordingLog();
    (await StateLock.acquire(stateDir, "orders", { log })).release();
    expect(lines[0]).toMatch(/damaged lock file/);
  });

  it("takes over a damaged lock dated in the future (the clock was stepped back), and a guard left so", async () => {
    const stateDir = folder();
    const future = new Date(Date.now() + 3_600_000);
    writeFileSync(stateLockPath(stateDir), "\n");
    utimesSync(stateLockPath(stateDir), future, future);
    writeFileSync(`${stateLockPath(stateDir)}.takeover`, "");
    utimesSync(`${stateLockPath(stateDir)}.takeover`, future, future);
    const { log, lines } = recordingLog();
    (await StateLock.acquire(stateDir, "orders", { log })).release();
    expect(lines[0]).toMatch(/damaged lock file/);
    expect(existsSync(`${stateLockPath(stateDir)}.takeover`)).toBe(false);
  });

  it("does not remove a lock another process took over meanwhile", async () => {
    const stateDir = folder();
    const lock = await StateLock.acquire(stateDir, "orders");
    writeLock(stateDir, { pid: 4242, host: "elsewhere.example" });
    lock.release();
    expect(existsSync(stateLockPath(stateDir))).toBe(true);
  });

  it("locks all pipelines or none", async () => {
    const free = folder();
    const taken = folder();
    const held = await StateLock.acquire(taken, "orders");
    const pipelines = [free, taken].map((dir) => ({ name: "orders", checkpoint: { directory: resolve(dir, "..") } }));
    await expect(lockStateFolders(pipelines)).rejects.toThrow(/already running/);
    expect(existsSync(stateLockPath(free))).toBe(false);
    held.release();
  });

  it("is released when the process exits without releasing it", () => {
    const stateDir = folder();
    const module = resolve(import.meta.dirname, "../../src/runtime/checkpoint/state-lock.ts");
    const script = `const { StateLock } = await import(${JSON.stringify(module)}); await StateLock.acquire(${JSON.stringify(stateDir)}, "orders"); process.exit(3);`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
    expect(child.status, child.stderr).toBe(3);
    expect(existsSync(stateLockPath(stateDir))).toBe(false);
  });
});
