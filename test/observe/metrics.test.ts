import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/runtime/observe/metrics.js";

describe("metrics", () => {
  it("exposes every dts_ series with pipeline, table and operation labels", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const shop = metrics.pipeline("shop");
    shop.recordEvents("shop.orders", "insert", 3);
    shop.recordEvents("shop.orders", "insert", 2);
    shop.recordEvents("shop.orders", "update", 1);
    shop.recordEvents("shop.ddl", "ddl", 1);
    shop.recordBytes(1234);
    shop.setDelaySeconds(7);
    shop.setSnapshotProgress("shop.orders", 500, 2000);
    shop.recordRetry("source-connect");
    shop.recordError("sink-send");
    shop.recordCheckpoint(new Date(Date.now() - 5000));
    const text = await metrics.render();
    expect(text).toContain('dts_events_total{pipeline="shop",table="shop.orders",operation="insert"} 5');
    expect(text).toContain('dts_events_total{pipeline="shop",table="shop.orders",operation="update"} 1');
    expect(text).toContain('dts_events_total{pipeline="shop",table="shop.ddl",operation="ddl"} 1');
    expect(text).toContain('dts_produced_bytes_total{pipeline="shop"} 1234');
    expect(text).toContain('dts_delay_seconds{pipeline="shop"} 7');
    expect(text).toContain('dts_snapshot_rows_done{pipeline="shop",table="shop.orders"} 500');
    expect(text).toContain('dts_snapshot_rows_total{pipeline="shop",table="shop.orders"} 2000');
    expect(text).toContain('dts_retries_total{pipeline="shop",kind="source-connect"} 1');
    expect(text).toContain('dts_errors_total{pipeline="shop",kind="sink-send"} 1');
    const age = Number(/dts_checkpoint_age_seconds\{pipeline="shop"\} ([\d.]+)/.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(5);
    expect(age).toBeLessThan(60);
  });

  it("keeps pipelines apart and returns the same recorder for a name", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    expect(metrics.pipeline("a")).toBe(metrics.pipeline("a"));
    metrics.pipeline("b").recordBytes(10);
    const text = await metrics.render();
    expect(text).toContain('dts_produced_bytes_total{pipeline="a"} 0');
    expect(text).toContain('dts_produced_bytes_total{pipeline="b"} 10');
  });

  it("includes Node's process metrics by default", async () => {
    const text = await createMetrics().render();
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
  });
});
