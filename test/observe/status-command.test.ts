import { afterEach, describe, expect, it, vi } from "vitest";
import { run } from "../../src/cli/status.js";
import { createMetrics } from "../../src/runtime/observe/metrics.js";
import { startObservabilityServer, type ObservabilityServer } from "../../src/runtime/observe/http-server.js";
import { describePhase, observePipeline } from "../../src/status/status-reader.js";
import { deadPid, stateDir, status, writeStatusFile } from "./status-fixtures.js";

async function runStatus(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    return { code: await run(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

let server: ObservabilityServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe("phase wording", () => {
  const observed = (s: ReturnType<typeof status>, alive = true) => ({ pipeline: s.pipeline, stateDir: "", from: "file" as const, alive, status: s });

  it("words each phase as the issue asks", () => {
    expect(describePhase(observed(status("a", { phase: "snapshotting", snapshot: { rowsDone: 420, rowsTotal: 1000 } })))).toBe("initial sync 42%");
    expect(describePhase(observed(status("a", { phase: "streaming", snapshot: { rowsDone: 250, rowsTotal: 1000 } })))).toBe("streaming, copying added tables 25%");
    expect(describePhase(observed(status("a", { phase: "streaming", snapshot: null })))).toBe("streaming");
    expect(describePhase(observed(status("a", { phase: "retrying", retry: { since: "2026-11-23T09:00:00Z", deadline: "2026-11-23T21:00:00Z", attempts: 3 }, error: { message: "cannot connect to the source", hint: null } })))).toBe(
      "retrying until 2026-11-23T21:00:00Z (cannot connect to the source)",
    );
    // The next attempt of an outage is still the outage, with its deadline and its cause.
    expect(describePhase(observed(status("a", { phase: "starting", retry: { since: "2026-11-23T09:00:00Z", deadline: "2026-11-23T21:00:00Z", attempts: 3 }, error: { message: "cannot connect to the source", hint: null } })))).toBe(
      "starting attempt 4, retrying until 2026-11-23T21:00:00Z (cannot connect to the source)",
    );
    expect(describePhase(observed(status("a", { phase: "starting", retry: null, error: null })))).toBe("starting");
    expect(describePhase(observed(status("a", { phase: "failed", error: { message: "binlog purged", hint: null } }), false))).toBe("failed: binlog purged");
    expect(describePhase(observed(status("a", { phase: "stopped" }), false))).toBe("stopped");
    const notWritten = { message: "checkpoint not written since 2026-11-23T09:00:00.000Z: cannot write checkpoint x", hint: null, code: "DTS5011" };
    expect(describePhase(observed(status("a", { phase: "streaming", snapshot: null, error: notWritten })))).toBe(
      "streaming, but checkpoint not written since 2026-11-23T09:00:00.000Z: cannot write checkpoint x (DTS5011)",
    );
  });

  it("adds the failure's code when the runtime recorded one", () => {
    expect(describePhase(observed(status("a", { phase: "failed", error: { message: "binlog purged", hint: null, code: "DTS5006" } }), false))).toBe("failed: binlog purged (DTS5006)");
  });

  it("says a running process that has written no status for a while is not answering, and shows no stale figures", async () => {
    const stale = status("a", { updatedAt: new Date(Date.now() - 90_000).toISOString() });
    expect(describePhase(observed(stale, true))).toBe("not answering (last seen streaming, 90s ago; the process runs but writes no status)");
    expect(describePhase(observed(status("a", { updatedAt: new Date().toISOString() }), true))).toBe("streaming");
  });

  it("says a pipeline is not running when its process is gone", () => {
    const stale = status("a", { updatedAt: new Date(Date.now() - 300_000).toISOString() });
    expect(describePhase(observed(stale, false))).toBe("not running (last seen streaming, 5m ago)");
  });
});

describe("dts status", () => {
  it("reads status files from the state folder and judges dead processes", async () => {
    const dir = stateDir();
    writeStatusFile(dir, status("orders", { phase: "stopped" }));
    writeStatusFile(dir, status("audit", { pid: deadPid, source: "db-2:3306" }));
    const result = await runStatus("--state-dir", dir);
    // a process gone without stopping was killed or crashed: a monitor must not read it as healthy
    expect(result.code).toBe(1);
    expect((await runStatus("--state-dir", dir, "--pipeline", "orders")).code).toBe(0);
    const json = JSON.parse((await runStatus("--state-dir", dir, "--pipeline", "audit", "--format", "json")).stdout) as { pipelines: object[] };
    expect(json.pipelines[0]).toMatchObject({ running: false, delaySeconds: null, delayReason: "not running", eventsPerSecond: null });
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^PIPELINE\s+PHASE\s+DELAY\s+EVENTS\/S\s+CHECKPOINT\s+SERVER\s+SOURCE$/);
    expect(lines[1]).toMatch(/^audit\s+not running \(last seen streaming, \d+s ago\)\s+-\s+-\s+mysql-bin\.000003:1840 \(2026-11-23T09:00:00\.000Z\)\s+db-2:3306\s+status file$/);
    expect(lines[2]).toMatch(/^orders\s+stopped\s+.*\s-\s+status file$/);
  });

  it("exits 1 for a pipeline whose live process writes no status, without its stale delay", async () => {
    const dir = stateDir();
    writeStatusFile(dir, status("frozen", { pid: process.pid, updatedAt: new Date(Date.now() - 60_000).toISOString() }));
    const result = await runStatus("--state-dir", dir, "--format", "json");
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).pipelines[0]).toMatchObject({ running: true, delaySeconds: null, delayReason: "not answering", eventsPerSecond: null });
  });

  it("shows an unknown delay with its reason, never as 0", async () => {
    const dir = stateDir();
    writeStatusFile(dir, status("orders", { phase: "retrying", delaySeconds: null, delayReason: "not connected to the source" }));
    const result = await runStatus("--state-dir", dir);
    expect(result.stdout.split("\n")[1]).toMatch(/^orders\s+retrying\s+unknown: not connected to the source\s+150\s+/);
    const json = JSON.parse((await runStatus("--state-dir", dir, "--format", "json")).stdout) as { pipelines: { delaySeconds: number | null; delayReason: string | null }[] };
    expect(json.pipelines[0]).toMatchObject({ delaySeconds: null, delayReason: "not connected to the source" });
  });

  it("asks the running process over HTTP when the status file names its endpoint", async () => {
    const dir = stateDir();
    const live = status("shop", { delaySeconds: 0, eventsPerSecond: 4321 });
    server = await startObservabilityServer({ port: 0, metrics: createMetrics({ defaultMetrics: false }), statusProvider: () => [live] });
    writeStatusFile(dir, status("shop", { eventsPerSecond: 1, http: { host: server.host, port: server.port } }));
    const observation = await observePipeline(dir, "shop");
    expect(observation.from).toBe("http");
    const result = await runStatus("--state-dir", dir, "--format", "json");
    const parsed = JSON.parse(result.stdout) as { pipelines: { pipeline: string; from: string; eventsPerSecond: number; running: boolean; description: string }[] };
    expect(parsed.pipelines[0]).toMatchObject({ pipeline: "shop", from: "http", eventsPerSecond: 4321, running: true, description: "streaming" });
  });

  it("falls back to the file when the endpoint does not answer, and exits 1 when a pipeline failed", async () => {
    const dir = stateDir();
    writeStatusFile(dir, status("shop", { http: { host: "127.0.0.1", port: 9 } }));
    expect((await observePipeline(dir, "shop", 500)).from).toBe("file");
    writeStatusFile(dir, status("billing", { phase: "failed", error: { message: "the checkpoint points at binlog mysql-bin.000001:4, older than the oldest binlog", hint: null } }));
    const result = await runStatus("--state-dir", dir, "--pipeline", "billing");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("failed: the checkpoint points at binlog mysql-bin.000001:4");
  });

  it("reports an empty state folder and an unknown pipeline", async () => {
    const dir = stateDir();
    expect((await runStatus("--state-dir", dir)).code).toBe(1);
    writeStatusFile(dir, status("shop"));
    await expect(runStatus("--state-dir", dir, "--pipeline", "nope")).rejects.toThrow(/no pipeline named "nope"; known: shop/);
  });
});
