// Requests from another process to a running pipeline (`dts stop`), carried by a file in the
// pipeline's state folder: it works without a network port and survives the request racing
// the start of the pipeline. The pipeline reads and removes it on its next status tick.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../runtime/checkpoint/file-store.js";

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

/** The pending request, removed so it is acted on once; null when there is none or it is unreadable. */
export function takeControlRequest(stateDir: string): ControlRequest | null {
  const path = join(stateDir, controlFileName);
  if (!existsSync(path)) return null;
  try {
    const request = JSON.parse(readFileSync(path, "utf8")) as ControlRequest;
    rmSync(path, { force: true });
    return actions.includes(request.action) ? request : null;
  } catch {
    return null;
  }
}
