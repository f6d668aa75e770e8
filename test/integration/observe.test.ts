// Observability against a real pipeline on the stack: the HTTP endpoint serves the dts_
// series and the pipeline's status as the runtime writes it, and `dts status` reads a running
// and a stopped pipeline from its state folder (and over HTTP when the status file names it).
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { run as statusCli } from "../../src/cli/status.js";
import { createMetrics, startObservabilityServer, type ObservabilityServer } from "../../src/runtime/observe/index.js";
import type { PipelineStatus } from "../../src/runtime/status.js";
import { pipelinePlan, rule, startInProcess, uniqueName, waitForStatus, type InProcessRuntime } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

const { database, db } = useTestDatabase("obs", (database) => [
  `CREATE TABLE ${database}.orders (id BIGINT PRIMARY KEY, total DECIMAL(10,2)) ENGINE=InnoDB`,
]);
const topic = uniqueName("obs-topic");
const pipelineName = uniqueName("obs");
let runtime: InProcessRuntime | null = null;
let server: ObservabilityServer | null = null;

function readRuntimeStatus(stateDir: string): PipelineStatus {
  return JSON.parse(readFileSync(join(stateDir, "status.json"), "utf8")) as PipelineStatus;
}

async function runStatus(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  try {
    return { code: await statusCli(args), stdout };
  } finally {
    out.mockRestore();
  }
}

// Registered after useTestDatabase's hooks, so it runs before the database is dropped.
afterAll(async () => {
  await server?.close();
  await runtime?.stop();
});

describe("observability of a running pipeline", () => {
  it("serves metrics and the runtime's status, and dts status reads it live and after the stop", async () => {
    const plan = pipelinePlan(pipelineName, topic, [rule(database, "orders")]);
    runtime = await startInProcess(plan);
    const stateDir = runtime.stateDir;
    const stateRoot = plan.pipelines[0]?.checkpoint.directory as string;
    await db().query(`INSERT INTO ${database}.orders VALUES (1, 10.00), (2, 20.00), (3, 30.00)`);
    await waitForStatus({ stateDir }, (s) => s.messagesTotal >= 3 && s.checkpoint !== null, 30_000);

    const metrics = createMetrics();
    const recorder = metrics.pipeline(pipelineName);
    recorder.recordEvents(`${database}.orders`, "insert", 3);
    recorder.recordCheckpoint();
    server = await startObservabilityServer({ port: 0, metrics, statusProvider: () => [readRuntimeStatus(stateDir)] });

    const scrape = await (await fetch(`${server.url}/metrics`)).text();
    expect(scrape).toContain(`dts_events_total{pipeline="${pipelineName}",table="${database}.orders",operation="insert"} 3`);
    for (const series of ["dts_produced_bytes_total", "dts_delay_seconds", "dts_checkpoint_age_seconds", "process_resident_memory_bytes"]) expect(scrape).toContain(series);

    const body = (await (await fetch(`${server.url}/status`)).json()) as { pipelines: PipelineStatus[] };
    expect(body.pipelines[0]).toMatchObject({ pipeline: pipelineName, phase: "streaming", pid: process.pid });
    expect(body.pipelines[0]?.checkpoint?.position.file).toMatch(/^mariadb-bin\.\d+$/);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    const fromFile = await runStatus(["--state-dir", stateRoot, "--format", "json"]);
    const parsed = JSON.parse(fromFile.stdout) as { pipelines: { pipeline: string; from: string; running: boolean; description: string; messagesTotal: number; checkpoint: unknown }[] };
    expect(parsed.pipelines[0]).toMatchObject({ pipeline: pipelineName, from: "file", running: true, description: "streaming" });
    expect(parsed.pipelines[0]?.messagesTotal).toBeGreaterThanOrEqual(3);

    // A status file that names the endpoint makes dts status ask the process instead.
    const linked = mkdtempSync(join(tmpdir(), "dts-obs-linked-"));
    cpSync(stateDir, join(linked, pipelineName), { recursive: true });
    const withHttp = { ...readRuntimeStatus(stateDir), http: { host: server.host, port: server.port } };
    writeFileSync(join(linked, pipelineName, "status.json"), JSON.stringify(withHttp));
    const live = await runStatus(["--state-dir", linked]);
    expect(live.code).toBe(0);
    expect(live.stdout).toMatch(new RegExp(`^${pipelineName}\\s+streaming\\s+\\d+s\\s+\\d+\\s+mariadb-bin\\.\\d+:\\d+.*${server.url.replace(/[.]/g, "\\.")}$`, "m"));

    const result = await runtime.stop();
    runtime = null;
    expect(result.phase).toBe("stopped");
    const stopped = await runStatus(["--state-dir", stateRoot]);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(new RegExp(`^${pipelineName}\\s+stopped\\s+-\\s+-\\s+mariadb-bin\\.\\d+:\\d+`, "m"));
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
  });
});
