// A request left in the state folder for an earlier run (`dts stop --no-wait`, then that run was
// killed before it took it) must not stop the next run a service manager starts: it is dropped
// with a log line. A request written once this run holds the folder is still taken.
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { takeControlRequest, writeControlRequest } from "../../src/control/index.js";
import { StateLock } from "../../src/runtime/checkpoint/state-lock.js";
import { RuntimeError, type PipelineConnections } from "../../src/runtime/index.js";
import type { Logger } from "../../src/runtime/logger.js";
import { PipelineRunner } from "../../src/runtime/pipeline.js";
import { pipeline, plan } from "../precheck/fixtures.js";

function recordingLog(): { log: Logger; lines: { msg: string; level: number }[] } {
  const lines: { msg: string; level: number }[] = [];
  return { log: pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string; level: number }) }), lines };
}

function leaveRequest(stateDir: string, action: string, requestedAt: number): void {
  writeFileSync(join(stateDir, "control.json"), JSON.stringify({ action, requestedAt: new Date(requestedAt).toISOString() }));
}

describe("a control request older than the run", () => {
  let stateDir = "";
  let lock: StateLock | null = null;
  beforeEach(async () => {
    stateDir = join(mkdtempSync(join(tmpdir(), "dts-stale-")), "orders");
    mkdirSync(stateDir);
    lock = await StateLock.acquire(stateDir, "orders");
  });
  afterEach(() => {
    lock?.release();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("is dropped and removed, with an info line saying it was meant for an earlier run", () => {
    const { log, lines } = recordingLog();
    leaveRequest(stateDir, "stop", Date.parse(lock?.owner.startedAt ?? "") - 60_000);
    expect(takeControlRequest(stateDir, log)).toBeNull();
    expect(existsSync(join(stateDir, "control.json"))).toBe(false);
    expect(lines).toEqual([expect.objectContaining({ level: 30, msg: `ignoring the stop request left in ${join(stateDir, "control.json")} before this run started: it was meant for an earlier run` })]);
  });

  it("is taken when written after this run took the folder, or a moment before by another clock", () => {
    writeControlRequest(stateDir, "stop");
    expect(takeControlRequest(stateDir)).toMatchObject({ action: "stop" });
    leaveRequest(stateDir, "finish-when-caught-up", Date.parse(lock?.owner.startedAt ?? "") - 500);
    expect(takeControlRequest(stateDir)).toMatchObject({ action: "finish-when-caught-up" });
  });

  it("is judged by the file's time when it carries no date", () => {
    const path = join(stateDir, "control.json");
    writeFileSync(path, JSON.stringify({ action: "stop" }));
    const old = new Date(Date.parse(lock?.owner.startedAt ?? "") - 60_000);
    utimesSync(path, old, old);
    expect(takeControlRequest(stateDir)).toBeNull();
    writeFileSync(path, JSON.stringify({ action: "stop" }));
    expect(takeControlRequest(stateDir)).toMatchObject({ action: "stop" });
  });

  it("without a lock, is judged against this process's start", () => {
    lock?.release();
    leaveRequest(stateDir, "reload", performance.timeOrigin - 60_000);
    expect(takeControlRequest(stateDir)).toBeNull();
    leaveRequest(stateDir, "reload", Date.now());
    expect(takeControlRequest(stateDir)).toMatchObject({ action: "reload" });
  });

  it("does not stop the pipeline, and a stop asked later still does", async () => {
    const { log, lines } = recordingLog();
    leaveRequest(stateDir, "stop", Date.parse(lock?.owner.startedAt ?? "") - 60_000);
    const unreachable = new RuntimeError("source-connect", "cannot start yet: nothing listens on db:3306 (connection refused)", { retriable: true });
    const runner = new PipelineRunner(plan(pipeline({ name: "orders", retryWindowSeconds: 600, checkpoint: { directory: join(stateDir, ".."), topic: null } })), 0, {
      connections: { sourceServers: [{ address: "db:3306", options: {} }] } as unknown as PipelineConnections,
      log,
      convert: () => null,
      loadTable: () => () => Promise.reject(new Error("no session starts in this test")),
      maxUnackedBytes: 1024,
      metrics: null,
      flushIntervalMs: 20,
      startCheck: () => Promise.reject(unreachable),
    });
    // Once the stale request is gone and the pipeline waits again, a stop is asked for real.
    let asked = false;
    runner.lifecycle.onChange((to) => {
      if (to !== "retrying" || asked || existsSync(join(stateDir, "control.json"))) return;
      asked = true;
      writeControlRequest(stateDir, "stop");
    });
    expect(await runner.run()).toEqual({ phase: "stopped", error: null });
    expect(asked).toBe(true);
    const stopped = lines.findIndex((l) => l.msg === "pipeline stopping");
    const ignored = lines.findIndex((l) => l.msg.startsWith("ignoring the stop request left in"));
    expect(ignored).toBeGreaterThanOrEqual(0);
    expect(stopped).toBeGreaterThan(ignored);
  });
});
