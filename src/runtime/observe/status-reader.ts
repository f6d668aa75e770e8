// Where `dts status` gets a pipeline's state: the running process's /status endpoint when
// the status file names one and it answers, else the status file itself, judged stale when
// the process that wrote it is gone.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pipelineStateDir } from "../checkpoint/file-store.js";
import { statusFileName, type PipelineStatus } from "../status.js";

/** What the status file may carry beyond PipelineStatus (newer runtimes add these). */
export interface StatusExtras {
  /** Where the process serves /status and /metrics. */
  http?: { host: string; port: number } | null;
  /** Initial sync progress over all tables. */
  snapshot?: { rowsDone: number; rowsTotal: number } | null;
}

export type ObservedStatus = PipelineStatus & StatusExtras;

export interface PipelineObservation {
  pipeline: string;
  stateDir: string;
  /** "http": answered by the running process; "file": read from the status file; "none": never ran. */
  from: "http" | "file" | "none";
  /** False when the file says running but its process is gone. */
  alive: boolean;
  status: ObservedStatus | null;
}

const terminal = new Set(["stopped", "failed", "finished"]);

function readStatusFile(stateDir: string): ObservedStatus | null {
  const path = join(stateDir, statusFileName);
  if (!existsSync(path)) return null;
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as ObservedStatus;
    return typeof parsed === "object" && parsed !== null && typeof parsed.phase === "string" ? parsed : null;
  } catch {
    return null; // being replaced right now, or damaged: treated as unknown
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function fetchLive(http: { host: string; port: number }, pipeline: string, timeoutMs: number): Promise<ObservedStatus | null> {
  const host = http.host.includes(":") ? `[${http.host}]` : http.host;
  try {
    const response = await fetch(`http://${host}:${http.port}/status`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return null;
    const body = (await response.json()) as { pipelines?: ObservedStatus[] };
    return body.pipelines?.find((p) => p.pipeline === pipeline) ?? null;
  } catch {
    return null;
  }
}

export async function observePipeline(directory: string, pipeline: string, timeoutMs = 2000): Promise<PipelineObservation> {
  const stateDir = pipelineStateDir(directory, pipeline);
  const file = readStatusFile(stateDir);
  if (!file) return { pipeline, stateDir, from: "none", alive: false, status: null };
  if (terminal.has(file.phase)) return { pipeline, stateDir, from: "file", alive: false, status: file };
  if (file.http) {
    const live = await fetchLive(file.http, pipeline, timeoutMs);
    if (live) return { pipeline, stateDir, from: "http", alive: true, status: { ...live, http: file.http } };
  }
  return { pipeline, stateDir, from: "file", alive: processAlive(file.pid), status: file };
}

/** Pipelines with a status file directly under a state folder, sorted by name. */
export function pipelinesInStateDir(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(directory, entry.name, statusFileName)))
    .map((entry) => entry.name)
    .sort();
}

function ageText(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}

/** The phase as `dts status` words it: "initial sync 42%", "retrying until …", "failed: why". */
export function describePhase(observation: PipelineObservation, now = Date.now()): string {
  const status = observation.status;
  if (!status) return "never run";
  let text: string;
  switch (status.phase as string) {
    case "snapshotting": {
      const s = status.snapshot;
      text = s && s.rowsTotal > 0 ? `initial sync ${Math.min(100, Math.floor((s.rowsDone / s.rowsTotal) * 100))}%` : "initial sync";
      break;
    }
    case "retrying":
      text = status.retry ? `retrying until ${status.retry.deadline}` : "retrying";
      if (status.error) text += ` (${status.error.message})`;
      break;
    case "failed":
      text = `failed: ${status.error?.message ?? "unknown reason"}`;
      break;
    default:
      text = status.phase;
  }
  if (!observation.alive && !terminal.has(status.phase)) {
    const age = Math.max(0, Math.round((now - Date.parse(status.updatedAt)) / 1000));
    return `not running (last seen ${text}, ${ageText(age)} ago)`;
  }
  return text;
}
