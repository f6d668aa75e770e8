// One `dts run` per pipeline state folder. Two runs on the same folder both read the binlog
// under the same server id, so the server keeps dropping one for the other, and each resumes
// from the checkpoint the other wrote: everything is sent twice and checkpoints interleave.
// The lock is a file created with O_EXCL holding who owns it; one whose process is gone (or
// whose pid now belongs to another program) is taken over, a live one refuses the start.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { RuntimeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { currentProcess, processLiveness } from "../process-identity.js";
import { pipelineStateDir } from "./file-store.js";

export interface LockOwner {
  pipeline: string;
  pid: number;
  host: string;
  processStart: string | null;
  startedAt: string;
  command: string;
}

export interface LockOptions {
  log?: Logger;
  /** Recorded in the lock for whoever finds it; default: this process's arguments. */
  command?: string;
  /** How to stop the owner, for the refusal message, e.g. "dts stop --pipeline x spec.dts". */
  stopCommand?: (owner: LockOwner) => string;
}

export const lockFileName = "run.lock";
/** A lock file this young may still be being written by its creator. */
const writingGraceMs = 5_000;

export function stateLockPath(stateDir: string): string {
  return join(stateDir, lockFileName);
}

/** The lock's text and owner; owner null when the file is damaged; null when there is no lock. */
export function readLock(path: string): { text: string; owner: LockOwner | null } | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new RuntimeError("checkpoint", `cannot read the lock ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return { text, owner: typeof owner === "object" && owner !== null && typeof owner.pid === "number" ? owner : null };
  } catch {
    return { text, owner: null };
  }
}

/** True when a live process (or one on another host, which cannot be checked) holds the folder's lock. */
export function stateLockHeld(stateDir: string): boolean {
  const lock = readLock(stateLockPath(stateDir));
  return lock?.owner ? processLiveness(lock.owner) !== "gone" : false;
}

const held = new Set<StateLock>();
let exitHookInstalled = false;

/** A process that exits without releasing (process.exit, a crash) still removes its locks. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const lock of held) lock.release();
  });
}

export class StateLock {
  readonly path: string;
  readonly owner: LockOwner;
  #released = false;

  private constructor(path: string, owner: LockOwner) {
    this.path = path;
    this.owner = owner;
    held.add(this);
    installExitHook();
  }

  /** Takes the lock of a pipeline's state folder, or throws a RuntimeError naming the process that holds it. */
  static async acquire(stateDir: string, pipeline: string, options: LockOptions = {}): Promise<StateLock> {
    makeFolder(stateDir);
    const path = stateLockPath(stateDir);
    const self = currentProcess();
    const owner: LockOwner = {
      pipeline, pid: self.pid, host: self.host, processStart: self.processStart,
      startedAt: new Date().toISOString(), command: options.command ?? process.argv.slice(1).join(" "),
    };
    for (let attempt = 0; attempt < 50; attempt++) {
      if (create(path, owner)) return new StateLock(path, owner);
      const found = readLock(path);
      if (!found) continue;
      if (found.owner && processLiveness(found.owner) !== "gone") throw alreadyRunning(found.owner, stateDir, path, options);
      if (!found.owner && beingWritten(path)) {
        await sleep(100);
        continue;
      }
      if (!takeOver(path, found.text)) await sleep(100);
      else options.log?.warn({ lock: path, previous: found.owner ?? "unreadable" }, takeOverMessage(found.owner));
    }
    throw new RuntimeError("checkpoint", `cannot take the lock ${path}: it keeps changing hands`, { hint: "another dts run on this state folder is starting at the same time; run only one" });
  }

  /** Removes the lock if it is still this process's (a takeover may have replaced it). */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    held.delete(this);
    try {
      const current = readLock(this.path);
      if (current?.owner?.pid === this.owner.pid && current.owner.startedAt === this.owner.startedAt) rmSync(this.path, { force: true });
    } catch {
      // Nothing to do on the way out: a lock left behind is taken over as stale.
    }
  }
}

/** Locks the state folders of all the pipelines, or none of them. */
export async function lockStateFolders(pipelines: readonly { name: string; checkpoint: { directory: string } }[], options: LockOptions = {}): Promise<{ release(): void }> {
  const locks: StateLock[] = [];
  const release = () => {
    for (const lock of locks.splice(0)) lock.release();
  };
  try {
    for (const p of pipelines) locks.push(await StateLock.acquire(pipelineStateDir(p.checkpoint.directory, p.name), p.name, options));
  } catch (error) {
    release();
    throw error;
  }
  return { release };
}

function makeFolder(stateDir: string): void {
  try {
    mkdirSync(stateDir, { recursive: true });
  } catch (error) {
    throw new RuntimeError("checkpoint", `cannot create the state folder ${stateDir}: ${(error as Error).message}`, { cause: error, hint: "check checkpoint.directory in the spec and its permissions" });
  }
}

/** Creates the lock file only if there is none (O_EXCL); false when one exists. */
function create(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new RuntimeError("checkpoint", `cannot create the lock ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    writeSync(fd, `${JSON.stringify(owner, null, 2)}\n`);
    fsyncSync(fd);
  } catch (error) {
    rmSync(path, { force: true });
    throw new RuntimeError("checkpoint", `cannot write the lock ${path}: ${(error as Error).message}`, { cause: error, hint: "check free disk space in the state folder" });
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a stale lock whose text is still `staleText`. A guard file (itself O_EXCL) makes
 * sure that of two processes taking over at once, the slower one cannot delete the lock the
 * faster one just created. False when another process is taking over right now.
 */
function takeOver(path: string, staleText: string): boolean {
  const guard = `${path}.takeover`;
  if (!create(guard, { ...currentProcess(), pipeline: "", startedAt: new Date().toISOString(), command: "takeover" })) {
    // A guard left by a process that died mid-takeover would block everyone for good.
    if (!beingWritten(guard)) rmSync(guard, { force: true });
    return false;
  }
  try {
    if (readLock(path)?.text === staleText) rmSync(path, { force: true });
    return true;
  } finally {
    rmSync(guard, { force: true });
  }
}

/**
 * True while a file is young enough that its creator may still be writing it. A time far in
 * the future (the clock was stepped back since it was written) is not "now": such a file
 * would otherwise count as being written for as long as the step, and never be taken over.
 */
function beingWritten(path: string): boolean {
  let modified: number;
  try {
    modified = statSync(path).mtimeMs;
  } catch {
    return false;
  }
  return Math.abs(Date.now() - modified) < writingGraceMs;
}

function takeOverMessage(owner: LockOwner | null): string {
  if (!owner) return "taking over a damaged lock file: no process has held it for a while";
  return `taking over the lock of pid ${owner.pid} (started ${owner.startedAt}), which no longer runs`;
}

function alreadyRunning(owner: LockOwner, stateDir: string, path: string, options: LockOptions): RuntimeError {
  const here = owner.host === currentProcess().host;
  const stop = `\`${options.stopCommand?.(owner) ?? `kill -TERM ${owner.pid}`}\`${here ? "" : ` on ${owner.host}`}`;
  return new RuntimeError(
    "state-locked",
    `pipeline "${owner.pipeline}" is already running as pid ${owner.pid}${here ? "" : ` on host ${owner.host}`} since ${owner.startedAt} (state folder ${stateDir}); stop it with ${stop}`,
    { hint: `two runs on one state folder would send everything twice; if no such process runs any more, delete ${path}` },
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
