// Status files as the runtime writes them, for the observe and status-command tests.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ObservedStatus } from "../../src/status/status-reader.js";

export function status(pipeline: string, extra: Partial<ObservedStatus> = {}): ObservedStatus {
  const now = new Date().toISOString();
  return {
    pipeline, phase: "streaming", pid: process.pid, startedAt: now, updatedAt: now,
    checkpoint: { position: { file: "mysql-bin.000003", offset: 1840, gtidSet: "0-1-77" }, eventTime: "2026-11-23T09:00:00.000Z" },
    delaySeconds: 2, eventsPerSecond: 150, messagesTotal: 9000, retry: null, error: null,
    ...extra,
  };
}

export function stateDir(): string {
  return mkdtempSync(join(tmpdir(), "dts-status-"));
}

export function writeStatusFile(directory: string, value: ObservedStatus): void {
  mkdirSync(join(directory, value.pipeline), { recursive: true });
  writeFileSync(join(directory, value.pipeline, "status.json"), JSON.stringify(value, null, 2));
}

/** A pid that belongs to no process (pids are far below this on Linux). */
export const deadPid = 2 ** 22 + 12345;
