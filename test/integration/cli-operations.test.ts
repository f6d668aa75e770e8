// Operating a pipeline from the CLI on the real stack: the metrics endpoint of `dts run`,
// `dts status` asking the running process, `dts stop`, and migrations that finish once they
// have caught up (from the spec, or asked with `dts stop --when-caught-up`).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dts, streamingSpec } from "./cli-process.js";
import { readSettled, readStatus, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

describe("operating pipelines from the CLI", () => {
  const { database, db } = useTestDatabase("cli_ops", (database) => [
    `CREATE TABLE ${database}.orders (id BIGINT PRIMARY KEY, status VARCHAR(16) NOT NULL)`,
  ]);
  const stateDir = mkdtempSync(join(tmpdir(), "dts-ops-"));
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    env = { ...process.env, DTS_LOG_LEVEL: "info" };
  });

  function writeSpec(name: string, topic: string, extra = ""): string {
    const spec = join(stateDir, `${name}.dts`);
    writeFileSync(spec, streamingSpec({ name, format: "canal-json", database, table: "orders", topic, stateDir, extra }));
    return spec;
  }

  it("serves metrics while streaming; dts status asks the process; dts stop stops it", async () => {
    const spec = writeSpec("metered", uniqueName("cli-ops"));
    const runtime = dts(["run", spec, "--metrics-port", "0"], env);
    const status = await waitForStatus({ stateDir: join(stateDir, "metered"), stderr: runtime.stderr }, (s) => s.phase === "streaming", 60_000);
    const http = (status as { http?: { host: string; port: number } }).http;
    expect(http?.port).toBeGreaterThan(0);
    const base = `http://${http?.host}:${http?.port}`;

    await db().query(`INSERT INTO ${database}.orders VALUES (1, 'new'), (2, 'new'), (3, 'new')`);
    await db().query(`UPDATE ${database}.orders SET status = 'paid' WHERE id = 1`);
    const series = `dts_events_total{pipeline="metered",table="${database}.orders",operation="insert"} 3`;
    // Events count when handed to the producer, bytes when Kafka acknowledged them, and the delay
    // is measured at the next status write (until then it is unknown and has no sample): wait for all.
    const delivered = (text: string) => text.includes(series) && /dts_produced_bytes_total\{pipeline="metered"\} [1-9]/.test(text) && text.includes('dts_delay_known{pipeline="metered"} 1');
    let metrics = "";
    for (let attempt = 0; attempt < 100 && !delivered(metrics); attempt++) {
      metrics = await (await fetch(`${base}/metrics`)).text();
      if (!delivered(metrics)) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(metrics).toContain(series);
    expect(metrics).toContain(`dts_events_total{pipeline="metered",table="${database}.orders",operation="update"} 1`);
    expect(metrics).toMatch(/dts_produced_bytes_total\{pipeline="metered"\} [1-9]/);
    expect(metrics).toContain('dts_delay_seconds{pipeline="metered"}');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    const live = await dts(["status", spec, "--format", "json"], env).finished;
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toContain('"streaming"');
    expect(live.stdout).toContain('"http"');

    const stop = await dts(["stop", spec], env).finished;
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain("metered: stopped");
    expect((await runtime.finished).code).toBe(0);
  });

  it("finishes a migration once caught up when dts stop --when-caught-up asks", async () => {
    const topic = uniqueName("cli-migrate");
    const spec = writeSpec("migration", topic, '  mode = migrate\n');
    const runtime = dts(["run", spec], env);
    await waitForStatus({ stateDir: join(stateDir, "migration"), stderr: runtime.stderr }, (s) => s.phase === "streaming", 60_000);
    await db().query(`INSERT INTO ${database}.orders VALUES (10, 'new'), (11, 'new')`);
    await db().query(`DELETE FROM ${database}.orders WHERE id = 10`);

    const stop = await dts(["stop", spec, "--when-caught-up", "--timeout", "60s"], env).finished;
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain("migration: finished");
    expect((await runtime.finished).code).toBe(0);
    const final = readStatus(join(stateDir, "migration"));
    expect(final?.phase).toBe("finished");
    expect(final?.checkpoint).not.toBeNull();
    expect(await readSettled(topic, 3)).toHaveLength(3);
  });

  it("ends a migration by itself once caught up when the spec says stop_when_caught_up", async () => {
    const topic = uniqueName("cli-migrate-auto");
    const spec = writeSpec("self-finishing", topic, "  mode                = migrate\n  stop_when_caught_up = true\n");
    await db().query(`INSERT INTO ${database}.orders VALUES (20, 'new')`);
    const run = await dts(["run", spec], env).finished;
    expect(run.code, run.stderr).toBe(0);
    expect(readStatus(join(stateDir, "self-finishing"))?.phase).toBe("finished");
  });

  it("says so when asked to stop a pipeline that is not running", async () => {
    const spec = writeSpec("idle", uniqueName("cli-idle"));
    const stop = await dts(["stop", spec], env).finished;
    expect(stop.code).toBe(1);
    expect(stop.stderr).toContain("idle: not running");
  });
});
