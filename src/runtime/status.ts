// The pipeline's status file, <state folder>/<pipeline>/status.json, rewritten about once a
// second so `dts status` (another process) can show phase, checkpoint, delay and throughput.
import { join } from "node:path";
import type { BinlogResumePosition } from "./checkpoint/checkpoint.js";
import { writeFileAtomic } from "./checkpoint/file-store.js";
import type { Checkpoint } from "./checkpoint/checkpoint.js";
import type { Phase } from "./lifecycle.js";
import { currentProcess } from "./process-identity.js";
import type { SpecChangeRecord } from "./spec-reload.js";

export interface PipelineStatus {
  pipeline: string;
  phase: Phase;
  pid: number;
  /** Host and start time of the writing process, so a reader can tell it from a later process given the same pid. */
  host?: string;
  processStart?: string | null;
  startedAt: string;
  updatedAt: string;
  checkpoint: { position: BinlogResumePosition; eventTime: string | null } | null;
  /** Seconds behind the source (src/runtime/delay.ts); 0 when caught up; null when unknown. */
  delaySeconds: number | null;
  /** Why the delay is unknown; status files of older runtimes lack the delay fields below. */
  delayReason?: string | null;
  /** Since when the delay has been unknown. */
  delayUnknownSince?: string | null;
  /** The spec's max_delay: /readyz answers 503 when the delay is above it, or unknown for longer. */
  maxDelaySeconds?: number | null;
  /** Row and DDL messages acknowledged per second over the last interval. */
  eventsPerSecond: number;
  messagesTotal: number;
  /** While retrying: when the outage began and when the retry window runs out. */
  retry: { since: string; deadline: string; attempts: number } | null;
  /** `code` is the catalog's (DTS5xxx); status files of older runtimes lack it. */
  error: { message: string; hint: string | null; code?: string } | null;
  /** While the initial sync runs: rows copied and the estimate over all tables. */
  snapshot?: { rowsDone: number; rowsTotal: number } | null;
  /** The latest spec reloads (SIGHUP, dts reload), oldest first: what changed, where, or why not. */
  specChanges?: SpecChangeRecord[];
  /** The source server (host:port) the latest session reads; with failover servers it may be any of them. */
  source?: string;
  /** Where the running process serves /status and /metrics, when it does. */
  http?: { host: string; port: number };
}

export const statusFileName = "status.json";

export function statusPath(stateDir: string): string {
  return join(stateDir, statusFileName);
}

export function writeStatus(stateDir: string, status: PipelineStatus): void {
  writeFileAtomic(statusPath(stateDir), `${JSON.stringify(status, null, 2)}\n`, false);
}

/** A pipeline's status before its first session. */
export function initialStatus(pipeline: string, checkpoint: Checkpoint | null): PipelineStatus {
  const now = new Date().toISOString();
  return {
    pipeline, phase: "starting", ...currentProcess(), startedAt: now, updatedAt: now,
    checkpoint: checkpoint ? { position: checkpoint.position, eventTime: null } : null,
    delaySeconds: 0, eventsPerSecond: 0, messagesTotal: 0, retry: null, error: null,
  };
}

/** How many spec changes the status file keeps. */
const KEPT_SPEC_CHANGES = 10;

/** Adds a reload's outcome to the status, dropping the oldest beyond the last few. */
export function keepSpecChange(status: PipelineStatus, change: SpecChangeRecord): void {
  status.specChanges = [...(status.specChanges ?? []), change].slice(-KEPT_SPEC_CHANGES);
}
