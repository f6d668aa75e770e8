// Daemons the stack starts and later stops: each one is identified by its pid file, so
// stack:down stops exactly what stack:up started and nothing else.
import { spawn, spawnSync, type SpawnOptions } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export function progress(message: string): void {
  process.stderr.write(`[stack] ${message}\n`);
}

/** The java of JAVA_HOME when it is set, else the one on PATH. */
export function javaBinary(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
}

export function readPid(pidFile: string): number | null {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A zombie still answers signal 0; it is not running for our purposes.
  const stat = spawnSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" });
  return !stat.stdout.trim().startsWith("Z");
}

/** The pid recorded in pidFile when that process still runs; clears a stale file. */
export function runningPid(pidFile: string): number | null {
  const pid = readPid(pidFile);
  if (pid !== null && isAlive(pid)) return pid;
  if (existsSync(pidFile)) rmSync(pidFile);
  return null;
}

/** Starts a detached daemon whose output goes to logFile, and records its pid. */
export function startDaemon(command: string, args: string[], pidFile: string, logFile: string, options: SpawnOptions = {}): number {
  mkdirSync(dirname(logFile), { recursive: true });
  const out = openSync(logFile, "a");
  try {
    const child = spawn(command, args, { ...options, detached: true, stdio: ["ignore", out, out] });
    if (child.pid === undefined) throw new Error(`could not start ${command}: is it installed and on PATH?`);
    child.unref();
    writeFileSync(pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** SIGTERM, then SIGKILL when the process has not exited within graceMs. */
export async function stopDaemon(pidFile: string, name: string, graceMs = 30_000): Promise<boolean> {
  const pid = runningPid(pidFile);
  if (pid === null) return false;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    progress(`${name} (pid ${pid}) did not stop within ${graceMs / 1000}s; killing it`);
    process.kill(pid, "SIGKILL");
    while (isAlive(pid)) await sleep(50);
  }
  rmSync(pidFile, { force: true });
  return true;
}

export function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
    socket.setTimeout(1000, () => { socket.destroy(); resolve(false); });
  });
}

/** Polls probe until it succeeds; fails with the last error and a pointer to the log. */
export async function waitUntil(what: string, probe: () => Promise<unknown>, options: { timeoutMs: number; pid: number; logFile: string }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!isAlive(options.pid)) throw new Error(`${what} exited during startup; see ${options.logFile}`);
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      await sleep(250);
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`${what} did not accept connections within ${options.timeoutMs / 1000}s (${reason}); see ${options.logFile}`);
}

/** Runs a command to completion, streaming its output so a user sees long steps progress. */
export function runVisible(command: string, args: string[], options: SpawnOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    // Output goes to stderr so stdout keeps only what the command is asked for.
    const child = spawn(command, args, { stdio: ["ignore", 2, 2], ...options });
    child.once("error", (error) => reject(new Error(`could not run ${command}: ${error.message}`)));
    child.once("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** Runs a command quietly; on failure the error carries its output. */
export function runQuiet(command: string, args: string[], options: SpawnOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.once("error", (error) => reject(new Error(`could not run ${command}: ${error.message}`)));
    child.once("exit", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} failed with exit code ${code}:\n${output.trim()}`));
    });
  });
}
