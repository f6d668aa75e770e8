// The check a pipeline passes before its first session (dts run's precheck): a server that
// cannot be reached yet is retried inside the retry window with status retrying, a setting
// fails at once, and a stop request ends the wait. No session ever starts here.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeControlRequest } from "../../src/control/index.js";
import { pino } from "pino";
import { createLogger, RuntimeError, type PipelineConnections } from "../../src/runtime/index.js";
import type { Logger } from "../../src/runtime/logger.js";
import { PipelineRunner } from "../../src/runtime/pipeline.js";
import type { PipelineStatus } from "../../src/runtime/status.js";
import { pipeline, plan } from "../precheck/fixtures.js";

function runner(retryWindowSeconds: number, startCheck: (name: string) => Promise<void>, log: Logger = createLogger({ level: "silent" })): PipelineRunner {
  const directory = mkdtempSync(join(tmpdir(), "dts-start-check-"));
  return new PipelineRunner(plan(pipeline({ retryWindowSeconds, checkpoint: { directory, topic: null } })), 0, {
    connections: { sourceServers: [{ address: "db:3306", options: {} }] } as unknown as PipelineConnections,
    log,
    convert: () => null,
    loadTable: () => () => Promise.reject(new Error("no session starts in these tests")),
    maxUnackedBytes: 1024,
    metrics: null,
    flushIntervalMs: 20,
    startCheck,
  });
}

function statusFile(r: PipelineRunner): PipelineStatus {
  return JSON.parse(readFileSync(join(r.stateDir, "status.json"), "utf8")) as PipelineStatus;
}

const unreachable = () => new RuntimeError("source-connect", "cannot start yet: nothing listens on db:3306 (connection refused)", { retriable: true });

describe("the check before the first session", () => {
  it("retries a server that cannot be reached for the retry window, with status retrying until the deadline, then fails", async () => {
    let calls = 0;
    const r = runner(1, async () => {
      calls++;
      throw unreachable();
    });
    const seen: PipelineStatus[] = [];
    r.lifecycle.onChange((to) => to === "retrying" && seen.push(statusFile(r)));
    const started = Date.now();
    const result = await r.run();
    expect(result.phase).toBe("failed");
    expect(result.error?.code).toBe("retry-window-exhausted");
    expect(result.error?.message).toContain("last error: cannot start yet: nothing listens on db:3306");
    expect(calls).toBeGreaterThan(1);
    const first = seen[0];
    expect(first?.phase).toBe("retrying");
    expect(Date.parse(first?.retry?.deadline ?? "") - Date.parse(first?.retry?.since ?? "")).toBe(1000);
    expect(Date.parse(first?.retry?.since ?? "")).toBeGreaterThanOrEqual(started - 5);
    expect(first?.error?.message).toContain("nothing listens on db:3306");
    expect(statusFile(r).phase).toBe("failed");
  });

  it("logs retrying as a warning and the failure as an error, so level filters keep them", async () => {
    const lines: { level: number; msg: string }[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
    const result = await runner(0.2, async () => Promise.reject(unreachable()), log).run();
    expect(result.phase).toBe("failed");
    const levels = (msg: string) => [...new Set(lines.filter((l) => l.msg === msg).map((l) => l.level))];
    expect(levels("pipeline retrying")).toEqual([40]);
    expect(levels("pipeline failed")).toEqual([50]);
    expect(levels("pipeline starting")).toEqual([30]);
  });

  it("fails at once, without retrying, when the check fails on a setting", async () => {
    let calls = 0;
    const r = runner(60, async () => {
      calls++;
      throw new RuntimeError("config", "the precheck failed, so the pipeline was not started");
    });
    const result = await r.run();
    expect(result).toMatchObject({ phase: "failed", error: { code: "config" } });
    expect(calls).toBe(1);
    expect(statusFile(r)).toMatchObject({ phase: "failed", error: { message: "the precheck failed, so the pipeline was not started" } });
  });

  it("stops while it waits when dts stop asks", async () => {
    const r = runner(600, async () => {
      throw unreachable();
    });
    r.lifecycle.onChange((to) => to === "retrying" && writeControlRequest(r.stateDir, "stop"));
    const result = await r.run();
    expect(result).toEqual({ phase: "stopped", error: null });
    expect(statusFile(r).phase).toBe("stopped");
  });

  it("stops when a stop is asked while the check runs", async () => {
    let r: PipelineRunner | null = null;
    r = runner(600, async () => {
      r?.requestStop();
      throw unreachable();
    });
    expect(await r.run()).toEqual({ phase: "stopped", error: null });
  });
});
