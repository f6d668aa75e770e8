// Requests from another process to a running pipeline (`dts stop`), carried by a file in the
// pipeline's state folder: it works without a network port and survives the request racing
// the start of the pipeline. The pipeline reads and removes it on its next status tick; one
// older than the run (its process died before taking it) is dropped.
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../runtime/checkpoint/file-store.js";
import { readLock, stateLockPath } from "../runtime/checkpoint/state-lock.js";
import type { Logger } from "../runtime/logger.js";

export type ControlAction = "stop" | "finish-when-caught-up" | "reload";

export interface ControlRequest {
  action: ControlAction;
  requestedAt: string;
  /** reload: let changes through that break consumers mid-stream (format, partitioning). */
  allowBreaking?: boolean;
}

const actions: readonly string[] = ["stop", "finish-when-caught-up", "reload"];

const controlFileName = "control.json";

export function writeControlRequest(stateDir: string, action: ControlAction, options: { allowBreaking?: boolean } = {}): ControlRequest {
  const request: ControlRequest = { action, requestedAt: new Date().toISOString(), ...(options.allowBreaking ? { allowBreaking: true } : {}) };
  writeFileAtomic(join(stateDir, controlFileName), `${JSON.stringify(request)}\n`, false);
  return request;
}

/**
 * A request dated this much before the run started still counts as its own: the times compared
 * come from different processes (on a shared folder, different hosts) and, for a request
 * without a date, from the file system, whose clock may lag or round.
 */
const clockSlackMs = 1_000;

/**
 * The pending request, removed so it is acted on once; null when there is none, it is
 * unreadable, or it was left for an earlier run: a `dts stop` whose run was killed before it
 * took the request would otherwise stop the next run (a service manager's restart) at once.
 */
export function takeControlRequest(stateDir: string, log?: Logger): ControlRequest | null {
  const path = join(stateDir, controlFileName);
  if (!existsSync(path)) return null;
  try {
    const writtenAt = statSync(path).mtimeMs;
    const request = JSON.parse(readFileSync(path, "utf8")) as ControlRequest;
    rmSync(path, { force: true });
    if (!actions.includes(request.action)) return null;
    const requestedAt = Date.parse(request.requestedAt) || writtenAt;
    const runStart = runStartedAt(stateDir);
    if (requestedAt >= runStart - clockSlackMs) return request;
    log?.info({ action: request.action, requestedAt: new Date(requestedAt).toISOString(), runStartedAt: new Date(runStart).toISOString() }, `ignoring the ${request.action} request left in ${path} before this run started: it was meant for an earlier run`);
    return null;
  } catch {
    return null;
  }
}

/** When this run took the state folder (its lock); this process's start when it holds no lock there. */
function runStartedAt(stateDir: string): number {
  try {
    const owner = readLock(stateLockPath(stateDir))?.owner;
    const startedAt = owner?.pid === process.pid ? Date.parse(owner.startedAt) : Number.NaN;
    if (!Number.isNaN(startedAt)) return startedAt;
  } catch {
    // an unreadable lock says nothing about when this run started
  }
  return Math.floor(performance.timeOrigin);
}
