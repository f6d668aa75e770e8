import { afterEach, describe, expect, it } from "vitest";
import { createMetrics } from "../../src/runtime/observe/metrics.js";
import { readiness, startObservabilityServer, type ObservabilityServer } from "../../src/runtime/observe/http-server.js";
import type { PipelineStatus } from "../../src/runtime/status.js";
import { status } from "./status-fixtures.js";

let server: ObservabilityServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe("observability endpoint", () => {
  it("serves metrics, health, readiness and status over HTTP", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.pipeline("shop").recordEvents("shop.orders", "delete", 4);
    let statuses: PipelineStatus[] = [status("shop", { phase: "starting" })];
    server = await startObservabilityServer({ port: 0, metrics, statusProvider: () => statuses });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const scrape = await fetch(`${server.url}/metrics`);
    expect(scrape.headers.get("content-type")).toContain("text/plain");
    expect(await scrape.text()).toContain('dts_events_total{pipeline="shop",table="shop.orders",operation="delete"} 4');

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: "not ready", reasons: ["shop is starting"] });

    statuses = [status("shop")];
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const body = (await (await fetch(`${server.url}/status`)).json()) as { pipelines: PipelineStatus[] };
    expect(body.pipelines[0]).toMatchObject({ pipeline: "shop", phase: "streaming", delaySeconds: 2, eventsPerSecond: 150 });

    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect((await fetch(`${server.url}/status`, { method: "POST" })).status).toBe(405);
  });

  it("reports a port in use as an error that says so", async () => {
    server = await startObservabilityServer({ port: 0, metrics: createMetrics({ defaultMetrics: false }), statusProvider: () => [] });
    await expect(startObservabilityServer({ port: server.port, metrics: createMetrics({ defaultMetrics: false }), statusProvider: () => [] })).rejects.toThrow(/port is in use/);
  });

  it("is ready only when every pipeline copies or streams", () => {
    expect(readiness([]).ready).toBe(false);
    expect(readiness([status("a"), status("b", { phase: "snapshotting" })]).ready).toBe(true);
    const failed = readiness([status("a"), status("b", { phase: "failed", error: { message: "binlog purged", hint: null } })]);
    expect(failed).toEqual({ ready: false, reasons: ["b is failed: binlog purged"] });
  });
});
