// Where `dts status` gets a pipeline's state: the running process's /status endpoint when
// the status file names one and it answers, else the status file itself, judged stale when
// the process that wrote it is gone. A damaged file is reported as such, never as "never run".
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pipelineStateDir } from "../runtime/checkpoint/file-store.js";
import { processLiveness } from "../runtime/process-identity.js";
import { statusFileName, type PipelineStatus } from "../runtime/status.js";

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
  /** "http": answered by the running process; "file": read from the status file; "none": never ran; "unreadable": the file is damaged. */
  from: "http" | "file" | "none" | "unreadable";
  /** False when the file says running but its process is gone (or its pid now belongs to another program). */
  alive: boolean;
  status: ObservedStatus | null;
  /** Why the status file cannot be read, with its path; set when `from` is "unreadable". */
  problem?: string;
}

const terminal = new Set(["stopped", "failed", "finished"]);
/** The runtime rewrites its status file about once a second; one this fresh on another host counts as live. */
const freshMs = 30_000;

type StatusRead = { status: ObservedStatus } | { problem: string } | null;

/** Checks the fields `dts status` relies on; a file written by a newer runtime may carry more. */
function statusProblem(value: unknown): string | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "it is not a JSON object";
  const v = value as Record<string, unknown>;
  if (typeof v.phase !== "string") return "it has no phase";
  if (typeof v.pid !== "number") return "it has no pid";
  if (typeof v.updatedAt !== "string" || Number.isNaN(Date.parse(v.updatedAt))) return "its updatedAt is not a time";
  return null;
}

function readStatusFile(stateDir: string): StatusRead {
  const path = join(stateDir, statusFileName);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? null : { problem: `cannot read ${path} (${code ?? (error as Error).message})` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // The runtime replaces the file by rename, so a reader never sees it half written.
    return { problem: `${path} is not valid JSON (${(error as Error).message})` };
  }
  const problem = statusProblem(parsed);
  return problem ? { problem: `${path} is not a status file: ${problem}` } : { status: parsed as ObservedStatus };
}

/** Whether the process that wrote `status` still runs; on another host, whether it wrote lately. */
function writerAlive(status: ObservedStatus, now = Date.now()): boolean {
  const liveness = processLiveness(status);
  if (liveness === "unknown") return now - Date.parse(status.updatedAt) < freshMs;
  return liveness === "running";
}

async function fetchLive(http: { host: string; port: number }, pipeline: string, timeoutMs: number): Promise<ObservedStatus | null> {
  const host = http.host.includes(":") ? `[${http.host}]` : http.host;
  try {
    const response = await fetch(`http://${host}:${http.port}/status`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return null;
    const body = (await response.json()) as { pipelines?: unknown[] };
    const found = body.pipelines?.find((p) => (p as { pipeline?: unknown } | null)?.pipeline === pipeline);
    return found !== undefined && statusProblem(found) === null ? (found as ObservedStatus) : null;
  } catch {
    return null;
  }
}

export async function observePipeline(directory: string, pipeline: string, timeoutMs = 2000): Promise<PipelineObservation> {
  const stateDir = pipelineStateDir(directory, pipeline);
  const read = readStatusFile(stateDir);
  if (!read) return { pipeline, stateDir, from: "none", alive: false, status: null };
  if ("problem" in read) return { pipeline, stateDir, from: "unreadable", alive: false, status: null, problem: read.problem };
  const file = read.status;
  if (terminal.has(file.phase)) return { pipeline, stateDir, from: "file", alive: false, status: file };
  // Only a process that still runs is asked: a stranger now holding the port must not answer for it.
  const alive = writerAlive(file);
  if (alive && file.http && typeof file.http.port === "number") {
    const live = await fetchLive(file.http, pipeline, timeoutMs);
    if (live) return { pipeline, stateDir, from: "http", alive: true, status: { ...live, http: file.http } };
  }
  return { pipeline, stateDir, from: "file", alive, status: file };
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
  if (!Number.isFinite(seconds)) return "a while";
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}

/** The error's message, then its code when the runtime recorded one. */
function errorText(error: NonNullable<ObservedStatus["error"]>): string {
  return typeof error.code === "string" ? `${error.message} (${error.code})` : error.message;
}

/** A running phase with a problem that does not stop it (a checkpoint not written): both. */
function withProblem(text: string, status: ObservedStatus): string {
  return status.error?.message ? `${text}, but ${errorText(status.error)}` : text;
}

function retryText(status: ObservedStatus): string {
  const text = status.retry?.deadline ? `retrying until ${status.retry.deadline}` : "retrying";
  return status.error?.message ? `${text} (${errorText(status.error)})` : text;
}

function phaseText(status: ObservedStatus): string {
  switch (status.phase as string) {
    case "snapshotting": {
      const s = status.snapshot;
      return withProblem(s && s.rowsTotal > 0 ? `initial sync ${Math.min(100, Math.floor((s.rowsDone / s.rowsTotal) * 100))}%` : "initial sync", status);
    }
    case "retrying":
      return retryText(status);
    case "starting":
      // A new attempt within the retry window: it is still an outage until a session streams.
      return status.retry?.deadline ? `starting attempt ${status.retry.attempts + 1}, ${retryText(status)}` : "starting";
    case "failed":
      return `failed: ${status.error?.message ? errorText(status.error) : "unknown reason"}`;
    case "streaming": {
      // Tables a reloaded spec added are copied while the stream goes on.
      const s = status.snapshot;
      return withProblem(s ? `streaming, copying added tables ${s.rowsTotal > 0 ? Math.min(100, Math.floor((s.rowsDone / s.rowsTotal) * 100)) : 0}%` : "streaming", status);
    }
    default:
      return status.phase;
  }
}

/** The status file says the pipeline runs, but its process is gone: it was killed or crashed. */
export function pipelineGone(observation: PipelineObservation): boolean {
  return observation.from === "file" && !observation.alive && observation.status !== null && !terminal.has(observation.status.phase);
}

/**
 * The process runs but has not written its status for a while (it rewrites it every second) and
 * its endpoint, if any, did not answer: stopped (SIGSTOP), hung, or starved. Its figures are stale.
 */
export function pipelineStalled(observation: PipelineObservation, now = Date.now()): boolean {
  const status = observation.status;
  return observation.from === "file" && observation.alive && status !== null && !terminal.has(status.phase) && now - Date.parse(status.updatedAt) > freshMs;
}

/** The phase as `dts status` words it: "initial sync 42%", "retrying until …", "failed: why". */
export function describePhase(observation: PipelineObservation, now = Date.now()): string {
  if (observation.from === "unreadable") return `unknown: ${observation.problem ?? "the status file cannot be read"}`;
  const status = observation.status;
  if (!status) return "never run";
  const text = phaseText(status);
  const lastSeen = () => `last seen ${text}, ${ageText(Math.max(0, Math.round((now - Date.parse(status.updatedAt)) / 1000)))} ago`;
  if (pipelineGone(observation)) return `not running (${lastSeen()})`;
  if (pipelineStalled(observation, now)) return `not answering (${lastSeen()}; the process runs but writes no status)`;
  return text;
}
